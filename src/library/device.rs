//! Devices: backup versions grouped by UDID (case-insensitive) across all roots, and the
//! whole [`Library`] a discovery produced ([`discover_library`](super::discover::discover_library)
//! builds it; [`group`] does the grouping).

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::backup::{BackupState, Version};
use super::models;
use super::root::RootReport;

/// One device and all its backup versions, newest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Device {
    /// Uppercased UDID.
    pub udid: String,
    /// Device name from its newest readable version.
    pub name: Option<String>,
    /// Product type (`iPhone15,2`) from its newest readable version.
    pub product_type: Option<String>,
    /// Marketing model name (`iPhone 14 Pro`), or the raw product type when unknown.
    pub model: Option<String>,
    /// iOS version from its newest readable version.
    pub ios: Option<String>,
    /// Versions, newest first.
    pub versions: Vec<Version>,
}

impl Device {
    /// The name to show: device name, else model, else UDID.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .or(self.model.as_deref())
            .unwrap_or(&self.udid)
    }

    /// The device's newest complete version ([`newest_complete`]).
    pub fn newest_complete(&self) -> Option<&Version> {
        newest_complete(&self.versions)
    }
}

/// The newest complete version in `versions` (by date, an unknown date counting as oldest;
/// ties go to the one listed first). The one definition: the delete guards protect it, prune
/// keeps it, and "next backup fits" (dashboard and `du`) is measured against it.
pub fn newest_complete(versions: &[Version]) -> Option<&Version> {
    versions
        .iter()
        .filter(|v| v.is_complete())
        .fold(None, |best: Option<&Version>, v| match best {
            Some(b) if b.date >= v.date => Some(b),
            _ => Some(v),
        })
}

/// Everything a discovery found: the roots looked at, the devices, and damaged folders whose
/// device cannot be told.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Library {
    /// Every root looked at, with its status.
    pub roots: Vec<RootReport>,
    /// Devices, in a stable order (by name, then UDID).
    pub devices: Vec<Device>,
    /// Versions whose device cannot be told (no readable UDID anywhere).
    pub damaged: Vec<Version>,
    /// Folders that could not be read and are not backups themselves (a folder of copies,
    /// iMazing's `Versions` folder, a device's folder of snapshots): never offered for
    /// deletion, only reported.
    pub unreadable: Vec<Unreadable>,
}

/// A folder in a root that could not be read and is not a backup version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    /// The folder.
    #[serde(flatten, serialize_with = "crate::json_path::path::serialize")]
    pub path: PathBuf,
    /// Why, e.g. `the folder could not be read (Permission denied (os error 13))`.
    pub reason: String,
}

impl Library {
    /// Every version of every device, then the damaged ones.
    pub fn versions(&self) -> impl Iterator<Item = &Version> {
        self.devices
            .iter()
            .flat_map(|d| d.versions.iter())
            .chain(self.damaged.iter())
    }
}

/// Groups versions into devices by UDID (case-insensitive, across roots). Returns the devices
/// sorted by display name (case-insensitive) then UDID, and the versions without a UDID
/// sorted by path.
///
/// Each device's versions are newest first (versions without a date last, ties by path). Its
/// name, product type and iOS come from the newest version that is not damaged and has the
/// field, else from the newest version that has it; `model` is the marketing name of the
/// product type, or the raw product type when unknown.
pub fn group(versions: Vec<Version>) -> (Vec<Device>, Vec<Version>) {
    let mut by_udid: BTreeMap<String, Vec<Version>> = BTreeMap::new();
    let mut orphans = Vec::new();
    for version in versions {
        match &version.udid {
            Some(udid) => by_udid
                .entry(udid.to_ascii_uppercase())
                .or_default()
                .push(version),
            None => orphans.push(version),
        }
    }
    let mut devices: Vec<Device> = by_udid
        .into_iter()
        .map(|(udid, versions)| device_from(udid, versions))
        .collect();
    devices.sort_by(|a, b| {
        let key = |d: &Device| d.display_name().to_lowercase();
        key(a).cmp(&key(b)).then_with(|| a.udid.cmp(&b.udid))
    });
    orphans.sort_by(|a, b| a.path.cmp(&b.path));
    (devices, orphans)
}

/// One device from its versions.
fn device_from(udid: String, mut versions: Vec<Version>) -> Device {
    versions.sort_by(|a, b| match (a.date, b.date) {
        (Some(x), Some(y)) => y.cmp(&x).then_with(|| a.path.cmp(&b.path)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.path.cmp(&b.path),
    });
    let name = newest_field(&versions, |v| v.device_name.as_deref());
    let product_type = newest_field(&versions, |v| v.product_type.as_deref());
    let ios = newest_field(&versions, |v| v.ios.as_deref());
    let model = product_type.as_deref().map(|p| {
        models::marketing_name(p)
            .map(str::to_string)
            .unwrap_or_else(|| p.to_string())
    });
    Device {
        udid,
        name,
        product_type,
        model,
        ios,
        versions,
    }
}

/// A field from the newest readable version that has it, else from any version that has it.
fn newest_field(versions: &[Version], field: impl Fn(&Version) -> Option<&str>) -> Option<String> {
    let readable = versions
        .iter()
        .filter(|v| v.state != BackupState::Damaged)
        .find_map(&field);
    readable
        .or_else(|| versions.iter().find_map(&field))
        .map(str::to_string)
}
