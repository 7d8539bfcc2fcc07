//! What a Manifest.db file is, from its first bytes and the backup's `Manifest.plist`.
//!
//! A readable database starts with `SQLite format 3\0`. Any other start is either an encrypted
//! backup's database or damage; the bytes alone cannot tell (both look random), so the
//! backup's own word decides: `Manifest.plist` `IsEncrypted`. Only when that plist is missing
//! or unreadable do the bytes decide: ciphertext has a length that is a multiple of 16 and
//! mostly non-text bytes.

use std::fs::File;
use std::io::Read;
use std::path::Path;

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
    /// Not SQLite, in an encrypted backup.
    Encrypted,
    /// Not SQLite, in a backup that is not encrypted: damage.
    NotSqlite,
}

/// Reads the header of the Manifest.db at `path` (at most 512 bytes) to tell what it is.
/// `Manifest.plist` is read from the same folder as `path`.
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
    } else {
        let manifest_plist = path.with_file_name("Manifest.plist");
        let encrypted = plist_says_encrypted(&manifest_plist)
            .unwrap_or_else(|| len % 16 == 0 && looks_random(&head));
        if encrypted {
            DbKind::Encrypted
        } else {
            DbKind::NotSqlite
        }
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

/// `IsEncrypted` of the `Manifest.plist` at `path`; `None` when it cannot be read.
fn plist_says_encrypted(path: &Path) -> Option<bool> {
    let value = plist::Value::from_file(path).ok()?;
    value.as_dictionary()?.get("IsEncrypted")?.as_boolean()
}
