//! The vocabulary between the dashboard and the workers that carry out actions: what a delete
//! asks for ([`DeleteRequest`]), what the guards said about each target ([`TargetCheck`]), and
//! the progress a running delete or verify streams back ([`TaskEvent`]). Plain data, no I/O.

use std::path::PathBuf;

use crate::actions::verify::VerifyReport;

/// A confirmed delete: the targets and what the user allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteRequest {
    /// Version folders, in the order they are deleted.
    pub paths: Vec<PathBuf>,
    /// Remove for good instead of moving to the trash.
    pub permanent: bool,
    /// The paths whose device name the user typed: only these may go although they are the
    /// newest complete backup or a backup in progress (the guards are forced for them alone).
    pub forced: Vec<PathBuf>,
    /// The user confirmed after the warning that iMazing's `Versions.db` may list a snapshot.
    pub confirm_imazing: bool,
}

/// What the delete guards say about one target, before anything is confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// May go; these warnings are shown.
    Allowed {
        /// Sentences to show.
        warnings: Vec<String>,
    },
    /// May go only after typing `name` (newest complete backup, backup in progress).
    NeedsTyping {
        /// Why.
        reason: String,
        /// The device name to type.
        name: String,
    },
    /// May go after confirming this warning (an iMazing snapshot `Versions.db` may list).
    NeedsConfirm {
        /// The warning.
        reason: String,
    },
    /// Never: not a version backtop found, a root, a link, read-only mode...
    Refused {
        /// Why.
        reason: String,
    },
}

impl Verdict {
    /// Display rank in the dialog: what needs typing or confirming first, then warned, then
    /// refused, then plain targets.
    pub fn rank(&self) -> u8 {
        match self {
            Verdict::NeedsTyping { .. } => 0,
            Verdict::NeedsConfirm { .. } => 1,
            Verdict::Allowed { warnings } if !warnings.is_empty() => 2,
            Verdict::Refused { .. } => 3,
            Verdict::Allowed { .. } => 4,
        }
    }

    /// True when the dialog shows a warning or a refusal for it.
    pub fn is_flagged(&self) -> bool {
        self.rank() < 4
    }
}

/// The guards' answer for one target path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetCheck {
    /// The version folder.
    pub path: PathBuf,
    /// What the guards said.
    pub verdict: Verdict,
}

/// The two kinds of background work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    /// Deleting versions (to the trash or for good).
    Delete {
        /// Removing for good.
        permanent: bool,
    },
    /// Verifying versions.
    Verify,
}

/// Progress and results from a worker, in order: `Started`, then per item `Item`, progress,
/// and `Deleted`/`Verified`, then `Finished`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskEvent {
    /// Work on `total` versions began.
    Started {
        /// Delete or verify.
        kind: TaskKind,
        /// Versions to do.
        total: usize,
    },
    /// Now working on this version.
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
    /// One version's delete ended.
    Deleted {
        /// The version.
        path: PathBuf,
        /// It is gone (trashed or removed).
        done: bool,
        /// Bytes freed (permanent deletes; 0 for the trash).
        freed: u64,
        /// What happened, in words.
        message: String,
    },
    /// One version's verify report.
    Verified(VerifyReport),
    /// Every item is done, or the user cancelled.
    Finished {
        /// Cancelled by the user.
        cancelled: bool,
    },
}
