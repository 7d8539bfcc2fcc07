//! Making encrypted backups as a device does, for the demo builder and tests: a key bag
//! whose class keys are wrapped with a password's derived key, class-tagged wrapped keys
//! (`ManifestKey`, `EncryptionKey`), and the TLV encoding.

use std::sync::atomic::AtomicBool;

use super::derive::{derive, KdfParams, Key, Password};
use super::error::Result;
use super::keybag::WRAP_PASSCODE;
use super::wrap::wrap_key32;

/// Appends one TLV item: 4-byte tag, 4-byte big-endian length, value.
pub fn tlv(out: &mut Vec<u8>, tag: &[u8; 4], value: &[u8]) {
    out.extend_from_slice(tag);
    out.extend_from_slice(&(value.len() as u32).to_be_bytes());
    out.extend_from_slice(value);
}

/// A key bag to write.
#[derive(Debug, Clone)]
pub struct NewKeybag {
    /// `UUID` of the bag (class records get derived ones).
    pub uuid: [u8; 16],
    /// `SALT` of the SHA-1 stage.
    pub salt: Vec<u8>,
    /// `ITER`.
    pub iter: u32,
    /// `DPSL`/`DPIC` of the SHA-256 stage (`None`: an iOS 10.0–10.1 key bag).
    pub dp: Option<(Vec<u8>, u32)>,
    /// The class keys, by class number, in the order written.
    pub classes: Vec<(u32, Key)>,
}

impl NewKeybag {
    /// The TLV bytes, each class key wrapped (`WRAP` 2) with the key `password` derives.
    pub fn bytes(&self, password: &Password) -> Result<Vec<u8>> {
        let params = KdfParams::new(
            self.salt.clone(),
            u64::from(self.iter),
            self.dp.clone().map(|(s, n)| (s, u64::from(n))),
        )?;
        let derived = derive(password, &params, &AtomicBool::new(false))?;
        let mut out = Vec::new();
        tlv(&mut out, b"VERS", &4u32.to_be_bytes());
        tlv(&mut out, b"TYPE", &1u32.to_be_bytes());
        tlv(&mut out, b"UUID", &self.uuid);
        tlv(&mut out, b"HMCK", &[0u8; 40]);
        tlv(&mut out, b"WRAP", &0u32.to_be_bytes());
        tlv(&mut out, b"SALT", &self.salt);
        tlv(&mut out, b"ITER", &self.iter.to_be_bytes());
        if let Some((dpsl, dpic)) = &self.dp {
            tlv(&mut out, b"DPWT", &1u32.to_be_bytes());
            tlv(&mut out, b"DPIC", &dpic.to_be_bytes());
            tlv(&mut out, b"DPSL", dpsl);
        }
        for (class, key) in &self.classes {
            let mut uuid = self.uuid;
            uuid[15] ^= *class as u8;
            tlv(&mut out, b"UUID", &uuid);
            tlv(&mut out, b"CLAS", &class.to_be_bytes());
            tlv(&mut out, b"WRAP", &WRAP_PASSCODE.to_be_bytes());
            tlv(&mut out, b"KTYP", &0u32.to_be_bytes());
            tlv(&mut out, b"WPKY", &wrap_key32(&derived, key));
        }
        Ok(out)
    }
}

/// A class-tagged wrapped key (`ManifestKey`, `EncryptionKey`): `class` little-endian, then
/// `key` wrapped with `class_key`.
pub fn tagged_key(class: u32, class_key: &Key, key: &Key) -> Vec<u8> {
    let mut out = class.to_le_bytes().to_vec();
    out.extend_from_slice(&wrap_key32(class_key, key));
    out
}

/// Encrypts what is written to it (AES-256-CBC, zero IV) into `inner`; [`EncryptWriter::finish`]
/// adds the PKCS#7 padding. Streams: a file of any size costs one block of memory.
pub struct EncryptWriter<W: std::io::Write> {
    inner: W,
    cipher: cbc::Encryptor<aes::Aes256>,
    partial: zeroize::Zeroizing<Vec<u8>>,
    chunk: zeroize::Zeroizing<Vec<u8>>,
}

impl<W: std::io::Write> EncryptWriter<W> {
    /// A writer encrypting into `inner` with `key`.
    pub fn new(inner: W, key: &Key) -> Self {
        use aes::cipher::KeyIvInit;
        EncryptWriter {
            inner,
            cipher: cbc::Encryptor::new(key.bytes().into(), (&[0u8; 16]).into()),
            partial: zeroize::Zeroizing::new(Vec::with_capacity(16)),
            chunk: zeroize::Zeroizing::new(Vec::with_capacity(1 << 16)),
        }
    }

    fn encrypt_out(&mut self) -> std::io::Result<()> {
        use aes::cipher::{Array, BlockModeEncrypt};
        let (blocks, _) = Array::slice_as_chunks_mut(&mut self.chunk[..]);
        self.cipher.encrypt_blocks(blocks);
        self.inner.write_all(&self.chunk)?;
        self.chunk.clear();
        Ok(())
    }

    /// Pads, writes the last block and returns `inner`.
    pub fn finish(mut self) -> std::io::Result<W> {
        let pad = 16 - self.partial.len();
        self.chunk.extend_from_slice(&self.partial);
        let padded = self.chunk.len() + pad;
        self.chunk.resize(padded, pad as u8);
        self.encrypt_out()?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: std::io::Write> std::io::Write for EncryptWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.partial.extend_from_slice(buf);
        let whole = self.partial.len() / 16 * 16;
        self.chunk.extend_from_slice(&self.partial[..whole]);
        self.partial.drain(..whole);
        if self.chunk.len() >= 1 << 16 {
            self.encrypt_out()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
