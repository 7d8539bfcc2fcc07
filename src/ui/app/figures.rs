//! Every figure the dashboard derives from several versions' sizes, in one place, computed by
//! `crate::library::usage` (`device_totals`, `library_totals`, `freed_by_deleting`).
//!
//! Rules: totals count each shared inode once; what deleting a set of versions frees is the
//! bytes of inodes whose every link lies inside the set (computed for the set, never summed);
//! "reclaimable" keeps each device's newest complete version (or its newest version when none
//! is complete).

use std::path::Path;

use super::App;
use crate::library::usage::{self, VersionUsage};
use crate::library::volume::{self, VolumeUsage};
use crate::library::{Device, Version};

fn usages<'a>(app: &'a App, versions: impl Iterator<Item = &'a Version>) -> Vec<&'a VersionUsage> {
    versions.filter_map(|v| app.usage.get(&v.path)).collect()
}

/// Size of a device's versions (inodes once); `None` until one is sized.
pub fn device_total(app: &App, device: &Device) -> Option<u64> {
    let u = usages(app, device.versions.iter());
    (!u.is_empty()).then(|| usage::device_totals(&u).bytes)
}

/// The version prune keeps: the newest complete one, else the newest one.
pub fn kept(device: &Device) -> Option<&Version> {
    newest(device.versions.iter().filter(|v| v.is_complete()))
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
    let u: Option<Vec<&VersionUsage>> = paths.iter().map(|p| app.usage.get(*p)).collect();
    u.map(|u| usage::freed_by_deleting(&u))
}

/// The volume holding a version's root.
pub fn volume_of<'a>(volumes: &'a [VolumeUsage], version: &Version) -> Option<&'a VolumeUsage> {
    volumes
        .iter()
        .find(|vol| vol.roots.iter().any(|r| r == &version.root))
}

/// Advisory: `Some(false)` when the device's newest complete version is larger than the free
/// space of its volume, so a full next backup would not fit
/// ([`crate::library::volume::next_backup_fits`]). `None` until sizes and volumes are known.
pub fn next_backup_fits(app: &App, device: &Device) -> Option<bool> {
    let newest = kept(device)?;
    let need = app.usage.get(&newest.path)?.bytes;
    let vol = volume_of(&app.volumes, newest)?;
    Some(volume::next_backup_fits(vol.free, need))
}
