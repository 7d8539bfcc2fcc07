//! The delete and prune dialogs' "what deleting this loses" job: the files that only the
//! versions to be deleted hold ([`crate::library::diff::what_deleting_loses`]), read with the
//! keys of the versions unlocked in this run; latest wins, cancelled between manifests.

use std::path::PathBuf;

use super::{Ctx, Keyring, Outcome};
use crate::library::diff::what_deleting_loses;
use crate::library::Library;

/// What deleting the versions at `paths` of `library` loses.
pub fn run(ctx: &Ctx, paths: Vec<PathBuf>, library: &Library, keyring: &Keyring) -> Outcome {
    let loss = what_deleting_loses(library, &paths, &|p| keyring.get(p), &|| ctx.cancelled());
    Outcome::Lost {
        paths,
        loss: Box::new(loss),
    }
}
