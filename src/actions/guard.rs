//! The delete guards: may this path be deleted, and what must the user confirm first?
//!
//! [`check_delete`] refuses any path with a `..` component (it would be resolved by text,
//! and `link/..` is not the link's folder), canonicalizes the parent through the file system,
//! then gathers facts with `lstat` on exactly the path that will be renamed or removed (is it
//! a symlink, its device and inode, its owner when running as root, what iMazing's
//! `Versions.db` says) and hands them to a pure decision
//! ([`decide`]) that is table-tested. Only a version folder that discovery found inside a root
//! can be deleted; a device's newest complete backup and a backup in progress need `force`; an
//! iMazing snapshot that `Versions.db` may still list needs an explicit confirmation.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::imazing::{snapshot_listing, Listing};
pub use super::index::canonical_keep_last;
use super::index::LibraryIndex;
use super::recheck::{file_id, FileId};
use crate::library::{BackupState, Device, Library, Version, VersionKind};

/// What the user allowed for a delete.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// Allow the newest complete backup, a backup in progress, and listed iMazing snapshots.
    pub force: bool,
    /// The user confirmed deleting an iMazing snapshot that `Versions.db` may still list.
    pub confirm_imazing: bool,
    /// `--read-only`: refuse everything.
    pub read_only: bool,
}

/// Why a delete was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalKind {
    /// backtop runs with `--read-only`.
    ReadOnly,
    /// The target does not exist (or cannot be looked at).
    NotFound,
    /// The target is itself a symbolic link.
    Symlink,
    /// The target is a backup root.
    Root,
    /// The target lies outside every backup root.
    OutsideRoots,
    /// Inside a root, but not a version folder discovery found (e.g. a file inside a backup).
    NotAVersion,
    /// The device's newest complete backup (needs `force`).
    NewestComplete,
    /// A backup being written now (needs `force`).
    InProgress,
    /// An iMazing snapshot that `Versions.db` may still list (needs confirmation or `force`).
    NeedsConfirmation,
    /// The path has a `..` component (it would be resolved by text, not by the disk).
    DotDot,
    /// backtop runs as root and the folder belongs to another user (needs `force`).
    ForeignOwner,
}

/// A refused delete, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The path as given.
    #[serde(flatten, serialize_with = "crate::json_path::path::serialize")]
    pub path: PathBuf,
    /// Machine-readable reason.
    pub kind: RefusalKind,
    /// Human reason, one sentence.
    pub reason: String,
}

/// Something the user must know (and has confirmed) about a delete that is allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The warning, one sentence.
    pub message: String,
}

/// A delete that passed the guards.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeletePlanItem {
    /// The canonical path of the version folder.
    #[serde(flatten, serialize_with = "crate::json_path::path::serialize")]
    pub path: PathBuf,
    /// The version as discovered.
    pub version: Version,
    /// Warnings the user accepted (iMazing still lists it, newest backup forced, ...).
    pub warnings: Vec<Warning>,
    /// Device and inode when checked (unix): the delete refuses a folder swapped meanwhile.
    pub identity: Option<FileId>,
}

/// Facts about a target gathered from the disk, the input of [`decide`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetFacts {
    /// The target exists (without following a final symlink).
    pub exists: bool,
    /// The target itself is a symbolic link.
    pub is_symlink: bool,
    /// The target's canonical path (parent canonicalized, final component kept).
    pub canonical: PathBuf,
    /// Device and inode of the canonical path (`lstat`), where known.
    pub identity: Option<FileId>,
    /// backtop runs as root and the folder belongs to this other uid.
    pub foreign_owner: Option<u32>,
}

/// Checks whether `target` may be deleted, reading the disk for facts.
pub fn check_delete(
    target: &Path,
    library: &Library,
    opts: &DeleteOptions,
) -> Result<DeletePlanItem, Refusal> {
    check_delete_in(target, &LibraryIndex::new(library), opts)
}

/// [`check_delete`] against an index built once (for many targets).
pub fn check_delete_in(
    target: &Path,
    index: &LibraryIndex,
    opts: &DeleteOptions,
) -> Result<DeletePlanItem, Refusal> {
    if has_dot_dot(target) {
        return Err(Refusal {
            path: target.to_path_buf(),
            kind: RefusalKind::DotDot,
            reason: "has a `..` component; give the version folder's path without `..`".into(),
        });
    }
    let canonical = canonical_keep_last(target);
    // Every fact comes from exactly the path that will be renamed or removed.
    let meta = std::fs::symlink_metadata(&canonical);
    let facts = TargetFacts {
        exists: meta.is_ok(),
        is_symlink: meta.as_ref().is_ok_and(|m| m.file_type().is_symlink()),
        identity: meta.as_ref().ok().and_then(file_id),
        foreign_owner: meta.as_ref().ok().and_then(foreign_owner),
        canonical,
    };
    decide(target, &facts, index, opts, |v| {
        snapshot_listing(&v.path, &v.folder_name)
    })
}

/// True when `path` has a `..` component (or ends in `.`).
pub fn has_dot_dot(path: &Path) -> bool {
    path.components().any(|c| matches!(c, Component::ParentDir))
        || path
            .as_os_str()
            .to_str()
            .is_some_and(|s| s == "." || s.ends_with("/.") || s.ends_with("\\."))
}

/// (unix) The owner of the entry when backtop runs as root and it belongs to another user.
#[cfg(unix)]
fn foreign_owner(meta: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let euid = unsafe { libc::geteuid() };
    (euid == 0 && meta.uid() != euid).then(|| meta.uid())
}

/// (non-unix) Not checked.
#[cfg(not(unix))]
fn foreign_owner(_meta: &std::fs::Metadata) -> Option<u32> {
    None
}

/// The pure decision: `listing` answers whether iMazing still lists a snapshot version.
pub fn decide(
    target: &Path,
    facts: &TargetFacts,
    index: &LibraryIndex,
    opts: &DeleteOptions,
    listing: impl Fn(&Version) -> Listing,
) -> Result<DeletePlanItem, Refusal> {
    let refuse = |kind, reason: String| Refusal {
        path: target.to_path_buf(),
        kind,
        reason,
    };
    if opts.read_only {
        return Err(refuse(
            RefusalKind::ReadOnly,
            "backtop is in read-only mode".into(),
        ));
    }
    if !facts.exists {
        return Err(refuse(
            RefusalKind::NotFound,
            "no such file or folder".into(),
        ));
    }
    if facts.is_symlink {
        return Err(refuse(
            RefusalKind::Symlink,
            "is a symbolic link, not a backup folder; backtop never deletes through links".into(),
        ));
    }
    // A root that is itself a backup is a version too, but deleting it would delete the root
    // (and put its marker outside every root): refuse.
    let version = match index.version_at(&facts.canonical) {
        Some(v) if !index.roots.contains(&facts.canonical) => v,
        _ => return Err(not_a_version(&facts.canonical, index, refuse)),
    };
    let mut warnings =
        state_warnings(version, index.library, opts, listing).map_err(|(k, r)| refuse(k, r))?;
    if let Some(uid) = facts.foreign_owner {
        if !opts.force {
            return Err(refuse(
                RefusalKind::ForeignOwner,
                format!(
                    "backtop runs as root and the folder belongs to another user (uid {uid}); use --force to delete anyway"
                ),
            ));
        }
        warnings.push(Warning {
            message: format!("it belonged to another user (uid {uid})"),
        });
    }
    Ok(DeletePlanItem {
        path: facts.canonical.clone(),
        version: version.clone(),
        warnings,
        identity: facts.identity,
    })
}

/// The guards that `force` (or confirmation) overrides; their warnings when overridden.
fn state_warnings(
    version: &Version,
    library: &Library,
    opts: &DeleteOptions,
    listing: impl Fn(&Version) -> Listing,
) -> Result<Vec<Warning>, (RefusalKind, String)> {
    let mut warnings = Vec::new();
    if version.state == BackupState::InProgress {
        if !opts.force {
            return Err((
                RefusalKind::InProgress,
                "a backup is being written into it now (use --force to delete anyway)".into(),
            ));
        }
        warnings.push(warn("a backup was being written into it"));
    }
    if is_newest_complete(version, library) {
        if !opts.force {
            return Err((
                RefusalKind::NewestComplete,
                "it is the device's newest complete backup (use --force to delete anyway)".into(),
            ));
        }
        warnings.push(warn("it was the device's newest complete backup"));
    }
    if version.kind == VersionKind::ImazingSnapshot {
        if let Some(msg) = imazing_warning(&listing(version)) {
            if !(opts.force || opts.confirm_imazing) {
                return Err((RefusalKind::NeedsConfirmation, msg));
            }
            warnings.push(Warning { message: msg });
        }
    }
    Ok(warnings)
}

fn warn(message: &str) -> Warning {
    Warning {
        message: message.to_string(),
    }
}

/// The warning text for a snapshot listing, or `None` when iMazing does not list it.
fn imazing_warning(listing: &Listing) -> Option<String> {
    match listing {
        Listing::NotListed => None,
        Listing::Listed { table } => Some(format!(
            "iMazing's Versions.db still lists this snapshot (table {table}); iMazing will show \
             a version whose files are gone"
        )),
        Listing::Unknown { reason } => Some(format!(
            "iMazing's Versions.db could not be read ({reason}); it may still list this snapshot"
        )),
    }
}

/// Why a path that is not a discovered version is refused.
fn not_a_version(
    canonical: &Path,
    index: &LibraryIndex,
    refuse: impl Fn(RefusalKind, String) -> Refusal,
) -> Refusal {
    let roots = &index.roots;
    if roots.iter().any(|r| r == canonical) {
        return refuse(
            RefusalKind::Root,
            "is a backup root; delete single versions inside it instead".into(),
        );
    }
    if !roots.iter().any(|r| canonical.starts_with(r)) {
        return refuse(
            RefusalKind::OutsideRoots,
            "is outside every backup root backtop looked at".into(),
        );
    }
    if let Some(v) = index.version_containing(canonical) {
        return refuse(
            RefusalKind::NotAVersion,
            format!(
                "is inside the backup {}; backtop deletes whole versions only",
                v.path.display()
            ),
        );
    }
    refuse(
        RefusalKind::NotAVersion,
        "is not a backup version backtop found".into(),
    )
}

/// True when `version` is the newest complete backup of its device.
pub fn is_newest_complete(version: &Version, library: &Library) -> bool {
    library
        .devices
        .iter()
        .find(|d| d.versions.iter().any(|v| v.path == version.path))
        .and_then(Device::newest_complete)
        .is_some_and(|n| n.path == version.path)
}

#[cfg(test)]
#[path = "guard_tests.rs"]
mod tests;
