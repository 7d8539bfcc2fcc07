//! Discovery on hostile or odd folders: links and FIFOs inside a backup, far-future file times,
//! roots nested in roots, unreadable containers, stray marker files, odd paths for SQLite.

// Some tests here are Unix-only (links, modes, inodes); their imports are unused elsewhere.
#![cfg_attr(not(unix), allow(unused_imports))]

use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use backtop::demo::{write_backup, write_imazing_snapshot, BackupSpec};
use backtop::library::discover::{discover_library, versions_in_root, walk_root};
use backtop::library::{BackupState, Root, RootOrigin, Version, VersionKind};
use time::macros::datetime;
use time::OffsetDateTime;

const UDID: &str = "00008110-001A2B3C4D5E6F70";
const NOW: OffsetDateTime = datetime!(2024-06-01 12:00 UTC);

fn spec() -> BackupSpec {
    BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2")
}

fn root(path: &Path) -> Root {
    Root {
        path: path.to_path_buf(),
        origin: RootOrigin::Flag,
        owner: None,
        app: "test",
    }
}

fn write(dir: &Path) -> PathBuf {
    write_backup(dir, &spec()).unwrap();
    dir.to_path_buf()
}

fn only(root_dir: &Path) -> Version {
    let (mut versions, count) = versions_in_root(&root(root_dir), NOW);
    assert_eq!(count.unwrap(), 1, "{versions:#?}");
    versions.remove(0)
}

fn state_and_problem(v: &Version) -> (BackupState, Option<&str>) {
    (v.state, v.problem.as_deref())
}

#[cfg(unix)]
#[test]
fn a_symlinked_info_plist_is_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(&tmp.path().join(UDID));
    let elsewhere = tmp.path().join(".elsewhere.plist");
    std::fs::rename(dir.join("Info.plist"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join("Info.plist")).unwrap();
    let v = only(tmp.path());
    assert_eq!(
        state_and_problem(&v),
        (
            BackupState::Damaged,
            Some("Info.plist is a symbolic link (not followed)")
        )
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_manifest_db_is_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(&tmp.path().join(UDID));
    let elsewhere = tmp.path().join(".elsewhere.db");
    std::fs::rename(dir.join("Manifest.db"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join("Manifest.db")).unwrap();
    let v = only(tmp.path());
    assert_eq!(
        state_and_problem(&v),
        (
            BackupState::Damaged,
            Some("Manifest.db is a symbolic link (not followed)")
        )
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

/// A FIFO would block a plain open forever; discovery runs on a thread and must come back.
#[cfg(unix)]
#[test]
fn fifo_marker_files_are_damage_not_a_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(&tmp.path().join(UDID));
    for name in ["Info.plist", "Status.plist", "Manifest.db"] {
        std::fs::remove_file(dir.join(name)).unwrap();
        mkfifo(&dir.join(name));
    }
    let path = tmp.path().to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(only(&path)).unwrap());
    let v = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("discovery hung on a FIFO");
    assert_eq!(
        state_and_problem(&v),
        (
            BackupState::Damaged,
            Some(
                "Info.plist is not a regular file; Status.plist is not a regular file; \
                 Manifest.db is not a regular file"
            )
        )
    );
}

#[test]
fn a_far_future_mtime_does_not_panic() {
    // tmpfs keeps 64-bit times; ext4 clamps them to 2446.
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let dir = tmp.path().join(UDID);
    std::fs::create_dir_all(dir.join("Snapshot")).unwrap();
    let far = UNIX_EPOCH + Duration::from_secs(300_000_000_000); // year ~11476
    let set = std::fs::File::open(&dir).and_then(|f| f.set_modified(far));
    let stored = std::fs::metadata(&dir).and_then(|m| m.modified()).ok();
    if set.is_err() || stored != Some(far) {
        eprintln!("note: this filesystem does not keep a year-11476 mtime; the conversion is unit-tested in safe_fs");
    }
    let v = only(tmp.path());
    assert_eq!(v.path, dir);
    if stored == Some(far) {
        assert_eq!(v.date, None);
    }
    assert_eq!(backtop::library::safe_fs::to_offset(far), None);
}

/// `<home>/iMazing` holding `Backups/<UDID>` and `Backups/iMazing.Versions/…`.
fn imazing_home(dir: &Path) -> (PathBuf, PathBuf) {
    let backups = dir.join("iMazing").join("Backups");
    let live = write(&backups.join(UDID));
    let snap = backups
        .join("iMazing.Versions/Versions")
        .join(UDID)
        .join("2024-05-01-10.00.00");
    write_imazing_snapshot(&live, &snap, &spec(), &[]).unwrap();
    (backups, snap)
}

fn kinds(versions: &[Version]) -> Vec<(PathBuf, VersionKind)> {
    versions.iter().map(|v| (v.path.clone(), v.kind)).collect()
}

#[test]
fn a_parent_of_an_app_root_finds_live_backups_and_snapshots() {
    let tmp = tempfile::tempdir().unwrap();
    let (backups, snap) = imazing_home(tmp.path());
    let (versions, _) = versions_in_root(&root(&tmp.path().join("iMazing")), NOW);
    let mut got = kinds(&versions);
    got.sort();
    let want = vec![
        (backups.join(UDID), VersionKind::Live),
        (snap, VersionKind::ImazingSnapshot),
    ];
    assert_eq!(got, want);
}

#[test]
fn nested_roots_list_each_version_once_through_the_most_specific_root() {
    let tmp = tempfile::tempdir().unwrap();
    let (backups, snap) = imazing_home(tmp.path());
    let parent = tmp.path().join("iMazing");
    let lib = discover_library(&[root(&parent), root(&backups)], NOW);
    let versions: Vec<&Version> = lib.versions().collect();
    assert_eq!(versions.len(), 2);
    for v in versions {
        assert_eq!(v.root, backups, "{}", v.path.display());
        let want = if v.path == snap {
            VersionKind::ImazingSnapshot
        } else {
            VersionKind::Live
        };
        assert_eq!(v.kind, want);
    }
}

#[cfg(unix)]
#[test]
fn a_folder_and_a_link_to_it_as_two_roots_list_once() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    write(&real.join(UDID));
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let lib = discover_library(&[root(&real), root(&link)], NOW);
    assert_eq!(lib.versions().count(), 1);
    assert_eq!(lib.roots.len(), 2);
}

#[test]
fn a_udid_folder_without_markers_is_a_damaged_version() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(UDID);
    std::fs::create_dir_all(dir.join("Some Folder")).unwrap();
    let v = only(tmp.path());
    assert_eq!(v.path, dir);
    assert_eq!(v.kind, VersionKind::Live);
    assert_eq!(v.udid.as_deref(), Some(UDID));
    assert_eq!(
        state_and_problem(&v),
        (
            BackupState::Damaged,
            Some(
                "Info.plist is missing; Manifest.plist is missing; Status.plist is missing; \
                 no Manifest.db or Manifest.mbdb"
            )
        )
    );
}

#[test]
fn a_stray_marker_file_in_a_root_does_not_hide_its_backups() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join(UDID));
    std::fs::write(tmp.path().join("Info.plist"), b"<plist></plist>").unwrap();
    let v = only(tmp.path());
    assert_eq!(v.path, tmp.path().join(UDID));
    assert_eq!(state_and_problem(&v), (BackupState::Complete, None));
}

#[test]
fn a_root_with_a_manifest_is_one_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(&tmp.path().join("copy"));
    let v = only(&dir);
    assert_eq!(v.path, dir);
    assert_eq!(v.kind, VersionKind::Archive);
}

#[test]
fn a_garbage_plist_is_not_readable_rather_than_not_a_dictionary() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(&tmp.path().join(UDID));
    std::fs::write(dir.join("Status.plist"), b"garbage\n").unwrap();
    std::fs::write(
        dir.join("Manifest.plist"),
        b"<?xml version=\"1.0\"?><plist version=\"1.0\"><array/></plist>",
    )
    .unwrap();
    let v = only(tmp.path());
    assert_eq!(
        v.problem.as_deref(),
        Some(
            "Manifest.plist is not a dictionary plist; \
             Status.plist is not a readable plist (truncated or corrupt)"
        )
    );
}

/// Spaces, `%`, `#`, `?` and (on Unix) bytes that are not UTF-8 in the path: the database is
/// still opened (a `Files` table found) and nothing is written next to it.
#[test]
fn manifest_db_at_an_odd_path_is_read_without_side_files() {
    let tmp = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    let odd = {
        use std::os::unix::ffi::OsStrExt;
        tmp.path()
            .join(std::ffi::OsStr::from_bytes(b"a b%20c#d?e \xff"))
    };
    #[cfg(not(unix))]
    let odd = tmp.path().join("a b%20c#d");
    let dir = write(&odd.join(UDID));
    let v = only(&odd);
    assert_eq!(state_and_problem(&v), (BackupState::Complete, None));
    for side in ["Manifest.db-wal", "Manifest.db-shm", "Manifest.db-journal"] {
        assert!(!dir.join(side).exists(), "{side} was created");
    }
}

#[cfg(unix)]
#[test]
fn unreadable_containers_are_reported_not_listed() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join(UDID));
    let versions = tmp.path().join("iMazing.Versions");
    std::fs::create_dir(&versions).unwrap();
    std::os::unix::fs::symlink(tmp.path(), versions.join("Versions")).unwrap();
    let walk = walk_root(&root(tmp.path()), NOW);
    assert_eq!(walk.result.unwrap(), 1);
    assert_eq!(walk.versions[0].path, tmp.path().join(UDID));
    let lib = discover_library(&[root(tmp.path())], NOW);
    assert_eq!(lib.unreadable.len(), 1);
    assert_eq!(lib.unreadable[0].path, versions.join("Versions"));
    assert_eq!(lib.unreadable[0].reason, "a symbolic link (not followed)");
}
