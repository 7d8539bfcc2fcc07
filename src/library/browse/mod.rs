//! Looking inside one version, for the TUI browser: the top level grouped as people think of
//! a phone ([`groups`]), what opening a version gives ([`load`]: its tree and grouping, or why
//! it is locked), and previews of a file's contents ([`preview`]). Pure apart from reading the
//! version, and nothing here knows the terminal.

pub mod groups;
pub mod image;
pub mod preview;
pub mod preview_decrypted;

pub use groups::{AppRow, Group, GroupKind, Groups, Place, Row, Totals};
pub use preview::{preview, Preview, PreviewKind};
pub use preview_decrypted::preview_decrypted;

use std::path::PathBuf;
use std::sync::Arc;

use crate::library::manifest::{open_version_with, Opened, Tree};
use crate::library::unlock::UnlockedVersion;
use crate::library::{ManifestFormat, Version};

/// An opened version, ready to browse: its tree, its grouping, and where its contents are.
#[derive(Debug)]
pub struct Index {
    /// The listing and search index.
    pub tree: Tree,
    /// The top level.
    pub groups: Groups,
    /// The version folder.
    pub dir: PathBuf,
    /// Where contents live (`xx/<fileID>` or flat).
    pub format: ManifestFormat,
    /// The version is encrypted: its contents on disk are ciphertext (listed once unlocked).
    pub encrypted: bool,
}

/// An [`Index`] shared between the browser and its jobs; equal when it is the same index.
#[derive(Debug, Clone)]
pub struct Shared(pub Arc<Index>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Shared {}

/// What opening a version for the browser gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Browsed {
    /// Ready to browse.
    Ready(Shared),
    /// It cannot be listed, and why (an encrypted backup without its password).
    Locked(String),
    /// The manifest could not be read, and why.
    Failed(String),
}

/// Opens `version` for the browser: its tree (with which contents are on disk) and grouping.
///
/// This is the one place the browser gets its tree: it goes through
/// [`open_version`], so a version that can be unlocked later is opened the same way here as
/// by `backtop ls` and `backtop export`.
pub fn load(version: &Version) -> Browsed {
    load_with(version, None)
}

/// [`load`] with the keys of an unlocked encrypted version (its manifest decrypted in
/// memory).
pub fn load_with(version: &Version, unlocked: Option<&UnlockedVersion>) -> Browsed {
    match open_version_with(version, unlocked) {
        Ok(Opened::Tree(tree)) => {
            let groups = Groups::build(&tree, &version.apps);
            Browsed::Ready(Shared(Arc::new(Index {
                tree,
                groups,
                dir: version.path.clone(),
                format: version.manifest,
                encrypted: version.encrypted,
            })))
        }
        Ok(Opened::Locked(reason)) => Browsed::Locked(reason),
        Err(e) => Browsed::Failed(e.to_string()),
    }
}
