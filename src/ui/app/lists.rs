//! The rows the panes show: devices after filter and their sort, versions of the selected
//! device in theirs (each pane has its own, cycled with `s` there), and which row is selected.

use std::cmp::Reverse;

use super::owners::{self, device_owners};
use super::{figures, App, Pane, SortKey};
use crate::library::{Device, Library, Version};

/// Display name of the pseudo-device holding versions whose device cannot be told.
pub const UNIDENTIFIED: &str = "Unidentified backups";

impl App {
    /// Replaces the library (after discovery), keeping selections and marks that still exist.
    pub fn set_library(&mut self, library: Library) {
        self.unidentified = (!library.damaged.is_empty()).then(|| Device {
            udid: String::new(),
            name: Some(UNIDENTIFIED.to_string()),
            product_type: None,
            model: None,
            ios: None,
            versions: library.damaged.clone(),
        });
        self.library = library;
        let paths: Vec<_> = self.library.versions().map(|v| v.path.clone()).collect();
        self.marks.retain(|p| paths.contains(p));
        self.results.retain(&paths);
        if let Some(sel) = &self.selected_version {
            if !paths.contains(sel) {
                self.selected_version = None;
            }
        }
    }

    /// Every device, then the unidentified pseudo-device.
    pub fn all_devices(&self) -> impl Iterator<Item = &Device> {
        self.library.devices.iter().chain(self.unidentified.iter())
    }

    /// Devices shown: those matching the filter, in the current sort.
    pub fn visible_devices(&self) -> Vec<&Device> {
        let needle = self.filter.to_lowercase();
        let mut rows: Vec<&Device> = self
            .all_devices()
            .filter(|d| needle.is_empty() || matches(d, &needle))
            .collect();
        match self.sort {
            SortKey::Date => {
                rows.sort_by_key(|d| Reverse(d.versions.iter().filter_map(|v| v.date).max()))
            }
            SortKey::Size => rows.sort_by_key(|d| Reverse(figures::device_total(self, d))),
            SortKey::Reclaimable => {
                rows.sort_by_key(|d| Reverse(figures::device_reclaimable(self, d)))
            }
            SortKey::Name => rows.sort_by_key(|d| d.display_name().to_lowercase()),
        }
        rows
    }

    /// `s`: the focused pane's next sort (the breakdown has none).
    pub(super) fn cycle_sort(&mut self) {
        match self.focus {
            Pane::Devices => self.sort = self.sort.next(Pane::Devices),
            Pane::Versions => self.version_sort = self.version_sort.next(Pane::Versions),
            Pane::Breakdown => {}
        }
    }

    /// The words for `pane`'s sort in its title.
    pub fn sort_label(&self, pane: Pane) -> &'static str {
        match pane {
            Pane::Versions => self.version_sort.label(pane),
            _ => self.sort.label(pane),
        }
    }

    /// Index of the selected device among the visible ones (0 when none is chosen).
    pub fn device_index(&self) -> usize {
        let rows = self.visible_devices();
        self.selected_device
            .as_ref()
            .and_then(|id| rows.iter().position(|d| &d.udid == id))
            .unwrap_or(0)
    }

    /// The selected device, if any device is visible.
    pub fn device(&self) -> Option<&Device> {
        self.visible_devices().get(self.device_index()).copied()
    }

    /// Versions of the selected device, in the current sort.
    pub fn visible_versions(&self) -> Vec<&Version> {
        let Some(device) = self.device() else {
            return Vec::new();
        };
        let mut rows: Vec<&Version> = device.versions.iter().collect();
        let usage = |v: &Version| self.results.sized.get(&v.path);
        match self.version_sort {
            SortKey::Date => rows.sort_by_key(|v| Reverse(v.date)),
            SortKey::Size => rows.sort_by_key(|v| Reverse(usage(v).map(|u| u.size(self.measure)))),
            SortKey::Reclaimable => {
                rows.sort_by_key(|v| Reverse(usage(v).map(|u| u.unique(self.measure))))
            }
            SortKey::Name => rows.sort_by(|a, b| a.folder_name.cmp(&b.folder_name)),
        }
        rows
    }

    /// Index of the selected version among the visible ones (0 when none is chosen).
    pub fn version_index(&self) -> usize {
        let rows = self.visible_versions();
        self.selected_version
            .as_ref()
            .and_then(|p| rows.iter().position(|v| &v.path == p))
            .unwrap_or(0)
    }

    /// The selected version, if the selected device has any.
    pub fn version(&self) -> Option<&Version> {
        self.visible_versions().get(self.version_index()).copied()
    }
}

/// Whether `device` passes the (lowercased) filter: every `owner:NAME` or `@NAME` word must
/// match an owner of one of its versions (substring), and the other words, joined by a space,
/// its name, model, product type or UDID.
fn matches(device: &Device, needle: &str) -> bool {
    let mut text: Vec<&str> = Vec::new();
    for term in needle.split_whitespace() {
        match owners::owner_term(term) {
            Some(want) => {
                let owned = device_owners(device)
                    .iter()
                    .any(|o| o.to_lowercase().contains(want));
                if !owned {
                    return false;
                }
            }
            None => text.push(term),
        }
    }
    text.is_empty() || matches_text(device, &text.join(" "))
}

fn matches_text(device: &Device, needle: &str) -> bool {
    [
        Some(device.display_name()),
        device.model.as_deref(),
        device.product_type.as_deref(),
        Some(device.udid.as_str()),
    ]
    .into_iter()
    .flatten()
    .any(|field| field.to_lowercase().contains(needle))
}
