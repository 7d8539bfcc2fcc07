//! Walking one version folder: files, apparent and allocated bytes, hard links counted once
//! per inode, and the bytes whose every link lies inside the version (what deleting it frees).
//!
//! How it works:
//! - [`walk`] lists the version folder, then walks each subfolder (`00`…`ff`, and any other
//!   folder such as a leftover `Snapshot/`) as its own task on the current rayon pool, with
//!   `std::fs::read_dir` and `DirEntry::metadata()` (an `lstat` relative to the open
//!   directory on Linux). Symbolic links are never followed: a symlink counts as a file of its
//!   own, with the size of the link itself. Directories themselves are not counted in `bytes`.
//! - Every inode is counted once per version: files with `st_nlink == 1` go straight to the
//!   totals; the others go into a map `(dev, ino) → links seen`, and an inode is *unique* to
//!   the version when the links seen equal `st_nlink` (see [`SharedInode`]).
//! - While the walk runs, the manifest index loads as another task on the same rayon pool;
//!   [`sizer`] then joins each content file's name (its fileID) with the index to attribute
//!   bytes to a [`Category`] and an app. A hard-linked inode reached twice inside one version
//!   is attributed to its link with the smallest fileID, so the result is stable.
//! - [`totals`] combines versions: totals that count each inode once, and what deleting a
//!   *set* of versions frees.
//!
//! Windows: stable std exposes neither the inode nor the link count there, so each file is
//! its own inode (`st_nlink == 1`) and `allocated_bytes` equals `bytes`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::category::Category;

#[cfg(windows)]
pub mod file_identity;
mod join;
mod meter;
pub mod sizer;
pub mod totals;
pub mod walk;

pub use sizer::{size_version, size_version_and_singles, size_version_with, SizeControl};
pub use totals::{device_totals, freed_by_deleting, freed_in, library_totals, totals_in, Totals};

/// Bytes used by one app (its `AppDomain-`, `AppDomainGroup-`, `AppDomainPlugin-` domains).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Allocated bytes (blocks).
    #[serde(default)]
    pub allocated: u64,
}

impl SharedInode {
    /// Its size in `measure`.
    pub fn size(&self, measure: Measure) -> u64 {
        match measure {
            Measure::Apparent => self.bytes,
            Measure::Disk => self.allocated,
        }
    }
}

/// How sizes are counted: apparent bytes (the files' lengths, what `ls -l` says) or disk
/// usage (allocated blocks, what `du`, ncdu and gdu say by default; less for sparse or
/// compressed files, more for many small ones).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Measure {
    /// The files' lengths.
    #[default]
    Apparent,
    /// Allocated blocks.
    Disk,
}

/// Sizes of one version.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VersionUsage {
    /// Apparent bytes of its distinct inodes.
    pub bytes: u64,
    /// Allocated bytes (blocks) of its distinct inodes.
    pub allocated_bytes: u64,
    /// Apparent bytes of inodes whose every link lies inside this version.
    pub unique_bytes: u64,
    /// Allocated bytes of the same inodes (what deleting it frees on disk).
    #[serde(default)]
    pub unique_allocated: u64,
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

impl VersionUsage {
    /// Its size in `measure` (each inode once).
    pub fn size(&self, measure: Measure) -> u64 {
        match measure {
            Measure::Apparent => self.bytes,
            Measure::Disk => self.allocated_bytes,
        }
    }

    /// What deleting it alone frees, in `measure`.
    pub fn unique(&self, measure: Measure) -> u64 {
        match measure {
            Measure::Apparent => self.unique_bytes,
            Measure::Disk => self.unique_allocated,
        }
    }
}
