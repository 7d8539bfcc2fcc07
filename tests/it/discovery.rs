//! Discovery: every kind of version folder in a root, both plist encodings, what is skipped,
//! grouping into devices across roots, and the roots' statuses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use backtop::demo::{write_backup, write_imazing_snapshot, BackupSpec, FileSpec, PlistEncoding};
use backtop::library::device::group;
use backtop::library::discover::{discover_library, versions_in_root};
use backtop::library::read_version::read_version;
use backtop::library::{
    BackupState, DateSource, ManifestFormat, Root, RootOrigin, RootStatus, Version, VersionKind,
};
use time::macros::datetime;
use time::OffsetDateTime;

const UDID: &str = "00008110-001A2B3C4D5E6F70";
const OLD_UDID: &str = "0123456789ABCDEF0123456789ABCDEF01234567";
/// The demo spec's default date; finished backups do not depend on `now`.
const NOW: OffsetDateTime = datetime!(2024-06-01 12:00 UTC);

fn spec() -> BackupSpec {
    let mut s = BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2");
    s.files = vec![FileSpec::new("HomeDomain", "Library/SMS/sms.db", 1000)];
    s.apps = vec![("net.whatsapp.WhatsApp".into(), "WhatsApp".into())];
    s
}

fn root(path: &Path) -> Root {
    Root {
        path: path.to_path_buf(),
        origin: RootOrigin::Flag,
        owner: Some("anna".into()),
        app: "test",
    }
}

fn write(dir: &Path, spec: &BackupSpec) -> PathBuf {
    write_backup(dir, spec).unwrap();
    dir.to_path_buf()
}

/// The versions of a root as (folder path relative to the root, kind, state).
fn found(root_dir: &Path) -> Vec<(String, VersionKind, BackupState)> {
    let (versions, count) = versions_in_root(&root(root_dir), NOW);
    assert_eq!(count.unwrap(), versions.len());
    versions
        .iter()
        .map(|v| {
            let rel = v.path.strip_prefix(root_dir).unwrap();
            (rel.to_string_lossy().into_owned(), v.kind, v.state)
        })
        .collect()
}

#[test]
fn a_live_backup_fills_every_field_in_both_encodings() {
    for encoding in [PlistEncoding::Xml, PlistEncoding::Binary] {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = spec();
        s.encoding = encoding;
        let path = write(&tmp.path().join(UDID), &s);
        let (versions, count) = versions_in_root(&root(tmp.path()), NOW);
        assert_eq!(count.unwrap(), 1);
        let v = &versions[0];
        let expected = Version {
            path: path.clone(),
            root: tmp.path().to_path_buf(),
            folder_name: UDID.to_string(),
            udid: Some(UDID.to_string()),
            kind: VersionKind::Live,
            device_name: Some("Anna's iPhone".into()),
            product_type: Some("iPhone15,2".into()),
            ios: Some("17.5".into()),
            build: Some("21F79".into()),
            serial: Some(s.serial.clone()),
            date: Some(datetime!(2024-06-01 12:00 UTC)),
            date_source: DateSource::StatusPlist,
            encrypted: false,
            state: BackupState::Complete,
            problem: None,
            owner: Some("anna".into()),
            manifest: ManifestFormat::Db,
            apps: BTreeMap::from([("net.whatsapp.WhatsApp".into(), "WhatsApp".into())]),
        };
        assert_eq!(v, &expected, "{encoding:?}");
    }
}

#[test]
fn encrypted_and_mbdb_backups_are_complete() {
    let tmp = tempfile::tempdir().unwrap();
    let mut enc = spec();
    enc.encrypted = true;
    enc.encoding = PlistEncoding::Binary;
    let enc_path = write(&tmp.path().join("enc"), &enc);
    let v = read_version(&enc_path, tmp.path(), VersionKind::Live, NOW);
    assert_eq!(
        (v.encrypted, v.state, v.problem),
        (true, BackupState::Complete, None)
    );
    assert_eq!(v.manifest, ManifestFormat::Db);

    let mut old = BackupSpec::new(OLD_UDID, "Old iPhone", "iPhone7,2");
    old.ios = "9.3.5".into();
    old.format = ManifestFormat::Mbdb;
    // A Manifest.mbdb with no record at all is damaged; a real one lists at least one file.
    old.files = vec![FileSpec::new("HomeDomain", "Library/SMS/sms.db", 5)];
    let old_path = write(&tmp.path().join("old"), &old);
    let v = read_version(&old_path, tmp.path(), VersionKind::Live, NOW);
    assert_eq!((v.state, v.problem), (BackupState::Complete, None));
    assert_eq!(v.manifest, ManifestFormat::Mbdb);
    assert_eq!(v.ios.as_deref(), Some("9.3.5"));
}

#[test]
fn kinds_follow_names_and_places() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    let lower = UDID.to_lowercase();
    write(&r.join(&lower), &spec());
    write(&r.join(format!("{UDID}-20240115-093000")), &spec());
    write(&r.join("iPhone 14 Pro-2024-01-15"), &spec());
    write(&r.join("Old backups").join(UDID), &spec());
    write(&r.join("Old backups").join("copy"), &spec());
    // Two levels down is not looked at.
    write(&r.join("Deep").join("a").join(UDID), &spec());
    let expected = vec![
        (
            format!("{UDID}-20240115-093000"),
            VersionKind::Archive,
            BackupState::Complete,
        ),
        (lower.clone(), VersionKind::Live, BackupState::Complete),
        (
            "Old backups/00008110-001A2B3C4D5E6F70".into(),
            VersionKind::Archive,
            BackupState::Complete,
        ),
        (
            "Old backups/copy".into(),
            VersionKind::Archive,
            BackupState::Complete,
        ),
        (
            "iPhone 14 Pro-2024-01-15".into(),
            VersionKind::Archive,
            BackupState::Complete,
        ),
    ];
    assert_eq!(found(r), expected);
    let (versions, _) = versions_in_root(&root(r), NOW);
    for v in &versions {
        assert_eq!(v.udid.as_deref(), Some(UDID), "{}", v.path.display());
    }
    assert_eq!(versions[4].folder_name, "iPhone 14 Pro-2024-01-15");
}

#[test]
fn imazing_snapshots_are_found_and_dated() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    let live = write(&r.join(UDID), &spec());
    let device_dir = r.join("iMazing.Versions").join("Versions").join(UDID);
    let mut older = spec();
    older.date = datetime!(2024-05-02 18:04:59 UTC);
    older.ios = "17.4".into();
    let snap = device_dir.join("2024-05-02-18.04.59");
    write_imazing_snapshot(&live, &snap, &older, &[]).unwrap();
    // A snapshot whose plists are gone: UDID from the parent, date from the name.
    let bare = device_dir.join("2024-04-01-08.00.00");
    write_imazing_snapshot(&live, &bare, &older, &[]).unwrap();
    for name in ["Info.plist", "Manifest.plist", "Status.plist"] {
        std::fs::remove_file(bare.join(name)).unwrap();
    }
    std::fs::write(device_dir.join("Versions.db"), b"x").unwrap();
    std::fs::write(r.join("iMazing.Versions").join("Readme.txt"), b"x").unwrap();

    let (versions, count) = versions_in_root(&root(r), NOW);
    assert_eq!(count.unwrap(), 3);
    let rel: Vec<_> = versions
        .iter()
        .map(|v| v.path.strip_prefix(r).unwrap())
        .collect();
    assert_eq!(rel[0], Path::new(UDID));
    let (s1, s2) = (&versions[1], &versions[2]);
    assert_eq!(s1.path, bare);
    assert_eq!(s2.path, snap);
    assert_eq!(s2.kind, VersionKind::ImazingSnapshot);
    assert_eq!(
        (s2.state, s2.ios.as_deref()),
        (BackupState::Complete, Some("17.4"))
    );
    assert_eq!(s2.date, Some(datetime!(2024-05-02 18:04:59 UTC)));
    assert_eq!(s1.kind, VersionKind::ImazingSnapshot);
    assert_eq!(s1.udid.as_deref(), Some(UDID));
    assert_eq!(s1.date, Some(datetime!(2024-04-01 08:00:00 UTC)));
    assert_eq!(s1.date_source, DateSource::FolderName);
    assert_eq!(s1.state, BackupState::Damaged);
    assert_eq!(
        s1.problem.as_deref(),
        Some("Info.plist is missing; Manifest.plist is missing; Status.plist is missing")
    );
}

#[test]
fn archive_dates_fall_back_to_the_folder_name() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(&tmp.path().join(format!("{UDID}-20240115-093000")), &spec());
    std::fs::remove_file(dir.join("Status.plist")).unwrap();
    std::fs::remove_file(dir.join("Manifest.plist")).unwrap();
    std::fs::remove_file(dir.join("Info.plist")).unwrap();
    let v = read_version(&dir, tmp.path(), VersionKind::Archive, NOW);
    assert_eq!(v.date, Some(datetime!(2024-01-15 09:30:00 UTC)));
    assert_eq!(v.date_source, DateSource::FolderName);
    assert_eq!(v.udid.as_deref(), Some(UDID));
}

#[test]
fn skips_what_is_not_a_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    write(&r.join(UDID), &spec());
    write(&r.join("_unback_").join(UDID), &spec());
    write(&r.join("_unback_x"), &spec()); // only the exact name is skipped
    write(&r.join(".backtop-deleting-1234"), &spec());
    write(&r.join(".hidden"), &spec());
    std::fs::write(r.join(".DS_Store"), b"junk").unwrap();
    std::fs::write(r.join("notes.txt"), b"junk").unwrap();
    std::fs::create_dir(r.join("Empty")).unwrap();
    std::fs::create_dir_all(r.join("iMazing.Versions").join("Blueprints")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(r.join(UDID), r.join("link-to-backup")).unwrap();
    let names: Vec<String> = found(r).into_iter().map(|(name, _, _)| name).collect();
    assert_eq!(names, vec![UDID.to_string(), "_unback_x".to_string()]);
}

#[cfg(unix)]
#[test]
fn a_symlinked_root_is_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    write(&real.join(UDID), &spec());
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let (versions, count) = versions_in_root(&root(&link), NOW);
    assert_eq!(count.unwrap(), 1);
    assert_eq!(versions[0].path, link.join(UDID));
    assert_eq!(versions[0].state, BackupState::Complete);
}

#[test]
fn devices_group_across_roots_case_insensitively() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("finder"), tmp.path().join("imazing"));
    write(&a.join(UDID.to_lowercase()), &spec());
    let mut older = spec();
    older.date = datetime!(2023-12-24 10:00 UTC);
    older.ios = "17.2".into();
    write(&b.join(format!("{UDID}-20231224-100000")), &older);
    let mut ipad = BackupSpec::new(OLD_UDID, "Ben's iPad", "iPad13,16");
    ipad.ios = "16.1".into();
    write(&b.join(OLD_UDID), &ipad);

    let roots = [root(&a), root(&b), root(&a)]; // a root listed twice counts once
    let library = discover_library(&roots, NOW);
    let statuses: Vec<_> = library.roots.iter().map(|r| r.status.clone()).collect();
    let ok = |backups| RootStatus::Ok { backups };
    assert_eq!(statuses, vec![ok(1), ok(2), ok(1)]);
    assert!(library.damaged.is_empty());
    let names: Vec<_> = library.devices.iter().map(|d| d.display_name()).collect();
    assert_eq!(names, vec!["Anna's iPhone", "Ben's iPad"]);
    let anna = &library.devices[0];
    assert_eq!(anna.udid, UDID);
    assert_eq!(anna.model.as_deref(), Some("iPhone 14 Pro"));
    assert_eq!(anna.ios.as_deref(), Some("17.5"));
    let dates: Vec<_> = anna.versions.iter().map(|v| v.date.unwrap()).collect();
    assert_eq!(
        dates,
        vec![
            datetime!(2024-06-01 12:00 UTC),
            datetime!(2023-12-24 10:00 UTC)
        ]
    );
    assert_eq!(anna.versions[0].root, a);
    assert_eq!(anna.versions[1].root, b);
    assert_eq!(
        library.devices[1].model.as_deref(),
        Some("iPad Air (5th generation)")
    );
}

fn version(
    udid: Option<&str>,
    name: &str,
    date: Option<OffsetDateTime>,
    state: BackupState,
) -> Version {
    let mut v = Version::bare(
        Path::new(&format!("/r/{name}")),
        Path::new("/r"),
        VersionKind::Archive,
    );
    v.udid = udid.map(str::to_string);
    v.device_name = Some(name.to_string());
    v.product_type = Some("iPhone99,1".into());
    v.ios = Some(name.to_string());
    v.date = date;
    v.state = state;
    v
}

#[test]
fn grouping_prefers_the_newest_readable_version() {
    let versions = vec![
        version(
            Some("abc"),
            "older",
            Some(datetime!(2024-01-01 0:00 UTC)),
            BackupState::Complete,
        ),
        version(
            Some("ABC"),
            "newest-broken",
            Some(datetime!(2024-03-01 0:00 UTC)),
            BackupState::Damaged,
        ),
        version(Some("Abc"), "undated", None, BackupState::Complete),
        version(
            Some("abc"),
            "middle",
            Some(datetime!(2024-02-01 0:00 UTC)),
            BackupState::Interrupted,
        ),
        version(None, "orphan-b", None, BackupState::Damaged),
        version(None, "orphan-a", None, BackupState::Complete),
    ];
    let (devices, orphans) = group(versions);
    assert_eq!(devices.len(), 1);
    let d = &devices[0];
    assert_eq!(d.udid, "ABC");
    let order: Vec<_> = d.versions.iter().map(|v| v.folder_name.as_str()).collect();
    assert_eq!(order, vec!["newest-broken", "middle", "older", "undated"]);
    assert_eq!(d.name.as_deref(), Some("middle"));
    assert_eq!(d.ios.as_deref(), Some("middle"));
    // Unknown product types show the raw identifier.
    assert_eq!(d.model.as_deref(), Some("iPhone99,1"));
    let orphan_names: Vec<_> = orphans.iter().map(|v| v.folder_name.as_str()).collect();
    assert_eq!(orphan_names, vec!["orphan-a", "orphan-b"]);
}

#[test]
fn roots_that_cannot_be_listed_say_why() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let roots = [
        root(&tmp.path().join("nope")),
        root(&file),
        root(tmp.path()),
    ];
    let library = discover_library(&roots, NOW);
    let statuses: Vec<_> = library.roots.iter().map(|r| r.status.clone()).collect();
    assert_eq!(
        statuses,
        vec![
            RootStatus::Missing,
            RootStatus::NotAFolder,
            RootStatus::Ok { backups: 0 }
        ]
    );
    assert!(library.devices.is_empty());
}

#[test]
fn a_root_that_is_a_backup_is_that_one_version() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(&tmp.path().join(UDID), &spec());
    let (versions, count) = versions_in_root(&root(&dir), NOW);
    assert_eq!(count.unwrap(), 1);
    assert_eq!(versions[0].path, dir);
    assert_eq!(versions[0].kind, VersionKind::Live);
    assert_eq!(versions[0].state, BackupState::Complete);
}

#[test]
fn the_root_status_rule_can_be_swapped() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join(UDID), &spec());
    let roots = [root(&tmp.path().join("nope")), root(tmp.path())];
    let library =
        backtop::library::discover::discover_library_with(&roots, NOW, |_, result| match result {
            Ok(n) => RootStatus::Ok { backups: n * 10 },
            Err(e) => RootStatus::Error {
                message: format!("custom: {:?}", e.kind()),
            },
        });
    let statuses: Vec<_> = library.roots.iter().map(|r| r.status.clone()).collect();
    assert_eq!(
        statuses,
        vec![
            RootStatus::Error {
                message: "custom: NotFound".into()
            },
            RootStatus::Ok { backups: 10 }
        ]
    );
    assert_eq!(library.devices.len(), 1);
}
