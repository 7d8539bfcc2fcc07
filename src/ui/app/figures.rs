//! Every figure derived from several versions' sizes, in one place so the lead can swap these
//! private helpers for `crate::library::usage`'s (`device_totals`, `freed_by_deleting`).
//!
//! Rules: totals count each shared inode once; what deleting a set of versions frees is the
//! bytes of inodes whose every link lies inside the set (computed for the set, never summed);
//! "reclaimable" keeps each device's newest complete version (or its newest version when none
//! is complete).

use std::collections::HashMap;
use std::path::Path;

use super::App;
use crate::library::usage::VersionUsage;
use crate::library::volume::VolumeUsage;
use crate::library::{Device, Version};

/// Bytes of the given versions with every shared inode counted once.
pub fn total_bytes(usages: &[&VersionUsage]) -> u64 {
    let mut shared: HashMap<(u64, u64), u64> = HashMap::new();
    let mut sum = 0u64;
    for u in usages {
        let linked: u64 = u.shared.iter().map(|s| s.bytes).sum();
        sum += u.bytes.saturating_sub(linked);
        for s in &u.shared {
            shared.insert((s.dev, s.ino), s.bytes);
        }
    }
    sum + shared.values().sum::<u64>()
}

/// What deleting all of `usages` together frees.
pub fn freed_by_deleting(usages: &[&VersionUsage]) -> u64 {
    let unique: u64 = usages.iter().map(|u| u.unique_bytes).sum();
    let mut links: HashMap<(u64, u64), (u64, u64, u64)> = HashMap::new(); // links, nlink, bytes
    for u in usages {
        for s in u.shared.iter().filter(|s| s.links_here < s.nlink) {
            let e = links.entry((s.dev, s.ino)).or_insert((0, s.nlink, s.bytes));
            e.0 += s.links_here;
        }
    }
    let joint: u64 = links
        .values()
        .filter(|(here, nlink, _)| here >= nlink)
        .map(|(_, _, bytes)| bytes)
        .sum();
    unique + joint
}

fn usages<'a>(app: &'a App, versions: impl Iterator<Item = &'a Version>) -> Vec<&'a VersionUsage> {
    versions.filter_map(|v| app.usage.get(&v.path)).collect()
}

/// Size of a device's versions (inodes once); `None` until one is sized.
pub fn device_total(app: &App, device: &Device) -> Option<u64> {
    let u = usages(app, device.versions.iter());
    (!u.is_empty()).then(|| total_bytes(&u))
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
    (!u.is_empty()).then(|| freed_by_deleting(&u))
}

/// Whole library: bytes (inodes once), and what keeping only each device's kept version frees.
pub fn library_totals(app: &App) -> (u64, u64) {
    let all = usages(app, app.all_devices().flat_map(|d| d.versions.iter()));
    let prunable = usages(app, app.all_devices().flat_map(others));
    (total_bytes(&all), freed_by_deleting(&prunable))
}

/// What deleting these version paths frees; `None` when one of them is not sized yet.
pub fn freed_by_paths(app: &App, paths: &[&Path]) -> Option<u64> {
    let u: Option<Vec<&VersionUsage>> = paths.iter().map(|p| app.usage.get(*p)).collect();
    u.map(|u| freed_by_deleting(&u))
}

/// The volume holding a version's root.
pub fn volume_of<'a>(volumes: &'a [VolumeUsage], version: &Version) -> Option<&'a VolumeUsage> {
    volumes
        .iter()
        .find(|vol| vol.roots.iter().any(|r| r == &version.root))
}

/// Advisory: `Some(false)` when the device's newest version is larger than the free space of
/// its volume, so a full next backup would not fit. `None` until sizes and volumes are known.
pub fn next_backup_fits(app: &App, device: &Device) -> Option<bool> {
    let newest = newest(device.versions.iter())?;
    let need = app.usage.get(&newest.path)?.bytes;
    let vol = volume_of(&app.volumes, newest)?;
    Some(vol.free >= need)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::usage::SharedInode;

    fn usage(bytes: u64, unique: u64, shared: &[(u64, u64, u64, u64)]) -> VersionUsage {
        VersionUsage {
            bytes,
            unique_bytes: unique,
            shared: shared
                .iter()
                .map(|&(ino, nlink, links_here, bytes)| SharedInode {
                    dev: 1,
                    ino,
                    nlink,
                    links_here,
                    bytes,
                })
                .collect(),
            ..VersionUsage::default()
        }
    }

    #[test]
    fn two_snapshots_sharing_an_inode_free_it_only_together() {
        let a = usage(150, 50, &[(7, 2, 1, 100)]);
        let b = usage(130, 30, &[(7, 2, 1, 100)]);
        assert_eq!(
            freed_by_deleting(&[&a]),
            50,
            "alone, a frees only its own bytes"
        );
        assert_eq!(
            freed_by_deleting(&[&a, &b]),
            180,
            "together they free the shared inode too"
        );
        assert_eq!(
            total_bytes(&[&a, &b]),
            180,
            "the shared inode is counted once"
        );
    }
}
