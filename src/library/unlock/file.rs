//! One file of an encrypted backup: its key from the `EncryptionKey` of its `MBFile` record
//! (or Manifest.mbdb record), its contents decrypted (AES-256-CBC, zero IV, PKCS#7 stripped)
//! and the plain length compared with the manifest's `Size`. A mismatch is reported, never
//! "fixed": some SQLite files have a wrong `Size`, and cutting them to it damages them.

use std::io::{self, BufReader, Read, Write};
use std::path::Path;

use zeroize::Zeroizing;

use super::cipher::{unlock_error_of, DecryptReader};
use super::derive::Key;
use super::error::{Result, UnlockError};
use crate::library::safe_fs;

/// What decrypting one file found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decrypted {
    /// Plain bytes after the padding was stripped (all of them were kept).
    pub plain_len: u64,
    /// The `Size` the manifest gives.
    pub expected: u64,
}

impl Decrypted {
    /// True when the plain length is the manifest's `Size`.
    pub fn size_matches(&self) -> bool {
        self.plain_len == self.expected
    }

    /// The sentence for a mismatch, e.g. "decrypted to 1,040 bytes, the manifest says
    /// 1,024 (all 1,040 kept)"; `None` when the sizes agree.
    pub fn mismatch(&self) -> Option<String> {
        (!self.size_matches()).then(|| {
            format!(
                "decrypted to {} bytes, the manifest says {} (all {} kept)",
                self.plain_len, self.expected, self.plain_len
            )
        })
    }
}

/// Streams the plaintext of the encrypted file at `path` into `out` (a 4 GB file costs
/// 64 KiB of memory). Errors: [`UnlockError::Io`] (reading `path` or writing `out`),
/// [`UnlockError::Ciphertext`] (not whole blocks, bad padding).
pub fn decrypt_file_to(
    path: &Path,
    key: &Key,
    expected: u64,
    out: &mut dyn Write,
) -> Result<Decrypted> {
    let file = safe_fs::open_regular(path).map_err(|e| UnlockError::io(path, e))?;
    let mut reader = DecryptReader::new(BufReader::with_capacity(1 << 16, file), key);
    let mut buf = Zeroizing::new(vec![0u8; 1 << 16]);
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(match unlock_error_of(e) {
                    Ok(UnlockError::Io { source, .. }) => UnlockError::io(path, source),
                    Ok(u) => u,
                    Err(e) => UnlockError::io(path, e),
                })
            }
        };
        out.write_all(&buf[..n])
            .map_err(|e| UnlockError::io("<output>", e))?;
    }
    Ok(Decrypted {
        plain_len: reader.plain_len(),
        expected,
    })
}

/// Decrypts the file at `path` and discards the plaintext: the check of `verify --deep`.
pub fn check_file(path: &Path, key: &Key, expected: u64) -> Result<Decrypted> {
    decrypt_file_to(path, key, expected, &mut io::sink())
}

/// The whole plaintext of the file at `path`, when its ciphertext is at most `max` bytes
/// (previews): zeroized on drop.
pub fn decrypt_file(
    path: &Path,
    key: &Key,
    expected: u64,
    max: u64,
) -> Result<(Zeroizing<Vec<u8>>, Decrypted)> {
    let len = std::fs::symlink_metadata(path)
        .map_err(|e| UnlockError::io(path, e))?
        .len();
    if len > max {
        return Err(UnlockError::Unsupported {
            what: format!("a {len}-byte file is more than the {max} bytes read into memory"),
        });
    }
    let mut out = Zeroizing::new(Vec::with_capacity(len as usize));
    let decrypted = decrypt_file_to(path, key, expected, &mut *out)?;
    Ok((out, decrypted))
}
