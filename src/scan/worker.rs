//! The body of the scan thread: cache hits, then every version sized in turn, volumes, the
//! cache written back, `Finished`.
//!
//! Each version's manifest index loads as a task on the same pool while its walk runs (a
//! separate loader thread running ahead was measured: it cost more CPU than it saved).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use super::cache::{fingerprint, Fingerprint, SizeCache};
use super::{ScanEvent, ScanOptions};
use crate::library::usage::{size_version, totals, SizeControl, VersionUsage};
use crate::library::volume::{simulated_volumes, volumes_for, VolumeUsage};
use crate::library::{Library, RootStatus, Version};

/// What a scan sends its events to (a channel, or a job's progress).
pub type Emit<'a> = &'a (dyn Fn(ScanEvent) + Sync);

/// Runs one scan on the calling thread (the walk on a pool); every event goes to `tx`.
pub fn run(library: &Library, options: &ScanOptions, tx: Emit<'_>, cancel: &AtomicBool) {
    let start = Instant::now();
    let versions: Vec<&Version> = library.versions().collect();
    let mut cache = options.cache.as_deref().map(SizeCache::load);
    let stamps: Vec<Option<Fingerprint>> = versions
        .iter()
        .map(|v| cache.as_ref().and_then(|_| fingerprint(&v.path).ok()))
        .collect();
    send_cached(&versions, &stamps, cache.as_ref(), tx);
    let reuse: Vec<Option<VersionUsage>> = versions
        .iter()
        .zip(&stamps)
        .map(|(v, fp)| Some(cache.as_ref()?.reusable(&v.path, fp.as_ref()?)?.clone()))
        .collect();
    let sized = size_each(&versions, &reuse, options.threads, tx, cancel);
    let cancelled = cancel.load(Ordering::Relaxed);
    if !cancelled {
        tx(ScanEvent::Volumes(volumes(
            library, options, &versions, &sized,
        )));
    }
    if let (Some(cache), Some(path)) = (cache.as_mut(), options.cache.as_deref()) {
        for (i, usage) in &sized {
            if let Some(fp) = &stamps[*i] {
                cache.insert(&versions[*i].path, fp.clone(), usage);
            }
        }
        cache.prune();
        let _ = cache.save(path);
    }
    let elapsed = start.elapsed();
    tx(ScanEvent::Finished { elapsed, cancelled });
}

/// Sizes the versions in turn on a pool of `threads` (0: one per core), sending `Progress`,
/// `Sized` and `Failed`; stops at cancellation. Returns the sized ones by index.
fn size_each(
    versions: &[&Version],
    reuse: &[Option<VersionUsage>],
    threads: usize,
    tx: Emit<'_>,
    cancel: &AtomicBool,
) -> Vec<(usize, VersionUsage)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("backtop-walk-{i}"))
        .build()
        .ok();
    let mut sized = Vec::new();
    for (i, version) in versions.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let path = version.path.clone();
        let progress = |files, bytes| {
            let path = path.clone();
            tx(ScanEvent::Progress { path, files, bytes });
        };
        let ctl = SizeControl {
            reuse: reuse[i].as_ref(),
            ..SizeControl::new(cancel, &progress)
        };
        let result = match &pool {
            Some(pool) => pool.install(|| size_version(version, &ctl)),
            None => size_version(version, &ctl),
        };
        let path = version.path.clone();
        match result {
            Ok(Some(usage)) => {
                tx(ScanEvent::Sized {
                    path,
                    usage: usage.clone(),
                });
                sized.push((i, usage));
            }
            Ok(None) => break,
            Err(e) => {
                tx(ScanEvent::Failed {
                    path,
                    error: e.to_string(),
                });
            }
        }
    }
    sized
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
        if let Some(usage) = fp.as_ref().and_then(|fp| cache.get(&v.path, fp)) {
            let (path, usage) = (v.path.clone(), usage.clone());
            tx(ScanEvent::Cached { path, usage });
        }
    }
}

/// Volume figures: the readable roots (and any root a version names), with the bytes of the
/// sized versions under each, every inode once per root.
fn volumes(
    library: &Library,
    options: &ScanOptions,
    versions: &[&Version],
    sized: &[(usize, VersionUsage)],
) -> Vec<VolumeUsage> {
    let mut roots: Vec<PathBuf> = library
        .roots
        .iter()
        .filter(|r| matches!(r.status, RootStatus::Ok { .. }))
        .map(|r| r.root.path.clone())
        .collect();
    for (i, _) in sized {
        let root = &versions[*i].root;
        if !roots.contains(root) {
            roots.push(root.clone());
        }
    }
    let mut per_root: BTreeMap<PathBuf, u64> = BTreeMap::new();
    for root in &roots {
        let set: Vec<&VersionUsage> = sized
            .iter()
            .filter(|(i, _)| &versions[*i].root == root)
            .map(|(_, u)| u)
            .collect();
        per_root.insert(root.clone(), totals::library_totals(&set).bytes);
    }
    match &options.simulated_disks {
        Some(disks) => simulated_volumes(disks, &roots, &per_root),
        None => volumes_for(&roots, &per_root),
    }
}
