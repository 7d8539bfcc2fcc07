//! What the alerts are set to: the maximum age of a device's newest complete backup, and each
//! kind's severity (or off). The defaults are what backtop does without a config file; the
//! `[alerts]` table of the config file (`crate::config`) and `backtop check --max-age` change
//! them.

use time::Duration;

use super::{AlertKind, Severity};

/// Days without a complete backup before a device is `stale`, by default.
pub const DEFAULT_MAX_AGE_DAYS: i64 = 14;

/// Thresholds and severities of the alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSettings {
    /// A device is `stale` when its newest complete backup is older than this.
    pub max_age: Duration,
    /// Severity of each kind, in [`AlertKind::ALL`] order; `None`: the kind is off.
    severities: [Option<Severity>; 7],
}

impl Default for AlertSettings {
    /// 14 days; `stale` critical, every other kind a warning.
    fn default() -> Self {
        let severities = AlertKind::ALL.map(|k| Some(default_severity(k)));
        AlertSettings {
            max_age: Duration::days(DEFAULT_MAX_AGE_DAYS),
            severities,
        }
    }
}

/// The documented default severity of `kind`: `stale` is critical (a phone that stopped
/// backing up is the disaster), every other kind a warning.
pub fn default_severity(kind: AlertKind) -> Severity {
    match kind {
        AlertKind::Stale => Severity::Critical,
        AlertKind::NeverEncrypted
        | AlertKind::Interrupted
        | AlertKind::Damaged
        | AlertKind::LowSpace
        | AlertKind::Unreachable
        | AlertKind::Duplicate => Severity::Warning,
    }
}

impl AlertSettings {
    /// The severity of `kind`; `None` when it is turned off.
    pub fn severity(&self, kind: AlertKind) -> Option<Severity> {
        self.severities[index(kind)]
    }

    /// Sets the severity of `kind` (`None`: off).
    pub fn set_severity(&mut self, kind: AlertKind, severity: Option<Severity>) {
        self.severities[index(kind)] = severity;
    }
}

/// `kind`'s place in [`AlertKind::ALL`] (the enum is declared in that order).
fn index(kind: AlertKind) -> usize {
    kind as usize
}
