//! The walk over one root (the rules are in the parent module's doc).

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::{
    is_nested_root, is_single_backup, is_skipped_name, probe, udid_named, Probe, IMAZING_VERSIONS,
    MAX_NESTING,
};
use crate::library::backup::{Version, VersionKind};
use crate::library::device::Unreadable;
use crate::library::names;
use crate::library::read_version::{read_version, udid_from_location};
use crate::library::root::Root;

/// The walk over one root.
pub(super) struct Walker<'a> {
    pub(super) root: &'a Root,
    pub(super) now: OffsetDateTime,
    pub(super) found: Vec<Version>,
    pub(super) unreadable: Vec<Unreadable>,
}

impl Walker<'_> {
    /// Lists the root; it is one backup, or each real sub-folder is looked at.
    pub(super) fn walk_root(&mut self) -> io::Result<()> {
        let root = self.root.path.clone();
        let listing = fs::read_dir(&root)?;
        if is_single_backup(&root) {
            self.visit(&root, kind_for(&root, true));
        } else {
            self.walk_listing(listing, 0);
        }
        Ok(())
    }

    /// The sub-folders of a root (or of a nested root, `depth` levels down).
    fn walk_listing(&mut self, listing: fs::ReadDir, depth: usize) {
        for (path, name) in subfolders(listing) {
            self.top_folder(&path, &name, depth);
        }
    }

    /// A folder at the top of a root: iMazing's versions, a backup, a nested root, or a folder
    /// of copies.
    fn top_folder(&mut self, path: &Path, name: &OsStr, depth: usize) {
        if name == IMAZING_VERSIONS {
            return self.imazing_versions(path);
        }
        match probe(path) {
            Probe::Present => return self.visit(path, kind_for(path, true)),
            _ if udid_named(path) => return self.visit(path, kind_for(path, true)),
            Probe::Blocked(e) => return self.unreadable(path, &e),
            Probe::Absent => {}
        }
        let listing = match fs::read_dir(path) {
            Ok(listing) => listing,
            Err(e) => return self.unreadable(path, &e),
        };
        if depth < MAX_NESTING && is_nested_root(path, name) {
            return self.walk_listing(listing, depth + 1);
        }
        for (sub, sub_name) in subfolders(listing) {
            if sub_name == IMAZING_VERSIONS {
                continue;
            }
            match probe(&sub) {
                Probe::Present => self.visit(&sub, VersionKind::Archive),
                Probe::Blocked(e) => self.unreadable(&sub, &e),
                Probe::Absent => {}
            }
        }
    }

    /// `iMazing.Versions/Versions/<UDID>/<snapshot>/`.
    fn imazing_versions(&mut self, path: &Path) {
        let versions = path.join("Versions");
        match fs::symlink_metadata(&versions) {
            Ok(meta) if meta.is_dir() => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return,
            Ok(meta) => return self.not_a_folder(&versions, &meta),
            Err(e) => return self.unreadable(&versions, &e),
        }
        let devices = match fs::read_dir(&versions) {
            Ok(listing) => listing,
            Err(e) => return self.unreadable(&versions, &e),
        };
        for (device_dir, _) in subfolders(devices) {
            let snapshots = match fs::read_dir(&device_dir) {
                Ok(listing) => listing,
                Err(e) => {
                    self.unreadable(&device_dir, &e);
                    continue;
                }
            };
            for (snapshot, name) in subfolders(snapshots) {
                let named = name.to_str().and_then(names::parse_snapshot_name).is_some();
                match probe(&snapshot) {
                    Probe::Present => self.visit(&snapshot, VersionKind::ImazingSnapshot),
                    _ if named => self.visit(&snapshot, VersionKind::ImazingSnapshot),
                    Probe::Blocked(e) => self.unreadable(&snapshot, &e),
                    Probe::Absent => {}
                }
            }
        }
    }

    /// A backup candidate: read it when it can be listed, else a damaged version.
    fn visit(&mut self, path: &Path, kind: VersionKind) {
        match fs::read_dir(path) {
            Ok(_) => {
                let mut version = read_version(path, &self.root.path, kind, self.now);
                version.owner = self.root.owner.clone();
                self.found.push(version);
            }
            Err(e) => self.damaged(path, kind, &e),
        }
    }

    /// A candidate that could not be listed: a damaged version with the error.
    fn damaged(&mut self, path: &Path, kind: VersionKind, error: &io::Error) {
        let mut version = Version::bare(path, &self.root.path, kind);
        version.owner = self.root.owner.clone();
        version.udid = path
            .file_name()
            .and_then(OsStr::to_str)
            .and_then(names::udid_from_name)
            .or_else(|| udid_from_location(path, kind));
        // No date: the folder's mtime is not when a backup was made (see `read_version`).
        version.problem = Some(unreadable_sentence(error));
        self.found.push(version);
    }

    /// A folder that is not a backup and could not be read.
    fn unreadable(&mut self, path: &Path, error: &io::Error) {
        self.unreadable.push(Unreadable {
            path: path.to_path_buf(),
            reason: unreadable_sentence(error),
        });
    }

    /// Something where a folder was expected (`iMazing.Versions/Versions` as a file or link).
    fn not_a_folder(&mut self, path: &Path, meta: &fs::Metadata) {
        let reason = if meta.file_type().is_symlink() {
            "a symbolic link (not followed)"
        } else {
            "not a folder"
        };
        self.unreadable.push(Unreadable {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        });
    }
}

/// `the folder could not be read (<io error>)`.
fn unreadable_sentence(error: &io::Error) -> String {
    format!("the folder could not be read ({error})")
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
fn subfolders(listing: fs::ReadDir) -> Vec<(PathBuf, OsString)> {
    let mut out: Vec<_> = listing
        .filter_map(Result::ok)
        .filter(|entry| !is_skipped_name(&entry.file_name()))
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| (entry.path(), entry.file_name()))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{BackupState, RootOrigin};

    #[test]
    fn a_candidate_that_cannot_be_listed_is_damaged() {
        let root = crate::library::locate::named_root(Path::new("/r"), RootOrigin::Flag);
        let mut walker = Walker {
            root: &root,
            now: OffsetDateTime::UNIX_EPOCH,
            found: Vec::new(),
            unreadable: Vec::new(),
        };
        let path = Path::new("/r/00008110-001A2B3C4D5E6F70");
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        walker.damaged(path, VersionKind::Live, &denied);
        walker.unreadable(Path::new("/r/Old copies"), &denied);
        let v = &walker.found[0];
        assert_eq!(v.state, BackupState::Damaged);
        assert_eq!(v.udid.as_deref(), Some("00008110-001A2B3C4D5E6F70"));
        assert_eq!(
            v.problem.as_deref(),
            Some("the folder could not be read (permission denied)")
        );
        assert_eq!(walker.unreadable[0].path, Path::new("/r/Old copies"));
        assert_eq!(
            walker.unreadable[0].reason,
            "the folder could not be read (permission denied)"
        );
    }
}
