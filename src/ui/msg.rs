//! The messages [`App::update`](super::App::update) consumes and the effects it asks the run loop
//! to carry out. `App` never does I/O itself: deleting, opening, verifying and rescanning are
//! [`Effect`]s the loop (or the lead's action workers) execute.

use std::path::PathBuf;

use crossterm::event::KeyEvent;
use time::OffsetDateTime;

use super::task::{DeleteRequest, TargetCheck, TaskEvent};
use crate::scan::ScanEvent;

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
    /// A scan worker reported something.
    Scan(ScanEvent),
    /// A scan was started by the run loop (after [`Effect::Rescan`] or at launch).
    ScanStarted,
    /// Rescan now (e.g. an action worker finished deleting).
    Rescan,
    /// A line to show in the footer (e.g. what an action did, or why it could not).
    Status(String),
    /// The delete guards' answer to [`Effect::PlanDelete`], one check per target.
    DeleteChecks(Vec<TargetCheck>),
    /// Progress or a result of a running delete or verify.
    Task(TaskEvent),
    /// A version's path was put on the clipboard (no desktop here): show it and offer a shell.
    Copied(PathBuf),
    /// Leave now (a signal, or the terminal went away).
    Quit,
}

/// Something `App` wants done outside itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Leave the dashboard.
    Quit,
    /// Cancel any running scan and start a new one.
    Rescan,
    /// Reveal this version folder in the file manager.
    Open(PathBuf),
    /// Verify these version folders.
    Verify(Vec<PathBuf>),
    /// Ask the delete guards about these version folders (answered by [`Msg::DeleteChecks`]).
    PlanDelete(Vec<PathBuf>),
    /// Delete these version folders (already confirmed by the user).
    Delete(DeleteRequest),
    /// Stop the running delete or verify.
    CancelTask,
    /// Suspend the dashboard and start the user's shell in this folder; resume when it exits.
    Shell(PathBuf),
}
