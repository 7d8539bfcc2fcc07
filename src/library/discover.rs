//! Finding the backup versions inside a root: live folders, archived copies, iMazing
//! snapshots, backups recognised by their contents.
//!
//! A folder is a backup *candidate* when it holds any of [`BACKUP_MARKERS`] (looked up with
//! `symlink_metadata`, no listing needed), or, at the top of a root, when its name is a UDID
//! or `UDID-YYYYMMDD-HHMMSS`, or, in `iMazing.Versions`, a snapshot name. Only candidates
//! become [`Version`]s; the name tells the kind:
//!
//! | where | kind |
//! |---|---|
//! | `<root>/<UDID>/` | [`VersionKind::Live`](super::VersionKind::Live) |
//! | `<root>/<UDID>-YYYYMMDD-HHMMSS/` or `<root>/<any other name>/` with markers | [`VersionKind::Archive`](super::VersionKind::Archive) |
//! | `<root>/<folder>/<any name>/` with markers (a copy one level down) | [`VersionKind::Archive`](super::VersionKind::Archive) |
//! | `<root>/iMazing.Versions/Versions/<UDID>/<snapshot>/` | [`VersionKind::ImazingSnapshot`](super::VersionKind::ImazingSnapshot) (markers, or named `YYYY-MM-DD-HH.MM.SS`) |
//!
//! A top-level UDID folder without markers (only a `Snapshot/` folder, or nothing) is a
//! damaged version with the usual sentences. A top-level folder that is not a candidate but
//! holds `iMazing.Versions` or is named `Backup`, `Backups` or `iMazing.Backups` is walked as
//! a root of its own (so `--root …/iMazing` finds live backups and snapshots), up to
//! [`MAX_NESTING`] levels. A root is read as one single backup only when it holds
//! `Manifest.db`, `Manifest.mbdb` or `Status.plist`, or its name is a UDID (one stray marker
//! file in a folder of backups does not hide them).
//!
//! Skipped silently: files, symlinks (never followed inside a root; the root itself may be one),
//! dot-folders (which include backtop's own delete markers, [`DELETE_MARKER_PREFIX`]), `_unback_`
//! and `iMazing.Versions` one level down. A *candidate* that cannot be listed is a damaged
//! version with the sentence `the folder could not be read (<io error>)`. Any other folder that
//! cannot be read (a folder of copies, `iMazing.Versions/Versions`, a device folder of
//! snapshots, `lost+found`) is never a version — deleting it would delete everything inside —
//! but an [`Unreadable`] entry with the same sentence. A non-UTF-8 folder name changes nothing
//! (the name is shown lossily).

mod walker;

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::access;
use super::backup::Version;
use super::device::{self, Library, Unreadable};
use super::names;
use super::root::{Root, RootReport, RootStatus};
use walker::Walker;

/// Name prefix of the folder a version is renamed to while backtop deletes it; such folders
/// are never listed as backups (they start with a dot). Defined here, in the model, because
/// discovery must skip them; the delete marker (`actions::marker`) names its folders with it.
pub const DELETE_MARKER_PREFIX: &str = ".backtop-deleting-";

/// iMazing's folder of older versions, one per root.
pub const IMAZING_VERSIONS: &str = "iMazing.Versions";

/// The files whose presence makes a folder a backup.
pub const BACKUP_MARKERS: [&str; 5] = [
    "Info.plist",
    "Manifest.plist",
    "Status.plist",
    "Manifest.db",
    "Manifest.mbdb",
];

/// The markers that make a root itself one backup (`Info.plist` and `Manifest.plist` alone
/// do not: they are easily left lying around).
const ROOT_MARKERS: [&str; 3] = ["Manifest.db", "Manifest.mbdb", "Status.plist"];

/// Names of top-level folders walked as roots of their own.
const NESTED_ROOT_NAMES: [&str; 3] = ["Backup", "Backups", "iMazing.Backups"];

/// How many levels of nested roots are walked below a root.
pub const MAX_NESTING: usize = 2;

/// What walking one root found.
#[derive(Debug)]
pub struct RootWalk {
    /// The versions, sorted by path.
    pub versions: Vec<Version>,
    /// Folders that could not be read and are not versions, sorted by path.
    pub unreadable: Vec<Unreadable>,
    /// The number of versions, or the error that kept the root itself from being listed.
    pub result: io::Result<usize>,
}

/// Walks `root`: its versions, the folders that could not be read, and the outcome.
pub fn walk_root(root: &Root, now: OffsetDateTime) -> RootWalk {
    let mut walker = Walker {
        root,
        now,
        found: Vec::new(),
        unreadable: Vec::new(),
    };
    let result = walker.walk_root();
    let mut versions = walker.found;
    versions.sort_by(|a, b| a.path.cmp(&b.path));
    let mut unreadable = walker.unreadable;
    unreadable.sort_by(|a, b| a.path.cmp(&b.path));
    let count = versions.len();
    RootWalk {
        versions,
        unreadable,
        result: result.map(|()| count),
    }
}

/// Every version in `root`, sorted by path, and either the number found or the error that
/// kept the root itself from being listed ([`walk_root`] without the unreadable folders).
pub fn versions_in_root(root: &Root, now: OffsetDateTime) -> (Vec<Version>, io::Result<usize>) {
    let walk = walk_root(root, now);
    (walk.versions, walk.result)
}

/// Discovers every root, groups the versions into devices, and reports each root's status
/// (with [`root_status`]). A version reachable through two roots (nested roots, a link and
/// its target) is kept once: the copy found through the most specific root (the longest
/// root path) wins.
pub fn discover_library(roots: &[Root], now: OffsetDateTime) -> Library {
    discover_library_with(roots, now, root_status)
}

/// [`discover_library`] with another way of telling a root's status from the result of
/// listing it (e.g. one that gives advice for permission and privacy errors).
pub fn discover_library_with(
    roots: &[Root],
    now: OffsetDateTime,
    root_status: impl Fn(&Root, &io::Result<usize>) -> RootStatus,
) -> Library {
    let mut reports = Vec::new();
    let mut all: Vec<Version> = Vec::new();
    let mut index: HashMap<PathBuf, usize> = HashMap::new();
    let mut unreadable: Vec<Unreadable> = Vec::new();
    let mut unreadable_seen = HashSet::new();
    for root in roots {
        let walk = walk_root(root, now);
        reports.push(RootReport {
            root: root.clone(),
            status: root_status(root, &walk.result),
        });
        for version in walk.versions {
            match index.get(&real(&version.path)) {
                Some(&i) if root_len(&version) > root_len(&all[i]) => all[i] = version,
                Some(_) => {}
                None => {
                    index.insert(real(&version.path), all.len());
                    all.push(version);
                }
            }
        }
        for item in walk.unreadable {
            if unreadable_seen.insert(real(&item.path)) {
                unreadable.push(item);
            }
        }
    }
    let (devices, damaged) = device::group(all);
    Library {
        roots: reports,
        devices,
        damaged,
        unreadable,
    }
}

/// The path with links resolved, or as given when that fails.
fn real(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// How specific the root a version was found through is.
fn root_len(version: &Version) -> usize {
    version.root.as_os_str().len()
}

/// The status of a root from the result of listing it: the no-environment default, with the
/// advice of [`access::status_from_listing`] for this OS as if run locally and not as root.
/// Commands that know the run's [`crate::library::locate::Env`] (SSH, root) use
/// [`discover_library_with`] instead.
pub fn root_status(root: &Root, result: &io::Result<usize>) -> RootStatus {
    let env = crate::library::locate::Env::empty(crate::library::locate::Os::this());
    access::status_from_listing(root, result, &env)
}

/// True for names never looked into: dot-folders (delete markers, [`DELETE_MARKER_PREFIX`],
/// included) and `_unback_`.
pub fn is_skipped_name(name: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".") || name == "_unback_"
}

/// True when `dir` holds any of [`BACKUP_MARKERS`].
pub fn is_backup_folder(dir: &Path) -> bool {
    matches!(probe(dir), Probe::Present)
}

/// What looking up the markers of a folder gave.
enum Probe {
    /// At least one marker is there.
    Present,
    /// None is there.
    Absent,
    /// None was found, and looking failed (the folder cannot be searched).
    Blocked(io::Error),
}

/// Looks up [`BACKUP_MARKERS`] in `dir` without listing it.
fn probe(dir: &Path) -> Probe {
    let mut blocked = None;
    for marker in BACKUP_MARKERS {
        match fs::symlink_metadata(dir.join(marker)) {
            Ok(_) => return Probe::Present,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                blocked.get_or_insert(e);
            }
        }
    }
    blocked.map_or(Probe::Absent, Probe::Blocked)
}

/// True when a root folder is itself one backup: it holds [`ROOT_MARKERS`] or is named as one.
fn is_single_backup(root: &Path) -> bool {
    ROOT_MARKERS
        .iter()
        .any(|m| fs::symlink_metadata(root.join(m)).is_ok())
        || udid_named(root)
}

/// True when the folder's name is a UDID or `UDID-YYYYMMDD-HHMMSS`.
fn udid_named(path: &Path) -> bool {
    path.file_name()
        .and_then(OsStr::to_str)
        .and_then(names::udid_from_name)
        .is_some()
}

/// True when a top-level folder that is not a backup is walked as a root of its own.
fn is_nested_root(path: &Path, name: &OsStr) -> bool {
    NESTED_ROOT_NAMES.iter().any(|n| name == *n)
        || fs::symlink_metadata(path.join(IMAZING_VERSIONS)).is_ok_and(|m| m.is_dir())
}
