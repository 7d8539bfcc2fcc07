//! The move journal: what makes a move crash-safe and resumable.
//!
//! A sibling of the delete markers ([`crate::actions::marker`]) with the same discipline: a
//! hidden folder next to the root, `<parent>/.backtop-move-<name>/`, whose place alone names
//! the root (`<parent>/<name>`; the note's copy of it is only compared), a note written
//! atomically (temporary file, `fsync`, `rename`, `fsync` of the folder) before each phase's
//! effects are relied on, an advisory lock held while a backtop works on it, and recovery only
//! of journals that are this user's and whose backtop is gone.
//!
//! It holds `move.json` (the [`MoveNote`]), `record.json` (the source's [`Tree`] with every
//! file's digest, written when the copy is done), `lock`, and the switch's slot: `original`
//! (a move away: after the switch, the original folder) or `copy` (a move back: the copy
//! being made, swapped in at the switch). Discovery never looks into dot-folders.

use std::fs::File;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::switch::sync_dir;
use super::tree::Tree;
use crate::library::{Error, Result};

/// Folder-name prefix of a move journal.
pub const JOURNAL_PREFIX: &str = ".backtop-move-";
/// File name of the note.
pub const NOTE: &str = "move.json";
/// File name of the source's record.
pub const RECORD: &str = "record.json";
const LOCK: &str = "lock";

/// Which way a move goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The root's folder goes to `far`; the root becomes a link to it.
    Away,
    /// The root is a link to `far`; `far` is copied back and the link replaced by the copy.
    Back,
}

/// How far a move got. Each phase is recorded once its effects are on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The copy is being made (or was cut short: running the move again resumes it).
    Copying,
    /// The copy is whole and the source's record is saved.
    Copied,
    /// The copy was read back and matches the record.
    Verified,
    /// The root's path names the new place; what was there before waits to be removed.
    Switched,
    /// What was there before is being removed (a rollback is no longer possible).
    Removing,
}

impl Phase {
    /// The word used in messages, JSON and `BACKTOP_FAULT_AFTER`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Copying => "start",
            Phase::Copied => "copy",
            Phase::Verified => "verify",
            Phase::Switched => "switch",
            Phase::Removing => "remove",
        }
    }
}

/// The note kept in a journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveNote {
    /// Away or back.
    pub direction: Direction,
    /// The root's path (the folder moved away, or the link moved back).
    #[serde(with = "crate::json_path::lossless")]
    pub root: PathBuf,
    /// The far folder (DEST of a move away; the link's target of a move back).
    #[serde(with = "crate::json_path::lossless")]
    pub far: PathBuf,
    /// How far the move got.
    pub phase: Phase,
    /// backtop made the far folder (a move away), so a rollback removes it whole.
    pub made_far: bool,
    /// A move of one device's backups: its folders inside the backup root (the root's
    /// parent), each moved to the same path under `far` ([`super::places`]). Empty: the
    /// whole root.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// The verify pass found the copy wrong: the next copy starts over instead of resuming.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recopy: bool,
    /// Unix time the move started.
    pub started: i64,
    /// Process id of the backtop that last worked on it.
    pub pid: u32,
    /// Why it stopped, when it did (cancelled, a failure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

/// One folder of a device move, relative to the backup root (kept exactly, like every path
/// in the journal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Part(#[serde(with = "crate::json_path::lossless")] pub PathBuf);

impl MoveNote {
    /// The parts' paths.
    pub fn part_paths(&self) -> Vec<PathBuf> {
        self.parts.iter().map(|p| p.0.clone()).collect()
    }
}

/// A journal folder and its note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    /// The journal folder.
    pub dir: PathBuf,
    /// Its note.
    pub note: MoveNote,
}

/// The lock on a journal, held while a backtop works on the move (released on drop).
#[derive(Debug)]
pub struct JournalLock {
    _file: File,
}

/// The journal folder for the root at `root`.
pub fn journal_dir(root: &Path) -> Option<PathBuf> {
    let parent = root.parent()?;
    let mut name = std::ffi::OsString::from(JOURNAL_PREFIX);
    name.push(root.file_name()?);
    Some(parent.join(name))
}

/// The root a journal folder belongs to, from its place alone.
pub fn root_of(dir: &Path) -> Option<PathBuf> {
    let name = dir.file_name()?.as_encoded_bytes();
    let name = name.strip_prefix(JOURNAL_PREFIX.as_bytes())?;
    let name = crate::json_path::from_raw(name.to_vec())?;
    (!name.as_os_str().is_empty()).then(|| dir.with_file_name(name))
}

impl Journal {
    /// The journal of the root at `root`: `Ok(None)` when there is none; an error when there
    /// is one whose note cannot be read or names another root.
    pub fn find(root: &Path) -> Result<Option<Journal>> {
        let Some(dir) = journal_dir(root) else {
            return Ok(None);
        };
        if std::fs::symlink_metadata(&dir).is_err() {
            return Ok(None);
        }
        Journal::read(&dir).map(Some)
    }

    /// Reads the journal at `dir`.
    pub fn read(dir: &Path) -> Result<Journal> {
        let path = dir.join(NOTE);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let note: MoveNote = serde_json::from_slice(&bytes)
            .map_err(|e| Error::invalid(&path, format!("is not a move note backtop wrote: {e}")))?;
        let journal = Journal {
            dir: dir.to_path_buf(),
            note,
        };
        if root_of(dir).as_deref() != Some(journal.note.root.as_path()) {
            return Err(Error::invalid(
                dir,
                format!(
                    "its note names another root ({}); backtop leaves it alone",
                    journal.note.root.display()
                ),
            ));
        }
        Ok(journal)
    }

    /// Creates the journal folder for `note.root` with the note, locked. The folder is made
    /// under a temporary name and renamed into place once the note is in it, so a crash never
    /// leaves a journal without its note (which would block the root's moves).
    pub fn create(note: MoveNote) -> Result<(Journal, JournalLock)> {
        let dir = journal_dir(&note.root)
            .ok_or_else(|| Error::invalid(&note.root, "has no parent folder"))?;
        if std::fs::symlink_metadata(&dir).is_ok() {
            return Err(Error::invalid(&dir, "a move journal is there already"));
        }
        let making = temporary_name(&dir, "new");
        if std::fs::symlink_metadata(&making).is_ok() {
            remove_folder_of_files(&making)?;
        }
        std::fs::create_dir(&making).map_err(|e| Error::io(&making, e))?;
        let mut journal = Journal { dir: making, note };
        let lock = journal
            .lock()?
            .ok_or_else(|| Error::invalid(&journal.dir, "is locked by another backtop"))?;
        journal.write_note()?;
        std::fs::rename(&journal.dir, &dir).map_err(|e| Error::io(&dir, e))?;
        journal.dir = dir;
        if let Some(parent) = journal.dir.parent() {
            sync_dir(parent)?;
        }
        Ok((journal, lock))
    }

    /// Takes the journal's lock: `Ok(None)` when another process holds it.
    pub fn lock(&self) -> Result<Option<JournalLock>> {
        let path = self.dir.join(LOCK);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(JournalLock { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }

    /// Where the switch's slot `name` is (`original`, `copy`, `link`).
    pub fn slot(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The slot `name` of the move's place `i` (`name` itself for the first, `name-i` after).
    pub fn slot_at(&self, name: &str, i: usize) -> PathBuf {
        match i {
            0 => self.slot(name),
            _ => self.dir.join(format!("{name}-{i}")),
        }
    }

    /// Records `phase` (and this process as the one working on it), durably.
    pub fn set_phase(&mut self, phase: Phase) -> Result<()> {
        self.note.phase = phase;
        self.note.pid = std::process::id();
        self.note.stopped = None;
        self.write_note()
    }

    /// Records why the move stopped (best effort).
    pub fn mark_stopped(&mut self, why: &str) {
        self.note.stopped = Some(why.to_string());
        let _ = self.write_note();
    }

    fn write_note(&self) -> Result<()> {
        let json = serde_json::to_vec_pretty(&self.note)
            .map_err(|e| Error::invalid(&self.dir, format!("cannot encode the note: {e}")))?;
        write_atomically(&self.dir, NOTE, &json)
    }

    /// Saves the source's record (before the phase `Copied` is recorded).
    pub fn save_record(&self, tree: &Tree) -> Result<()> {
        let json = serde_json::to_vec(tree)
            .map_err(|e| Error::invalid(&self.dir, format!("cannot encode the record: {e}")))?;
        write_atomically(&self.dir, RECORD, &json)
    }

    /// Reads the source's record back.
    pub fn load_record(&self) -> Result<Tree> {
        let path = self.dir.join(RECORD);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        serde_json::from_slice(&bytes).map_err(|e| Error::invalid(&path, e.to_string()))
    }

    /// Removes the journal: first renamed away in one step (so a crash leaves either the whole
    /// journal or none), then its files and the folder (which must be empty by then).
    pub fn remove(&self) -> Result<()> {
        let gone = temporary_name(&self.dir, "old");
        std::fs::rename(&self.dir, &gone).map_err(|e| Error::io(&self.dir, e))?;
        if let Some(parent) = self.dir.parent() {
            sync_dir(parent)?;
        }
        remove_folder_of_files(&gone)
    }
}

/// `<parent>/.<journal folder name>.<what>-<pid>`: where a journal is made or removed (a dot
/// folder: discovery never looks into it, and it names no root).
fn temporary_name(dir: &Path, what: &str) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(dir.file_name().unwrap_or_default());
    name.push(format!(".{what}-{}", std::process::id()));
    dir.with_file_name(name)
}

/// Removes a journal folder's own files ([`RECORD`], [`NOTE`], the lock, a half-written
/// note) and then the folder, which must be empty by then.
fn remove_folder_of_files(dir: &Path) -> Result<()> {
    for name in [RECORD, NOTE, LOCK, "move.json.tmp", "record.json.tmp"] {
        let path = dir.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    std::fs::remove_dir(dir).map_err(|e| Error::io(dir, e))
}

/// Writes `dir/name` so that it is either the old or the new contents after a crash.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = dir.join(format!("{name}.tmp"));
    let path = dir.join(name);
    let mut f = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
    f.sync_all().map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
    sync_dir(dir)
}

/// Every move journal directly inside the parents of `roots` (for reports).
pub fn journals_near(roots: &[PathBuf]) -> Vec<Journal> {
    let mut found: Vec<Journal> = roots
        .iter()
        .filter_map(|r| Journal::find(r).ok().flatten())
        .collect();
    found.sort_by(|a, b| a.dir.cmp(&b.dir));
    found.dedup_by(|a, b| a.dir == b.dir);
    found
}

/// The moves recorded near `roots` that no backtop works on now (their lock is free): the
/// journal of each root (beside it) and of each device folder moved out of it (inside it),
/// sorted by folder. A journal that cannot be read is left out (the plan refuses its root and
/// says why).
pub fn interrupted_moves(roots: &[PathBuf]) -> Vec<Journal> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for root in roots {
        dirs.extend(journal_dir(root));
        let Ok(entries) = std::fs::read_dir(root) else {
            continue;
        };
        dirs.extend(
            entries
                .flatten()
                .filter(|e| {
                    e.file_name()
                        .as_encoded_bytes()
                        .starts_with(JOURNAL_PREFIX.as_bytes())
                })
                .map(|e| e.path()),
        );
    }
    dirs.sort();
    dirs.dedup();
    dirs.into_iter()
        .filter(|d| std::fs::symlink_metadata(d).is_ok_and(|m| m.is_dir()))
        .filter_map(|d| Journal::read(&d).ok())
        .filter(|j| matches!(j.lock(), Ok(Some(_))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_comes_from_the_journal_folder_name() {
        let root = Path::new("/a/b/Backup");
        let dir = journal_dir(root).unwrap();
        assert_eq!(dir, Path::new("/a/b/.backtop-move-Backup"));
        assert_eq!(root_of(&dir).as_deref(), Some(root));
        assert_eq!(root_of(Path::new("/a/.backtop-move-")), None);
        assert_eq!(root_of(Path::new("/a/Backup")), None);
    }

    #[test]
    fn a_note_naming_another_root_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("Backup");
        let note = MoveNote {
            direction: Direction::Away,
            root: root.clone(),
            far: tmp.path().join("far"),
            phase: Phase::Copying,
            made_far: true,
            parts: Vec::new(),
            recopy: false,
            started: 0,
            pid: 1,
            stopped: None,
        };
        let (mut j, _lock) = Journal::create(note).unwrap();
        assert_eq!(
            Journal::find(&root).unwrap().unwrap().note.phase,
            Phase::Copying
        );
        // Another backtop cannot take the lock while it is held.
        assert!(j.lock().unwrap().is_none());
        j.note.root = tmp.path().join("Elsewhere");
        j.write_note().unwrap();
        let err = Journal::find(&root).unwrap_err().to_string();
        assert!(err.contains("names another root"), "{err}");
    }
}
