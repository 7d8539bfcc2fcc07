//! The `EncryptionKey` of every file of an unlocked version, by fileID (44 bytes each, about
//! 80 bytes a file with the map), read in one pass over its manifest: what export needs to
//! decrypt the files a selection names.

use ahash::AHashMap;

use super::derive::Key;
use super::error::{Result, UnlockError};
use super::version::UnlockedVersion;
use crate::library::manifest::{Fields, Manifest};
use crate::library::ManifestFormat;

/// fileID → wrapped key, with the version's class keys to unwrap them.
#[derive(Debug)]
pub struct FileKeys {
    unlocked: UnlockedVersion,
    wrapped: AHashMap<[u8; 20], Vec<u8>>,
}

impl FileKeys {
    /// Reads the keys of every file row of the unlocked version's manifest.
    pub fn load(
        unlocked: &UnlockedVersion,
        format: ManifestFormat,
    ) -> crate::library::Result<FileKeys> {
        let manifest = Manifest::open_unlocked(unlocked.path(), format, Some(unlocked))?;
        let mut wrapped = AHashMap::new();
        manifest.for_each(Fields::All, |e| {
            if let (true, Some(id), Some(key)) = (
                e.is_file(),
                e.id(),
                e.meta.as_ref().and_then(|m| m.encryption_key.as_ref()),
            ) {
                wrapped.insert(id, key.clone());
            }
            Ok(())
        })?;
        Ok(FileKeys {
            unlocked: unlocked.clone(),
            wrapped,
        })
    }

    /// The contents key of the file `id`.
    pub fn key(&self, id: &[u8; 20]) -> Result<Key> {
        let blob = self
            .wrapped
            .get(id)
            .ok_or_else(|| UnlockError::WrappedKey {
                which: "EncryptionKey",
                what: "the manifest row has none".into(),
            })?;
        self.unlocked.file_key(blob)
    }
}
