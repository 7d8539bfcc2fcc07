//! The file-system steps of the switch: make a link, swap two names in one atomic step, and
//! flush a volume before anything depends on what was written to it.
//!
//! The swap is `renameat2(RENAME_EXCHANGE)` on Linux and `renameatx_np(RENAME_SWAP)` on macOS:
//! the root's path names the old thing until the instant it names the new one, so there is no
//! moment at which it is missing.

use std::path::Path;

use rustix::fs::{renameat_with, RenameFlags, CWD};

use crate::library::{Error, Result};

/// Swaps what `a` and `b` name, atomically (both must exist, on one volume).
pub(super) fn exchange(a: &Path, b: &Path) -> Result<()> {
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(|e| Error::io(b, e.into()))?;
    if let Some(parent) = b.parent() {
        sync_dir(parent)?;
    }
    if let Some(parent) = a.parent() {
        sync_dir(parent)?;
    }
    Ok(())
}

/// Makes the symbolic link `at` pointing to `to`, flushed to disk.
pub(super) fn make_link(at: &Path, to: &Path) -> Result<()> {
    std::os::unix::fs::symlink(to, at).map_err(|e| Error::io(at, e))?;
    match at.parent() {
        Some(parent) => sync_dir(parent),
        None => Ok(()),
    }
}

/// Flushes a folder's entries (after a create, rename or unlink in it).
pub(super) fn sync_dir(dir: &Path) -> Result<()> {
    let f = std::fs::File::open(dir).map_err(|e| Error::io(dir, e))?;
    f.sync_all().map_err(|e| Error::io(dir, e))
}

/// Flushes everything written to the volume holding `path` (Linux `syncfs`; elsewhere `sync`).
pub(super) fn sync_volume(path: &Path) -> Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        rustix::fs::syncfs(&f).map_err(|e| Error::io(path, e.into()))
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = path;
        rustix::fs::sync();
        Ok(())
    }
}
