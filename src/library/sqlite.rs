//! Opening the SQLite databases of a backup (`Manifest.db`, iMazing's `Versions.db`) strictly
//! read-only: `immutable=1` means SQLite writes nothing next to the file (no `-wal`/`-shm`,
//! no locks) on every platform and for any path, so looking never changes a backup.
//!
//! SQLite opens the file by its path itself, so the file is checked first with
//! [`safe_fs::check_regular`]: a FIFO or device in place of `Manifest.db` would block SQLite's
//! `open` forever, a link could point at another backup's database. (`SQLITE_OPEN_NOFOLLOW`
//! is not used: it refuses a link anywhere in the path, and a root may be reached through one.
//! A file swapped for a FIFO between the check and SQLite's open is not caught.)

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::safe_fs;

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
/// regular file that is no link ([`safe_fs::check_regular`]).
pub fn open_read_only(db: &Path) -> Result<Connection, OpenError> {
    safe_fs::check_regular(db)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    Ok(Connection::open_with_flags(immutable_uri(db), flags)?)
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
