//! The next cache from the last one: the entries that still stand are carried over with their
//! encoded links renumbered (one pass over their varints, no sort of their links), and only the
//! versions walked in this scan are encoded afresh. A refresh after one new snapshot of a long
//! iMazing history then costs that snapshot's links, not the history's.

use std::path::{Path, PathBuf};

use super::codec::{put_varint, Reader};
use super::{encode_links, CacheEntry, Inode, SizeCache, Sized};
use crate::library::usage::totals::{private_unique_in, private_unique_of};
use crate::library::usage::{Measure, SharedInode, VersionUsage};

/// An entry of the last cache whose links still stand.
pub struct Carried<'a> {
    /// The version folder.
    pub path: &'a Path,
    /// Its entry in the last cache.
    pub entry: &'a CacheEntry,
    /// Its unique bytes today (recomputed from today's link counts).
    pub unique_bytes: u64,
    /// The same, allocated bytes.
    pub unique_allocated: u64,
}

impl SizeCache {
    /// The cache of `versions` (every one with its shared inodes), for the roots scanned.
    /// `complete`: every version of the library was sized.
    pub fn build(versions: &[Sized], roots: Vec<PathBuf>, complete: bool) -> SizeCache {
        SizeCache::default().rebuild(&[], &[], versions, roots, complete)
    }

    /// The next cache: the `carried` entries of this one, with `nlink` (today's link count of
    /// every inode of this cache's table, by position), and the `fresh` versions walked now.
    /// Inodes no entry links to any more are dropped.
    pub fn rebuild(
        &self,
        carried: &[Carried],
        nlink: &[u64],
        fresh: &[Sized],
        roots: Vec<PathBuf>,
        complete: bool,
    ) -> SizeCache {
        let mut used = vec![false; self.inodes.len()];
        for c in carried {
            for (at, _) in self.links(c.entry) {
                used[at] = true;
            }
        }
        let new = fresh_inodes(fresh);
        let (inodes, remap) = merge(&self.inodes, &used, nlink, &new);
        let mut entries = std::collections::BTreeMap::new();
        for c in carried {
            let entry = CacheEntry {
                fingerprint: c.entry.fingerprint.clone(),
                usage: VersionUsage {
                    unique_bytes: c.unique_bytes,
                    unique_allocated: c.unique_allocated,
                    ..c.entry.usage.clone()
                },
                private_unique: c.entry.private_unique,
                private_unique_allocated: c.entry.private_unique_allocated,
                links: self.renumber(c.entry, &remap),
            };
            entries.insert(c.path.to_path_buf(), entry);
        }
        for v in fresh {
            let usage = VersionUsage {
                shared: Vec::new(),
                ..v.usage.clone()
            };
            let single: u64 = v.single.iter().map(|s| s.bytes).sum();
            let single_allocated: u64 = v.single.iter().map(|s| s.allocated).sum();
            let mut all: Vec<SharedInode> =
                v.usage.shared.iter().chain(v.single).copied().collect();
            all.sort_unstable_by_key(|s| (s.dev, s.ino));
            all.dedup_by_key(|s| (s.dev, s.ino));
            let entry = CacheEntry {
                fingerprint: v.fingerprint.clone(),
                private_unique: private_unique_of(v.usage).saturating_sub(single),
                private_unique_allocated: private_unique_in(v.usage, Measure::Disk)
                    .saturating_sub(single_allocated),
                links: encode_links(&all, &inodes),
                usage,
            };
            entries.insert(v.path.to_path_buf(), entry);
        }
        SizeCache {
            entries,
            inodes,
            roots,
            complete,
            note: None,
        }
    }

    /// `entry`'s links, encoded again with `remap` (old table position to new).
    fn renumber(&self, entry: &CacheEntry, remap: &[usize]) -> Vec<u8> {
        let mut out = Vec::with_capacity(entry.links.len());
        let n = Reader::new(&entry.links).varint().unwrap_or(0);
        put_varint(&mut out, n);
        let mut next = 0usize;
        for (at, links) in self.links(entry) {
            let at = remap[at];
            let flag = u64::from(links != 1);
            put_varint(&mut out, ((at - next) as u64) << 1 | flag);
            if flag == 1 {
                put_varint(&mut out, links);
            }
            next = at + 1;
        }
        out
    }
}

/// The inodes of the versions walked now, sorted by `(dev, ino)`, each once.
fn fresh_inodes(fresh: &[Sized]) -> Vec<Inode> {
    let mut inodes: Vec<Inode> = fresh
        .iter()
        .flat_map(|v| v.usage.shared.iter().chain(v.single))
        .map(|s| Inode {
            dev: s.dev,
            ino: s.ino,
            bytes: s.bytes,
            allocated: s.allocated,
            nlink: s.nlink,
        })
        .collect();
    inodes.sort_unstable_by_key(|i| (i.dev, i.ino));
    inodes.dedup_by(|next, kept| {
        let same = (next.dev, next.ino) == (kept.dev, kept.ino);
        if same {
            kept.nlink = kept.nlink.max(next.nlink);
            kept.bytes = kept.bytes.max(next.bytes);
            kept.allocated = kept.allocated.max(next.allocated);
        }
        same
    });
    inodes
}

/// The new table: the `used` inodes of `old` (with today's `nlink`) merged with `new`, and
/// where each old position went (meaningful for the used ones).
fn merge(old: &[Inode], used: &[bool], nlink: &[u64], new: &[Inode]) -> (Vec<Inode>, Vec<usize>) {
    let mut table = Vec::with_capacity(new.len() + used.iter().filter(|u| **u).count());
    let mut remap = vec![usize::MAX; old.len()];
    let mut fresh = new.iter().peekable();
    for (at, i) in old.iter().enumerate() {
        if !used[at] {
            continue;
        }
        let key = (i.dev, i.ino);
        while let Some(f) = fresh.next_if(|f| (f.dev, f.ino) < key) {
            table.push(*f);
        }
        let mut kept = Inode {
            nlink: nlink.get(at).copied().unwrap_or(i.nlink).max(1),
            ..*i
        };
        if let Some(f) = fresh.next_if(|f| (f.dev, f.ino) == key) {
            kept.nlink = kept.nlink.max(f.nlink);
            kept.bytes = f.bytes;
            kept.allocated = f.allocated;
        }
        remap[at] = table.len();
        table.push(kept);
    }
    table.extend(fresh);
    (table, remap)
}

#[cfg(test)]
mod tests {
    use super::super::machine_hash;
    use super::super::tests::{fp, shared};
    use super::*;
    use crate::library::usage::VersionUsage;

    fn sized<'a>(
        path: &'a str,
        f: &'a super::super::Fingerprint,
        u: &'a VersionUsage,
    ) -> Sized<'a> {
        Sized {
            path: Path::new(path),
            fingerprint: f,
            usage: u,
            single: &[],
        }
    }

    fn table(cache: &SizeCache, path: &str) -> Vec<(u64, u64, u64)> {
        let e = cache.entry(Path::new(path)).unwrap();
        cache
            .links(e)
            .map(|(at, n)| (cache.inodes()[at].ino, cache.inodes()[at].nlink, n))
            .collect()
    }

    #[test]
    fn carried_entries_are_renumbered_and_unlinked_inodes_dropped() {
        let f = fp();
        let a = VersionUsage {
            shared: vec![shared(5, 2, 1), shared(7, 2, 2), shared(900, 3, 1)],
            ..Default::default()
        };
        let b = VersionUsage {
            shared: vec![shared(5, 2, 1), shared(900, 3, 1)],
            ..Default::default()
        };
        let gone = [Sized {
            path: Path::new("/gone"),
            fingerprint: &f,
            usage: &VersionUsage::default(),
            single: &[shared(1, 1, 1)],
        }];
        let first = [sized("/a", &f, &a), sized("/b", &f, &b)];
        let all: Vec<Sized> = first.into_iter().chain(gone).collect();
        let old = SizeCache::build(&all, vec!["/".into()], true);
        assert_eq!(old.inodes().len(), 4);
        // A new version links to 6 (new) and 900 (a fourth link); /b is walked again (fresh),
        // /gone is deleted, /a is carried with today's counts.
        let c = VersionUsage {
            shared: vec![shared(6, 2, 2), shared(900, 4, 1)],
            ..Default::default()
        };
        let fresh = [sized("/c", &f, &c), sized("/b", &f, &b)];
        let carried = [Carried {
            path: Path::new("/a"),
            entry: old.entry(Path::new("/a")).unwrap(),
            unique_bytes: 70,
            unique_allocated: 4096,
        }];
        let nlink: Vec<u64> = old.inodes().iter().map(|i| i.nlink).collect();
        let next = old.rebuild(&carried, &nlink, &fresh, vec!["/".into()], true);
        let back = SizeCache::decode(&next.encode(), machine_hash()).unwrap();
        let inos: Vec<u64> = back.inodes().iter().map(|i| i.ino).collect();
        assert_eq!(inos, [5, 6, 7, 900]);
        assert_eq!(table(&back, "/a"), [(5, 2, 1), (7, 2, 2), (900, 4, 1)]);
        assert_eq!(table(&back, "/c"), [(6, 2, 2), (900, 4, 1)]);
        assert_eq!(table(&back, "/b"), [(5, 2, 1), (900, 4, 1)]);
        assert!(back.entry(Path::new("/gone")).is_none());
        let a = back.get(Path::new("/a"), &f).unwrap();
        assert_eq!((a.unique_bytes, a.unique_allocated), (70, 4096));
    }
}
