//! Is this manifest readable: the one check of a Manifest.db's header (and of a
//! Manifest.mbdb's magic) before anything opens it, with typed answers.
//!
//! A readable database starts with `SQLite format 3\0`. Any other start is either an encrypted
//! backup's database or damage; the bytes alone cannot tell (both look random), so the
//! backup's own word decides: `Manifest.plist` `IsEncrypted`. Only when that plist is missing
//! or unreadable do the bytes decide: ciphertext has a length that is a multiple of 16 and
//! mostly non-text bytes.

use std::io::Read;
use std::path::Path;

use super::error::{ManifestError, Where};
use crate::library::error::{Error, Result};
use crate::library::safe_fs;

/// The first 16 bytes of every SQLite database.
pub const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The header every Manifest.mbdb starts with (format version 5.0).
pub const MBDB_MAGIC: &[u8; 6] = b"mbdb\x05\x00";

/// Checks the header of the Manifest.db at `path` (at most 512 bytes read). `Ok` for a SQLite
/// database; [`ManifestError::Encrypted`] for ciphertext; [`ManifestError::Damaged`] at
/// [`Where::Header`] for an empty file or another header; [`Error::Io`] when it cannot be read.
/// `Manifest.plist` is read from the same folder as `path` to tell ciphertext from damage.
pub fn probe_db(path: &Path) -> Result<()> {
    probe_db_knowing(path, None)
}

/// [`probe_db`] when the caller already read `Manifest.plist` `IsEncrypted` (`None`: it could
/// not be read, so the bytes decide). The file is opened as [`safe_fs::open_regular`] does: a
/// link or a FIFO is refused, never followed.
pub fn probe_db_knowing(path: &Path, said_encrypted: Option<bool>) -> Result<()> {
    let file = safe_fs::open_regular(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let mut head = Vec::with_capacity(512);
    file.take(512)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    let said_encrypted =
        said_encrypted.or_else(|| plist_says_encrypted(&path.with_file_name("Manifest.plist")));
    judge_db_header(path, &head, len, said_encrypted)?;
    Ok(())
}

/// What the first bytes `head` (up to 512) of a Manifest.db of `len` bytes say, given
/// `Manifest.plist` `IsEncrypted` (`None`: unknown, the bytes decide). Pure: the one rule
/// behind [`probe_db`] and discovery's damage check.
pub fn judge_db_header(
    path: &Path,
    head: &[u8],
    len: u64,
    said_encrypted: Option<bool>,
) -> std::result::Result<(), ManifestError> {
    let damaged = |what: &str| ManifestError::Damaged {
        path: path.to_path_buf(),
        at: Where::Header,
        what: what.to_string(),
    };
    if len == 0 {
        return Err(damaged("Manifest.db is empty (0 bytes)"));
    }
    if head.starts_with(SQLITE_HEADER) {
        return Ok(());
    }
    if said_encrypted.unwrap_or_else(|| len.is_multiple_of(16) && looks_random(head)) {
        return Err(ManifestError::Encrypted {
            path: path.to_path_buf(),
        });
    }
    Err(damaged(
        "Manifest.db is not an SQLite database (its header is wrong)",
    ))
}

/// Checks the first bytes of a Manifest.mbdb: the magic `mbdb\x05\x00`. Another `mbdb`
/// version is [`ManifestError::Unsupported`]; anything else, or a file shorter than the magic,
/// is [`ManifestError::Damaged`] at [`Where::Header`].
pub fn check_mbdb_magic(path: &Path, head: &[u8]) -> std::result::Result<(), ManifestError> {
    if head.starts_with(MBDB_MAGIC) {
        return Ok(());
    }
    if head.len() >= MBDB_MAGIC.len() && head.starts_with(b"mbdb") {
        return Err(ManifestError::Unsupported {
            path: path.to_path_buf(),
            what: format!(
                "Manifest.mbdb version {}.{} is not supported (5.0 is)",
                head[4], head[5]
            ),
        });
    }
    let what = if head.len() < MBDB_MAGIC.len() {
        "not a Manifest.mbdb: shorter than its header".to_string()
    } else {
        format!(
            "not a Manifest.mbdb: header is {:02x?}, expected \"mbdb\\x05\\x00\"",
            &head[..MBDB_MAGIC.len()]
        )
    };
    Err(ManifestError::Damaged {
        path: path.to_path_buf(),
        at: Where::Header,
        what,
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
    let value: plist::Value = crate::library::plists::bounded::value_from_file(path).ok()?;
    value.as_dictionary()?.get("IsEncrypted")?.as_boolean()
}
