//! What a folder tree holds, entry by entry: the record the copy makes of the source and the
//! verify pass makes of the copy, and the comparison of two records.
//!
//! Paths are relative to the tree's top (the top itself is the empty path) and in walk order
//! (names sorted), so two trees with the same entries give the same list. A file that is a
//! further hard link of an earlier one in the walk names that first path in `same_as`: two
//! trees have the same hard-link structure exactly when these agree.

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use super::digest::{hash_file, may_have_holes};
use super::workers::run_all;
use super::MoveError;
use crate::library::Error;

/// What an entry is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryKind {
    /// A folder.
    Dir,
    /// A regular file.
    File {
        /// Its length in bytes.
        size: u64,
        /// Its content digest ([`super::digest`]); empty when not hashed.
        sha1: String,
        /// The earlier path in the walk that is the same file (a hard link), if any.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::json_path::lossless::option"
        )]
        same_as: Option<PathBuf>,
    },
    /// A symbolic link (never followed).
    Symlink {
        /// What it points to, as written in the link.
        #[serde(with = "crate::json_path::lossless")]
        target: PathBuf,
    },
}

impl EntryKind {
    /// A regular file of `size` bytes whose digest is not known yet.
    pub(super) fn unhashed(size: u64, same_as: Option<PathBuf>) -> Self {
        EntryKind::File {
            size,
            sha1: String::new(),
            same_as,
        }
    }
}

/// The error for an entry that is neither file, folder nor link (a socket, a device).
pub(super) fn not_movable(path: &Path) -> MoveError {
    Error::invalid(path, "is not a file, folder or link").into()
}

/// One entry of a tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Path relative to the top (empty for the top).
    #[serde(with = "crate::json_path::lossless")]
    pub path: PathBuf,
    /// Folder, file or link.
    #[serde(flatten)]
    pub kind: EntryKind,
    /// Permission bits (`st_mode & 0o7777`).
    pub mode: u32,
    /// Modification time: seconds since 1970 and nanoseconds.
    pub mtime: (i64, u32),
}

impl Entry {
    /// The entry at `path` of this kind, with the mode and mtime of `meta`.
    pub fn of(path: PathBuf, kind: EntryKind, meta: &std::fs::Metadata) -> Self {
        Entry {
            path,
            kind,
            mode: mode_of(meta),
            mtime: mtime_of(meta),
        }
    }
}

/// A tree's entries in walk order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tree {
    /// Every entry, the top first.
    pub entries: Vec<Entry>,
}

/// Files, bytes (each file once) of a tree walk in progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Entries done (folders, files, links).
    pub entries: u64,
    /// Apparent bytes done, each hard-linked file once.
    pub bytes: u64,
}

/// The walker every pass uses: no link followed (the top must be a real folder), names sorted.
pub(super) fn walker(top: &Path) -> WalkDir {
    WalkDir::new(top)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
}

/// The path of `entry` relative to `top`.
pub(super) fn relative(top: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(top).unwrap_or(path).to_path_buf()
}

/// `(seconds, nanoseconds)` of the modification time.
pub(super) fn mtime_of(meta: &std::fs::Metadata) -> (i64, u32) {
    (meta.mtime(), u32::try_from(meta.mtime_nsec()).unwrap_or(0))
}

/// The mode bits kept: permissions, setuid/setgid, sticky.
pub(super) fn mode_of(meta: &std::fs::Metadata) -> u32 {
    meta.mode() & 0o7777
}

/// A folder walked into a record, its entries recorded under `prefix` (empty for a whole
/// root; a device folder's path in its root for one device's backups).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Top {
    /// The folder.
    pub path: PathBuf,
    /// Where its entries go in the record.
    pub prefix: PathBuf,
}

impl Top {
    /// A whole tree: its entries recorded from the empty path.
    pub fn whole(path: &Path) -> Vec<Top> {
        vec![Top {
            path: path.to_path_buf(),
            prefix: PathBuf::new(),
        }]
    }
}

/// The record's path of `rel` (relative to a top) under `prefix`.
pub(super) fn recorded(prefix: &Path, rel: PathBuf) -> PathBuf {
    if rel.as_os_str().is_empty() {
        prefix.to_path_buf()
    } else if prefix.as_os_str().is_empty() {
        rel
    } else {
        prefix.join(rel)
    }
}

/// The index of the top a record's `path` belongs to, and the path relative to that top.
pub(super) fn locate<'a>(prefixes: &[&Path], path: &'a Path) -> Option<(usize, &'a Path)> {
    prefixes
        .iter()
        .enumerate()
        .find_map(|(i, p)| path.strip_prefix(p).ok().map(|rel| (i, rel)))
}

/// Records the tree at `top` as it is on disk (see [`read_trees`]).
pub fn read_tree(
    top: &Path,
    hash: bool,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Counts),
) -> Result<Tree, MoveError> {
    read_trees(&Top::whole(top), hash, cancel, progress)
}

/// Records the trees at `tops` as they are on disk, in one record (hard links between them
/// recorded as such); with `hash`, reads every file (each hard-linked file once) to hash it, on
/// [`super::workers::THREADS`] threads. Progress counts entries and bytes.
pub fn read_trees(
    tops: &[Top],
    hash: bool,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Counts),
) -> Result<Tree, MoveError> {
    let mut tree = Tree::default();
    let mut counts = Counts::default();
    let mut links = HardLinks::default();
    // Files to hash: (entry, path on disk, length, may have holes).
    let mut to_hash: Vec<(usize, PathBuf, u64, bool)> = Vec::new();
    for top in tops {
        let prefix = top.prefix.as_path();
        let top = top.path.as_path();
        for item in walker(top) {
            if cancel.load(Ordering::Relaxed) {
                return Err(MoveError::Cancelled);
            }
            let item = item.map_err(walk_error(top))?;
            let path = recorded(prefix, relative(top, item.path()));
            let meta = item
                .path()
                .symlink_metadata()
                .map_err(|e| Error::io(item.path(), e))?;
            let index = tree.entries.len();
            let kind = if meta.is_dir() {
                EntryKind::Dir
            } else if meta.file_type().is_symlink() {
                let target =
                    std::fs::read_link(item.path()).map_err(|e| Error::io(item.path(), e))?;
                EntryKind::Symlink { target }
            } else if meta.is_file() {
                let same_as = links.see(&tree.entries, index, &meta);
                if same_as.is_none() {
                    if hash {
                        to_hash.push((
                            index,
                            item.path().to_path_buf(),
                            meta.len(),
                            may_have_holes(&meta),
                        ));
                    } else {
                        counts.bytes += meta.len();
                    }
                }
                EntryKind::unhashed(meta.len(), same_as)
            } else {
                return Err(not_movable(item.path()));
            };
            tree.entries.push(Entry::of(path, kind, &meta));
            counts.entries += 1;
            progress(counts);
        }
    }
    let digests = run_all(
        to_hash.len(),
        cancel,
        |i, ticker| {
            let (_, path, len, sparse) = &to_hash[i];
            let (path, len, sparse) = (path.as_path(), *len, *sparse);
            let file = open_file(path).map_err(|e| MoveError::from_io(path, e))?;
            drop_cached(&file);
            hash_file(&file, len, sparse, cancel, &mut |_, _| Ok(()), &mut |n| {
                ticker.bytes(n)
            })
            .map_err(|e| MoveError::from_io(path, e))
        },
        &mut |done| {
            progress(Counts {
                entries: counts.entries,
                bytes: counts.bytes + done.bytes,
            })
        },
    )?;
    if cancel.load(Ordering::Relaxed) || digests.len() != to_hash.len() {
        return Err(MoveError::Cancelled);
    }
    for ((entry, ..), digest) in to_hash.iter().zip(digests) {
        set_digest(&mut tree.entries[*entry], digest);
    }
    for (index, first) in links.further {
        share_digest(&mut tree, index, first);
    }
    Ok(tree)
}

/// Opens a regular file to read, never through a link (nor blocking on a pipe put there).
pub(super) fn open_file(path: &Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

/// The hard links a walk has met: the entry of the first path of each file with more links,
/// and each further path with the entry of its first.
#[derive(Debug, Default)]
pub(super) struct HardLinks {
    first_of: HashMap<(u64, u64), usize>,
    /// `(entry, entry of the first path)` of every further link, in walk order.
    pub further: Vec<(usize, usize)>,
}

impl HardLinks {
    /// For the file at entry `index` with metadata `meta`: the first path when it is a
    /// further link of an earlier entry (then recorded in [`HardLinks::further`]), else
    /// `None` (and remembered when it has more links).
    pub fn see(
        &mut self,
        entries: &[Entry],
        index: usize,
        meta: &std::fs::Metadata,
    ) -> Option<PathBuf> {
        if meta.nlink() <= 1 {
            return None;
        }
        let id = (meta.dev(), meta.ino());
        match self.first_of.get(&id) {
            Some(&first) => {
                self.further.push((index, first));
                Some(entries[first].path.clone())
            }
            None => {
                self.first_of.insert(id, index);
                None
            }
        }
    }
}

/// Sets the digest of a file's entry.
pub(super) fn set_digest(entry: &mut Entry, digest: String) {
    if let EntryKind::File { sha1, .. } = &mut entry.kind {
        *sha1 = digest;
    }
}

/// Gives the entry at `index` (a further hard link) the digest of the entry at `first`.
pub(super) fn share_digest(tree: &mut Tree, index: usize, first: usize) {
    let digest = match &tree.entries[first].kind {
        EntryKind::File { sha1, .. } => sha1.clone(),
        _ => String::new(),
    };
    set_digest(&mut tree.entries[index], digest);
}

/// (Linux) Asks the kernel to forget the file's cached pages, so that hashing it reads what
/// the disk holds (after [`super::switch::sync_volume`]), not what the copy left in memory.
fn drop_cached(file: &File) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::DontNeed);
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let _ = file;
}

/// Turns a walk error into a [`MoveError`] naming the path.
pub(super) fn walk_error(top: &Path) -> impl Fn(walkdir::Error) -> MoveError + '_ {
    move |e| {
        let path = e.path().unwrap_or(top).to_path_buf();
        MoveError::Fs(Error::io(path, e.into()))
    }
}

/// How two trees differ: the first few differences and how many there are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Differences {
    /// The first differences, one sentence each.
    pub first: Vec<String>,
    /// How many there are.
    pub count: u64,
}

impl Differences {
    /// How many difference sentences are kept.
    pub const KEPT: usize = 10;

    fn push(&mut self, what: String) {
        self.count += 1;
        if self.first.len() < Self::KEPT {
            self.first.push(what);
        }
    }

    /// True when the trees agree.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// Compares `expected` with `actual` entry by entry: paths, kinds, sizes, modes, mtimes, link
/// targets, hard-link structure, and (with `contents`) digests. Folder mtimes are compared
/// too; a link's own mode and mtime are not (not every system can set them).
pub fn compare(expected: &Tree, actual: &Tree, contents: bool) -> Differences {
    let mut diff = Differences::default();
    let found: HashMap<&Path, &Entry> = actual
        .entries
        .iter()
        .map(|e| (e.path.as_path(), e))
        .collect();
    let wanted: HashMap<&Path, &Entry> = expected
        .entries
        .iter()
        .map(|e| (e.path.as_path(), e))
        .collect();
    for e in &expected.entries {
        let shown = e.path.display();
        let Some(a) = found.get(e.path.as_path()) else {
            diff.push(format!("{shown} is missing"));
            continue;
        };
        match (&e.kind, &a.kind) {
            (EntryKind::Dir, EntryKind::Dir) => {}
            (EntryKind::Symlink { target: t }, EntryKind::Symlink { target: u }) => {
                if t != u {
                    diff.push(format!(
                        "{shown} points to {} instead of {}",
                        u.display(),
                        t.display()
                    ));
                }
                continue;
            }
            (
                EntryKind::File {
                    size,
                    sha1,
                    same_as,
                },
                EntryKind::File {
                    size: s2,
                    sha1: h2,
                    same_as: l2,
                },
            ) => {
                if size != s2 {
                    diff.push(format!("{shown} has {s2} bytes instead of {size}"));
                } else if contents && sha1 != h2 {
                    diff.push(format!("{shown} has other contents"));
                }
                if same_as != l2 {
                    diff.push(format!("{shown} is not hard-linked as in the original"));
                }
            }
            _ => {
                diff.push(format!("{shown} is another kind of entry"));
                continue;
            }
        }
        if e.mode != a.mode {
            diff.push(format!(
                "{shown} has mode {:o} instead of {:o}",
                a.mode, e.mode
            ));
        }
        if e.mtime != a.mtime {
            diff.push(format!("{shown} has another modification time"));
        }
    }
    for a in &actual.entries {
        if !wanted.contains_key(a.path.as_path()) {
            diff.push(format!("{} was not in the original", a.path.display()));
        }
    }
    diff
}
