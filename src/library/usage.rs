//! Walking one version folder: files, apparent and allocated bytes, hard links counted once
//! per inode, and the bytes whose every link lies inside the version (what deleting it frees).

use std::collections::BTreeMap;

use serde::Serialize;

use super::category::Category;

/// Bytes used by one app (its `AppDomain-`, `AppDomainGroup-`, `AppDomainPlugin-` domains).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppUsage {
    /// Bundle id, e.g. `com.spotify.client`.
    pub bundle_id: String,
    /// Display name from `Info.plist` `Applications`, when present.
    pub name: Option<String>,
    /// Apparent bytes.
    pub bytes: u64,
}

/// An inode with more than one link, as seen from one version: enough to compute what
/// deleting a *set* of versions frees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SharedInode {
    /// Device id.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
    /// `st_nlink`.
    pub nlink: u64,
    /// Links to it seen inside this version.
    pub links_here: u64,
    /// Apparent bytes.
    pub bytes: u64,
}

/// Sizes of one version.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VersionUsage {
    /// Apparent bytes of its distinct inodes.
    pub bytes: u64,
    /// Allocated bytes (blocks) of its distinct inodes.
    pub allocated_bytes: u64,
    /// Apparent bytes of inodes whose every link lies inside this version.
    pub unique_bytes: u64,
    /// Distinct files.
    pub files: u64,
    /// Bytes per category; sums exactly to `bytes`.
    pub categories: BTreeMap<Category, u64>,
    /// Largest apps first.
    pub top_apps: Vec<AppUsage>,
    /// Unreadable subfolders and other non-fatal errors met while walking.
    pub errors: Vec<String>,
    /// Inodes with more than one link (for set computations); not serialized.
    #[serde(skip)]
    pub shared: Vec<SharedInode>,
}
