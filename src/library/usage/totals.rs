//! Combining versions: totals that count every inode once, and what deleting a *set* of
//! versions frees.
//!
//! A version's `bytes` count each of its inodes once; the inodes with `st_nlink > 1` are also
//! listed in `shared`. Files with one link belong to exactly one version, so totals add the
//! private part of each version and the shared inodes once per `(dev, ino)`.

use ahash::AHashMap;
use serde::{Deserialize, Serialize};

use super::{Measure, VersionUsage};

/// Figures over several versions, each inode counted once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Apparent bytes of the distinct inodes.
    pub bytes: u64,
    /// What deleting all these versions frees: inodes whose every link lies inside them.
    pub unique_bytes: u64,
    /// Distinct inodes.
    pub files: u64,
}

/// One shared inode, merged across versions.
struct Merged {
    nlink: u64,
    links: u64,
    size: u64,
}

/// Merges the shared inodes of `set`, by `(dev, ino)`, each sized in `m`.
fn merge_shared(set: &[&VersionUsage], m: Measure) -> AHashMap<(u64, u64), Merged> {
    let largest = set.iter().map(|u| u.shared.len()).max().unwrap_or(0);
    let mut map: AHashMap<(u64, u64), Merged> = AHashMap::with_capacity(largest);
    for usage in set {
        for s in &usage.shared {
            let e = map.entry((s.dev, s.ino)).or_insert(Merged {
                nlink: s.nlink,
                links: 0,
                size: s.size(m),
            });
            e.links += s.links_here;
            e.nlink = e.nlink.max(s.nlink);
        }
    }
    map
}

/// Totals of `set` (each version once) in `m`, every inode counted once.
pub fn totals_in(set: &[&VersionUsage], m: Measure) -> Totals {
    let merged = merge_shared(set, m);
    let mut t = Totals::default();
    for u in set {
        let shared: u64 = u.shared.iter().map(|s| s.size(m)).sum();
        t.bytes += u.size(m).saturating_sub(shared);
        t.files += u.files.saturating_sub(u.shared.len() as u64);
    }
    for e in merged.values() {
        t.bytes += e.size;
        t.files += 1;
    }
    t.unique_bytes = private_unique(set, m) + freed_shared(&merged);
    t
}

/// Bytes of the one-link files of each version (unique to it by definition).
fn private_unique(set: &[&VersionUsage], m: Measure) -> u64 {
    set.iter().map(|u| private_unique_in(u, m)).sum()
}

/// Bytes of a version's one-link files: its unique bytes without the shared inodes whose
/// every link is inside it.
pub fn private_unique_of(u: &VersionUsage) -> u64 {
    private_unique_in(u, Measure::Apparent)
}

/// [`private_unique_of`] in `m`.
pub fn private_unique_in(u: &VersionUsage, m: Measure) -> u64 {
    let unique_shared: u64 = u
        .shared
        .iter()
        .filter(|s| s.links_here >= s.nlink)
        .map(|s| s.size(m))
        .sum();
    u.unique(m).saturating_sub(unique_shared)
}

/// Bytes of the shared inodes whose links across the set reach their `st_nlink`.
fn freed_shared(merged: &AHashMap<(u64, u64), Merged>) -> u64 {
    merged
        .values()
        .filter(|e| e.links >= e.nlink)
        .map(|e| e.size)
        .sum()
}

/// A device's totals from its versions' sizes (apparent bytes).
pub fn device_totals(versions: &[&VersionUsage]) -> Totals {
    totals_in(versions, Measure::Apparent)
}

/// The library's totals from every sized version of every device (apparent bytes).
pub fn library_totals(versions: &[&VersionUsage]) -> Totals {
    totals_in(versions, Measure::Apparent)
}

/// What deleting every version of `set` together frees (each version listed once): the
/// private bytes of each, plus every shared inode whose links across the set reach its
/// `st_nlink`. Two snapshots hard-linked only to each other free nothing alone and
/// everything together. Apparent bytes; [`freed_in`] for disk usage.
pub fn freed_by_deleting(set: &[&VersionUsage]) -> u64 {
    freed_in(set, Measure::Apparent)
}

/// [`freed_by_deleting`] in `m`.
pub fn freed_in(set: &[&VersionUsage], m: Measure) -> u64 {
    private_unique(set, m) + freed_shared(&merge_shared(set, m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::usage::SharedInode;

    fn usage(private: u64, shared: &[(u64, u64, u64)]) -> VersionUsage {
        let shared: Vec<SharedInode> = shared
            .iter()
            .map(|&(ino, nlink, bytes)| SharedInode {
                dev: 1,
                ino,
                nlink,
                links_here: 1,
                bytes,
                // Whole 4 KiB blocks, as a file system allocates them.
                allocated: bytes.div_ceil(4096) * 4096,
            })
            .collect();
        let sb: u64 = shared.iter().map(|s| s.bytes).sum();
        let sa: u64 = shared.iter().map(|s| s.allocated).sum();
        VersionUsage {
            bytes: private + sb,
            allocated_bytes: private * 10 + sa,
            unique_bytes: private,
            unique_allocated: private * 10,
            files: 1 + shared.len() as u64,
            shared,
            ..Default::default()
        }
    }

    #[test]
    fn two_snapshots_free_nothing_alone_and_everything_together() {
        let a = usage(5, &[(10, 2, 1_000_000_000)]);
        let b = usage(7, &[(10, 2, 1_000_000_000)]);
        assert_eq!(freed_by_deleting(&[&a]), 5);
        assert_eq!(freed_by_deleting(&[&b]), 7);
        assert_eq!(freed_by_deleting(&[&a, &b]), 1_000_000_012);
        let t = device_totals(&[&a, &b]);
        assert_eq!(
            t,
            Totals {
                bytes: 1_000_000_012,
                unique_bytes: 1_000_000_012,
                files: 3
            }
        );
    }

    #[test]
    fn inode_linked_outside_the_set_is_not_freed() {
        let a = usage(0, &[(3, 3, 100)]);
        let b = usage(0, &[(3, 3, 100)]);
        assert_eq!(freed_by_deleting(&[&a, &b]), 0);
        assert_eq!(library_totals(&[&a, &b]).bytes, 100);
    }

    #[test]
    fn disk_usage_counts_allocated_blocks_by_the_same_rules() {
        // Private parts allocate ten times their length here; the shared inode 4 KiB blocks.
        let a = usage(5, &[(10, 2, 1_000)]);
        let b = usage(7, &[(10, 2, 1_000)]);
        assert_eq!(freed_in(&[&a], Measure::Disk), 50);
        assert_eq!(freed_in(&[&a, &b], Measure::Disk), 50 + 70 + 4096);
        assert_eq!(
            totals_in(&[&a, &b], Measure::Disk),
            Totals {
                bytes: 50 + 70 + 4096,
                unique_bytes: 50 + 70 + 4096,
                files: 3
            }
        );
        assert_eq!(totals_in(&[&a, &b], Measure::Apparent).bytes, 1_012);
        assert_eq!(private_unique_in(&a, Measure::Disk), 50);
    }
}
