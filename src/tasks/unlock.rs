//! Unlocking encrypted versions for the dashboard: one job takes the typed password, derives
//! the key (seconds with real round counts; [`crate::library::unlock::Unlocker`] derives once
//! per key bag) and opens the version asked for, then every other encrypted version in scope
//! that the same password opens. The keys go into the [`Keyring`], in memory only, for this
//! run: the browser's jobs read them from there. The password is dropped (and zeroized) when
//! the job ends; the dashboard never holds it after Enter.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::checks::find;
use super::{Ctx, Outcome};
use crate::library::unlock::{Password, UnlockError, UnlockedVersion, Unlocker};
use crate::library::Library;

/// The keys of the versions unlocked in this run, by version folder. Shared (cloning shares)
/// between the dashboard's host and its jobs; never written anywhere.
#[derive(Clone, Default)]
pub struct Keyring(Arc<Mutex<BTreeMap<PathBuf, Arc<UnlockedVersion>>>>);

impl Keyring {
    /// The keys of the version at `path`, when it was unlocked.
    pub fn get(&self, path: &Path) -> Option<Arc<UnlockedVersion>> {
        self.lock().get(path).cloned()
    }

    /// Keeps `keys` for the version at `path`.
    pub fn insert(&self, path: PathBuf, keys: UnlockedVersion) {
        self.lock().insert(path, Arc::new(keys));
    }

    /// The versions unlocked so far.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.lock().keys().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<PathBuf, Arc<UnlockedVersion>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Keyring").field(&self.paths()).finish()
    }
}

/// What to unlock: `target` first, then the other encrypted versions of `scope`.
#[derive(Clone)]
pub struct UnlockRequest {
    /// The version the user asked for.
    pub target: PathBuf,
    /// Other encrypted versions to try the password on (the same device's).
    pub scope: Vec<PathBuf>,
    /// The password as typed.
    pub password: Password,
}

/// Requests compare by what they unlock; the password is never compared (nor shown).
impl PartialEq for UnlockRequest {
    fn eq(&self, other: &Self) -> bool {
        self.target == other.target && self.scope == other.scope
    }
}

impl Eq for UnlockRequest {}

impl fmt::Debug for UnlockRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnlockRequest")
            .field("target", &self.target)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// How an unlock ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlockOutcome {
    /// The version asked for.
    pub target: PathBuf,
    /// What became of it.
    pub result: UnlockResult,
    /// Every version the password opened (the target first), now in the [`Keyring`].
    pub opened: Vec<PathBuf>,
    /// Versions of the scope it did not open, and why.
    pub still_locked: Vec<(PathBuf, String)>,
    /// Wall time, key derivation included.
    pub elapsed: Duration,
}

/// What became of the version asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnlockResult {
    /// Its keys are in the keyring.
    Opened,
    /// The password is not this backup's (the key unwrap failed its integrity check).
    WrongPassword,
    /// The user cancelled; nothing was kept.
    Cancelled,
    /// It cannot be unlocked, and why (a damaged key bag, absurd round counts, …).
    Failed(String),
}

/// Runs `request` over `library`, keeping the keys in `keyring`.
pub fn run(ctx: &Ctx, request: UnlockRequest, library: &Library, keyring: &Keyring) -> Outcome {
    let started = Instant::now();
    let UnlockRequest {
        target,
        scope,
        password,
    } = request;
    let unlocker = Unlocker::new(password);
    let mut outcome = UnlockOutcome {
        target: target.clone(),
        result: UnlockResult::Opened,
        opened: Vec::new(),
        still_locked: Vec::new(),
        elapsed: Duration::ZERO,
    };
    match unlocker.unlock(&target, ctx.cancel_flag()) {
        Ok(keys) => {
            keyring.insert(target.clone(), keys);
            outcome.opened.push(target.clone());
        }
        Err(e) => outcome.result = result_of(&e),
    }
    if outcome.result == UnlockResult::Opened {
        for path in scope.iter().filter(|p| **p != target) {
            if ctx.cancelled() {
                outcome
                    .still_locked
                    .push((path.clone(), "cancelled".into()));
                continue;
            }
            let encrypted = find(library, path).is_some_and(|v| v.encrypted);
            if !encrypted || keyring.get(path).is_some() {
                continue;
            }
            match unlocker.unlock(path, ctx.cancel_flag()) {
                Ok(keys) => {
                    keyring.insert(path.clone(), keys);
                    outcome.opened.push(path.clone());
                }
                Err(e) => outcome.still_locked.push((path.clone(), reason_of(&e))),
            }
        }
    }
    outcome.elapsed = started.elapsed();
    Outcome::Unlocked(outcome)
}

fn result_of(e: &UnlockError) -> UnlockResult {
    match e {
        UnlockError::Cancelled => UnlockResult::Cancelled,
        e if e.is_wrong_password() => UnlockResult::WrongPassword,
        e => UnlockResult::Failed(e.to_string()),
    }
}

fn reason_of(e: &UnlockError) -> String {
    if e.is_wrong_password() {
        "the password does not open it".into()
    } else {
        e.to_string()
    }
}
