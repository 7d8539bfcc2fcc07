//! What changed between two versions of a device: files keyed by fileID (domain + relative
//! path), each added, removed, changed (its size or mtime differs) or unchanged, with counts
//! and bytes by category and by app, largest changes first (docs/FORMAT.md §10).
//!
//! - [`open_source`] opens a version's manifest for comparing, or says why it cannot be
//!   compared ([`DiffError::Locked`] for an encrypted version: the seam where unlocked
//!   manifests come in, [`Source::from_connection`]).
//! - [`compare`] reads each manifest once ([`rows`]: Manifest.db with its raw `MBFile` blobs,
//!   Manifest.mbdb with inline metadata) and decodes only the blobs of files that differ.
//! - [`diff_versions`] does both for two [`Version`]s.
//! - [`what_deleting_loses`]: the files only in the versions to be deleted ([`loss`]).
//!
//! Only regular files are compared; folders and links are not. Pure: no terminal, no
//! threads.

pub mod compare;
pub mod domains;
pub mod loss;
pub mod rows;
pub mod source;

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

pub use compare::compare;
pub use loss::{what_deleting_loses, Loss, LossTally};
pub use rows::FileMeta;
pub use source::{open_source, open_source_with, DiffError, Source, LOCKED_REASON};

use crate::library::category::Category;
use crate::library::unlock::{UnlockedVersion, Unlocks};
use crate::library::Version;

/// What happened to one file between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with another size or mtime.
    Changed,
}

impl Change {
    /// The marker restic's `diff` uses: `+`, `-`, `M`.
    pub fn marker(self) -> char {
        match self {
            Change::Added => '+',
            Change::Removed => '-',
            Change::Changed => 'M',
        }
    }
}

/// Counts and bytes of one group of files (the whole diff, a category, an app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Tally {
    /// Files only in the new version.
    pub added_files: u64,
    /// Their bytes.
    pub added_bytes: u64,
    /// Files only in the old version.
    pub removed_files: u64,
    /// Their bytes.
    pub removed_bytes: u64,
    /// Files in both whose size or mtime differs.
    pub changed_files: u64,
    /// Their bytes in the new version.
    pub changed_bytes: u64,
    /// Their bytes in the old version.
    pub changed_old_bytes: u64,
    /// Files in both with the same size and mtime.
    pub unchanged_files: u64,
}

impl Tally {
    /// Adds one file's change.
    pub fn add(&mut self, change: Change, old: u64, new: u64) {
        match change {
            Change::Added => {
                self.added_files += 1;
                self.added_bytes += new;
            }
            Change::Removed => {
                self.removed_files += 1;
                self.removed_bytes += old;
            }
            Change::Changed => {
                self.changed_files += 1;
                self.changed_bytes += new;
                self.changed_old_bytes += old;
            }
        }
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &Tally) {
        self.added_files += other.added_files;
        self.added_bytes += other.added_bytes;
        self.removed_files += other.removed_files;
        self.removed_bytes += other.removed_bytes;
        self.changed_files += other.changed_files;
        self.changed_bytes += other.changed_bytes;
        self.changed_old_bytes += other.changed_old_bytes;
        self.unchanged_files += other.unchanged_files;
    }

    /// How much the group grew (negative: shrank) from the old version to the new one.
    pub fn net_bytes(&self) -> i128 {
        i128::from(self.added_bytes) - i128::from(self.removed_bytes)
            + i128::from(self.changed_bytes)
            - i128::from(self.changed_old_bytes)
    }

    /// The bytes that differ: added + removed + changed (new sizes). "Largest changes first"
    /// sorts by this.
    pub fn churn_bytes(&self) -> u64 {
        self.added_bytes
            .saturating_add(self.removed_bytes)
            .saturating_add(self.changed_bytes)
    }

    /// Files added, removed or changed.
    pub fn changed_any(&self) -> u64 {
        self.added_files + self.removed_files + self.changed_files
    }

    /// True when nothing was added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.changed_any() == 0
    }
}

/// One file that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Added, removed or changed.
    pub change: Change,
    /// Its domain.
    pub domain: Arc<str>,
    /// Its path relative to the domain (lossy UTF-8).
    pub path: String,
    /// The fileID, 20 bytes.
    pub file_id: [u8; 20],
    /// Its category.
    pub category: Category,
    /// The app (bundle id) of an app domain's file.
    pub app: Option<Arc<str>>,
    /// Size and mtime in the old version (`None`: not there, or unreadable).
    pub old: Option<FileMeta>,
    /// Size and mtime in the new version.
    pub new: Option<FileMeta>,
}

impl FileChange {
    /// The bytes this change weighs: the new size (added, changed) or the old one (removed).
    pub fn bytes(&self) -> u64 {
        match self.change {
            Change::Removed => self.old.map_or(0, |m| m.size),
            _ => self.new.map_or(0, |m| m.size),
        }
    }
}

/// One app's changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppTally {
    /// Its bundle id.
    pub bundle: Arc<str>,
    /// Its display name from either version's `Info.plist`, when known.
    pub name: Option<String>,
    /// Its files' changes.
    pub tally: Tally,
}

/// The comparison of two versions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diff {
    /// The old version's folder.
    pub old: PathBuf,
    /// The new version's folder.
    pub new: PathBuf,
    /// Every file.
    pub totals: Tally,
    /// Per category, only those with any file, largest changes first (by
    /// [`Tally::churn_bytes`], then files changed, then display order).
    pub by_category: Vec<(Category, Tally)>,
    /// Per app ([`Category::Apps`] files), only apps with a change, largest first.
    pub by_app: Vec<AppTally>,
    /// The files that differ, largest first ([`FileChange::bytes`], then domain and path).
    pub files: Vec<FileChange>,
    /// Things the reader should know: a cut-short Manifest.mbdb, unreadable sizes, two
    /// different devices.
    pub notes: Vec<String>,
}

impl Diff {
    /// True when no file was added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }

    /// The tally of one category (empty when it has no file).
    pub fn category(&self, category: Category) -> Tally {
        self.by_category
            .iter()
            .find(|(c, _)| *c == category)
            .map(|(_, t)| *t)
            .unwrap_or_default()
    }
}

/// Compares `old` with `new`: opens both manifests ([`open_source`]) and [`compare`]s them.
/// Installed apps of both versions help group app domains; a note says when the two
/// versions belong to different devices.
pub fn diff_versions(old: &Version, new: &Version) -> Result<Diff, DiffError> {
    diff_versions_with(old, new, &Unlocks::default())
}

/// [`diff_versions`] with the encrypted versions a password opened.
pub fn diff_versions_with(
    old: &Version,
    new: &Version,
    unlocks: &Unlocks,
) -> Result<Diff, DiffError> {
    diff_versions_keyed(old, new, [unlocks.get(&old.path), unlocks.get(&new.path)])
}

/// [`diff_versions`] with the keys of `old` and `new` when they were unlocked (the
/// dashboard's keyring hands them over one by one).
pub fn diff_versions_keyed(
    old: &Version,
    new: &Version,
    [old_key, new_key]: [Option<&UnlockedVersion>; 2],
) -> Result<Diff, DiffError> {
    let old_source = open_source_with(old, old_key)?;
    let new_source = open_source_with(new, new_key)?;
    let names = old.apps.iter().chain(new.apps.iter());
    let mut diff = compare(&old_source, &new_source, names)?;
    if let (Some(a), Some(b)) = (&old.udid, &new.udid) {
        if !a.eq_ignore_ascii_case(b) {
            diff.notes.push(format!(
                "the two versions are of different devices ({a} and {b})"
            ));
        }
    }
    Ok(diff)
}
