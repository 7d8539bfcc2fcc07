//! iMazing's `Versions.db` beside a device's snapshot folders. The real schema is undocumented;
//! this one (`Versions(id INTEGER PRIMARY KEY, name TEXT, date REAL)`, `date` in Unix seconds
//! parsed from the `YYYY-MM-DD-HH.MM.SS` name, NULL when it does not parse) is what readers
//! should expect to introspect.

use std::path::Path;

use rusqlite::{params, Connection};
use time::macros::format_description;
use time::PrimitiveDateTime;

use crate::library::{Error, Result};

/// The Unix time of a snapshot folder name `YYYY-MM-DD-HH.MM.SS` (read as UTC).
pub fn snapshot_name_time(name: &str) -> Option<i64> {
    let fmt = format_description!("[year]-[month]-[day]-[hour].[minute].[second]");
    PrimitiveDateTime::parse(name, &fmt)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

/// The snapshot folder name for a date: `YYYY-MM-DD-HH.MM.SS`.
pub fn snapshot_name(date: time::OffsetDateTime) -> String {
    let d = date.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}-{:02}.{:02}.{:02}",
        d.year(),
        u8::from(d.month()),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

/// Writes (replaces) `device_dir/Versions.db` listing the snapshot folder `names`, in order.
pub fn write_versions_db(device_dir: &Path, names: &[&str]) -> Result<()> {
    let path = device_dir.join("Versions.db");
    let sql = |source| Error::Sqlite {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(device_dir).map_err(|e| Error::io(device_dir, e))?;
    let _ = std::fs::remove_file(&path);
    let conn = Connection::open(&path).map_err(sql)?;
    conn.execute_batch("CREATE TABLE Versions (id INTEGER PRIMARY KEY, name TEXT, date REAL);")
        .map_err(sql)?;
    for (i, name) in names.iter().enumerate() {
        let date = snapshot_name_time(name).map(|t| t as f64);
        conn.execute(
            "INSERT INTO Versions (id, name, date) VALUES (?1, ?2, ?3)",
            params![i as i64 + 1, name, date],
        )
        .map_err(sql)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let t = time::macros::datetime!(2024-03-05 07:08:09 UTC);
        assert_eq!(snapshot_name(t), "2024-03-05-07.08.09");
        assert_eq!(
            snapshot_name_time("2024-03-05-07.08.09"),
            Some(t.unix_timestamp())
        );
        assert_eq!(snapshot_name_time("nope"), None);
    }
}
