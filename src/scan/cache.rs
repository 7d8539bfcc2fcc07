//! The size cache: per version folder its figures under a [`Fingerprint`], and the list of its
//! hard-linked inodes, so a refresh walks only the versions that changed and still gives every
//! version exact unique bytes (see [`super::incremental`]). By default
//! `<cache dir>/backtop/sizes.bin`.
//!
//! The file is binary, because a year of iMazing history is 15 million links. Layout (all
//! integers little-endian or LEB128 varints):
//!
//! | bytes | what |
//! |---|---|
//! | 8 | magic `BTSIZES\0` |
//! | 4 | format ([`FORMAT`]) |
//! | 8 | checksum of this machine's id ([`machine_hash`]): a cache from another machine is ignored |
//! | 1 | 1 when the scan that wrote it sized every version (else the next one walks them all) |
//! | 8 | checksum of the body |
//! | … | body: the roots scanned; the inode table (every hard-linked inode once, by device then inode number delta-coded, with its bytes and link count); the entries (a JSON head: path, fingerprint, figures, private unique bytes; then the entry's links as delta-coded table positions) |
//!
//! About one byte per link and a dozen per inode: 15M links of 50 versions sharing 750k inodes
//! is ~25 MB. A missing file is an empty cache; a damaged, foreign or older one is an empty
//! cache with a note ([`SizeCache::note`]). It is written atomically (a temporary file in the
//! same folder, then a rename), from the last one ([`SizeCache::rebuild`]), and not at all when
//! a scan learnt nothing new. Nothing here decides a delete: deletes re-check on disk.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::library::usage::{SharedInode, VersionUsage};

mod codec;
mod fingerprint;
mod rebuild;

use codec::{checksum, put_bytes, put_varint, DecodeError, Reader};
pub use fingerprint::{fingerprint, FileStamp, Fingerprint};
pub use rebuild::Carried;

/// Bumped whenever the file's shape or the meaning of a figure changes.
pub const FORMAT: u32 = 3;

const MAGIC: &[u8; 8] = b"BTSIZES\0";

/// Bytes before the body: magic, format, machine, complete, checksum.
const HEAD: usize = 8 + 4 + 8 + 1 + 8;

/// The default place: `<cache dir>/backtop/sizes.bin`.
pub fn default_path() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("backtop").join("sizes.bin"))
}

/// A checksum of this machine's identity (`/etc/machine-id`, else the host name; a constant
/// where neither can be read).
pub fn machine_hash() -> u64 {
    let sources = [
        "/etc/machine-id",
        "/var/lib/dbus/machine-id",
        "/proc/sys/kernel/hostname",
    ];
    let id = sources
        .iter()
        .filter_map(|p| fs::read_to_string(p).ok())
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_default();
    checksum(id.as_bytes())
}

/// A hard-linked inode as last known: its identity, bytes and link count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inode {
    /// Device id.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
    /// Apparent bytes.
    pub bytes: u64,
    /// Allocated bytes (blocks).
    pub allocated: u64,
    /// `st_nlink` when the cache was written.
    pub nlink: u64,
}

/// The JSON head of one entry.
#[derive(Serialize, Deserialize)]
struct Head {
    #[serde(with = "crate::json_path::lossless")]
    path: PathBuf,
    fingerprint: Fingerprint,
    usage: VersionUsage,
    private_unique: u64,
    private_unique_allocated: u64,
}

/// One cached version.
#[derive(Debug, Clone)]
pub struct CacheEntry {
    /// The version's fingerprint when it was sized.
    pub fingerprint: Fingerprint,
    /// Its sizes (without the shared inodes, see [`SizeCache::links`]).
    pub usage: VersionUsage,
    /// Unique bytes of its one-link files (its unique bytes without the shared inodes).
    pub private_unique: u64,
    /// The same files' allocated bytes.
    pub private_unique_allocated: u64,
    /// Its links to the inode table, encoded (checked when loaded).
    links: Vec<u8>,
}

/// The whole cache.
#[derive(Debug, Clone, Default)]
pub struct SizeCache {
    entries: BTreeMap<PathBuf, CacheEntry>,
    inodes: Vec<Inode>,
    roots: Vec<PathBuf>,
    complete: bool,
    note: Option<String>,
}

/// A version to store: where, its fingerprint, its fresh or recomputed sizes (with `shared`).
pub struct Sized<'a> {
    /// The version folder.
    pub path: &'a Path,
    /// Its fingerprint.
    pub fingerprint: &'a Fingerprint,
    /// Its sizes, with its shared inodes.
    pub usage: &'a VersionUsage,
    /// Its one-link inodes, sorted by `(dev, ino)`.
    pub single: &'a [SharedInode],
}

impl SizeCache {
    /// Reads the cache. A missing file gives an empty cache; an unreadable, damaged, foreign
    /// or older-format one gives an empty cache whose [`SizeCache::note`] says why.
    pub fn load(path: &Path) -> SizeCache {
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return SizeCache::default(),
            Err(e) => return SizeCache::ignored(path, &e.to_string()),
        };
        match Self::decode(&bytes, machine_hash()) {
            Ok(cache) => cache,
            Err(why) => SizeCache::ignored(path, &why),
        }
    }

    fn ignored(path: &Path, why: &str) -> SizeCache {
        SizeCache {
            note: Some(format!(
                "size cache {} ignored ({why}): every version is walked",
                path.display()
            )),
            ..SizeCache::default()
        }
    }

    /// Why the file on disk was not used, if it was not.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// True when the scan that wrote it sized every version of its library.
    pub fn complete(&self) -> bool {
        self.complete
    }

    /// The roots the writing scan covered.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Every hard-linked inode of the cached versions, sorted by `(dev, ino)`.
    pub fn inodes(&self) -> &[Inode] {
        &self.inodes
    }

    /// The entries by version path.
    pub fn entries(&self) -> impl Iterator<Item = (&PathBuf, &CacheEntry)> {
        self.entries.iter()
    }

    /// The entry of `version`, whatever its fingerprint.
    pub fn entry(&self, version: &Path) -> Option<&CacheEntry> {
        self.entries.get(version)
    }

    /// The cached sizes of `version` if its fingerprint still matches (without the shared
    /// inodes: see [`SizeCache::get_linked`]).
    pub fn get(&self, version: &Path, fingerprint: &Fingerprint) -> Option<&VersionUsage> {
        self.entries
            .get(version)
            .filter(|e| e.fingerprint == *fingerprint)
            .map(|e| &e.usage)
    }

    /// [`SizeCache::get`] with the version's hard-linked inodes as the cache last saw them
    /// (link counts of then), so totals over cached figures count each inode once, exactly
    /// as the scan that wrote the cache did; the refresh then replaces them with today's.
    pub fn get_linked(&self, version: &Path, fingerprint: &Fingerprint) -> Option<VersionUsage> {
        let entry = self
            .entries
            .get(version)
            .filter(|e| e.fingerprint == *fingerprint)?;
        let table = &self.inodes;
        let shared = self
            .links(entry)
            .filter_map(|(at, here)| table.get(at).map(|i| (i, here)))
            .filter(|(i, _)| i.nlink > 1)
            .map(|(i, here)| SharedInode {
                dev: i.dev,
                ino: i.ino,
                nlink: i.nlink,
                links_here: here,
                bytes: i.bytes,
                allocated: i.allocated,
            })
            .collect();
        Some(VersionUsage {
            shared,
            ..entry.usage.clone()
        })
    }

    /// Earlier sizes of `version` whose categories may serve again: its manifest
    /// (`Manifest.db` and `-wal`, or `Manifest.mbdb`) is the same file, unchanged, even if other
    /// parts of the fingerprint moved. The sizer keeps them only if the fresh walk finds the
    /// same files and bytes.
    pub fn reusable(&self, version: &Path, fingerprint: &Fingerprint) -> Option<&VersionUsage> {
        let entry = self.entries.get(version)?;
        let same = entry.fingerprint.manifest();
        (!same.is_empty() && same == fingerprint.manifest()).then_some(&entry.usage)
    }

    /// The sizes of a cached version, for tools and tests that need to alter them.
    pub fn usage_mut(&mut self, version: &Path) -> Option<&mut VersionUsage> {
        self.entries.get_mut(version).map(|e| &mut e.usage)
    }

    /// An entry's links, to its hard-linked and its one-link inodes: (position in
    /// [`SizeCache::inodes`], links inside the version), in table order.
    pub fn links<'a>(&'a self, entry: &'a CacheEntry) -> impl Iterator<Item = (usize, u64)> + 'a {
        // Checked when loaded or built: decoding cannot fail here.
        let mut r = Reader::new(&entry.links);
        let n = r.varint().unwrap_or(0);
        let mut next = 0usize;
        (0..n).map_while(move |_| {
            let v = r.varint().ok()?;
            let at = next + (v >> 1) as usize;
            let links = if v & 1 == 1 { r.varint().ok()? } else { 1 };
            next = at + 1;
            Some((at, links))
        })
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The file's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut body = Vec::new();
        put_varint(&mut body, self.roots.len() as u64);
        for r in &self.roots {
            put_bytes(&mut body, r.as_os_str().as_encoded_bytes());
        }
        encode_inodes(&mut body, &self.inodes);
        put_varint(&mut body, self.entries.len() as u64);
        for (path, e) in &self.entries {
            let head = Head {
                path: path.clone(),
                fingerprint: e.fingerprint.clone(),
                usage: e.usage.clone(),
                private_unique: e.private_unique,
                private_unique_allocated: e.private_unique_allocated,
            };
            put_bytes(&mut body, &serde_json::to_vec(&head).unwrap_or_default());
            put_bytes(&mut body, &e.links);
        }
        let mut out = Vec::with_capacity(HEAD + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        out.extend_from_slice(&machine_hash().to_le_bytes());
        out.push(u8::from(self.complete));
        out.extend_from_slice(&checksum(&body).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    fn decode(bytes: &[u8], machine: u64) -> Result<SizeCache, String> {
        let mut r = Reader::new(bytes);
        let text = |e: DecodeError| e.to_string();
        if r.take(8).ok() != Some(&MAGIC[..]) {
            return Err("not a backtop size cache".into());
        }
        let mut format = [0u8; 4];
        format.copy_from_slice(r.take(4).map_err(text)?);
        let format = u32::from_le_bytes(format);
        if format != FORMAT {
            return Err(format!("format {format}, this backtop writes {FORMAT}"));
        }
        if r.u64_le().map_err(text)? != machine {
            return Err("written on another machine".into());
        }
        let complete = r.take(1).map_err(text)?[0] == 1;
        let sum = r.u64_le().map_err(text)?;
        let body = &bytes[HEAD..];
        if checksum(body) != sum {
            return Err("damaged: its checksum does not match".into());
        }
        let mut cache = decode_body(body).map_err(|e| format!("damaged: {e}"))?;
        cache.complete = complete;
        Ok(cache)
    }

    /// Writes the cache atomically: a temporary file next to `path`, then a rename.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.as_file_mut().write_all(&self.encode())?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Table positions of `shared` (sorted by `(dev, ino)`, all in `table`), delta-coded.
fn encode_links(shared: &[SharedInode], table: &[Inode]) -> Vec<u8> {
    let mut sorted;
    let mut shared = shared;
    if !shared
        .windows(2)
        .all(|w| (w[0].dev, w[0].ino) < (w[1].dev, w[1].ino))
    {
        sorted = shared.to_vec();
        sorted.sort_unstable_by_key(|s| (s.dev, s.ino));
        sorted.dedup_by_key(|s| (s.dev, s.ino));
        shared = &sorted;
    }
    let mut out = Vec::with_capacity(shared.len() + 4);
    put_varint(&mut out, shared.len() as u64);
    let mut next = 0usize;
    for s in shared {
        let key = (s.dev, s.ino);
        let at = next + gallop(&table[next..], key);
        let flag = u64::from(s.links_here != 1);
        put_varint(&mut out, ((at - next) as u64) << 1 | flag);
        if flag == 1 {
            put_varint(&mut out, s.links_here);
        }
        next = at + 1;
    }
    out
}

/// Position of `key` in the sorted `table` (found by doubling steps, then halving).
fn gallop(table: &[Inode], key: (u64, u64)) -> usize {
    let below = |i: &Inode| (i.dev, i.ino) < key;
    let mut hi = 1;
    while hi < table.len() && below(&table[hi - 1]) {
        hi *= 2;
    }
    let hi = hi.min(table.len());
    let lo = hi / 2;
    lo + table[lo..hi].partition_point(below)
}

fn encode_inodes(out: &mut Vec<u8>, inodes: &[Inode]) {
    let groups: Vec<&[Inode]> = inodes.chunk_by(|a, b| a.dev == b.dev).collect();
    put_varint(out, groups.len() as u64);
    for g in groups {
        put_varint(out, g[0].dev);
        put_varint(out, g.len() as u64);
        let mut prev = 0;
        for i in g {
            put_varint(out, i.ino - prev);
            put_varint(out, i.bytes);
            put_varint(out, i.allocated);
            put_varint(out, i.nlink);
            prev = i.ino;
        }
    }
}

fn decode_body(body: &[u8]) -> Result<SizeCache, DecodeError> {
    let mut r = Reader::new(body);
    let limit = body.len();
    let mut roots = Vec::new();
    for _ in 0..r.count(limit)? {
        let root = crate::json_path::from_raw(r.bytes()?.to_vec());
        roots.push(root.ok_or(DecodeError::Invalid("root"))?);
    }
    let mut inodes = Vec::new();
    for _ in 0..r.count(limit)? {
        let dev = r.varint()?;
        let mut prev = 0u64;
        for _ in 0..r.count(limit)? {
            let ino = prev
                .checked_add(r.varint()?)
                .ok_or(DecodeError::BadNumber)?;
            let (bytes, allocated, nlink) = (r.varint()?, r.varint()?, r.varint()?);
            inodes.push(Inode {
                dev,
                ino,
                bytes,
                allocated,
                nlink,
            });
            prev = ino;
        }
    }
    if !inodes
        .windows(2)
        .all(|w| (w[0].dev, w[0].ino) < (w[1].dev, w[1].ino))
    {
        return Err(DecodeError::Invalid("the inode table is out of order"));
    }
    let mut entries = BTreeMap::new();
    for _ in 0..r.count(limit)? {
        let head: Head = serde_json::from_slice(r.bytes()?)
            .map_err(|_| DecodeError::Invalid("an entry's head is not readable"))?;
        let links = r.bytes()?.to_vec();
        check_links(&links, inodes.len())?;
        let entry = CacheEntry {
            fingerprint: head.fingerprint,
            usage: head.usage,
            private_unique: head.private_unique,
            private_unique_allocated: head.private_unique_allocated,
            links,
        };
        entries.insert(head.path, entry);
    }
    if !r.at_end() {
        return Err(DecodeError::Invalid("bytes after the last entry"));
    }
    Ok(SizeCache {
        entries,
        inodes,
        roots,
        complete: false,
        note: None,
    })
}

/// Checks that encoded links decode to increasing positions inside a table of `table` inodes.
fn check_links(links: &[u8], table: usize) -> Result<(), DecodeError> {
    let mut r = Reader::new(links);
    let n = r.count(links.len())?;
    let mut next = 0usize;
    for _ in 0..n {
        let v = r.varint()?;
        let step = usize::try_from(v >> 1).map_err(|_| DecodeError::BadNumber)?;
        let at = next.checked_add(step).ok_or(DecodeError::BadNumber)?;
        if at >= table {
            return Err(DecodeError::Invalid("a link points past the inode table"));
        }
        if v & 1 == 1 && r.varint()? < 2 {
            return Err(DecodeError::Invalid("a link count is malformed"));
        }
        next = at + 1;
    }
    if !r.at_end() {
        return Err(DecodeError::Invalid("bytes after an entry's links"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn fp() -> Fingerprint {
        Fingerprint {
            dev: 1,
            ino: 2,
            files: Vec::new(),
            dirs: vec![(".".into(), 5)],
        }
    }

    pub fn shared(ino: u64, nlink: u64, links_here: u64) -> SharedInode {
        SharedInode {
            dev: 9,
            ino,
            nlink,
            links_here,
            bytes: ino * 10,
            allocated: ino * 4096,
        }
    }

    #[test]
    fn entries_and_links_round_trip() {
        let a = VersionUsage {
            bytes: 1_000,
            unique_bytes: 700,
            files: 4,
            shared: vec![shared(5, 2, 1), shared(7, 2, 2), shared(900, 3, 1)],
            ..Default::default()
        };
        let b = VersionUsage {
            shared: vec![shared(5, 2, 1), shared(1 << 40, 2, 1)],
            ..Default::default()
        };
        let f = fp();
        let sized = [
            Sized {
                path: Path::new("/a"),
                fingerprint: &f,
                usage: &a,
                single: &[],
            },
            Sized {
                path: Path::new("/b"),
                fingerprint: &f,
                usage: &b,
                single: &[shared(3, 1, 1)],
            },
        ];
        let built = SizeCache::build(&sized, vec!["/".into()], true);
        let back = SizeCache::decode(&built.encode(), machine_hash()).unwrap();
        assert!(back.complete());
        assert_eq!(back.roots(), [PathBuf::from("/")]);
        assert_eq!(back.inodes().len(), 5);
        let e = back.entry(Path::new("/a")).unwrap();
        // 700 unique, of which inode 7 (70 bytes, both links here) is shared.
        assert_eq!(e.private_unique, 630);
        let links: Vec<(u64, u64)> = back
            .links(e)
            .map(|(at, n)| (back.inodes()[at].ino, n))
            .collect();
        assert_eq!(links, [(5, 1), (7, 2), (900, 1)]);
        let e = back.entry(Path::new("/b")).unwrap();
        let inos: Vec<u64> = back.links(e).map(|(at, _)| back.inodes()[at].ino).collect();
        assert_eq!(inos, [3, 5, 1 << 40]);
        assert_eq!(back.get(Path::new("/b"), &f).map(|u| u.files), Some(0));
    }

    #[test]
    fn damaged_and_foreign_files_are_refused_with_a_reason() {
        let f = fp();
        let u = VersionUsage {
            shared: vec![shared(5, 2, 1)],
            ..Default::default()
        };
        let sized = [Sized {
            path: Path::new("/a"),
            fingerprint: &f,
            usage: &u,
            single: &[],
        }];
        let bytes = SizeCache::build(&sized, Vec::new(), true).encode();
        let me = machine_hash();
        assert!(SizeCache::decode(&bytes, me).is_ok());
        let foreign = SizeCache::decode(&bytes, me ^ 1).unwrap_err();
        assert!(foreign.contains("another machine"), "{foreign}");
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 0x40;
        assert!(SizeCache::decode(&flipped, me)
            .unwrap_err()
            .contains("checksum"));
        for cut in 0..bytes.len() {
            assert!(
                SizeCache::decode(&bytes[..cut], me).is_err(),
                "cut at {cut}"
            );
        }
        assert!(SizeCache::decode(b"{\"format\": 1}", me)
            .unwrap_err()
            .contains("not a backtop"));
    }
}
