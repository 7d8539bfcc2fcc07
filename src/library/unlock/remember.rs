//! Opt-in `--remember`: the derived key of a key bag (the result of both PBKDF2 stages, not
//! the password) kept in the OS keyring between runs, so a later run with `--remember` opens
//! the versions it fits without the password and without the seconds of derivation. Through
//! the `keyring` crate (MIT OR Apache-2.0): on Linux the kernel's key retention service
//! (keyutils: in memory only, no desktop session or D-Bus needed; gone at reboot, and the
//! user's persistent keyring drops it a few days after the last logout), on macOS the
//! Keychain, on Windows the Credential Manager. Never on disk by backtop, and nothing is
//! stored or read without the option. An entry is named by a digest of the key bag's salts
//! and rounds ([`KdfParams::fingerprint`]), which are no secret; a remembered key that no
//! longer opens its key bag is ignored (the password is asked for as usual).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::derive::{KdfParams, Key};
use super::unlocker::Unlocker;
use super::version::BackupKeys;

/// The keyring's service name for backtop's entries.
pub const SERVICE: &str = "backtop";

/// Where derived keys are remembered: the OS keyring ([`OsKeyring`]), or a map in tests.
/// Errors are words (a keyring's, never a key).
pub trait KeyStore {
    /// The key remembered under `name`, when there is one.
    fn get(&self, name: &str) -> Result<Option<Key>, String>;
    /// Remembers `key` under `name` (replacing one there).
    fn set(&self, name: &str, key: &Key) -> Result<(), String>;
    /// Forgets the key under `name`; false when there was none.
    fn forget(&self, name: &str) -> Result<bool, String>;
}

/// A store shared with background jobs.
pub type SharedStore = std::sync::Arc<dyn KeyStore + Send + Sync>;

/// The entry name of the key derived with `params`: `kdf-` and 32 hex digits.
pub fn entry_name(params: &KdfParams) -> String {
    let digest = params.fingerprint();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("kdf-{hex}")
}

/// The distinct key-bag parameters of the encrypted versions at `paths` (those whose
/// `Manifest.plist` cannot be read are left out: unlocking them says why).
fn params_of(paths: &[&Path]) -> Vec<KdfParams> {
    let mut seen = Vec::new();
    for path in paths {
        if let Ok(keys) = BackupKeys::read(path) {
            if !seen.contains(&keys.keybag.kdf) {
                seen.push(keys.keybag.kdf);
            }
        }
    }
    seen
}

/// An unlocker holding the keys `store` remembers for the key bags of the versions at
/// `paths` (no password: [`Unlocker::with_keys`]); with the store's errors, in words.
pub fn recall(store: &dyn KeyStore, paths: &[&Path]) -> (Unlocker, Vec<String>) {
    let mut keys = HashMap::new();
    let mut errors = BTreeSet::new();
    for params in params_of(paths) {
        match store.get(&entry_name(&params)) {
            Ok(Some(key)) => {
                keys.insert(params, key);
            }
            Ok(None) => {}
            Err(e) => {
                errors.insert(e);
            }
        }
    }
    (Unlocker::with_keys(keys), errors.into_iter().collect())
}

/// Remembers in `store` the key `unlocker` derived for each key bag of `opened` (versions it
/// opened, so a wrong password's key is never kept); how many keys were stored.
pub fn remember(
    store: &dyn KeyStore,
    unlocker: &Unlocker,
    opened: &[PathBuf],
) -> Result<usize, String> {
    let paths: Vec<&Path> = opened.iter().map(PathBuf::as_path).collect();
    let mut stored = 0;
    for params in params_of(&paths) {
        if let Some(key) = unlocker.cached(&params) {
            store.set(&entry_name(&params), &key)?;
            stored += 1;
        }
    }
    Ok(stored)
}

/// Forgets in `store` the keys remembered for the key bags of the versions at `paths`; how
/// many there were.
pub fn forget(store: &dyn KeyStore, paths: &[&Path]) -> Result<usize, String> {
    let mut forgot = 0;
    for params in params_of(paths) {
        forgot += usize::from(store.forget(&entry_name(&params))?);
    }
    Ok(forgot)
}

/// The OS keyring, through the `keyring` crate.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsKeyring;

impl OsKeyring {
    fn entry(name: &str) -> Result<keyring::Entry, String> {
        keyring::Entry::new(SERVICE, name).map_err(|e| format!("the OS keyring: {e}"))
    }
}

impl KeyStore for OsKeyring {
    fn get(&self, name: &str) -> Result<Option<Key>, String> {
        match Self::entry(name)?.get_secret() {
            Ok(bytes) => {
                let bytes = zeroize::Zeroizing::new(bytes);
                // Anything but 32 bytes is not backtop's: as if absent.
                Ok(<[u8; 32]>::try_from(bytes.as_slice())
                    .ok()
                    .map(Key::from_bytes))
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(format!("the OS keyring: {e}")),
        }
    }

    fn set(&self, name: &str, key: &Key) -> Result<(), String> {
        Self::entry(name)?
            .set_secret(key.bytes())
            .map_err(|e| format!("the OS keyring: {e}"))
    }

    fn forget(&self, name: &str) -> Result<bool, String> {
        match Self::entry(name)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(format!("the OS keyring: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(salt: &[u8], iter: u64, dp: Option<(&[u8], u64)>) -> KdfParams {
        KdfParams::new(salt.to_vec(), iter, dp.map(|(s, n)| (s.to_vec(), n))).unwrap()
    }

    #[test]
    fn entry_names_follow_every_salt_and_round_count() {
        let base = params(b"salt", 10_000, Some((b"dpsl", 10_000_000)));
        let name = entry_name(&base);
        assert_eq!(name.len(), 4 + 32);
        assert!(name.starts_with("kdf-"));
        assert_eq!(name, entry_name(&base.clone()), "stable");
        let others = [
            params(b"salT", 10_000, Some((b"dpsl", 10_000_000))),
            params(b"salt", 10_001, Some((b"dpsl", 10_000_000))),
            params(b"salt", 10_000, Some((b"dpsL", 10_000_000))),
            params(b"salt", 10_000, Some((b"dpsl", 10_000_001))),
            params(b"salt", 10_000, None),
            // The salt's bytes moved into the other salt: still another name.
            params(b"sal", 10_000, Some((b"tdpsl", 10_000_000))),
        ];
        for other in &others {
            assert_ne!(entry_name(other), name, "{other:?}");
        }
    }
}
