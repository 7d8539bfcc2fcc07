//! Copying a tree: folders, regular files (holes kept, content hashed while copied), symbolic
//! links as links (never followed), hard links as hard links, modes and times kept.
//!
//! The walk is [`super::tree::walker`]'s (names sorted), so the record it returns lists the
//! entries in the order [`super::tree::read_tree`] reads the copy back. Files are read in
//! [`super::digest::CHUNK`] pieces, hashed and written with `pwrite`; pieces that are all
//! zeros are not written, nor are the all-zero 4 KiB blocks of the others (the copy keeps a
//! hole there, like `cp --sparse=auto`). Folders get
//! their mode and times last, deepest first, once nothing more is written into them.
//!
//! Why not `copy_file_range`: the digest needs every byte in memory anyway, and one read with
//! a write of the same buffer costs less than a kernel copy plus a second read to hash.

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rustix::fs::{utimensat, AtFlags, Timestamps, CWD};

use super::digest::hash_file;
use super::tree::{mode_of, relative, walk_error, walker, Counts, Entry, EntryKind, Tree};
use super::MoveError;
use crate::library::Error;

/// Copies everything inside `from` into the existing, empty folder `to` (and gives `to`
/// `from`'s mode and times); returns the record of `from` with every file's digest.
pub fn copy_tree(
    from: &Path,
    to: &Path,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Counts),
) -> Result<Tree, MoveError> {
    let mut tree = Tree::default();
    let mut counts = Counts::default();
    // (dev, ino) → (path in the copy, relative path, digest) of files with more links.
    let mut linked: HashMap<(u64, u64), (PathBuf, PathBuf, String)> = HashMap::new();
    let mut folders: Vec<(PathBuf, std::fs::Metadata)> = Vec::new();
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
        let io_at = |p: &Path| {
            let p = p.to_path_buf();
            move |e: io::Error| MoveError::from_io(&p, e)
        };
        let kind = if meta.is_dir() {
            if !rel.as_os_str().is_empty() {
                std::fs::create_dir(&target).map_err(io_at(&target))?;
            }
            folders.push((target, meta.clone()));
            EntryKind::Dir
        } else if meta.file_type().is_symlink() {
            let link = std::fs::read_link(item.path()).map_err(io_at(item.path()))?;
            std::os::unix::fs::symlink(&link, &target).map_err(io_at(&target))?;
            set_times(&target, &meta, AtFlags::SYMLINK_NOFOLLOW).map_err(io_at(&target))?;
            EntryKind::Symlink { target: link }
        } else if meta.is_file() {
            let key = (meta.dev(), meta.ino());
            if let Some((first, first_rel, sha1)) = linked.get(&key) {
                std::fs::hard_link(first, &target).map_err(io_at(&target))?;
                EntryKind::File {
                    size: meta.len(),
                    sha1: sha1.clone(),
                    same_as: Some(first_rel.clone()),
                }
            } else {
                let sha1 = copy_file(item.path(), &target, &meta, cancel, &mut |n| {
                    counts.bytes += n;
                    progress(counts);
                })?;
                if meta.nlink() > 1 {
                    linked.insert(key, (target.clone(), rel.clone(), sha1.clone()));
                }
                EntryKind::File {
                    size: meta.len(),
                    sha1,
                    same_as: None,
                }
            }
        } else {
            return Err(Error::invalid(item.path(), "is not a file, folder or link").into());
        };
        tree.entries.push(Entry::of(rel, kind, &meta));
        counts.entries += 1;
        progress(counts);
    }
    // Deepest first: setting a folder's times must come after the last write into it.
    for (path, meta) in folders.iter().rev() {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode_of(meta)))
            .map_err(|e| Error::io(path, e))?;
        set_times(path, meta, AtFlags::empty()).map_err(|e| Error::io(path, e))?;
    }
    Ok(tree)
}

/// Copies one regular file (a new file at `to`), holes kept; returns its digest.
fn copy_file(
    from: &Path,
    to: &Path,
    meta: &std::fs::Metadata,
    cancel: &AtomicBool,
    done: &mut dyn FnMut(u64),
) -> Result<String, MoveError> {
    let source = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(from)
        .map_err(|e| Error::io(from, e))?;
    let opened = source.metadata().map_err(|e| Error::io(from, e))?;
    if (opened.dev(), opened.ino()) != (meta.dev(), meta.ino()) {
        return Err(Error::invalid(from, "was replaced while it was copied").into());
    }
    let copy = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(to)
        .map_err(|e| Error::io(to, e))?;
    let len = meta.len();
    let sha1 = hash_file(
        &source,
        len,
        cancel,
        &mut |at, bytes| write_data(&copy, at, bytes),
        done,
    )
    .map_err(|e| MoveError::from_io(from, e))?;
    let io = |e| Error::io(to, e);
    copy.set_len(len).map_err(io)?;
    copy.set_permissions(std::fs::Permissions::from_mode(mode_of(meta)))
        .map_err(io)?;
    drop(copy);
    set_times(to, meta, AtFlags::empty()).map_err(io)?;
    Ok(sha1)
}

/// Writes the 4 KiB blocks of a piece that are not all zeros (a hole stays a hole even
/// inside a piece that holds data, as `cp --sparse=auto` keeps it).
fn write_data(copy: &std::fs::File, at: u64, bytes: &[u8]) -> io::Result<()> {
    for (i, block) in bytes.chunks(4096).enumerate() {
        if block.iter().any(|&b| b != 0) {
            copy.write_all_at(block, at + i as u64 * 4096)?;
        }
    }
    Ok(())
}

/// Gives `path` the access and modification times of `meta` (of the link itself with
/// `SYMLINK_NOFOLLOW`).
fn set_times(path: &Path, meta: &std::fs::Metadata, flags: AtFlags) -> io::Result<()> {
    let stamp = |sec: i64, nsec: i64| rustix::fs::Timespec {
        tv_sec: sec,
        tv_nsec: nsec as _,
    };
    let times = Timestamps {
        last_access: stamp(meta.atime(), meta.atime_nsec()),
        last_modification: stamp(meta.mtime(), meta.mtime_nsec()),
    };
    Ok(utimensat(CWD, path, &times, flags)?)
}
