//! The delete job: what a confirmed delete asks for ([`DeleteRequest`]), the worker that
//! deletes each version in turn with the guards checked again ([`run`]), and what it did
//! ([`DeleteSummary`]). The cancel flag is looked at between versions, and by a permanent
//! delete between files (inside [`delete_version_with`]; the dashboard never raises it for a
//! permanent delete, which cannot be stopped once started: only quitting does, and the marker
//! left behind is finished at the next start). A cancelled trash delete puts back what it
//! moved to the trash ([`TrashBin`]).

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Ctx, Outcome, Progress, THROTTLE};
use crate::actions::delete::{delete_version_with, DeleteStatus};
use crate::actions::guard::{check_delete_in, DeleteOptions, DeletePlanItem};
use crate::actions::marker::DeleteMode;
use crate::actions::remove::Remover;
use crate::actions::trash_bin::TrashBin;
use crate::actions::LibraryIndex;
use crate::library::Library;

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

/// What a delete did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteSummary {
    /// Versions gone (trashed or removed).
    pub gone: usize,
    /// Bytes freed (permanent deletes; 0 for the trash).
    pub freed: u64,
    /// Why each version that stayed did, one sentence each.
    pub failures: Vec<String>,
    /// Stopped early by the user (or at quit).
    pub cancelled: bool,
    /// Versions a cancelled trash delete moved to the trash and put back in their place.
    pub put_back: usize,
}

/// Deletes each version of `request` in turn, the guards checked again with what the user
/// allowed (forced: only the paths in `request.forced`); a trash delete goes into `bin`.
pub fn run(
    ctx: &Ctx,
    request: &DeleteRequest,
    library: &Library,
    read_only: bool,
    bin: &TrashBin,
) -> Outcome {
    run_with(ctx, request, library, read_only, bin.remover().as_mut())
}

/// [`run`] through a [`Remover`] (tests inject a cancel at a chosen moment).
pub fn run_with(
    ctx: &Ctx,
    request: &DeleteRequest,
    library: &Library,
    read_only: bool,
    remover: &mut dyn Remover,
) -> Outcome {
    let mode = DeleteMode::from_permanent(request.permanent);
    let index = LibraryIndex::new(library);
    let mut summary = DeleteSummary::default();
    let mut trashed: Vec<PathBuf> = Vec::new();
    for path in &request.paths {
        if ctx.cancelled() {
            break;
        }
        ctx.progress(Progress::Item { path: path.clone() });
        let opts = DeleteOptions {
            force: request.forced.contains(path),
            confirm_imazing: request.confirm_imazing,
            read_only,
        };
        let (done, freed, message) = match check_delete_in(path, &index, &opts) {
            Ok(item) => delete_one(ctx, &item, mode, remover),
            Err(refusal) => (false, 0, refused(path, &refusal.reason)),
        };
        summary.freed += freed;
        if done {
            summary.gone += 1;
            if mode == DeleteMode::Trash {
                trashed.push(path.clone());
            }
        } else {
            summary.failures.push(message);
        }
        ctx.progress(Progress::ItemDone { freed });
    }
    summary.cancelled = ctx.cancelled();
    if summary.cancelled {
        put_back(&trashed, remover, &mut summary);
    }
    Outcome::Deleted(summary)
}

/// A cancelled trash delete: every version it moved to the trash goes back, newest first.
fn put_back(trashed: &[PathBuf], remover: &mut dyn Remover, summary: &mut DeleteSummary) {
    for path in trashed.iter().rev() {
        match remover.put_back(path) {
            Ok(()) => {
                summary.gone -= 1;
                summary.put_back += 1;
            }
            Err(why) => summary.failures.push(format!(
                "{}: moved to the Trash and not put back: {why}",
                path.display()
            )),
        }
    }
}

fn refused(path: &Path, reason: &str) -> String {
    format!("{}: {reason}", path.display())
}

/// Deletes one version: (gone, bytes freed, what happened).
fn delete_one(
    ctx: &Ctx,
    item: &DeletePlanItem,
    mode: DeleteMode,
    remover: &mut dyn Remover,
) -> (bool, u64, String) {
    let mut last = Instant::now();
    let mut progress = |p: crate::actions::DeleteProgress| {
        if last.elapsed() >= THROTTLE {
            last = Instant::now();
            ctx.progress(Progress::Removed {
                files: p.files_removed,
                bytes: p.bytes_removed,
            });
        }
    };
    let outcome = delete_version_with(item, mode, ctx.cancel_flag(), remover, &mut progress);
    if let DeleteStatus::Cancelled { .. } = outcome.status {
        // Stop before the next version too.
        ctx.cancel_flag()
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
    (outcome.is_done(), outcome.bytes_removed, outcome.message)
}
