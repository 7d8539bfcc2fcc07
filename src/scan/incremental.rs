//! Incremental refresh: which versions the cache lets the scan skip, and their exact figures
//! recomputed from the cached inode lists instead of a walk.
//!
//! A finished version whose [`Fingerprint`] is unchanged holds the same links as when it was
//! cached; what may have moved is the link count of its hard-linked inodes (a new iMazing
//! snapshot adds links to old inodes, a deleted one removes them, a live backup that replaced
//! a file dropped one). The link count of each cached inode now is:
//! - its fresh `st_nlink` when a version walked in this scan met it;
//! - else its cached count minus the links of the cached versions that are gone (deleted, or
//!   changed and walked again: a changed version's links to it would have been met).
//!
//! An inode is unique to a version when its links there reach that count, exactly as a walk
//! decides. A version is walked after all when one of its inodes changed bytes (written in
//! place) or was linked from a cached folder outside this scan that changed since (its links
//! are unknown). Everything is walked when the cache comes from a scan that did not size every
//! version, or this scan covers a root the cache did not. Links from folders that are no
//! version of the scanned roots are taken as unchanged; nothing here decides a delete.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::cache::{fingerprint, CacheEntry, Fingerprint, SizeCache};
use crate::library::usage::{SharedInode, VersionUsage};
use crate::library::{BackupState, Version};

/// What became of a cached entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Unchanged: its links still stand.
    Kept,
    /// Deleted, or changed and walked again: its cached links no longer stand.
    Gone,
    /// Outside this scan and changed: its links are unknown.
    Unknown,
}

/// Which versions are skipped, and the fate of every cache entry.
#[derive(Debug, Clone)]
pub struct Plan {
    /// By version index: its cached entry stands and it is not walked.
    pub skip: Vec<bool>,
    /// Every cache entry's status, by path.
    pub status: BTreeMap<PathBuf, Status>,
}

impl Plan {
    /// Walks version `i` (at `path`) after all: its cached entry no longer stands, as for a
    /// version that changed (an unlocked encrypted version is categorized afresh).
    pub fn walk_anyway(&mut self, i: usize, path: &Path) {
        if let Some(skip) = self.skip.get_mut(i) {
            *skip = false;
        }
        if let Some(status) = self.status.get_mut(path) {
            *status = Status::Gone;
        }
    }
}

/// Decides what `cache` spares this scan of `versions` (with their fingerprints) under
/// `roots`.
pub fn plan(
    cache: &SizeCache,
    versions: &[&Version],
    stamps: &[Option<Fingerprint>],
    roots: &[PathBuf],
) -> Plan {
    let usable = cache.complete() && roots.iter().all(|r| cache.roots().contains(r));
    let skip: Vec<bool> = versions
        .iter()
        .zip(stamps)
        .map(|(v, fp)| {
            usable
                && v.state != BackupState::InProgress
                && fp
                    .as_ref()
                    .is_some_and(|fp| cache.get(&v.path, fp).is_some())
        })
        .collect();
    let mut status = BTreeMap::new();
    for (path, entry) in cache.entries() {
        let s = match versions.iter().position(|v| &v.path == path) {
            Some(i) if skip[i] => Status::Kept,
            Some(_) => Status::Gone,
            None => outside_status(path, entry),
        };
        status.insert(path.clone(), s);
    }
    Plan { skip, status }
}

/// The status of an entry this scan does not size.
fn outside_status(path: &Path, entry: &CacheEntry) -> Status {
    if !path.is_dir() {
        return Status::Gone;
    }
    match fingerprint(path) {
        Ok(fp) if fp == entry.fingerprint => Status::Kept,
        _ => Status::Unknown,
    }
}

/// Link counts now, by position in the cache's inode table, and which inodes force a walk.
pub struct Links {
    nlink: Vec<u64>,
    bad: Vec<bool>,
}

impl Links {
    /// True when every link count is the one the cache was written with.
    pub fn unchanged(&self, cache: &SizeCache) -> bool {
        !self.bad.contains(&true)
            && cache
                .inodes()
                .iter()
                .zip(&self.nlink)
                .all(|(i, n)| i.nlink == *n)
    }

    /// The link counts, by position in the cache's inode table.
    pub fn into_nlink(self) -> Vec<u64> {
        self.nlink
    }
}

/// Derives the link count of every cached inode from the plan and the versions walked in
/// this scan (their fresh shared inodes).
pub fn derive(cache: &SizeCache, plan: &Plan, walked: &[&VersionUsage]) -> Links {
    let table = cache.inodes();
    let mut nlink: Vec<u64> = table.iter().map(|i| i.nlink).collect();
    let mut bad = vec![false; table.len()];
    for (path, entry) in cache.entries() {
        match plan.status.get(path) {
            Some(Status::Gone) => {
                for (at, links) in cache.links(entry) {
                    nlink[at] = nlink[at].saturating_sub(links);
                }
            }
            Some(Status::Unknown) => {
                for (at, _) in cache.links(entry) {
                    bad[at] = true;
                }
            }
            Some(Status::Kept) | None => {}
        }
    }
    let mut fresh: Vec<Option<u64>> = vec![None; table.len()];
    for usage in walked {
        for s in &usage.shared {
            let Ok(at) = table.binary_search_by_key(&(s.dev, s.ino), |i| (i.dev, i.ino)) else {
                continue;
            };
            if table[at].bytes != s.bytes {
                fresh[at] = Some(u64::MAX);
            } else if fresh[at] != Some(u64::MAX) {
                fresh[at] = Some(fresh[at].unwrap_or(0).max(s.nlink));
            }
        }
    }
    for (at, f) in fresh.into_iter().enumerate() {
        match f {
            Some(u64::MAX) => bad[at] = true,
            Some(n) => {
                nlink[at] = n;
                bad[at] = false;
            }
            None => {}
        }
    }
    Links { nlink, bad }
}

/// The exact sizes of a kept entry from its cached figures and today's link counts, and its
/// one-link inodes; `None` when one of its inodes forces a walk.
pub fn recompute(
    cache: &SizeCache,
    entry: &CacheEntry,
    links: &Links,
) -> Option<(VersionUsage, Vec<SharedInode>)> {
    let table = cache.inodes();
    let mut shared = Vec::new();
    let mut single = Vec::new();
    let mut unique = entry.private_unique;
    let mut unique_allocated = entry.private_unique_allocated;
    for (at, here) in cache.links(entry) {
        if links.bad[at] {
            return None;
        }
        let i = table[at];
        let nlink = links.nlink[at];
        if here >= nlink {
            unique += i.bytes;
            unique_allocated += i.allocated;
        }
        let inode = SharedInode {
            dev: i.dev,
            ino: i.ino,
            nlink: nlink.max(1),
            links_here: here,
            bytes: i.bytes,
            allocated: i.allocated,
        };
        // One link left: a one-link file now (its other links are gone), as a walk counts it.
        match nlink {
            0 | 1 => single.push(inode),
            _ => shared.push(inode),
        }
    }
    let usage = VersionUsage {
        unique_bytes: unique,
        unique_allocated,
        shared,
        ..entry.usage.clone()
    };
    Some((usage, single))
}
