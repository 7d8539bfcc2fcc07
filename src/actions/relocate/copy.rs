//! Copying a tree: folders, regular files (holes kept, content hashed while copied), symbolic
//! links as links (never followed), hard links as hard links, modes and times kept.
//!
//! One walk ([`super::tree::walker`], names sorted) makes the folders and links and lists the
//! files, so the record it returns lists the entries in the order [`super::tree::read_tree`]
//! reads the copy back. The files are then copied on [`super::workers::THREADS`] threads,
//! each further hard link of a file is linked to its copy, and folders get their mode and
//! times last, deepest first, once nothing more is written into them.
//!
//! A file is read in pieces of up to [`super::digest::CHUNK`] (only where it holds data),
//! hashed and written with `pwrite`, one write for each run of blocks that are not all zeros:
//! the copy keeps a hole wherever the source has a block of zeros, like `cp --sparse=auto`.
//! Its mode and times are set on the open file, its length only when it ends in a hole.
//!
//! Resuming a copy that was cut short (`resume`): what the first run finished is kept. A file
//! whose copy has the source's length, mode and modification time was finished (the time is
//! set last), so it is only read and hashed, not written again; anything else in the way is
//! replaced. The verify pass then reads every copy back and compares it with the record, so a
//! copy torn by a power cut is found there, never taken for whole.
//!
//! Why not `copy_file_range`: the digest needs every byte in memory anyway, and one read with
//! a write of the same buffer costs less than a kernel copy plus a second read to hash.

use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rustix::fs::{futimens, utimensat, AtFlags, Timestamps, CWD};

use super::digest::{hash_file, may_have_holes};
use super::tree::{
    locate, mode_of, not_movable, open_file, recorded, relative, set_digest, share_digest,
    walk_error, walker, Counts, Entry, EntryKind, HardLinks, Top, Tree,
};
use super::workers::run_all;
use super::MoveError;
use crate::library::Error;

/// A regular file to copy: its entry in the record and what the walk saw of it.
struct FileJob {
    /// Index of its entry in the record.
    entry: usize,
    /// `(st_dev, st_ino)` when walked: the file opened must be this one.
    id: (u64, u64),
    /// Its length.
    len: u64,
    /// It may have holes ([`may_have_holes`]).
    sparse: bool,
    /// Its mode bits.
    mode: u32,
    /// Its access and modification times.
    times: Timestamps,
    /// Its modification time (seconds, nanoseconds), as `stat` gives it.
    mtime: (i64, i64),
}

/// Copies everything inside each of `from` into the existing folder `to` beside it (empty, or
/// holding what an interrupted copy left when `resume`) and gives it its source's mode and
/// times; returns one record of them all with every file's digest (a file hard-linked from
/// two of them is copied once and linked in both).
pub fn copy_trees(
    from: &[Top],
    to: &[PathBuf],
    resume: bool,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Counts),
) -> Result<Tree, MoveError> {
    let mut tree = Tree::default();
    let mut counts = Counts::default();
    let mut files: Vec<FileJob> = Vec::new();
    let mut links = HardLinks::default();
    let mut folders: Vec<(PathBuf, u32, Timestamps)> = Vec::new();
    let io_at = |p: &Path| {
        let p = p.to_path_buf();
        move |e: io::Error| MoveError::from_io(&p, e)
    };
    let prefixes: Vec<&Path> = from.iter().map(|t| t.prefix.as_path()).collect();
    // Where a record's path is, in the source and in the copy.
    let on_disk = |path: &Path| -> Option<(PathBuf, PathBuf)> {
        let (i, rel) = locate(&prefixes, path)?;
        Some((from[i].path.join(rel), to.get(i)?.join(rel)))
    };
    for (top, to) in from.iter().zip(to) {
        let (prefix, from) = (top.prefix.as_path(), top.path.as_path());
        for item in walker(from) {
            if cancel.load(Ordering::Relaxed) {
                return Err(MoveError::Cancelled);
            }
            let item = item.map_err(walk_error(from))?;
            let rel = relative(from, item.path());
            let target = to.join(&rel);
            let meta = item
                .path()
                .symlink_metadata()
                .map_err(|e| Error::io(item.path(), e))?;
            let index = tree.entries.len();
            let kind = if meta.is_dir() {
                if !rel.as_os_str().is_empty() {
                    make_dir(&target, resume).map_err(io_at(&target))?;
                }
                folders.push((target.clone(), mode_of(&meta), timestamps(&meta)));
                EntryKind::Dir
            } else if meta.file_type().is_symlink() {
                let link = std::fs::read_link(item.path()).map_err(io_at(item.path()))?;
                if resume {
                    remove_if_there(&target).map_err(io_at(&target))?;
                }
                std::os::unix::fs::symlink(&link, &target).map_err(io_at(&target))?;
                set_times(&target, &meta, AtFlags::SYMLINK_NOFOLLOW).map_err(io_at(&target))?;
                EntryKind::Symlink { target: link }
            } else if meta.is_file() {
                let same_as = links.see(&tree.entries, index, &meta);
                if same_as.is_none() {
                    files.push(FileJob {
                        entry: index,
                        id: (meta.dev(), meta.ino()),
                        len: meta.len(),
                        sparse: may_have_holes(&meta),
                        mode: mode_of(&meta),
                        times: timestamps(&meta),
                        mtime: (meta.mtime(), meta.mtime_nsec()),
                    });
                }
                EntryKind::unhashed(meta.len(), same_as)
            } else {
                return Err(not_movable(item.path()));
            };
            let counted = !matches!(kind, EntryKind::File { .. });
            tree.entries
                .push(Entry::of(recorded(prefix, rel), kind, &meta));
            if counted {
                counts.entries += 1;
                progress(counts);
            }
        }
    }

    // The files, on a few threads; the tree's paths name them.
    let entries = &tree.entries;
    let digests = run_all(
        files.len(),
        cancel,
        |i, ticker| {
            let job = &files[i];
            let path = &entries[job.entry].path;
            let (from, to) = on_disk(path)
                .ok_or_else(|| Error::invalid(path, "is in none of the folders copied"))?;
            copy_file(&from, &to, job, resume, cancel, &mut |n| ticker.bytes(n))
        },
        &mut |done| {
            progress(Counts {
                entries: counts.entries + done.items,
                bytes: counts.bytes + done.bytes,
            })
        },
    )?;
    if cancel.load(Ordering::Relaxed) || digests.len() != files.len() {
        return Err(MoveError::Cancelled);
    }
    counts.entries += files.len() as u64;
    counts.bytes += files.iter().map(|f| f.len).sum::<u64>();
    for (job, digest) in files.iter().zip(digests) {
        set_digest(&mut tree.entries[job.entry], digest);
    }

    // Further hard links, to the copy of their first path.
    for (index, first) in links.further {
        let copy_of = |e: usize| on_disk(&tree.entries[e].path).map(|(_, to)| to);
        let (Some(original), Some(target)) = (copy_of(first), copy_of(index)) else {
            continue;
        };
        link_to(&original, &target, resume).map_err(io_at(&target))?;
        share_digest(&mut tree, index, first);
        counts.entries += 1;
        progress(counts);
    }

    // Deepest first: setting a folder's times must come after the last write into it.
    for (path, mode, times) in folders.iter().rev() {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(*mode))
            .map_err(|e| Error::io(path, e))?;
        utimensat(CWD, path, times, AtFlags::empty()).map_err(|e| Error::io(path, e.into()))?;
    }
    Ok(tree)
}

/// Makes the folder `path`; when resuming, one already there is fine.
fn make_dir(path: &Path, resume: bool) -> io::Result<()> {
    match std::fs::create_dir(path) {
        Err(e) if resume && e.kind() == io::ErrorKind::AlreadyExists => {
            if std::fs::symlink_metadata(path)?.is_dir() {
                Ok(())
            } else {
                std::fs::remove_file(path)?;
                std::fs::create_dir(path)
            }
        }
        other => other,
    }
}

/// Removes a file or link at `path`, if there is one (a folder there is an error).
fn remove_if_there(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Makes `target` a hard link of `original` (when resuming, one that already is stays).
fn link_to(original: &Path, target: &Path, resume: bool) -> io::Result<()> {
    if resume {
        if let (Ok(a), Ok(b)) = (
            std::fs::symlink_metadata(original),
            std::fs::symlink_metadata(target),
        ) {
            if (a.dev(), a.ino()) == (b.dev(), b.ino()) {
                return Ok(());
            }
        }
        remove_if_there(target)?;
    }
    std::fs::hard_link(original, target)
}

/// True when `to` is a finished copy of the file `job` (see the module doc).
fn finished_copy(to: &Path, job: &FileJob) -> bool {
    std::fs::symlink_metadata(to).is_ok_and(|c| {
        c.is_file()
            && c.len() == job.len
            && mode_of(&c) == job.mode
            && (c.mtime(), c.mtime_nsec()) == job.mtime
    })
}

/// Copies one regular file (a new file at `to`, or, when resuming, kept if finished), holes
/// kept; returns its digest.
fn copy_file(
    from: &Path,
    to: &Path,
    job: &FileJob,
    resume: bool,
    cancel: &AtomicBool,
    done: &mut dyn FnMut(u64),
) -> Result<String, MoveError> {
    let source = open_file(from).map_err(|e| Error::io(from, e))?;
    let opened = source.metadata().map_err(|e| Error::io(from, e))?;
    if (opened.dev(), opened.ino()) != job.id {
        return Err(Error::invalid(from, "was replaced while it was copied").into());
    }
    let (len, sparse) = (job.len, job.sparse);
    if resume {
        if finished_copy(to, job) {
            return hash_file(&source, len, sparse, cancel, &mut |_, _| Ok(()), done)
                .map_err(|e| MoveError::from_io(from, e));
        }
        remove_if_there(to).map_err(|e| Error::io(to, e))?;
    }
    let copy = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(to)
        .map_err(|e| Error::io(to, e))?;
    let mut end = 0;
    let sha1 = hash_file(
        &source,
        len,
        sparse,
        cancel,
        &mut |at, bytes| write_data(&copy, at, bytes, &mut end),
        done,
    )
    .map_err(|e| MoveError::from_io(from, e))?;
    let io = |e| Error::io(to, e);
    if end < len {
        copy.set_len(len).map_err(io)?;
    }
    copy.set_permissions(std::fs::Permissions::from_mode(job.mode))
        .map_err(io)?;
    futimens(&copy, &job.times).map_err(|e| io(e.into()))?;
    Ok(sha1)
}

/// Writes a run of data at `at`; `end` becomes the end of the last byte written.
fn write_data(copy: &std::fs::File, at: u64, bytes: &[u8], end: &mut u64) -> io::Result<()> {
    copy.write_all_at(bytes, at)?;
    *end = (*end).max(at + bytes.len() as u64);
    Ok(())
}

/// The access and modification times of `meta`.
fn timestamps(meta: &std::fs::Metadata) -> Timestamps {
    let stamp = |sec: i64, nsec: i64| rustix::fs::Timespec {
        tv_sec: sec,
        tv_nsec: nsec as _,
    };
    Timestamps {
        last_access: stamp(meta.atime(), meta.atime_nsec()),
        last_modification: stamp(meta.mtime(), meta.mtime_nsec()),
    }
}

/// Gives `path` the access and modification times of `meta` (of the link itself with
/// `SYMLINK_NOFOLLOW`).
fn set_times(path: &Path, meta: &std::fs::Metadata, flags: AtFlags) -> io::Result<()> {
    Ok(utimensat(CWD, path, &timestamps(meta), flags)?)
}
