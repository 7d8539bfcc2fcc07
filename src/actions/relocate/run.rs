//! Carrying out a [`MovePlan`]: copy, verify, switch, remove the original when asked; and
//! rolling a move back. Each phase is recorded in the journal ([`super::journal`]) once its
//! effects are on disk, so a run that stops anywhere leaves either the original in place and
//! intact, or the verified copy in place with the original kept; running the same move again
//! resumes it after its last recorded phase, and [`abort`] rolls it back.
//!
//! The switch, away: a link to DEST is made in the journal's `original` slot and swapped with
//! the root's folder in one step; the slot then holds the original. Back: the copy was made in
//! the `copy` slot and is swapped with the root's link; the slot then holds the link, which is
//! removed. Right before the swap the source is walked again and compared with the record the
//! copy made (names, sizes, modes, times): a backup written meanwhile sends the move back to
//! copying instead of being lost.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use humansize::{format_size, DECIMAL};
use serde::Serialize;

use super::copy::copy_tree;
use super::journal::{Direction, Journal, JournalLock, MoveNote, Phase};
use super::plan::MovePlan;
use super::switch::{exchange, make_link, sync_dir, sync_volume};
use super::tree::{compare, read_tree, Counts, Tree};
use super::MoveError;
use crate::actions::remove::{remove_tree, SystemRemover};
use crate::library::Error;

/// What the caller asks beyond the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MoveOptions {
    /// Remove what the root's path named before, once the switch is done (permanently: a
    /// trashed copy would keep the space used).
    pub remove_original: bool,
    /// Stop right after recording this phase, as a crash would (fault injection for tests).
    pub stop_after: Option<Phase>,
}

/// What a move is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Copying files.
    Copying,
    /// Reading the copy back.
    Verifying,
    /// Checking the source once more and swapping.
    Switching,
    /// Removing the original (or, in a rollback, the copy).
    Removing,
}

/// Progress of a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MoveProgress {
    /// What it is doing.
    pub stage: Stage,
    /// Entries and bytes done in this stage.
    pub done: Counts,
    /// What the stage counts to.
    pub total: Counts,
}

/// How a move (or a rollback) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveStatus {
    /// Switched, and the original removed.
    Done,
    /// Switched; the original is kept (see [`MoveOutcome::kept`]).
    Kept,
    /// Rolled back: the root is as before the move, the copy removed.
    RolledBack,
    /// Stopped on purpose after a phase (`BACKTOP_FAULT_AFTER`).
    Stopped,
    /// Cancelled; the journal stays: run the move again to resume, or roll it back.
    Cancelled,
    /// Failed; the journal says how far it got.
    Failed,
}

/// The result of a move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoveOutcome {
    /// How it ended.
    pub status: MoveStatus,
    /// The root's path.
    #[serde(flatten, serialize_with = "crate::json_path::root::serialize")]
    pub root: PathBuf,
    /// The far folder.
    #[serde(flatten, serialize_with = "crate::json_path::far::serialize")]
    pub far: PathBuf,
    /// The last phase recorded (`None` once the journal is gone).
    pub phase: Option<Phase>,
    /// Where the original waits, when kept.
    #[serde(flatten, serialize_with = "crate::json_path::kept::option")]
    pub kept: Option<PathBuf>,
    /// One or two sentences for people.
    pub message: String,
}

/// The total of each stage, from the plan.
fn totals(plan: &MovePlan) -> Counts {
    Counts {
        entries: plan.survey.entries(),
        bytes: plan.survey.apparent_bytes,
    }
}

/// Carries out `plan` (resuming it when the plan says so).
pub fn run_move(
    plan: &MovePlan,
    opts: &MoveOptions,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(MoveProgress),
) -> MoveOutcome {
    let mut journal = None;
    let result = run_phases(plan, opts, cancel, progress, &mut journal);
    let outcome = |status, phase, message: String| MoveOutcome {
        status,
        root: plan.root.clone(),
        far: plan.far.clone(),
        phase,
        kept: None,
        message,
    };
    match result {
        Ok(out) => out,
        Err(e) => {
            let (status, why) = match &e {
                MoveError::Cancelled => (MoveStatus::Cancelled, "cancelled".to_string()),
                other => (MoveStatus::Failed, other.to_string()),
            };
            let phase = journal.as_mut().map(|j: &mut Journal| {
                j.mark_stopped(&why);
                j.note.phase
            });
            let next = "the original is in place; run the same move again to resume it, or \
                        with --abort to roll it back";
            let next = if phase >= Some(Phase::Switched) {
                "the move is done and the original kept; run the same move again to remove it"
            } else {
                next
            };
            outcome(status, phase, format!("{why}; {next}"))
        }
    }
}

fn run_phases(
    plan: &MovePlan,
    opts: &MoveOptions,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(MoveProgress),
    slot: &mut Option<Journal>,
) -> Result<MoveOutcome, MoveError> {
    let (journal, _lock) = open_journal(plan)?;
    let j = slot.insert(journal);
    let stopped = |j: &Journal| MoveOutcome {
        status: MoveStatus::Stopped,
        root: plan.root.clone(),
        far: plan.far.clone(),
        phase: Some(j.note.phase),
        kept: None,
        message: format!(
            "stopped after {} on purpose (BACKTOP_FAULT_AFTER)",
            j.note.phase.as_str()
        ),
    };
    let total = totals(plan);
    if plan.resume.is_none() && opts.stop_after == Some(Phase::Copying) {
        return Ok(stopped(j));
    }
    // The source's record, once made (or read back from the journal when resuming later).
    let mut record: Option<Tree> = None;
    if j.note.phase == Phase::Copying {
        let target = copy_target(j);
        // A copy cut short is resumed, unless the verify pass found it wrong.
        let resume = plan.resume == Some(Phase::Copying) && !j.note.recopy;
        if resume {
            std::fs::create_dir_all(&target).map_err(|e| Error::io(&target, e))?;
        } else {
            clear_target(j, &target)?;
        }
        let source = copy_source(j);
        let tree = copy_tree(&source, &target, resume, cancel, &mut |done| {
            progress(MoveProgress {
                stage: Stage::Copying,
                done,
                total,
            })
        })?;
        sync_volume(&target)?;
        j.save_record(&tree)?;
        j.note.recopy = false;
        j.set_phase(Phase::Copied)?;
        record = Some(tree);
        if opts.stop_after == Some(Phase::Copied) {
            return Ok(stopped(j));
        }
    }
    if j.note.phase == Phase::Copied {
        let saved = match record.take() {
            Some(tree) => tree,
            None => j.load_record()?,
        };
        let copy = read_tree(&copy_target(j), true, cancel, &mut |done| {
            progress(MoveProgress {
                stage: Stage::Verifying,
                done,
                total,
            })
        })?;
        let diff = compare(&saved, &copy, true);
        if !diff.is_empty() {
            // The next run copies everything again rather than trusting any of this copy.
            j.note.recopy = true;
            j.set_phase(Phase::Copying)?;
            return Err(mismatch(
                &copy_target(j),
                "the copy",
                &diff.first,
                diff.count,
            ));
        }
        j.set_phase(Phase::Verified)?;
        record = Some(saved);
        if opts.stop_after == Some(Phase::Verified) {
            return Ok(stopped(j));
        }
    }
    if j.note.phase == Phase::Verified {
        progress(MoveProgress {
            stage: Stage::Switching,
            done: Counts::default(),
            total,
        });
        switch(j, record.take(), cancel)?;
        j.set_phase(Phase::Switched)?;
        if opts.stop_after == Some(Phase::Switched) {
            return Ok(stopped(j));
        }
    }
    let leftover = leftover(j);
    if !opts.remove_original && j.note.phase == Phase::Switched {
        return Ok(MoveOutcome {
            status: MoveStatus::Kept,
            root: plan.root.clone(),
            far: plan.far.clone(),
            phase: Some(Phase::Switched),
            kept: Some(leftover.clone()),
            message: format!(
                "{}; the original is kept at {} (run the same move with --yes to remove it)",
                switched_words(j),
                leftover.display()
            ),
        });
    }
    j.set_phase(Phase::Removing)?;
    let removed = remove_folder(&leftover, cancel, progress)?;
    let note = j.clone();
    j.remove()?;
    *slot = None;
    Ok(MoveOutcome {
        status: MoveStatus::Done,
        root: plan.root.clone(),
        far: plan.far.clone(),
        phase: None,
        kept: None,
        message: format!(
            "{}; the original was removed permanently ({} files, {} apparent)",
            switched_words(&note),
            removed.files_removed,
            format_size(removed.bytes_removed, DECIMAL)
        ),
    })
}

/// What the switch did, in words.
fn switched_words(j: &Journal) -> String {
    let (root, far) = (j.note.root.display(), j.note.far.display());
    match j.note.direction {
        Direction::Away => format!("moved: {root} now points to {far}"),
        Direction::Back => format!("moved back: {root} is a folder again, copied from {far}"),
    }
}

/// The journal of a new move (created) or of the one resumed (found), locked.
fn open_journal(plan: &MovePlan) -> Result<(Journal, JournalLock), MoveError> {
    if plan.resume.is_none() {
        let note = MoveNote {
            direction: plan.direction,
            root: plan.root.clone(),
            far: plan.far.clone(),
            phase: Phase::Copying,
            made_far: plan.makes_far,
            recopy: false,
            started: time::OffsetDateTime::now_utc().unix_timestamp(),
            pid: std::process::id(),
            stopped: None,
        };
        return Ok(Journal::create(note)?);
    }
    let journal = Journal::find(&plan.root)?
        .ok_or_else(|| Error::invalid(&plan.root, "its move journal is gone"))?;
    let lock = journal
        .lock()?
        .ok_or_else(|| Error::invalid(&journal.dir, "another backtop is moving it now"))?;
    Ok((journal, lock))
}

/// Where the copy is made: DEST (away) or the journal's `copy` slot (back).
fn copy_target(j: &Journal) -> PathBuf {
    match j.note.direction {
        Direction::Away => j.note.far.clone(),
        Direction::Back => j.slot("copy"),
    }
}

/// What is copied: the root's folder (away) or the far folder (back).
fn copy_source(j: &Journal) -> PathBuf {
    match j.note.direction {
        Direction::Away => j.note.root.clone(),
        Direction::Back => j.note.far.clone(),
    }
}

/// What waits to be removed after the switch: the original folder in the `original` slot
/// (away) or the far folder (back).
fn leftover(j: &Journal) -> PathBuf {
    match j.note.direction {
        Direction::Away => j.slot("original"),
        Direction::Back => j.note.far.clone(),
    }
}

/// Makes the copy target an empty folder, removing what a cut-short copy left there. Only
/// backtop writes there: DEST was new or empty when the move began.
fn clear_target(j: &Journal, target: &Path) -> Result<(), MoveError> {
    let whole = j.note.direction == Direction::Back || j.note.made_far;
    if std::fs::symlink_metadata(target).is_ok() {
        if whole {
            remove_quietly(target)?;
        } else {
            let entries = std::fs::read_dir(target).map_err(|e| Error::io(target, e))?;
            for entry in entries {
                let entry = entry.map_err(|e| Error::io(target, e))?;
                remove_quietly(&entry.path())?;
            }
        }
    }
    if std::fs::symlink_metadata(target).is_err() {
        std::fs::create_dir_all(target).map_err(|e| Error::io(target, e))?;
    }
    Ok(())
}

/// Removes a folder, file or link for good, never following a link; errors if anything stays.
fn remove_quietly(path: &Path) -> Result<(), MoveError> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_dir() {
        return Ok(std::fs::remove_file(path).map_err(|e| Error::io(path, e))?);
    }
    let never = AtomicBool::new(false);
    let r = remove_tree(path, 0, &never, &mut SystemRemover, &mut |_| {});
    match r.errors.first() {
        Some(first) => Err(Error::invalid(path, format!("could not be removed: {first}")).into()),
        None => Ok(()),
    }
}

/// Removes `dir` for good with progress; returns what was removed.
fn remove_folder(
    dir: &Path,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(MoveProgress),
) -> Result<crate::actions::remove::DeleteProgress, MoveError> {
    let r = remove_tree(dir, 0, cancel, &mut SystemRemover, &mut |p| {
        progress(MoveProgress {
            stage: Stage::Removing,
            done: Counts {
                entries: p.files_removed,
                bytes: p.bytes_removed,
            },
            total: Counts::default(),
        })
    });
    if r.cancelled {
        return Err(MoveError::Cancelled);
    }
    if let Some(first) = r.errors.first() {
        return Err(Error::invalid(
            dir,
            format!(
                "{} entries could not be removed (first: {first})",
                r.error_count
            ),
        )
        .into());
    }
    Ok(r.progress)
}

fn mismatch(path: &Path, what: &str, first: &[String], count: u64) -> MoveError {
    MoveError::Fs(Error::invalid(
        path,
        format!(
            "{what} does not match the record ({count} differences; first: {})",
            first.join("; ")
        ),
    ))
}

/// True when the root's path already names the new place.
fn is_switched(j: &Journal) -> Result<bool, MoveError> {
    let meta = std::fs::symlink_metadata(&j.note.root).map_err(|e| Error::io(&j.note.root, e))?;
    Ok(match j.note.direction {
        Direction::Away => meta.file_type().is_symlink(),
        Direction::Back => meta.is_dir(),
    })
}

/// Fails (and sends the move back to copying) when `dir` no longer matches the record.
fn check_unchanged(
    j: &mut Journal,
    dir: &Path,
    record: &Tree,
    cancel: &AtomicBool,
) -> Result<(), MoveError> {
    let now = read_tree(dir, false, cancel, &mut |_| {})?;
    let diff = compare(record, &now, false);
    if diff.is_empty() {
        return Ok(());
    }
    j.set_phase(Phase::Copying)?;
    Err(mismatch(
        dir,
        "the original changed since it was copied (a backup was written?), so it will be copied \
         again:",
        &diff.first,
        diff.count,
    ))
}

/// The switch (see the module doc); a no-op when a crash came right after the swap.
fn switch(j: &mut Journal, record: Option<Tree>, cancel: &AtomicBool) -> Result<(), MoveError> {
    let root = j.note.root.clone();
    if is_switched(j)? {
        return finish_back_switch(j);
    }
    let record = match record {
        Some(tree) => tree,
        None => j.load_record()?,
    };
    check_unchanged(j, &copy_source(j), &record, cancel)?;
    match j.note.direction {
        Direction::Away => {
            let slot = j.slot("original");
            if std::fs::symlink_metadata(&slot).is_ok_and(|m| m.file_type().is_symlink()) {
                std::fs::remove_file(&slot).map_err(|e| Error::io(&slot, e))?;
            }
            make_link(&slot, &j.note.far)?;
            exchange(&slot, &root)?;
        }
        Direction::Back => {
            exchange(&j.slot("copy"), &root)?;
            finish_back_switch(j)?;
        }
    }
    Ok(())
}

/// After a switch back, the `copy` slot holds the old link: remove it.
fn finish_back_switch(j: &Journal) -> Result<(), MoveError> {
    let slot = j.slot("copy");
    if j.note.direction == Direction::Back
        && std::fs::symlink_metadata(&slot).is_ok_and(|m| m.file_type().is_symlink())
    {
        std::fs::remove_file(&slot).map_err(|e| Error::io(&slot, e))?;
        sync_dir(&j.dir)?;
    }
    Ok(())
}

/// Rolls back the move of the root at `root`: the root's path names what it named before the
/// move, and the copy is removed. Refused once the original's removal began, and (after the
/// switch) when the copy changed since (a backup written there would be lost).
pub fn abort(root: &Path, cancel: &AtomicBool) -> Result<MoveOutcome, MoveError> {
    let root = crate::actions::index::canonical_keep_last(root);
    let mut j = Journal::find(&root)?
        .ok_or_else(|| Error::invalid(&root, "no move of it is recorded; nothing to roll back"))?;
    let _lock = j
        .lock()?
        .ok_or_else(|| Error::invalid(&j.dir, "another backtop is moving it now"))?;
    if j.note.phase == Phase::Removing {
        return Err(Error::invalid(
            &root,
            "the original is partly removed already; the move can only be finished (run it again)",
        )
        .into());
    }
    if is_switched(&j)? {
        let record = j.load_record()?;
        let now_at = copy_target_after_switch(&j);
        let now = read_tree(&now_at, false, cancel, &mut |_| {})?;
        let diff = compare(&record, &now, false);
        if !diff.is_empty() {
            return Err(Error::invalid(
                &now_at,
                format!(
                    "changed since the move ({} differences; first: {}); rolling back would lose \
                     that, so use `backtop move --back` instead",
                    diff.count,
                    diff.first.join("; ")
                ),
            )
            .into());
        }
        unswitch(&j)?;
    }
    // The copy (away: DEST; back: the `copy` slot) goes, and whatever link a slot holds.
    let copy = copy_target(&j);
    if std::fs::symlink_metadata(&copy).is_ok() {
        if j.note.direction == Direction::Away && !j.note.made_far {
            clear_target(&j, &copy)?;
        } else {
            remove_quietly(&copy)?;
        }
    }
    for name in ["original", "link"] {
        let slot = j.slot(name);
        if std::fs::symlink_metadata(&slot).is_ok_and(|m| m.file_type().is_symlink()) {
            std::fs::remove_file(&slot).map_err(|e| Error::io(&slot, e))?;
        }
    }
    j.set_phase(j.note.phase)?;
    j.remove()?;
    Ok(MoveOutcome {
        status: MoveStatus::RolledBack,
        root: root.clone(),
        far: j.note.far.clone(),
        phase: None,
        kept: None,
        message: format!(
            "rolled back: {} is as it was before the move, and the copy is removed",
            root.display()
        ),
    })
}

/// Where the copy is once the root names it: DEST (away) or the root's folder (back).
fn copy_target_after_switch(j: &Journal) -> PathBuf {
    match j.note.direction {
        Direction::Away => j.note.far.clone(),
        Direction::Back => j.note.root.clone(),
    }
}

/// The switch undone: away, the original comes back from its slot (the link goes there and is
/// removed); back, a new link to the far folder is swapped in and the copy sent to the `copy`
/// slot, where the rollback removes it.
fn unswitch(j: &Journal) -> Result<(), MoveError> {
    let root = &j.note.root;
    match j.note.direction {
        Direction::Away => {
            let slot = j.slot("original");
            exchange(&slot, root)?;
            std::fs::remove_file(&slot).map_err(|e| Error::io(&slot, e))?;
        }
        Direction::Back => {
            let link = j.slot("link");
            if std::fs::symlink_metadata(&link).is_ok() {
                std::fs::remove_file(&link).map_err(|e| Error::io(&link, e))?;
            }
            make_link(&link, &j.note.far)?;
            exchange(&link, root)?;
            std::fs::rename(&link, j.slot("copy")).map_err(|e| Error::io(&link, e))?;
        }
    }
    sync_dir(&j.dir)?;
    Ok(())
}
