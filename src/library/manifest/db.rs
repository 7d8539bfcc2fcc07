//! Reading Manifest.db with SQLite, strictly read-only.
//!
//! The file is first probed by its header (empty, encrypted, not SQLite), then opened through
//! a `file:…?immutable=1` URI with `SQLITE_OPEN_READ_ONLY`: SQLite then takes no locks and
//! creates no `-wal`/`-shm` files, so the backup is never modified. The index query reads no
//! blobs into Rust and uses `+flags` so SQLite scans the table in order instead of fetching
//! rows one by one through the flags index.

use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::index::{AddError, IndexBuilder};
use super::mbfile::{decode_mbfile, MbFile};
use super::probe::{probe_db, DbKind};
use crate::library::error::{Error, Result};

/// Opens the Manifest.db at `path` read-only and immutable, after checking its header.
/// A file that is not SQLite gives `Error::Invalid` "Manifest.db is encrypted" when the
/// backup is encrypted (see [`probe_db`]), else an error saying what is wrong.
pub fn open_db(path: &Path) -> Result<Connection> {
    let message = match probe_db(path)? {
        DbKind::Sqlite => None,
        DbKind::Empty => Some("Manifest.db is empty (0 bytes)"),
        DbKind::Encrypted => Some("Manifest.db is encrypted"),
        DbKind::NotSqlite => Some("Manifest.db is not a SQLite database (its header is wrong)"),
    };
    if let Some(message) = message {
        return Err(Error::invalid(path, message));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    Connection::open_with_flags(immutable_uri(path)?, flags).map_err(|e| sqlite(path, e))
}

fn sqlite(path: &Path, source: rusqlite::Error) -> Error {
    Error::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

/// `file:<absolute path, percent-encoded>?immutable=1`. The path always starts with one `/`
/// (`/C:/…` for a Windows drive) or with `////` for a `//server/share` path, so SQLite never
/// reads a part of it as a URI authority.
fn immutable_uri(path: &Path) -> Result<String> {
    let absolute = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    let mut encoded = String::new();
    for &b in absolute.as_os_str().as_encoded_bytes() {
        match b {
            b'\\' if cfg!(windows) => encoded.push('/'),
            b':' if cfg!(windows) => encoded.push(':'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(char::from(b))
            }
            _ => encoded.push_str(&format!("%{b:02X}")),
        }
    }
    let lead = if encoded.starts_with("//") {
        "//"
    } else if encoded.starts_with('/') {
        ""
    } else {
        "/"
    };
    Ok(format!("file:{lead}{encoded}?immutable=1"))
}

#[cfg(all(test, unix))]
mod tests {
    use super::immutable_uri;
    use std::path::Path;

    #[test]
    fn uris_escape_what_sqlite_would_read_as_syntax() {
        let uri = immutable_uri(Path::new("/Users/a b/Backup?#%/Manifest.db")).unwrap();
        assert_eq!(
            uri,
            "file:/Users/a%20b/Backup%3F%23%25/Manifest.db?immutable=1"
        );
        let uri = immutable_uri(Path::new("//server/share/Manifest.db")).unwrap();
        assert_eq!(uri, "file:////server/share/Manifest.db?immutable=1");
    }
}

/// The index query: fileID, domain, path and flags. Every row is read, not only files
/// (`WHERE +flags = 1` would scan the same pages): the domains of folder rows tell which apps
/// exist when an app's own container holds only folders. The blob comes only for rows whose
/// flags are not 1, 2 or 4 (they occur): their blob's `Mode` says whether they are files.
const INDEX_QUERY: &str = "SELECT fileID, domain, relativePath, flags, \
     CASE WHEN flags IN (1, 2, 4) THEN NULL ELSE file END FROM Files";

/// Reads the rows of the Manifest.db at `path` into an index builder.
pub(crate) fn load_rows(path: &Path) -> Result<IndexBuilder> {
    let conn = open_db(path)?;
    // max(rowid) is a B-tree descent, not a scan: an upper bound on the rows, to pre-size the map.
    let rows: i64 = conn
        .query_row("SELECT coalesce(max(rowid), 0) FROM Files", [], |r| {
            r.get(0)
        })
        .map_err(|e| sqlite(path, e))?;
    let capacity = usize::try_from(rows).unwrap_or(0).min(20_000_000);
    let mut builder = IndexBuilder::with_capacity(capacity);
    let mut stmt = conn.prepare(INDEX_QUERY).map_err(|e| sqlite(path, e))?;
    let mut result = stmt.query([]).map_err(|e| sqlite(path, e))?;
    while let Some(row) = result.next().map_err(|e| sqlite(path, e))? {
        let text = |i| match row.get_ref(i) {
            Ok(ValueRef::Text(t)) => t,
            _ => b"",
        };
        let is_file = match row.get_ref(3) {
            Ok(ValueRef::Integer(1)) => true,
            Ok(ValueRef::Integer(2 | 4)) => false,
            _ => match row.get_ref(4) {
                Ok(ValueRef::Blob(blob)) => decode_mbfile(blob).is_ok_and(|f| f.is_file()),
                _ => false,
            },
        };
        if !is_file {
            builder.add_other(text(1));
            continue;
        }
        match builder.add(text(0), text(1), text(2)) {
            Ok(()) => {}
            Err(AddError::TooManyDomains) => {
                return Err(Error::invalid(
                    path,
                    "Manifest.db has too many distinct domains",
                ))
            }
        }
    }
    Ok(builder)
}

/// One row of a Manifest.db's `Files` table, with its `MBFile` blob undecoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestRow {
    /// The fileID column as stored (normally 40 lowercase hex digits).
    pub file_id: String,
    /// Domain.
    pub domain: String,
    /// Path relative to the domain.
    pub relative_path: String,
    /// 1 file, 2 directory, 4 symlink (other values occur).
    pub flags: i64,
    /// The `file` blob (NSKeyedArchiver `MBFile`), when not NULL.
    pub file: Option<Vec<u8>>,
}

impl ManifestRow {
    /// The fileID as 20 bytes, when it is 40 hex digits.
    pub fn id(&self) -> Option<[u8; 20]> {
        super::parse_file_id(self.file_id.as_bytes())
    }

    /// Decodes the `file` blob; errors name the fileID.
    pub fn mbfile(&self) -> Result<MbFile> {
        let context = PathBuf::from(format!("Manifest.db row {}", self.file_id));
        let blob = self
            .file
            .as_deref()
            .ok_or_else(|| Error::invalid(&context, "no MBFile blob"))?;
        decode_mbfile(blob).map_err(|e| Error::invalid(&context, e.to_string()))
    }

    /// True when the row is a regular file: `flags` 1, or for other flag values the blob's mode.
    pub fn is_file(&self) -> bool {
        match self.flags {
            1 => true,
            2 | 4 => false,
            _ => self.mbfile().is_ok_and(|f| f.is_file()),
        }
    }
}

/// Calls `each` for every row of the Manifest.db in `version_dir`, streaming: one row (with its
/// blob) in memory at a time. An error from `each` stops the walk and is returned.
pub fn for_each_row(
    version_dir: &Path,
    mut each: impl FnMut(ManifestRow) -> Result<()>,
) -> Result<()> {
    let path = version_dir.join("Manifest.db");
    let conn = open_db(&path)?;
    let mut stmt = conn
        .prepare("SELECT fileID, domain, relativePath, flags, file FROM Files")
        .map_err(|e| sqlite(&path, e))?;
    let mut rows = stmt.query([]).map_err(|e| sqlite(&path, e))?;
    while let Some(row) = rows.next().map_err(|e| sqlite(&path, e))? {
        let text = |i| match row.get_ref(i) {
            Ok(ValueRef::Text(t)) => String::from_utf8_lossy(t).into_owned(),
            _ => String::new(),
        };
        each(ManifestRow {
            file_id: text(0),
            domain: text(1),
            relative_path: text(2),
            flags: row
                .get_ref(3)
                .ok()
                .and_then(|v| v.as_i64().ok())
                .unwrap_or(0),
            file: match row.get_ref(4) {
                Ok(ValueRef::Blob(b)) => Some(b.to_vec()),
                _ => None,
            },
        })?;
    }
    Ok(())
}

/// Every row of the Manifest.db in `version_dir` (blobs included: about 300 bytes a row; prefer
/// [`for_each_row`] on big backups).
pub fn rows(version_dir: &Path) -> Result<Vec<ManifestRow>> {
    let mut all = Vec::new();
    for_each_row(version_dir, |row| {
        all.push(row);
        Ok(())
    })?;
    Ok(all)
}
