//! A version's fingerprint: what changes whenever the version does, for a few hundred stats
//! (its plists and manifest, its folder and immediate subfolders), never a walk of its files.
//!
//! It holds the device and inode of the version folder (a folder replaced by another of the
//! same name, or a disk mounted as another device, is another version), size, mtime (ns) and
//! inode of `Info.plist`, `Manifest.plist`, `Status.plist`, `Manifest.db` (and its `-wal`) and
//! `Manifest.mbdb`, and the mtimes of the folder and of its immediate subfolders (adding,
//! removing or renaming a file in a folder changes its mtime).

use std::fs;
use std::io;
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

/// Files whose identity is part of a version's fingerprint.
const STAMPED_FILES: [&str; 6] = [
    "Info.plist",
    "Manifest.plist",
    "Status.plist",
    "Manifest.db",
    "Manifest.db-wal",
    "Manifest.mbdb",
];

/// Identity of one file: size, mtime in ns since 1970, inode (0 where unknown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// File name inside the version folder.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, ns since the Unix epoch.
    pub mtime_ns: i64,
    /// Inode number (0 on Windows).
    pub ino: u64,
}

/// What changes whenever a version changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Device of the version folder (0 on Windows).
    pub dev: u64,
    /// Inode of the version folder (0 on Windows).
    pub ino: u64,
    /// The stamped files that exist.
    pub files: Vec<FileStamp>,
    /// mtimes (ns) of the version folder (`"."`) and its immediate subfolders, by name.
    pub dirs: Vec<(String, i64)>,
}

impl Fingerprint {
    /// The stamps of the manifest (`Manifest.db` and `-wal`, or `Manifest.mbdb`).
    pub fn manifest(&self) -> Vec<&FileStamp> {
        self.files
            .iter()
            .filter(|f| f.name.starts_with("Manifest.db") || f.name == "Manifest.mbdb")
            .collect()
    }
}

/// Computes a version's fingerprint (one `read_dir` and a stat per subfolder).
pub fn fingerprint(version: &Path) -> io::Result<Fingerprint> {
    let top = fs::metadata(version)?;
    let mut dirs = vec![(".".to_string(), mtime_ns(&top))];
    for entry in fs::read_dir(version)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            let name = entry.file_name().to_string_lossy().into_owned();
            dirs.push((name, mtime_ns(&entry.metadata()?)));
        }
    }
    dirs.sort();
    let files = STAMPED_FILES
        .iter()
        .filter_map(|name| {
            let md = fs::symlink_metadata(version.join(name)).ok()?;
            Some(FileStamp {
                name: name.to_string(),
                size: md.len(),
                mtime_ns: mtime_ns(&md),
                ino: ino(&md),
            })
        })
        .collect();
    Ok(Fingerprint {
        dev: dev(&top),
        ino: ino(&top),
        files,
        dirs,
    })
}

fn mtime_ns(md: &fs::Metadata) -> i64 {
    match md.modified().map(|t| t.duration_since(UNIX_EPOCH)) {
        Ok(Ok(d)) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Ok(Err(before)) => -i64::try_from(before.duration().as_nanos()).unwrap_or(i64::MAX),
        Err(_) => 0,
    }
}

#[cfg(unix)]
fn ino(md: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(md)
}

#[cfg(unix)]
fn dev(md: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::dev(md)
}

#[cfg(not(unix))]
fn ino(_md: &fs::Metadata) -> u64 {
    0
}

#[cfg(not(unix))]
fn dev(_md: &fs::Metadata) -> u64 {
    0
}
