//! The two volumes the demo library is shown on: a Mac's internal disk (nearly full, as the
//! ones that hold a 60 GB backup often are) and an external drive holding iMazing's backups.
//! `--demo` reports these instead of the temporary folder's real volume (a tmpfs or the
//! system disk, on which the sparse 300 GB library would read "<1% used"), and the
//! screenshots use the same figures.

use std::path::Path;

use crate::library::volume::SimulatedDisk;

/// The Mac's internal disk: total bytes (a 1 TB SSD as macOS counts it).
pub const MAC_DISK_TOTAL: u64 = 994_662_584_320;
/// The Mac's internal disk: free bytes.
pub const MAC_DISK_FREE: u64 = 48_318_382_080;
/// The external drive: total bytes (a 2 TB drive).
pub const DRIVE_TOTAL: u64 = 2_000_398_934_016;
/// The external drive: free bytes.
pub const DRIVE_FREE: u64 = 1_213_000_000_000;
/// The external drive's folder inside the demo library (as `/Volumes/Backup Drive` on a Mac).
pub const DRIVE_FOLDER: &str = "Volumes/Backup Drive";

/// The demo's volumes for a library written to `dir`: the Mac's disk (shown as `/`) holds
/// everything in `dir` but the drive's folder, which is the external drive.
pub fn simulated_disks(dir: &Path) -> Vec<SimulatedDisk> {
    let drive = dir.join(DRIVE_FOLDER);
    vec![
        SimulatedDisk {
            path: "/".into(),
            holds: dir.to_path_buf(),
            total: MAC_DISK_TOTAL,
            free: MAC_DISK_FREE,
        },
        SimulatedDisk {
            path: drive.clone(),
            holds: drive,
            total: DRIVE_TOTAL,
            free: DRIVE_FREE,
        },
    ]
}
