//! The words of alert messages: dates, ages and sizes written the same way in every message.

use humansize::{format_size, FormatSizeOptions, DECIMAL};
use time::macros::format_description;
use time::{Duration, OffsetDateTime, UtcOffset};

/// `2024-05-02` (the UTC day).
pub fn day(date: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]");
    date.to_offset(UtcOffset::UTC)
        .format(&format)
        .unwrap_or_else(|_| date.to_string())
}

/// `1 day`, `23 days` (whole days, rounded down).
pub fn days(age: Duration) -> String {
    match age.whole_days() {
        1 => "1 day".to_string(),
        n => format!("{n} days"),
    }
}

/// `58.2 GB` (decimal units, one decimal).
pub fn bytes(n: u64) -> String {
    format_size(n, FormatSizeOptions::from(DECIMAL).decimal_places(1))
}

/// `1 backup`, `3 backups`.
pub fn backups(n: usize) -> String {
    match n {
        1 => "1 backup".to_string(),
        n => format!("{n} backups"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn words() {
        assert_eq!(day(datetime!(2024-05-02 23:30 -2)), "2024-05-03");
        assert_eq!(days(Duration::hours(47)), "1 day");
        assert_eq!(days(Duration::days(23)), "23 days");
        assert_eq!(bytes(58_230_000_000), "58.2 GB");
        assert_eq!(backups(1), "1 backup");
        assert_eq!(backups(0), "0 backups");
    }
}
