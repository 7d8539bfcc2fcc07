//! Roots on a real (temporary) disk: links followed, repeats dropped, statuses checked.

use std::path::{Path, PathBuf};

use backtop::library::locate::{self, dedupe_with, Env, Os, RootSpec};
use backtop::library::RootOrigin;

use super::{row, rows};

#[test]
fn the_same_folder_through_a_symlink_is_listed_once_with_its_first_origin() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let link = tmp.path().join("link");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&real, &link).unwrap();
    #[cfg(windows)]
    std::os::windows::fs::symlink_dir(&real, &link).unwrap();
    let missing = tmp.path().join("missing");
    let spec = RootSpec {
        roots: vec![link.clone(), missing.clone(), missing.clone()],
        config_roots: vec![real.clone(), link.join("child"), real.join("child")],
        only: false,
        ..RootSpec::default()
    };
    let roots = locate::resolve(&spec, &Env::empty(Os::Linux));
    let canon = std::fs::canonicalize(&real).unwrap();
    let canon_tmp = std::fs::canonicalize(tmp.path()).unwrap();
    assert_eq!(
        rows(&roots),
        vec![
            row(canon.clone(), RootOrigin::Flag, None, "any"),
            row(canon_tmp.join("missing"), RootOrigin::Flag, None, "any"),
            row(canon.join("child"), RootOrigin::Config, None, "any"),
        ]
    );
}

#[test]
fn dedupe_keeps_the_first_of_equal_places() {
    let a = locate::named_root(Path::new("/a"), RootOrigin::Flag);
    let b = locate::named_root(Path::new("/b"), RootOrigin::Config);
    let a2 = locate::named_root(Path::new("/a"), RootOrigin::Env);
    // Pretend /b is a link to /a.
    let out = dedupe_with(vec![b, a, a2], |p| {
        if p == Path::new("/b") {
            PathBuf::from("/a")
        } else {
            p.to_path_buf()
        }
    });
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].path, PathBuf::from("/a"));
    assert_eq!(out[0].origin, RootOrigin::Config);
}

#[test]
fn relative_roots_become_absolute() {
    let got = locate::real_path(Path::new("no-such-folder-here"));
    assert!(got.is_absolute());
    assert!(got.ends_with("no-such-folder-here"));
}

#[test]
fn a_root_listing_tells_missing_not_a_folder_and_counts_backups() {
    use backtop::library::access::status_from_listing;
    use backtop::library::discover::versions_in_root;
    use backtop::library::RootStatus;
    let tmp = tempfile::tempdir().unwrap();
    let env = Env::empty(Os::Linux);
    let status = |path: &Path| {
        let root = locate::named_root(path, RootOrigin::Flag);
        let (_, listing) = versions_in_root(&root, time::OffsetDateTime::now_utc());
        status_from_listing(&root, &listing, &env)
    };

    assert_eq!(status(&tmp.path().join("none")), RootStatus::Missing);
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(status(&file), RootStatus::NotAFolder);

    let dir = tmp.path().join("Backup");
    for (name, marker) in [
        ("00008110-000A1B2C3D4E5F60", Some("Info.plist")),
        (
            "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
            Some("Manifest.db"),
        ),
        ("old-copy", Some("Manifest.mbdb")),
        ("_unback_", None),
    ] {
        std::fs::create_dir_all(dir.join(name)).unwrap();
        if let Some(marker) = marker {
            std::fs::write(dir.join(name).join(marker), "").unwrap();
        }
    }
    std::fs::write(dir.join(".DS_Store"), "").unwrap();
    assert_eq!(status(&dir), RootStatus::Ok { backups: 3 });
}

#[test]
fn run_roots_with_only_uses_just_the_given_roots_and_reports_them() {
    use backtop::cli::RootArgs;
    use backtop::commands::context::RunRoots;
    use backtop::library::RootStatus;
    let tmp = tempfile::tempdir().unwrap();
    let run = RunRoots::resolve(
        &RootArgs {
            roots: vec![tmp.path().to_path_buf(), tmp.path().join("gone")],
            only: true,
            ..RootArgs::default()
        },
        &[],
    )
    .unwrap();
    assert!(run.seen.is_none());
    let canon = std::fs::canonicalize(tmp.path()).unwrap();
    assert_eq!(run.paths(), vec![canon.clone(), canon.join("gone")]);
    let statuses: Vec<RootStatus> = run.discover().roots.into_iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        vec![RootStatus::Ok { backups: 0 }, RootStatus::Missing]
    );
}

/// A root on a volume is remembered while it holds backups; once the drive is gone the run
/// reports it as not connected, with the count it had.
#[test]
fn a_remembered_volume_root_is_reported_not_connected_when_its_drive_is_gone() {
    use backtop::commands::context::RunRoots;
    use backtop::demo::{write_backup, BackupSpec};
    use backtop::library::seen::SeenStore;
    use backtop::library::RootStatus;
    let tmp = tempfile::tempdir().unwrap();
    let volume = tmp.path().join("T7");
    let root = volume.join(locate::VOLUME_FOLDER);
    let udid = "00008110-001A2B3C4D5E6F70";
    write_backup(
        &root.join(udid),
        &BackupSpec::new(udid, "Anna's iPhone", "iPhone15,2"),
    )
    .unwrap();
    let run = |volumes: Vec<PathBuf>| RunRoots {
        roots: vec![locate::named_root(&root, RootOrigin::Volume)],
        demo_dir: None,
        env: Env {
            volumes,
            ..Env::empty(Os::Linux)
        },
        seen: Some(SeenStore::at(tmp.path().join("cache").join("seen.json"))),
        links: Vec::new(),
    };
    let plugged = run(vec![volume.clone()]).discover();
    assert_eq!(plugged.roots[0].status, RootStatus::Ok { backups: 1 });
    assert!(tmp.path().join("cache").join("seen.json").is_file());

    std::fs::remove_dir_all(&volume).unwrap();
    let unplugged = run(Vec::new()).discover();
    assert_eq!(unplugged.roots.len(), 1);
    match &unplugged.roots[0].status {
        RootStatus::DriveNotConnected { backups, bytes, .. } => {
            assert_eq!((*backups, *bytes), (1, None));
        }
        other => panic!("expected not connected, got {other:?}"),
    }
    assert_eq!(unplugged.roots[0].root.app, locate::IMAZING);
}
