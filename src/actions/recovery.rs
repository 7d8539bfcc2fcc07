//! Finishing, at start-up, the permanent deletes a previous run left half done.
//!
//! A crash, a cancel or a failure midway leaves a marker folder (see [`super::marker`]).
//! [`recover_markers`] acts on a marker only when it can prove it is backtop's own and
//! abandoned ([`why_not_recoverable`]): its note is readable; the note's path is exactly the
//! marker's parent joined with the name in the marker's folder name; (unix) the marker belongs
//! to this user; the process that made it is gone; and no other process holds the note's lock
//! ([`super::marker::try_lock`]). Anything else is reported and left alone.
//!
//! A permanent marker is then removed; a trash marker (left by older versions, which trashed
//! through a marker) is put back in its place (never over something there) and trashed from
//! it, so the Trash records the real place.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::delete::{remove_marker, trash_in_place};
use super::marker::{self, find_markers, try_lock, DeleteMode, Marker};
use super::remove::{Remover, SystemRemover};

/// What happened to one leftover marker at start-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarkerRecovery {
    /// The marker folder.
    #[serde(flatten, serialize_with = "crate::json_path::marker::serialize")]
    pub marker: PathBuf,
    /// Where the version was (the marker's parent joined with the version's name).
    #[serde(flatten, serialize_with = "crate::json_path::original::serialize")]
    pub original: PathBuf,
    /// The marker is gone (its delete was finished or it held nothing).
    pub cleaned: bool,
    /// What was done, in words.
    pub message: String,
}

/// Finishes every delete a previous run left behind in `roots`, or reports why it cannot.
/// Read-only callers use [`marker::find_markers`] instead, which only lists them.
pub fn recover_markers(roots: &[PathBuf]) -> Vec<MarkerRecovery> {
    recover_markers_with(roots, &mut SystemRemover)
}

/// [`recover_markers`] through a [`Remover`].
pub fn recover_markers_with(roots: &[PathBuf], remover: &mut dyn Remover) -> Vec<MarkerRecovery> {
    find_markers(roots)
        .iter()
        .map(|m| recover_one(m, remover))
        .collect()
}

/// Why backtop must leave the marker `m` alone, or `None` when it is backtop's own marker of
/// a delete whose process is gone.
pub fn why_not_recoverable(m: &Marker) -> Option<String> {
    let Some(note) = &m.note else {
        return Some("it has no readable note, so backtop cannot tell it made it".into());
    };
    if note.original_path != m.original_path() {
        return Some(format!(
            "its note names another place ({})",
            note.original_path.display()
        ));
    }
    if let Some(why) = foreign_owner(&m.dir) {
        return Some(why);
    }
    if process_alive(note.pid) {
        return Some(format!(
            "the backtop that started it (pid {}) is still running",
            note.pid
        ));
    }
    None
}

/// (unix) Why the folder is not this user's, if it is not.
#[cfg(unix)]
fn foreign_owner(dir: &std::path::Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let euid = unsafe { libc::geteuid() };
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.uid() == euid => None,
        Ok(m) => Some(format!("it belongs to another user (uid {})", m.uid())),
        Err(e) => Some(format!("cannot look at it ({e})")),
    }
}

/// (non-unix) Ownership is not checked.
#[cfg(not(unix))]
fn foreign_owner(_dir: &std::path::Path) -> Option<String> {
    None
}

/// True unless `pid` certainly names no running process (`kill(pid, 0)` fails with `ESRCH`).
/// A pid that cannot name a single process counts as alive.
#[cfg(unix)]
pub fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 only checks that the process exists; pid > 0 names one process.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// (non-unix) Not checked: the note's lock alone guards a running delete.
#[cfg(not(unix))]
pub fn process_alive(_pid: u32) -> bool {
    false
}

fn recover_one(m: &Marker, remover: &mut dyn Remover) -> MarkerRecovery {
    let original = m.original_path();
    let report = |cleaned: bool, message: String| MarkerRecovery {
        marker: m.dir.clone(),
        original: original.clone(),
        cleaned,
        message,
    };
    let left_alone = |why: String| {
        report(
            false,
            format!("left the half-done delete {} alone: {why}", m.dir.display()),
        )
    };
    if let Some(why) = why_not_recoverable(m) {
        return left_alone(why);
    }
    let _lock = match try_lock(&m.dir) {
        Ok(Some(lock)) => lock,
        Ok(None) => return left_alone("another backtop is deleting it now".into()),
        Err(e) => return left_alone(format!("cannot lock its note ({e})")),
    };
    let content = std::fs::symlink_metadata(m.content());
    let Ok(meta) = content else {
        return match marker::remove_empty_marker(&m.dir) {
            Ok(()) if original.exists() => report(
                true,
                "removed a marker of a delete that never started; the version is untouched".into(),
            ),
            Ok(()) => report(true, "removed the marker of a finished delete".into()),
            Err(e) => report(false, format!("cannot remove the leftover marker: {e}")),
        };
    };
    if !meta.is_dir() {
        return left_alone("what it holds is not a folder".into());
    }
    let mode = m.note.as_ref().map_or(DeleteMode::Permanent, |n| n.mode);
    let out = match mode {
        DeleteMode::Trash => match marker::restore(m) {
            Ok(path) => trash_in_place(&path, remover),
            Err(e) => return left_alone(format!("cannot put it back ({e})")),
        },
        DeleteMode::Permanent => remove_marker(m, 0, &AtomicBool::new(false), remover, &mut |_| {}),
    };
    let cleaned = std::fs::symlink_metadata(&m.dir).is_err();
    let (done, what) = (out.is_done(), original.display());
    let message = if done {
        format!(
            "finished deleting {what} (a delete stopped before it ended): {}",
            out.message
        )
    } else {
        format!(
            "could not finish deleting {what} (a delete stopped before it ended): {}",
            out.message
        )
    };
    report(cleaned, message)
}
