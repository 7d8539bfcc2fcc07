//! The messages [`App::update`](super::App::update) consumes and the effects it asks the run loop
//! to carry out. `App` never does I/O itself: deleting, opening, verifying and rescanning are
//! [`Effect`]s the loop hands to the host, which runs them as background jobs; what the jobs
//! report comes back as [`Msg::Job`].

use std::path::PathBuf;

use crossterm::event::KeyEvent;
use time::OffsetDateTime;

use std::sync::Arc;

use crossbeam_channel::Sender;

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
use crate::tasks::relocate::{InterruptedMove, MoveRequest};
use crate::tasks::{
    DeleteRequest, ExportRequest, JobId, JobMsg, PreviewRequest, Sink, UnlockRequest,
};

/// Something that happened: a key, a mouse event, a resize, a clock tick or a scan result.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key was pressed (release and repeat events are filtered out by the input thread).
    Key(KeyEvent),
    /// Left mouse button pressed at this cell.
    Click {
        /// Column of the cell.
        column: u16,
        /// Row of the cell.
        row: u16,
    },
    /// Mouse wheel turned over this cell.
    Wheel {
        /// Column of the cell.
        column: u16,
        /// Row of the cell.
        row: u16,
        /// True for scrolling down (towards later rows).
        down: bool,
    },
    /// The terminal has this many columns and rows now.
    Resize(u16, u16),
    /// The clock moved on: ages and elapsed times are computed from this instant.
    Tick(OffsetDateTime),
    /// A background job reported something (started, progress, its outcome, a failure).
    Job(JobMsg),
    /// Rescan now (e.g. an action worker finished deleting).
    Rescan,
    /// A line to show in the footer (e.g. what an action did, or why it could not).
    Status(String),
    /// A version's path was put on the clipboard (no desktop here): show it and offer a shell.
    Copied(PathBuf),
    /// Opening a version in the file manager failed (its path was put on the clipboard):
    /// show why, the path, and offer a shell.
    OpenFailed {
        /// The version folder.
        path: PathBuf,
        /// Why it could not be opened.
        why: String,
    },
    /// Moves left unfinished were found at start (sent only when there are some): offer to
    /// resume or roll back.
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    UnfinishedMoves(Vec<InterruptedMove>),
    /// Leave now (a signal, or the terminal went away).
    Quit,
}

/// Something `App` wants done outside itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Leave the dashboard.
    Quit,
    /// Start a scan (a running one is cancelled: the newest scan wins).
    Rescan,
    /// Reveal this version folder in the file manager.
    Open(PathBuf),
    /// Verify these version folders.
    Verify(Vec<PathBuf>),
    /// Ask the delete guards about these version folders (a check job, answered by its
    /// [`Outcome::Checked`](crate::tasks::Outcome::Checked)).
    PlanDelete(Vec<PathBuf>),
    /// Delete these version folders (already confirmed by the user).
    Delete(DeleteRequest),
    /// Cancel this job.
    Cancel(JobId),
    /// Open this version for the browser (a latest-wins job answered by
    /// [`Outcome::Browsed`](crate::tasks::Outcome::Browsed)).
    Browse(PathBuf),
    /// Preview a file in the browser (latest wins).
    Preview(PreviewRequest),
    /// Export from the browser (a job with progress and cancel).
    Export(ExportRequest),
    /// Compare two version folders, old then new (a latest-wins job answered by
    /// [`Outcome::Diffed`](crate::tasks::Outcome::Diffed)).
    Diff(PathBuf, PathBuf),
    /// Find what deleting these versions loses (a latest-wins job answered by
    /// [`Outcome::Lost`](crate::tasks::Outcome::Lost)).
    Loss(Vec<PathBuf>),
    /// Suspend the dashboard and start the user's shell in this folder; resume when it exits.
    Shell(PathBuf),
    /// Unlock an encrypted version with the typed password (a job answered by
    /// [`Outcome::Unlocked`](crate::tasks::Outcome::Unlocked)).
    Unlock(UnlockRequest),
    /// Plan a move (a latest-wins job answered by
    /// [`Outcome::MovePlanned`](crate::tasks::Outcome::MovePlanned)).
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    PlanMove(MoveRequest),
    /// Carry out a move (already confirmed), with progress and cancel.
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    Move(MoveRequest),
    /// Roll back the recorded move of this root or device folder.
    AbortMove(PathBuf),
}

impl Effect {
    /// A word for it in status lines.
    pub fn name(&self) -> &'static str {
        match self {
            Effect::Quit => "quit",
            Effect::Rescan => "rescan",
            Effect::Open(_) => "open",
            Effect::Verify(_) => "verify",
            Effect::PlanDelete(_) | Effect::Delete(_) => "delete",
            Effect::Cancel(_) => "cancel",
            Effect::Browse(_) => "browse",
            Effect::Preview(_) => "preview",
            Effect::Export(_) => "export",
            Effect::Diff(..) => "diff",
            Effect::Loss(_) => "loss",
            Effect::Shell(_) => "shell",
            Effect::Unlock(_) => "unlock",
            #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
            Effect::PlanMove(_) | Effect::Move(_) => "move",
            Effect::AbortMove(_) => "move",
        }
    }
}

/// A job sink that posts into the loop's channel as [`Msg::Job`] (a closed channel is ignored:
/// the dashboard has ended).
pub fn job_sink(messages: Sender<Msg>) -> Sink {
    Arc::new(move |m| {
        let _ = messages.send(Msg::Job(m));
    })
}
