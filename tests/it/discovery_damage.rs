//! Reading damaged, unfinished and running backups: the state and the exact `problem` sentence
//! of each case.

use std::path::{Path, PathBuf};
use std::time::Duration;

use backtop::demo::{write_backup, BackupSpec, Damage, PlistEncoding, SpecState};
use backtop::library::discover::versions_in_root;
use backtop::library::read_version::{read_version, IN_PROGRESS_WINDOW};
use backtop::library::{BackupState, ManifestFormat, Root, RootOrigin, Version, VersionKind};
use time::macros::datetime;
use time::OffsetDateTime;

const UDID: &str = "00008110-001A2B3C4D5E6F70";
const NOW: OffsetDateTime = datetime!(2024-06-01 12:00 UTC);

fn spec() -> BackupSpec {
    BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2")
}

fn write(dir: &Path, spec: &BackupSpec) -> PathBuf {
    write_backup(dir, spec).unwrap();
    dir.to_path_buf()
}

fn read(dir: &Path, now: OffsetDateTime) -> Version {
    read_version(dir, dir.parent().unwrap(), VersionKind::Live, now)
}

fn state_and_problem(v: &Version) -> (BackupState, Option<&str>) {
    (v.state, v.problem.as_deref())
}

#[test]
fn every_demo_damage_gives_its_sentence() {
    let cases = [
        (Damage::MissingInfoPlist, "Info.plist is missing"),
        (Damage::MissingManifestPlist, "Manifest.plist is missing"),
        (Damage::MissingStatusPlist, "Status.plist is missing"),
        (
            Damage::TruncatedInfoPlist,
            "Info.plist is not a readable plist (truncated or corrupt)",
        ),
        (
            Damage::GarbageManifestPlist,
            "Manifest.plist is not a readable plist (truncated or corrupt)",
        ),
        (
            Damage::GarbageStatusPlist,
            "Status.plist is not a readable plist (truncated or corrupt)",
        ),
        (
            Damage::GarbageManifestDb,
            "Manifest.db is not an SQLite database",
        ),
        (Damage::EmptyManifestDb, "Manifest.db is empty (0 bytes)"),
        (Damage::MissingManifestDb, "no Manifest.db or Manifest.mbdb"),
    ];
    for encoding in [PlistEncoding::Xml, PlistEncoding::Binary] {
        for (damage, sentence) in cases {
            let tmp = tempfile::tempdir().unwrap();
            let mut s = spec();
            s.encoding = encoding;
            s.damage = Some(damage);
            let v = read(&write(&tmp.path().join(UDID), &s), NOW);
            let label = format!("{damage:?} {encoding:?}");
            assert_eq!(
                state_and_problem(&v),
                (BackupState::Damaged, Some(sentence)),
                "{label}"
            );
            // The device is still known from the other plists or the folder name.
            assert_eq!(v.udid.as_deref(), Some(UDID), "{label}");
        }
    }
}

#[test]
fn missing_info_plist_falls_back_to_the_lockdown_dictionary() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = spec();
    s.damage = Some(Damage::MissingInfoPlist);
    let v = read(&write(&tmp.path().join("copy"), &s), NOW);
    assert_eq!(v.udid.as_deref(), Some(UDID));
    assert_eq!(v.device_name.as_deref(), Some("Anna's iPhone"));
    assert_eq!(v.product_type.as_deref(), Some("iPhone15,2"));
    assert_eq!(v.ios.as_deref(), Some("17.5"));
    assert!(v.apps.is_empty());
}

#[test]
fn hand_made_manifest_damage() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(&tmp.path().join(UDID), &spec());
    let db = dir.join("Manifest.db");

    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xA5, 4080));
    std::fs::write(&db, &bytes).unwrap();
    let v = read(&dir, NOW);
    assert_eq!(
        state_and_problem(&v),
        (
            BackupState::Damaged,
            Some("Manifest.db is a damaged SQLite database (file is not a database)")
        )
    );
    // Nothing was written next to the database while checking it.
    assert!(!dir.join("Manifest.db-wal").exists());
    assert!(!dir.join("Manifest.db-shm").exists());

    std::fs::remove_file(&db).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TABLE Other(x)").unwrap();
    drop(conn);
    let v = read(&dir, NOW);
    assert_eq!(v.problem.as_deref(), Some("Manifest.db has no Files table"));

    // A WAL-mode database is checked without creating -wal or -shm files beside it.
    std::fs::remove_file(&db).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE Files(fileID TEXT)")
        .unwrap();
    drop(conn);
    assert!(!dir.join("Manifest.db-wal").exists());
    let v = read(&dir, NOW);
    assert_eq!(state_and_problem(&v), (BackupState::Complete, None));
    assert!(!dir.join("Manifest.db-wal").exists());
    assert!(!dir.join("Manifest.db-shm").exists());

    std::fs::remove_file(&db).unwrap();
    std::fs::write(dir.join("Manifest.mbdb"), b"").unwrap();
    let v = read(&dir, NOW);
    assert_eq!(v.manifest, ManifestFormat::Mbdb);
    assert_eq!(
        v.problem.as_deref(),
        Some("Manifest.mbdb is empty (0 bytes)")
    );

    std::fs::write(dir.join("Manifest.mbdb"), b"nope, not an mbdb").unwrap();
    let v = read(&dir, NOW);
    assert_eq!(
        v.problem.as_deref(),
        Some("Manifest.mbdb does not start with \"mbdb\"")
    );

    std::fs::remove_file(dir.join("Manifest.mbdb")).unwrap();
    std::fs::create_dir(&db).unwrap();
    let v = read(&dir, NOW);
    assert_eq!(
        v.problem.as_deref(),
        Some("Manifest.db is not a regular file (a folder)")
    );
}

#[test]
fn odd_plists() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(&tmp.path().join(UDID), &spec());
    let status = dir.join("Status.plist");
    plist::Value::Array(vec![]).to_file_xml(&status).unwrap();
    let v = read(&dir, NOW);
    assert_eq!(
        v.problem.as_deref(),
        Some("Status.plist is not a dictionary plist")
    );

    let mut d = plist::Dictionary::new();
    d.insert("IsFullBackup".into(), 1.into());
    plist::Value::Dictionary(d).to_file_binary(&status).unwrap();
    let v = read(&dir, NOW);
    assert_eq!(
        state_and_problem(&v),
        (
            BackupState::Damaged,
            Some("Status.plist has no SnapshotState")
        )
    );

    std::fs::remove_file(&status).unwrap();
    std::fs::remove_file(dir.join("Info.plist")).unwrap();
    let v = read(&dir, NOW);
    assert_eq!(
        v.problem.as_deref(),
        Some("Info.plist is missing; Status.plist is missing")
    );
}

#[test]
fn an_encrypted_manifest_db_only_has_to_be_non_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = spec();
    s.encrypted = true;
    let dir = write(&tmp.path().join(UDID), &s);
    std::fs::write(dir.join("Manifest.db"), b"\x8fanything at all").unwrap();
    let v = read(&dir, NOW);
    assert_eq!(state_and_problem(&v), (BackupState::Complete, None));
    std::fs::write(dir.join("Manifest.db"), b"").unwrap();
    let v = read(&dir, NOW);
    assert_eq!(v.problem.as_deref(), Some("Manifest.db is empty (0 bytes)"));
}

#[test]
fn interrupted_backups_say_how_long_ago() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = spec();
    s.state = SpecState::Interrupted;
    let dir = write(&tmp.path().join(UDID), &s);
    // The builder dates everything three days before the spec's date.
    let v = read(&dir, NOW);
    assert_eq!(
        state_and_problem(&v),
        (
            BackupState::Interrupted,
            Some("backup did not finish (SnapshotState = uploading) and nothing has been written for 3 days")
        )
    );
    let last_write = NOW - time::Duration::days(3);
    let window = time::Duration::try_from(IN_PROGRESS_WINDOW).unwrap();
    let just_inside = read(&dir, last_write + window - time::Duration::minutes(1));
    assert_eq!(
        state_and_problem(&just_inside),
        (
            BackupState::InProgress,
            Some("last write 29 minutes ago; may still be running")
        )
    );
    let just_outside = read(&dir, last_write + window + time::Duration::minutes(1));
    assert_eq!(
        just_outside.problem.as_deref(),
        Some("backup did not finish (SnapshotState = uploading) and nothing has been written for 31 minutes")
    );
    assert_eq!(IN_PROGRESS_WINDOW, Duration::from_secs(1800));
}

#[test]
fn running_backups_are_in_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = spec();
    s.state = SpecState::InProgress;
    let dir = write(&tmp.path().join(UDID), &s);
    let v = read(&dir, OffsetDateTime::now_utc());
    assert_eq!(
        state_and_problem(&v),
        (
            BackupState::InProgress,
            Some("last write less than a minute ago; may still be running")
        )
    );
}

#[test]
fn a_leftover_snapshot_folder_is_an_interrupted_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(&tmp.path().join(UDID), &spec());
    std::fs::create_dir(dir.join("Snapshot")).unwrap();
    let tomorrow = OffsetDateTime::now_utc() + time::Duration::days(1);
    let v = read(&dir, tomorrow);
    assert_eq!(
        state_and_problem(&v),
        (
            BackupState::Interrupted,
            Some("a Snapshot/ folder is left from an unfinished backup")
        )
    );
    std::fs::remove_file(dir.join("Manifest.db")).unwrap();
    let v = read(&dir, tomorrow);
    assert_eq!(
        state_and_problem(&v),
        (
            BackupState::Damaged,
            Some("no Manifest.db or Manifest.mbdb; a Snapshot/ folder is left from an unfinished backup")
        )
    );
}

fn root(path: &Path) -> Root {
    Root {
        path: path.to_path_buf(),
        origin: RootOrigin::Flag,
        owner: None,
        app: "test",
    }
}

#[cfg(unix)]
#[test]
fn a_non_utf8_folder_name_keeps_the_state_and_shows_lossily() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(OsStr::from_bytes(b"backup \xff copy"));
    write(&dir, &spec());
    let (versions, count) = versions_in_root(&root(tmp.path()), NOW);
    assert_eq!(count.unwrap(), 1);
    let v = &versions[0];
    assert_eq!(v.path, dir);
    assert_eq!(v.folder_name, "backup \u{FFFD} copy");
    assert_eq!(v.kind, VersionKind::Archive);
    assert_eq!(state_and_problem(v), (BackupState::Complete, None));
    assert_eq!(v.udid.as_deref(), Some(UDID));
}

/// Root reads every folder whatever its mode (CI runs as root), so this only checks the
/// refusal as an ordinary user; the sentence itself is covered by the unit test
/// `discover::walker::tests::a_candidate_that_cannot_be_listed_is_damaged`.
#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_a_damaged_entry() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(&tmp.path().join(UDID), &spec());
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&dir).is_ok() {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("note: running as root, permissions are not enforced; refusal not tested here");
        return;
    }
    let (versions, _) = versions_in_root(&root(tmp.path()), NOW);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let v = &versions[0];
    assert_eq!(v.udid.as_deref(), Some(UDID));
    assert_eq!(
        state_and_problem(v),
        (
            BackupState::Damaged,
            Some("the folder could not be read (Permission denied (os error 13))")
        )
    );
}

#[cfg(unix)]
#[test]
fn a_file_called_versions_is_reported_unreadable_not_listed() {
    use backtop::library::discover::walk_root;
    let tmp = tempfile::tempdir().unwrap();
    let imazing = tmp.path().join("iMazing.Versions");
    std::fs::create_dir(&imazing).unwrap();
    std::fs::write(imazing.join("Versions"), b"not a folder").unwrap();
    let walk = walk_root(&root(tmp.path()), NOW);
    assert_eq!(walk.result.unwrap(), 0);
    assert!(walk.versions.is_empty());
    assert_eq!(walk.unreadable.len(), 1);
    assert_eq!(walk.unreadable[0].path, imazing.join("Versions"));
    assert_eq!(walk.unreadable[0].reason, "not a folder");
}

#[test]
fn a_udid_folder_with_only_a_snapshot_folder_is_a_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(UDID);
    std::fs::create_dir_all(dir.join("Snapshot")).unwrap();
    std::fs::create_dir_all(tmp.path().join("Other").join("Snapshot")).unwrap();
    let tomorrow = OffsetDateTime::now_utc() + time::Duration::days(1);
    let (versions, count) = versions_in_root(&root(tmp.path()), tomorrow);
    assert_eq!(count.unwrap(), 1);
    assert_eq!(versions[0].path, dir);
    assert_eq!(
        state_and_problem(&versions[0]),
        (
            BackupState::Damaged,
            Some("Info.plist is missing; Manifest.plist is missing; Status.plist is missing; no Manifest.db or Manifest.mbdb; a Snapshot/ folder is left from an unfinished backup")
        )
    );
    let (versions, _) = versions_in_root(&root(tmp.path()), OffsetDateTime::now_utc());
    assert_eq!(
        state_and_problem(&versions[0]),
        (
            BackupState::InProgress,
            Some("last write less than a minute ago; may still be running")
        )
    );
}

#[test]
fn a_truncated_manifest_mbdb_is_damaged_with_where_it_is_cut() {
    use backtop::demo::FileSpec;
    use backtop::library::manifest::mbdb::parse_mbdb;
    let tmp = tempfile::tempdir().unwrap();
    let mut s = spec();
    s.format = ManifestFormat::Mbdb;
    s.ios = "9.3.5".into();
    s.files = (0..6)
        .map(|i| {
            FileSpec::new(
                "CameraRollDomain",
                &format!("Media/DCIM/IMG_{i}.JPG"),
                1_000,
            )
        })
        .collect();
    let whole = write(&tmp.path().join("whole").join(UDID), &s);
    assert_eq!(
        state_and_problem(&read(&whole, NOW)),
        (BackupState::Complete, None)
    );

    s.damage = Some(Damage::TruncatedMbdb);
    let cut = write(&tmp.path().join("cut").join(UDID), &s);
    let bytes = std::fs::read(cut.join("Manifest.mbdb")).unwrap();
    let parsed = parse_mbdb(&bytes).unwrap();
    let at = parsed.truncated_at.expect("the builder cuts a record");
    let v = read(&cut, NOW);
    let expected = format!(
        "Manifest.mbdb is truncated: its record at byte {at} is cut short ({} whole records before it)",
        parsed.entries.len()
    );
    assert_eq!(
        state_and_problem(&v),
        (BackupState::Damaged, Some(expected.as_str()))
    );
    assert_eq!(v.manifest, ManifestFormat::Mbdb);
}
