//! One backup version: a folder holding one device's backup (live, archived copy or iMazing
//! snapshot), read from its plists into a typed [`Version`] with a [`BackupState`].
//!
//! Reading never panics on bad input: a missing, truncated or garbage file makes the version
//! [`BackupState::Damaged`] with a `problem` that says exactly what is wrong.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use time::OffsetDateTime;

/// What kind of folder a version is, told from its name and place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionKind {
    /// `<root>/<UDID>/`: the folder the backup app writes its next backup into.
    Live,
    /// `<root>/<UDID>-YYYYMMDD-HHMMSS/` or any other folder holding a backup: an independent copy.
    Archive,
    /// `<root>/iMazing.Versions/Versions/<UDID>/<snapshot>/`: hard-linked to the live backup.
    ImazingSnapshot,
}

impl VersionKind {
    /// Short human word.
    pub fn label(self) -> &'static str {
        match self {
            VersionKind::Live => "live",
            VersionKind::Archive => "archive",
            VersionKind::ImazingSnapshot => "snapshot",
        }
    }
}

/// Whether a backup finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupState {
    /// `Status.plist` says `SnapshotState = finished` and nothing required is missing.
    Complete,
    /// A backup is being written now (a `Snapshot/` folder or unfinished state, recent activity).
    InProgress,
    /// Unfinished and stale: a backup that stopped midway.
    Interrupted,
    /// A required file is missing or unreadable; see [`Version::problem`].
    Damaged,
}

impl BackupState {
    /// Short human word.
    pub fn label(self) -> &'static str {
        match self {
            BackupState::Complete => "complete",
            BackupState::InProgress => "in progress",
            BackupState::Interrupted => "interrupted",
            BackupState::Damaged => "damaged",
        }
    }
}

/// Which file indexes the backup's contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ManifestFormat {
    /// `Manifest.db` (iOS 10 and later); contents in `xx/<fileID>`.
    Db,
    /// `Manifest.mbdb` (iOS 9 and earlier); contents flat in the folder.
    Mbdb,
    /// Neither is present or readable.
    None,
}

/// Where [`Version::date`] came from. Order of preference: `Status.plist` `Date` (written by
/// the device when the backup finished), then `Manifest.plist` `Date`, then `Info.plist`
/// `Last Backup Date` (written by the computer at the start), then the date in the folder's
/// name (archives and iMazing snapshots, read as UTC), then the folder's mtime (not for a
/// damaged version: a damaged folder with no readable date has none, shown as "date unknown"
/// and sorted last). The reader is [`read_version`](super::read_version::read_version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// `Status.plist` `Date`.
    StatusPlist,
    /// `Manifest.plist` `Date`.
    ManifestPlist,
    /// `Info.plist` `Last Backup Date`.
    InfoPlist,
    /// The date in an archive's folder name (`UDID-YYYYMMDD-HHMMSS`) or snapshot name.
    FolderName,
    /// The folder's modification time.
    FolderMtime,
    /// No date could be found.
    Unknown,
}

/// One backup version on disk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    /// Absolute path of the version folder.
    #[serde(flatten, serialize_with = "crate::json_path::path::serialize")]
    pub path: PathBuf,
    /// The root it was found in.
    #[serde(flatten, serialize_with = "crate::json_path::root::serialize")]
    pub root: PathBuf,
    /// The folder's name as shown to people (lossy UTF-8 for odd names).
    pub folder_name: String,
    /// The device's UDID, uppercased, when it can be told (plists or folder name).
    pub udid: Option<String>,
    /// Live, archive or iMazing snapshot.
    pub kind: VersionKind,
    /// `Device Name` / `Display Name`.
    pub device_name: Option<String>,
    /// `Product Type`, e.g. `iPhone15,2`.
    pub product_type: Option<String>,
    /// iOS version (`Product Version`).
    pub ios: Option<String>,
    /// `Build Version`.
    pub build: Option<String>,
    /// `Serial Number`.
    pub serial: Option<String>,
    /// When the backup was made; see [`DateSource`] for the order of preference.
    #[serde(with = "time::serde::rfc3339::option")]
    pub date: Option<OffsetDateTime>,
    /// Where `date` came from.
    pub date_source: DateSource,
    /// `Manifest.plist` `IsEncrypted`.
    pub encrypted: bool,
    /// Complete, in progress, interrupted or damaged.
    pub state: BackupState,
    /// What is wrong, in words, for anything but a clean complete backup.
    pub problem: Option<String>,
    /// The user whose home holds it, when known.
    pub owner: Option<String>,
    /// Which manifest the backup has.
    pub manifest: ManifestFormat,
    /// Apps named in `Info.plist`: bundle id → display name.
    #[serde(skip)]
    pub apps: BTreeMap<String, String>,
}

impl Version {
    /// A version with only its location known; the reader fills in the rest.
    pub fn bare(path: &Path, root: &Path, kind: VersionKind) -> Self {
        Version {
            path: path.to_path_buf(),
            root: root.to_path_buf(),
            folder_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            udid: None,
            kind,
            device_name: None,
            product_type: None,
            ios: None,
            build: None,
            serial: None,
            date: None,
            date_source: DateSource::Unknown,
            encrypted: false,
            state: BackupState::Damaged,
            problem: None,
            owner: None,
            manifest: ManifestFormat::None,
            apps: BTreeMap::new(),
        }
    }

    /// True when the version finished and is readable.
    pub fn is_complete(&self) -> bool {
        self.state == BackupState::Complete
    }
}
