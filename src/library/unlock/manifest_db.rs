//! An encrypted `Manifest.db` opened in memory: the plain length told by the last block
//! alone, the first block checked for `SQLite format 3\0`, then the ciphertext streamed
//! through [`DecryptReader`] straight into SQLite's own buffer (`sqlite3_deserialize`, read
//! only). No plaintext byte is written to disk. (SQLite frees that buffer on close without
//! zeroing it; backtop's own copies are zeroized.)

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use rusqlite::{Connection, MAIN_DB};

use super::cipher::{decrypt_first_block, padding_of_tail, unlock_error_of, DecryptReader, BLOCK};
use super::derive::Key;
use super::error::{Result, UnlockError};
use crate::library::manifest::SQLITE_HEADER;
use crate::library::safe_fs;

/// Most bytes of Manifest.db decrypted into memory (real ones reach about 1 GB).
pub const MAX_MANIFEST_BYTES: u64 = 8 << 30;

/// Opens the encrypted Manifest.db at `path` with its manifest key, in memory, read-only.
/// Ciphertext that is not whole blocks, has bad padding, does not start with the SQLite
/// header once decrypted, or that SQLite refuses is [`UnlockError::ManifestCorrupt`].
pub fn open_encrypted_db(path: &Path, key: &Key) -> Result<Connection> {
    let corrupt = |what: String| UnlockError::ManifestCorrupt {
        path: path.to_path_buf(),
        what,
    };
    open_in_memory(path, key, MAX_MANIFEST_BYTES, &corrupt)
}

/// Opens any encrypted SQLite file of an unlocked backup (a preview of `sms.db`) in memory,
/// read-only, when its ciphertext is at most `max` bytes. Damage is
/// [`UnlockError::Ciphertext`], saying what is wrong.
pub fn open_encrypted_sqlite(path: &Path, key: &Key, max: u64) -> Result<Connection> {
    let corrupt = |what: String| UnlockError::Ciphertext { what };
    open_in_memory(path, key, max, &corrupt)
}

/// Decrypts the SQLite file at `path` straight into SQLite's own buffer; `corrupt` types
/// what is wrong with it.
fn open_in_memory(
    path: &Path,
    key: &Key,
    max: u64,
    corrupt: &dyn Fn(String) -> UnlockError,
) -> Result<Connection> {
    let mut file = safe_fs::open_regular(path).map_err(|e| UnlockError::io(path, e))?;
    let len = file.metadata().map_err(|e| UnlockError::io(path, e))?.len();
    if len == 0 || !len.is_multiple_of(BLOCK as u64) {
        return Err(corrupt(format!(
            "{len} bytes is not a whole number of 16-byte blocks"
        )));
    }
    if len > max {
        return Err(corrupt(format!(
            "{len} bytes is more than the {max} backtop decrypts into memory"
        )));
    }
    check_header(&mut file, path, key).map_err(|e| match e {
        UnlockError::ManifestCorrupt { what, .. } => corrupt(what),
        e => e,
    })?;
    let tail_len = if len >= 32 { 32 } else { 16 };
    let mut tail = [0u8; 32];
    file.seek(SeekFrom::Start(len - tail_len))
        .and_then(|_| file.read_exact(&mut tail[..tail_len as usize]))
        .map_err(|e| UnlockError::io(path, e))?;
    let pad =
        padding_of_tail(key, &tail[..tail_len as usize]).map_err(|e| corrupt(e.to_string()))?;
    let plain_len = usize::try_from(len - pad as u64).map_err(|_| corrupt("too large".into()))?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| UnlockError::io(path, e))?;
    let reader = NoWal::new(DecryptReader::new(
        BufReader::with_capacity(1 << 16, file),
        key,
    ));
    let mut conn = Connection::open_in_memory().map_err(|source| UnlockError::Sqlite {
        path: path.to_path_buf(),
        source,
    })?;
    conn.deserialize_read_exact(MAIN_DB, reader, plain_len, true)
        .map_err(|e| corrupt(format!("SQLite could not load it: {e}")))?;
    // A damaged middle shows when SQLite reads the schema.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| corrupt(format!("SQLite cannot read it: {e}")))?;
    Ok(conn)
}

/// Checks that the Manifest.db at `path` starts, once decrypted with `key`, with the SQLite
/// header (one block read): what unlocking checks before anything is listed.
pub fn check_encrypted_header(path: &Path, key: &Key) -> Result<()> {
    let mut file = safe_fs::open_regular(path).map_err(|e| UnlockError::io(path, e))?;
    check_header(&mut file, path, key)
}

/// Checks that the first block of the file decrypts to the SQLite header.
fn check_header(file: &mut File, path: &Path, key: &Key) -> Result<()> {
    let mut first = [0u8; BLOCK];
    file.read_exact(&mut first)
        .map_err(|e| UnlockError::io(path, e))?;
    if &*decrypt_first_block(key, &first) != SQLITE_HEADER {
        return Err(UnlockError::ManifestCorrupt {
            path: path.to_path_buf(),
            what: "it does not start with \"SQLite format 3\" once decrypted".into(),
        });
    }
    Ok(())
}

/// Reads `inner`, turning a WAL-mode header (bytes 18 and 19 = 2) into rollback mode (1):
/// an in-memory database cannot use a WAL, and the read-only copy needs none.
struct NoWal<R> {
    inner: R,
    at: u64,
}

impl<R> NoWal<R> {
    fn new(inner: R) -> Self {
        NoWal { inner, at: 0 }
    }
}

impl<R: Read> Read for NoWal<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf).map_err(|e| match unlock_error_of(e) {
            Ok(u) => std::io::Error::new(std::io::ErrorKind::InvalidData, u.to_string()),
            Err(e) => e,
        })?;
        for (i, b) in buf[..n].iter_mut().enumerate() {
            let offset = self.at + i as u64;
            if (offset == 18 || offset == 19) && *b == 2 {
                *b = 1;
            }
        }
        self.at += n as u64;
        Ok(n)
    }
}
