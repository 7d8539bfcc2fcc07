//! Removing a folder tree for good, never following a symbolic link, with progress, cancel,
//! and a seam ([`Remover`]) through which tests inject failures.
//!
//! On unix the walk is relative to open folders (`openat`/`unlinkat`, see
//! [`super::remove_at`]), so a folder swapped for a link midway cannot lead outside. Elsewhere
//! it is `walkdir` with `follow_links(false)` and `follow_root_links(false)`, contents first
//! (by path: a swap between listing and unlinking is not guarded against there). Either way
//! every file and link is unlinked, then its folder; removing a symlink removes the link,
//! never its target. An entry that cannot be removed is recorded and the walk goes on; the
//! folders above it then stay (reported once, at the entry that failed).

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use walkdir::WalkDir;

/// Progress of a permanent delete.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeleteProgress {
    /// Files and links unlinked so far.
    pub files_removed: u64,
    /// Apparent bytes freed so far: a file counts when its last link goes (so an iMazing
    /// snapshot's links to the live backup free nothing).
    pub bytes_removed: u64,
    /// What the whole delete frees: bytes of the files whose every link lies inside the
    /// version, counted before removal started.
    pub total_bytes: u64,
}

/// The file-system operations a delete performs; tests replace them to inject failures.
pub trait Remover {
    /// Removes a file or a symbolic link (never its target).
    fn remove_file(&mut self, path: &Path) -> io::Result<()>;
    /// Removes an empty folder.
    fn remove_dir(&mut self, path: &Path) -> io::Result<()>;
    /// Moves a folder to the system trash.
    fn trash(&mut self, path: &Path) -> Result<(), String>;
    /// Why trashing `path` would not be a rename (a full copy to another disk), if it would
    /// not; see [`super::trash_check`].
    fn trash_problem(&self, path: &Path) -> Result<(), String> {
        super::trash_check::same_volume_trash(path)
    }
    /// Puts a version this remover trashed back at `original` (a cancelled trash delete).
    /// The default says it cannot.
    fn put_back(&mut self, original: &Path) -> Result<(), String> {
        let _ = original;
        Err("it stays in the trash".into())
    }
    /// (unix) Removes entry `name` of the open folder `parent` (at `path`): a file or link, or
    /// an empty folder when `dir`. The default calls [`Remover::remove_file`] or
    /// [`Remover::remove_dir`] on `path` (the seam tests use); the system remover uses
    /// `unlinkat` and never resolves `path`.
    #[cfg(unix)]
    fn remove_at(
        &mut self,
        parent: std::os::fd::BorrowedFd<'_>,
        name: &std::ffi::CStr,
        path: &Path,
        dir: bool,
    ) -> io::Result<()> {
        let _ = (parent, name);
        if dir {
            self.remove_dir(path)
        } else {
            self.remove_file(path)
        }
    }
}

/// The real file system and system trash.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemRemover;

impl Remover for SystemRemover {
    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }

    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir(path)
    }

    fn trash(&mut self, path: &Path) -> Result<(), String> {
        trash_context().delete(path).map_err(|e| e.to_string())
    }

    fn put_back(&mut self, original: &Path) -> Result<(), String> {
        super::trash_bin::system_put_back(original)
    }

    #[cfg(unix)]
    fn remove_at(
        &mut self,
        parent: std::os::fd::BorrowedFd<'_>,
        name: &std::ffi::CStr,
        _path: &Path,
        dir: bool,
    ) -> io::Result<()> {
        use rustix::fs::AtFlags;
        let flags = if dir {
            AtFlags::REMOVEDIR
        } else {
            AtFlags::empty()
        };
        Ok(rustix::fs::unlinkat(parent, name, flags)?)
    }
}

/// The trash context: on macOS the `NSFileManager` method, which works without a GUI session
/// (over SSH), instead of the default Finder/AppleScript one.
fn trash_context() -> trash::TrashContext {
    #[allow(unused_mut)]
    let mut ctx = trash::TrashContext::default();
    #[cfg(target_os = "macos")]
    {
        use trash::macos::{DeleteMethod, TrashContextExtMacos};
        ctx.set_delete_method(DeleteMethod::NsFileManager);
    }
    ctx
}

/// What removing a tree did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreeRemoval {
    /// Final progress figures.
    pub progress: DeleteProgress,
    /// Entries that could not be removed, with the error (first [`MAX_ERRORS`] only).
    pub errors: Vec<String>,
    /// How many entries could not be removed.
    pub error_count: u64,
    /// Folders removed.
    pub dirs_removed: u64,
    /// The walk stopped because the cancel flag was raised.
    pub cancelled: bool,
}

impl TreeRemoval {
    /// Nothing removed yet, of a delete that frees `total_bytes`.
    pub(super) fn starting(total_bytes: u64) -> Self {
        TreeRemoval {
            progress: DeleteProgress {
                total_bytes,
                ..Default::default()
            },
            ..Default::default()
        }
    }
}

/// How many error messages a removal keeps.
pub const MAX_ERRORS: usize = 20;

/// What deleting `dir` frees: apparent bytes of the files whose every hard link lies under
/// it, each inode once, without following links; `None` when cancelled.
pub fn count_bytes(dir: &Path, cancel: &AtomicBool) -> Option<u64> {
    let mut total = 0;
    // (dev, ino) → (links still unseen outside this walk, bytes), for multi-link files.
    let mut shared: HashMap<(u64, u64), (u64, u64)> = HashMap::new();
    for entry in walker(dir).into_iter().flatten() {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        match link_key(&meta) {
            Some((key, nlink)) if nlink > 1 => {
                let slot = shared.entry(key).or_insert((nlink, meta.len()));
                slot.0 -= 1;
                if slot.0 == 0 {
                    total += slot.1;
                }
            }
            _ => total += meta.len(),
        }
    }
    Some(total)
}

/// `((dev, ino), nlink)` of a file, where the platform tells them.
#[cfg(unix)]
fn link_key(meta: &std::fs::Metadata) -> Option<((u64, u64), u64)> {
    use std::os::unix::fs::MetadataExt;
    Some(((meta.dev(), meta.ino()), meta.nlink()))
}

/// `((dev, ino), nlink)` of a file, where the platform tells them.
#[cfg(not(unix))]
fn link_key(_meta: &std::fs::Metadata) -> Option<((u64, u64), u64)> {
    None
}

/// Bytes an unlink frees: the file's length when this was its last link.
fn freed_by_unlink(meta: &std::fs::Metadata) -> u64 {
    match link_key(meta) {
        Some((_, nlink)) if nlink > 1 => 0,
        _ => meta.len(),
    }
}

fn walker(dir: &Path) -> WalkDir {
    WalkDir::new(dir)
        .follow_links(false)
        .follow_root_links(false)
        .contents_first(true)
}

/// Removes `dir` and everything in it, never following a link (on unix relative to open
/// folders).
pub fn remove_tree(
    dir: &Path,
    total_bytes: u64,
    cancel: &AtomicBool,
    remover: &mut dyn Remover,
    progress: &mut dyn FnMut(DeleteProgress),
) -> TreeRemoval {
    #[cfg(unix)]
    return super::remove_at::remove_tree_at(dir, total_bytes, cancel, remover, progress);
    #[cfg(not(unix))]
    return remove_tree_by_path(dir, total_bytes, cancel, remover, progress);
}

/// [`remove_tree`] walking by path (non-unix systems).
#[cfg_attr(unix, allow(dead_code))]
fn remove_tree_by_path(
    dir: &Path,
    total_bytes: u64,
    cancel: &AtomicBool,
    remover: &mut dyn Remover,
    progress: &mut dyn FnMut(DeleteProgress),
) -> TreeRemoval {
    let mut out = TreeRemoval::starting(total_bytes);
    let mut tainted: HashSet<PathBuf> = HashSet::new();
    for entry in walker(dir) {
        if cancel.load(Ordering::Relaxed) {
            out.cancelled = true;
            break;
        }
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.into());
                record(&mut out, &mut tainted, dir, &path, &e.to_string());
                continue;
            }
        };
        let path = entry.path();
        let result = if entry.file_type().is_dir() {
            if tainted.contains(path) {
                continue;
            }
            remover.remove_dir(path).map(|()| out.dirs_removed += 1)
        } else {
            unlink_entry(remover, &entry, &mut out.progress)
        };
        match result {
            Ok(()) => progress(out.progress),
            Err(e) => record(&mut out, &mut tainted, dir, path, &e.to_string()),
        }
    }
    out
}

/// Unlinks a file or link and counts it (and what it frees) in `progress`.
fn unlink_entry(
    remover: &mut dyn Remover,
    entry: &walkdir::DirEntry,
    progress: &mut DeleteProgress,
) -> io::Result<()> {
    let path = entry.path();
    // Read just before the unlink: the link count then tells whether it is the last.
    let freed = if entry.file_type().is_file() {
        std::fs::symlink_metadata(path)
            .map(|m| freed_by_unlink(&m))
            .unwrap_or(0)
    } else {
        0
    };
    unlink(remover, path, entry.file_type().is_symlink())?;
    progress.files_removed += 1;
    progress.bytes_removed += freed;
    Ok(())
}

/// Unlinks a file or link; a directory link on Windows needs `remove_dir`.
fn unlink(remover: &mut dyn Remover, path: &Path, is_link: bool) -> io::Result<()> {
    match remover.remove_file(path) {
        Err(e) if is_link && cfg!(windows) => remover.remove_dir(path).map_err(|_| e),
        other => other,
    }
}

/// Counts a failure at `path`, keeping the first [`MAX_ERRORS`] messages.
pub(super) fn push_error(out: &mut TreeRemoval, path: &Path, error: &str) {
    out.error_count += 1;
    if out.errors.len() < MAX_ERRORS {
        out.errors.push(format!("{}: {error}", path.display()));
    }
}

/// Records a failure and marks every folder above it (up to `top`) as unremovable.
fn record(
    out: &mut TreeRemoval,
    tainted: &mut HashSet<PathBuf>,
    top: &Path,
    path: &Path,
    error: &str,
) {
    push_error(out, path, error);
    tainted.insert(path.to_path_buf());
    let mut p = path;
    while let Some(parent) = p.parent() {
        if !parent.starts_with(top) {
            break;
        }
        tainted.insert(parent.to_path_buf());
        p = parent;
    }
}
