//! Finding the backup versions inside a root: live folders, archived copies, iMazing
//! snapshots, backups recognised by their contents.
//!
//! A folder is a backup when it holds any of `Info.plist`, `Manifest.plist`, `Status.plist`,
//! `Manifest.db` or `Manifest.mbdb`; its name only tells the kind:
//!
//! | where | kind |
//! |---|---|
//! | `<root>/<UDID>/` | [`VersionKind::Live`] |
//! | `<root>/<UDID>-YYYYMMDD-HHMMSS/` or `<root>/<any other name>/` | [`VersionKind::Archive`] |
//! | `<root>/<folder>/<any name>/` (a copy one level down, when `<folder>` is not a backup) | [`VersionKind::Archive`] |
//! | `<root>/iMazing.Versions/Versions/<UDID>/<snapshot>/` | [`VersionKind::ImazingSnapshot`] (a backup by contents, or named `YYYY-MM-DD-HH.MM.SS`) |
//!
//! A root that is itself a backup folder is read as that one version (kind by its name).
//!
//! Skipped silently: files, symlinks (never followed inside a root; the root itself may be one),
//! dot-folders (which include backtop's own delete markers, [`DELETE_MARKER_PREFIX`]), `_unback_`
//! and `iMazing.Versions` anywhere but at the top. A folder that cannot be listed becomes a
//! damaged version with the sentence `the folder could not be read (<io error>)`; a backup
//! whose folder name is not UTF-8 is damaged with `the folder name is not valid UTF-8` first.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::Path;

use time::OffsetDateTime;

use super::backup::{BackupState, DateSource, Version, VersionKind};
use super::device::{self, Library};
use super::names;
use super::read_version::read_version;
use super::root::{Root, RootReport, RootStatus};

/// Name prefix of the folder a version is renamed to while backtop deletes it; such folders
/// are never listed as backups.
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

/// Every version in `root`, sorted by path, and either the number found or the error that
/// kept the root itself from being listed.
pub fn versions_in_root(root: &Root, now: OffsetDateTime) -> (Vec<Version>, io::Result<usize>) {
    let mut walker = Walker {
        root,
        now,
        found: Vec::new(),
    };
    let result = walker.walk_root();
    let mut found = walker.found;
    found.sort_by(|a, b| a.path.cmp(&b.path));
    let count = found.len();
    (found, result.map(|()| count))
}

/// Discovers every root, groups the versions into devices, and reports each root's status.
/// A version reachable through two roots is kept once (the first root wins).
pub fn discover_library(roots: &[Root], now: OffsetDateTime) -> Library {
    let mut reports = Vec::new();
    let mut all = Vec::new();
    let mut seen = HashSet::new();
    for root in roots {
        let (versions, result) = versions_in_root(root, now);
        reports.push(RootReport {
            root: root.clone(),
            status: root_status(root, &result),
        });
        for version in versions {
            let key = fs::canonicalize(&version.path).unwrap_or_else(|_| version.path.clone());
            if seen.insert(key) {
                all.push(version);
            }
        }
    }
    let (devices, damaged) = device::group(all);
    Library {
        roots: reports,
        devices,
        damaged,
    }
}

/// The status of a root from the result of listing it. Kept small so a richer check (with
/// advice for permission and privacy errors) can replace it.
pub fn root_status(root: &Root, result: &io::Result<usize>) -> RootStatus {
    match result {
        Ok(backups) => RootStatus::Ok { backups: *backups },
        Err(e) if e.kind() == io::ErrorKind::NotFound => RootStatus::Missing,
        Err(_) if fs::metadata(&root.path).is_ok_and(|m| !m.is_dir()) => RootStatus::NotAFolder,
        Err(e) => RootStatus::Error {
            message: e.to_string(),
        },
    }
}

/// True for names never looked into: dot-folders (delete markers included) and `_unback_`.
pub fn is_skipped_name(name: &OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    bytes.starts_with(b".")
        || bytes.starts_with(DELETE_MARKER_PREFIX.as_bytes())
        || name == "_unback_"
}

/// True when `dir` holds any of [`BACKUP_MARKERS`].
pub fn is_backup_folder(dir: &Path) -> bool {
    BACKUP_MARKERS
        .iter()
        .any(|m| fs::symlink_metadata(dir.join(m)).is_ok())
}

/// The walk over one root.
struct Walker<'a> {
    root: &'a Root,
    now: OffsetDateTime,
    found: Vec<Version>,
}

impl Walker<'_> {
    /// Lists the root; each real sub-folder is a backup, a folder of backups, or iMazing's.
    /// A root that is itself a backup folder (someone pointed `--root` at one) is that one
    /// version.
    fn walk_root(&mut self) -> io::Result<()> {
        let listing = fs::read_dir(&self.root.path)?;
        if is_backup_folder(&self.root.path) {
            self.read(&self.root.path.clone(), kind_for(&self.root.path, true));
            return Ok(());
        }
        for (path, name) in subfolders(listing) {
            if name == IMAZING_VERSIONS {
                self.imazing_versions(&path);
            } else {
                self.folder(&path, true);
            }
        }
        Ok(())
    }

    /// A folder in the root (`top`) or one level down: a backup, or (at the top only) a
    /// folder whose sub-folders may be backups.
    fn folder(&mut self, path: &Path, top: bool) {
        let listing = match fs::read_dir(path) {
            Ok(listing) => listing,
            Err(e) => return self.unreadable(path, kind_for(path, top), e),
        };
        if is_backup_folder(path) {
            self.read(path, kind_for(path, top));
        } else if top {
            for (sub, name) in subfolders(listing) {
                if name != IMAZING_VERSIONS {
                    self.folder(&sub, false);
                }
            }
        }
    }

    /// `iMazing.Versions/Versions/<UDID>/<snapshot>/`.
    fn imazing_versions(&mut self, path: &Path) {
        let versions = path.join("Versions");
        let devices = match fs::read_dir(&versions) {
            Ok(listing) => listing,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return,
            Err(e) => return self.unreadable(&versions, VersionKind::ImazingSnapshot, e),
        };
        for (device_dir, _) in subfolders(devices) {
            let snapshots = match fs::read_dir(&device_dir) {
                Ok(listing) => listing,
                Err(e) => {
                    self.unreadable(&device_dir, VersionKind::ImazingSnapshot, e);
                    continue;
                }
            };
            for (snapshot, name) in subfolders(snapshots) {
                let named = name.to_str().and_then(names::parse_snapshot_name).is_some();
                if named || is_backup_folder(&snapshot) {
                    match fs::read_dir(&snapshot) {
                        Ok(_) => self.read(&snapshot, VersionKind::ImazingSnapshot),
                        Err(e) => self.unreadable(&snapshot, VersionKind::ImazingSnapshot, e),
                    }
                }
            }
        }
    }

    /// Reads a backup folder.
    fn read(&mut self, path: &Path, kind: VersionKind) {
        let mut version = read_version(path, &self.root.path, kind, self.now);
        version.owner = self.root.owner.clone();
        let utf8 = path.file_name().is_some_and(|n| n.to_str().is_some());
        if !utf8 {
            version.state = BackupState::Damaged;
            version.problem = Some(match version.problem.take() {
                Some(rest) => format!("the folder name is not valid UTF-8; {rest}"),
                None => "the folder name is not valid UTF-8".to_string(),
            });
        }
        self.found.push(version);
    }

    /// A folder that could not be listed: a damaged version with the error.
    fn unreadable(&mut self, path: &Path, kind: VersionKind, error: io::Error) {
        let mut version = Version::bare(path, &self.root.path, kind);
        version.owner = self.root.owner.clone();
        version.udid = path
            .file_name()
            .and_then(OsStr::to_str)
            .and_then(names::udid_from_name)
            .or_else(|| super::read_version::udid_from_location(path, kind));
        if let Ok(mtime) = fs::symlink_metadata(path).and_then(|m| m.modified()) {
            version.date = Some(mtime.into());
            version.date_source = DateSource::FolderMtime;
        }
        version.problem = Some(format!("the folder could not be read ({error})"));
        self.found.push(version);
    }
}

/// The kind a folder's name and place tell.
fn kind_for(path: &Path, top: bool) -> VersionKind {
    let udid_name = path
        .file_name()
        .and_then(OsStr::to_str)
        .is_some_and(names::looks_like_udid);
    if top && udid_name {
        VersionKind::Live
    } else {
        VersionKind::Archive
    }
}

/// The real (non-symlink) sub-folders of a listing that are not skipped, sorted by name.
fn subfolders(listing: fs::ReadDir) -> Vec<(std::path::PathBuf, std::ffi::OsString)> {
    let mut out: Vec<_> = listing
        .filter_map(Result::ok)
        .filter(|entry| !is_skipped_name(&entry.file_name()))
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| (entry.path(), entry.file_name()))
        .collect();
    out.sort();
    out
}
