//! Reading Manifest.db with SQLite, strictly read-only.
//!
//! The file is first probed by its header (empty, encrypted, not SQLite), then opened through
//! a `file:…?immutable=1` URI with `SQLITE_OPEN_READ_ONLY`: SQLite then takes no locks and
//! creates no `-wal`/`-shm` files, so the backup is never modified. The index query reads no
//! blobs into Rust and uses `+flags` so SQLite scans the table in order instead of fetching
//! rows one by one through the flags index.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::index::{AddError, IndexBuilder, ManifestIndex};
use super::mbfile::{decode_mbfile, MbFile};
use crate::library::error::{Error, Result};

/// The first 16 bytes of every SQLite database.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// What the first bytes of a Manifest.db say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    /// A SQLite database.
    Sqlite,
    /// A 0-byte file.
    Empty,
    /// Not SQLite, and looks like ciphertext (length a multiple of 16, mostly non-text bytes).
    Encrypted,
    /// Not SQLite, and not like ciphertext either: garbage.
    NotSqlite,
}

/// Reads the header of the Manifest.db at `path` (at most 512 bytes) to tell what it is.
pub fn probe_db(path: &Path) -> Result<DbKind> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let mut head = Vec::with_capacity(512);
    file.take(512)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    Ok(if len == 0 {
        DbKind::Empty
    } else if head.starts_with(SQLITE_HEADER) {
        DbKind::Sqlite
    } else if len % 16 == 0 && looks_random(&head) {
        DbKind::Encrypted
    } else {
        DbKind::NotSqlite
    })
}

/// Ciphertext has about 60% bytes outside printable ASCII; text garbage has almost none.
fn looks_random(head: &[u8]) -> bool {
    let binary = head
        .iter()
        .filter(|&&b| !(b.is_ascii_graphic() || b.is_ascii_whitespace()))
        .count();
    head.len() >= 16 && binary * 4 > head.len()
}

/// Opens the Manifest.db at `path` read-only and immutable, after checking its header:
/// an encrypted file gives `Error::Invalid` "Manifest.db is encrypted".
pub fn open_db(path: &Path) -> Result<Connection> {
    match probe_db(path)? {
        DbKind::Sqlite => {}
        DbKind::Empty => return Err(Error::invalid(path, "Manifest.db is empty (0 bytes)")),
        DbKind::Encrypted => return Err(Error::invalid(path, "Manifest.db is encrypted")),
        DbKind::NotSqlite => {
            return Err(Error::invalid(
                path,
                "Manifest.db is not a SQLite database (its header is wrong)",
            ))
        }
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

/// `file:<absolute path, percent-encoded>?immutable=1`.
fn immutable_uri(path: &Path) -> Result<String> {
    let absolute = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    let mut uri = String::from("file:");
    let bytes = absolute.as_os_str().as_encoded_bytes();
    if cfg!(windows) && !bytes.starts_with(b"/") && !bytes.starts_with(b"\\") {
        uri.push('/'); // file:/C:/…
    }
    for &b in bytes {
        match b {
            b'\\' if cfg!(windows) => uri.push('/'),
            b':' if cfg!(windows) => uri.push(':'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(b))
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
}

/// The index query: fileID, domain and path of file rows only, no blobs.
const INDEX_QUERY: &str = "SELECT fileID, domain, relativePath FROM Files WHERE +flags = 1";

/// Loads the [`ManifestIndex`] of the Manifest.db at `path`.
pub(crate) fn load_index(path: &Path) -> Result<ManifestIndex> {
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
    Ok(builder.finish())
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
