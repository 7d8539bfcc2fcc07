//! Moving a backup root, or one device's backups in it ([`places`]), to another folder, usually
//! on another drive, and back: one guarded, resumable operation instead of a hand-made `mv`
//! and symlink.
//!
//! [`facts::gather`] reads the facts and [`plan::decide`] refuses what must not start (a backup
//! in progress, a half-done delete, too little space, DEST inside the root or not empty, a
//! root that is a mount point or a link already). [`run::run_move`] then copies
//! ([`copy`]: hard links, holes, links as links, modes and times kept, every file hashed while
//! copied), reads the copy back and compares it with the record ([`tree`]), swaps the root's
//! folder for a link to the copy in one atomic step ([`switch`]), and removes the original
//! only when asked. Every phase is recorded in a [`journal`] first; [`abort`] rolls back.
//! Nothing here prints; progress goes to a callback, cancel is an `AtomicBool`.
//!
//! Unix only (Linux and macOS: the swap needs `RENAME_EXCHANGE`/`RENAME_SWAP`).

mod copy;
pub mod digest;
pub mod facts;
pub mod journal;
pub mod moved;
pub mod places;
pub mod plan;
mod rollback;
pub mod run;
mod sides;
mod switch;
pub mod tree;
pub mod words;
mod workers;

pub use facts::{discover_for, gather, Request};
pub use journal::{Direction, Phase};
pub use plan::{decide, MovePlan, Refusal, RefusalKind};
pub use rollback::abort;
pub use run::{run_move, MoveOptions, MoveOutcome, MoveProgress, MoveStatus, Stage};

use std::path::Path;

/// Why a move stopped midway.
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    /// A file-system step failed, or the copy did not match.
    #[error(transparent)]
    Fs(#[from] crate::library::Error),
    /// The cancel flag was raised.
    #[error("cancelled")]
    Cancelled,
}

impl MoveError {
    /// An I/O error at `path`; `Interrupted` (what the hashing loop returns on cancel) is
    /// [`MoveError::Cancelled`].
    pub fn from_io(path: &Path, e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::Interrupted {
            MoveError::Cancelled
        } else {
            MoveError::Fs(crate::library::Error::io(path, e))
        }
    }
}

#[cfg(test)]
mod run_tests;
