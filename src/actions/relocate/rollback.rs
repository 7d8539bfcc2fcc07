//! Rolling a recorded move back (`backtop move … --abort`): every place's path names what it
//! named before the move, and the copy is removed.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::journal::{Direction, Journal, Phase};
use super::run::{MoveOutcome, MoveStatus};
use super::sides::{clear_far, is_switched, remove_link, remove_quietly, sides, Sides};
use super::switch::{exchange, make_link, sync_dir};
use super::tree::{compare, read_trees, Top};
use super::MoveError;
use crate::library::Error;

/// Rolls back the move of the root (or device folder) at `root`. Refused once the original's
/// removal began, and (after the switch) when the copy changed since (a backup written there
/// would be lost).
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
    let sides = sides(&j);
    let mut switched = Vec::new();
    for s in &sides {
        switched.push(is_switched(&j, s)?);
    }
    if switched.iter().any(|s| *s) {
        // The copy as it is now must still be what was copied.
        let now: Vec<Top> = sides
            .iter()
            .zip(&switched)
            .map(|(s, done)| Top {
                path: if *done { &s.copy_now } else { &s.target }.clone(),
                prefix: s.place.prefix.clone(),
            })
            .collect();
        let record = j.load_record()?;
        let tree = read_trees(&now, false, cancel, &mut |_| {})?;
        let diff = compare(&record, &tree, false);
        if !diff.is_empty() {
            return Err(Error::invalid(
                &now[0].path,
                format!(
                    "changed since the move ({} differences; first: {}); rolling back would lose \
                     that, so use `backtop move --back` instead",
                    diff.count,
                    diff.first.join("; ")
                ),
            )
            .into());
        }
        for (s, done) in sides.iter().zip(&switched) {
            if *done {
                unswitch(&j, s)?;
            }
        }
        sync_dir(&j.dir)?;
    }
    // The copy (away: in DEST; back: the `copy` slots) goes, and whatever link a slot holds.
    match j.note.direction {
        Direction::Away => clear_far(&j)?,
        Direction::Back => {
            for s in &sides {
                if std::fs::symlink_metadata(&s.target).is_ok() {
                    remove_quietly(&s.target)?;
                }
            }
        }
    }
    for s in &sides {
        remove_link(&s.slot)?;
        remove_link(&s.link_slot)?;
    }
    j.set_phase(j.note.phase)?;
    j.remove()?;
    if j.note.parts.is_empty() {
        // The notes of where the root went ([`super::moved`]) follow what its path names.
        match j.note.direction {
            Direction::Away => super::moved::forget(&root),
            Direction::Back => {
                let mounts = crate::library::mounts::current().unwrap_or_default();
                let _ = super::moved::record(&root, &j.note.far, &mounts);
            }
        }
    }
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

/// One place's switch undone: away, the original comes back from its slot (the link goes
/// there and is removed); back, a new link to the far folder is swapped in and the copy sent
/// to the `copy` slot, where the rollback removes it.
fn unswitch(j: &Journal, s: &Sides) -> Result<(), MoveError> {
    let near = &s.place.near;
    match j.note.direction {
        Direction::Away => {
            exchange(&s.slot, near)?;
            std::fs::remove_file(&s.slot).map_err(|e| Error::io(&s.slot, e))?;
        }
        Direction::Back => {
            if std::fs::symlink_metadata(&s.link_slot).is_ok() {
                std::fs::remove_file(&s.link_slot).map_err(|e| Error::io(&s.link_slot, e))?;
            }
            make_link(&s.link_slot, &s.place.far)?;
            exchange(&s.link_slot, near)?;
            std::fs::rename(&s.link_slot, &s.slot).map_err(|e| Error::io(&s.link_slot, e))?;
        }
    }
    Ok(())
}
