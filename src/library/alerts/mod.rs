//! Alerts: what needs a person's attention in the library, computed by one pure function,
//! [`evaluate`], of the discovered [`Library`], its figures (the scan's fold, through the
//! [`Figures`] trait that [`crate::scan::ScanResults`] implements), the [`AlertSettings`] of the
//! config file and "now". The dashboard's header and `!` view and `backtop check` all show its
//! answer; none of them derives an alert of its own.
//!
//! The kinds ([`AlertKind`]), each with a message that says what to do:
//!
//! | kind | when | default |
//! |---|---|---|
//! | `stale` | a device's newest complete backup is older than `max_age` (14 days), or it has none | critical |
//! | `never_encrypted` | no backup of a device is encrypted (Health, Keychain, call history missing) | warning |
//! | `interrupted` | a device's newest backup did not finish | warning |
//! | `damaged` | a version is damaged (one alert per version) | warning |
//! | `low_space` | a device's next backup may not fit on its volume | warning |
//! | `unreachable` | a drive seen before is not connected, a configured root is missing, or a root cannot be read | warning |
//! | `duplicate` | a device's backups lie in several roots (one alert per extra root) | warning |
//!
//! A version counts as a device's newest complete backup by [`Device::newest_complete`] only:
//! a damaged folder (whatever its date) never does. `unreachable` is distinct from `stale`: the
//! backups on an unplugged drive may be fine; they are just not here to be checked.
//!
//! Submodules: `settings` (severities and thresholds), `device_rules` (the per-device kinds),
//! `root_rules` (`unreachable`, `duplicate`), `text` (message helpers).

mod device_rules;
mod root_rules;
mod settings;
#[cfg(test)]
mod tests;
mod text;

use std::path::{Path, PathBuf};

use serde::Serialize;
use time::OffsetDateTime;

use crate::library::volume::{NextBackup, VolumeUsage};
use crate::library::{Device, Library, RootStatus};

pub use settings::{AlertSettings, DEFAULT_MAX_AGE_DAYS};

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// No complete backup for longer than the maximum age (or none at all).
    Stale,
    /// No backup of the device is encrypted.
    NeverEncrypted,
    /// The device's newest backup did not finish.
    Interrupted,
    /// A version is damaged.
    Damaged,
    /// The next backup may not fit on its volume.
    LowSpace,
    /// A root or drive that should be there cannot be looked at.
    Unreachable,
    /// The same device's backups in several roots.
    Duplicate,
}

impl AlertKind {
    /// Every kind, in the order they are documented.
    pub const ALL: [AlertKind; 7] = [
        AlertKind::Stale,
        AlertKind::NeverEncrypted,
        AlertKind::Interrupted,
        AlertKind::Damaged,
        AlertKind::LowSpace,
        AlertKind::Unreachable,
        AlertKind::Duplicate,
    ];

    /// The kind's name, as JSON, the config file and the Prometheus labels write it.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Stale => "stale",
            AlertKind::NeverEncrypted => "never_encrypted",
            AlertKind::Interrupted => "interrupted",
            AlertKind::Damaged => "damaged",
            AlertKind::LowSpace => "low_space",
            AlertKind::Unreachable => "unreachable",
            AlertKind::Duplicate => "duplicate",
        }
    }
}

/// How bad an alert is (`Warning < Critical`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Look at it soon.
    Warning,
    /// Act now.
    Critical,
}

impl Severity {
    /// `warning` or `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

/// One alert (`backtop check --json` writes it with the house's path conventions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// What it is about.
    pub kind: AlertKind,
    /// How bad it is (from the settings).
    pub severity: Severity,
    /// The device's display name, when the alert is about a device.
    pub device: Option<String>,
    /// The device's UDID, when the alert is about a device.
    pub udid: Option<String>,
    /// The version or root concerned, when there is one.
    pub path: Option<PathBuf>,
    /// What is wrong and what to do, in words (text from disk not sanitized).
    pub message: String,
    /// Since when it holds, where known (see each rule).
    pub since: Option<OffsetDateTime>,
}

/// The overall verdict of a check, Nagios-style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No alert.
    Ok,
    /// At least one warning, no critical alert.
    Warning,
    /// At least one critical alert.
    Critical,
    /// Nothing could be checked: no root was readable, or no backup was found.
    Unknown,
}

impl Status {
    /// `ok`, `warning`, `critical` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Critical => "critical",
            Status::Unknown => "unknown",
        }
    }

    /// The Nagios plugin exit code: 0, 1, 2, 3.
    pub fn exit_code(self) -> i32 {
        match self {
            Status::Ok => 0,
            Status::Warning => 1,
            Status::Critical => 2,
            Status::Unknown => 3,
        }
    }
}

/// The figures the alerts need, from the scan's fold ([`crate::scan::ScanResults`] implements
/// it with the same rules `du` and the dashboard use). `None`: not known (yet).
pub trait Figures {
    /// Whether the device's next backup fits, with the figures.
    fn next_backup(&self, device: &Device) -> Option<NextBackup>;
    /// The volume holding `root`.
    fn volume_of(&self, root: &Path) -> Option<&VolumeUsage>;
    /// What deleting the versions at `paths` together frees.
    fn freed_by_deleting(&self, paths: &[PathBuf]) -> Option<u64>;
}

/// Figures that know nothing (before a scan): alerts that need sizes are left out.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFigures;

impl Figures for NoFigures {
    fn next_backup(&self, _: &Device) -> Option<NextBackup> {
        None
    }
    fn volume_of(&self, _: &Path) -> Option<&VolumeUsage> {
        None
    }
    fn freed_by_deleting(&self, _: &[PathBuf]) -> Option<u64> {
        None
    }
}

/// Every alert of `library` at `now`, critical ones first, then in library order (devices as
/// listed, each device's kinds in [`AlertKind::ALL`] order, then the roots). Kinds the settings
/// turn off are left out. Pure.
pub fn evaluate(
    library: &Library,
    figures: &dyn Figures,
    settings: &AlertSettings,
    now: OffsetDateTime,
) -> Vec<Alert> {
    let mut found = Vec::new();
    for device in &library.devices {
        found.extend(device_rules::device_alerts(device, figures, settings, now));
        found.extend(root_rules::duplicates(device, figures));
    }
    found.extend(library.damaged.iter().map(device_rules::orphan_damaged));
    found.extend(library.roots.iter().filter_map(root_rules::unreachable));
    let mut alerts: Vec<Alert> = found
        .into_iter()
        .filter_map(|f| f.into_alert(settings))
        .collect();
    alerts.sort_by_key(|a| std::cmp::Reverse(a.severity));
    alerts
}

/// The verdict over `alerts`: [`Status::Unknown`] when no root of `library` could be read or
/// no backup was found in any, else the worst severity (or [`Status::Ok`]). Pure.
pub fn status(library: &Library, alerts: &[Alert]) -> Status {
    if unknown_reason(library).is_some() {
        return Status::Unknown;
    }
    match alerts.iter().map(|a| a.severity).max() {
        Some(Severity::Critical) => Status::Critical,
        Some(Severity::Warning) => Status::Warning,
        None => Status::Ok,
    }
}

/// Why [`status`] is unknown, in words (`None` when it is not).
pub fn unknown_reason(library: &Library) -> Option<&'static str> {
    let readable = library
        .roots
        .iter()
        .any(|r| matches!(r.status, RootStatus::Ok { .. }));
    if !readable {
        Some("no backup root could be read (`backtop roots` says why)")
    } else if library.versions().next().is_none() {
        Some("no backups were found in any root")
    } else {
        None
    }
}

/// An alert before the settings gave it a severity (or turned its kind off).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Finding {
    kind: AlertKind,
    device: Option<String>,
    udid: Option<String>,
    path: Option<PathBuf>,
    message: String,
    since: Option<OffsetDateTime>,
}

impl Finding {
    /// A finding about no particular device.
    fn about(kind: AlertKind, message: String) -> Self {
        Finding {
            kind,
            device: None,
            udid: None,
            path: None,
            message,
            since: None,
        }
    }

    /// A finding about `device`.
    fn of_device(kind: AlertKind, device: &Device, message: String) -> Self {
        Finding {
            device: Some(device.display_name().to_string()),
            udid: Some(device.udid.clone()),
            ..Finding::about(kind, message)
        }
    }

    fn at(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    fn since(mut self, since: Option<OffsetDateTime>) -> Self {
        self.since = since;
        self
    }

    fn into_alert(self, settings: &AlertSettings) -> Option<Alert> {
        Some(Alert {
            kind: self.kind,
            severity: settings.severity(self.kind)?,
            device: self.device,
            udid: self.udid,
            path: self.path,
            message: self.message,
            since: self.since,
        })
    }
}
