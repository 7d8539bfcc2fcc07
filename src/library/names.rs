//! What a folder's name says: a UDID (a live backup), `UDID-YYYYMMDD-HHMMSS` (an archived copy),
//! or an iMazing snapshot name `YYYY-MM-DD-HH.MM.SS`.
//!
//! UDIDs are 40 hex digits (older devices) or `8hex-16hex` (newer ones), in either case.
//! Dates in names carry no time zone; they are read as UTC.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// True when `name` is a UDID: 40 hex digits, or 8 hex digits, `-`, 16 hex digits.
pub fn looks_like_udid(name: &str) -> bool {
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    match name.split_once('-') {
        None => name.len() == 40 && hex(name),
        Some((a, b)) => a.len() == 8 && b.len() == 16 && hex(a) && hex(b),
    }
}

/// Splits an archive name `UDID-YYYYMMDD-HHMMSS` into the UDID (as written) and its date.
pub fn parse_archive_name(name: &str) -> Option<(&str, OffsetDateTime)> {
    // The date part is the last 16 characters: "-YYYYMMDD-HHMMSS".
    let split = name.len().checked_sub(16)?;
    if !name.is_char_boundary(split) {
        return None;
    }
    let (udid, rest) = name.split_at(split);
    let rest = rest.strip_prefix('-')?;
    if !rest.is_ascii() {
        return None;
    }
    let (day, clock) = rest.split_once('-')?;
    if !looks_like_udid(udid) || day.len() != 8 || clock.len() != 6 {
        return None;
    }
    let date = datetime(
        num(&day[0..4])?,
        num(&day[4..6])?,
        num(&day[6..8])?,
        num(&clock[0..2])?,
        num(&clock[2..4])?,
        num(&clock[4..6])?,
    )?;
    Some((udid, date))
}

/// The date of an iMazing snapshot folder named `YYYY-MM-DD-HH.MM.SS`.
pub fn parse_snapshot_name(name: &str) -> Option<OffsetDateTime> {
    let b = name.as_bytes();
    if !name.is_ascii() || b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'-' {
        return None;
    }
    if b[13] != b'.' || b[16] != b'.' {
        return None;
    }
    datetime(
        num(&name[0..4])?,
        num(&name[5..7])?,
        num(&name[8..10])?,
        num(&name[11..13])?,
        num(&name[14..16])?,
        num(&name[17..19])?,
    )
}

/// The UDID a folder name gives, uppercased: the name itself, or the UDID of an archive name.
pub fn udid_from_name(name: &str) -> Option<String> {
    if looks_like_udid(name) {
        return Some(name.to_ascii_uppercase());
    }
    parse_archive_name(name).map(|(udid, _)| udid.to_ascii_uppercase())
}

/// Parses an all-digit field.
fn num(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A UTC date and time from its parts, when they form a real one.
fn datetime(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<OffsetDateTime> {
    let month = Month::try_from(u8::try_from(mo).ok()?).ok()?;
    let date =
        Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?).ok()?;
    let time = Time::from_hms(
        u8::try_from(h).ok()?,
        u8::try_from(mi).ok()?,
        u8::try_from(s).ok()?,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const OLD: &str = "0123456789abcdef0123456789ABCDEF01234567";
    const NEW: &str = "00008120-001A2B3C4D5E6F70";

    #[test]
    fn udids() {
        assert!(looks_like_udid(OLD));
        assert!(looks_like_udid(NEW));
        assert!(looks_like_udid(&NEW.to_lowercase()));
        assert!(!looks_like_udid("00008120-001A2B3C4D5E6F7")); // 15 hex
        assert!(!looks_like_udid("0123456789abcdef0123456789ABCDEF0123456g"));
        assert!(!looks_like_udid("iPhone 14 Pro-2024-01-15"));
        assert!(!looks_like_udid(""));
    }

    #[test]
    fn archive_names() {
        let name = format!("{}-20240115-093000", NEW.to_lowercase());
        let (udid, date) = parse_archive_name(&name).unwrap();
        assert_eq!(udid, NEW.to_lowercase());
        assert_eq!(date, datetime!(2024-01-15 09:30:00 UTC));
        assert_eq!(udid_from_name(&name).as_deref(), Some(NEW));
        assert!(parse_archive_name(&format!("{OLD}-20241315-093000")).is_none());
        assert!(parse_archive_name(&format!("{OLD}-2024011-0930000")).is_none());
        assert!(parse_archive_name("iPhone 14 Pro-2024-01-15").is_none());
        assert!(parse_archive_name("ééééééééééééééééé").is_none());
        assert_eq!(udid_from_name("My copy"), None);
    }

    #[test]
    fn snapshot_names() {
        assert_eq!(
            parse_snapshot_name("2024-05-02-18.04.59"),
            Some(datetime!(2024-05-02 18:04:59 UTC))
        );
        assert_eq!(parse_snapshot_name("2024-05-02 18.04.59"), None);
        assert_eq!(parse_snapshot_name("2024-02-30-18.04.59"), None);
        assert_eq!(parse_snapshot_name("Versions.db"), None);
        assert_eq!(parse_snapshot_name("2024-05-02-18.04.é"), None);
    }
}
