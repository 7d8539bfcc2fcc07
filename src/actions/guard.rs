//! The delete guards: may this path be deleted, and what must the user confirm first?
//!
//! [`check_delete`] gathers a few facts from the disk (is the target a symlink, its canonical
//! path, what iMazing's `Versions.db` says) and hands them to a pure decision
//! ([`decide`]) that is table-tested. Only a version folder that discovery found inside a root
//! can be deleted; a device's newest complete backup and a backup in progress need `force`; an
//! iMazing snapshot that `Versions.db` may still list needs an explicit confirmation.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::imazing::{snapshot_listing, Listing};
use crate::library::{BackupState, Library, Version, VersionKind};

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
}

/// A refused delete, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The path as given.
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
    pub path: PathBuf,
    /// The version as discovered.
    pub version: Version,
    /// Warnings the user accepted (iMazing still lists it, newest backup forced, ...).
    pub warnings: Vec<Warning>,
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
}

/// Checks whether `target` may be deleted, reading the disk for facts.
pub fn check_delete(
    target: &Path,
    library: &Library,
    opts: &DeleteOptions,
) -> Result<DeletePlanItem, Refusal> {
    let meta = std::fs::symlink_metadata(target);
    let facts = TargetFacts {
        exists: meta.is_ok(),
        is_symlink: meta.map(|m| m.file_type().is_symlink()).unwrap_or(false),
        canonical: canonical_keep_last(target),
    };
    decide(target, &facts, library, opts, |v| {
        snapshot_listing(&v.path, &v.folder_name)
    })
}

/// The pure decision: `listing` answers whether iMazing still lists a snapshot version.
pub fn decide(
    target: &Path,
    facts: &TargetFacts,
    library: &Library,
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
    let roots = root_paths(library);
    // A root that is itself a backup is a version too, but deleting it would delete the root
    // (and put its marker outside every root): refuse.
    let version = match find_version(&facts.canonical, library) {
        Some(v) if !roots.contains(&facts.canonical) => v,
        _ => return Err(not_a_version(&facts.canonical, &roots, library, refuse)),
    };
    let warnings =
        state_warnings(version, library, opts, listing).map_err(|(k, r)| refuse(k, r))?;
    Ok(DeletePlanItem {
        path: facts.canonical.clone(),
        version: version.clone(),
        warnings,
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
    roots: &[PathBuf],
    library: &Library,
    refuse: impl Fn(RefusalKind, String) -> Refusal,
) -> Refusal {
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
    if let Some(v) = library
        .versions()
        .map(|v| &v.path)
        .filter(|p| !roots.contains(&canonical_keep_last(p)))
        .find(|p| canonical.starts_with(canonical_keep_last(p)))
    {
        return refuse(
            RefusalKind::NotAVersion,
            format!(
                "is inside the backup {}; backtop deletes whole versions only",
                v.display()
            ),
        );
    }
    refuse(
        RefusalKind::NotAVersion,
        "is not a backup version backtop found".into(),
    )
}

/// Every root of the library, canonical. Roots may be links (users move them), so both the
/// link and where it leads are listed.
fn root_paths(library: &Library) -> Vec<PathBuf> {
    library
        .roots
        .iter()
        .map(|r| r.root.path.as_path())
        .chain(library.versions().map(|v| v.root.as_path()))
        .flat_map(|r| [canonical_keep_last(r), r.canonicalize().unwrap_or_default()])
        .filter(|r| !r.as_os_str().is_empty())
        .collect()
}

/// The discovered version at `canonical`, comparing canonical paths.
fn find_version<'a>(canonical: &Path, library: &'a Library) -> Option<&'a Version> {
    library
        .versions()
        .find(|v| canonical_keep_last(&v.path) == canonical)
}

/// True when `version` is the newest complete backup of its device.
pub fn is_newest_complete(version: &Version, library: &Library) -> bool {
    library
        .devices
        .iter()
        .find(|d| d.versions.iter().any(|v| v.path == version.path))
        .and_then(|d| newest_complete(&d.versions))
        .is_some_and(|n| n.path == version.path)
}

/// The newest complete version in `versions` (by date, an unknown date counting as oldest;
/// ties go to the one listed first).
pub fn newest_complete(versions: &[Version]) -> Option<&Version> {
    versions
        .iter()
        .filter(|v| v.is_complete())
        .fold(None, |best: Option<&Version>, v| match best {
            Some(b) if b.date >= v.date => Some(b),
            _ => Some(v),
        })
}

/// The canonical form of `path` without resolving its final component (so a symlink stays a
/// symlink); falls back to a lexical clean-up when the parent cannot be resolved.
pub fn canonical_keep_last(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let clean = lexical_clean(&abs);
    match (clean.parent(), clean.file_name()) {
        (Some(parent), Some(name)) => match parent.canonicalize() {
            Ok(p) => p.join(name),
            Err(_) => clean,
        },
        _ => clean.canonicalize().unwrap_or(clean),
    }
}

/// Removes `.` and resolves `..` lexically.
fn lexical_clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
#[path = "guard_tests.rs"]
mod tests;
