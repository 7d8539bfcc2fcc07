//! Every figure the dashboard derives from several versions' sizes, in one place, computed by
//! `crate::library::usage` (`device_totals`, `library_totals`, `freed_by_deleting`).
//!
//! Rules: totals count each shared inode once; what deleting a set of versions frees is the
//! bytes of inodes whose every link lies inside the set (computed for the set, never summed);
//! "reclaimable" keeps each device's newest complete version (or its newest version when none
//! is complete); "next backup fits" is [`crate::scan::ScanResults::next_backup`], the rule
//! `backtop du` prints.

use std::path::Path;

use super::App;
use crate::library::usage::{self, VersionUsage};
use crate::library::{Device, Version};
use crate::scan::NextBackup;

fn usages<'a>(app: &'a App, versions: impl Iterator<Item = &'a Version>) -> Vec<&'a VersionUsage> {
    versions
        .filter_map(|v| app.results.sized.get(&v.path))
        .collect()
}

/// Size of a device's versions (inodes once); `None` until one is sized.
pub fn device_total(app: &App, device: &Device) -> Option<u64> {
    let u = usages(app, device.versions.iter());
    (!u.is_empty()).then(|| usage::device_totals(&u).bytes)
}

/// The version the reclaimable figure keeps: the newest complete one
/// ([`Device::newest_complete`]), else the newest one.
pub fn kept(device: &Device) -> Option<&Version> {
    device
        .newest_complete()
        .or_else(|| newest(device.versions.iter()))
}

fn newest<'a>(versions: impl Iterator<Item = &'a Version>) -> Option<&'a Version> {
    versions.max_by_key(|v| v.date)
}

fn others(device: &Device) -> impl Iterator<Item = &Version> {
    let keep = kept(device).map(|v| v.path.as_path());
    device
        .versions
        .iter()
        .filter(move |v| Some(v.path.as_path()) != keep)
}

/// What deleting every version of `device` but the kept one frees; `None` until sized.
pub fn device_reclaimable(app: &App, device: &Device) -> Option<u64> {
    let u = usages(app, others(device));
    (!u.is_empty()).then(|| usage::freed_by_deleting(&u))
}

/// Whole library: bytes (inodes once), and what keeping only each device's kept version frees.
pub fn library_totals(app: &App) -> (u64, u64) {
    let all = usages(app, app.all_devices().flat_map(|d| d.versions.iter()));
    let prunable = usages(app, app.all_devices().flat_map(others));
    (
        usage::library_totals(&all).bytes,
        usage::freed_by_deleting(&prunable),
    )
}

/// What deleting these version paths frees; `None` when one of them is not sized yet.
pub fn freed_by_paths(app: &App, paths: &[&Path]) -> Option<u64> {
    let u: Option<Vec<&VersionUsage>> = paths.iter().map(|p| app.results.sized.get(*p)).collect();
    u.map(|u| usage::freed_by_deleting(&u))
}

impl App {
    /// Advisory: whether the device's next full backup fits on its volume, with the figures
    /// (`None` without a sized complete version and its volume). The rule is `du`'s:
    /// [`ScanResults::next_backup`](crate::scan::ScanResults::next_backup).
    pub fn next_backup(&self, device: &Device) -> Option<NextBackup> {
        self.results.next_backup(device)
    }
}
