//! Real encryption for the demo's encrypted backups, as a device does it (docs/FORMAT.md §6):
//! a key bag whose class keys are wrapped with the key [`DEMO_PASSWORD`] derives (small
//! round counts, [`DEMO_DPIC`] and [`DEMO_ITER`], so tests stay fast), `Manifest.db`
//! encrypted with the `ManifestKey`, and each file encrypted with its own key, wrapped in its
//! record's `EncryptionKey`. Every key is a pure function of the UDID (and the fileID), so a
//! file has the same key in every version of a device and hard-linked snapshots stay valid.
//!
//! Sparse demo files bigger than [`REAL_CIPHERTEXT_MAX`] are holes but for their last
//! block: CBC decrypts it as D(Cₙ) ⊕ Cₙ₋₁ with Cₙ₋₁ a hole of zeros, so it carries valid
//! padding and the plain length is the manifest's `Size`. Smaller files are real ciphertext
//! of [`super::content_bytes`]`(fileID, Size)` throughout.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::content::write_content;
use crate::library::unlock::build::{tagged_key, EncryptWriter, NewKeybag};
use crate::library::unlock::cipher::{encrypt_all, encrypt_block_after};
use crate::library::unlock::{Key, Password};
use crate::library::{Error, Result};

/// The password of every encrypted demo backup.
pub const DEMO_PASSWORD: &str = "demo";

/// `DPIC` of demo key bags (devices use 10,000,000).
pub const DEMO_DPIC: u32 = 1_000;

/// `ITER` of demo key bags (devices use 10,000).
pub const DEMO_ITER: u32 = 10;

/// Sparse files up to this plain size are still written as real ciphertext.
pub const REAL_CIPHERTEXT_MAX: u64 = 64 * 1024;

/// The protection class whose key wraps the `ManifestKey`.
const MANIFEST_CLASS: u32 = 4;

/// How a demo backup is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Scheme {
    /// iOS 10.2 and later: `DPSL`/`DPIC` in the key bag, an encrypted Manifest.db.
    #[default]
    ManifestKey,
    /// iOS 10.0–10.1 (and Manifest.mbdb backups): no `ManifestKey`, a plain manifest, the
    /// SHA-1 stage only.
    NoManifestKey,
}

/// The keys of one encrypted demo backup.
pub struct DemoKeys {
    udid: String,
    classes: Vec<(u32, Key)>,
    keybag: Vec<u8>,
    manifest: Option<(Key, Vec<u8>)>,
}

fn key_of(parts: &[&[u8]]) -> Key {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    Key::from_bytes(h.finalize().into())
}

impl DemoKeys {
    /// The keys of the device `udid`, its key bag wrapped for `password`.
    pub fn new(udid: &str, password: &str, scheme: Scheme) -> Result<DemoKeys> {
        let u = udid.as_bytes();
        let classes: Vec<(u32, Key)> = (1..=11u32)
            .rev()
            .map(|c| (c, key_of(&[b"class", u, &c.to_le_bytes()])))
            .collect();
        let mut uuid = [0u8; 16];
        uuid.copy_from_slice(&key_of(&[b"uuid", u]).bytes()[..16]);
        let dp = (scheme == Scheme::ManifestKey)
            .then(|| (key_of(&[b"dpsl", u]).bytes()[..20].to_vec(), DEMO_DPIC));
        let bag = NewKeybag {
            uuid,
            salt: key_of(&[b"salt", u]).bytes()[..20].to_vec(),
            iter: DEMO_ITER,
            dp,
            classes: classes.clone(),
        };
        let keybag = bag
            .bytes(&Password::from(password))
            .map_err(|e| Error::invalid(udid, e.to_string()))?;
        let mut keys = DemoKeys {
            udid: udid.to_string(),
            classes,
            keybag,
            manifest: None,
        };
        if scheme == Scheme::ManifestKey {
            let key = key_of(&[b"manifest", u]);
            let blob = tagged_key(MANIFEST_CLASS, keys.class_key(MANIFEST_CLASS), &key);
            keys.manifest = Some((key, blob));
        }
        Ok(keys)
    }

    fn class_key(&self, class: u32) -> &Key {
        let class = if (1..=11).contains(&class) { class } else { 3 };
        // Classes 1..=11 are all present, so the fallback is never used.
        self.classes
            .iter()
            .find(|(c, _)| *c == class)
            .map_or(&self.classes[0].1, |(_, k)| k)
    }

    /// `BackupKeyBag`.
    pub fn keybag(&self) -> &[u8] {
        &self.keybag
    }

    /// `ManifestKey` (class + wrapped key), when the scheme has one.
    pub fn manifest_key_blob(&self) -> Option<&[u8]> {
        self.manifest.as_ref().map(|(_, b)| b.as_slice())
    }

    /// The key `Manifest.db` is encrypted with, when the scheme encrypts it.
    pub fn manifest_key(&self) -> Option<&Key> {
        self.manifest.as_ref().map(|(k, _)| k)
    }

    /// The contents key of the file `file_id`.
    pub fn file_key(&self, file_id: &str) -> Key {
        key_of(&[b"file", self.udid.as_bytes(), file_id.as_bytes()])
    }

    /// The `EncryptionKey` of the file `file_id` of protection class `class`.
    pub fn encryption_key(&self, file_id: &str, class: u8) -> Vec<u8> {
        let class = u32::from(class);
        tagged_key(class, self.class_key(class), &self.file_key(file_id))
    }

    /// Encrypts the file at `path` in place (a plain SQLite Manifest.db).
    pub fn encrypt_manifest(&self, path: &Path) -> Result<()> {
        let Some(key) = self.manifest_key() else {
            return Ok(());
        };
        let plain = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        std::fs::write(path, encrypt_all(key, &plain)).map_err(|e| Error::io(path, e))
    }

    /// Writes the encrypted contents of `file_id` (plain size `size`) to a new file at
    /// `path`: real ciphertext of [`super::content_bytes`], or, when `sparse` and bigger than
    /// [`REAL_CIPHERTEXT_MAX`], a hole and a valid last block.
    pub fn write_file(&self, path: &Path, file_id: &str, size: u64, sparse: bool) -> Result<()> {
        let io = |e| Error::io(path, e);
        let key = self.file_key(file_id);
        let mut f = File::create(path).map_err(io)?;
        let on_disk = size / 16 * 16 + 16;
        if sparse && size > REAL_CIPHERTEXT_MAX {
            let pad = (on_disk - size) as u8;
            let mut last = [pad; 16];
            let keep = 16 - usize::from(pad);
            last[..keep].fill(b'x');
            let block = encrypt_block_after(&key, &[0; 16], &last);
            f.set_len(on_disk).map_err(io)?;
            f.seek(SeekFrom::Start(on_disk - 16)).map_err(io)?;
            return f.write_all(&block).map_err(io);
        }
        let mut w = EncryptWriter::new(BufWriter::with_capacity(1 << 16, f), &key);
        write_content(file_id, size, &mut w).map_err(io)?;
        w.finish().map_err(io)?;
        Ok(())
    }
}
