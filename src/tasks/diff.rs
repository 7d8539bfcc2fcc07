//! The dashboard's diff job (`=`): compares a version with the one before it through the diff
//! core ([`crate::library::diff::diff_versions`], both manifests read once), latest wins.

use std::path::PathBuf;

use super::checks::find;
use super::Outcome;
use crate::library::diff::diff_versions;
use crate::library::Library;

/// Compares the versions at `old` and `new` of `library`.
pub fn run(old: PathBuf, new: PathBuf, library: &Library) -> Outcome {
    let diff = match (find(library, &old), find(library, &new)) {
        (Some(o), Some(n)) => diff_versions(o, n).map_err(|e| e.to_string()),
        _ => Err("a version is no longer in the library (rescan?)".to_string()),
    };
    Outcome::Diffed {
        old,
        new,
        diff: diff.map(Box::new),
    }
}
