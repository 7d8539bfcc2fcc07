//! Where a moved root went, by its volume's identity rather than its mount path.
//!
//! When a move away switches a whole root, two small notes are written: beside the root's link,
//! `<parent>/.backtop-moved-<name>.json` (the far folder, the volume it was on: its mount
//! point, what was mounted, the far folder's path within it, and an id), and beside the far
//! folder, on that volume, `<far parent>/.backtop-moved-here-<far name>.json` with the same id.
//! The id is the volume's identity for backtop: [`locate`] finds the far folder at its old path
//! only when the note there carries it (another drive mounted at that path is not taken for
//! it), and otherwise looks for it under every mount point at the same path within the volume
//! (a drive that comes back as `/Volumes/Backup 1` or `/media/anna/T5 1` is found again). A
//! move back removes both notes ([`forget`]). Both are dot-files: discovery never reads them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::switch::sync_dir;
use crate::library::mounts::{mount_point_of, Mount};
use crate::library::{Error, Result};

const NOTE_PREFIX: &str = ".backtop-moved-";
const HERE_PREFIX: &str = ".backtop-moved-here-";

/// The note beside a moved root's link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedNote {
    /// The far folder, as the link names it.
    #[serde(with = "crate::json_path::lossless")]
    pub far: PathBuf,
    /// The id also written beside the far folder, on its volume.
    pub id: String,
    /// The mount point of the far folder's volume at the move.
    #[serde(with = "crate::json_path::lossless")]
    pub mount: PathBuf,
    /// The far folder's path within that volume.
    #[serde(with = "crate::json_path::lossless")]
    pub within: PathBuf,
    /// What was mounted there (`/dev/sdb1`, `server:/share`), when known.
    pub source: String,
}

/// Where a moved root's backups are now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whereabouts {
    /// At the far folder, on the same volume (its id found there).
    There,
    /// Its volume is mounted at another place: the far folder is at `at` now.
    Elsewhere {
        /// The far folder's path now.
        at: PathBuf,
    },
    /// Its volume is not mounted (nothing with its id at the old path or under any mount).
    NotConnected,
}

fn beside(path: &Path, prefix: &str) -> Option<PathBuf> {
    let mut name = std::ffi::OsString::from(prefix);
    name.push(path.file_name()?);
    name.push(".json");
    Some(path.with_file_name(name))
}

/// The note beside the root's link.
pub fn note_path(root: &Path) -> Option<PathBuf> {
    beside(root, NOTE_PREFIX)
}

/// The note beside the far folder.
pub fn here_path(far: &Path) -> Option<PathBuf> {
    beside(far, HERE_PREFIX)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("json.tmp");
    let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
    f.sync_all().map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
    match path.parent() {
        Some(dir) => sync_dir(dir),
        None => Ok(()),
    }
}

/// Writes both notes of the move of `root` to `far` (on the volume `mounts` say holds it).
pub fn record(root: &Path, far: &Path, mounts: &[Mount]) -> Result<()> {
    let mount = mount_point_of(far, mounts).map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    let source = mounts
        .iter()
        .rfind(|m| m.point == mount)
        .map(|m| m.source.clone())
        .unwrap_or_default();
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    let note = MovedNote {
        far: far.to_path_buf(),
        id: format!("{nanos:x}-{:x}", std::process::id()),
        within: far.strip_prefix(&mount).unwrap_or(far).to_path_buf(),
        mount,
        source,
    };
    let (Some(near), Some(here)) = (note_path(root), here_path(far)) else {
        return Err(Error::invalid(root, "has no folder name"));
    };
    let invalid = |e: serde_json::Error| Error::invalid(root, e.to_string());
    write(
        &here,
        &serde_json::to_vec(&serde_json::json!({ "id": note.id })).map_err(invalid)?,
    )?;
    write(&near, &serde_json::to_vec_pretty(&note).map_err(invalid)?)
}

/// Removes both notes of the move of `root` (a move back, or a rollback): a missing one is no
/// error.
pub fn forget(root: &Path) {
    if let Some(note) = note_path(root).and_then(|p| read_note(&p)) {
        if let Some(here) = here_path(&note.far) {
            let _ = std::fs::remove_file(here);
        }
    }
    if let Some(near) = note_path(root) {
        let _ = std::fs::remove_file(near);
    }
}

fn read_note(path: &Path) -> Option<MovedNote> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// True when the note beside `far` carries `id`.
fn carries(far: &Path, id: &str) -> bool {
    #[derive(Deserialize)]
    struct Here {
        id: String,
    }
    here_path(far)
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|b| serde_json::from_slice::<Here>(&b).ok())
        .is_some_and(|h| h.id == id && far.is_dir())
}

/// Where the backups of the moved root at `root` are, by its note (`None`: no note, it was not
/// moved by backtop or before backtop kept notes). `mounts` is the mount table now.
pub fn locate(root: &Path, mounts: &[Mount]) -> Option<(MovedNote, Whereabouts)> {
    let note = read_note(&note_path(root)?)?;
    if carries(&note.far, &note.id) {
        return Some((note, Whereabouts::There));
    }
    let found = mounts
        .iter()
        .map(|m| m.point.join(&note.within))
        .find(|candidate| *candidate != note.far && carries(candidate, &note.id));
    let whereabouts = match found {
        Some(at) => Whereabouts::Elsewhere { at },
        None => Whereabouts::NotConnected,
    };
    Some((note, whereabouts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mount(point: &Path) -> Mount {
        Mount {
            point: point.to_path_buf(),
            fs_type: "exfat".into(),
            source: "/dev/sdb1".into(),
        }
    }

    #[test]
    fn a_drive_is_found_by_its_id_at_another_mount_point_and_not_taken_for_another() {
        let tmp = tempfile::tempdir().unwrap();
        let (t5, t5_1) = (tmp.path().join("T5"), tmp.path().join("T5 1"));
        let root = tmp.path().join("home/Backup");
        let far = t5.join("iPhone/Backup");
        std::fs::create_dir_all(&far).unwrap();
        std::fs::create_dir_all(root.parent().unwrap()).unwrap();
        record(&root, &far, &[mount(tmp.path()), mount(&t5)]).unwrap();
        let (note, at) = locate(&root, &[mount(&t5)]).unwrap();
        assert_eq!(at, Whereabouts::There);
        assert_eq!(note.mount, t5);
        assert_eq!(note.within, Path::new("iPhone/Backup"));
        assert_eq!(note.source, "/dev/sdb1");

        // Unplugged: not there, nor anywhere else.
        std::fs::rename(&t5, tmp.path().join("away")).unwrap();
        let (_, at) = locate(&root, &[]).unwrap();
        assert_eq!(at, Whereabouts::NotConnected);
        // Another drive at the old mount point, with a folder of the same name, is not it.
        std::fs::create_dir_all(&far).unwrap();
        let (_, at) = locate(&root, &[mount(&t5)]).unwrap();
        assert_eq!(at, Whereabouts::NotConnected);
        std::fs::remove_dir_all(&t5).unwrap();
        // Plugged in again, mounted as "T5 1".
        std::fs::rename(tmp.path().join("away"), &t5_1).unwrap();
        let (_, at) = locate(&root, &[mount(tmp.path()), mount(&t5_1)]).unwrap();
        assert_eq!(
            at,
            Whereabouts::Elsewhere {
                at: t5_1.join("iPhone/Backup")
            }
        );

        forget(&root);
        assert!(locate(&root, &[mount(&t5_1)]).is_none());
    }
}
