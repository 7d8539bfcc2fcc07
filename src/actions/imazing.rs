//! Does iMazing's `Versions.db` still list a snapshot?
//!
//! Each device's snapshots live in `iMazing.Versions/Versions/<UDID>/<snapshot>/`, indexed by
//! `Versions/<UDID>/Versions.db`. Its schema is undocumented, so the database is opened
//! read-only and introspected: every table from `sqlite_master`, every column of each, looking
//! for a text value equal to the snapshot's folder name (or a path ending in `/<name>`).
//! "Not listed" is answered only when the database names at least one sibling snapshot folder
//! (so its layout is understood); when it names none, or cannot be read, the answer is
//! "may still list it".

use std::path::Path;

use rusqlite::Connection;

/// What `Versions.db` says about one snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// A text value in `table` names the snapshot.
    Listed {
        /// The table holding it.
        table: String,
    },
    /// No table names it.
    NotListed,
    /// The database could not be read; it may list the snapshot.
    Unknown {
        /// Why, in words.
        reason: String,
    },
}

/// Looks up the snapshot at `snapshot_dir` (named `name`) in its sibling `Versions.db`.
pub fn snapshot_listing(snapshot_dir: &Path, name: &str) -> Listing {
    let Some(parent) = snapshot_dir.parent() else {
        return unknown("the snapshot has no parent folder");
    };
    let db = parent.join("Versions.db");
    if !db.is_file() {
        return unknown("Versions.db is missing");
    }
    match crate::library::sqlite::open_read_only(&db) {
        Ok(conn) => match find_name(&conn, name) {
            Ok(Some(table)) => Listing::Listed { table },
            Ok(None) => match names_a_sibling(&conn, parent, name) {
                Ok(true) => Listing::NotListed,
                Ok(false) => unknown("it names none of the snapshot folders next to it"),
                Err(e) => unknown(&e.to_string()),
            },
            Err(e) => unknown(&e.to_string()),
        },
        Err(e) => unknown(&e.to_string()),
    }
}

fn unknown(reason: &str) -> Listing {
    Listing::Unknown {
        reason: reason.to_string(),
    }
}

/// True when the database names another snapshot folder of `dir` than `name`.
fn names_a_sibling(conn: &Connection, dir: &Path, name: &str) -> rusqlite::Result<bool> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(false);
    };
    for entry in entries.flatten() {
        let sibling = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || sibling == name || sibling.starts_with('.') {
            continue;
        }
        if find_name(conn, &sibling)?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The first table with a text value naming `name`, if any.
fn find_name(conn: &Connection, name: &str) -> rusqlite::Result<Option<String>> {
    let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in tables {
        for column in columns(conn, &table)? {
            let sql = format!(
                "SELECT 1 FROM {t} WHERE typeof({c}) = 'text' AND ({c} = ?1 OR \
                 substr({c}, -(length(?1) + 1)) = '/' || ?1 OR \
                 substr({c}, -(length(?1) + 2)) = '/' || ?1 || '/') LIMIT 1",
                t = quote(&table),
                c = quote(&column)
            );
            let mut q = conn.prepare(&sql)?;
            if q.exists([name])? {
                return Ok(Some(table));
            }
        }
    }
    Ok(None)
}

/// Column names of `table`.
fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({})", quote(table)))?;
    let cols = stmt
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(cols)
}

/// An SQL identifier in double quotes.
fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db_with(dir: &Path, sql: &str) {
        let conn = Connection::open(dir.join("Versions.db")).unwrap();
        conn.execute_batch(sql).unwrap();
    }

    #[test]
    fn finds_the_name_in_any_text_column() {
        let tmp = tempfile::tempdir().unwrap();
        db_with(
            tmp.path(),
            "CREATE TABLE \"Snap shots\" (id INTEGER, info BLOB, folder);
             INSERT INTO \"Snap shots\" VALUES (1, x'00', '2024-01-15-10.30.00');",
        );
        let snap = tmp.path().join("2024-01-15-10.30.00");
        std::fs::create_dir(&snap).unwrap();
        assert_eq!(
            snapshot_listing(&snap, "2024-01-15-10.30.00"),
            Listing::Listed {
                table: "Snap shots".into()
            }
        );
        assert_eq!(
            snapshot_listing(
                &tmp.path().join("2023-01-01-00.00.00"),
                "2023-01-01-00.00.00"
            ),
            Listing::NotListed
        );
    }

    #[test]
    fn finds_a_path_ending_in_the_name() {
        let tmp = tempfile::tempdir().unwrap();
        db_with(
            tmp.path(),
            "CREATE TABLE v (p TEXT); INSERT INTO v VALUES ('/x/Versions/U/2024-01-15-10.30.00/');",
        );
        let snap = tmp.path().join("2024-01-15-10.30.00");
        std::fs::create_dir(&snap).unwrap();
        assert!(matches!(
            snapshot_listing(&snap, "2024-01-15-10.30.00"),
            Listing::Listed { .. }
        ));
        // A longer name sharing a suffix does not count.
        assert_eq!(snapshot_listing(&snap, "30.00"), Listing::NotListed);
    }

    #[test]
    fn a_db_naming_no_sibling_is_not_understood() {
        let tmp = tempfile::tempdir().unwrap();
        db_with(
            tmp.path(),
            "CREATE TABLE v (p TEXT); INSERT INTO v VALUES ('something else');",
        );
        let snap = tmp.path().join("2024-01-15-10.30.00");
        std::fs::create_dir(&snap).unwrap();
        std::fs::create_dir(tmp.path().join("2023-01-01-00.00.00")).unwrap();
        assert_eq!(
            snapshot_listing(&snap, "2024-01-15-10.30.00"),
            Listing::Unknown {
                reason: "it names none of the snapshot folders next to it".into()
            }
        );
    }

    #[test]
    fn missing_or_garbage_db_may_list_it() {
        let tmp = tempfile::tempdir().unwrap();
        let snap = tmp.path().join("s");
        assert_eq!(
            snapshot_listing(&snap, "s"),
            Listing::Unknown {
                reason: "Versions.db is missing".into()
            }
        );
        std::fs::write(
            tmp.path().join("Versions.db"),
            b"not a database at all, really",
        )
        .unwrap();
        assert!(matches!(
            snapshot_listing(&snap, "s"),
            Listing::Unknown { .. }
        ));
    }
}
