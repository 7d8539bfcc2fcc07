//! Export: copying files out of a version into a destination folder, keeping the backup's
//! structure (`DEST/<domain>/<relative path>`) or flattened into one folder for a category or
//! app (`DEST/<folder>/<relative path>`, [`flatten`]), with the manifest's names, modes and
//! mtimes.
//!
//! What an export writes is chosen from the version's [`Tree`](crate::library::manifest::Tree)
//! by [`select`] (prefixes, a category, an app) and written by [`export`], which:
//! - never writes outside the destination: a manifest path that is absolute, holds `..`, or
//!   goes through a folder the manifest lists as a symbolic link is refused for that file
//!   ([`names`]); every folder below the destination is checked (never followed when it is a
//!   symbolic link) or created one level at a time, and files are created with `create_new`
//!   (and `O_NOFOLLOW` on Unix), so an existing file or link is never written through;
//! - never overwrites: an existing file is skipped or the new one renamed `name (1).ext`
//!   ([`Collision`]);
//! - escapes names the OS cannot hold and says so ([`ExportSummary::escaped`]);
//! - reports progress (files, bytes) and stops at the next 8 MiB when cancelled, removing the
//!   half-written file;
//! - ends with a summary: written, renamed, skipped (with the reason), missing in the backup,
//!   failed (I/O errors).
//!
//! Contents are copied with `std::io::copy` (on Linux `copy_file_range`: the kernel copies,
//! as `cp` does). Symbolic links are never created; they are reported as skipped.

pub mod names;
pub mod select;
mod write;

use std::fmt;
use std::path::{Path, PathBuf};

pub use names::{NameRules, Refused};
pub use select::{flatten, select, ExportItem, ItemKind, SelectError, Selection};
pub use write::{export, export_decrypting};

use crate::library::ManifestFormat;

/// What to do when a file of that name is already in the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Collision {
    /// Leave the existing file; the new one is skipped.
    #[default]
    Skip,
    /// Write the new one as `name (1).ext` (the first number free).
    Rename,
}

/// How to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    /// When a name is taken.
    pub collision: Collision,
    /// Which names the destination refuses.
    pub rules: NameRules,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            collision: Collision::Skip,
            rules: NameRules::host(),
        }
    }
}

/// Where an export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportProgress {
    /// Files handled (written, skipped or missing).
    pub files_done: u64,
    /// Files to handle.
    pub files_total: u64,
    /// Bytes copied.
    pub bytes_done: u64,
    /// Bytes of all files (the manifest's sizes).
    pub bytes_total: u64,
}

/// Why an item was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A file of that name is already there (and collisions skip).
    Exists(PathBuf),
    /// The manifest path may not be written ([`Refused`]).
    Refused(Refused),
    /// A folder above it is a symbolic link in the manifest (`domain/path`).
    ThroughSymlink(String),
    /// A folder on the way in the destination is a symbolic link (never followed).
    SymlinkInDestination(PathBuf),
    /// Something on the way in the destination is not a folder.
    NotAFolder(PathBuf),
    /// A symbolic link (or another special entry): never written.
    NotAFile,
    /// Its contents in the backup are not a regular file (a link, a folder).
    ContentsNotRegular,
}

impl SkipReason {
    /// A stable id for JSON: `exists`, `absolute`, `parent_dir`, `bad_domain`, `no_name`,
    /// `through_symlink`, `symlink_in_destination`, `not_a_folder`, `not_a_file`,
    /// `contents_not_regular`.
    pub fn id(&self) -> &'static str {
        match self {
            SkipReason::Exists(_) => "exists",
            SkipReason::Refused(Refused::Absolute) => "absolute",
            SkipReason::Refused(Refused::ParentDir) => "parent_dir",
            SkipReason::Refused(Refused::BadDomain) => "bad_domain",
            SkipReason::Refused(Refused::NoName) => "no_name",
            SkipReason::ThroughSymlink(_) => "through_symlink",
            SkipReason::SymlinkInDestination(_) => "symlink_in_destination",
            SkipReason::NotAFolder(_) => "not_a_folder",
            SkipReason::NotAFile => "not_a_file",
            SkipReason::ContentsNotRegular => "contents_not_regular",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Exists(p) => write!(f, "{} already exists", p.display()),
            SkipReason::Refused(r) => write!(f, "refused: {r}"),
            SkipReason::ThroughSymlink(at) => {
                write!(f, "refused: {at} is a symbolic link in the manifest")
            }
            SkipReason::SymlinkInDestination(p) => {
                write!(
                    f,
                    "refused: {} is a symbolic link (not followed)",
                    p.display()
                )
            }
            SkipReason::NotAFolder(p) => write!(f, "{} is not a folder", p.display()),
            SkipReason::NotAFile => f.write_str("a symbolic link or special entry is not exported"),
            SkipReason::ContentsNotRegular => {
                f.write_str("its contents in the backup are not a regular file")
            }
        }
    }
}

/// One item the summary names, with what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Noted<T> {
    /// `domain/path` as the manifest gives it.
    pub item: String,
    /// What happened.
    pub what: T,
}

/// What an export did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportSummary {
    /// The destination.
    pub dest: PathBuf,
    /// Files (and listed folders) asked for.
    pub items: u64,
    /// Files written.
    pub written: u64,
    /// Bytes written.
    pub bytes_written: u64,
    /// Folders created.
    pub folders: u64,
    /// Files written under another name because theirs was taken.
    pub renamed: Vec<Noted<PathBuf>>,
    /// Items whose name had to be escaped, with where they were written.
    pub escaped: Vec<Noted<PathBuf>>,
    /// Items not written, with why.
    pub skipped: Vec<Noted<SkipReason>>,
    /// Files the manifest lists whose contents are not in the backup.
    pub missing: Vec<String>,
    /// Items that failed with an I/O error (or, encrypted, did not decrypt).
    pub failed: Vec<Noted<String>>,
    /// Decrypted files whose plain length differs from the manifest's `Size` (kept whole).
    pub size_mismatch: SizeMismatches,
    /// True when the export was cancelled before the end.
    pub cancelled: bool,
}

/// Decrypted files whose plain length is not the manifest's `Size`, with the sentence for
/// each. Boxed (one pointer when empty, as it almost always is) to keep job messages small.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SizeMismatches(Option<Box<MismatchList>>);

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct MismatchList {
    items: Vec<Noted<String>>,
}

impl SizeMismatches {
    /// Adds one.
    pub fn push(&mut self, noted: Noted<String>) {
        self.0.get_or_insert_with(Box::default).items.push(noted);
    }

    /// Every one, in export order.
    pub fn iter(&self) -> impl Iterator<Item = &Noted<String>> {
        self.0.iter().flat_map(|l| l.items.iter())
    }

    /// True when every decrypted file had its `Size`.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|l| l.items.is_empty())
    }
}

/// How an export went, for exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportStatus {
    /// Everything asked for was written.
    AllWritten,
    /// Some items were skipped or missing in the backup (or the export was cancelled).
    Incomplete,
    /// Some items failed with an error.
    Errors,
}

impl ExportSummary {
    /// The overall status.
    pub fn status(&self) -> ExportStatus {
        if !self.failed.is_empty() {
            ExportStatus::Errors
        } else if !self.skipped.is_empty() || !self.missing.is_empty() || self.cancelled {
            ExportStatus::Incomplete
        } else {
            ExportStatus::AllWritten
        }
    }
}

/// Where the version's contents are: its folder and manifest format.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The version folder.
    pub dir: &'a Path,
    /// Where contents live (`xx/<fileID>` or flat).
    pub format: ManifestFormat,
}
