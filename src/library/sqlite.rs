//! Opening the SQLite databases of a backup (`Manifest.db`, iMazing's `Versions.db`) strictly
//! read-only: `immutable=1` means SQLite writes nothing next to the file (no `-wal`/`-shm`,
//! no locks) on every platform and for any path, so looking never changes a backup.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

/// Opens `db` read-only and immutable through [`immutable_uri`].
pub fn open_read_only(db: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    Connection::open_with_flags(immutable_uri(db), flags)
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
