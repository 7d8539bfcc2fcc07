//! Owners: the user whose home holds each version (`Version::owner`). The dashboard shows them
//! only when they tell versions apart (more than one owner in the library, e.g. running as
//! root over every user's home), and the device filter can pick devices by owner.

use std::collections::BTreeSet;

use super::App;
use crate::library::Device;

impl App {
    /// True when the library's versions do not all have the same owner (a version without
    /// an owner counts as different from one with).
    pub fn owners_differ(&self) -> bool {
        let owners: BTreeSet<Option<&str>> = self
            .all_devices()
            .flat_map(|d| d.versions.iter())
            .map(|v| v.owner.as_deref())
            .collect();
        owners.len() > 1
    }
}

/// The distinct owners of a device's versions, sorted.
pub fn device_owners(device: &Device) -> Vec<&str> {
    let owners: BTreeSet<&str> = device
        .versions
        .iter()
        .filter_map(|v| v.owner.as_deref())
        .collect();
    owners.into_iter().collect()
}

/// The owner a filter term asks for: `owner:ann` or `@ann` (lowercased input), else `None`.
pub fn owner_term(term: &str) -> Option<&str> {
    term.strip_prefix("owner:")
        .or_else(|| term.strip_prefix('@'))
}
