//! Carrying out a [`MovePlan`]: copy, verify, switch, remove the original when asked. Each
//! phase is recorded in the journal ([`super::journal`]) once its effects are on disk, so a
//! run that stops anywhere leaves either the original in place and intact, or the verified
//! copy in place with the original kept; running the same move again resumes it after its
//! last recorded phase, and [`super::abort`] rolls it back.
//!
//! The switch, place by place ([`super::sides`]; one place for a whole root, one per folder of
//! a device), away: a link to the far folder is made in the journal's `original` slot and
//! swapped with the folder in one step; the slot then holds the original. Back: the copy was
//! made in the `copy` slot and is swapped with the link; the slot then holds the link, which
//! is removed. Right before the swap the source is walked again and compared with the record the
//! copy made (names, sizes, modes, times): a backup written meanwhile sends the move back to
//! copying instead of being lost.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use humansize::{format_size, DECIMAL};
use serde::Serialize;

use super::copy::copy_trees;
use super::journal::{Direction, Journal, JournalLock, MoveNote, Part, Phase};
use super::plan::MovePlan;
use super::sides::{clear_targets, is_switched, remove_link, sides, tops, Sides};
use super::switch::{exchange, make_link, sync_dir, sync_volume};
use super::tree::{compare, read_trees, Counts, Top, Tree};
use super::MoveError;
use crate::actions::remove::{remove_tree, DeleteProgress, SystemRemover};
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
        let sides = sides(j);
        // A copy cut short is resumed, unless the verify pass found it wrong.
        let resume = plan.resume == Some(Phase::Copying) && !j.note.recopy;
        if resume {
            for s in &sides {
                std::fs::create_dir_all(&s.target).map_err(|e| Error::io(&s.target, e))?;
            }
        } else {
            clear_targets(j, &sides)?;
        }
        let from = tops(&sides, |s| s.source.clone());
        let to: Vec<PathBuf> = sides.iter().map(|s| s.target.clone()).collect();
        let tree = copy_trees(&from, &to, resume, cancel, &mut |done| {
            progress(MoveProgress {
                stage: Stage::Copying,
                done,
                total,
            })
        })?;
        for target in &to {
            sync_volume(target)?;
        }
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
        let sides = sides(j);
        let copy = read_trees(
            &tops(&sides, |s| s.target.clone()),
            true,
            cancel,
            &mut |done| {
                progress(MoveProgress {
                    stage: Stage::Verifying,
                    done,
                    total,
                })
            },
        )?;
        let diff = compare(&saved, &copy, true);
        if !diff.is_empty() {
            // The next run copies everything again rather than trusting any of this copy.
            j.note.recopy = true;
            j.set_phase(Phase::Copying)?;
            return Err(mismatch(
                &sides[0].target,
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
        remember(j);
        if opts.stop_after == Some(Phase::Switched) {
            return Ok(stopped(j));
        }
    }
    let leftovers: Vec<PathBuf> = sides(j).into_iter().map(|s| s.leftover).collect();
    let kept_at = match leftovers.as_slice() {
        [one] => one.clone(),
        _ => j.dir.clone(),
    };
    if !opts.remove_original && j.note.phase == Phase::Switched {
        return Ok(MoveOutcome {
            status: MoveStatus::Kept,
            root: plan.root.clone(),
            far: plan.far.clone(),
            phase: Some(Phase::Switched),
            kept: Some(kept_at.clone()),
            message: format!(
                "{}; the original is kept at {} (run the same move with --yes to remove it)",
                switched_words(j),
                kept_at.display()
            ),
        });
    }
    j.set_phase(Phase::Removing)?;
    let mut removed = DeleteProgress::default();
    for leftover in &leftovers {
        if std::fs::symlink_metadata(leftover).is_err() {
            continue; // removed by a run that was cut short
        }
        let r = remove_folder(leftover, cancel, progress)?;
        removed.files_removed += r.files_removed;
        removed.bytes_removed += r.bytes_removed;
    }
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

/// After the switch of a whole root: away, the notes that let the roots report find its
/// volume again by identity ([`super::moved`]); back, those notes go. A note that cannot be
/// written costs the report that finding, not the move.
fn remember(j: &Journal) {
    if !j.note.parts.is_empty() {
        return;
    }
    match j.note.direction {
        Direction::Away => {
            let mounts = crate::library::mounts::current().unwrap_or_default();
            let _ = super::moved::record(&j.note.root, &j.note.far, &mounts);
        }
        Direction::Back => super::moved::forget(&j.note.root),
    }
}

/// What the switch did, in words.
fn switched_words(j: &Journal) -> String {
    let (root, far) = (j.note.root.display(), j.note.far.display());
    let n = j.note.parts.len();
    match (j.note.direction, n) {
        (Direction::Away, 0) => format!("moved: {root} now points to {far}"),
        (Direction::Back, 0) => format!("moved back: {root} is a folder again, copied from {far}"),
        (Direction::Away, _) => format!(
            "moved: {root} and the device's other {} folder(s) now point into {far}",
            n - 1
        ),
        (Direction::Back, _) => format!(
            "moved back: {root} and the device's other {} folder(s) are folders again, copied \
             from {far}",
            n - 1
        ),
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
            parts: plan.parts.iter().cloned().map(Part).collect(),
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

/// Removes `dir` for good with progress; returns what was removed.
fn remove_folder(
    dir: &Path,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(MoveProgress),
) -> Result<DeleteProgress, MoveError> {
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

/// Fails (and sends the move back to copying) when the sources no longer match the record.
fn check_unchanged(
    j: &mut Journal,
    now: &[Top],
    record: &Tree,
    cancel: &AtomicBool,
) -> Result<(), MoveError> {
    let tree = read_trees(now, false, cancel, &mut |_| {})?;
    let diff = compare(record, &tree, false);
    if diff.is_empty() {
        return Ok(());
    }
    j.set_phase(Phase::Copying)?;
    Err(mismatch(
        &now[0].path,
        "the original changed since it was copied (a backup was written?), so it will be copied \
         again:",
        &diff.first,
        diff.count,
    ))
}

/// The switch (see the module doc), place by place; a place whose swap was done before a
/// crash is left as it is.
fn switch(j: &mut Journal, record: Option<Tree>, cancel: &AtomicBool) -> Result<(), MoveError> {
    let sides = sides(j);
    let mut done = Vec::new();
    for s in &sides {
        done.push(is_switched(j, s)?);
    }
    if done.iter().all(|d| *d) {
        return finish_back_switch(j, &sides);
    }
    let record = match record {
        Some(tree) => tree,
        None => j.load_record()?,
    };
    // The sources as they are now; away, a place swapped already has its original in the slot.
    let away = j.note.direction == Direction::Away;
    let now: Vec<Top> = sides
        .iter()
        .zip(&done)
        .map(|(s, switched)| Top {
            path: if away && *switched {
                s.slot.clone()
            } else {
                s.source.clone()
            },
            prefix: s.place.prefix.clone(),
        })
        .collect();
    check_unchanged(j, &now, &record, cancel)?;
    for (s, switched) in sides.iter().zip(done) {
        if switched {
            continue;
        }
        if away {
            remove_link(&s.slot)?;
            make_link(&s.slot, &s.place.far)?;
        }
        exchange(&s.slot, &s.place.near)?;
    }
    finish_back_switch(j, &sides)
}

/// After a switch back, the `copy` slots hold the old links: remove them.
fn finish_back_switch(j: &Journal, sides: &[Sides]) -> Result<(), MoveError> {
    if j.note.direction == Direction::Back {
        for s in sides {
            remove_link(&s.slot)?;
        }
        sync_dir(&j.dir)?;
    }
    Ok(())
}
