//! Windows: which files are one file. NTFS keeps hard links (iMazing's version history is made
//! of them), but a directory listing says nothing of them, and stable std exposes no file index;
//! so each file is opened for its attributes only (no read access, the link itself rather than
//! what a reparse point leads to) and asked for its volume serial number, file index and link
//! count, the equivalents of `st_dev`, `st_ino` and `st_nlink`.

use std::fs::OpenOptions;
use std::io;
use std::os::windows::fs::OpenOptionsExt;
use std::path::Path;

/// `FILE_READ_ATTRIBUTES`: enough to ask for the information, even of a file open elsewhere.
const READ_ATTRIBUTES: u32 = 0x0080;
/// `FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE`: never in the way of a backup.
const SHARE_ALL: u32 = 0x1 | 0x2 | 0x4;
/// `FILE_FLAG_OPEN_REPARSE_POINT`: a symbolic link or junction is opened, not followed.
const OPEN_REPARSE_POINT: u32 = 0x0020_0000;
/// `FILE_FLAG_BACKUP_SEMANTICS`: lets the same call open a folder.
const BACKUP_SEMANTICS: u32 = 0x0200_0000;

/// What makes a file one file on Windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    /// The volume's serial number (as `st_dev`).
    pub volume: u64,
    /// The file index on that volume (as `st_ino`).
    pub index: u64,
    /// How many names the file has (as `st_nlink`).
    pub links: u64,
}

/// The identity of the file at `path` (not following a link).
pub fn identity(path: &Path) -> io::Result<FileIdentity> {
    let file = OpenOptions::new()
        .access_mode(READ_ATTRIBUTES)
        .share_mode(SHARE_ALL)
        .custom_flags(OPEN_REPARSE_POINT | BACKUP_SEMANTICS)
        .open(path)?;
    let info = winapi_util::file::information(&file)?;
    Ok(FileIdentity {
        volume: info.volume_serial_number(),
        index: info.file_index(),
        links: info.number_of_links(),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::library::usage::walk::{test_options, walk_version};

    #[test]
    fn hard_links_are_one_file_and_other_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            dir.path().join("a"),
            dir.path().join("b"),
            dir.path().join("c"),
        );
        std::fs::write(&a, b"0123456789").unwrap();
        std::fs::hard_link(&a, &b).unwrap();
        std::fs::write(&c, b"01234").unwrap();
        let (ia, ib, ic) = (
            identity(&a).unwrap(),
            identity(&b).unwrap(),
            identity(&c).unwrap(),
        );
        assert_eq!(ia, ib);
        assert_eq!(ia.links, 2);
        assert_eq!(ic.links, 1);
        assert_eq!(ic.volume, ia.volume);
        assert_ne!(ic.index, ia.index);
    }

    #[test]
    fn a_walk_counts_a_hard_linked_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("ab");
        std::fs::create_dir(&sub).unwrap();
        let id = "ab".repeat(20);
        let (one, two) = (sub.join(&id), sub.join(format!("{}cd", &id[..38])));
        std::fs::write(&one, vec![7u8; 1000]).unwrap();
        std::fs::hard_link(&one, &two).unwrap();
        std::fs::write(sub.join("cd".repeat(20)), vec![1u8; 300]).unwrap();
        let cancel = AtomicBool::new(false);
        let walked = walk_version(dir.path(), &test_options(&cancel)).unwrap();
        // Both names of the linked file are one inode with two links, both in this folder.
        assert_eq!(walked.shared.len(), 1, "{:?}", walked.shared);
        assert_eq!(walked.shared[0].nlink, 2);
        assert_eq!(walked.shared[0].links, 2);
        assert_eq!(walked.shared[0].bytes, 1000);
        // The other file is the one single-link file.
        assert_eq!(walked.singles.len(), 1, "{:?}", walked.singles);
        assert_eq!((walked.files, walked.bytes), (1, 300));
    }
}
