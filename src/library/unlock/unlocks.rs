//! The encrypted versions of one run and what a password did to each: opened (its keys,
//! memory only) or still locked, with the reason. The core passes this to whatever reads a
//! version's contents (the scan, listing, export, verify, diff); it is no global.
//!
//! The CLI builds one with [`Unlocks::try_all`] and keeps it for the run; the dashboard tries
//! a password at a time and [`Unlocks::merge`]s each try into the one it keeps
//! ([`crate::tasks::Keyring`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::error::UnlockError;
use super::unlocker::Unlocker;
use super::version::UnlockedVersion;
use crate::library::Version;

/// Which versions a password opened. Cheap to clone (shared; a change copies the maps, never
/// the keys).
#[derive(Debug, Clone, Default)]
pub struct Unlocks {
    inner: Arc<Inner>,
}

#[derive(Debug, Clone, Default)]
struct Inner {
    opened: HashMap<PathBuf, Arc<UnlockedVersion>>,
    locked: HashMap<PathBuf, Locked>,
}

/// An encrypted version the password did not open.
#[derive(Debug, Clone)]
pub struct Locked {
    /// Why, in words (never the password).
    pub reason: String,
    /// True when the reason is a wrong password.
    pub wrong_password: bool,
    /// True when the try was cancelled before it finished (it says nothing of the password).
    pub cancelled: bool,
}

impl Locked {
    fn of(e: &UnlockError) -> Locked {
        Locked {
            wrong_password: e.is_wrong_password(),
            cancelled: matches!(e, UnlockError::Cancelled),
            reason: e.to_string(),
        }
    }
}

impl Unlocks {
    /// Tries `unlocker` on every encrypted version of `versions`, in order (the derived key
    /// is reused across versions with the same key bag parameters).
    pub fn try_all<'a>(
        unlocker: &Unlocker,
        versions: impl IntoIterator<Item = &'a Version>,
        cancel: &AtomicBool,
    ) -> Unlocks {
        let mut unlocks = Unlocks::default();
        for v in versions.into_iter().filter(|v| v.encrypted) {
            match unlocker.unlock(&v.path, cancel) {
                Ok(u) => unlocks.insert(v.path.clone(), u),
                Err(e) => unlocks.set_locked(v.path.clone(), Locked::of(&e)),
            }
        }
        unlocks
    }

    /// Keeps the keys of the version at `path` (it is no longer locked).
    pub fn insert(&mut self, path: PathBuf, keys: UnlockedVersion) {
        let inner = Arc::make_mut(&mut self.inner);
        inner.locked.remove(&path);
        inner.opened.insert(path, Arc::new(keys));
    }

    fn set_locked(&mut self, path: PathBuf, locked: Locked) {
        Arc::make_mut(&mut self.inner).locked.insert(path, locked);
    }

    /// Adds what a later try found: the versions it opened, and why others stayed locked
    /// (a version opened before stays open; a cancelled try is not kept as a reason).
    pub fn merge(&mut self, later: &Unlocks) {
        self.merge_opened(later);
        for (path, locked) in &later.inner.locked {
            if !locked.cancelled && !self.inner.opened.contains_key(path) {
                self.set_locked(path.clone(), locked.clone());
            }
        }
    }

    /// Adds the versions `later` opened, and nothing of those it did not (a try with
    /// remembered keys says nothing of the password).
    pub fn merge_opened(&mut self, later: &Unlocks) {
        for (path, keys) in &later.inner.opened {
            let inner = Arc::make_mut(&mut self.inner);
            inner.locked.remove(path);
            inner.opened.insert(path.clone(), Arc::clone(keys));
        }
    }

    /// The keys of the version at `path`, when the password opened it.
    pub fn get(&self, path: &Path) -> Option<&UnlockedVersion> {
        self.inner.opened.get(path).map(Arc::as_ref)
    }

    /// [`Unlocks::get`], shared: what a job keeps after the snapshot it came from is gone.
    pub fn get_shared(&self, path: &Path) -> Option<Arc<UnlockedVersion>> {
        self.inner.opened.get(path).cloned()
    }

    /// Why the version at `path` stayed locked, when a password was tried on it.
    pub fn locked(&self, path: &Path) -> Option<&Locked> {
        self.inner.locked.get(path)
    }

    /// Versions opened.
    pub fn opened(&self) -> usize {
        self.inner.opened.len()
    }

    /// The folders of the versions opened, sorted.
    pub fn opened_paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self.inner.opened.keys().cloned().collect();
        paths.sort();
        paths
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
