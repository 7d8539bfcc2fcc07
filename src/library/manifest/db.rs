//! Reading Manifest.db with SQLite, strictly read-only, into [`Entry`] values.
//!
//! The file is first probed by its header ([`probe_db`]: empty, encrypted, not SQLite), then
//! opened through a `file:…?immutable=1` URI with `SQLITE_OPEN_READ_ONLY`: SQLite then takes no
//! locks and creates no `-wal`/`-shm` files, so the backup is never modified. With
//! [`Fields::Names`] the query reads no blob into Rust except for rows whose `flags` are not 1,
//! 2 or 4 (they occur: their `MBFile` mode tells the kind); with [`Fields::All`] every blob is
//! decoded ([`decode_mbfile`]).

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};

use super::entry::{Entry, Kind, Meta};
use super::mbfile::decode_mbfile;
use super::probe::probe_db;
use super::Fields;
use crate::library::error::{Error, Result};

/// Opens the Manifest.db at `path` read-only and immutable, after checking its header with
/// [`probe_db`] (so an encrypted or damaged file is a typed [`Error::Manifest`]).
pub fn open_db(path: &Path) -> Result<Connection> {
    probe_db(path)?;
    crate::library::sqlite::open_read_only(path).map_err(|e| match e {
        crate::library::sqlite::OpenError::File(io) => Error::io(path, io),
        crate::library::sqlite::OpenError::Sqlite(e) => sqlite(path, e),
    })
}

/// A SQLite error on the database at `path`.
pub(super) fn sqlite(path: &Path, source: rusqlite::Error) -> Error {
    Error::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

/// The rows with names only: the blob comes only for rows whose flags are not 1, 2 or 4.
const NAMES_QUERY: &str = "SELECT fileID, domain, relativePath, flags, \
     CASE WHEN flags IN (1, 2, 4) THEN NULL ELSE file END FROM Files";

/// The rows with their blobs.
const ALL_QUERY: &str = "SELECT fileID, domain, relativePath, flags, file FROM Files";

/// An upper bound on the rows (max(rowid): a B-tree descent, not a scan), to pre-size maps.
pub(super) fn row_hint(conn: &Connection, path: &Path) -> Result<u64> {
    let rows: i64 = conn
        .query_row("SELECT coalesce(max(rowid), 0) FROM Files", [], |r| {
            r.get(0)
        })
        .map_err(|e| sqlite(path, e))?;
    Ok(u64::try_from(rows).unwrap_or(0))
}

/// The exact number of rows.
pub(super) fn count(conn: &Connection, path: &Path) -> Result<u64> {
    conn.query_row("SELECT count(*) FROM Files", [], |r| r.get::<_, i64>(0))
        .map(|n| u64::try_from(n).unwrap_or(0))
        .map_err(|e| sqlite(path, e))
}

/// Calls `each` for every row, refilling one [`Entry`]; an error from `each` stops the walk.
pub(super) fn for_each(
    conn: &Connection,
    path: &Path,
    fields: Fields,
    each: &mut dyn FnMut(&Entry) -> Result<()>,
) -> Result<u64> {
    let query = match fields {
        Fields::Names => NAMES_QUERY,
        Fields::All => ALL_QUERY,
    };
    let mut stmt = conn.prepare(query).map_err(|e| sqlite(path, e))?;
    let mut rows = stmt.query([]).map_err(|e| sqlite(path, e))?;
    let mut entry = Entry::default();
    let mut n = 0;
    while let Some(row) = rows.next().map_err(|e| sqlite(path, e))? {
        fill(row, fields, &mut entry);
        n += 1;
        each(&entry)?;
    }
    Ok(n)
}

/// One row into `entry`.
fn fill(row: &Row<'_>, fields: Fields, entry: &mut Entry) {
    let text = |i, out: &mut String| {
        out.clear();
        if let Ok(ValueRef::Text(t)) = row.get_ref(i) {
            out.push_str(&String::from_utf8_lossy(t));
        }
    };
    text(0, &mut entry.file_id);
    text(1, &mut entry.domain);
    text(2, &mut entry.path);
    let flags = match row.get_ref(3) {
        Ok(ValueRef::Integer(f)) => Kind::from_flags(f),
        _ => None,
    };
    let blob = match row.get_ref(4) {
        Ok(ValueRef::Blob(b)) => Some(b),
        _ => None,
    };
    entry.meta = None;
    entry.meta_error = None;
    let decoded = match (fields, &flags, blob) {
        (Fields::Names, Some(_), _) => None,
        (_, _, Some(blob)) => Some(decode_mbfile(blob).map_err(|e| e.to_string())),
        (_, _, None) => Some(Err("no MBFile blob".to_string())),
    };
    let mut target = None;
    let mut mode_kind = Kind::Other;
    match decoded {
        Some(Ok(f)) => {
            mode_kind = Kind::from_mode(f.mode);
            target = f.target.clone();
            entry.meta = Some(Meta::from(f));
        }
        Some(Err(e)) => entry.meta_error = Some(e),
        None => {}
    }
    entry.kind = match flags.unwrap_or(mode_kind) {
        Kind::Symlink { .. } => Kind::Symlink { target },
        kind => kind,
    };
}
