//! (unix) Removing a tree relative to open folders, so that no path is resolved twice.
//!
//! A walk by path can be raced: a folder swapped for a symbolic link between listing and
//! unlinking would make a path-based removal delete outside the version. Here every folder is
//! opened with `O_DIRECTORY | O_NOFOLLOW` relative to its parent's descriptor, every entry is
//! looked at with `fstatat(AT_SYMLINK_NOFOLLOW)` and removed with `unlinkat` relative to the
//! open folder (through [`Remover::remove_at`], the seam tests use). A link is unlinked, never
//! entered; a folder swapped for a link after its `fstatat` fails to open (`ELOOP`/`ENOTDIR`)
//! and is reported. Non-unix systems keep the path-based walk of [`super::remove`].

use std::ffi::{CStr, OsStr};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rustix::fs::{openat, statat, AtFlags, Dir, FileType, Mode, OFlags, CWD};

use super::remove::{push_error, DeleteProgress, Remover, TreeRemoval};

/// What one walk carries along.
struct Walk<'a> {
    out: TreeRemoval,
    cancel: &'a AtomicBool,
    remover: &'a mut dyn Remover,
    progress: &'a mut dyn FnMut(DeleteProgress),
}

fn open_dir(parent: impl AsFd, name: impl rustix::path::Arg) -> std::io::Result<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(openat(parent, name, flags, Mode::empty())?)
}

/// Removes `dir` and everything in it relative to open folders, never following a link.
pub(super) fn remove_tree_at(
    dir: &Path,
    total_bytes: u64,
    cancel: &AtomicBool,
    remover: &mut dyn Remover,
    progress: &mut dyn FnMut(DeleteProgress),
) -> TreeRemoval {
    let mut walk = Walk {
        out: TreeRemoval::starting(total_bytes),
        cancel,
        remover,
        progress,
    };
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        push_error(&mut walk.out, dir, "has no parent folder");
        return walk.out;
    };
    let opened = open_dir(CWD, parent).and_then(|p| Ok((open_dir(&p, name)?, p)));
    let (top, parent_fd) = match opened {
        Ok(fds) => fds,
        Err(e) => {
            push_error(&mut walk.out, dir, &e.to_string());
            return walk.out;
        }
    };
    if empty_folder(&mut walk, &top, dir) {
        drop(top);
        let name = std::ffi::CString::new(name.as_bytes()).unwrap_or_default();
        remove_entry(&mut walk, &parent_fd, &name, dir, true);
    }
    walk.out
}

/// Empties the open folder `fd` (at `path`); true when it is empty now.
fn empty_folder(walk: &mut Walk, fd: &OwnedFd, path: &Path) -> bool {
    let names = match list(fd) {
        Ok(n) => n,
        Err(e) => {
            push_error(&mut walk.out, path, &e.to_string());
            return false;
        }
    };
    let mut clean = true;
    for name in names {
        if walk.cancel.load(Ordering::Relaxed) {
            walk.out.cancelled = true;
            return false;
        }
        let child = path.join(OsStr::from_bytes(name.to_bytes()));
        clean &= remove_child(walk, fd, &name, &child);
    }
    clean
}

/// Removes one entry of the open folder `fd`; true when it is gone.
fn remove_child(walk: &mut Walk, fd: &OwnedFd, name: &CStr, child: &Path) -> bool {
    let st = match statat(fd, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) => st,
        Err(e) => {
            push_error(&mut walk.out, child, &std::io::Error::from(e).to_string());
            return false;
        }
    };
    let kind = FileType::from_raw_mode(st.st_mode);
    // `st_nlink`'s width differs between platforms.
    #[allow(clippy::useless_conversion)]
    let nlink = u64::from(st.st_nlink);
    if kind != FileType::Directory {
        // Bytes count when this was the file's last link.
        let freed = if kind == FileType::RegularFile && nlink <= 1 {
            u64::try_from(st.st_size).unwrap_or(0)
        } else {
            0
        };
        let gone = remove_entry(walk, fd, name, child, false);
        if gone {
            walk.out.progress.files_removed += 1;
            walk.out.progress.bytes_removed += freed;
            (walk.progress)(walk.out.progress);
        }
        return gone;
    }
    let sub = match open_dir(fd, name) {
        Ok(sub) => sub,
        Err(e) => {
            push_error(&mut walk.out, child, &e.to_string());
            return false;
        }
    };
    if !empty_folder(walk, &sub, child) {
        return false;
    }
    drop(sub);
    remove_entry(walk, fd, name, child, true)
}

/// Unlinks `name` in `fd` through the remover; records a failure.
fn remove_entry(walk: &mut Walk, fd: &OwnedFd, name: &CStr, path: &Path, dir: bool) -> bool {
    match walk.remover.remove_at(fd.as_fd(), name, path, dir) {
        Ok(()) => {
            if dir {
                walk.out.dirs_removed += 1;
            }
            true
        }
        Err(e) => {
            push_error(&mut walk.out, path, &e.to_string());
            false
        }
    }
}

/// The entry names of the open folder `fd`, without `.` and `..`.
fn list(fd: &OwnedFd) -> std::io::Result<Vec<std::ffi::CString>> {
    let mut names = Vec::new();
    for entry in Dir::read_from(fd)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_bytes() != b"." && name.to_bytes() != b".." {
            names.push(name.to_owned());
        }
    }
    Ok(names)
}
