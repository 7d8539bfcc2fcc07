//! Whether a backup version is whole and finished: the checks behind [`BackupState`] and the
//! `problem` sentences of [`Version`](super::Version). The sentences themselves are listed in
//! the module doc of [`read_version`](super::read_version).

use std::fs;
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::time::Duration;

use time::OffsetDateTime;

use super::backup::{BackupState, ManifestFormat};
use super::error::Error;
use super::manifest::mbdb::MbdbReader;
use super::manifest::probe::judge_db_header;
use super::manifest::{Entry, ManifestError};
use super::plists::StatusPlist;
use super::safe_fs::{self, SpecialFile};
use super::sqlite;

/// How recent the last write into a version must be for an unfinished backup to count as
/// running ([`BackupState::InProgress`]) rather than stopped ([`BackupState::Interrupted`]).
pub const IN_PROGRESS_WINDOW: Duration = Duration::from_secs(30 * 60);

/// The sentence of a `Manifest.mbdb` with a valid header and not one record.
pub const MBDB_HEADER_ONLY: &str = "Manifest.mbdb holds no records (only its header)";

/// The sentence for a plist that parses but whose top level is not a dictionary.
pub fn not_a_dictionary(name: &str) -> String {
    format!("{name} is not a dictionary plist")
}

/// The sentence for a plist that could not be read.
pub fn plist_problem(name: &str, error: &Error) -> String {
    match error {
        Error::Plist { .. } => format!("{name} is not a readable plist (truncated or corrupt)"),
        Error::Invalid { .. } | Error::Sqlite { .. } | Error::Manifest(_) => not_a_dictionary(name),
        Error::Io { .. } | Error::Refused { .. } => file_problem(name, error),
    }
}

/// The sentence for any file of a backup (`name`, e.g. `Manifest.db`) that could not be read:
/// `<name> is missing`, `<name> is a symbolic link (not followed)`, `<name> is not a regular
/// file`, `<name> could not be read (<io error>)`, or the reader's own sentence, which names
/// the file (`Manifest.db is empty (0 bytes)`, `Info.plist nests deeper than 64 levels`).
pub fn file_problem(name: &str, error: &Error) -> String {
    match error {
        Error::Io { source, .. } if source.kind() == ErrorKind::NotFound => {
            format!("{name} is missing")
        }
        Error::Io { source, .. } if safe_fs::special_file(source).is_some() => {
            let special = safe_fs::special_file(source).unwrap_or(SpecialFile::NotRegular);
            format!("{name} {special}")
        }
        Error::Io { source, .. } => format!("{name} could not be read ({source})"),
        Error::Plist { source, .. } => format!(
            "{name} is not a readable plist ({})",
            super::error::plist_words(source)
        ),
        Error::Sqlite { source, .. } => {
            format!("{name} is a damaged SQLite database ({source})")
        }
        Error::Invalid { message, .. } | Error::Refused { message, .. } => message.clone(),
        Error::Manifest(e) => e.reason(),
    }
}

/// Which manifest `dir` has, and what is wrong with it. `encrypted` is `Manifest.plist`'s
/// `IsEncrypted`, `None` when that plist could not be read (then a `Manifest.db` that is not
/// SQLite is not reported on its own: the unreadable `Manifest.plist` already is).
pub fn check_manifest(dir: &Path, encrypted: Option<bool>) -> (ManifestFormat, Option<String>) {
    let db = dir.join("Manifest.db");
    match fs::symlink_metadata(&db) {
        Ok(meta) if meta.is_file() => (ManifestFormat::Db, check_db(&db, meta.len(), encrypted)),
        Ok(meta) => (ManifestFormat::Db, Some(not_a_file("Manifest.db", &meta))),
        Err(e) if e.kind() == ErrorKind::NotFound => check_mbdb(dir),
        Err(e) => (
            ManifestFormat::Db,
            Some(format!("Manifest.db could not be read ({e})")),
        ),
    }
}

/// Checks `Manifest.db`: non-empty, SQLite (unless encrypted), readable by SQLite, with a
/// `Files` table.
fn check_db(db: &Path, len: u64, encrypted: Option<bool>) -> Option<String> {
    if len == 0 {
        return Some("Manifest.db is empty (0 bytes)".to_string());
    }
    let head = match read_head(db) {
        Ok(head) => head,
        Err(e) => return Some(format!("Manifest.db could not be read ({e})")),
    };
    // Not SQLite is damage only when Manifest.plist says the backup is not encrypted; when it
    // is (or cannot be told) the bytes are ciphertext or already reported.
    match judge_db_header(db, &head, len, encrypted) {
        Ok(()) => {}
        Err(ManifestError::Damaged { .. }) if encrypted == Some(false) => {
            return Some("Manifest.db is not an SQLite database".to_string())
        }
        Err(_) => return None,
    }
    match count_files_tables(db) {
        Ok(0) => Some("Manifest.db has no Files table".to_string()),
        Ok(_) => None,
        Err(e) => Some(format!("Manifest.db is a damaged SQLite database ({e})")),
    }
}

/// Streams the records of a `Manifest.mbdb` (a few MB on the iOS 9 devices that have one,
/// opened without following links) and says what is wrong: a bad header, or a last record
/// cut short, with how many whole records came before it.
fn mbdb_records_problem(mbdb: &Path) -> Option<String> {
    let file = match safe_fs::open_regular(mbdb) {
        Ok(file) => file,
        Err(e) => return Some(format!("Manifest.mbdb could not be read ({e})")),
    };
    let reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut records = match MbdbReader::new(reader, mbdb) {
        Ok(r) => r,
        Err(e) => return Some(format!("Manifest.mbdb is not readable ({e})")),
    };
    let (mut whole, mut entry) = (0u64, Entry::default());
    loop {
        match records.next_into(&mut entry) {
            Ok(true) => whole += 1,
            Ok(false) => break,
            Err(e) => return Some(format!("Manifest.mbdb is not readable ({e})")),
        }
    }
    match records.truncated_at() {
        Some(at) => Some(format!("Manifest.mbdb is truncated: its record at byte {at} is cut short ({whole} whole records before it)")),
        None if whole == 0 => Some(MBDB_HEADER_ONLY.to_string()),
        None => None,
    }
}

/// Checks `Manifest.mbdb` (when there is no `Manifest.db`): non-empty, starting with `mbdb`,
/// every record whole ([`mbdb_records_problem`]).
fn check_mbdb(dir: &Path) -> (ManifestFormat, Option<String>) {
    let mbdb = dir.join("Manifest.mbdb");
    let problem = match fs::symlink_metadata(&mbdb) {
        Ok(meta) if !meta.is_file() => Some(not_a_file("Manifest.mbdb", &meta)),
        Ok(meta) if meta.len() == 0 => Some("Manifest.mbdb is empty (0 bytes)".to_string()),
        Ok(_) => match read_head(&mbdb) {
            Ok(head) if head.starts_with(b"mbdb") => mbdb_records_problem(&mbdb),
            Ok(_) => Some("Manifest.mbdb does not start with \"mbdb\"".to_string()),
            Err(e) => Some(format!("Manifest.mbdb could not be read ({e})")),
        },
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return (
                ManifestFormat::None,
                Some("no Manifest.db or Manifest.mbdb".to_string()),
            )
        }
        Err(e) => Some(format!("Manifest.mbdb could not be read ({e})")),
    };
    (ManifestFormat::Mbdb, problem)
}

/// The sentence for a manifest that is there but not a regular file: the [`SpecialFile`] words
/// (a link, a FIFO), with `(a folder)` after them for a folder; `verify` says the same.
fn not_a_file(name: &str, meta: &fs::Metadata) -> String {
    match safe_fs::special_kind(meta) {
        Some(SpecialFile::Symlink) => format!("{name} {}", SpecialFile::Symlink),
        _ if meta.is_dir() => format!("{name} {} (a folder)", SpecialFile::NotRegular),
        _ => format!("{name} {}", SpecialFile::NotRegular),
    }
}

/// Up to the first 16 bytes of a regular file (never through a link, never blocking).
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(16);
    safe_fs::open_regular(path)?
        .take(16)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// Opens a database read-only without writing anything next to it (`immutable=1`: no `-wal`
/// or `-shm` files, no locks, on every platform and for any path) and counts its `Files`
/// tables.
fn count_files_tables(db: &Path) -> Result<i64, sqlite::OpenError> {
    let conn = sqlite::open_read_only(db)?;
    Ok(conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'Files'",
        [],
        |row| row.get(0),
    )?)
}

/// Signs of a backup being written into a version folder.
#[derive(Debug, Clone, Copy)]
pub struct Activity {
    /// A `Snapshot/` staging folder exists.
    pub snapshot_dir: bool,
    /// The newest mtime of the folder, `Snapshot/`, `Status.plist`, `Manifest.db` and
    /// `Manifest.db-wal`.
    pub last_write: Option<OffsetDateTime>,
}

impl Activity {
    /// Looks at `dir`.
    pub fn of(dir: &Path) -> Self {
        let dir_mtime = fs::metadata(dir).ok().and_then(|m| safe_fs::mtime_of(&m));
        Activity::of_with_dir_mtime(dir, dir_mtime)
    }

    /// Looks at `dir`, whose own mtime the caller already has.
    pub fn of_with_dir_mtime(dir: &Path, dir_mtime: Option<OffsetDateTime>) -> Self {
        let snapshot = dir.join("Snapshot");
        let snapshot_meta = fs::symlink_metadata(&snapshot).ok();
        let snapshot_dir = snapshot_meta.as_ref().is_some_and(|m| m.is_dir());
        let files = ["Status.plist", "Manifest.db", "Manifest.db-wal"]
            .iter()
            .filter_map(|name| fs::symlink_metadata(dir.join(name)).ok());
        let last_write = snapshot_meta
            .into_iter()
            .chain(files)
            .filter_map(|m| safe_fs::mtime_of(&m))
            .chain(dir_mtime)
            .max();
        Activity {
            snapshot_dir,
            last_write,
        }
    }
}

/// Decides the state from the damage found (`problems`), `Status.plist` and the activity,
/// and builds the `problem` sentence (all sentences joined by `"; "`).
pub fn decide(
    mut problems: Vec<String>,
    status: Option<&StatusPlist>,
    activity: Activity,
    now: OffsetDateTime,
) -> (BackupState, Option<String>) {
    let unfinished = status
        .filter(|s| !s.is_finished())
        .and_then(|s| s.snapshot_state.as_deref());
    if status.is_some_and(|s| s.snapshot_state.is_none()) {
        problems.push("Status.plist has no SnapshotState".to_string());
    }
    let age = activity
        .last_write
        .map(|t| (now - t).whole_seconds().max(0).unsigned_abs());
    let recent = age.is_some_and(|secs| secs < IN_PROGRESS_WINDOW.as_secs());
    if (activity.snapshot_dir || unfinished.is_some()) && recent {
        let ago = human_age(age.unwrap_or(0));
        let sentence = format!("last write {ago} ago; may still be running");
        return (BackupState::InProgress, Some(sentence));
    }
    let mut notes = Vec::new();
    if let Some(state) = unfinished {
        notes.push(match age {
            Some(secs) => format!(
                "backup did not finish (SnapshotState = {state}) and nothing has been written for {}",
                human_age(secs)
            ),
            None => format!("backup did not finish (SnapshotState = {state})"),
        });
    } else if activity.snapshot_dir {
        notes.push("a Snapshot/ folder is left from an unfinished backup".to_string());
    }
    let state = if !problems.is_empty() {
        BackupState::Damaged
    } else if !notes.is_empty() {
        BackupState::Interrupted
    } else {
        BackupState::Complete
    };
    problems.extend(notes);
    let problem = (!problems.is_empty()).then(|| problems.join("; "));
    (state, problem)
}

/// A coarse age in words: `less than a minute`, `5 minutes`, `3 hours` (under 48 hours),
/// `3 days`.
pub fn human_age(secs: u64) -> String {
    let plural = |n: u64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    match secs {
        0..=59 => "less than a minute".to_string(),
        60..=3599 => plural(secs / 60, "minute"),
        3600..=172_799 => plural(secs / 3600, "hour"),
        _ => plural(secs / 86_400, "day"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_in_words() {
        assert_eq!(human_age(0), "less than a minute");
        assert_eq!(human_age(60), "1 minute");
        assert_eq!(human_age(45 * 60 + 59), "45 minutes");
        assert_eq!(human_age(3600), "1 hour");
        assert_eq!(human_age(47 * 3600), "47 hours");
        assert_eq!(human_age(48 * 3600), "2 days");
        assert_eq!(human_age(3 * 86_400 + 5), "3 days");
    }

    #[test]
    fn a_recent_unfinished_backup_may_still_be_running_and_says_when_it_last_wrote() {
        let now = time::macros::datetime!(2024-06-10 12:00 UTC);
        let activity = Activity {
            snapshot_dir: true,
            last_write: Some(now - time::Duration::minutes(19)),
        };
        assert_eq!(
            decide(Vec::new(), None, activity, now),
            (
                BackupState::InProgress,
                Some("last write 19 minutes ago; may still be running".to_string())
            ),
            "idle for 19 minutes is not \"being written now\""
        );
    }
}
