//! The scan worker and its cache: events in order, cache hits shown first, a changed version
//! missing the cache, a corrupt cache ignored with a note and rewritten, cached categories reused only
//! when the fresh walk agrees, cancellation.

use crate::support::scan_fixtures;

use std::collections::BTreeMap;
use std::fs::{File, FileTimes};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, SystemTime};

use backtop::demo::{write_backup, write_imazing_snapshot, FileSpec};
use backtop::library::category::Category;
use backtop::library::usage::{size_version, totals_in, Measure, SizeControl, VersionUsage};
use backtop::library::{Library, VersionKind};
use backtop::scan::{self, ScanEvent, ScanOptions};
use scan_fixtures::{library_of, size, sized, spec, version_of};

/// A live backup and one snapshot hard-linked to it.
fn fixture(root: &Path) -> Library {
    let live_spec = spec(1000, 2000, 3000);
    let live = write_backup(&root.join("live"), &live_spec).unwrap();
    let changed = [FileSpec::new(
        "CameraRollDomain",
        "Media/DCIM/100APPLE/IMG_0001.HEIC",
        500,
    )];
    let snap =
        write_imazing_snapshot(&live.path, &root.join("snap"), &live_spec, &changed).unwrap();
    library_of(
        root,
        vec![
            version_of(&live, &live_spec, root, VersionKind::Live),
            version_of(&snap, &live_spec, root, VersionKind::ImazingSnapshot),
        ],
    )
}

fn scan_events(library: &Library, cache: Option<PathBuf>) -> Vec<ScanEvent> {
    let handle = scan::start(
        library.clone(),
        ScanOptions {
            cache,
            threads: 2,
            simulated_disks: None,
        },
    );
    handle.events.iter().collect()
}

fn cached(events: &[ScanEvent]) -> BTreeMap<PathBuf, VersionUsage> {
    events
        .iter()
        .filter_map(|e| match e {
            ScanEvent::Cached { path, usage } => Some((path.clone(), usage.clone())),
            _ => None,
        })
        .collect()
}

fn without_shared(u: &VersionUsage) -> VersionUsage {
    VersionUsage {
        shared: Vec::new(),
        ..u.clone()
    }
}

#[test]
fn a_relaunch_shows_cached_figures_first_then_fresh_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = fixture(&tmp.path().join("root"));
    let cache = tmp.path().join("cache/backtop/sizes.bin");

    let first = scan_events(&lib, Some(cache.clone()));
    assert!(cached(&first).is_empty());
    let fresh = sized(&first);
    assert_eq!(fresh.len(), 2);
    assert!(matches!(
        first.last(),
        Some(ScanEvent::Finished {
            cancelled: false,
            ..
        })
    ));
    let ScanEvent::Volumes(vols) = &first[first.len() - 2] else {
        panic!("Volumes before Finished: {:?}", first[first.len() - 2]);
    };
    // A volume's backups are its disk usage (allocated blocks, each inode once), the figure
    // its used space counts (issue 14 item 8).
    let total: u64 = {
        let all: Vec<&VersionUsage> = fresh.values().collect();
        totals_in(&all, Measure::Disk).bytes
    };
    assert_eq!((vols.len(), vols[0].backup_bytes), (1, total));
    assert!(
        fresh
            .values()
            .all(|u| u.allocated_bytes > 0 && u.unique_allocated > 0),
        "{fresh:?}"
    );
    assert!(cache.is_file());

    let second = scan_events(&lib, Some(cache.clone()));
    assert!(matches!(second[0], ScanEvent::Cached { .. }));
    assert!(matches!(second[1], ScanEvent::Cached { .. }));
    let hits = cached(&second);
    assert_eq!(hits.len(), 2);
    // The cached figures are the last scan's, hard-linked inodes included: totals over them
    // count each inode once from the first frame (issue 14 item 7: a relaunch showed 777.2 MB,
    // then 683.2, then 599.0 MB on a 599 MB library).
    for (path, usage) in &fresh {
        assert_eq!(&hits[path], usage);
    }
    let cached_all: Vec<&VersionUsage> = hits.values().collect();
    assert_eq!(
        backtop::library::usage::library_totals(&cached_all),
        backtop::library::usage::library_totals(&fresh.values().collect::<Vec<_>>())
    );
    assert!(
        hits.values().any(|u| !u.shared.is_empty()),
        "the fixture shares inodes"
    );
    assert_eq!(sized(&second), fresh);
}

#[test]
fn touching_status_plist_misses_the_cache_for_that_version_only() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = fixture(&tmp.path().join("root"));
    let cache = tmp.path().join("sizes.bin");
    scan_events(&lib, Some(cache.clone()));
    let live = &lib.devices[0].versions[0].path;
    set_mtime(&live.join("Status.plist"), 3600);
    let hits = cached(&scan_events(&lib, Some(cache)));
    let snap = &lib.devices[0].versions[1].path;
    assert_eq!(hits.keys().collect::<Vec<_>>(), [snap]);
}

#[test]
fn a_corrupt_cache_is_ignored_with_a_note_and_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = fixture(&tmp.path().join("root"));
    let cache = tmp.path().join("sizes.bin");
    std::fs::write(&cache, b"{\"format\": 1, \"entries\": {\"/x\": [1, 2").unwrap();
    let first = scan_events(&lib, Some(cache.clone()));
    assert!(cached(&first).is_empty());
    assert_eq!(sized(&first).len(), 2);
    let notes: Vec<&String> = first
        .iter()
        .filter_map(|e| match e {
            ScanEvent::Note(n) => Some(n),
            _ => None,
        })
        .collect();
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].contains("not a backtop size cache"),
        "{}",
        notes[0]
    );
    assert_eq!(scan::cache::SizeCache::load(&cache).len(), 2);
    let second = scan_events(&lib, Some(cache));
    assert_eq!(cached(&second).len(), 2);
    assert!(!second.iter().any(|e| matches!(e, ScanEvent::Note(_))));
}

#[test]
fn no_cache_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = fixture(&tmp.path().join("root"));
    let events = scan_events(&lib, None);
    assert_eq!(sized(&events).len(), 2);
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["root"]);
}

#[test]
fn a_vanished_version_fails_and_the_others_are_sized() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = fixture(&tmp.path().join("root"));
    let snap = lib.devices[0].versions[1].path.clone();
    std::fs::remove_dir_all(&snap).unwrap();
    let events = scan_events(&lib, None);
    let failed: Vec<&PathBuf> = events
        .iter()
        .filter_map(|e| match e {
            ScanEvent::Failed { path, .. } => Some(path),
            _ => None,
        })
        .collect();
    assert_eq!(failed, [&snap]);
    assert_eq!(sized(&events).len(), 1);
}

#[test]
fn cached_categories_are_reused_only_when_the_walk_agrees() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = fixture(&tmp.path().join("root"));
    let v = &lib.devices[0].versions[0];
    let real = size(v);
    let cancel = AtomicBool::new(false);
    let progress = |_: u64, _: u64| {};
    // Same files and bytes: the cached breakdown is kept (the manifest is not read).
    let mut old = without_shared(&real);
    old.categories = BTreeMap::from([(Category::Notes, real.bytes)]);
    let ctl = SizeControl {
        reuse: Some(&old),
        ..SizeControl::new(&cancel, &progress)
    };
    let got = size_version(v, &ctl).unwrap().unwrap();
    assert_eq!(got.categories, old.categories);
    assert_eq!(
        (got.bytes, got.unique_bytes, got.shared.len()),
        (real.bytes, real.unique_bytes, 2)
    );
    // Different bytes: sized again from the manifest.
    old.bytes += 1;
    let ctl = SizeControl {
        reuse: Some(&old),
        ..SizeControl::new(&cancel, &progress)
    };
    assert_eq!(size_version(v, &ctl).unwrap().unwrap(), real);
}

#[test]
fn cancelling_stops_the_scan_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let mut versions = Vec::new();
    for i in 0..3 {
        let mut sp = spec(1, 1, 1);
        sp.sparse = true;
        sp.files = (0..4000)
            .map(|n| FileSpec::new("HomeDomain", &format!("Library/{i}/f{n}"), 1))
            .collect();
        let w = write_backup(&root.join(format!("v{i}")), &sp).unwrap();
        versions.push(version_of(&w, &sp, &root, VersionKind::Archive));
    }
    let handle = scan::start(
        library_of(&root, versions),
        ScanOptions {
            cache: None,
            threads: 2,
            simulated_disks: None,
        },
    );
    let mut events = Vec::new();
    for e in handle.events.iter() {
        if matches!(e, ScanEvent::Progress { .. }) {
            handle.cancel();
        }
        events.push(e);
    }
    assert!(matches!(
        events.last(),
        Some(ScanEvent::Finished {
            cancelled: true,
            ..
        })
    ));
    assert!(!events.iter().any(|e| matches!(e, ScanEvent::Volumes(_))));
    assert!(sized(&events).len() < 3);
}

#[test]
fn du_json_lists_every_category_and_counts_shared_inodes_once() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = fixture(&tmp.path().join("root"));
    let mut results = scan::ScanResults::default();
    for e in scan_events(&lib, None) {
        results.apply(&e);
    }
    let json = backtop::commands::du::to_json(&lib, &results);
    let dev = &json["devices"][0];
    let live = &dev["versions"][0];
    let cats = live["categories"].as_object().unwrap();
    assert_eq!(cats.len(), Category::ALL.len());
    assert_eq!(cats["whatsapp"], 0);
    assert_eq!(cats["photos"], 1000);
    let sum: u64 = cats.values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(live["bytes"].as_u64(), Some(sum));
    assert_eq!(live["top_apps"][0]["bundle_id"], "com.spotify.client");
    assert_eq!(live["top_apps"][0]["name"], "Spotify");
    let (lb, sb) = (
        live["bytes"].as_u64().unwrap(),
        dev["versions"][1]["bytes"].as_u64().unwrap(),
    );
    // 5000 bytes (app + settings) are hard-linked into both versions: counted once.
    assert_eq!(dev["totals"]["bytes"].as_u64(), Some(lb + sb - 5000));
    assert_eq!(json["totals"], dev["totals"]);
    let disk = {
        let all: Vec<&VersionUsage> = results.sized.values().collect();
        totals_in(&all, Measure::Disk).bytes
    };
    assert_eq!(
        json["volumes"][0]["backup_bytes"], disk,
        "disk usage, inodes once"
    );
    assert_eq!(dev["next_backup_fits"], true);
    assert_eq!(live["error"], serde_json::Value::Null);
    let text = backtop::commands::du::render_text(&lib, &results, &jiff::tz::TimeZone::UTC);
    assert!(
        text.starts_with(&format!(
            "Anna's iPhone ({})\n  live [live, complete, 2024-06-01 12:00 UTC]: ",
            scan_fixtures::UDID
        )),
        "{text}"
    );
}

fn set_mtime(path: &Path, secs_ahead: u64) {
    let later = SystemTime::now() + Duration::from_secs(secs_ahead);
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_times(FileTimes::new().set_modified(later))
        .unwrap();
}

#[test]
fn categories_serve_again_while_the_manifest_file_is_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = fixture(&tmp.path().join("root"));
    let cache = tmp.path().join("sizes.bin");
    let fresh = sized(&scan_events(&lib, Some(cache.clone())));
    let live = lib.devices[0].versions[0].path.clone();
    // Mark the cached breakdown of the live version, so its reuse shows.
    let mut stored = scan::cache::SizeCache::load(&cache);
    let bytes = fresh[&live].bytes;
    stored.usage_mut(&live).unwrap().categories = BTreeMap::from([(Category::Notes, bytes)]);
    stored.save(&cache).unwrap();

    // Status.plist changed: no instant figures, but the manifest is the same file.
    set_mtime(&live.join("Status.plist"), 3600);
    let events = scan_events(&lib, Some(cache.clone()));
    assert!(!cached(&events).contains_key(&live));
    let notes = BTreeMap::from([(Category::Notes, bytes)]);
    assert_eq!(sized(&events)[&live].categories, notes);

    // Manifest.db changed: read again, real categories.
    set_mtime(&live.join("Manifest.db"), 7200);
    let events = scan_events(&lib, Some(cache));
    assert_eq!(sized(&events)[&live].categories, fresh[&live].categories);
}

/// `--demo`'s volumes: a root in the drive's folder is on the simulated external drive, with
/// the demo's figures and the bytes the scan sized, not on the temporary folder's real volume.
#[test]
fn simulated_disks_replace_the_real_volumes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp
        .path()
        .join(backtop::demo::DRIVE_FOLDER)
        .join("iMazing.Backups");
    let library = fixture(&root);
    let handle = scan::start(
        library,
        ScanOptions {
            cache: None,
            threads: 2,
            simulated_disks: Some(backtop::demo::simulated_disks(tmp.path())),
        },
    );
    let events: Vec<ScanEvent> = handle.events.iter().collect();
    let sized: Vec<&VersionUsage> = events
        .iter()
        .filter_map(|e| match e {
            ScanEvent::Sized { usage, .. } => Some(usage),
            _ => None,
        })
        .collect();
    let volumes = events.iter().find_map(|e| match e {
        ScanEvent::Volumes(v) => Some(v.clone()),
        _ => None,
    });
    let drive = tmp.path().join(backtop::demo::DRIVE_FOLDER);
    let seen: Vec<(PathBuf, u64, u64, u64, Vec<PathBuf>)> = volumes
        .unwrap_or_default()
        .into_iter()
        .map(|v| (v.path, v.total, v.free, v.backup_bytes, v.roots))
        .collect();
    assert_eq!(
        seen,
        vec![(
            drive,
            backtop::demo::DRIVE_TOTAL,
            backtop::demo::DRIVE_FREE,
            backtop::library::usage::library_totals(&sized).bytes,
            vec![root],
        )]
    );
}
