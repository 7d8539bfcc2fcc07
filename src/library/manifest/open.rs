//! Opening a version for browsing: its tree with presence on disk, or why it is locked.

use super::content::present_ids;
use super::error::ManifestError;
use super::tree::Tree;
use super::Manifest;
use crate::library::error::{Error, Result};
use crate::library::Version;

/// The sentence for an encrypted version (decryption is a later feature).
pub const LOCKED_ENCRYPTED: &str =
    "the backup is encrypted: its file names and contents need the password, and backtop \
     cannot decrypt backups yet";

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
    if version.encrypted {
        return Ok(Opened::Locked(LOCKED_ENCRYPTED.to_string()));
    }
    let manifest = match Manifest::open_as(&version.path, version.manifest) {
        Ok(m) => m,
        Err(Error::Manifest(ManifestError::Encrypted { .. })) => {
            return Ok(Opened::Locked(LOCKED_ENCRYPTED.to_string()))
        }
        Err(e) => return Err(e),
    };
    let present = present_ids(&version.path, version.manifest);
    Ok(Opened::Tree(Tree::load(&manifest, Some(&present))?))
}
