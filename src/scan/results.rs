//! Scan results gathered from the events: what `du` prints and what a dashboard keeps.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::ScanEvent;
use crate::library::usage::{
    device_totals, freed_by_deleting, library_totals, Totals, VersionUsage,
};
pub use crate::library::volume::NextBackup;
use crate::library::volume::{next_backup_fits, VolumeUsage};
use crate::library::{Device, Library};

/// Everything a scan reported, by version path. Fresh `Sized` figures replace `Cached` ones.
#[derive(Debug, Clone, Default)]
pub struct ScanResults {
    /// Sizes by version path (cached until the fresh figures arrive).
    pub sized: BTreeMap<PathBuf, VersionUsage>,
    /// Versions whose sizes came from the cache and were not refreshed yet.
    pub stale: Vec<PathBuf>,
    /// Versions that could not be sized, with why.
    pub failed: BTreeMap<PathBuf, String>,
    /// Volume figures, once known.
    pub volumes: Vec<VolumeUsage>,
    /// Notes of the scan (a size cache ignored, and why).
    pub notes: Vec<String>,
    /// Set by `Finished`: wall time and whether it was cancelled.
    pub finished: Option<(Duration, bool)>,
}

impl ScanResults {
    /// Takes one event into account.
    pub fn apply(&mut self, event: &ScanEvent) {
        match event {
            ScanEvent::Cached { path, usage } => {
                self.sized.insert(path.clone(), usage.clone());
                if !self.stale.contains(path) {
                    self.stale.push(path.clone());
                }
            }
            ScanEvent::Sized { path, usage } => {
                self.sized.insert(path.clone(), usage.clone());
                self.stale.retain(|p| p != path);
                self.failed.remove(path);
            }
            ScanEvent::Failed { path, error } => {
                self.failed.insert(path.clone(), error.clone());
            }
            ScanEvent::Volumes(v) => self.volumes = v.clone(),
            ScanEvent::Note(note) => self.notes.push(note.clone()),
            ScanEvent::Finished { elapsed, cancelled } => {
                self.finished = Some((*elapsed, *cancelled));
            }
            ScanEvent::Discovered(_) | ScanEvent::Progress { .. } => {}
        }
    }

    /// Forgets the versions not in `paths` (they went away in a rescan).
    pub fn retain(&mut self, paths: &[PathBuf]) {
        self.sized.retain(|p, _| paths.contains(p));
        self.failed.retain(|p, _| paths.contains(p));
        self.stale.retain(|p| paths.contains(p));
    }

    /// The sizes of the versions of `device` that were sized.
    pub fn of_device<'a>(&'a self, device: &Device) -> Vec<&'a VersionUsage> {
        device
            .versions
            .iter()
            .filter_map(|v| self.sized.get(&v.path))
            .collect()
    }

    /// A device's totals, every inode once. `Cached` figures carry the hard-linked inodes with
    /// the link counts the cache saw ([`super::cache::SizeCache::get_linked`]): totals over
    /// them are the last scan's exact ones, and a set's freed bytes are as of then, until the
    /// `Sized` figures arrive (walked, or recomputed from the cache with today's link counts).
    pub fn device_totals(&self, device: &Device) -> Totals {
        device_totals(&self.of_device(device))
    }

    /// The library's totals, every inode once.
    pub fn library_totals(&self, library: &Library) -> Totals {
        let all: Vec<&VersionUsage> = library
            .versions()
            .filter_map(|v| self.sized.get(&v.path))
            .collect();
        library_totals(&all)
    }

    /// The totals of the versions of `library` found in `root`, every inode once.
    pub fn root_totals(&self, library: &Library, root: &Path) -> Totals {
        let in_root: Vec<&VersionUsage> = library
            .versions()
            .filter(|v| v.root == root)
            .filter_map(|v| self.sized.get(&v.path))
            .collect();
        library_totals(&in_root)
    }

    /// What deleting the versions at `paths` together frees ([`freed_by_deleting`], hard links
    /// counted across the set); `None` when one of them was not sized.
    pub fn freed_by_deleting(&self, paths: &[PathBuf]) -> Option<u64> {
        let set: Option<Vec<&VersionUsage>> = paths
            .iter()
            .map(|p| {
                self.sized.get(p).or_else(|| {
                    let real = std::fs::canonicalize(p).ok()?;
                    self.sized.get(&real)
                })
            })
            .collect();
        set.map(|set| freed_by_deleting(&set))
    }

    /// The volume holding `root`, if known.
    pub fn volume_of(&self, root: &Path) -> Option<&VolumeUsage> {
        self.volumes
            .iter()
            .find(|v| v.roots.iter().any(|r| r == root))
    }

    /// Advisory: whether the device's next backup fits on the volume of its newest complete
    /// version (`None` when it has none, or it is not sized, or its volume is unknown).
    pub fn next_backup_fits(&self, device: &Device) -> Option<bool> {
        self.next_backup(device).map(|n| n.fits)
    }

    /// The figures behind [`Self::next_backup_fits`]: the device's newest complete version
    /// ([`Device::newest_complete`]), its size and the free space of its volume.
    pub fn next_backup(&self, device: &Device) -> Option<NextBackup> {
        let newest = device.newest_complete()?;
        let need = self.sized.get(&newest.path)?.bytes;
        let free = self.volume_of(&newest.root)?.free;
        Some(NextBackup {
            need,
            free,
            fits: next_backup_fits(free, need),
        })
    }
}

/// The alerts read their figures from the scan's fold, by the same rules as `du` and the
/// dashboard.
impl crate::library::alerts::Figures for ScanResults {
    fn next_backup(&self, device: &Device) -> Option<NextBackup> {
        ScanResults::next_backup(self, device)
    }
    fn volume_of(&self, root: &Path) -> Option<&VolumeUsage> {
        ScanResults::volume_of(self, root)
    }
    fn freed_by_deleting(&self, paths: &[PathBuf]) -> Option<u64> {
        ScanResults::freed_by_deleting(self, paths)
    }
}
