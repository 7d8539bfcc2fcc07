//! The paths each phase of a recorded move works on, place by place ([`super::places`]): what
//! is copied, where the copy is made, the journal's slot the switch swaps in, and what waits
//! to be removed after it. Also the file-system steps the run and the rollback share.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::journal::{Direction, Journal};
use super::places::{places, Place};
use super::tree::Top;
use super::MoveError;
use crate::actions::remove::{remove_tree, SystemRemover};
use crate::library::Error;

/// One place of a recorded move and the paths its phases use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sides {
    /// Where it is, near and far, and its path in the record.
    pub place: Place,
    /// What is copied: the folder (away) or the far folder (back).
    pub source: PathBuf,
    /// Where the copy is made: the far folder (away) or the journal's `copy` slot (back).
    pub target: PathBuf,
    /// The slot the switch swaps with the near path: `original` (away: a link to the far
    /// folder, then the original) or `copy` (back: the copy, then the old link).
    pub slot: PathBuf,
    /// Another slot: a move back rolled back makes its new link there.
    pub link_slot: PathBuf,
    /// What waits to be removed after the switch: the original (away) or the far folder.
    pub leftover: PathBuf,
    /// Where the copy is once switched: the far folder (away) or the near path (back).
    pub copy_now: PathBuf,
}

/// The sides of every place of the journal's move.
pub(super) fn sides(j: &Journal) -> Vec<Sides> {
    let parts = j.note.part_paths();
    places(&j.note.root, &j.note.far, &parts)
        .into_iter()
        .enumerate()
        .map(|(i, place)| {
            let away = j.note.direction == Direction::Away;
            let (original, copy) = (j.slot_at("original", i), j.slot_at("copy", i));
            Sides {
                source: if away { &place.near } else { &place.far }.clone(),
                target: if away {
                    place.far.clone()
                } else {
                    copy.clone()
                },
                slot: if away { original.clone() } else { copy },
                link_slot: j.slot_at("link", i),
                leftover: if away { original } else { place.far.clone() },
                copy_now: if away { &place.far } else { &place.near }.clone(),
                place,
            }
        })
        .collect()
}

/// The record's tops of `paths` (one per side, in order), with the sides' prefixes.
pub(super) fn tops(sides: &[Sides], path: impl Fn(&Sides) -> PathBuf) -> Vec<Top> {
    sides
        .iter()
        .map(|s| Top {
            path: path(s),
            prefix: s.place.prefix.clone(),
        })
        .collect()
}

/// True when the near path of `side` already names the new place (a link away, a folder back).
pub(super) fn is_switched(j: &Journal, side: &Sides) -> Result<bool, MoveError> {
    let near = &side.place.near;
    let meta = std::fs::symlink_metadata(near).map_err(|e| Error::io(near, e))?;
    Ok(match j.note.direction {
        Direction::Away => meta.file_type().is_symlink(),
        Direction::Back => meta.is_dir(),
    })
}

/// Makes every copy target an empty folder, removing what a cut-short copy left there. Only
/// backtop writes there: DEST was new or empty when the move began, and the slots are its own.
pub(super) fn clear_targets(j: &Journal, sides: &[Sides]) -> Result<(), MoveError> {
    match j.note.direction {
        Direction::Away => clear_far(j)?,
        Direction::Back => {
            for s in sides {
                if std::fs::symlink_metadata(&s.target).is_ok() {
                    remove_quietly(&s.target)?;
                }
            }
        }
    }
    for s in sides {
        std::fs::create_dir_all(&s.target).map_err(|e| Error::io(&s.target, e))?;
    }
    Ok(())
}

/// Empties DEST of a move away (removes it whole when backtop made it).
pub(super) fn clear_far(j: &Journal) -> Result<(), MoveError> {
    let far = &j.note.far;
    if std::fs::symlink_metadata(far).is_err() {
        return Ok(());
    }
    if j.note.made_far {
        return remove_quietly(far);
    }
    let entries = std::fs::read_dir(far).map_err(|e| Error::io(far, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(far, e))?;
        remove_quietly(&entry.path())?;
    }
    Ok(())
}

/// Removes a folder, file or link for good, never following a link; errors if anything stays.
pub(super) fn remove_quietly(path: &Path) -> Result<(), MoveError> {
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

/// Removes the link at `path`, if one is there.
pub(super) fn remove_link(path: &Path) -> Result<(), MoveError> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::remove_file(path).map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}
