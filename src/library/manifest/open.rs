//! Opening a version for browsing: its tree with presence on disk, or why it is locked.

use super::content::present_ids;
use super::error::ManifestError;
use super::tree::Tree;
use super::Manifest;
use crate::library::error::{Error, Result};
use crate::library::unlock::UnlockedVersion;
use crate::library::Version;

/// The sentence for an encrypted version opened without its keys (the dashboard asks for the
/// password before it opens one, so this shows only when that was skipped).
pub const LOCKED_ENCRYPTED: &str =
    "the backup is encrypted: its file names and contents need the password (u in the \
     versions pane unlocks it; --password-file for the CLI)";

/// What opening a version gives.
#[derive(Debug)]
pub enum Opened {
    /// Its listing index.
    Tree(Tree),
    /// It cannot be listed, and why (an encrypted backup).
    Locked(String),
}

/// Opens `version`: [`Opened::Locked`] when it is encrypted (by `Manifest.plist` or by its
/// `Manifest.db`'s bytes), else its [`Tree`] with which contents are present on disk.
/// A missing or damaged manifest is an error.
pub fn open_version(version: &Version) -> Result<Opened> {
    open_version_with(version, None)
}

/// [`open_version`] with the keys of an unlocked encrypted version: its Manifest.db is then
/// decrypted in memory (or, without a `ManifestKey`, read as is) and its tree listed. An
/// encrypted version without keys is [`Opened::Locked`].
pub fn open_version_with(version: &Version, unlocked: Option<&UnlockedVersion>) -> Result<Opened> {
    if version.encrypted && unlocked.is_none() {
        return Ok(Opened::Locked(LOCKED_ENCRYPTED.to_string()));
    }
    let manifest = match Manifest::open_unlocked(&version.path, version.manifest, unlocked) {
        Ok(m) => m,
        Err(Error::Manifest(ManifestError::Encrypted { .. })) => {
            return Ok(Opened::Locked(LOCKED_ENCRYPTED.to_string()))
        }
        Err(e) => return Err(e),
    };
    let tree = Tree::load_beside(&manifest, || present_ids(&version.path, version.manifest))?;
    Ok(Opened::Tree(tree))
}
