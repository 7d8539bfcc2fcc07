//! Incremental refresh (issue 15): after a change, a scan with the size cache walks only what
//! changed and still gives, for every version, exactly the figures of a `--no-cache` scan
//! (unique bytes, link counts of every shared inode, categories): after a new snapshot, a
//! deleted snapshot, a changed live backup, a version replaced by another of the same folder
//! name, a cache file from another machine, and when nothing changed.

use crate::support::scan_fixtures::{library_of, sized, spec, version_of};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use backtop::demo::{write_backup, write_imazing_snapshot, BackupSpec, FileSpec};
use backtop::library::usage::VersionUsage;
use backtop::library::{Library, Version, VersionKind};
use backtop::scan::cache::{fingerprint, Fingerprint, SizeCache};
use backtop::scan::{self, incremental, ScanEvent, ScanOptions};

/// An iMazing history: a live backup and snapshots hard-linked to it.
struct History {
    root: PathBuf,
    spec: BackupSpec,
    snaps: Vec<PathBuf>,
}

impl History {
    fn new(root: &Path, snapshots: usize) -> History {
        let mut spec = spec(1_000, 2_000, 3_000);
        spec.files.extend((0..40).map(|i| {
            FileSpec::new(
                "HomeDomain",
                &format!("Library/Notes/n{i}.txt"),
                100 + i * 7,
            )
        }));
        write_backup(&root.join("live"), &spec).unwrap();
        let mut h = History {
            root: root.to_path_buf(),
            spec,
            snaps: Vec::new(),
        };
        for i in 0..snapshots {
            h.add_snapshot(&format!("snap{i}"), i);
        }
        h
    }

    fn live(&self) -> PathBuf {
        self.root.join("live")
    }

    /// A snapshot of the live backup with every fifth file (from `seed`) changed.
    fn write_snapshot(&self, dir: &Path, seed: usize) {
        self.write_snapshot_of(&self.live(), dir, seed);
    }

    /// A snapshot hard-linked to the version at `from`, every fifth file (from `seed`) changed.
    fn write_snapshot_of(&self, from: &Path, dir: &Path, seed: usize) {
        let changed: Vec<FileSpec> = self
            .spec
            .files
            .iter()
            .skip(seed % 5)
            .step_by(5)
            .map(|f| FileSpec {
                size: f.size + 1 + seed as u64,
                ..f.clone()
            })
            .collect();
        write_imazing_snapshot(from, dir, &self.spec, &changed).unwrap();
    }

    fn add_snapshot(&mut self, name: &str, seed: usize) {
        let dir = self.root.join("Versions").join(name);
        self.write_snapshot(&dir, seed);
        self.snaps.push(dir);
    }

    fn library(&self) -> Library {
        let version = |path: &Path, kind| {
            let w = backtop::demo::Written {
                path: path.to_path_buf(),
                files: 0,
                content_bytes: 0,
                metadata_bytes: 0,
            };
            version_of(&w, &self.spec, &self.root, kind)
        };
        let mut versions = vec![version(&self.live(), VersionKind::Live)];
        for s in self.snaps.iter().rev() {
            versions.push(version(s, VersionKind::ImazingSnapshot));
        }
        library_of(&self.root, versions)
    }
}

fn scan_events(library: &Library, cache: Option<&Path>) -> Vec<ScanEvent> {
    let options = ScanOptions {
        cache: cache.map(Path::to_path_buf),
        threads: 2,
        simulated_disks: None,
    };
    scan::start(library.clone(), options)
        .events
        .iter()
        .collect()
}

/// Which versions a scan with `cache` would walk (the others are recomputed).
fn walked(library: &Library, cache: &Path) -> Vec<PathBuf> {
    let versions: Vec<&Version> = library.versions().collect();
    let stamps: Vec<Option<Fingerprint>> =
        versions.iter().map(|v| fingerprint(&v.path).ok()).collect();
    let roots: Vec<PathBuf> = library.roots.iter().map(|r| r.root.path.clone()).collect();
    let plan = incremental::plan(&SizeCache::load(cache), &versions, &stamps, &roots);
    versions
        .iter()
        .zip(plan.skip)
        .filter(|(_, skip)| !skip)
        .map(|(v, _)| v.path.clone())
        .collect()
}

/// The scan with the cache equals a scan without, for every version, exactly.
fn assert_exact(library: &Library, cache: &Path) -> BTreeMap<PathBuf, VersionUsage> {
    let incremental = sized(&scan_events(library, Some(cache)));
    let full = sized(&scan_events(library, None));
    assert_eq!(incremental.len(), library.versions().count());
    for (path, usage) in &full {
        assert_eq!(incremental.get(path), Some(usage), "{}", path.display());
    }
    full
}

/// The link counts of a version's hard-linked inodes, added up.
fn links(u: &VersionUsage) -> u64 {
    u.shared.iter().map(|s| s.nlink).sum()
}

/// A scanned history of a live backup and three snapshots, with its cache file.
fn scanned(tmp: &Path) -> (History, PathBuf) {
    let h = History::new(&tmp.join("root"), 3);
    let cache = tmp.join("cache/sizes.bin");
    assert_exact(&h.library(), &cache);
    (h, cache)
}

#[test]
fn nothing_changed_walks_nothing_and_figures_stay_exact() {
    let tmp = tempfile::tempdir().unwrap();
    let (h, cache) = scanned(tmp.path());
    let lib = h.library();
    assert_eq!(walked(&lib, &cache), Vec::<PathBuf>::new());
    let before = std::fs::read(&cache).unwrap();
    let inode = file_id(&cache);
    let full = assert_exact(&lib, &cache);
    // Nothing to learn: the cache file is not written again (same file, same bytes).
    assert_eq!(file_id(&cache), inode);
    assert_eq!(std::fs::read(&cache).unwrap(), before);
    // Hard links are real: some snapshot bytes are not unique to it.
    let snap = &full[&h.snaps[0]];
    assert!(snap.unique_bytes < snap.bytes, "{snap:?}");
    assert!(!snap.shared.is_empty());
}

#[test]
fn a_new_snapshot_is_the_only_version_walked() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut h, cache) = scanned(tmp.path());
    let before = sized(&scan_events(&h.library(), None));
    h.add_snapshot("snap3", 3);
    let lib = h.library();
    assert_eq!(walked(&lib, &cache), [h.snaps[3].clone()]);
    let after = assert_exact(&lib, &cache);
    // The live backup was not walked, yet the link counts of its inodes went up.
    let live = h.live();
    assert!(links(&after[&live]) > links(&before[&live]));
    // The cache written from the carried entries and the new one serves the next scan whole.
    assert_eq!(walked(&lib, &cache), Vec::<PathBuf>::new());
    h.add_snapshot("snap4", 4);
    let lib = h.library();
    assert_eq!(walked(&lib, &cache), [h.snaps[4].clone()]);
    assert_exact(&lib, &cache);
    assert_eq!(walked(&lib, &cache), Vec::<PathBuf>::new());
}

/// The file's (device, inode): a file written again by a rename is another inode.
#[cfg(unix)]
fn file_id(path: &Path) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    let md = std::fs::metadata(path).unwrap();
    (md.dev(), md.ino())
}

/// No inode in stable std on Windows: the bytes compared beside it tell.
#[cfg(not(unix))]
fn file_id(_path: &Path) -> (u64, u64) {
    (0, 0)
}

#[test]
fn a_new_snapshot_linked_to_the_one_before_makes_its_files_shared() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut h, cache) = scanned(tmp.path());
    let before = sized(&scan_events(&h.library(), None));
    // The files the newest snapshot changed had one link; the next snapshot links to them.
    let prev = h.snaps[2].clone();
    let dir = h.root.join("Versions/snap3");
    h.write_snapshot_of(&prev, &dir, 3);
    h.snaps.push(dir.clone());
    let lib = h.library();
    assert_eq!(walked(&lib, &cache), [dir]);
    let after = assert_exact(&lib, &cache);
    assert!(after[&prev].unique_bytes < before[&prev].unique_bytes);
    assert!(after[&prev].shared.len() > before[&prev].shared.len());
}

#[test]
fn a_deleted_snapshot_frees_links_in_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut h, cache) = scanned(tmp.path());
    let before = sized(&scan_events(&h.library(), None));
    let gone = h.snaps.remove(1);
    std::fs::remove_dir_all(&gone).unwrap();
    let lib = h.library();
    assert_eq!(walked(&lib, &cache), Vec::<PathBuf>::new());
    let after = assert_exact(&lib, &cache);
    let live = h.live();
    assert!(links(&after[&live]) < links(&before[&live]));
    assert_eq!(after[&live].unique_bytes, before[&live].unique_bytes);
    // With the next one gone too, the files only the first snapshot changed have no other
    // link left: they become unique to the live backup, which was never walked again.
    let gone = h.snaps.remove(1);
    std::fs::remove_dir_all(&gone).unwrap();
    let lib = h.library();
    assert_eq!(walked(&lib, &cache), Vec::<PathBuf>::new());
    let last = assert_exact(&lib, &cache);
    assert!(last[&live].unique_bytes > after[&live].unique_bytes);
    assert!(last[&live].shared.len() < after[&live].shared.len());
}

#[test]
fn a_changed_live_backup_is_walked_and_snapshots_follow() {
    let tmp = tempfile::tempdir().unwrap();
    let (h, cache) = scanned(tmp.path());
    // Replace some content files of the live backup as a backup does: a new file renamed
    // over the old one (the snapshots keep the old inode, now with one link fewer).
    let live = h.live();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&live)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .flat_map(|d| std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()))
        .collect();
    files.sort();
    for f in files.iter().step_by(3) {
        let tmp_file = f.with_extension("new");
        std::fs::write(&tmp_file, b"replaced by the next backup").unwrap();
        std::fs::rename(&tmp_file, f).unwrap();
    }
    let lib = h.library();
    assert_eq!(walked(&lib, &cache), std::slice::from_ref(&live));
    assert_exact(&lib, &cache);
}

#[test]
fn a_version_replaced_under_the_same_name_is_walked() {
    let tmp = tempfile::tempdir().unwrap();
    let (h, cache) = scanned(tmp.path());
    let old = h.snaps[2].clone();
    std::fs::remove_dir_all(&old).unwrap();
    h.write_snapshot(&old, 7);
    let lib = h.library();
    assert_eq!(walked(&lib, &cache), [old]);
    assert_exact(&lib, &cache);
}

#[test]
fn a_cache_from_another_machine_is_ignored_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let (h, cache) = scanned(tmp.path());
    // The machine's id sits after the magic (8 bytes) and the format (4).
    let mut bytes = std::fs::read(&cache).unwrap();
    for b in &mut bytes[12..20] {
        *b ^= 0x5A;
    }
    std::fs::write(&cache, &bytes).unwrap();
    let lib = h.library();
    assert_eq!(walked(&lib, &cache).len(), 4);
    let events = scan_events(&lib, Some(&cache));
    let note = events.iter().find_map(|e| match e {
        ScanEvent::Note(n) => Some(n.clone()),
        _ => None,
    });
    assert!(
        note.as_deref()
            .is_some_and(|n| n.contains("another machine")),
        "{note:?}"
    );
    assert!(!events.iter().any(|e| matches!(e, ScanEvent::Cached { .. })));
    // The scan rewrote it for this machine: the next one walks nothing.
    assert_eq!(walked(&lib, &cache), Vec::<PathBuf>::new());
    assert_exact(&lib, &cache);
}

#[test]
fn a_cancelled_scan_leaves_a_cache_that_walks_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let h = History::new(&tmp.path().join("root"), 2);
    let cache = tmp.path().join("sizes.bin");
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let options = ScanOptions {
        cache: Some(cache.clone()),
        threads: 2,
        simulated_disks: None,
    };
    scan::run(&h.library(), &options, &|_| {}, &cancel);
    assert!(!SizeCache::load(&cache).complete());
    assert_eq!(walked(&h.library(), &cache).len(), 3);
    assert_exact(&h.library(), &cache);
}

/// Two roots' versions in one library.
fn both(a: &History, b: &History) -> Library {
    let (mut lib, other) = (a.library(), b.library());
    lib.roots.extend(other.roots);
    lib.devices.extend(other.devices);
    lib
}

#[test]
fn a_root_left_out_of_a_scan_stays_in_the_cache_and_exact() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = History::new(&tmp.path().join("a"), 1);
    let b = History::new(&tmp.path().join("b"), 2);
    let cache = tmp.path().join("cache/sizes.bin");
    assert_exact(&both(&a, &b), &cache);
    // A scan of root a alone, after a new snapshot there: b's entries are carried over.
    a.add_snapshot("snap1", 1);
    assert_eq!(walked(&a.library(), &cache), [a.snaps[1].clone()]);
    assert_exact(&a.library(), &cache);
    let lib = both(&a, &b);
    assert_eq!(walked(&lib, &cache), Vec::<PathBuf>::new());
    assert_exact(&lib, &cache);
}
