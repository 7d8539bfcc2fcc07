//! Delete markers: what makes a delete crash-safe.
//!
//! A delete first creates a hidden folder next to the version,
//! `<parent>/.backtop-deleting-<name>-<pid>-<unix time>/`, writes a note
//! (`.backtop-deleting.json`: original path, mode, start time) into it, then moves the version
//! into it with one `rename` (`<marker>/<name>/`). From that instant discovery no longer sees the
//! version (it skips [`DELETE_MARKER_PREFIX`]). The version keeps its own name inside the
//! marker, so a trashed version shows up in the Trash under its real name.
//!
//! Markers are for permanent deletes only: a trash move is one `rename` and needs none (and a
//! version trashed from inside a marker would be "put back" into it). While a delete runs,
//! its backtop holds an advisory lock on the note ([`MarkerLock`]).
//!
//! If backtop dies before the marker is gone, [`super::recovery`] finds it at the next start
//! and acts only on markers it can prove are its own and abandoned (see
//! [`super::recovery::why_not_recoverable`]): the original place is always
//! `<marker's parent>/<name from the marker's folder name>`, never a path read from the note.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::library::{Error, Result};

/// Folder-name prefix of a delete marker (defined by the model: discovery skips entries
/// starting with it).
pub use crate::library::discover::DELETE_MARKER_PREFIX;

/// File name of the note inside a marker.
pub const MARKER_NOTE: &str = ".backtop-deleting.json";

/// How a delete disposes of the version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteMode {
    /// Move to the system trash (the space is used until the Trash is emptied).
    Trash,
    /// Remove for good.
    Permanent,
}

impl DeleteMode {
    /// `Permanent` when `permanent`, else `Trash` (the `--permanent` flag, the `t` toggle).
    pub fn from_permanent(permanent: bool) -> Self {
        if permanent {
            DeleteMode::Permanent
        } else {
            DeleteMode::Trash
        }
    }
}

/// The note kept inside a marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkerNote {
    /// Where the version was before the delete started.
    #[serde(with = "crate::json_path::lossless")]
    pub original_path: PathBuf,
    /// Trash or permanent.
    pub mode: DeleteMode,
    /// Unix time the delete started.
    pub started: i64,
    /// Process id of the backtop that started it.
    pub pid: u32,
    /// Why the marker was left behind, when a delete stopped (permission denied, cancelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

/// A marker folder on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// The marker folder.
    pub dir: PathBuf,
    /// The version's original folder name, parsed from the marker's folder name.
    pub name: String,
    /// The note, when it could be read.
    pub note: Option<MarkerNote>,
}

impl Marker {
    /// Where the version sits inside the marker.
    pub fn content(&self) -> PathBuf {
        self.dir.join(&self.name)
    }

    /// Where the version was before the delete: always the marker's parent joined with the
    /// name from the marker's folder name (the note's path is only compared with it).
    pub fn original_path(&self) -> PathBuf {
        self.dir
            .parent()
            .map(|p| p.join(&self.name))
            .unwrap_or_else(|| PathBuf::from(&self.name))
    }

    /// Reads a marker folder; `None` when `dir`'s name is not a marker name.
    pub fn read(dir: &Path) -> Option<Marker> {
        let file_name = dir.file_name()?.to_str()?;
        let from_name = parse_marker_name(file_name)?;
        // A note is a few hundred bytes; a FIFO or link in its place is never read.
        let note = crate::library::safe_fs::read_capped(&dir.join(MARKER_NOTE), 1 << 20)
            .ok()
            .and_then(|b| serde_json::from_slice::<MarkerNote>(&b).ok());
        Some(Marker {
            dir: dir.to_path_buf(),
            name: from_name,
            note,
        })
    }
}

/// The marker folder name for version folder `name`.
pub fn marker_name(name: &str, pid: u32, unix: i64) -> String {
    format!("{DELETE_MARKER_PREFIX}{name}-{pid}-{unix}")
}

/// The original folder name inside a marker name (`None` if it is not one).
pub fn parse_marker_name(marker: &str) -> Option<String> {
    let rest = marker.strip_prefix(DELETE_MARKER_PREFIX)?;
    let mut parts = rest.rsplitn(3, '-');
    let unix = parts.next()?;
    let pid = parts.next()?;
    let name = parts.next()?;
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (numeric(unix) && numeric(pid) && !name.is_empty()).then(|| name.to_string())
}

/// An advisory exclusive lock on a marker's note, held for the whole delete (released on
/// drop). Recovery skips a marker whose lock another process holds.
#[derive(Debug)]
pub struct MarkerLock {
    _file: std::fs::File,
}

/// Takes the lock on the note of the marker at `dir`: `Ok(None)` when another process holds it.
pub fn try_lock(dir: &Path) -> Result<Option<MarkerLock>> {
    let path = dir.join(MARKER_NOTE);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(MarkerLock { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

/// Moves `version` into a new marker folder next to it; returns the marker (its lock is
/// released at once: see [`enter_marker_locked`]).
pub fn enter_marker(version: &Path, mode: DeleteMode) -> Result<Marker> {
    enter_marker_locked(version, mode).map(|(m, _)| m)
}

/// Moves `version` into a new marker folder next to it, the note locked before the rename;
/// returns the marker and the lock to hold until the delete ends.
/// On failure nothing is left behind (the empty marker is removed again).
pub fn enter_marker_locked(version: &Path, mode: DeleteMode) -> Result<(Marker, MarkerLock)> {
    let (parent, name) = match (version.parent(), version.file_name()) {
        (Some(p), Some(n)) => (p, n.to_string_lossy().into_owned()),
        _ => return Err(Error::invalid(version, "has no parent folder")),
    };
    let started = time::OffsetDateTime::now_utc().unix_timestamp();
    let pid = std::process::id();
    let dir = parent.join(marker_name(&name, pid, started));
    std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
    let note = MarkerNote {
        original_path: version.to_path_buf(),
        mode,
        started,
        pid,
        stopped: None,
    };
    let marker = Marker {
        dir: dir.clone(),
        name,
        note: Some(note.clone()),
    };
    let moved = write_note(&dir, &note).and_then(|_| {
        let lock = try_lock(&dir)?.ok_or_else(|| Error::invalid(&dir, "its note is locked"))?;
        std::fs::rename(version, marker.content()).map_err(|e| Error::io(version, e))?;
        Ok(lock)
    });
    match moved {
        Ok(lock) => Ok((marker, lock)),
        Err(e) => {
            let _ = std::fs::remove_file(dir.join(MARKER_NOTE));
            let _ = std::fs::remove_dir(&dir);
            Err(e)
        }
    }
}

/// Writes (or rewrites) the note of a marker.
pub fn write_note(dir: &Path, note: &MarkerNote) -> Result<()> {
    let path = dir.join(MARKER_NOTE);
    let json = serde_json::to_vec_pretty(note)
        .map_err(|e| Error::invalid(&path, format!("cannot encode note: {e}")))?;
    std::fs::write(&path, json).map_err(|e| Error::io(&path, e))
}

/// Records in the marker's note why it was left behind (best effort).
pub fn mark_stopped(marker: &Marker, reason: &str) {
    if let Some(note) = &marker.note {
        let mut note = note.clone();
        note.stopped = Some(reason.to_string());
        let _ = write_note(&marker.dir, &note);
    }
}

/// Moves the version back to where it was and removes the marker (a cancel before anything
/// was removed). Refuses when something already sits at the original place.
pub fn restore(marker: &Marker) -> Result<PathBuf> {
    let original = marker.original_path();
    if std::fs::symlink_metadata(&original).is_ok() {
        return Err(Error::invalid(
            &original,
            "already exists; the version stays in its marker",
        ));
    }
    std::fs::rename(marker.content(), &original).map_err(|e| Error::io(&original, e))?;
    remove_empty_marker(&marker.dir)?;
    Ok(original)
}

/// Removes a marker whose version is gone: its note, then the folder (which must be empty).
pub fn remove_empty_marker(dir: &Path) -> Result<()> {
    match std::fs::remove_file(dir.join(MARKER_NOTE)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(dir.join(MARKER_NOTE), e)),
    }
    std::fs::remove_dir(dir).map_err(|e| Error::io(dir, e))
}

/// Marker folders directly inside `dir`.
pub fn markers_in(dir: &Path) -> Vec<Marker> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<Marker> = entries
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .filter_map(|e| Marker::read(&e.path()))
        .collect();
    found.sort_by(|a, b| a.dir.cmp(&b.dir));
    found
}

/// Every marker in the places a version can live: each root, and each
/// `iMazing.Versions/Versions/<UDID>/` inside it.
pub fn find_markers(roots: &[PathBuf]) -> Vec<Marker> {
    let mut found = Vec::new();
    for root in roots {
        found.extend(markers_in(root));
        let versions = root.join("iMazing.Versions").join("Versions");
        if let Ok(devices) = std::fs::read_dir(&versions) {
            let mut dirs: Vec<PathBuf> = devices.flatten().map(|e| e.path()).collect();
            dirs.sort();
            for d in dirs.iter().filter(|d| d.is_dir()) {
                found.extend(markers_in(d));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_names_round_trip() {
        let n = marker_name(
            "00008030-001A2B3C4D5E6F70-20240115-103000",
            42,
            1_700_000_000,
        );
        assert_eq!(
            n,
            ".backtop-deleting-00008030-001A2B3C4D5E6F70-20240115-103000-42-1700000000"
        );
        assert_eq!(
            parse_marker_name(&n).as_deref(),
            Some("00008030-001A2B3C4D5E6F70-20240115-103000")
        );
        assert_eq!(parse_marker_name(".backtop-deleting-x-1"), None);
        assert_eq!(parse_marker_name(".backtop-deleting-x-a-1"), None);
        assert_eq!(parse_marker_name("x-1-2"), None);
    }

    #[test]
    fn enter_and_restore() {
        let tmp = tempfile::tempdir().unwrap();
        let v = tmp.path().join("ABC");
        std::fs::create_dir(&v).unwrap();
        std::fs::write(v.join("Info.plist"), b"x").unwrap();
        let m = enter_marker(&v, DeleteMode::Permanent).unwrap();
        assert!(!v.exists());
        assert!(m.content().join("Info.plist").is_file());
        let found = find_markers(&[tmp.path().to_path_buf()]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].original_path(), v);
        assert_eq!(restore(&m).unwrap(), v);
        assert!(v.join("Info.plist").is_file());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
