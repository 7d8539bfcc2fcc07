//! Dates as the user's clock shows them: each instant in the system time zone with the UTC
//! offset in force **on that date** (a winter backup at +01:00, a summer one at +02:00 in
//! Berlin), not today's offset for every date. Pure functions of the instant and the zone; the
//! zone is read once by [`system_zone`] and passed in.

use jiff::tz::TimeZone;
use jiff::Timestamp;
use time::OffsetDateTime;

/// The system time zone (`TZ`, `/etc/localtime`, the OS setting), or UTC when it cannot be
/// told. Safe to call from any thread.
pub fn system_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or(TimeZone::UTC)
}

/// The zone dates are shown in, by the one rule of the dashboard and `list`: UTC when `utc`
/// (the config's `time = "utc"`), else the system's ([`system_zone`]).
pub fn zone(utc: bool) -> TimeZone {
    if utc {
        TimeZone::UTC
    } else {
        system_zone()
    }
}

/// Whether `tz` is UTC itself (`UTC`, `Etc/UTC`, …), so its dates are marked `UTC`.
fn is_utc(tz: &TimeZone) -> bool {
    matches!(
        tz.iana_name(),
        Some(
            "UTC"
                | "Etc/UTC"
                | "Etc/UCT"
                | "UCT"
                | "Etc/Universal"
                | "Universal"
                | "Etc/Zulu"
                | "Zulu"
        )
    )
}

/// `2024-05-01 14:32 +02:00`: the wall-clock time of `t` in `tz` with the offset of that date
/// (so a winter and a summer date each carry their own), or `2024-05-01 12:32 UTC` when `tz`
/// is UTC. At most [`STAMP_WIDTH`] cells.
pub fn stamp(t: OffsetDateTime, tz: &TimeZone) -> String {
    if is_utc(tz) {
        format!("{} UTC", date_time(t, tz))
    } else {
        format!("{} {}", date_time(t, tz), offset(t, tz))
    }
}

/// The widest [`stamp`]: `2024-05-01 14:32 +02:00`.
pub const STAMP_WIDTH: usize = 23;

/// `t` as a jiff timestamp; `None` outside jiff's range (years -9999 to 9999).
fn timestamp(t: OffsetDateTime) -> Option<Timestamp> {
    let nanos = i32::try_from(t.nanosecond()).ok()?;
    Timestamp::new(t.unix_timestamp(), nanos).ok()
}

/// `2024-05-01 14:32`: the wall-clock time of `t` in `tz`, with the offset of that date.
pub fn date_time(t: OffsetDateTime, tz: &TimeZone) -> String {
    match timestamp(t) {
        Some(ts) => tz.to_datetime(ts).strftime("%Y-%m-%d %H:%M").to_string(),
        None => utc_date_time(t),
    }
}

/// `2024-05-01`: the calendar date of `t` in `tz`.
pub fn date(t: OffsetDateTime, tz: &TimeZone) -> String {
    match timestamp(t) {
        Some(ts) => tz.to_datetime(ts).strftime("%Y-%m-%d").to_string(),
        None => utc_date_time(t)[..10].to_string(),
    }
}

/// `+02:00`: the UTC offset `tz` has at `t` (what [`date_time`] added).
pub fn offset(t: OffsetDateTime, tz: &TimeZone) -> String {
    let seconds = timestamp(t).map_or(0, |ts| tz.to_offset(ts).seconds());
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The fallback for instants jiff cannot hold: UTC, formatted by `time`.
fn utc_date_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// Europe/Berlin's rules as a POSIX TZ string: no zone database needed.
    fn berlin() -> TimeZone {
        TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap()
    }

    #[test]
    fn each_date_gets_the_offset_of_its_own_season() {
        let tz = berlin();
        let winter = datetime!(2026-01-15 12:00 UTC);
        let summer = datetime!(2026-07-15 12:00 UTC);
        assert_eq!(offset(winter, &tz), "+01:00");
        assert_eq!(offset(summer, &tz), "+02:00");
        assert_eq!(date_time(winter, &tz), "2026-01-15 13:00");
        assert_eq!(date_time(summer, &tz), "2026-07-15 14:00");
    }

    #[test]
    fn the_named_zone_from_the_database_agrees_where_there_is_one() {
        // The system's zone database is not everywhere (Windows without the bundled one).
        let Ok(tz) = jiff::tz::db().get("Europe/Berlin") else {
            return;
        };
        assert_eq!(offset(datetime!(2026-01-15 12:00 UTC), &tz), "+01:00");
        assert_eq!(offset(datetime!(2026-07-15 12:00 UTC), &tz), "+02:00");
    }

    #[test]
    fn the_switch_night_and_the_date_line() {
        let tz = berlin();
        // 2026-03-29 01:00 UTC is 03:00 CEST: the clocks jumped from 02:00.
        assert_eq!(
            date_time(datetime!(2026-03-29 00:59 UTC), &tz),
            "2026-03-29 01:59"
        );
        assert_eq!(
            date_time(datetime!(2026-03-29 01:00 UTC), &tz),
            "2026-03-29 03:00"
        );
        // Late evening UTC is already tomorrow in Berlin.
        assert_eq!(date(datetime!(2026-07-15 22:30 UTC), &tz), "2026-07-16");
        let new_york = TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").unwrap();
        assert_eq!(offset(datetime!(2026-01-15 12:00 UTC), &new_york), "-05:00");
        assert_eq!(
            date(datetime!(2026-01-15 03:00 UTC), &new_york),
            "2026-01-14"
        );
    }

    #[test]
    fn stamps_carry_the_offset_of_their_own_date_or_say_utc() {
        let tz = berlin();
        assert_eq!(
            stamp(datetime!(2026-03-29 00:59 UTC), &tz),
            "2026-03-29 01:59 +01:00",
            "just before the switch"
        );
        assert_eq!(
            stamp(datetime!(2026-03-29 01:00 UTC), &tz),
            "2026-03-29 03:00 +02:00",
            "just after it"
        );
        assert_eq!(
            stamp(datetime!(2026-07-15 12:00 UTC), &tz).len(),
            STAMP_WIDTH
        );
        let t = datetime!(2024-05-01 14:32 UTC);
        assert_eq!(stamp(t, &TimeZone::UTC), "2024-05-01 14:32 UTC");
        assert_eq!(stamp(t, &zone(true)), "2024-05-01 14:32 UTC");
        if let Ok(etc) = jiff::tz::db().get("Etc/UTC") {
            assert_eq!(stamp(t, &etc), "2024-05-01 14:32 UTC");
        }
    }

    #[test]
    fn utc_and_instants_given_with_an_offset() {
        let t = datetime!(2024-05-01 14:32:10 UTC);
        assert_eq!(date_time(t, &TimeZone::UTC), "2024-05-01 14:32");
        assert_eq!(offset(t, &TimeZone::UTC), "+00:00");
        let offset_input = datetime!(2024-05-01 16:32:10 +02:00);
        assert_eq!(date_time(offset_input, &TimeZone::UTC), "2024-05-01 14:32");
    }
}
