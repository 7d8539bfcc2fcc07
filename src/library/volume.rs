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

use serde::{Deserialize, Serialize};

/// One volume that holds at least one root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeUsage {
    /// A path on the volume (its mount point when known, else the first root on it).
    pub path: PathBuf,
    /// Total bytes of the volume.
    pub total: u64,
    /// Bytes free for an unprivileged user.
    pub free: u64,
    /// Bytes used by backups on it (every inode once).
    pub backup_bytes: u64,
    /// The roots on this volume.
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
