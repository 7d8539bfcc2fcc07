//! Careful file access inside a backup: files are never followed through symbolic links nor
//! opened when they are not regular files (a FIFO named `Info.plist` would block a plain open
//! forever), and file times past what [`OffsetDateTime`] holds give `None` instead of a panic.
//!
//! [`open_regular`] checks `symlink_metadata` first and, on Unix, opens with `O_NOFOLLOW |
//! O_NONBLOCK` so that a file swapped for a link or a FIFO in between is refused too; the
//! opened descriptor is checked again (a regular file), then `O_NONBLOCK` is cleared so reads
//! behave as usual. [`open_capped`] also refuses a file larger than a limit (a link to
//! `/dev/zero` is refused as not regular; a 100 GB "plist" as too large). A refusal is an
//! [`io::Error`] wrapping a [`SpecialFile`]; [`special_file`] finds it again, so callers can
//! word it (`Info.plist is a symbolic link (not followed)`).
//!
//! Every file of a backup that backtop reads goes through [`open_regular`] or [`open_capped`];
//! SQLite databases are checked with [`check_regular`] before SQLite opens them.

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
    /// A regular file larger than the limit for its kind (the limit in bytes).
    TooLarge(u64),
}

impl fmt::Display for SpecialFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SpecialFile::Symlink => "is a symbolic link (not followed)",
            SpecialFile::NotRegular => "is not a regular file",
            SpecialFile::TooLarge(limit) => {
                return write!(f, "is larger than {limit} bytes (not read)");
            }
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

/// Opens `path` for reading when it is a regular file (not a link to one), without blocking
/// on a FIFO or device: see the module doc.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let meta = fs::symlink_metadata(path)?;
    if let Some(kind) = special_kind(&meta) {
        return Err(refusal(kind));
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
            return refusal(SpecialFile::Symlink);
        }
        e
    })?;
    if !file.metadata()?.is_file() {
        return Err(refusal(SpecialFile::NotRegular));
    }
    #[cfg(unix)]
    {
        use rustix::fs::{fcntl_getfl, fcntl_setfl, OFlags};
        let flags = fcntl_getfl(&file)?;
        fcntl_setfl(&file, flags - OFlags::NONBLOCK)?;
    }
    Ok(file)
}

/// [`open_regular`], refusing a file of more than `max_bytes` (measured on the opened
/// descriptor) with [`SpecialFile::TooLarge`].
pub fn open_capped(path: &Path, max_bytes: u64) -> io::Result<File> {
    let file = open_regular(path)?;
    if file.metadata()?.len() > max_bytes {
        return Err(refusal(SpecialFile::TooLarge(max_bytes)));
    }
    Ok(file)
}

/// Checks that `path` is a regular file (not a link, FIFO, device or folder) without reading
/// it, for files another library opens by path (SQLite).
pub fn check_regular(path: &Path) -> io::Result<()> {
    open_regular(path).map(drop)
}

/// Reads a whole regular file of at most `max_bytes` (see [`open_capped`]); reading stops at
/// the limit even when the file grows while it is read.
pub fn read_capped(path: &Path, max_bytes: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let file = open_capped(path, max_bytes)?;
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max_bytes {
        return Err(refusal(SpecialFile::TooLarge(max_bytes)));
    }
    Ok(bytes)
}

/// The [`io::Error`] carrying `kind` (what [`special_file`] finds again).
pub fn refusal(kind: SpecialFile) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, kind)
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

    /// A FIFO, a link to `/dev/zero` and a folder are refused at once, never read.
    #[cfg(unix)]
    #[test]
    fn fifos_devices_links_and_folders_are_refused_without_blocking() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("Info.plist");
        crate::demo::damaged::fifo(&fifo).unwrap();
        let zero = tmp.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let kind = |p: &Path| special_file(&read_capped(p, 1 << 20).unwrap_err());
        assert_eq!(kind(&fifo), Some(SpecialFile::NotRegular));
        assert_eq!(kind(&zero), Some(SpecialFile::Symlink));
        assert_eq!(kind(tmp.path()), Some(SpecialFile::NotRegular));
        assert_eq!(kind(Path::new("/dev/zero")), Some(SpecialFile::NotRegular));
        assert!(check_regular(&fifo).is_err());
    }

    /// A file over the cap is refused; the descriptor of an accepted one blocks normally.
    #[cfg(unix)]
    #[test]
    fn the_size_cap_and_blocking_reads() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("f");
        std::fs::write(&file, vec![7u8; 100]).unwrap();
        assert_eq!(read_capped(&file, 100).unwrap().len(), 100);
        let err = read_capped(&file, 99).unwrap_err();
        assert_eq!(special_file(&err), Some(SpecialFile::TooLarge(99)));
        assert_eq!(
            err.get_ref().unwrap().to_string(),
            "is larger than 99 bytes (not read)"
        );
        let opened = open_regular(&file).unwrap();
        let flags = rustix::fs::fcntl_getfl(&opened).unwrap();
        assert!(!flags.contains(rustix::fs::OFlags::NONBLOCK));
    }

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
