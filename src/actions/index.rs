//! [`LibraryIndex`]: a library's roots and versions by canonical path, built once so that
//! checking many targets (prune) resolves each version path once, not once per target.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::library::{Library, Version};

/// A library with its roots and versions canonicalized once.
#[derive(Debug)]
pub struct LibraryIndex<'a> {
    /// The library.
    pub library: &'a Library,
    /// Every root, canonical; roots may be links (users move them), so both the link and
    /// where it leads are listed.
    pub roots: Vec<PathBuf>,
    /// Each version by its canonical path (parent resolved, final component kept).
    versions: HashMap<PathBuf, &'a Version>,
}

impl<'a> LibraryIndex<'a> {
    /// Indexes `library` (one `canonicalize` per root and per version).
    pub fn new(library: &'a Library) -> Self {
        let mut roots: Vec<PathBuf> = library
            .roots
            .iter()
            .map(|r| r.root.path.as_path())
            .chain(library.versions().map(|v| v.root.as_path()))
            .flat_map(|r| [canonical_keep_last(r), r.canonicalize().unwrap_or_default()])
            .filter(|r| !r.as_os_str().is_empty())
            .collect();
        roots.sort();
        roots.dedup();
        let mut versions = HashMap::new();
        for v in library.versions() {
            versions.entry(canonical_keep_last(&v.path)).or_insert(v);
        }
        LibraryIndex {
            library,
            roots,
            versions,
        }
    }

    /// The discovered version at canonical path `canonical`.
    pub fn version_at(&self, canonical: &Path) -> Option<&'a Version> {
        self.versions.get(canonical).copied()
    }

    /// A discovered version (not a root) whose folder contains `canonical`.
    pub fn version_containing(&self, canonical: &Path) -> Option<&'a Version> {
        canonical
            .ancestors()
            .skip(1)
            .filter(|p| !self.roots.iter().any(|r| r == p))
            .find_map(|p| self.versions.get(p).copied())
    }
}

/// The canonical form of `path` without resolving its final component (so a symlink stays a
/// symlink); falls back to a lexical clean-up (of `.` only) when the parent cannot be
/// resolved. Paths with `..` are refused by the guards before they get here.
pub fn canonical_keep_last(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let clean: PathBuf = abs
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    match (clean.parent(), clean.file_name()) {
        (Some(parent), Some(name)) => match parent.canonicalize() {
            Ok(p) => p.join(name),
            Err(_) => clean,
        },
        _ => clean.canonicalize().unwrap_or(clean),
    }
}
