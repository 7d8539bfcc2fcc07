//! Deleting one version, crash-safe: guard → marker → trash or permanent removal.
//!
//! [`delete_version`] takes a [`DeletePlanItem`] (made by [`super::guard::check_delete`]) and
//! first looks at the folder again ([`super::recheck`]). A trash delete moves the version to
//! the trash from where it is (one step, no byte progress; refused when the trash is on
//! another disk, see [`super::trash_check`]). A permanent delete moves the version into a
//! hidden, locked marker folder (see [`super::marker`]), then removes it with
//! [`super::remove::remove_tree`] (never following a link; progress counts bytes when a file's
//! last link goes, so hard links shared with other versions free nothing).
//! Cancel before anything was removed puts the version back; cancel or a failure midway leaves
//! the marker with the reason in its note, and [`recover_markers`] finishes it at the next
//! start. Nothing here prints; progress goes to a callback.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use humansize::{format_size, DECIMAL};
use serde::Serialize;

use super::guard::DeletePlanItem;
use super::marker::{self, mark_stopped, DeleteMode, Marker};
use super::recheck::{file_id, recheck};
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
    #[serde(flatten, serialize_with = "crate::json_path::path::serialize")]
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
    #[serde(flatten, serialize_with = "crate::json_path::marker::option")]
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
///
/// Right before acting, the folder is looked at again ([`recheck`]): it must still be the
/// same folder (device and inode), not a link, and not a backup being written now. A
/// permanent delete also checks that what its rename moved is that folder.
pub fn delete_version_with(
    item: &DeletePlanItem,
    mode: DeleteMode,
    cancel: &AtomicBool,
    remover: &mut dyn Remover,
    progress: &mut dyn FnMut(DeleteProgress),
) -> DeleteOutcome {
    let path = item.path.as_path();
    match mode {
        DeleteMode::Trash => match recheck(item) {
            Ok(()) => trash_in_place(path, remover),
            Err(why) => changed(path, &why),
        },
        DeleteMode::Permanent => delete_permanently(item, cancel, remover, progress),
    }
}

fn failed(path: &Path, message: String) -> DeleteOutcome {
    DeleteOutcome::new(path, DeleteStatus::Failed, message)
}

fn changed(path: &Path, why: &str) -> DeleteOutcome {
    failed(
        path,
        format!("nothing was deleted: {why} since it was checked"),
    )
}

fn delete_permanently(
    item: &DeletePlanItem,
    cancel: &AtomicBool,
    remover: &mut dyn Remover,
    progress: &mut dyn FnMut(DeleteProgress),
) -> DeleteOutcome {
    let path = item.path.as_path();
    let Some(total) = count_bytes(path, cancel) else {
        return cancelled_untouched(path);
    };
    // Counting can take a while: the last look comes after it, right before the rename.
    if let Err(why) = recheck(item) {
        return changed(path, &why);
    }
    // The lock on the note is held until this function returns: recovery in another
    // backtop leaves the marker alone meanwhile.
    let (marker, _lock) = match marker::enter_marker_locked(path, DeleteMode::Permanent) {
        Ok(m) => m,
        Err(e) => {
            return failed(
                path,
                format!("nothing was deleted: cannot move it aside ({e})"),
            )
        }
    };
    let moved = std::fs::symlink_metadata(marker.content());
    if moved.ok().and_then(|m| file_id(&m)) != item.identity {
        return put_back_swapped(&marker, path);
    }
    remove_marker(&marker, total, cancel, remover, progress)
}

/// The rename moved another folder than the one checked (swapped in the instant between):
/// put it back untouched. If that fails, the note is removed so that no recovery ever
/// deletes it; it is reported where it waits.
fn put_back_swapped(marker: &Marker, path: &Path) -> DeleteOutcome {
    let why = "it was replaced by another folder";
    match marker::restore(marker) {
        Ok(_) => changed(path, why),
        Err(e) => {
            let _ = std::fs::remove_file(marker.dir.join(marker::MARKER_NOTE));
            let mut out = failed(
                path,
                format!(
                    "nothing was deleted: {why} since it was checked, and it could not be put \
                     back ({e}); it is intact at {}",
                    marker.content().display()
                ),
            );
            out.marker = Some(marker.dir.clone());
            out
        }
    }
}

fn cancelled_untouched(path: &Path) -> DeleteOutcome {
    DeleteOutcome::new(
        path,
        DeleteStatus::Cancelled { restored: true },
        "cancelled; nothing was deleted".into(),
    )
}

/// Moves the version to the trash from where it is (one rename on the same volume, so the
/// Trash's "Put Back" returns it to its real place). Refused when the only usable trash is
/// on another disk (the move would be a full copy).
pub(crate) fn trash_in_place(path: &Path, remover: &mut dyn Remover) -> DeleteOutcome {
    if let Err(why) = remover.trash_problem(path) {
        return failed(path, format!("nothing was deleted: {why}"));
    }
    match remover.trash(path) {
        Ok(()) => DeleteOutcome::new(
            path,
            DeleteStatus::Trashed,
            format!("moved to the trash; {TRASH_NOTE}"),
        ),
        Err(e) => failed(
            path,
            format!("nothing was deleted: the trash refused it ({e}); try --permanent"),
        ),
    }
}

/// Removes the marker's version for good.
pub(crate) fn remove_marker(
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
    let freed = format_size(r.progress.bytes_removed, DECIMAL);
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

pub use super::recovery::{recover_markers, recover_markers_with, MarkerRecovery};
