//! Volumes holding roots: total and free space, bytes used by backups, whether a device's next
//! backup fits.

use std::path::PathBuf;

use serde::Serialize;

/// One volume that holds at least one root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
