//! The encrypted test iPad: a few files of every size class (empty, under a block, whole
//! blocks, over 64 KiB), one app, one file missing on disk; written really encrypted with the
//! demo password.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use backtop::demo::{write_backup, BackupSpec, FileSpec};
use backtop::library::unlock::{Key, KeyStore};
use backtop::library::ManifestFormat;

/// The UDID of the test iPad.
pub const UDID: &str = "00008027-000A1B2C3D4E5F60";

/// (domain, path, plain size) of each file; the last one is missing on disk.
pub const FILES: &[(&str, &str, u64)] = &[
    ("HomeDomain", "Library/SMS/sms.db", 4_096),
    ("HomeDomain", "Library/Notes/notes.sqlite", 1_234),
    (
        "CameraRollDomain",
        "Media/DCIM/100APPLE/IMG_0001.HEIC",
        70_000,
    ),
    ("HealthDomain", "Health/healthdb_secure.sqlite", 15),
    ("AppDomain-com.spotify.client", "Documents/cache.bin", 10),
    ("KeychainDomain", "keychain-backup.plist", 0),
    ("MediaDomain", "Media/Recordings/gone.m4a", 88),
];

/// The spec of the encrypted test iPad in `format`.
pub fn spec(format: ManifestFormat) -> BackupSpec {
    let mut spec = BackupSpec::new(UDID, "Test iPad", "iPad13,16");
    spec.format = format;
    if format == ManifestFormat::Mbdb {
        spec.ios = "9.3.5".into();
    }
    spec.encrypted = true;
    spec.files = FILES
        .iter()
        .map(|(d, p, s)| FileSpec::new(d, p, *s))
        .collect();
    spec.missing_files = 1;
    spec.apps = vec![("com.spotify.client".into(), "Spotify".into())];
    spec
}

/// Writes `spec` into `root/<UDID>` and returns the version folder.
pub fn write(root: &Path, spec: &BackupSpec) -> PathBuf {
    let dir = root.join(UDID);
    write_backup(&dir, spec).unwrap();
    dir
}

/// A keyring in memory: names to keys.
#[derive(Default)]
pub struct MapStore(Mutex<HashMap<String, [u8; 32]>>);

impl KeyStore for MapStore {
    fn get(&self, name: &str) -> Result<Option<Key>, String> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .get(name)
            .copied()
            .map(Key::from_bytes))
    }
    fn set(&self, name: &str, key: &Key) -> Result<(), String> {
        self.0.lock().unwrap().insert(name.into(), *key.bytes());
        Ok(())
    }
    fn forget(&self, name: &str) -> Result<bool, String> {
        Ok(self.0.lock().unwrap().remove(name).is_some())
    }
}

impl MapStore {
    /// How many keys it holds.
    pub fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}
