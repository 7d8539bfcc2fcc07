//! Volumes holding roots: total and free space, bytes used by backups, whether a device's next
//! backup fits.
//!
//! Roots are grouped by the device id (`st_dev`) of their folder; total and free space come
//! from `fs4` (`statvfs` on Unix, `GetDiskFreeSpaceExW` on Windows). On Windows, where stable
//! std has no device id, roots are grouped by their path prefix (drive or share). A volume is
//! named by its mount point from the mount table where there is one (Linux), else by its first
//! root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// One volume that holds at least one root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeUsage {
    /// A path on the volume (its mount point when known, else the first root on it).
    #[serde(flatten, serialize_with = "crate::json_path::path::serialize")]
    pub path: PathBuf,
    /// Total bytes of the volume.
    pub total: u64,
    /// Bytes free for an unprivileged user.
    pub free: u64,
    /// Bytes used by backups on it (every inode once).
    pub backup_bytes: u64,
    /// The roots on this volume.
    #[serde(flatten, serialize_with = "crate::json_path::roots::list")]
    pub roots: Vec<PathBuf>,
}

/// The volumes under `roots`, in the order their first root appears. `per_root_bytes` gives
/// the backup bytes of each root (missing: 0). Roots that cannot be stat'ed are left out.
pub fn volumes_for(roots: &[PathBuf], per_root_bytes: &BTreeMap<PathBuf, u64>) -> Vec<VolumeUsage> {
    let table = super::mounts::current().unwrap_or_default();
    let mut volumes: Vec<(VolumeKey, VolumeUsage)> = Vec::new();
    for root in roots {
        let Some(key) = volume_key(root) else {
            continue;
        };
        let bytes = per_root_bytes.get(root).copied().unwrap_or(0);
        if let Some((_, v)) = volumes.iter_mut().find(|(k, _)| *k == key) {
            if !v.roots.contains(root) {
                v.backup_bytes += bytes;
                v.roots.push(root.clone());
            }
            continue;
        }
        let (Ok(total), Ok(free)) = (fs4::total_space(root), fs4::available_space(root)) else {
            continue;
        };
        volumes.push((
            key,
            VolumeUsage {
                path: super::mounts::mount_point_of(root, &table)
                    .map_or_else(|| root.clone(), Path::to_path_buf),
                total,
                free,
                backup_bytes: bytes,
                roots: vec![root.clone()],
            },
        ));
    }
    volumes.into_iter().map(|(_, v)| v).collect()
}

/// A made-up volume (the demo's Mac disk and external drive): what it is called, the folder
/// whose roots it holds, and its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulatedDisk {
    /// The path the volume is shown as (its mount point).
    pub path: PathBuf,
    /// Roots inside this folder are on this volume (the longest such folder wins).
    pub holds: PathBuf,
    /// Total bytes.
    pub total: u64,
    /// Free bytes.
    pub free: u64,
}

/// The volumes of `roots` on simulated `disks`, in the order of the disks: each root on the
/// disk whose `holds` is the longest prefix of it. Roots on no disk, and disks holding no
/// root, are left out. `per_root_bytes` as for [`volumes_for`].
pub fn simulated_volumes(
    disks: &[SimulatedDisk],
    roots: &[PathBuf],
    per_root_bytes: &BTreeMap<PathBuf, u64>,
) -> Vec<VolumeUsage> {
    let mut volumes: Vec<VolumeUsage> = disks
        .iter()
        .map(|d| VolumeUsage {
            path: d.path.clone(),
            total: d.total,
            free: d.free,
            backup_bytes: 0,
            roots: Vec::new(),
        })
        .collect();
    for root in roots {
        let on = disks
            .iter()
            .enumerate()
            .filter(|(_, d)| root.starts_with(&d.holds))
            .max_by_key(|(_, d)| d.holds.components().count());
        if let Some((i, _)) = on {
            if !volumes[i].roots.contains(root) {
                volumes[i].backup_bytes += per_root_bytes.get(root).copied().unwrap_or(0);
                volumes[i].roots.push(root.clone());
            }
        }
    }
    volumes.retain(|v| !v.roots.is_empty());
    volumes
}

/// Whether a device's next full backup fits, with the figures that say so
/// ([`crate::scan::ScanResults::next_backup`] computes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextBackup {
    /// Bytes of the newest complete version (what a full backup needs).
    pub need: u64,
    /// Free bytes on its volume.
    pub free: u64,
    /// `free >= need`.
    pub fits: bool,
}

/// Advisory: whether a backup the size of the newest complete one fits in `free` bytes. The
/// phone decides for itself (error 105) from a threshold of its own; show this as a warning,
/// never as a promise.
pub fn next_backup_fits(free: u64, newest_complete_bytes: u64) -> bool {
    free >= newest_complete_bytes
}

/// What tells volumes apart.
#[cfg(unix)]
type VolumeKey = u64;
#[cfg(not(unix))]
type VolumeKey = PathBuf;

#[cfg(unix)]
fn volume_key(root: &Path) -> Option<VolumeKey> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(root).ok().map(|m| m.dev())
}

#[cfg(not(unix))]
fn volume_key(root: &Path) -> Option<VolumeKey> {
    std::fs::metadata(root).ok()?;
    root.components()
        .next()
        .map(|c| PathBuf::from(c.as_os_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_backup_fits_is_free_at_least_size() {
        assert!(next_backup_fits(10, 10));
        assert!(!next_backup_fits(9, 10));
        assert!(next_backup_fits(0, 0));
    }

    #[test]
    fn simulated_disks_take_the_roots_under_their_longest_folder() {
        let disk = |path: &str, holds: &str, total| SimulatedDisk {
            path: PathBuf::from(path),
            holds: PathBuf::from(holds),
            total,
            free: total / 2,
        };
        let disks = [
            disk("/", "/demo", 100),
            disk("/demo/Volumes/Drive", "/demo/Volumes/Drive", 200),
            disk("/unused", "/elsewhere", 300),
        ];
        let roots: Vec<PathBuf> = ["/demo/Library/Backup", "/demo/Volumes/Drive/iMazing", "/x"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let bytes = BTreeMap::from([(roots[0].clone(), 5), (roots[1].clone(), 7)]);
        let vols = simulated_volumes(&disks, &roots, &bytes);
        let seen: Vec<(&str, u64, u64, usize)> = vols
            .iter()
            .map(|v| {
                (
                    v.path.to_str().unwrap(),
                    v.total,
                    v.backup_bytes,
                    v.roots.len(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![("/", 100, 5, 1), ("/demo/Volumes/Drive", 200, 7, 1)]
        );
    }

    #[test]
    fn roots_on_one_volume_are_grouped() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        let missing = dir.path().join("missing");
        let bytes = BTreeMap::from([(a.clone(), 5), (b.clone(), 7)]);
        let vols = volumes_for(&[a.clone(), missing, b.clone()], &bytes);
        assert_eq!(vols.len(), 1);
        assert_eq!(
            (vols[0].backup_bytes, vols[0].roots.clone()),
            (12, vec![a, b])
        );
        assert!(vols[0].total >= vols[0].free);
    }
}
