//! Unlocking encrypted versions for the dashboard: one job takes the typed password, derives
//! the key (seconds with real round counts; [`crate::library::unlock::Unlocker`] derives once
//! per key bag) and opens the version asked for, then every other encrypted version in scope
//! that the same password opens, both with [`Unlocks::try_all`] (as the CLI does). What it
//! found is merged into the [`Keyring`], in memory only, for this run: the browser's (its
//! listing, previews and exports), the scan's and verify's jobs read the keys from there. The password is dropped (and zeroized)
//! when the job ends; the dashboard never holds it after Enter.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::checks::find;
use super::{Ctx, Outcome};
use crate::library::unlock::remember::{self, KeyStore};
use crate::library::unlock::{FileKeys, Locked, Password, UnlockedVersion, Unlocker, Unlocks};
use crate::library::{Library, ManifestFormat, Version};

/// The versions unlocked in this run (their keys) and why others stayed locked: one
/// [`Unlocks`] shared (cloning shares) between the dashboard's host and its jobs, which take
/// a snapshot of it ([`Keyring::unlocks`]); with the file keys of the versions whose files were
/// previewed or exported ([`Keyring::file_keys`]). Never written anywhere.
#[derive(Clone, Default)]
pub struct Keyring(Arc<Mutex<Held>>);

#[derive(Default)]
struct Held {
    unlocks: Unlocks,
    files: HashMap<PathBuf, Arc<FileKeys>>,
}

impl Keyring {
    /// What is unlocked now (a cheap snapshot: later unlocks do not change it).
    pub fn unlocks(&self) -> Unlocks {
        self.lock().unlocks.clone()
    }

    /// The keys of the version at `path`, when it was unlocked.
    pub fn get(&self, path: &Path) -> Option<Arc<UnlockedVersion>> {
        self.lock().unlocks.get_shared(path)
    }

    /// Keeps `keys` for the version at `path` ([`Unlocks::insert`]).
    pub fn insert(&self, path: PathBuf, keys: UnlockedVersion) {
        self.lock().unlocks.insert(path, keys);
    }

    /// Adds what a try of a password found ([`Unlocks::merge`]).
    pub fn merge(&self, tried: &Unlocks) {
        self.lock().unlocks.merge(tried);
    }

    /// The versions unlocked so far.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.lock().unlocks.opened_paths()
    }

    /// The key of every file of the unlocked version at `dir` (its manifest read once, on the
    /// first preview or export, then kept for the run); why not when it is locked or its
    /// manifest cannot be read.
    pub fn file_keys(&self, dir: &Path, format: ManifestFormat) -> Result<Arc<FileKeys>, String> {
        if let Some(keys) = self.lock().files.get(dir) {
            return Ok(Arc::clone(keys));
        }
        let unlocks = self.unlocks();
        let unlocked = unlocks
            .get(dir)
            .ok_or_else(|| LOCKED_CONTENTS.to_string())?;
        // Read without the lock held: other jobs use the keyring meanwhile.
        let keys = FileKeys::load(unlocked, format)
            .map(Arc::new)
            .map_err(|e| format!("cannot read the keys of its files: {e}"))?;
        self.lock()
            .files
            .insert(dir.to_path_buf(), Arc::clone(&keys));
        Ok(keys)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Held> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Why the files of an encrypted version that is not unlocked are neither previewed nor
/// exported (its contents on disk are ciphertext: copying them would give files that look
/// whole and are not).
pub const LOCKED_CONTENTS: &str = "the version is encrypted and locked: nothing was read or \
     copied (u in the versions pane unlocks it)";

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
    /// What `--remember` did with the OS keyring, in words (none without the option).
    pub remembered: Option<String>,
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

/// Runs `request` over `library`, merging what it opened into `keyring`; with `store`
/// (`--remember`), the keys that opened versions are remembered there.
pub fn run(
    ctx: &Ctx,
    request: UnlockRequest,
    library: &Library,
    keyring: &Keyring,
    store: Option<&dyn KeyStore>,
) -> Outcome {
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
        remembered: None,
    };
    let Some(version) = find(library, &target) else {
        outcome.result = UnlockResult::Failed("it is no longer in the library (rescan?)".into());
        return Outcome::Unlocked(outcome);
    };
    let first = Unlocks::try_all(&unlocker, [version], ctx.cancel_flag());
    outcome.result = match (first.get(&target), first.locked(&target)) {
        (Some(_), _) => UnlockResult::Opened,
        (None, Some(locked)) => result_of(locked),
        (None, None) => UnlockResult::Failed("the backup is not encrypted".into()),
    };
    keyring.merge(&first);
    if outcome.result == UnlockResult::Opened {
        outcome.opened.push(target.clone());
        let known = keyring.unlocks();
        let others: Vec<&Version> = scope
            .iter()
            .filter(|p| **p != target && known.get(p).is_none())
            .filter_map(|p| find(library, p))
            .collect();
        let others = Unlocks::try_all(&unlocker, others, ctx.cancel_flag());
        keyring.merge(&others);
        for path in scope.iter().filter(|p| **p != target) {
            match (others.get(path), others.locked(path)) {
                (Some(_), _) => outcome.opened.push(path.clone()),
                (None, Some(locked)) => {
                    outcome.still_locked.push((path.clone(), reason_of(locked)))
                }
                (None, None) => {}
            }
        }
    }
    if let (Some(store), false) = (store, outcome.opened.is_empty()) {
        outcome.remembered = Some(
            match remember::remember(store, &unlocker, &outcome.opened) {
                Ok(_) => "the key is remembered in the OS keyring".into(),
                Err(e) => format!("not remembered: {e}"),
            },
        );
    }
    outcome.elapsed = started.elapsed();
    Outcome::Unlocked(outcome)
}

/// `--remember` at start: opens every encrypted version of `library` that a key remembered
/// in `store` fits (no password, no derivation) and merges them into `keyring`. Nothing
/// opened is [`UnlockResult::Cancelled`] (nothing to say), or the store's error.
pub fn recall(ctx: &Ctx, library: &Library, keyring: &Keyring, store: &dyn KeyStore) -> Outcome {
    let started = Instant::now();
    let encrypted: Vec<&Version> = library.versions().filter(|v| v.encrypted).collect();
    let paths: Vec<&Path> = encrypted.iter().map(|v| v.path.as_path()).collect();
    let (unlocker, errors) = remember::recall(store, &paths);
    let found = Unlocks::try_all(&unlocker, encrypted, ctx.cancel_flag());
    // Only what opened: a key that fits no more says nothing of the password.
    let mut opened = Unlocks::default();
    opened.merge_opened(&found);
    keyring.merge(&opened);
    let opened = opened.opened_paths();
    let result = match (opened.is_empty(), errors.is_empty()) {
        (false, _) => UnlockResult::Opened,
        (true, true) => UnlockResult::Cancelled,
        (true, false) => UnlockResult::Failed(format!("--remember: {}", errors.join("; "))),
    };
    Outcome::Unlocked(UnlockOutcome {
        target: opened.first().cloned().unwrap_or_default(),
        result,
        opened,
        still_locked: Vec::new(),
        elapsed: started.elapsed(),
        remembered: Some("with the keys remembered in the OS keyring".into()),
    })
}

fn result_of(locked: &Locked) -> UnlockResult {
    if locked.cancelled {
        UnlockResult::Cancelled
    } else if locked.wrong_password {
        UnlockResult::WrongPassword
    } else {
        UnlockResult::Failed(locked.reason.clone())
    }
}

fn reason_of(locked: &Locked) -> String {
    if locked.wrong_password {
        "the password does not open it".into()
    } else {
        locked.reason.clone()
    }
}
