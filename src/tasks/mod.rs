//! Background jobs: one protocol for every piece of slow work the dashboard starts (a scan,
//! the delete guards' checks, a delete, a verify; later loading a folder or a preview).
//!
//! A job has a [`JobKind`], streams [`Progress`], ends with one typed [`Outcome`] (or
//! [`JobEvent::Failed`] when its worker panicked) and can be cancelled. The [`Jobs`] registry
//! runs each job on its own thread and delivers its [`JobMsg`]s through one [`Sink`] straight
//! into the dashboard's message channel: one hop from the worker to the loop.
//!
//! Several jobs can run at once. A kind that is redone as the cursor moves or the user asks
//! again ([`JobKind::latest_wins`]: scans, checks) keeps only its newest job: starting one
//! cancels the one before without waiting for it (nothing is ever joined on the UI thread),
//! and the receiver drops what the superseded job still sends ([`Latest`]). Ids grow, so
//! "newest" is simply "largest id".
//!
//! The workers themselves are here too, one file per kind ([`delete`], [`verify`], [`scan`],
//! [`checks`]): they call `actions/` and `scan/` and translate their callbacks into progress.
//! Nothing here knows the terminal.

pub mod browse;
pub mod checks;
pub mod delete;
pub mod diff;
pub mod loss;
pub mod panic;
mod registry;
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub mod relocate;
pub mod scan;
pub mod unlock;
pub mod verify;

use std::path::PathBuf;
use std::time::Duration;

pub use browse::{ExportProgress, ExportRequest, PreviewRequest};
pub use checks::{check_all, TargetCheck, Verdict};
pub use delete::{DeleteRequest, DeleteSummary};
pub use registry::{Ctx, Jobs, Sink};
pub use unlock::{Keyring, UnlockOutcome, UnlockRequest, UnlockResult};

use crate::actions::export::ExportSummary;
use crate::actions::verify::VerifyReport;
use crate::library::browse::{Browsed, Preview};
use crate::library::diff::{Diff, Loss};
use crate::library::manifest::NodeId;
use crate::scan::ScanEvent;

/// Shortest time between two progress messages of a worker that reports per file or row.
pub const THROTTLE: Duration = Duration::from_millis(50);

/// A job's identity: given by [`Jobs`] in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobId(pub u64);

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Discover the library again and size it.
    Scan,
    /// Ask the delete guards about the versions a dialog is about to delete.
    Check,
    /// Delete versions (to the trash or for good).
    Delete {
        /// Removing for good.
        permanent: bool,
    },
    /// Verify versions.
    Verify,
    /// Open a version for the browser (its tree and grouping).
    Browse,
    /// Preview a file in the browser.
    Preview,
    /// Export files from the browser.
    Export,
    /// Compare a version with the one before it (`=`).
    Diff,
    /// Unlock an encrypted version with a password (and its siblings the password opens).
    Unlock,
    /// Plan a move (`M`): the dry run.
    MovePlan,
    /// Carry out a move, or roll one back.
    Move,
    /// Find the files only the versions a delete or prune dialog would delete hold.
    Loss,
}

impl JobKind {
    /// True when only the newest job of this kind counts: starting one cancels the last.
    pub fn latest_wins(self) -> bool {
        matches!(
            self,
            JobKind::Scan
                | JobKind::Check
                | JobKind::Browse
                | JobKind::Preview
                | JobKind::Diff
                | JobKind::MovePlan
                | JobKind::Loss
        )
    }

    /// The word for it in status lines.
    pub fn label(self) -> &'static str {
        match self {
            JobKind::Scan => "scan",
            JobKind::Check => "checking",
            JobKind::Delete { .. } => "delete",
            JobKind::Verify => "verify",
            JobKind::Browse => "opening",
            JobKind::Preview => "preview",
            JobKind::Export => "export",
            JobKind::Diff => "diff",
            JobKind::Unlock => "unlocking",
            JobKind::MovePlan => "planning the move",
            JobKind::Move => "move",
            JobKind::Loss => "looking",
        }
    }
}

/// One message from a job, as the dashboard receives it.
#[derive(Debug, Clone)]
pub struct JobMsg {
    /// Which job.
    pub id: JobId,
    /// Its kind.
    pub kind: JobKind,
    /// What happened.
    pub event: JobEvent,
}

/// What a job reports, in order: `Started`, any number of `Progress`, then `Done` or `Failed`.
#[derive(Debug, Clone)]
pub enum JobEvent {
    /// The job was started with this many items of work (versions; 0 when not counted).
    Started {
        /// Items to do.
        total: usize,
    },
    /// Something happened along the way.
    Progress(Progress),
    /// The job ended (cancelled or not: the outcome says).
    Done(Outcome),
    /// The worker panicked; the text says where and why.
    Failed(String),
}

/// Progress of a running job.
#[derive(Debug, Clone)]
pub enum Progress {
    /// A scan event (discovered, cached, per-version progress and sizes, volumes).
    Scan(ScanEvent),
    /// Now working on this version (delete, verify).
    Item {
        /// The version.
        path: PathBuf,
    },
    /// A permanent delete removed this much of the current version so far.
    Removed {
        /// Files unlinked.
        files: u64,
        /// Bytes freed.
        bytes: u64,
    },
    /// Verify checked this many manifest rows of the current version.
    Checked {
        /// Rows checked.
        rows: u64,
        /// Rows in all.
        total: u64,
    },
    /// An export's files and bytes so far.
    Export(ExportProgress),
    /// A move's stage, entries and bytes, and how long the stage has run.
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    Move {
        /// Where it is.
        progress: crate::actions::relocate::MoveProgress,
        /// Time in this stage so far.
        elapsed: Duration,
    },
    /// The current version is finished.
    ItemDone {
        /// Bytes it freed (permanent deletes; 0 otherwise).
        freed: u64,
    },
}

/// How a job ended, typed by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A scan ended.
    Scanned {
        /// Wall time.
        elapsed: Duration,
        /// It was cancelled (superseded or quit).
        cancelled: bool,
    },
    /// The guards' verdicts, one per asked path.
    Checked(Vec<TargetCheck>),
    /// A delete ended.
    Deleted(DeleteSummary),
    /// A verify ended.
    Verified {
        /// One report per version verified.
        reports: Vec<VerifyReport>,
        /// Stopped early by the user.
        cancelled: bool,
    },
    /// A version was opened for the browser.
    Browsed {
        /// The version folder.
        version: PathBuf,
        /// Its tree, or why not.
        browsed: Browsed,
    },
    /// A file of an opened version was previewed.
    Previewed {
        /// The version folder.
        version: PathBuf,
        /// The file's node.
        node: NodeId,
        /// What it holds.
        preview: Preview,
    },
    /// An export ended (cancelled or not: the summary says), with its wall time; or it could
    /// not start, and why.
    Exported(Result<(ExportSummary, Duration), String>),
    /// Two versions were compared (`=`), or why not.
    Diffed {
        /// The older version's folder.
        old: PathBuf,
        /// The newer version's folder.
        new: PathBuf,
        /// What changed, or why they could not be compared.
        diff: Result<Box<Diff>, String>,
    },
    /// An unlock ended.
    Unlocked(UnlockOutcome),
    /// A move was planned (or refused, or needs DEST).
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    MovePlanned(Box<relocate::PlanAnswer>),
    /// A move or a rollback ended (its status says how), or was refused or failed to start.
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    Moved(Box<relocate::MoveEnd>),
    /// What deleting these versions loses (in the order asked).
    Lost {
        /// The version folders to be deleted.
        paths: Vec<PathBuf>,
        /// The files only they hold.
        loss: Box<Loss>,
    },
}

impl JobMsg {
    /// A message of job `id` of `kind`.
    pub fn new(id: JobId, kind: JobKind, event: JobEvent) -> Self {
        JobMsg { id, kind, event }
    }
}

/// The receiving side of "latest wins": admits messages of the newest job seen so far and
/// drops those of older ones (superseded jobs that had not noticed their cancel yet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Latest {
    newest: Option<JobId>,
}

impl Latest {
    /// True when a message of job `id` counts (it is the newest job seen, or newer).
    pub fn admit(&mut self, id: JobId) -> bool {
        if self.newest.is_some_and(|n| id < n) {
            return false;
        }
        self.newest = Some(id);
        true
    }

    /// The newest job seen.
    pub fn newest(&self) -> Option<JobId> {
        self.newest
    }
}

#[cfg(test)]
mod tests;
