//! The scan worker: discovery and sizing run on threads and stream [`ScanEvent`]s over a
//! channel, so the dashboard shows figures as they arrive and `du` can print progress.

use std::path::PathBuf;
use std::time::Duration;

use crate::library::usage::VersionUsage;
use crate::library::volume::VolumeUsage;
use crate::library::Library;

/// What the scan worker reports, in order: `Discovered` first, then progress and results per
/// version in any order, `Volumes` once sizes are known, `Finished` last.
#[derive(Debug, Clone)]
pub enum ScanEvent {
    /// Roots looked at, devices and versions found (no sizes yet).
    Discovered(Library),
    /// Sizes from the cache, shown at once while a fresh scan runs.
    Cached {
        /// The version.
        path: PathBuf,
        /// Its cached sizes.
        usage: VersionUsage,
    },
    /// Running totals while a version is walked.
    Progress {
        /// The version.
        path: PathBuf,
        /// Files counted so far.
        files: u64,
        /// Bytes counted so far.
        bytes: u64,
    },
    /// A version's sizes and categories are done.
    Sized {
        /// The version.
        path: PathBuf,
        /// Its sizes.
        usage: VersionUsage,
    },
    /// A version could not be sized at all.
    Failed {
        /// The version.
        path: PathBuf,
        /// Why.
        error: String,
    },
    /// Volume figures, once every version is sized.
    Volumes(Vec<VolumeUsage>),
    /// The scan ended (or was cancelled).
    Finished {
        /// Wall time of the scan.
        elapsed: Duration,
        /// True if it was cancelled.
        cancelled: bool,
    },
}
