//! The encrypted versions of one run and what one password did to each: opened (its keys,
//! memory only) or still locked, with the reason. The core passes this to whatever reads a
//! version's contents (the scan, listing, export, verify, diff); it is no global.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::error::UnlockError;
use super::unlocker::Unlocker;
use super::version::UnlockedVersion;
use crate::library::Version;

/// Which versions a password opened. Cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct Unlocks {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    opened: HashMap<PathBuf, UnlockedVersion>,
    locked: HashMap<PathBuf, Locked>,
}

/// An encrypted version the password did not open.
#[derive(Debug, Clone)]
pub struct Locked {
    /// Why, in words (never the password).
    pub reason: String,
    /// True when the reason is a wrong password.
    pub wrong_password: bool,
}

impl Unlocks {
    /// Tries `unlocker` on every encrypted version of `versions` (the derived key is reused
    /// across versions with the same key bag parameters).
    pub fn try_all<'a>(
        unlocker: &Unlocker,
        versions: impl IntoIterator<Item = &'a Version>,
        cancel: &AtomicBool,
    ) -> Unlocks {
        let mut inner = Inner::default();
        for v in versions.into_iter().filter(|v| v.encrypted) {
            match unlocker.unlock(&v.path, cancel) {
                Ok(u) => {
                    inner.opened.insert(v.path.clone(), u);
                }
                Err(e) => {
                    let locked = Locked {
                        wrong_password: matches!(e, UnlockError::WrongPassword),
                        reason: e.to_string(),
                    };
                    inner.locked.insert(v.path.clone(), locked);
                }
            }
        }
        Unlocks {
            inner: Arc::new(inner),
        }
    }

    /// The keys of the version at `path`, when the password opened it.
    pub fn get(&self, path: &Path) -> Option<&UnlockedVersion> {
        self.inner.opened.get(path)
    }

    /// Why the version at `path` stayed locked, when a password was tried on it.
    pub fn locked(&self, path: &Path) -> Option<&Locked> {
        self.inner.locked.get(path)
    }

    /// Versions opened.
    pub fn opened(&self) -> usize {
        self.inner.opened.len()
    }

    /// Versions a password was tried on.
    pub fn tried(&self) -> usize {
        self.inner.opened.len() + self.inner.locked.len()
    }

    /// True when a password was tried and opened nothing because it is wrong for every
    /// version it was tried on.
    pub fn all_wrong(&self) -> bool {
        self.opened() == 0
            && !self.inner.locked.is_empty()
            && self.inner.locked.values().all(|l| l.wrong_password)
    }
}
