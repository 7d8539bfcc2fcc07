//! Careful file access inside a backup: files are never followed through symbolic links nor
//! opened when they are not regular files (a FIFO named `Info.plist` would block a plain open
//! forever), and file times past what [`OffsetDateTime`] holds give `None` instead of a panic.
//!
//! [`open_regular`] checks `symlink_metadata` first and, on Unix, opens with `O_NOFOLLOW |
//! O_NONBLOCK` so that a file swapped for a link or a FIFO in between is refused too. A refusal
//! is an [`io::Error`] wrapping a [`SpecialFile`]; [`special_file`] finds it again, so callers
//! can word it (`Info.plist is a symbolic link (not followed)`).

use std::fmt;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use time::{Duration, OffsetDateTime};

/// Why a file inside a backup was not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialFile {
    /// A symbolic link (never followed inside a backup).
    Symlink,
    /// A folder, FIFO, socket or device.
    NotRegular,
}

impl fmt::Display for SpecialFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SpecialFile::Symlink => "is a symbolic link (not followed)",
            SpecialFile::NotRegular => "is not a regular file",
        })
    }
}

impl std::error::Error for SpecialFile {}

/// The [`SpecialFile`] an error from [`open_regular`] carries, if any.
pub fn special_file(error: &io::Error) -> Option<SpecialFile> {
    error.get_ref()?.downcast_ref::<SpecialFile>().copied()
}

/// What `meta` (from `symlink_metadata`) says about opening the file: `None` for a regular file.
pub fn special_kind(meta: &Metadata) -> Option<SpecialFile> {
    if meta.file_type().is_symlink() {
        Some(SpecialFile::Symlink)
    } else if !meta.is_file() {
        Some(SpecialFile::NotRegular)
    } else {
        None
    }
}

/// Opens `path` for reading when it is a regular file (not a link to one), without blocking.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let meta = fs::symlink_metadata(path)?;
    if let Some(kind) = special_kind(&meta) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, kind));
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return io::Error::new(io::ErrorKind::InvalidInput, SpecialFile::Symlink);
        }
        e
    })?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            SpecialFile::NotRegular,
        ));
    }
    Ok(file)
}

/// Reads a whole regular file (see [`open_regular`]).
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    open_regular(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A file time as an [`OffsetDateTime`], `None` when it is beyond what that type holds
/// (years past 9999 or before -9999).
pub fn to_offset(t: SystemTime) -> Option<OffsetDateTime> {
    let (forward, since) = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (true, d),
        Err(e) => (false, e.duration()),
    };
    let since = Duration::try_from(since).ok()?;
    if forward {
        OffsetDateTime::UNIX_EPOCH.checked_add(since)
    } else {
        OffsetDateTime::UNIX_EPOCH.checked_sub(since)
    }
}

/// The modification time in `meta`, when there is one that fits an [`OffsetDateTime`].
pub fn mtime_of(meta: &Metadata) -> Option<OffsetDateTime> {
    meta.modified().ok().and_then(to_offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn far_times_give_none_not_a_panic() {
        let far = UNIX_EPOCH + std::time::Duration::from_secs(300_000_000_000);
        assert_eq!(to_offset(far), None);
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        assert_eq!(
            to_offset(t).map(|d| d.unix_timestamp()),
            Some(1_700_000_000)
        );
        let before = UNIX_EPOCH - std::time::Duration::from_secs(86_400);
        assert_eq!(to_offset(before).map(|d| d.unix_timestamp()), Some(-86_400));
    }
}
