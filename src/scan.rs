//! The scan worker: discovery and sizing run on threads and stream [`ScanEvent`]s over a
//! channel, so the dashboard shows figures as they arrive and `du` can print progress.
//!
//! [`start`] takes an already discovered [`Library`] (discovery is the caller's job, so no
//! `Discovered` event is sent by it) and runs one thread that:
//! 1. reads the size cache (a `Note` when it is ignored) and sends `Cached` for every version
//!    whose fingerprint matches;
//! 2. walks the versions that are new or changed (all of them without a usable cache) one
//!    after the other, each split into one task per subfolder on a rayon pool with one thread
//!    per core (at least [`MIN_THREADS`]), sending throttled `Progress`, then `Sized` or
//!    `Failed`;
//! 3. sends `Sized` for each unchanged version, its unique bytes recomputed exactly from the
//!    cached inode lists ([`incremental`]), without walking it;
//! 4. sends `Volumes` (skipped when cancelled), writes the cache (not when nothing in it
//!    changed; the unchanged entries carried over, see [`cache::Carried`]), and sends `Finished`.
//!
//! [`ScanHandle::cancel`] (or dropping the handle) stops the scan within a directory's time.
//! [`run`] is the same scan on the caller's thread, sending to any [`Emit`] (the dashboard's
//! scan job sends straight into its loop).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::Receiver;

use crate::library::unlock::Unlocks;
use crate::library::usage::VersionUsage;
use crate::library::volume::VolumeUsage;
use crate::library::Library;

pub mod cache;
pub mod incremental;
mod results;
mod worker;

pub use results::{NextBackup, ScanResults};
pub use worker::{run, run_unlocked, Emit};

/// The fewest walk threads by default: a stat that waits for the disk (cold caches) or a
/// manifest being read holds its thread, so a 2-core machine walks faster with more requests
/// in flight (measured cold and warm in docs/PERFORMANCE.md; on no HDD or network mount).
pub const MIN_THREADS: usize = 4;

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// The size cache file (`None`: neither read nor written, as with `--no-cache`).
    pub cache: Option<PathBuf>,
    /// Worker threads for the walk; 0 = one per core, and at least [`MIN_THREADS`].
    pub threads: usize,
    /// Made-up volumes reported instead of the real ones (`--demo`); `None`: the real ones.
    pub simulated_disks: Option<Vec<crate::library::volume::SimulatedDisk>>,
}

impl Default for ScanOptions {
    /// The default cache path ([`cache::default_path`]), one thread per core (at least
    /// [`MIN_THREADS`]).
    fn default() -> Self {
        ScanOptions {
            cache: cache::default_path(),
            threads: 0,
            simulated_disks: None,
        }
    }
}

/// A running scan: its events, and the means to stop it.
pub struct ScanHandle {
    /// The events, in the order described on [`ScanEvent`]; the channel closes after
    /// `Finished`.
    pub events: Receiver<ScanEvent>,
    cancel: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ScanHandle {
    /// Asks the scan to stop; it sends `Finished { cancelled: true }` within milliseconds.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Waits for the worker thread to end.
    pub fn join(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for ScanHandle {
    /// A dropped scan is cancelled (its thread ends on its own).
    fn drop(&mut self) {
        self.cancel();
    }
}

/// Starts sizing every version of `library` on a worker thread.
pub fn start(library: Library, options: ScanOptions) -> ScanHandle {
    start_unlocked(library, options, Unlocks::default())
}

/// [`start`], with the encrypted versions a password opened: those are walked and
/// categorized from their decrypted manifests (never from cached figures), and the cache keeps
/// them only as they are without the password.
pub fn start_unlocked(library: Library, options: ScanOptions, unlocks: Unlocks) -> ScanHandle {
    let (tx, events) = crossbeam_channel::unbounded();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let thread = std::thread::Builder::new()
        .name("backtop-scan".into())
        .spawn(move || {
            let send = |event| {
                let _ = tx.send(event);
            };
            worker::run_unlocked(&library, &options, &unlocks, &send, &flag)
        });
    match thread {
        Ok(t) => ScanHandle {
            events,
            cancel,
            thread: Some(t),
        },
        Err(e) => {
            let (tx, events) = crossbeam_channel::unbounded();
            let _ = tx.send(ScanEvent::Failed {
                path: PathBuf::new(),
                error: format!("cannot start the scan thread: {e}"),
            });
            let _ = tx.send(ScanEvent::Finished {
                elapsed: Duration::ZERO,
                cancelled: true,
            });
            ScanHandle {
                events,
                cancel,
                thread: None,
            }
        }
    }
}

/// What the scan worker reports, in order: `Discovered` first (when the worker discovers),
/// a `Note` if the cache was ignored, `Cached` for cache hits, then progress and results per
/// version (every version ends with `Sized` or `Failed`), `Volumes` once sizes are known,
/// `Finished` last.
#[derive(Debug, Clone)]
pub enum ScanEvent {
    /// Roots looked at, devices and versions found (no sizes yet).
    Discovered(Library),
    /// Something the user may want to know that is no version's failure (a size cache that
    /// was damaged, foreign or of another format, and so ignored).
    Note(String),
    /// Sizes from the cache, shown at once while the scan runs: the last scan's figures, with
    /// the hard-linked inodes and link counts it saw (so totals count each inode once), until
    /// `Sized` brings today's.
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
    /// A version's sizes and categories are done: walked, or recomputed exactly from the cache
    /// when the version did not change.
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
