//! Combining versions: totals that count every inode once, and what deleting a *set* of
//! versions frees.
//!
//! A version's `bytes` count each of its inodes once; the inodes with `st_nlink > 1` are also
//! listed in `shared`. Files with one link belong to exactly one version, so totals add the
//! private part of each version and the shared inodes once per `(dev, ino)`.

use ahash::AHashMap;
use serde::{Deserialize, Serialize};

use super::VersionUsage;

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
    bytes: u64,
}

/// Merges the shared inodes of `set`, by `(dev, ino)`.
fn merge_shared(set: &[&VersionUsage]) -> AHashMap<(u64, u64), Merged> {
    let largest = set.iter().map(|u| u.shared.len()).max().unwrap_or(0);
    let mut map: AHashMap<(u64, u64), Merged> = AHashMap::with_capacity(largest);
    for usage in set {
        for s in &usage.shared {
            let m = map.entry((s.dev, s.ino)).or_insert(Merged {
                nlink: s.nlink,
                links: 0,
                bytes: s.bytes,
            });
            m.links += s.links_here;
            m.nlink = m.nlink.max(s.nlink);
        }
    }
    map
}

/// Totals of `set` (each version once), every inode counted once.
fn totals_of(set: &[&VersionUsage]) -> Totals {
    let merged = merge_shared(set);
    let mut t = Totals::default();
    for u in set {
        let shared_bytes: u64 = u.shared.iter().map(|s| s.bytes).sum();
        t.bytes += u.bytes.saturating_sub(shared_bytes);
        t.files += u.files.saturating_sub(u.shared.len() as u64);
    }
    for m in merged.values() {
        t.bytes += m.bytes;
        t.files += 1;
    }
    t.unique_bytes = private_unique(set) + freed_shared(&merged);
    t
}

/// Bytes of the one-link files of each version (unique to it by definition).
fn private_unique(set: &[&VersionUsage]) -> u64 {
    set.iter().map(|u| private_unique_of(u)).sum()
}

/// Bytes of a version's one-link files: its unique bytes without the shared inodes whose
/// every link is inside it.
pub fn private_unique_of(u: &VersionUsage) -> u64 {
    let unique_shared: u64 = u
        .shared
        .iter()
        .filter(|s| s.links_here >= s.nlink)
        .map(|s| s.bytes)
        .sum();
    u.unique_bytes.saturating_sub(unique_shared)
}

/// Bytes of the shared inodes whose links across the set reach their `st_nlink`.
fn freed_shared(merged: &AHashMap<(u64, u64), Merged>) -> u64 {
    merged
        .values()
        .filter(|m| m.links >= m.nlink)
        .map(|m| m.bytes)
        .sum()
}

/// A device's totals from its versions' sizes.
pub fn device_totals(versions: &[&VersionUsage]) -> Totals {
    totals_of(versions)
}

/// The library's totals from every sized version of every device.
pub fn library_totals(versions: &[&VersionUsage]) -> Totals {
    totals_of(versions)
}

/// What deleting every version of `set` together frees (each version listed once): the
/// private bytes of each, plus every shared inode whose links across the set reach its
/// `st_nlink`. Two snapshots hard-linked only to each other free nothing alone and
/// everything together.
pub fn freed_by_deleting(set: &[&VersionUsage]) -> u64 {
    private_unique(set) + freed_shared(&merge_shared(set))
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
            })
            .collect();
        let sb: u64 = shared.iter().map(|s| s.bytes).sum();
        VersionUsage {
            bytes: private + sb,
            unique_bytes: private,
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
}
