//! One password tried on many versions: [`Unlocker`] keeps the keys it derived, by key-bag
//! parameters ([`KdfParams`]), so versions of one device (same salts and rounds) cost one
//! derivation. It is `Send + Sync`: share it in an `Arc` with a background job.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use super::classkeys::ClassKeys;
use super::derive::{derive, KdfParams, Key, Password};
use super::error::{Result, UnlockError};
use super::version::{BackupKeys, UnlockedVersion};

/// A password and the keys derived from it so far (memory only, zeroized on drop); or, for
/// remembered keys (`--remember`), only keys given to it.
#[derive(Debug)]
pub struct Unlocker {
    password: Option<Password>,
    cache: Mutex<HashMap<KdfParams, Key>>,
}

impl Unlocker {
    /// An unlocker for `password`, its cache empty.
    pub fn new(password: Password) -> Unlocker {
        Unlocker {
            password: Some(password),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// An unlocker without a password, holding `keys` (derived keys by their parameters,
    /// e.g. remembered ones): a key bag with other parameters is [`UnlockError::NoPassword`].
    pub fn with_keys(keys: impl IntoIterator<Item = (KdfParams, Key)>) -> Unlocker {
        Unlocker {
            password: None,
            cache: Mutex::new(keys.into_iter().collect()),
        }
    }

    /// The key derived (or given) for `params`, when there is one; never derives.
    pub fn cached(&self, params: &KdfParams) -> Option<Key> {
        self.cache.lock().ok().and_then(|c| c.get(params).cloned())
    }

    /// How many distinct derivations were run (cache entries).
    pub fn derivations(&self) -> usize {
        self.cache.lock().map_or(0, |c| c.len())
    }

    /// The derived key for `params`: from the cache, else derived (slow: seconds with real
    /// round counts; `cancel` is checked before, between and after the two stages).
    pub fn key_for(&self, params: &KdfParams, cancel: &AtomicBool) -> Result<Key> {
        if let Some(key) = self.cached(params) {
            return Ok(key);
        }
        let password = self.password.as_ref().ok_or(UnlockError::NoPassword)?;
        // Derived without the lock held: another thread may use cached keys meanwhile.
        let key = derive(password, params, cancel)?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(params.clone(), key.clone());
        }
        Ok(key)
    }

    /// Unlocks the version at `version_dir` (reads its `Manifest.plist`, derives or reuses
    /// the key, unwraps the class keys and the manifest key). [`UnlockError::WrongPassword`]
    /// when the password does not open it; [`UnlockError::Cancelled`] when `cancel` was set.
    pub fn unlock(&self, version_dir: &Path, cancel: &AtomicBool) -> Result<UnlockedVersion> {
        let keys = BackupKeys::read(version_dir)?;
        self.unlock_keys(version_dir, &keys, cancel)
    }

    /// [`Unlocker::unlock`] with `Manifest.plist` already read.
    pub fn unlock_keys(
        &self,
        version_dir: &Path,
        keys: &BackupKeys,
        cancel: &AtomicBool,
    ) -> Result<UnlockedVersion> {
        let derived = self.key_for(&keys.keybag.kdf, cancel)?;
        let class_keys = ClassKeys::unlock(&keys.keybag, &derived)?;
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(UnlockError::Cancelled);
        }
        UnlockedVersion::new(version_dir, keys, class_keys)
    }
}
