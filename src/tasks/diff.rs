//! The dashboard's diff job (`=`): compares two versions through the diff core
//! ([`crate::library::diff::diff_versions_keyed`], both manifests read once) with the keys of
//! those the user unlocked in this run, latest wins.

use std::path::PathBuf;

use super::checks::find;
use super::{Keyring, Outcome};
use crate::library::diff::{diff_versions_keyed, DiffError};
use crate::library::Library;

/// What the dashboard says of an encrypted version that was not unlocked.
pub const LOCKED_IN_DASHBOARD: &str =
    "it is encrypted and locked: unlock it first (u in the versions pane)";

/// Compares the versions at `old` and `new` of `library`, with the keys in `keyring`.
pub fn run(old: PathBuf, new: PathBuf, library: &Library, keyring: &Keyring) -> Outcome {
    let diff = match (find(library, &old), find(library, &new)) {
        (Some(o), Some(n)) => {
            let (ok, nk) = (keyring.get(&o.path), keyring.get(&n.path));
            diff_versions_keyed(o, n, [ok.as_deref(), nk.as_deref()]).map_err(|e| match e {
                DiffError::Locked { path, .. } => {
                    format!("{}: {LOCKED_IN_DASHBOARD}", path.display())
                }
                e => e.to_string(),
            })
        }
        _ => Err("a version is no longer in the library (rescan?)".to_string()),
    };
    Outcome::Diffed {
        old,
        new,
        diff: diff.map(Box::new),
    }
}
