//! One encrypted version: what `Manifest.plist` holds for unlocking ([`BackupKeys`]) and,
//! once the password opened it, its keys ([`UnlockedVersion`]): the class keys, and the
//! manifest key when `Manifest.db` is encrypted (iOS 10.2+; without `ManifestKey`, iOS
//! 10.0–10.1, it is plain, and iOS ≤ 9's Manifest.mbdb is never encrypted).

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::classkeys::ClassKeys;
use super::derive::Key;
use super::error::{Result, UnlockError};
use super::keybag::Keybag;
use super::manifest_db::{check_encrypted_header, open_encrypted_db};
use crate::library::manifest::SQLITE_HEADER;
use crate::library::plists::bounded;

/// The encryption fields of a version's `Manifest.plist`.
#[derive(Debug, Clone)]
pub struct BackupKeys {
    /// `IsEncrypted`.
    pub is_encrypted: bool,
    /// The parsed `BackupKeyBag`.
    pub keybag: Keybag,
    /// `ManifestKey` (4-byte LE class + wrapped key), absent before iOS 10.2.
    pub manifest_key: Option<Vec<u8>>,
}

impl BackupKeys {
    /// Reads `Manifest.plist` of `version_dir`. Not encrypted is
    /// [`UnlockError::NotEncrypted`]; an unreadable plist or no `BackupKeyBag` is
    /// [`UnlockError::NoKeybag`]; a malformed key bag is [`UnlockError::Keybag`].
    pub fn read(version_dir: &Path) -> Result<BackupKeys> {
        let path = version_dir.join("Manifest.plist");
        let value = bounded::value_from_file(&path).map_err(|e| UnlockError::NoKeybag {
            what: e.to_string(),
        })?;
        let no = |what: &str| UnlockError::NoKeybag { what: what.into() };
        let dict = value
            .as_dictionary()
            .ok_or_else(|| no("Manifest.plist is not a dictionary"))?;
        let is_encrypted = dict
            .get("IsEncrypted")
            .and_then(plist::Value::as_boolean)
            .unwrap_or(false);
        let keybag = dict.get("BackupKeyBag").and_then(plist::Value::as_data);
        let keybag = match (is_encrypted, keybag) {
            (_, Some(bytes)) => Keybag::parse(bytes)?,
            (false, None) => return Err(UnlockError::NotEncrypted),
            (true, None) => return Err(no("no BackupKeyBag")),
        };
        let manifest_key = dict
            .get("ManifestKey")
            .and_then(plist::Value::as_data)
            .map(<[u8]>::to_vec);
        Ok(BackupKeys {
            is_encrypted,
            keybag,
            manifest_key,
        })
    }
}

/// An encrypted version the password opened: its keys, in memory only, zeroized on drop.
/// `Debug` shows no key.
#[derive(Debug, Clone)]
pub struct UnlockedVersion {
    path: PathBuf,
    class_keys: ClassKeys,
    manifest_key: Option<Key>,
}

impl UnlockedVersion {
    /// Checks the keys against the version at `path`: unwraps `ManifestKey` (when present)
    /// and checks that Manifest.db's first block decrypts to the SQLite header (or, without
    /// `ManifestKey`, that Manifest.db is plain SQLite or the manifest is Manifest.mbdb).
    pub fn new(path: &Path, keys: &BackupKeys, class_keys: ClassKeys) -> Result<UnlockedVersion> {
        let manifest_key = match &keys.manifest_key {
            Some(blob) => Some(class_keys.unwrap_tagged("ManifestKey", blob)?),
            None => None,
        };
        let db = path.join("Manifest.db");
        if let Some(key) = &manifest_key {
            check_encrypted_header(&db, key)?;
        }
        if manifest_key.is_none() && db.symlink_metadata().is_ok() && !starts_plain(&db) {
            return Err(UnlockError::ManifestCorrupt {
                path: db,
                what: "there is no ManifestKey, so Manifest.db should be plain SQLite \
                       (iOS 10.0-10.1), and it is not"
                    .into(),
            });
        }
        let unlocked = UnlockedVersion {
            path: path.to_path_buf(),
            class_keys,
            manifest_key,
        };
        Ok(unlocked)
    }

    /// The version folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The class keys.
    pub fn class_keys(&self) -> &ClassKeys {
        &self.class_keys
    }

    /// True when Manifest.db itself is encrypted (a `ManifestKey` was present).
    pub fn manifest_encrypted(&self) -> bool {
        self.manifest_key.is_some()
    }

    /// Opens Manifest.db: decrypted in memory when it is encrypted
    /// ([`open_encrypted_db`]), else `None` (open the file as for an unencrypted backup).
    pub fn open_manifest_db(&self) -> Option<Result<Connection>> {
        let key = self.manifest_key.as_ref()?;
        Some(open_encrypted_db(&self.path.join("Manifest.db"), key))
    }

    /// The key of one file from its `EncryptionKey` (4-byte LE class + wrapped key).
    pub fn file_key(&self, encryption_key: &[u8]) -> Result<Key> {
        self.class_keys
            .unwrap_tagged("EncryptionKey", encryption_key)
    }
}

fn starts_plain(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    crate::library::safe_fs::open_regular(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == SQLITE_HEADER
}
