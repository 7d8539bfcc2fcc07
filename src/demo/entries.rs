//! Manifest rows, shared by the `Manifest.db` and `Manifest.mbdb` writers: one row per file
//! plus one per parent folder. Per-row metadata (inode, mtime, protection class) is derived
//! from the fileID, so the same file gets the same row in every version that lists it.

use std::collections::BTreeSet;

use super::spec::{file_id, BackupSpec, FileSpec};

/// `Mode` of a regular file (`-rw-r--r--`).
pub const FILE_MODE: u32 = 0o100644;
/// `Mode` of a directory (`drwxr-xr-x`).
pub const DIR_MODE: u32 = 0o40755;

/// One manifest row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// lowercase hex SHA-1 of `domain-path`.
    pub file_id: String,
    /// Backup domain.
    pub domain: String,
    /// Path relative to the domain.
    pub path: String,
    /// `Files.flags`: 1 file, 2 directory.
    pub flags: i64,
    /// Plain size (0 for directories).
    pub size: u64,
    /// Unix mode with type bits.
    pub mode: u32,
    /// A made-up inode number on the device.
    pub inode: u64,
    /// Unix seconds of the last modification.
    pub mtime: i64,
    /// Data protection class (1–4 for files, 0 for directories).
    pub protection: u8,
}

impl Entry {
    /// True for directory rows.
    pub fn is_dir(&self) -> bool {
        self.flags == 2
    }
}

fn seed_of(id: &str) -> u64 {
    id.get(..16)
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .unwrap_or(0)
}

fn entry(domain: &str, path: &str, size: u64, dir: bool, date: i64) -> Entry {
    let id = file_id(domain, path);
    let seed = seed_of(&id);
    Entry {
        domain: domain.to_string(),
        path: path.to_string(),
        flags: if dir { 2 } else { 1 },
        size: if dir { 0 } else { size },
        mode: if dir { DIR_MODE } else { FILE_MODE },
        inode: 100_000 + seed % 9_000_000,
        mtime: date - (seed >> 40) as i64 % (400 * 86_400),
        protection: if dir {
            0
        } else {
            [3u8, 3, 4, 1][(seed % 4) as usize]
        },
        file_id: id,
    }
}

/// The rows [`write_backup`](super::write_backup) puts in the manifest of `spec`: what a reader
/// of that manifest must find (names, sizes, modes, mtimes).
pub fn manifest_rows(spec: &BackupSpec) -> Vec<Entry> {
    entries(&spec.files, spec.rows_dated())
}

/// Rows for `files`: directories first (every non-empty ancestor folder, sorted), then files in
/// the order given. `date` is the backup's Unix time; rows are dated up to 400 days before it.
pub fn entries(files: &[FileSpec], date: i64) -> Vec<Entry> {
    let mut dirs = BTreeSet::new();
    for f in files {
        let mut p = f.path.as_str();
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            if p.is_empty() || !dirs.insert((f.domain.as_str(), p)) {
                break;
            }
        }
    }
    let mut out: Vec<Entry> = dirs
        .into_iter()
        .map(|(d, p)| entry(d, p, 0, true, date))
        .collect();
    out.extend(
        files
            .iter()
            .map(|f| entry(&f.domain, &f.path, f.size, false, date)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_become_directory_rows() {
        let files = vec![
            FileSpec::new("HomeDomain", "Library/SMS/sms.db", 10),
            FileSpec::new("HomeDomain", "Library/SMS/Drafts/x", 3),
            FileSpec::new("MediaDomain", "top", 1),
        ];
        let e = entries(&files, 1_700_000_000);
        let dirs: Vec<&str> = e
            .iter()
            .filter(|e| e.is_dir())
            .map(|e| e.path.as_str())
            .collect();
        assert_eq!(dirs, ["Library", "Library/SMS", "Library/SMS/Drafts"]);
        let f = &e[3];
        assert_eq!((f.flags, f.size, f.mode), (1, 10, FILE_MODE));
        assert_eq!(f.file_id, file_id("HomeDomain", "Library/SMS/sms.db"));
        assert_eq!(e.len(), 6);
    }
}
