//! build_demo: the whole library, its layout, its states, and its determinism.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use backtop::demo::{build_demo, DemoLibrary, DemoOptions, METADATA_FILES};
use plist::Value;

use super::{read, s};

fn now() -> time::OffsetDateTime {
    time::macros::datetime!(2025-06-15 10:30:00 UTC)
}

fn build(dir: &Path, seed: u64) -> DemoLibrary {
    let opts = DemoOptions {
        seed,
        scale: 0.005,
        now: Some(now()),
        ..DemoOptions::default()
    };
    build_demo(dir, &opts).unwrap()
}

/// Every file under `dir`: relative path → length, plus the bytes of metadata files.
fn listing(dir: &Path) -> BTreeMap<PathBuf, (u64, Option<Vec<u8>>)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.file_name().to_string_lossy();
            let meta = name.contains('.') && !name.ends_with(".plist") || name.ends_with(".plist");
            let bytes = meta.then(|| std::fs::read(e.path()).unwrap());
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, (e.metadata().unwrap().len(), bytes))
        })
        .collect()
}

#[test]
fn same_seed_and_now_give_the_same_library() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build(a.path(), 7);
    build(b.path(), 7);
    let (la, lb) = (listing(a.path()), listing(b.path()));
    assert!(la.len() > 2000, "{}", la.len());
    assert!(la == lb, "two builds with seed 7 differ");
}

fn content_files(dir: &Path) -> Vec<walkdir::DirEntry> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != "Snapshot")
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !METADATA_FILES.iter().any(|m| e.file_name() == *m))
        .collect()
}

/// One library, checked from several sides (building it is the slow part).
#[test]
fn demo_library_has_every_kind_of_version() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = build(tmp.path(), 1);
    layout_and_figures(&lib);
    special_versions(&lib);
    #[cfg(unix)]
    snapshots_share_inodes_with_the_live_backup(&lib);
}

fn layout_and_figures(lib: &DemoLibrary) {
    let home = lib.home.as_path();
    assert_eq!(
        lib.roots,
        [
            home.join("Library/Application Support/MobileSync/Backup"),
            home.join("Library/Application Support/iMazing/Backups"),
            home.join("Volumes/Backup Drive/iMazing.Backups"),
        ]
    );
    assert_eq!(lib.versions.len(), 12);
    let devices: Vec<(&str, &str, Vec<usize>)> = lib
        .devices
        .iter()
        .map(|d| (d.name.as_str(), d.product_type.as_str(), d.versions.clone()))
        .collect();
    assert_eq!(
        devices,
        [
            ("Anna's iPhone", "iPhone15,2", vec![0, 1, 2, 3, 4, 5]),
            ("Anna's iPad", "iPad13,16", vec![6, 7]),
            ("Anna's old iPhone", "iPhone12,1", vec![8, 9, 10]),
            ("Dad's iPhone 6", "iPhone7,2", vec![11]),
        ]
    );
    for v in &lib.versions {
        let files = content_files(&v.path);
        assert_eq!(files.len() as u64, v.files, "{}", v.path.display());
        let bytes: u64 = files.iter().map(|e| e.metadata().unwrap().len()).sum();
        assert_eq!(bytes, v.content_bytes, "{}", v.path.display());
        let meta: u64 = METADATA_FILES
            .iter()
            .filter_map(|m| std::fs::metadata(v.path.join(m)).ok())
            .map(|m| m.len())
            .sum();
        assert_eq!(meta, v.metadata_bytes, "{}", v.path.display());
    }
    // Every kind of version, named as the apps name them.
    let names: Vec<String> = lib
        .versions
        .iter()
        .map(|v| {
            v.path
                .strip_prefix(home)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let finder = "Library/Application Support/MobileSync/Backup/";
    let main = names[0].strip_prefix(finder).unwrap();
    assert_eq!(main.len(), 25, "8hex-16hex UDID: {main}");
    assert!(
        names[1].starts_with(&format!("{finder}{main}-2025031")),
        "{}",
        names[1]
    );
    assert!(names
        .iter()
        .any(|n| n.ends_with("iPhone 11 before trade-in")));
    let ios9 = names[11].strip_prefix(finder).unwrap();
    assert_eq!(ios9.len(), 40);
    // The main iPhone is life-size with photos dominant.
    let live = &lib.versions[2];
    assert!(
        (55e9..65e9).contains(&(live.content_bytes as f64)),
        "{}",
        live.content_bytes
    );
    assert_eq!(
        s(
            &read(&lib.versions[0].path.join("Info.plist")),
            "Device Name"
        ),
        "Anna's iPhone"
    );
}

fn special_versions(lib: &DemoLibrary) {
    let v = |i: usize| lib.versions[i].path.clone();
    // iPad: encrypted, and an interrupted iMazing backup with old mtimes.
    let ipad_db = std::fs::read(v(6).join("Manifest.db")).unwrap();
    assert!(!ipad_db.starts_with(b"SQLite format 3\0"));
    assert_eq!(
        read(&v(6).join("Manifest.plist"))["IsEncrypted"].as_boolean(),
        Some(true)
    );
    assert_eq!(
        s(&read(&v(7).join("Status.plist")), "SnapshotState"),
        "uploading"
    );
    let mtime = std::fs::metadata(v(7)).unwrap().modified().unwrap();
    let want = std::time::SystemTime::from(now() - time::Duration::hours(5 * 24 + 1 + 72));
    assert_eq!(mtime, want);
    // Old iPhone: the older archive's Info.plist is truncated.
    assert!(Value::from_file(v(9).join("Info.plist")).is_err());
    assert!(Value::from_file(v(8).join("Info.plist")).is_ok());
    // iOS 9: Manifest.mbdb and flat contents.
    assert!(v(11).join("Manifest.mbdb").is_file());
    assert!(!v(11).join("Manifest.db").exists());
    assert_eq!(
        s(&read(&v(11).join("Info.plist")), "Product Version"),
        "9.3.5"
    );
    // The main iPhone's live backups list realistic domains.
    let conn = rusqlite::Connection::open(v(2).join("Manifest.db")).unwrap();
    for domain in [
        "CameraRollDomain",
        "HomeDomain",
        "MediaDomain",
        "AppDomainGroup-group.net.whatsapp.WhatsApp.shared",
        "AppDomain-com.spotify.client",
        "AppDomainGroup-group.com.apple.FileProvider.LocalStorage",
        "SystemPreferencesDomain",
    ] {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM Files WHERE domain = ?1",
                [domain],
                |r| r.get(0),
            )
            .unwrap();
        assert!(n > 0, "{domain}");
    }
    // It is not encrypted, so it holds no Health, Keychain or Home data, no call history and
    // no Safari history, as iOS writes them only into encrypted backups (FORMAT.md §5).
    let only_encrypted: i64 = conn
        .query_row(
            "SELECT count(*) FROM Files WHERE domain IN ('HealthDomain', 'KeychainDomain', \
             'HomeKitDomain') OR relativePath LIKE 'Library/CallHistoryDB/%' \
             OR relativePath = 'Library/Safari/History.db'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(only_encrypted, 0);
    let info = read(&v(2).join("Info.plist"));
    let apps = info["Applications"].as_dictionary().unwrap();
    assert!(apps.contains_key("com.spotify.client"));
}

#[cfg(unix)]
fn snapshots_share_inodes_with_the_live_backup(lib: &DemoLibrary) {
    use std::os::unix::fs::MetadataExt;
    let live = &lib.versions[2].path;
    let device_dir = live
        .parent()
        .unwrap()
        .join("iMazing.Versions/Versions")
        .join(live.file_name().unwrap());
    let conn = rusqlite::Connection::open(device_dir.join("Versions.db")).unwrap();
    let mut st = conn
        .prepare("SELECT name FROM Versions ORDER BY id")
        .unwrap();
    let names: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(names, ["2025-04-29-08.30.00", "2025-05-30-03.30.00"]);
    for (i, name) in names.iter().enumerate() {
        let snap = device_dir.join(name);
        assert_eq!(snap, lib.versions[3 + i].path);
        let (mut shared, mut own) = (0, 0);
        for e in content_files(&snap) {
            let rel = e.path().strip_prefix(&snap).unwrap();
            let m = e.metadata().unwrap();
            match std::fs::metadata(live.join(rel)) {
                Ok(l) if l.ino() == m.ino() => {
                    assert!((2..=3).contains(&m.nlink()), "{}", rel.display());
                    shared += 1;
                }
                _ => {
                    assert_eq!(m.nlink(), 1);
                    own += 1;
                }
            }
        }
        assert!(
            shared > 150 && own > 6 && own < 40,
            "{shared} shared, {own} own"
        );
    }
}
