//! The directory walk of one version: one task per subfolder on the current rayon pool,
//! `read_dir` + `DirEntry::metadata()` (no symlink is followed), inodes counted once.
//!
//! Errors below the version folder (an unreadable subfolder, a file that cannot be stat'ed)
//! are collected as strings and the walk goes on; only an unreadable version folder fails.
//! Cancellation is checked before every directory.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::meter::Meter;

use crate::library::category::is_metadata_file;
use crate::library::manifest::parse_file_id;

/// What a file's name says about its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKey {
    /// A content file named by its fileID.
    Id([u8; 20]),
    /// `Manifest.db`, the plists… at the top of the version folder.
    Metadata,
    /// Any other name.
    Unnamed,
}

/// An inode with `st_nlink > 1`, as met so far in one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedEntry {
    /// `(st_dev, st_ino)`.
    pub id: (u64, u64),
    /// `st_nlink`.
    pub nlink: u64,
    /// Links met in this version.
    pub links: u64,
    /// Apparent bytes.
    pub bytes: u64,
    /// Allocated bytes.
    pub allocated: u64,
    /// The smallest key among the links met (the link its bytes are attributed to).
    pub key: FileKey,
}

/// The raw result of walking a version (or part of one).
#[derive(Debug, Default)]
pub struct Walked {
    /// Files with `st_nlink == 1`.
    pub files: u64,
    /// Their apparent bytes.
    pub bytes: u64,
    /// Their allocated bytes.
    pub allocated: u64,
    /// Bytes of `st_nlink == 1` metadata files.
    pub metadata_bytes: u64,
    /// Bytes of `st_nlink == 1` files whose name is no fileID.
    pub unnamed_bytes: u64,
    /// `st_nlink == 1` files named by fileID, with their bytes (only when names are collected).
    pub named: Vec<([u8; 20], u64)>,
    /// `st_nlink == 1` files as `(dev, ino, bytes, allocated)`, for the size cache (a later
    /// snapshot may link to them).
    pub singles: Vec<(u64, u64, u64, u64)>,
    /// Links to inodes with more than one link; after [`Walked::coalesce`], one entry per
    /// inode, sorted by `(dev, ino)`.
    pub shared: Vec<SharedEntry>,
    /// Non-fatal errors.
    pub errors: Vec<String>,
}

/// Distinct-inode totals of a [`Walked`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Distinct inodes.
    pub files: u64,
    /// Their apparent bytes.
    pub bytes: u64,
    /// Their allocated bytes.
    pub allocated: u64,
    /// Bytes of inodes whose every link was met.
    pub unique: u64,
    /// Allocated bytes of the same inodes.
    pub unique_allocated: u64,
}

impl Walked {
    /// Merges the links of each inode into one entry (a sort: cheaper than a hash map while
    /// walking, and the result comes out ordered).
    pub fn coalesce(&mut self) {
        self.shared.sort_unstable_by_key(|e| e.id);
        self.shared.dedup_by(|next, kept| {
            let same = next.id == kept.id;
            if same {
                kept.absorb(next);
            }
            same
        });
    }

    /// Totals counting each inode once (call [`Walked::coalesce`] first).
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            files: self.files,
            bytes: self.bytes,
            allocated: self.allocated,
            unique: self.bytes,
            unique_allocated: self.allocated,
        };
        for e in &self.shared {
            c.files += 1;
            c.bytes += e.bytes;
            c.allocated += e.allocated;
            if e.links >= e.nlink {
                c.unique += e.bytes;
                c.unique_allocated += e.allocated;
            }
        }
        c
    }

    fn add(&mut self, key: FileKey, st: Stat, opts: &WalkOptions) {
        if st.nlink > 1 {
            self.shared.push(SharedEntry {
                id: (st.dev, st.ino),
                nlink: st.nlink,
                links: 1,
                bytes: st.len,
                allocated: st.allocated,
                key,
            });
            return;
        }
        self.files += 1;
        self.bytes += st.len;
        self.allocated += st.allocated;
        if opts.collect_singles {
            self.singles.push((st.dev, st.ino, st.len, st.allocated));
        }
        match key {
            FileKey::Id(id) if opts.collect_names => self.named.push((id, st.len)),
            FileKey::Id(_) => {}
            FileKey::Metadata => self.metadata_bytes += st.len,
            FileKey::Unnamed => self.unnamed_bytes += st.len,
        }
    }

    /// Combines two partial walks of the same version.
    pub fn merge(mut self, mut other: Walked) -> Walked {
        if self.named.len() + self.shared.len() < other.named.len() + other.shared.len() {
            std::mem::swap(&mut self, &mut other);
        }
        self.files += other.files;
        self.bytes += other.bytes;
        self.allocated += other.allocated;
        self.metadata_bytes += other.metadata_bytes;
        self.unnamed_bytes += other.unnamed_bytes;
        self.named.append(&mut other.named);
        self.singles.append(&mut other.singles);
        self.errors.append(&mut other.errors);
        self.shared.append(&mut other.shared);
        self
    }
}

impl SharedEntry {
    fn absorb(&mut self, other: &SharedEntry) {
        self.links += other.links;
        self.nlink = self.nlink.max(other.nlink);
        self.key = self.key.min(other.key);
    }
}

/// How to walk.
#[derive(Clone, Copy)]
pub struct WalkOptions<'a> {
    /// Set to stop; checked before every directory.
    pub cancel: &'a AtomicBool,
    /// Called with (files, bytes) so far, every ~2,000 files or 100 ms.
    pub progress: &'a (dyn Fn(u64, u64) + Sync),
    /// Keep each `st_nlink == 1` content file's fileID (needed to categorize).
    pub collect_names: bool,
    /// Keep each `st_nlink == 1` file's inode (needed by the size cache).
    pub collect_singles: bool,
    /// Lists a directory; `std::fs::read_dir` except in tests that inject errors.
    pub read_dir: fn(&Path) -> io::Result<fs::ReadDir>,
}

/// Walks a version folder. Fails only when the folder itself cannot be listed; when
/// cancelled, returns what was counted so far (the caller checks the flag).
pub fn walk_version(dir: &Path, opts: &WalkOptions) -> io::Result<Walked> {
    let meter = Meter::new(opts.progress);
    let mut top = Walked::default();
    let mut subdirs: Vec<PathBuf> = Vec::new();
    let mut files: Vec<fs::DirEntry> = Vec::new();
    for entry in (opts.read_dir)(dir)? {
        match entry {
            Ok(e) if e.file_type().is_ok_and(|t| t.is_dir()) => subdirs.push(e.path()),
            Ok(e) => files.push(e),
            Err(e) => top.errors.push(dir_error(dir, &e)),
        }
    }
    // Files at the top (the metadata, and every content file of an iOS 9 backup) are
    // stat'ed in chunks alongside the subfolders.
    let (flat, nested) = rayon::join(
        || {
            files
                .par_chunks(FILES_PER_TASK)
                .fold(Walked::default, |mut acc, chunk| {
                    stat_top_files(chunk, &mut acc, opts, &meter);
                    acc
                })
                .reduce(Walked::default, Walked::merge)
        },
        || {
            subdirs
                .par_iter()
                .fold(Walked::default, |mut acc, sub| {
                    walk_tree(sub, &mut acc, opts, &meter);
                    acc
                })
                .reduce(Walked::default, Walked::merge)
        },
    );
    let mut all = top.merge(flat).merge(nested);
    all.coalesce();
    Ok(all)
}

/// Top-level files stat'ed per task.
const FILES_PER_TASK: usize = 2_048;

/// Stats a chunk of the version folder's own files.
fn stat_top_files(chunk: &[fs::DirEntry], acc: &mut Walked, opts: &WalkOptions, meter: &Meter) {
    if opts.cancel.load(Ordering::Relaxed) {
        return;
    }
    let (mut files, mut bytes) = (0, 0);
    for e in chunk {
        bytes += record(e, true, acc, opts, &mut files);
    }
    meter.add(files, bytes);
}

/// Walks one subfolder and everything below it.
fn walk_tree(root: &Path, acc: &mut Walked, opts: &WalkOptions, meter: &Meter) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if opts.cancel.load(Ordering::Relaxed) {
            return;
        }
        let entries = match (opts.read_dir)(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                acc.errors.push(dir_error(&dir, &e));
                continue;
            }
        };
        let (mut files, mut bytes) = (0, 0);
        for entry in entries {
            match entry {
                Ok(e) if e.file_type().is_ok_and(|t| t.is_dir()) => stack.push(e.path()),
                Ok(e) => bytes += record(&e, false, acc, opts, &mut files),
                Err(e) => acc.errors.push(dir_error(&dir, &e)),
            }
        }
        meter.add(files, bytes);
    }
}

/// Stats one non-directory entry and adds it; returns its bytes. A file that vanished since
/// the listing is skipped silently (a backup may be running).
fn record(
    entry: &fs::DirEntry,
    top: bool,
    acc: &mut Walked,
    opts: &WalkOptions,
    files: &mut u64,
) -> u64 {
    match entry.metadata() {
        Ok(md) => {
            let st = Stat::of(entry, &md);
            acc.add(key_for(&entry.file_name(), top), st, opts);
            *files += 1;
            st.len
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
        Err(e) => {
            acc.errors.push(format!("{}: {e}", entry.path().display()));
            0
        }
    }
}

/// The error recorded for a folder that cannot be read (the walk goes on).
pub fn dir_error(dir: &Path, err: &io::Error) -> String {
    format!("cannot read folder {}: {err}", dir.display())
}

/// What a name says: metadata at the top level, a fileID, or neither.
pub fn key_for(name: &OsStr, top: bool) -> FileKey {
    let bytes = name_bytes(name);
    if top && std::str::from_utf8(bytes).is_ok_and(is_metadata_file) {
        return FileKey::Metadata;
    }
    parse_file_id(bytes).map_or(FileKey::Unnamed, FileKey::Id)
}

#[cfg(unix)]
fn name_bytes(name: &OsStr) -> &[u8] {
    std::os::unix::ffi::OsStrExt::as_bytes(name)
}

#[cfg(not(unix))]
fn name_bytes(name: &OsStr) -> &[u8] {
    name.to_str().map_or(&[][..], str::as_bytes)
}

/// The figures of one `lstat`.
#[derive(Debug, Clone, Copy)]
struct Stat {
    len: u64,
    allocated: u64,
    nlink: u64,
    dev: u64,
    ino: u64,
}

impl Stat {
    #[cfg(unix)]
    fn of(_entry: &fs::DirEntry, md: &fs::Metadata) -> Stat {
        use std::os::unix::fs::MetadataExt;
        Stat {
            len: md.len(),
            allocated: md.blocks() * 512,
            nlink: md.nlink(),
            dev: md.dev(),
            ino: md.ino(),
        }
    }

    /// Windows: the volume serial number, file index and link count of the opened file
    /// (see [`file_identity`](super::file_identity)); a file that cannot be opened counts as
    /// its own inode, as before.
    #[cfg(windows)]
    fn of(entry: &fs::DirEntry, md: &fs::Metadata) -> Stat {
        let (dev, ino, nlink) = match super::file_identity::identity(&entry.path()) {
            Ok(id) => (id.volume, id.index, id.links.max(1)),
            Err(_) => (0, 0, 1),
        };
        Stat {
            len: md.len(),
            allocated: md.len(),
            nlink,
            dev,
            ino,
        }
    }

    /// No inode identity elsewhere in stable std: each file is its own inode.
    #[cfg(not(any(unix, windows)))]
    fn of(_entry: &fs::DirEntry, md: &fs::Metadata) -> Stat {
        Stat {
            len: md.len(),
            allocated: md.len(),
            nlink: 1,
            dev: 0,
            ino: 0,
        }
    }
}

/// Options for tests: no progress, names and singles collected, `std::fs::read_dir`.
#[cfg(test)]
pub(crate) fn test_options(cancel: &AtomicBool) -> WalkOptions<'_> {
    WalkOptions {
        cancel,
        progress: &|_, _| {},
        collect_names: true,
        collect_singles: true,
        read_dir: |p| fs::read_dir(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_denied_folder_is_described() {
        let err = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(
            dir_error(Path::new("/b/x/ab"), &err),
            "cannot read folder /b/x/ab: permission denied"
        );
    }

    #[test]
    fn names_map_to_keys() {
        let id = "00112233445566778899aabbccddeeff00112233";
        assert!(matches!(key_for(OsStr::new(id), false), FileKey::Id(_)));
        assert_eq!(key_for(OsStr::new("Manifest.db"), true), FileKey::Metadata);
        assert_eq!(key_for(OsStr::new("Manifest.db"), false), FileKey::Unnamed);
        assert_eq!(key_for(OsStr::new(".DS_Store"), true), FileKey::Unnamed);
    }

    #[test]
    fn shared_links_merge_and_count_once() {
        let st = Stat {
            len: 10,
            allocated: 4096,
            nlink: 2,
            dev: 1,
            ino: 7,
        };
        let cancel = AtomicBool::new(false);
        let opts = test_options(&cancel);
        let (mut a, mut b) = (Walked::default(), Walked::default());
        a.add(FileKey::Unnamed, st, &opts);
        b.add(FileKey::Id([1; 20]), st, &opts);
        let mut m = a.merge(b);
        m.coalesce();
        assert_eq!(m.shared.len(), 1);
        let e = m.shared[0];
        assert_eq!((e.links, e.key), (2, FileKey::Id([1; 20])));
        let c = m.counts();
        assert_eq!((c.files, c.bytes, c.unique, c.allocated), (1, 10, 10, 4096));
    }
}
