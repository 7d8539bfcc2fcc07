//! Sizing one version: the walk and the manifest index load side by side (the load is one more
//! task on the current rayon pool), then the join into categories and apps.

use std::fs;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError};

use super::join::{categorize, top_apps, Classes};
use super::walk::{walk_version, WalkOptions, Walked};
use super::{SharedInode, VersionUsage};
use crate::library::manifest::{ManifestError, ManifestIndex};
use crate::library::unlock::UnlockedVersion;
use crate::library::{Error, ManifestFormat, Result, Version};

/// What steers one version's sizing.
#[derive(Clone, Copy)]
pub struct SizeControl<'a> {
    /// Set to stop within a directory's time.
    pub cancel: &'a AtomicBool,
    /// Called with (files, bytes) so far, throttled.
    pub progress: &'a (dyn Fn(u64, u64) + Sync),
    /// Earlier figures of the same, unchanged version (from the cache): when the fresh walk
    /// finds the same files and bytes, their categories and apps are kept and the manifest
    /// is not read.
    pub reuse: Option<&'a VersionUsage>,
    /// Lists a directory: `std::fs::read_dir`, or a stand-in that injects errors in tests.
    pub read_dir: fn(&Path) -> io::Result<fs::ReadDir>,
    /// List the one-link inodes (what the size cache needs); a scan without a cache skips
    /// them and their sort.
    pub singles: bool,
}

/// What names a version's files: its manifest index, or why there is none.
struct ContentIndex {
    classes: Classes,
    note: Option<String>,
}

impl<'a> SizeControl<'a> {
    /// Plain control: no reuse, the real `read_dir`.
    pub fn new(cancel: &'a AtomicBool, progress: &'a (dyn Fn(u64, u64) + Sync)) -> Self {
        SizeControl {
            cancel,
            progress,
            reuse: None,
            read_dir: |p| fs::read_dir(p),
            singles: true,
        }
    }
}

/// Sizes a version on the current rayon pool (call it inside `ThreadPool::install` to choose
/// the pool). `Ok(None)` when cancelled; `Err` only when the version folder cannot be listed.
pub fn size_version(version: &Version, ctl: &SizeControl) -> Result<Option<VersionUsage>> {
    Ok(size_version_and_singles(version, ctl)?.map(|(usage, _)| usage))
}

/// [`size_version`], with the version's one-link inodes (`nlink` and `links_here` 1, sorted by
/// `(dev, ino)`; none when [`SizeControl::singles`] is false): what the size cache needs to see
/// a later snapshot link to them.
pub fn size_version_and_singles(
    version: &Version,
    ctl: &SizeControl,
) -> Result<Option<(VersionUsage, Vec<SharedInode>)>> {
    size_version_with(version, ctl, None)
}

/// [`size_version_and_singles`] with the keys of an unlocked encrypted version: its files are
/// then categorized from its decrypted manifest (cached figures are not reused for it).
pub fn size_version_with(
    version: &Version,
    ctl: &SizeControl,
    unlocked: Option<&UnlockedVersion>,
) -> Result<Option<(VersionUsage, Vec<SharedInode>)>> {
    let reuse = ctl
        .reuse
        .filter(|u| u.errors.is_empty() && unlocked.is_none());
    let opts = WalkOptions {
        cancel: ctl.cancel,
        progress: ctl.progress,
        collect_names: reuse.is_none(),
        collect_singles: ctl.singles,
        read_dir: ctl.read_dir,
    };
    let loading = reuse
        .is_none()
        .then(|| spawn_load(version, unlocked.cloned()));
    let walked = walk_version(&version.path, &opts).map_err(|e| Error::io(&version.path, e))?;
    let content = match loading {
        Some(rx) => match wait(&rx, ctl.cancel) {
            Some(content) => Some(content),
            None => return Ok(None),
        },
        None => None,
    };
    if ctl.cancel.load(Ordering::Relaxed) {
        return Ok(None);
    }
    let mut usage = base_usage(&walked);
    match (reuse, content) {
        (Some(old), _) if old.bytes == usage.bytes && old.files == usage.files => {
            usage.categories = old.categories.clone();
            usage.top_apps = old.top_apps.clone();
        }
        (Some(_), _) => {
            // The cached figures no longer match: size again from scratch.
            let fresh = SizeControl {
                reuse: None,
                ..*ctl
            };
            return size_version_with(version, &fresh, unlocked);
        }
        (None, Some(ContentIndex { classes, note })) => {
            let (cats, apps) = categorize(&walked, &classes);
            usage.categories = cats;
            if let Classes::Index(index) = &classes {
                usage.top_apps = top_apps(&apps, index.app_bundles(), &version.apps);
            }
            usage.errors.extend(note);
        }
        (None, None) => {}
    }
    Ok(Some((usage, singles(&walked))))
}

/// The one-link inodes of a walk, sorted by `(dev, ino)`.
fn singles(walked: &Walked) -> Vec<SharedInode> {
    let mut v: Vec<SharedInode> = walked
        .singles
        .iter()
        .map(|&(dev, ino, bytes, allocated)| SharedInode {
            dev,
            ino,
            nlink: 1,
            links_here: 1,
            bytes,
            allocated,
        })
        .collect();
    v.sort_unstable_by_key(|s| (s.dev, s.ino));
    v
}

/// Distinct-inode figures and the shared inodes of a walk (no categories yet).
fn base_usage(walked: &Walked) -> VersionUsage {
    let c = walked.counts();
    let shared: Vec<SharedInode> = walked
        .shared
        .iter()
        .map(|e| SharedInode {
            dev: e.id.0,
            ino: e.id.1,
            nlink: e.nlink,
            links_here: e.links,
            bytes: e.bytes,
            allocated: e.allocated,
        })
        .collect();
    VersionUsage {
        bytes: c.bytes,
        allocated_bytes: c.allocated,
        unique_bytes: c.unique,
        unique_allocated: c.unique_allocated,
        files: c.files,
        categories: Default::default(),
        top_apps: Vec::new(),
        errors: walked.errors.clone(),
        shared,
    }
}

/// Starts loading the manifest index as a task on the current rayon pool, so it runs while
/// the walk does; the task is left to finish alone if the scan is cancelled.
fn spawn_load(version: &Version, unlocked: Option<UnlockedVersion>) -> Receiver<ContentIndex> {
    let (tx, rx) = crossbeam_channel::bounded(1);
    let (path, format, encrypted) = (version.path.clone(), version.manifest, version.encrypted);
    let installed: Vec<String> = version.apps.keys().cloned().collect();
    rayon::spawn(move || {
        let _ = tx.send(load_classes(
            &path,
            format,
            encrypted,
            &installed,
            unlocked.as_ref(),
        ));
    });
    rx
}

/// Waits for the index, running other pool tasks meanwhile (the load itself, on a one-thread
/// pool); `None` as soon as `cancel` is set.
fn wait<T>(rx: &Receiver<T>, cancel: &AtomicBool) -> Option<T> {
    loop {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        if rayon::yield_now() == Some(rayon::Yield::Executed) {
            if let Ok(v) = rx.try_recv() {
                return Some(v);
            }
            continue;
        }
        match rx.recv_timeout(Duration::from_millis(2)) {
            Ok(v) => return Some(v),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
}

/// Loads what names the version's files, and the error to report if that failed.
fn load_classes(
    path: &Path,
    format: ManifestFormat,
    encrypted: bool,
    installed: &[String],
    unlocked: Option<&UnlockedVersion>,
) -> ContentIndex {
    let (classes, note) = classes_of(path, format, encrypted, installed, unlocked);
    ContentIndex { classes, note }
}

/// Loads the index (apps from `Info.plist` help group plugins and app groups).
fn classes_of(
    path: &Path,
    format: ManifestFormat,
    encrypted: bool,
    installed: &[String],
    unlocked: Option<&UnlockedVersion>,
) -> (Classes, Option<String>) {
    if encrypted && unlocked.is_none() {
        return (Classes::Encrypted, None);
    }
    if format == ManifestFormat::None {
        let msg = "no Manifest.db or Manifest.mbdb: files are not categorized";
        return (Classes::Unavailable, Some(msg.to_string()));
    }
    let installed = installed.iter().map(String::as_str);
    match ManifestIndex::load_unlocked(path, format, installed, unlocked) {
        Ok(index) => {
            let note = index.truncated_at().map(|at| {
                format!("Manifest.mbdb is truncated at byte {at}: files after it are unknown")
            });
            (Classes::Index(index), note)
        }
        // The version was not known to be encrypted (Manifest.plist unreadable), but the
        // index is ciphertext.
        Err(Error::Manifest(ManifestError::Encrypted { .. })) => {
            let msg = "Manifest.db looks encrypted: files are counted as encrypted";
            (Classes::Encrypted, Some(msg.to_string()))
        }
        Err(e) => (Classes::Unavailable, Some(e.to_string())),
    }
}
