//! AES-256-CBC with a zero IV, as backups use it for `Manifest.db` and every file: PKCS#7
//! padding checked and stripped, whole buffers or streamed ([`DecryptReader`], so a 4 GB
//! file never sits in memory). CBC lets the last block be decrypted alone (it is
//! D(Cₙ) ⊕ Cₙ₋₁), which tells the plain length before streaming ([`padding_of_tail`]).

use std::io::{self, Read};

use aes::cipher::{Array, BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use aes::Aes256;
use zeroize::Zeroizing;

use super::derive::Key;
use super::error::{Result, UnlockError};

type Dec = cbc::Decryptor<Aes256>;
type Enc = cbc::Encryptor<Aes256>;

/// The AES block size.
pub const BLOCK: usize = 16;

/// Ciphertext read and decrypted per step when streaming.
const CHUNK: usize = 64 * 1024;

fn decryptor(key: &Key, iv: &[u8; BLOCK]) -> Dec {
    Dec::new(key.bytes().into(), iv.into())
}

/// Decrypts whole blocks in place, chaining from `iv`.
fn decrypt_blocks(key: &Key, iv: &[u8; BLOCK], buf: &mut [u8]) {
    let (blocks, _) = Array::slice_as_chunks_mut(buf);
    decryptor(key, iv).decrypt_blocks(blocks);
}

/// The number of PKCS#7 padding bytes a final plain block ends with; `None` if invalid.
pub fn pkcs7_len(last: &[u8; BLOCK]) -> Option<usize> {
    let n = usize::from(last[BLOCK - 1]);
    let valid = (1..=BLOCK).contains(&n) && last[BLOCK - n..].iter().all(|&b| usize::from(b) == n);
    valid.then_some(n)
}

fn bad_padding() -> UnlockError {
    UnlockError::Ciphertext {
        what: "the padding is not valid PKCS#7 (a damaged file, or the wrong key)".into(),
    }
}

fn not_blocks(len: u64) -> UnlockError {
    UnlockError::Ciphertext {
        what: format!("{len} bytes of ciphertext is not a whole number of 16-byte blocks"),
    }
}

/// The first plain block of a ciphertext that starts with `first` (zero IV).
pub fn decrypt_first_block(key: &Key, first: &[u8; BLOCK]) -> Zeroizing<[u8; BLOCK]> {
    let mut block = Zeroizing::new(*first);
    decrypt_blocks(key, &[0; BLOCK], &mut block[..]);
    block
}

/// The padding length of a ciphertext whose last 32 bytes (or all 16, for a one-block
/// ciphertext) are `tail`: the last block decrypted alone, chained from the one before.
pub fn padding_of_tail(key: &Key, tail: &[u8]) -> Result<usize> {
    let (iv, last) = match tail.len() {
        16 => ([0u8; BLOCK], tail),
        32 => {
            let mut iv = [0u8; BLOCK];
            iv.copy_from_slice(&tail[..BLOCK]);
            (iv, &tail[BLOCK..])
        }
        n => return Err(not_blocks(n as u64)),
    };
    let mut block = Zeroizing::new([0u8; BLOCK]);
    block.copy_from_slice(last);
    decrypt_blocks(key, &iv, &mut block[..]);
    pkcs7_len(&block).ok_or_else(bad_padding)
}

/// Decrypts a whole ciphertext and strips its padding. An empty ciphertext is an empty
/// plaintext; a length that is not whole blocks or bad padding is
/// [`UnlockError::Ciphertext`].
pub fn decrypt_all(key: &Key, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    if buf.is_empty() {
        return Ok(buf);
    }
    if !buf.len().is_multiple_of(BLOCK) {
        return Err(not_blocks(buf.len() as u64));
    }
    decrypt_blocks(key, &[0; BLOCK], &mut buf);
    let mut last = [0u8; BLOCK];
    last.copy_from_slice(&buf[buf.len() - BLOCK..]);
    let pad = pkcs7_len(&last).ok_or_else(bad_padding)?;
    let keep = buf.len() - pad;
    buf.truncate(keep);
    Ok(buf)
}

/// Encrypts `plain` with PKCS#7 padding and a zero IV (what a device does; the demo builder
/// uses it): `plain.len() / 16 * 16 + 16` bytes.
pub fn encrypt_all(key: &Key, plain: &[u8]) -> Vec<u8> {
    let pad = BLOCK - plain.len() % BLOCK;
    let mut buf = Vec::with_capacity(plain.len() + pad);
    buf.extend_from_slice(plain);
    buf.resize(plain.len() + pad, pad as u8);
    let (blocks, _) = Array::slice_as_chunks_mut(&mut buf[..]);
    Enc::new(key.bytes().into(), (&[0u8; BLOCK]).into()).encrypt_blocks(blocks);
    buf
}

/// Encrypts one block chained from `prev` (the ciphertext block before it, zeros for the
/// first): with `prev` all zeros, a sparse file whose only written bytes are this last block
/// still decrypts to valid padding.
pub fn encrypt_block_after(key: &Key, prev: &[u8; BLOCK], plain: &[u8; BLOCK]) -> [u8; BLOCK] {
    let mut block = *plain;
    let (blocks, _) = Array::slice_as_chunks_mut(&mut block[..]);
    Enc::new(key.bytes().into(), prev.into()).encrypt_blocks(blocks);
    block
}

/// Streams the plaintext of a ciphertext `inner`: decrypts as it reads, holds the last block
/// back until the end and strips its padding there. Errors come as `io::Error`s of kind
/// `InvalidData` wrapping an [`UnlockError`] ([`unlock_error_of`] gets it back).
pub struct DecryptReader<R> {
    inner: R,
    cipher: Dec,
    /// Ciphertext read and not yet decrypted.
    raw: Zeroizing<Vec<u8>>,
    /// Plaintext ready to hand out: `plain[pos..]`.
    plain: Zeroizing<Vec<u8>>,
    pos: usize,
    cipher_len: u64,
    plain_len: u64,
    done: bool,
}

impl<R: Read> DecryptReader<R> {
    /// A reader of the plaintext of `inner`, decrypted with `key` and a zero IV.
    pub fn new(inner: R, key: &Key) -> Self {
        DecryptReader {
            inner,
            cipher: decryptor(key, &[0; BLOCK]),
            raw: Zeroizing::new(Vec::with_capacity(CHUNK + BLOCK)),
            plain: Zeroizing::new(Vec::with_capacity(CHUNK + BLOCK)),
            pos: 0,
            cipher_len: 0,
            plain_len: 0,
            done: false,
        }
    }

    /// Plain bytes handed out so far (all of them once `read` returned 0).
    pub fn plain_len(&self) -> u64 {
        self.plain_len
    }

    /// Ciphertext bytes read so far.
    pub fn cipher_len(&self) -> u64 {
        self.cipher_len
    }

    fn refill(&mut self) -> Result<()> {
        let mut eof = false;
        while self.raw.len() < CHUNK + BLOCK {
            let start = self.raw.len();
            self.raw.resize(CHUNK + BLOCK, 0);
            let n = loop {
                match self.inner.read(&mut self.raw[start..]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other,
                }
            };
            let n = match n {
                Ok(n) => n,
                Err(e) => {
                    self.raw.truncate(start);
                    return Err(UnlockError::io("<ciphertext>", e));
                }
            };
            self.raw.truncate(start + n);
            self.cipher_len += n as u64;
            if n == 0 {
                eof = true;
                break;
            }
        }
        self.plain.clear();
        self.pos = 0;
        if eof {
            self.done = true;
            if self.raw.is_empty() {
                return Ok(());
            }
            if !self.raw.len().is_multiple_of(BLOCK) {
                return Err(not_blocks(self.cipher_len));
            }
            let n = self.raw.len();
            self.take_blocks(n);
            let mut last = [0u8; BLOCK];
            last.copy_from_slice(&self.plain[self.plain.len() - BLOCK..]);
            let pad = pkcs7_len(&last).ok_or_else(bad_padding)?;
            let keep = self.plain.len() - pad;
            self.plain.truncate(keep);
        } else {
            // Keep at least one whole block (and any partial one) back: it may be the last.
            let whole = self.raw.len() / BLOCK * BLOCK;
            self.take_blocks(whole - BLOCK);
        }
        Ok(())
    }

    /// Moves the first `n` (whole blocks) bytes of `raw`, decrypted, into `plain`.
    fn take_blocks(&mut self, n: usize) {
        self.plain.extend_from_slice(&self.raw[..n]);
        let (blocks, _) = Array::slice_as_chunks_mut(&mut self.plain[..]);
        self.cipher.decrypt_blocks(blocks);
        self.raw.drain(..n);
    }
}

impl<R: Read> Read for DecryptReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.plain.len() {
            if self.done {
                return Ok(0);
            }
            self.refill()
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        }
        let n = out.len().min(self.plain.len() - self.pos);
        out[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
        self.pos += n;
        self.plain_len += n as u64;
        Ok(n)
    }
}

/// The [`UnlockError`] inside an `io::Error` from [`DecryptReader`], if it holds one.
pub fn unlock_error_of(e: io::Error) -> std::result::Result<UnlockError, io::Error> {
    if !e.get_ref().is_some_and(|inner| inner.is::<UnlockError>()) {
        return Err(e);
    }
    let kind = e.kind();
    match e.into_inner() {
        Some(inner) => inner
            .downcast::<UnlockError>()
            .map(|u| *u)
            .map_err(|other| io::Error::new(kind, other)),
        None => Err(io::Error::from(kind)),
    }
}

#[cfg(test)]
#[path = "cipher_tests.rs"]
mod tests;
