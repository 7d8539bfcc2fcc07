//! Human text for figures: sizes (decimal units via `humansize`), ages ("3 days ago"), counts,
//! paths and percentages (dates: [`local_time`](super::local_time); fitting: [`fit`](super::fit)). Pure functions of their inputs; time is passed in, never read here.

use std::path::Path;

use humansize::{format_size, DECIMAL};
use time::OffsetDateTime;

/// Bytes in decimal units with one decimal: `0 B`, `999 B`, `1.5 kB`, `12.3 GB`.
pub fn size(bytes: u64) -> String {
    format_size(bytes, DECIMAL.decimal_places(1))
}

/// How long ago `then` was, seen from `now`: `just now`, `5 minutes ago`, `yesterday`,
/// `3 days ago`, `2 months ago`, `1 year ago`; `in the future` for clock skew over a minute.
pub fn age(then: OffsetDateTime, now: OffsetDateTime) -> String {
    let secs = (now - then).whole_seconds();
    if secs < -60 {
        return "in the future".into();
    }
    let secs = secs.max(0);
    let (n, unit) = match secs {
        s if s < 60 => return "just now".into(),
        s if s < 3_600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3_600, "hour"),
        s if s < 2 * 86_400 => return "yesterday".into(),
        s if s < 14 * 86_400 => (s / 86_400, "day"),
        s if s < 61 * 86_400 => (s / (7 * 86_400), "week"),
        s if s < 365 * 86_400 => (s / (30 * 86_400), "month"),
        s => (s / (365 * 86_400), "year"),
    };
    plural(n, unit) + " ago"
}

/// A count with thousands separators: `182,345`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 version`, `3 versions`.
pub fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// `part` as a share of `whole`, clamped to `0.0..=1.0`; 0 when `whole` is 0.
pub fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64).clamp(0.0, 1.0)
    }
}

/// A ratio as a whole percentage: `45%`, `<1%` for a non-zero share under one percent.
pub fn percent(r: f64) -> String {
    let p = (r * 100.0).round();
    if p == 0.0 && r > 0.0 {
        "<1%".into()
    } else {
        format!("{p:.0}%")
    }
}

/// A path for display: the home folder as `~`.
pub fn path(p: &Path, home: Option<&Path>) -> String {
    match home.and_then(|h| p.strip_prefix(h).ok()) {
        Some(rest) if rest.as_os_str().is_empty() => "~".into(),
        Some(rest) => format!("~/{}", rest.display()),
        None => p.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn sizes_are_decimal_with_one_place() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(999), "999 B");
        assert_eq!(size(1_500), "1.5 kB");
        assert_eq!(size(12_345_678_901), "12.3 GB");
    }

    #[test]
    fn ages_read_like_speech() {
        let now = datetime!(2024-06-10 12:00 UTC);
        assert_eq!(age(datetime!(2024-06-10 11:59:30 UTC), now), "just now");
        assert_eq!(age(datetime!(2024-06-10 11:55 UTC), now), "5 minutes ago");
        assert_eq!(age(datetime!(2024-06-10 09:00 UTC), now), "3 hours ago");
        assert_eq!(age(datetime!(2024-06-09 10:00 UTC), now), "yesterday");
        assert_eq!(age(datetime!(2024-06-07 12:00 UTC), now), "3 days ago");
        assert_eq!(age(datetime!(2024-05-01 12:00 UTC), now), "5 weeks ago");
        assert_eq!(age(datetime!(2024-01-01 12:00 UTC), now), "5 months ago");
        assert_eq!(age(datetime!(2022-06-01 12:00 UTC), now), "2 years ago");
        assert_eq!(age(datetime!(2024-06-11 12:00 UTC), now), "in the future");
    }

    #[test]
    fn ratios_clamp_and_survive_zero() {
        assert_eq!(ratio(5, 0), 0.0);
        assert_eq!(ratio(15, 10), 1.0);
        assert_eq!(percent(ratio(1, 1000)), "<1%");
        assert_eq!(percent(ratio(1, 2)), "50%");
        assert_eq!(count(182_345), "182,345");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(
            path(Path::new("/home/a/x"), Some(Path::new("/home/a"))),
            "~/x"
        );
    }
}
