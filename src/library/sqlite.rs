//! Opening the SQLite databases of a backup (`Manifest.db`, iMazing's `Versions.db`) strictly
//! read-only: `immutable=1` means SQLite writes nothing next to the file (no `-wal`/`-shm`,
//! no locks) on every platform and for any path, so looking never changes a backup.
//!
//! SQLite opens the file by its path itself, so the file is checked first with
//! [`safe_fs::check_regular`]: a FIFO or device in place of `Manifest.db` would block SQLite's
//! `open` forever, a link could point at another backup's database. SQLite then opens it with
//! `SQLITE_OPEN_NOFOLLOW`, so a file swapped for a link between the check and the open is
//! refused by SQLite itself (as [`SpecialFile::Symlink`], the same reason). That flag refuses a
//! link anywhere in the path, and a root may well be reached through one (a Backup folder
//! linked to an external drive, `/tmp` on macOS): the database's folder is resolved first
//! ([`resolved`]), so only a link at the file itself is refused. (A file swapped for a FIFO
//! between the check and SQLite's open is not caught.)

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::safe_fs::{self, SpecialFile};

/// Why a database was not opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file is missing, unreadable, or not a regular file (see [`safe_fs::special_file`]).
    #[error("{0}")]
    File(#[from] std::io::Error),
    /// SQLite could not open it.
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// Opens `db` read-only and immutable through [`immutable_uri`], after checking it is a
/// regular file that is no link ([`safe_fs::check_regular`]); SQLite refuses a link too
/// (`SQLITE_OPEN_NOFOLLOW` on the [`resolved`] path).
pub fn open_read_only(db: &Path) -> Result<Connection, OpenError> {
    safe_fs::check_regular(db)?;
    open_no_follow(&resolved(db)?)
}

/// Opens `db` with SQLite read-only, immutable and `SQLITE_OPEN_NOFOLLOW`: a link anywhere in
/// `db` is refused as [`SpecialFile::Symlink`].
fn open_no_follow(db: &Path) -> Result<Connection, OpenError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NOFOLLOW;
    Connection::open_with_flags(immutable_uri(db), flags).map_err(|e| {
        if e.sqlite_error().map(|f| f.extended_code) == Some(rusqlite::ffi::SQLITE_CANTOPEN_SYMLINK)
        {
            OpenError::File(safe_fs::refusal(SpecialFile::Symlink))
        } else {
            OpenError::Sqlite(e)
        }
    })
}

/// `db` in its folder with every link on the way to that folder followed (`fs::canonicalize`
/// of the folder), the file's own name kept: what SQLite's `NOFOLLOW` may open.
fn resolved(db: &Path) -> std::io::Result<PathBuf> {
    let Some(name) = db.file_name() else {
        return Err(safe_fs::refusal(SpecialFile::NotRegular));
    };
    let folder = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Ok(std::fs::canonicalize(folder)?.join(name))
}

/// The SQLite URI opening `db` read-only and immutable: `file:<absolute path>?immutable=1`,
/// every byte outside `[A-Za-z0-9/._~-]` percent-encoded (so spaces, `%`, `#`, `?` and
/// non-UTF-8 bytes survive). The path always starts with one `/` (`/C:/…` for a Windows drive,
/// backslashes turned into `/`, the `\\?\` prefix dropped) or with `////` for a
/// `//server/share` path, so SQLite never reads a part of it as a URI authority.
pub fn immutable_uri(db: &Path) -> String {
    let absolute = std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf());
    #[cfg(windows)]
    let absolute = crate::library::locate::strip_verbatim(&absolute).unwrap_or(absolute);
    uri_for(absolute.as_os_str().as_encoded_bytes(), cfg!(windows))
}

/// [`immutable_uri`] for the bytes of an absolute path, with Windows rules or not.
fn uri_for(bytes: &[u8], windows: bool) -> String {
    let mut path = String::with_capacity(bytes.len() + 8);
    for &b in bytes {
        match b {
            b'\\' if windows => path.push('/'),
            b':' if windows => path.push(':'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'_' | b'~' | b'-' => {
                path.push(char::from(b))
            }
            _ => path.push_str(&format!("%{b:02X}")),
        }
    }
    let lead = if path.starts_with("//") {
        "//"
    } else if path.starts_with('/') {
        ""
    } else {
        "/"
    };
    format!("file:{lead}{path}?immutable=1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escaping() {
        assert_eq!(
            uri_for(b"/a b/c?d#e%f/\xff~x-y_z.db", false),
            "file:/a%20b/c%3Fd%23e%25f/%FF~x-y_z.db?immutable=1"
        );
        assert_eq!(
            uri_for(br"C:\Users\ann\a b\Manifest.db", true),
            "file:/C:/Users/ann/a%20b/Manifest.db?immutable=1"
        );
        assert_eq!(
            uri_for(br"\\nas\share\Manifest.db", true),
            "file:////nas/share/Manifest.db?immutable=1"
        );
        assert_eq!(
            uri_for(b"//srv/x/Manifest.db", false),
            "file:////srv/x/Manifest.db?immutable=1"
        );
    }

    /// A FIFO named `Manifest.db` would block SQLite's open forever; a link could lead to
    /// another backup's database. Both are refused before SQLite sees them.
    #[cfg(unix)]
    #[test]
    fn fifos_and_links_are_refused_before_sqlite_opens_them() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("Manifest.db");
        crate::demo::damaged::fifo(&fifo).unwrap();
        let real = tmp.path().join("real.db");
        Connection::open(&real)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        let link = tmp.path().join("link.db");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        for path in [&fifo, &link] {
            match open_read_only(path) {
                Err(OpenError::File(e)) => assert!(safe_fs::special_file(&e).is_some(), "{e}"),
                other => panic!("{}: {:?}", path.display(), other.map(|_| ())),
            }
        }
        assert!(open_read_only(&real).is_ok());
    }

    /// SQLite itself refuses a link (`SQLITE_OPEN_NOFOLLOW`), for a file swapped for one after
    /// the check; a link on the way to the database's folder is followed.
    #[cfg(unix)]
    #[test]
    fn sqlite_refuses_a_link_at_the_file_and_follows_links_to_its_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let real_dir = tmp.path().join("drive/Backup");
        std::fs::create_dir_all(&real_dir).unwrap();
        let real = real_dir.join("Manifest.db");
        Connection::open(&real)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        let link = real_dir.join("link.db");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        match open_no_follow(&resolved(&link).unwrap()) {
            Err(OpenError::File(e)) => {
                assert_eq!(safe_fs::special_file(&e), Some(SpecialFile::Symlink))
            }
            other => panic!("{:?}", other.map(|_| ())),
        }
        let linked_folder = tmp.path().join("Backup");
        std::os::unix::fs::symlink(&real_dir, &linked_folder).unwrap();
        let through = linked_folder.join("Manifest.db");
        assert!(matches!(open_no_follow(&through), Err(OpenError::File(_))));
        let conn = open_read_only(&through).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        let relative = Path::new("Manifest.db");
        assert_eq!(
            resolved(relative).unwrap().file_name(),
            relative.file_name()
        );
    }

    #[cfg(unix)]
    #[test]
    fn uris_of_absolute_unix_paths() {
        assert_eq!(
            immutable_uri(Path::new("/Users/a b/Backup?#%/Manifest.db")),
            "file:/Users/a%20b/Backup%3F%23%25/Manifest.db?immutable=1"
        );
        assert_eq!(
            immutable_uri(Path::new("//server/share/Manifest.db")),
            "file:////server/share/Manifest.db?immutable=1"
        );
    }
}
