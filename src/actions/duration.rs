//! Ages as people type them: `90d`, `12w`, `6m`, `1y`.
//!
//! A month is 30 days and a year 365 days: prune compares ages, and a day either way does not
//! matter, while a calendar-exact month would make "6m" mean a different span each day.

use time::Duration;

/// Parses an age: a whole number followed by `d` (days), `w` (weeks), `m` (30-day months) or
/// `y` (365-day years). Spaces around are ignored; the unit is case-insensitive.
pub fn parse_age(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("{text:?}: add a unit: d, w, m or y (e.g. 90d)"))?;
    let (num, unit) = t.split_at(split);
    let n: i64 = num
        .parse()
        .map_err(|_| format!("{text:?}: expected a number then d, w, m or y (e.g. 90d)"))?;
    let days_per = match unit.to_ascii_lowercase().as_str() {
        "d" => 1,
        "w" => 7,
        "m" => 30,
        "y" => 365,
        _ => {
            return Err(format!(
                "{text:?}: unknown unit {unit:?}; use d, w, m or y (e.g. 90d)"
            ))
        }
    };
    n.checked_mul(days_per)
        .filter(|d| *d <= 365 * 1000)
        .map(Duration::days)
        .ok_or_else(|| format!("{text:?}: too long"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit() {
        let cases = [
            ("90d", 90),
            ("12w", 84),
            ("6m", 180),
            ("1y", 365),
            (" 2Y ", 730),
            ("0d", 0),
        ];
        for (text, days) in cases {
            assert_eq!(parse_age(text), Ok(Duration::days(days)), "{text}");
        }
    }

    #[test]
    fn rejects_bad_input() {
        let cases = [
            ("90", "\"90\": add a unit: d, w, m or y (e.g. 90d)"),
            ("d", "\"d\": expected a number then d, w, m or y (e.g. 90d)"),
            ("", "\"\": add a unit: d, w, m or y (e.g. 90d)"),
            (
                "5h",
                "\"5h\": unknown unit \"h\"; use d, w, m or y (e.g. 90d)",
            ),
            (
                "-5d",
                "\"-5d\": expected a number then d, w, m or y (e.g. 90d)",
            ),
            ("99999999999999y", "\"99999999999999y\": too long"),
        ];
        for (text, err) in cases {
            assert_eq!(parse_age(text), Err(err.to_string()), "{text}");
        }
    }
}
