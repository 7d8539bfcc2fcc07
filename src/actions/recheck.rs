//! The last look before acting: a confirmation can wait minutes, so right before a version is
//! renamed or trashed, [`recheck`] looks at it again with `lstat` (still a folder, not a link,
//! the same device and inode as when it was checked) and re-reads its state from disk (a
//! backup that started writing into it meanwhile is refused).

use std::path::Path;

use time::OffsetDateTime;

use super::guard::DeletePlanItem;
use crate::library::read_version::read_version;
use crate::library::BackupState;

/// A folder's identity: device and inode (unix), to notice a folder swapped for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FileId {
    /// Device number.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
}

/// The identity of the entry `meta` describes, where the platform tells it.
#[cfg(unix)]
pub fn file_id(meta: &std::fs::Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some(FileId {
        dev: meta.dev(),
        ino: meta.ino(),
    })
}

/// The identity of the entry `meta` describes, where the platform tells it.
#[cfg(not(unix))]
pub fn file_id(_meta: &std::fs::Metadata) -> Option<FileId> {
    None
}

/// `Err(what changed)` when `item`'s folder is no longer what the guards approved.
pub fn recheck(item: &DeletePlanItem) -> Result<(), String> {
    recheck_at(item, OffsetDateTime::now_utc())
}

/// [`recheck`] judging activity against `now`.
pub fn recheck_at(item: &DeletePlanItem, now: OffsetDateTime) -> Result<(), String> {
    let path: &Path = &item.path;
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("it is gone ({e})"))?;
    if meta.file_type().is_symlink() {
        return Err("it was replaced by a symbolic link".into());
    }
    if !meta.is_dir() {
        return Err("it is no longer a folder".into());
    }
    if file_id(&meta) != item.identity {
        return Err("it was replaced by another folder".into());
    }
    let v = &item.version;
    let fresh = read_version(path, &v.root, v.kind, now);
    if fresh.state == BackupState::InProgress && v.state != BackupState::InProgress {
        return Err("a backup started writing into it".into());
    }
    if v.udid.is_some() && fresh.udid != v.udid {
        return Err("it now holds another device's backup".into());
    }
    Ok(())
}
