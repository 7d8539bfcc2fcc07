//! The body of the scan thread: cache hits, the versions that changed walked in turn, the
//! unchanged ones recomputed from the cache ([`super::incremental`]), volumes, the cache
//! written back, `Finished`.
//!
//! An encrypted version the password opened ([`Unlocks`]) is always walked and categorized
//! from its decrypted manifest; the cache keeps it only as a scan without the password would
//! have sized it ([`locked_view`]).
//!
//! Each walked version's manifest index loads as a task on the same pool while its walk runs
//! (a separate loader thread running ahead was measured: it cost more CPU than it saved).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use super::cache::{self, fingerprint, Carried, Fingerprint, SizeCache};
use super::incremental::{self, Plan, Status};
use super::{ScanEvent, ScanOptions};
use crate::library::category::Category;
use crate::library::unlock::Unlocks;
use crate::library::usage::{
    size_version_with, totals, Measure, SharedInode, SizeControl, VersionUsage,
};
use crate::library::volume::{simulated_volumes, volumes_for, VolumeUsage};
use crate::library::{Library, RootStatus, Version};

/// What a scan sends its events to (a channel, or a job's progress).
pub type Emit<'a> = &'a (dyn Fn(ScanEvent) + Sync);

/// Runs one scan on the calling thread (the walk on a pool); every event goes to `tx`.
pub fn run(library: &Library, options: &ScanOptions, tx: Emit<'_>, cancel: &AtomicBool) {
    run_unlocked(library, options, &Unlocks::default(), tx, cancel);
}

/// [`run`] with the encrypted versions a password opened (categorized from their manifests).
pub fn run_unlocked(
    library: &Library,
    options: &ScanOptions,
    unlocks: &Unlocks,
    tx: Emit<'_>,
    cancel: &AtomicBool,
) {
    let start = Instant::now();
    let versions: Vec<&Version> = library.versions().collect();
    let cache = options.cache.as_deref().map(SizeCache::load);
    if let Some(note) = cache.as_ref().and_then(SizeCache::note) {
        tx(ScanEvent::Note(note.to_string()));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(walk_threads(options.threads))
        .thread_name(|i| format!("backtop-walk-{i}"))
        .build()
        .ok();
    let stamps = stamps(&versions, cache.is_some(), pool.as_ref());
    send_cached(&versions, &stamps, cache.as_ref(), tx);
    let roots = scanned_roots(&versions);
    let unlocked = |i: usize| unlocks.get(&versions[i].path).is_some();
    let mut plan = cache
        .as_ref()
        .map(|c| incremental::plan(c, &versions, &stamps, &roots));
    if let Some(plan) = plan.as_mut() {
        for i in (0..versions.len()).filter(|&i| unlocked(i)) {
            plan.walk_anyway(i, &versions[i].path);
        }
    }
    let skip = |i: usize| plan.as_ref().is_some_and(|p| p.skip[i]);
    let reuse: Vec<Option<VersionUsage>> = versions
        .iter()
        .zip(&stamps)
        .map(|(v, fp)| Some(cache.as_ref()?.reusable(&v.path, fp.as_ref()?)?.clone()))
        .collect();
    let walk: Vec<usize> = (0..versions.len()).filter(|&i| !skip(i)).collect();
    let mut run = Sizing {
        versions: &versions,
        reuse: &reuse,
        unlocks,
        pool: pool.as_ref(),
        tx,
        cancel,
        sized: BTreeMap::new(),
        single: BTreeMap::new(),
        carried: BTreeSet::new(),
        failed: false,
        cached: cache.is_some(),
    };
    run.walk(&walk);
    let mut kept = Kept::default();
    if let (Some(cache), Some(plan)) = (cache.as_ref(), plan.as_ref()) {
        if !cancel.load(Ordering::Relaxed) {
            kept = run.recompute(cache, plan);
        }
    }
    let (sized, single, carried) = (run.sized, run.single, run.carried);
    let cancelled = cancel.load(Ordering::Relaxed);
    let complete = !cancelled && !run.failed && sized.len() == versions.len();
    if !cancelled {
        tx(ScanEvent::Volumes(volumes(
            library, options, &versions, &sized,
        )));
    }
    if let (Some(path), Some(old)) = (options.cache.as_deref(), cache.as_ref()) {
        // An unlocked version is cached as a locked scan would have sized it.
        let locked: BTreeMap<usize, VersionUsage> = sized
            .iter()
            .filter(|(i, _)| unlocked(**i))
            .map(|(i, usage)| (*i, locked_view(usage)))
            .collect();
        let fresh: Vec<cache::Sized> = sized
            .iter()
            .filter(|(i, _)| !carried.contains(i))
            .filter_map(|(i, usage)| {
                Some(cache::Sized {
                    path: &versions[*i].path,
                    fingerprint: stamps[*i].as_ref()?,
                    usage: locked.get(i).unwrap_or(usage),
                    single: single.get(i).map_or(&[][..], Vec::as_slice),
                })
            })
            .collect();
        let mut stored: Vec<Carried> = carried
            .iter()
            .filter_map(|i| {
                let path = &versions[*i].path;
                let (entry, usage) = (old.entry(path)?, sized.get(i)?);
                Some(Carried {
                    path,
                    entry,
                    unique_bytes: usage.unique_bytes,
                    unique_allocated: usage.unique_allocated,
                })
            })
            .collect();
        let complete = complete && fresh.len() + stored.len() == versions.len();
        stored.extend(kept.outside.iter().filter_map(|(p, unique, allocated)| {
            Some(Carried {
                path: p,
                entry: old.entry(p)?,
                unique_bytes: *unique,
                unique_allocated: *allocated,
            })
        }));
        let roots = kept_roots(old, plan.as_ref(), roots);
        let same = fresh.is_empty()
            && stored.len() == old.len()
            && plan
                .as_ref()
                .is_some_and(|p| p.status.values().all(|s| *s == Status::Kept))
            && kept.nlink_unchanged
            && complete == old.complete()
            && old.note().is_none()
            && same_set(&roots, old.roots());
        // Nothing changed: the file on disk already says all this.
        if !same {
            let next = old.rebuild(&stored, &kept.nlink, &fresh, roots, complete);
            let _ = next.save(path);
        }
    }
    let elapsed = start.elapsed();
    tx(ScanEvent::Finished { elapsed, cancelled });
}

/// The walk pool's size: `threads`, or for 0 one per core and at least
/// [`super::MIN_THREADS`].
fn walk_threads(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .max(super::MIN_THREADS),
        n => n,
    }
}

/// Every version's fingerprint (none without a cache), taken on the pool: a few hundred stats
/// per version, which on a slow disk wait for it.
fn stamps(
    versions: &[&Version],
    cached: bool,
    pool: Option<&rayon::ThreadPool>,
) -> Vec<Option<Fingerprint>> {
    if !cached {
        return vec![None; versions.len()];
    }
    let all = || -> Vec<Option<Fingerprint>> {
        versions
            .par_iter()
            .map(|v| fingerprint(&v.path).ok())
            .collect()
    };
    match pool {
        Some(pool) => pool.install(all),
        None => all(),
    }
}

/// The figures of an unlocked version as its scan without the password gives them: every
/// byte but metadata `Encrypted`, no apps. What the size cache keeps of it, so that the cache
/// learns nothing only the password reveals.
fn locked_view(usage: &VersionUsage) -> VersionUsage {
    let metadata = usage.categories.get(&Category::Metadata).copied();
    let hidden: u64 = usage
        .categories
        .iter()
        .filter(|(c, _)| **c != Category::Metadata)
        .map(|(_, bytes)| bytes)
        .sum();
    let categories = [
        (Category::Metadata, metadata.unwrap_or(0)),
        (Category::Encrypted, hidden),
    ]
    .into_iter()
    .filter(|(_, bytes)| *bytes > 0)
    .collect();
    VersionUsage {
        categories,
        top_apps: Vec::new(),
        ..usage.clone()
    }
}

/// The roots of the versions scanned, each once.
fn scanned_roots(versions: &[&Version]) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = versions.iter().map(|v| v.root.clone()).collect();
    roots.sort();
    roots.dedup();
    roots
}

/// The roots the new cache covers: this scan's, and an earlier one whose every entry was
/// kept (so no version of it is missing from the cache).
fn kept_roots(old: &SizeCache, plan: Option<&Plan>, mut roots: Vec<PathBuf>) -> Vec<PathBuf> {
    let Some(plan) = plan else {
        return roots;
    };
    for r in old.roots() {
        let all_kept = plan
            .status
            .iter()
            .filter(|(p, _)| p.starts_with(r))
            .all(|(_, s)| *s == Status::Kept);
        if old.complete() && all_kept && !roots.contains(r) {
            roots.push(r.clone());
        }
    }
    roots
}

/// The versions sized so far, and how to size more.
struct Sizing<'a> {
    versions: &'a [&'a Version],
    reuse: &'a [Option<VersionUsage>],
    /// The encrypted versions a password opened.
    unlocks: &'a Unlocks,
    pool: Option<&'a rayon::ThreadPool>,
    tx: Emit<'a>,
    cancel: &'a AtomicBool,
    /// Sizes by version index.
    sized: BTreeMap<usize, VersionUsage>,
    /// The one-link inodes of the walked versions, for the cache.
    single: BTreeMap<usize, Vec<SharedInode>>,
    /// The versions recomputed from the cache instead of walked.
    carried: BTreeSet<usize>,
    /// A version could not be sized.
    failed: bool,
    /// A size cache is read and written (so the one-link inodes are listed for it).
    cached: bool,
}

impl Sizing<'_> {
    /// Keeps a walked version `i`'s sizes and one-link inodes, and sends `Sized`.
    fn done(&mut self, i: usize, (usage, single): (VersionUsage, Vec<SharedInode>)) {
        self.single.insert(i, single);
        self.carried.remove(&i);
        self.send(i, usage);
    }

    /// Keeps version `i`'s sizes and sends `Sized`.
    fn send(&mut self, i: usize, usage: VersionUsage) {
        let path = self.versions[i].path.clone();
        let event = ScanEvent::Sized {
            path,
            usage: usage.clone(),
        };
        self.sized.insert(i, usage);
        (self.tx)(event);
    }

    /// Walks the versions at `indices` in turn, sending `Progress`, `Sized` and `Failed`;
    /// stops at cancellation.
    fn walk(&mut self, indices: &[usize]) {
        for &i in indices {
            if self.cancel.load(Ordering::Relaxed) {
                break;
            }
            let version = self.versions[i];
            let path = version.path.clone();
            let tx = self.tx;
            let progress = |files, bytes| {
                let path = path.clone();
                tx(ScanEvent::Progress { path, files, bytes });
            };
            let ctl = SizeControl {
                reuse: self.reuse[i].as_ref(),
                singles: self.cached,
                ..SizeControl::new(self.cancel, &progress)
            };
            let unlocked = self.unlocks.get(&version.path);
            let result = match self.pool {
                Some(pool) => pool.install(|| size_version_with(version, &ctl, unlocked)),
                None => size_version_with(version, &ctl, unlocked),
            };
            let path = version.path.clone();
            match result {
                Ok(Some(usage)) => self.done(i, usage),
                Ok(None) => break,
                Err(e) => {
                    self.failed = true;
                    let error = e.to_string();
                    tx(ScanEvent::Failed { path, error });
                }
            }
        }
    }

    /// Sends the recomputed sizes of the skipped versions (walking those whose inodes force
    /// it); returns today's link counts and the unique bytes of the kept entries of folders
    /// outside this scan, to store again.
    fn recompute(&mut self, cache: &SizeCache, plan: &Plan) -> Kept {
        let walked: Vec<&VersionUsage> = self.sized.values().collect();
        let links = incremental::derive(cache, plan, &walked);
        let mut fallback = Vec::new();
        for (i, v) in self.versions.iter().enumerate() {
            if !plan.skip[i] {
                continue;
            }
            match cache
                .entry(&v.path)
                .and_then(|e| incremental::recompute(cache, e, &links))
            {
                Some((usage, _)) => {
                    self.carried.insert(i);
                    self.send(i, usage);
                }
                None => fallback.push(i),
            }
        }
        let outside: Vec<(PathBuf, u64, u64)> = cache
            .entries()
            .filter(|(p, _)| !self.versions.iter().any(|v| &&v.path == p))
            .filter(|(p, _)| plan.status.get(*p) == Some(&Status::Kept))
            .filter_map(|(p, e)| {
                let (usage, _) = incremental::recompute(cache, e, &links)?;
                Some((p.clone(), usage.unique_bytes, usage.unique_allocated))
            })
            .collect();
        self.walk(&fallback);
        let nlink_unchanged = links.unchanged(cache);
        Kept {
            outside,
            nlink: links.into_nlink(),
            nlink_unchanged,
        }
    }
}

/// What the refresh learnt of the cache's entries that still stand.
#[derive(Default)]
struct Kept {
    /// Folders outside this scan whose entries stand, with their unique bytes today (apparent,
    /// allocated).
    outside: Vec<(PathBuf, u64, u64)>,
    /// Today's link count of every inode of the cache's table, by position.
    nlink: Vec<u64>,
    /// No link count moved since the cache was written.
    nlink_unchanged: bool,
}

/// True when `a` and `b` hold the same paths.
fn same_set(a: &[PathBuf], b: &[PathBuf]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort();
    b.sort();
    a == b
}

/// Sends `Cached` for each version whose cache entry still matches its fingerprint.
fn send_cached(
    versions: &[&Version],
    stamps: &[Option<Fingerprint>],
    cache: Option<&SizeCache>,
    tx: Emit<'_>,
) {
    let Some(cache) = cache else {
        return;
    };
    for (v, fp) in versions.iter().zip(stamps) {
        if let Some(usage) = fp.as_ref().and_then(|fp| cache.get_linked(&v.path, fp)) {
            let path = v.path.clone();
            tx(ScanEvent::Cached { path, usage });
        }
    }
}

/// Volume figures: the readable roots (and any root a version names), with the bytes of the
/// sized versions under each, every inode once per root: their disk usage (allocated blocks),
/// the figure the volume's used and free space count. The demo's simulated disks pretend its
/// sparse files are whole, so they count apparent bytes.
fn volumes(
    library: &Library,
    options: &ScanOptions,
    versions: &[&Version],
    sized: &BTreeMap<usize, VersionUsage>,
) -> Vec<VolumeUsage> {
    let mut roots: Vec<PathBuf> = library
        .roots
        .iter()
        .filter(|r| matches!(r.status, RootStatus::Ok { .. }))
        .map(|r| r.root.path.clone())
        .collect();
    for i in sized.keys() {
        let root = &versions[*i].root;
        if !roots.contains(root) {
            roots.push(root.clone());
        }
    }
    let measure = match options.simulated_disks {
        Some(_) => Measure::Apparent,
        None => Measure::Disk,
    };
    let mut per_root: BTreeMap<PathBuf, u64> = BTreeMap::new();
    for root in &roots {
        let set: Vec<&VersionUsage> = sized
            .iter()
            .filter(|(i, _)| &versions[**i].root == root)
            .map(|(_, u)| u)
            .collect();
        per_root.insert(root.clone(), totals::totals_in(&set, measure).bytes);
    }
    match &options.simulated_disks {
        Some(disks) => simulated_volumes(disks, &roots, &per_root),
        None => volumes_for(&roots, &per_root),
    }
}
