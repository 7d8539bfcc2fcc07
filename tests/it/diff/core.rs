//! The pure diff on builder fixtures with known added, removed and changed files: exact
//! counts and bytes by category and by app, identical versions, iOS 9 `Manifest.mbdb`
//! versions, an iMazing snapshot against its live backup, and a locked version.

use std::path::Path;

use backtop::demo::{write_backup, write_imazing_snapshot, BackupSpec, FileSpec};
use backtop::library::category::Category;
use backtop::library::diff::{diff_versions, Change, DiffError, Tally};
use backtop::library::read_version::read_version;
use backtop::library::{ManifestFormat, Version, VersionKind};
use time::macros::datetime;

const U: &str = "00008110-000A1B2C3D4E5F60";

fn spec(files: Vec<FileSpec>, format: ManifestFormat, day: u8) -> BackupSpec {
    let mut s = BackupSpec::new(U, "Ben's iPhone", "iPhone14,5");
    s.date = datetime!(2024-06-01 12:00 UTC).replace_day(day).unwrap();
    // Both versions date their files alike, as a phone does.
    s.files_dated = Some(datetime!(2024-05-01 0:00 UTC));
    s.format = format;
    s.files = files;
    s.apps = vec![("com.foo.app".into(), "Foo".into())];
    s
}

fn f(domain: &str, path: &str, size: u64) -> FileSpec {
    FileSpec::new(domain, path, size)
}

fn old_files() -> Vec<FileSpec> {
    vec![
        f(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            1000,
        ),
        f(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0002.HEIC",
            2000,
        ),
        f(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0003.HEIC",
            3000,
        ),
        f("HomeDomain", "Library/SMS/sms.db", 500),
        f("AppDomain-com.foo.app", "Documents/a.bin", 300),
        f("HomeDomain", "Library/Preferences/p.plist", 10),
    ]
}

/// Removed: two photos (5,000 B). Changed: sms.db 500 -> 700. Added: an app file (4,000 B,
/// through its widget's domain) and a WhatsApp file (123 B). Unchanged: one photo, the app's
/// old file, the preferences.
fn new_files() -> Vec<FileSpec> {
    vec![
        f(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            1000,
        ),
        f("HomeDomain", "Library/SMS/sms.db", 700),
        f("AppDomain-com.foo.app", "Documents/a.bin", 300),
        f("AppDomainPlugin-com.foo.app.widget", "Library/b.bin", 4000),
        f("HomeDomain", "Library/Preferences/p.plist", 10),
        f(
            "AppDomainGroup-group.net.whatsapp.WhatsApp.shared",
            "Message/m.sqlite",
            123,
        ),
    ]
}

fn version(dir: &Path, spec: &BackupSpec) -> Version {
    write_backup(dir, spec).unwrap();
    read_version(
        dir,
        dir.parent().unwrap(),
        VersionKind::Archive,
        datetime!(2024-07-01 0:00 UTC),
    )
}

/// The old fixture in `tmp/old` (format `a`) and the new one in `tmp/new` (format `b`).
fn pair(tmp: &Path, a: ManifestFormat, b: ManifestFormat) -> (Version, Version) {
    (
        version(&tmp.join("old"), &spec(old_files(), a, 1)),
        version(&tmp.join("new"), &spec(new_files(), b, 20)),
    )
}

fn tally(added: (u64, u64), removed: (u64, u64), changed: (u64, u64, u64), same: u64) -> Tally {
    Tally {
        added_files: added.0,
        added_bytes: added.1,
        removed_files: removed.0,
        removed_bytes: removed.1,
        changed_files: changed.0,
        changed_bytes: changed.1,
        changed_old_bytes: changed.2,
        unchanged_files: same,
    }
}

fn known_changes(format: ManifestFormat) {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = pair(tmp.path(), format, format);
    let diff = diff_versions(&old, &new).unwrap();
    assert_eq!(diff.notes, Vec::<String>::new());
    assert_eq!(diff.totals, tally((2, 4123), (2, 5000), (1, 700, 500), 3));
    let cats: Vec<(Category, Tally)> = diff.by_category.clone();
    assert_eq!(
        cats,
        vec![
            (Category::Photos, tally((0, 0), (2, 5000), (0, 0, 0), 1)),
            (Category::Apps, tally((1, 4000), (0, 0), (0, 0, 0), 1)),
            (Category::Messages, tally((0, 0), (0, 0), (1, 700, 500), 0)),
            (Category::Whatsapp, tally((1, 123), (0, 0), (0, 0, 0), 0)),
            (Category::System, tally((0, 0), (0, 0), (0, 0, 0), 1)),
        ]
    );
    assert_eq!(diff.totals.net_bytes(), 4123 - 5000 + 200);
    assert_eq!(diff.by_app.len(), 1);
    assert_eq!(&*diff.by_app[0].bundle, "com.foo.app");
    assert_eq!(diff.by_app[0].name.as_deref(), Some("Foo"));
    assert_eq!(diff.by_app[0].tally, tally((1, 4000), (0, 0), (0, 0, 0), 1));
    let files: Vec<(char, &str, u64)> = diff
        .files
        .iter()
        .map(|c| (c.change.marker(), c.path.as_str(), c.bytes()))
        .collect();
    assert_eq!(
        files,
        vec![
            ('+', "Library/b.bin", 4000),
            ('-', "Media/DCIM/100APPLE/IMG_0003.HEIC", 3000),
            ('-', "Media/DCIM/100APPLE/IMG_0002.HEIC", 2000),
            ('M', "Library/SMS/sms.db", 700),
            ('+', "Message/m.sqlite", 123),
        ]
    );
    let sms = &diff.files[3];
    assert_eq!(sms.change, Change::Changed);
    assert_eq!(
        (sms.old.map(|m| m.size), sms.new.map(|m| m.size)),
        (Some(500), Some(700))
    );
    assert_eq!(sms.old.unwrap().mtime, sms.new.unwrap().mtime);
    assert_eq!(&*sms.domain, "HomeDomain");
    assert_eq!(diff.files[0].app.as_deref(), Some("com.foo.app"));
}

#[test]
fn known_changes_in_manifest_db_versions() {
    known_changes(ManifestFormat::Db);
}

#[test]
fn known_changes_in_ios9_mbdb_versions() {
    known_changes(ManifestFormat::Mbdb);
}

#[test]
fn the_other_way_round_swaps_added_and_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = pair(tmp.path(), ManifestFormat::Db, ManifestFormat::Db);
    let back = diff_versions(&new, &old).unwrap();
    assert_eq!(back.totals, tally((2, 5000), (2, 4123), (1, 500, 700), 3));
}

#[test]
fn identical_versions_give_an_empty_diff() {
    let tmp = tempfile::tempdir().unwrap();
    for format in [ManifestFormat::Db, ManifestFormat::Mbdb] {
        let dir = tmp.path().join(format!("{format:?}"));
        let a = version(&dir.join("a"), &spec(old_files(), format, 1));
        let b = version(&dir.join("b"), &spec(old_files(), format, 20));
        let diff = diff_versions(&a, &b).unwrap();
        assert!(diff.is_empty(), "{format:?}: {:?}", diff.files);
        assert_eq!(diff.totals, tally((0, 0), (0, 0), (0, 0, 0), 6));
        assert_eq!(diff.files, vec![]);
        assert!(diff.by_app.is_empty());
        // A version against itself, too.
        assert!(diff_versions(&a, &a).unwrap().is_empty());
    }
}

#[test]
fn an_mbdb_version_against_a_manifest_db_one_compares_by_size_and_mtime() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = pair(tmp.path(), ManifestFormat::Mbdb, ManifestFormat::Db);
    let diff = diff_versions(&old, &new).unwrap();
    assert_eq!(diff.totals, tally((2, 4123), (2, 5000), (1, 700, 500), 3));
}

#[test]
fn mtimes_that_differ_make_a_file_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let old = version(
        &tmp.path().join("old"),
        &spec(old_files(), ManifestFormat::Db, 1),
    );
    let mut later = spec(old_files(), ManifestFormat::Db, 20);
    later.files_dated = Some(datetime!(2024-05-02 0:00 UTC));
    let new = version(&tmp.path().join("new"), &later);
    let diff = diff_versions(&old, &new).unwrap();
    assert_eq!(diff.totals, tally((0, 0), (0, 0), (6, 6810, 6810), 0));
    assert_eq!(diff.totals.net_bytes(), 0);
}

#[test]
fn an_imazing_snapshot_against_its_live_backup_sees_linked_files_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("iMazing");
    let live_dir = root.join(U);
    let live = version(&live_dir, &spec(old_files(), ManifestFormat::Db, 20));
    // The snapshot is older: sms.db was smaller then, and a photo was deleted since.
    let snap_spec = spec(old_files(), ManifestFormat::Db, 1);
    let changed = vec![
        f("HomeDomain", "Library/SMS/sms.db", 420),
        f(
            "CameraRollDomain",
            "Media/DCIM/199APPLE/IMG_8000.HEIC",
            2_500_000,
        ),
    ];
    let snap_dir = root
        .join("iMazing.Versions/Versions")
        .join(U)
        .join("2024-06-01-12.00.00");
    write_imazing_snapshot(&live_dir, &snap_dir, &snap_spec, &changed).unwrap();
    let snap = read_version(
        &snap_dir,
        &root,
        VersionKind::ImazingSnapshot,
        datetime!(2024-07-01 0:00 UTC),
    );
    let diff = diff_versions(&snap, &live).unwrap();
    // The five hard-linked files are unchanged.
    assert_eq!(diff.totals, tally((0, 0), (1, 2_500_000), (1, 500, 420), 5));
    assert_eq!(
        diff.category(Category::Photos),
        tally((0, 0), (1, 2_500_000), (0, 0, 0), 3)
    );
    assert_eq!(diff.files[0].path, "Media/DCIM/199APPLE/IMG_8000.HEIC");
}

#[test]
fn an_encrypted_version_cannot_be_compared_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let old = version(
        &tmp.path().join("old"),
        &spec(old_files(), ManifestFormat::Db, 1),
    );
    let mut locked = spec(new_files(), ManifestFormat::Db, 20);
    locked.encrypted = true;
    let new = version(&tmp.path().join("new"), &locked);
    let err = diff_versions(&old, &new).unwrap_err();
    assert!(err.is_locked(), "{err}");
    assert_eq!(err.path(), new.path.as_path());
    assert!(
        err.to_string()
            .contains("cannot be compared: the backup is encrypted"),
        "{err}"
    );
    // Even when Manifest.plist lost its word, the database's bytes say it.
    let mut unsure = new.clone();
    unsure.encrypted = false;
    assert!(matches!(
        diff_versions(&old, &unsure),
        Err(DiffError::Locked { .. })
    ));
}

#[test]
fn a_version_without_a_manifest_is_unreadable_not_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = pair(tmp.path(), ManifestFormat::Db, ManifestFormat::Db);
    std::fs::remove_file(new.path.join("Manifest.db")).unwrap();
    let mut gone = new.clone();
    gone.manifest = ManifestFormat::None;
    let err = diff_versions(&old, &gone).unwrap_err();
    assert!(matches!(err, DiffError::Unreadable { .. }), "{err}");
}
