//! The `[alerts]` table of the config file: the maximum age before a device is `stale` and
//! each kind's severity (see [`crate::library::alerts`] and `docs/MONITORING.md`).
//!
//! ```toml
//! [alerts]
//! max_age = "14d"            # as `backtop check --max-age`: d, w, m (30 days) or y
//! stale = "critical"         # each kind: "warning", "critical" or "off"
//! never_encrypted = "warning"
//! interrupted = "warning"
//! damaged = "warning"
//! low_space = "warning"
//! unreachable = "warning"
//! duplicate = "off"
//! ```
//!
//! A key of the table backtop does not know is warned about like a top-level one
//! (`alerts.stael`); a value of the wrong type or word is an error naming the file.

use serde::Deserialize;

use crate::actions::duration::parse_age;
use crate::library::alerts::{AlertKind, AlertSettings, Severity};

/// The keys `[alerts]` may hold, in the order the docs list them.
pub const ALERT_KEYS: &[&str] = &[
    "max_age",
    "stale",
    "never_encrypted",
    "interrupted",
    "damaged",
    "low_space",
    "unreachable",
    "duplicate",
];

/// `[alerts]` as the file may write it.
#[derive(Debug, Default, Deserialize)]
pub(super) struct RawAlerts {
    max_age: Option<String>,
    stale: Option<SeverityChoice>,
    never_encrypted: Option<SeverityChoice>,
    interrupted: Option<SeverityChoice>,
    damaged: Option<SeverityChoice>,
    low_space: Option<SeverityChoice>,
    unreachable: Option<SeverityChoice>,
    duplicate: Option<SeverityChoice>,
}

/// `"warning" | "critical" | "off"`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum SeverityChoice {
    Warning,
    Critical,
    Off,
}

impl SeverityChoice {
    fn severity(self) -> Option<Severity> {
        match self {
            SeverityChoice::Warning => Some(Severity::Warning),
            SeverityChoice::Critical => Some(Severity::Critical),
            SeverityChoice::Off => None,
        }
    }
}

impl RawAlerts {
    /// The settings the table asks for, over the defaults; `Err` says why `max_age` is wrong.
    pub(super) fn settings(&self) -> Result<AlertSettings, String> {
        let mut settings = AlertSettings::default();
        if let Some(text) = &self.max_age {
            settings.max_age = parse_age(text).map_err(|e| format!("[alerts] max_age = {e}"))?;
        }
        for kind in AlertKind::ALL {
            if let Some(choice) = self.choice(kind) {
                settings.set_severity(kind, choice.severity());
            }
        }
        Ok(settings)
    }

    fn choice(&self, kind: AlertKind) -> Option<SeverityChoice> {
        match kind {
            AlertKind::Stale => self.stale,
            AlertKind::NeverEncrypted => self.never_encrypted,
            AlertKind::Interrupted => self.interrupted,
            AlertKind::Damaged => self.damaged,
            AlertKind::LowSpace => self.low_space,
            AlertKind::Unreachable => self.unreachable,
            AlertKind::Duplicate => self.duplicate,
        }
    }
}

/// The keys of the `[alerts]` table in `table` that are not known.
pub(super) fn unknown_keys(table: &toml::Table) -> Vec<String> {
    match table.get("alerts") {
        Some(toml::Value::Table(alerts)) => alerts
            .keys()
            .filter(|k| !ALERT_KEYS.contains(&k.as_str()))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

/// The 1-based line of `key` inside the `[alerts]` table of `text` (after its header).
pub(super) fn line_in_alerts(text: &str, key: &str) -> Option<usize> {
    let header = text.lines().position(|l| {
        l.trim_start()
            .strip_prefix('[')
            .is_some_and(|h| h.trim_start().starts_with("alerts"))
    })?;
    text.lines()
        .enumerate()
        .skip(header + 1)
        .find(|(_, l)| {
            let l = l.trim_start();
            let l = l.strip_prefix('"').unwrap_or(l);
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start_matches('"').trim_start().starts_with('='))
        })
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use time::Duration;

    use crate::config::parse;
    use crate::library::alerts::{AlertKind, AlertSettings, Severity};

    fn file() -> &'static Path {
        Path::new("/c/config.toml")
    }

    #[test]
    fn the_table_sets_the_age_and_each_severity() {
        let text = "ascii = true\n[alerts]\nmax_age = \"3w\"\nstale = \"warning\"\n\
                    duplicate = \"off\"\nlow_space = \"critical\"\n";
        let got = parse(text, file(), None).unwrap();
        let mut want = AlertSettings::default();
        want.max_age = Duration::days(21);
        want.set_severity(AlertKind::Stale, Some(Severity::Warning));
        want.set_severity(AlertKind::Duplicate, None);
        want.set_severity(AlertKind::LowSpace, Some(Severity::Critical));
        assert_eq!(got.config.alerts, want);
        assert!(got.warnings.is_empty());
        assert_eq!(
            parse("", file(), None).unwrap().config.alerts,
            AlertSettings::default()
        );
    }

    #[test]
    fn a_misspelt_alert_key_is_warned_with_its_line() {
        let text = "[alerts]\nmax_age = \"14d\"\n\nstael = \"off\"\n";
        let said: Vec<String> = parse(text, file(), None)
            .unwrap()
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            said,
            [
                "/c/config.toml:4: unknown key `alerts.stael` ignored (known keys: max_age, \
              stale, never_encrypted, interrupted, damaged, low_space, unreachable, duplicate)"
            ]
        );
    }

    #[test]
    fn a_wrong_word_or_age_is_an_error_naming_the_file() {
        for (text, says) in [
            ("[alerts]\nstale = \"severe\"", "unknown variant `severe`"),
            (
                "[alerts]\nmax_age = \"14\"",
                "[alerts] max_age = \"14\": add a unit",
            ),
            ("[alerts]\nmax_age = 14", "invalid type"),
            ("alerts = 1", "invalid type"),
        ] {
            let err = parse(text, file(), None).unwrap_err().to_string();
            assert!(err.starts_with("/c/config.toml: "), "{err}");
            assert!(err.contains(says), "{text}: {err}");
        }
    }
}
