use std::path::{Path, PathBuf};

use super::*;
use crate::actions::imazing::Listing;
use crate::actions::test_support::guard_library;
use crate::library::device::newest_complete;

const SNAP: &str = "/t/root/iMazing.Versions/Versions/U1/2023-06-01-00.00.00";

fn facts(path: &str, exists: bool, is_symlink: bool) -> TargetFacts {
    TargetFacts {
        exists,
        is_symlink,
        canonical: PathBuf::from(path),
        identity: None,
        foreign_owner: None,
    }
}

fn opts(force: bool, confirm_imazing: bool, read_only: bool) -> DeleteOptions {
    DeleteOptions {
        force,
        confirm_imazing,
        read_only,
    }
}

fn run(
    path: &str,
    f: TargetFacts,
    o: DeleteOptions,
    listing: Listing,
) -> Result<Vec<String>, (RefusalKind, String)> {
    let library = guard_library();
    decide(
        Path::new(path),
        &f,
        &LibraryIndex::new(&library),
        &o,
        |_| listing.clone(),
    )
    .map(|item| item.warnings.into_iter().map(|w| w.message).collect())
    .map_err(|r| (r.kind, r.reason))
}

#[test]
fn decides_each_case() {
    use RefusalKind::*;
    let listed = Listing::Listed {
        table: "ZVERSION".into(),
    };
    let none = Listing::NotListed;
    let no = opts(false, false, false);
    let forced = opts(true, false, false);
    let confirmed = opts(false, true, false);
    let newest = "it is the device's newest complete backup (use --force to delete anyway)";
    let in_progress = "a backup is being written into it now (use --force to delete anyway)";
    let imazing = "iMazing's Versions.db still lists this snapshot (table ZVERSION); iMazing will \
                   show a version whose files are gone";
    type Want = Result<Vec<&'static str>, (RefusalKind, &'static str)>;
    let cases: Vec<(&str, TargetFacts, DeleteOptions, Listing, Want)> = vec![
        ("/t/root/U1-20240101-000000", facts("/t/root/U1-20240101-000000", true, false), no, none.clone(), Ok(vec![])),
        ("/t/root/U1-20240101-000000", facts("/t/root/U1-20240101-000000", true, false), opts(true, true, true), none.clone(),
            Err((ReadOnly, "backtop is in read-only mode"))),
        ("/t/root/gone", facts("/t/root/gone", false, false), no, none.clone(), Err((NotFound, "no such file or folder"))),
        ("/t/root/U1-20240101-000000", facts("/t/root/U1-20240101-000000", true, true), forced, none.clone(),
            Err((Symlink, "is a symbolic link, not a backup folder; backtop never deletes through links"))),
        ("/t/root", facts("/t/root", true, false), forced, none.clone(),
            Err((Root, "is a backup root; delete single versions inside it instead"))),
        ("/etc", facts("/etc", true, false), forced, none.clone(),
            Err((OutsideRoots, "is outside every backup root backtop looked at"))),
        ("/t/root/U1/Manifest.db", facts("/t/root/U1/Manifest.db", true, false), forced, none.clone(),
            Err((NotAVersion, "is inside the backup /t/root/U1; backtop deletes whole versions only"))),
        ("/t/root/iMazing.Versions", facts("/t/root/iMazing.Versions", true, false), forced, none.clone(),
            Err((NotAVersion, "is not a backup version backtop found"))),
        ("/t/root/U1", facts("/t/root/U1", true, false), no, none.clone(), Err((NewestComplete, newest))),
        ("/t/root/U1", facts("/t/root/U1", true, false), forced, none.clone(),
            Ok(vec!["it was the device's newest complete backup"])),
        ("/t/root/U2", facts("/t/root/U2", true, false), no, none.clone(), Err((InProgress, in_progress))),
        ("/t/root/U2", facts("/t/root/U2", true, false), forced, none.clone(),
            Ok(vec!["a backup was being written into it"])),
        // The in-progress live does not hide that the archive is U2's newest complete backup.
        ("/t/root/U2-20240201-000000", facts("/t/root/U2-20240201-000000", true, false), no, none.clone(),
            Err((NewestComplete, newest))),
        (SNAP, facts(SNAP, true, false), no, listed.clone(), Err((NeedsConfirmation, imazing))),
        (SNAP, facts(SNAP, true, false), confirmed, listed.clone(), Ok(vec![imazing])),
        (SNAP, facts(SNAP, true, false), forced, listed.clone(), Ok(vec![imazing])),
        (SNAP, facts(SNAP, true, false), no, none.clone(), Ok(vec![])),
        (SNAP, facts(SNAP, true, false), no, Listing::Unknown { reason: "file is not a database".into() },
            Err((NeedsConfirmation, "iMazing's Versions.db could not be read (file is not a database); it may still list this snapshot"))),
        ("/t/root/broken", facts("/t/root/broken", true, false), no, none.clone(), Ok(vec![])),
    ];
    for (path, f, o, listing, want) in cases {
        let want = want
            .map(|w| w.into_iter().map(String::from).collect::<Vec<_>>())
            .map_err(|(k, r)| (k, r.to_string()));
        assert_eq!(run(path, f, o, listing), want, "{path} {o:?}");
    }
}

#[test]
fn newest_complete_prefers_date_then_order() {
    let lib = guard_library();
    let u1 = &lib.devices[0].versions;
    assert_eq!(
        newest_complete(u1).map(|v| v.folder_name.as_str()),
        Some("U1")
    );
    let u2 = &lib.devices[1].versions;
    assert_eq!(
        newest_complete(u2).map(|v| v.folder_name.as_str()),
        Some("U2-20240201-000000")
    );
}

#[test]
fn canonical_keeps_a_final_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    std::fs::create_dir(&real).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&real, tmp.path().join("link")).unwrap();
        let c = canonical_keep_last(&tmp.path().join("./link"));
        assert_eq!(c, tmp.path().canonicalize().unwrap().join("link"));
    }
    assert_eq!(
        canonical_keep_last(&tmp.path().join("./real")),
        tmp.path().canonicalize().unwrap().join("real")
    );
}

#[test]
fn a_root_that_is_itself_a_backup_is_not_deleted() {
    let mut lib = guard_library();
    let mut v = lib.devices[0].versions[1].clone();
    v.path = PathBuf::from("/t/single/U9");
    v.root = PathBuf::from("/t/single/U9");
    lib.devices[0].versions.push(v);
    let f = facts("/t/single/U9", true, false);
    let o = opts(true, true, false);
    let index = LibraryIndex::new(&lib);
    let r = decide(Path::new("/t/single/U9"), &f, &index, &o, |_| {
        Listing::NotListed
    })
    .unwrap_err();
    assert_eq!(r.kind, RefusalKind::Root);
    let inner = facts("/t/single/U9/Info.plist", true, false);
    let r = decide(
        Path::new("/t/single/U9/Info.plist"),
        &inner,
        &index,
        &o,
        |_| Listing::NotListed,
    )
    .unwrap_err();
    assert_eq!(
        (r.kind, r.reason.as_str()),
        (
            RefusalKind::NotAVersion,
            "is not a backup version backtop found"
        )
    );
}

#[test]
fn dot_dot_anywhere_is_refused_before_any_lookup() {
    for p in ["/t/root/lnk/../U1", "../x", "/t/root/U1/..", "/t/root/U1/."] {
        assert!(has_dot_dot(Path::new(p)), "{p}");
    }
    assert!(!has_dot_dot(Path::new("/t/root/U1..x/y.")));
    let r = check_delete(
        Path::new("/t/root/lnk/../U1"),
        &guard_library(),
        &opts(true, true, false),
    )
    .unwrap_err();
    assert_eq!(
        (r.kind, r.reason.as_str()),
        (
            RefusalKind::DotDot,
            "has a `..` component; give the version folder's path without `..`"
        )
    );
}

#[test]
fn a_folder_of_another_user_needs_force_when_root() {
    let path = "/t/root/U1-20240101-000000";
    let mut f = facts(path, true, false);
    f.foreign_owner = Some(501);
    let want = "backtop runs as root and the folder belongs to another user (uid 501); use \
                --force to delete anyway";
    assert_eq!(
        run(
            path,
            f.clone(),
            opts(false, false, false),
            Listing::NotListed
        ),
        Err((RefusalKind::ForeignOwner, want.to_string()))
    );
    assert_eq!(
        run(path, f, opts(true, false, false), Listing::NotListed),
        Ok(vec!["it belonged to another user (uid 501)".to_string()])
    );
}
