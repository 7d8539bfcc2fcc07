//! Devices: backup versions grouped by UDID (case-insensitive) across all roots, and the
//! whole [`Library`] a discovery produced.

use serde::Serialize;

use super::backup::Version;
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
