//! Deleting one version, crash-safe: guard → marker → trash or permanent removal.
//!
//! [`delete_version`] takes a [`DeletePlanItem`] (made by [`super::guard::check_delete`]),
//! moves the version into a hidden marker folder (see [`super::marker`]), then moves it to the
//! trash or removes it with [`super::remove::remove_tree`] (never following a link; progress
//! counts bytes when a file's last link goes, so hard links shared with other versions free
//! nothing). A trash move is one step and reports no byte progress.
//! Cancel before anything was removed puts the version back; cancel or a failure midway leaves
//! the marker with the reason in its note, and [`recover_markers`] finishes it at the next
//! start. Nothing here prints; progress goes to a callback.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use humansize::{format_size, BINARY};
use serde::Serialize;

use super::guard::DeletePlanItem;
use super::marker::{self, mark_stopped, DeleteMode, Marker};
use super::remove::{count_bytes, remove_tree, DeleteProgress, Remover, SystemRemover};

/// The text shown with every trash result.
pub const TRASH_NOTE: &str = "trashed data still uses the volume until the Trash is emptied";

/// How a delete ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteStatus {
    /// Moved to the system trash.
    Trashed,
    /// Removed for good.
    Removed,
    /// Cancelled; `restored` when nothing had been removed and the version is back in place.
    Cancelled {
        /// The version is back where it was, untouched.
        restored: bool,
    },
    /// Some entries could not be removed; the rest is gone and the marker stays.
    Incomplete,
    /// Nothing was deleted.
    Failed,
}

/// The result of deleting one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeleteOutcome {
    /// The version's path before the delete.
    pub path: PathBuf,
    /// How it ended.
    pub status: DeleteStatus,
    /// Files and links unlinked (permanent deletes).
    pub files_removed: u64,
    /// Apparent bytes of the files unlinked (permanent deletes).
    pub bytes_removed: u64,
    /// Errors met (the first few).
    pub errors: Vec<String>,
    /// How many errors there were.
    pub error_count: u64,
    /// The marker folder, when it was left behind.
    pub marker: Option<PathBuf>,
    /// One or two sentences for people.
    pub message: String,
}

impl DeleteOutcome {
    fn new(path: &Path, status: DeleteStatus, message: String) -> Self {
        DeleteOutcome {
            path: path.to_path_buf(),
            status,
            files_removed: 0,
            bytes_removed: 0,
            errors: Vec::new(),
            error_count: 0,
            marker: None,
            message,
        }
    }

    /// True when the version is gone (trashed or removed).
    pub fn is_done(&self) -> bool {
        matches!(self.status, DeleteStatus::Trashed | DeleteStatus::Removed)
    }
}

/// Deletes the version of `item` with the real file system and trash.
pub fn delete_version(
    item: &DeletePlanItem,
    mode: DeleteMode,
    cancel: &AtomicBool,
    mut progress: impl FnMut(DeleteProgress),
) -> DeleteOutcome {
    delete_version_with(item, mode, cancel, &mut SystemRemover, &mut progress)
}

/// [`delete_version`] through a [`Remover`] (the seam tests use to inject failures).
pub fn delete_version_with(
    item: &DeletePlanItem,
    mode: DeleteMode,
    cancel: &AtomicBool,
    remover: &mut dyn Remover,
    progress: &mut dyn FnMut(DeleteProgress),
) -> DeleteOutcome {
    let path = item.path.as_path();
    let total = match mode {
        DeleteMode::Trash => 0,
        DeleteMode::Permanent => match count_bytes(path, cancel) {
            Some(t) => t,
            None => return cancelled_untouched(path),
        },
    };
    let marker = match marker::enter_marker(path, mode) {
        Ok(m) => m,
        Err(e) => {
            return DeleteOutcome::new(
                path,
                DeleteStatus::Failed,
                format!("nothing was deleted: cannot move it aside ({e})"),
            )
        }
    };
    match mode {
        DeleteMode::Trash => trash_marker(&marker, remover),
        DeleteMode::Permanent => remove_marker(&marker, total, cancel, remover, progress),
    }
}

fn cancelled_untouched(path: &Path) -> DeleteOutcome {
    DeleteOutcome::new(
        path,
        DeleteStatus::Cancelled { restored: true },
        "cancelled; nothing was deleted".into(),
    )
}

/// Moves the marker's version to the trash; on failure puts it back.
fn trash_marker(marker: &Marker, remover: &mut dyn Remover) -> DeleteOutcome {
    let original = marker.original_path();
    match remover.trash(&marker.content()) {
        Ok(()) => {
            let mut out = DeleteOutcome::new(
                &original,
                DeleteStatus::Trashed,
                format!("moved to the trash; {TRASH_NOTE}"),
            );
            if let Err(e) = marker::remove_empty_marker(&marker.dir) {
                out.marker = Some(marker.dir.clone());
                out.errors.push(e.to_string());
                out.error_count = 1;
            }
            out
        }
        Err(e) => match marker::restore(marker) {
            Ok(_) => DeleteOutcome::new(
                &original,
                DeleteStatus::Failed,
                format!("nothing was deleted: the trash refused it ({e}); try --permanent"),
            ),
            Err(back) => {
                mark_stopped(marker, &format!("trash failed: {e}"));
                let mut out = DeleteOutcome::new(
                    &original,
                    DeleteStatus::Failed,
                    format!(
                        "the trash refused it ({e}) and it could not be put back ({back}); \
                         it is intact at {}",
                        marker.content().display()
                    ),
                );
                out.marker = Some(marker.dir.clone());
                out
            }
        },
    }
}

/// Removes the marker's version for good.
fn remove_marker(
    marker: &Marker,
    total: u64,
    cancel: &AtomicBool,
    remover: &mut dyn Remover,
    progress: &mut dyn FnMut(DeleteProgress),
) -> DeleteOutcome {
    let original = marker.original_path();
    let r = remove_tree(&marker.content(), total, cancel, remover, progress);
    let untouched = r.progress.files_removed == 0 && r.dirs_removed == 0 && r.error_count == 0;
    if r.cancelled && untouched && marker::restore(marker).is_ok() {
        return cancelled_untouched(&original);
    }
    let freed = format_size(r.progress.bytes_removed, BINARY);
    let (status, message) = if r.cancelled {
        let m = format!(
            "cancelled after removing {} files ({freed}); the rest waits in {} and backtop \
             finishes deleting it at its next start",
            r.progress.files_removed,
            marker.dir.display()
        );
        (DeleteStatus::Cancelled { restored: false }, m)
    } else if r.error_count > 0 {
        let m = format!(
            "{} entries could not be removed (first: {}); the rest ({} files, {freed}) is \
             gone; what is left stays in {}",
            r.error_count,
            r.errors.first().map(String::as_str).unwrap_or("?"),
            r.progress.files_removed,
            marker.dir.display()
        );
        (DeleteStatus::Incomplete, m)
    } else {
        let m = format!("removed {} files ({freed})", r.progress.files_removed);
        (DeleteStatus::Removed, m)
    };
    let mut out = DeleteOutcome::new(&original, status, message);
    out.files_removed = r.progress.files_removed;
    out.bytes_removed = r.progress.bytes_removed;
    out.errors = r.errors;
    out.error_count = r.error_count;
    if status == DeleteStatus::Removed {
        if let Err(e) = marker::remove_empty_marker(&marker.dir) {
            out.errors.push(e.to_string());
            out.error_count += 1;
            out.marker = Some(marker.dir.clone());
        }
    } else {
        mark_stopped(marker, &out.message);
        out.marker = Some(marker.dir.clone());
    }
    out
}

/// What happened to one leftover marker at start-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarkerRecovery {
    /// The marker folder.
    pub marker: PathBuf,
    /// Where the version was.
    pub original: PathBuf,
    /// The marker is gone (its delete was finished or it held nothing).
    pub cleaned: bool,
    /// What was done, in words.
    pub message: String,
}

/// Finishes every delete a previous run left behind in `roots` (a crash, a cancel or a
/// failure midway), or reports why it cannot. Read-only callers use
/// [`marker::find_markers`] instead, which only lists them.
pub fn recover_markers(roots: &[PathBuf]) -> Vec<MarkerRecovery> {
    recover_markers_with(roots, &mut SystemRemover)
}

/// [`recover_markers`] through a [`Remover`].
pub fn recover_markers_with(roots: &[PathBuf], remover: &mut dyn Remover) -> Vec<MarkerRecovery> {
    marker::find_markers(roots)
        .iter()
        .map(|m| recover_one(m, remover))
        .collect()
}

fn recover_one(m: &Marker, remover: &mut dyn Remover) -> MarkerRecovery {
    let original = m.original_path();
    let report = |cleaned: bool, message: String| MarkerRecovery {
        marker: m.dir.clone(),
        original: original.clone(),
        cleaned,
        message,
    };
    if std::fs::symlink_metadata(m.content()).is_err() {
        return match marker::remove_empty_marker(&m.dir) {
            Ok(()) if original.exists() => report(
                true,
                "removed a marker of a delete that never started; the version is untouched".into(),
            ),
            Ok(()) => report(true, "removed the marker of a finished delete".into()),
            Err(e) => report(false, format!("cannot remove the leftover marker: {e}")),
        };
    }
    let mode = m.note.as_ref().map_or(DeleteMode::Permanent, |n| n.mode);
    let never = AtomicBool::new(false);
    let out = match mode {
        DeleteMode::Trash => trash_marker(m, remover),
        DeleteMode::Permanent => remove_marker(m, 0, &never, remover, &mut |_| {}),
    };
    let cleaned = out.is_done() && out.marker.is_none();
    let message = if out.is_done() {
        format!("finished an interrupted delete: {}", out.message)
    } else {
        format!("could not finish an interrupted delete: {}", out.message)
    };
    report(cleaned, message)
}
