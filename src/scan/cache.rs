//! The size cache: one entry per version folder, keyed by a fingerprint that changes whenever
//! the version does, stored as JSON (by default `<cache dir>/backtop/sizes.json`).
//!
//! The fingerprint holds size, mtime (ns) and inode of `Info.plist`, `Manifest.plist`,
//! `Status.plist`, `Manifest.db` (and its `-wal`) and `Manifest.mbdb`, and the mtimes of the
//! version folder and of its immediate subfolders (adding or removing a file changes them).
//!
//! What the cache is for: figures shown at once on a relaunch (`ScanEvent::Cached`, when the
//! whole fingerprint matches), and the categories and apps of a version whose manifest file is
//! unchanged (same size, mtime and inode) and whose fresh walk finds the same files and bytes,
//! so the refresh skips reading the manifest. `unique_bytes` depends on *other* versions (`st_nlink`
//! changes when a snapshot is added or deleted) and the list of shared inodes is not stored,
//! so the worker always walks again and sends fresh `Sized` figures.
//!
//! A missing, unreadable or corrupt file is an empty cache; it is rewritten atomically
//! (temporary file in the same folder, then rename).

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::library::usage::VersionUsage;

/// Bumped whenever the file's shape or the meaning of a figure changes.
const FORMAT: u32 = 1;

/// Files whose identity is part of a version's fingerprint.
const STAMPED_FILES: [&str; 6] = [
    "Info.plist",
    "Manifest.plist",
    "Status.plist",
    "Manifest.db",
    "Manifest.db-wal",
    "Manifest.mbdb",
];

/// The default place: `<cache dir>/backtop/sizes.json`.
pub fn default_path() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("backtop").join("sizes.json"))
}

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
    /// The stamped files that exist.
    pub files: Vec<FileStamp>,
    /// mtimes (ns) of the version folder (`"."`) and its immediate subfolders, by name.
    pub dirs: Vec<(String, i64)>,
}

/// Computes a version's fingerprint (one `read_dir` and a stat per subfolder).
pub fn fingerprint(version: &Path) -> io::Result<Fingerprint> {
    let mut dirs = vec![(".".to_string(), mtime_ns(&fs::metadata(version)?))];
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
    Ok(Fingerprint { files, dirs })
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

#[cfg(not(unix))]
fn ino(_md: &fs::Metadata) -> u64 {
    0
}

/// One cached version.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacheEntry {
    /// The version's fingerprint when it was sized.
    pub fingerprint: Fingerprint,
    /// Its sizes (without the shared inodes).
    pub usage: VersionUsage,
}

/// The whole cache file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SizeCache {
    format: u32,
    /// Entries by version path.
    entries: BTreeMap<PathBuf, CacheEntry>,
}

/// What is written: the entries, borrowed.
#[derive(Serialize)]
struct CacheView<'a> {
    format: u32,
    entries: &'a BTreeMap<PathBuf, CacheEntry>,
}

impl SizeCache {
    /// Reads the cache; a missing, unreadable, corrupt or older-format file gives an empty one.
    pub fn load(path: &Path) -> SizeCache {
        let parsed = fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<SizeCache>(&bytes).ok());
        match parsed {
            Some(cache) if cache.format == FORMAT => cache,
            _ => SizeCache::default(),
        }
    }

    /// The cached sizes of `version` if its fingerprint still matches.
    pub fn get(&self, version: &Path, fingerprint: &Fingerprint) -> Option<&VersionUsage> {
        self.entries
            .get(version)
            .filter(|e| e.fingerprint == *fingerprint)
            .map(|e| &e.usage)
    }

    /// Earlier sizes of `version` whose categories may serve again: its manifest
    /// (`Manifest.db` and `-wal`, or `Manifest.mbdb`) is the same file, unchanged, even if other
    /// parts of the fingerprint moved. The sizer keeps them only if the fresh walk finds the
    /// same files and bytes.
    pub fn reusable(&self, version: &Path, fingerprint: &Fingerprint) -> Option<&VersionUsage> {
        let entry = self.entries.get(version)?;
        let manifest = |fp: &Fingerprint| -> Vec<FileStamp> {
            fp.files
                .iter()
                .filter(|f| f.name.starts_with("Manifest.db") || f.name == "Manifest.mbdb")
                .cloned()
                .collect()
        };
        let same = manifest(&entry.fingerprint);
        (!same.is_empty() && same == manifest(fingerprint)).then_some(&entry.usage)
    }

    /// Stores the sizes of `version` (its shared inodes are not kept).
    pub fn insert(&mut self, version: &Path, fingerprint: Fingerprint, usage: &VersionUsage) {
        let usage = VersionUsage {
            shared: Vec::new(),
            ..usage.clone()
        };
        let entry = CacheEntry { fingerprint, usage };
        self.entries.insert(version.to_path_buf(), entry);
    }

    /// Drops entries of versions that no longer exist.
    pub fn prune(&mut self) {
        self.entries.retain(|path, _| path.is_dir());
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes the cache atomically: a temporary file next to `path`, then a rename.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        {
            let mut w = BufWriter::new(tmp.as_file_mut());
            let file = CacheView {
                format: FORMAT,
                entries: &self.entries,
            };
            serde_json::to_writer(&mut w, &file)?;
            w.flush()?;
        }
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}
