//! Export of demo versions: bytes and mtimes equal what the builder wrote, missing files, name
//! collisions, selections, cancel; and crafted manifests (`..`, absolute paths, a symbolic
//! link in the manifest, a symbolic link in the destination) that must write nothing outside
//! the destination.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use backtop::actions::export::{
    export, select, Collision, ExportOptions, ExportStatus, ExportSummary, NameRules, Selection,
    SkipReason, Source,
};
use backtop::demo::{content_bytes, manifest_rows, write_backup, FileSpec};
use backtop::library::category::Category;
use backtop::library::manifest::{present_ids, Manifest, Tree};
use backtop::library::ManifestFormat;

use super::fixture::{self, FILES, MISSING};

fn tree_of(dir: &Path, format: ManifestFormat) -> Tree {
    let manifest = Manifest::open_as(dir, format).unwrap();
    Tree::load(&manifest, Some(&present_ids(dir, format))).unwrap()
}

fn run(
    dir: &Path,
    format: ManifestFormat,
    selection: &Selection,
    dest: &Path,
    collision: Collision,
) -> ExportSummary {
    let tree = tree_of(dir, format);
    let items = select(&tree, selection).unwrap();
    let options = ExportOptions {
        collision,
        rules: NameRules::host(),
    };
    let mut reports = 0;
    let summary = export(
        Source { dir, format },
        &items,
        dest,
        options,
        &AtomicBool::new(false),
        &mut |_| reports += 1,
    )
    .unwrap();
    assert!(
        reports > summary.written as usize,
        "a report per file and one at the start"
    );
    summary
}

fn mtime_secs(path: &Path) -> i64 {
    let m = std::fs::metadata(path).unwrap().modified().unwrap();
    m.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Every file under `root`, relative, sorted.
fn files_under(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    out.sort();
    out
}

#[test]
fn an_export_writes_the_builders_bytes_and_mtimes_in_both_formats() {
    for format in [ManifestFormat::Db, ManifestFormat::Mbdb] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = fixture::write(tmp.path(), format);
        let dest = tmp.path().join("out");
        let summary = run(&dir, format, &Selection::default(), &dest, Collision::Skip);
        let present = FILES.len() - MISSING;
        assert_eq!(summary.written, present as u64, "{format:?}");
        let bytes: u64 = FILES[..present].iter().map(|f| f.2).sum();
        assert_eq!(summary.bytes_written, bytes);
        assert_eq!(
            summary.missing,
            [
                "HomeDomain/Library/Preferences/gone.plist",
                "MediaDomain/Media/Recordings/gone.m4a"
            ]
        );
        assert!(
            summary.skipped.is_empty() && summary.failed.is_empty(),
            "{summary:?}"
        );
        assert_eq!(summary.status(), ExportStatus::Incomplete);
        for row in manifest_rows(&fixture::spec(format)) {
            let path = dest.join(&row.domain).join(&row.path);
            if row.is_dir() {
                assert!(path.is_dir(), "{}", path.display());
                assert_eq!(
                    mtime_secs(&path),
                    row.mtime,
                    "{format:?} folder {}",
                    row.path
                );
                continue;
            }
            if row.path.contains("gone") {
                assert!(!path.exists());
                continue;
            }
            let got = std::fs::read(&path).unwrap();
            assert!(
                got == content_bytes(&row.file_id, row.size),
                "{format:?} {}",
                row.path
            );
            assert_eq!(mtime_secs(&path), row.mtime, "{format:?} {}", row.path);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&path).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o644);
            }
        }
    }
}

#[test]
fn existing_files_are_skipped_or_renamed_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture::write(tmp.path(), ManifestFormat::Db);
    let dest = tmp.path().join("out");
    let only = |p: &str| Selection {
        prefixes: vec![p.into()],
        ..Selection::default()
    };
    let sms = "HomeDomain/Library/SMS";
    run(&dir, ManifestFormat::Db, &only(sms), &dest, Collision::Skip);
    let db = dest.join("HomeDomain/Library/SMS/sms.db");
    std::fs::write(&db, b"mine").unwrap();
    let again = run(&dir, ManifestFormat::Db, &only(sms), &dest, Collision::Skip);
    assert_eq!(again.written, 0);
    let reasons: Vec<_> = again.skipped.iter().map(|s| s.what.id()).collect();
    assert_eq!(reasons, ["exists", "exists"]);
    assert_eq!(std::fs::read(&db).unwrap(), b"mine");
    let renamed = run(
        &dir,
        ManifestFormat::Db,
        &only(sms),
        &dest,
        Collision::Rename,
    );
    assert_eq!((renamed.written, renamed.renamed.len()), (2, 2));
    let twice = run(
        &dir,
        ManifestFormat::Db,
        &only(sms),
        &dest,
        Collision::Rename,
    );
    assert_eq!(twice.written, 2);
    assert_eq!(
        files_under(&dest.join("HomeDomain/Library/SMS")),
        [
            "Attachments/IMG_9 (1).jpg",
            "Attachments/IMG_9 (2).jpg",
            "Attachments/IMG_9.jpg",
            "sms (1).db",
            "sms (2).db",
            "sms.db",
        ]
        .map(|p| p.replace("Attachments/", "Attachments/ab/"))
    );
    assert_eq!(std::fs::read(&db).unwrap(), b"mine");
    let id = backtop::demo::file_id("HomeDomain", "Library/SMS/sms.db");
    assert_eq!(
        std::fs::read(dest.join("HomeDomain/Library/SMS/sms (2).db")).unwrap(),
        content_bytes(&id, 4_096)
    );
}

#[test]
fn a_category_or_an_app_narrows_the_export() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture::write(tmp.path(), ManifestFormat::Db);
    let photos = Selection {
        category: Some(Category::Photos),
        ..Selection::default()
    };
    let dest = tmp.path().join("photos");
    assert_eq!(
        run(&dir, ManifestFormat::Db, &photos, &dest, Collision::Skip).written,
        2
    );
    assert_eq!(
        files_under(&dest),
        [
            "CameraRollDomain/Media/DCIM/100APPLE/IMG_0001.HEIC",
            "CameraRollDomain/Media/DCIM/100APPLE/IMG_0002.MOV",
        ]
    );
    let spotify = Selection {
        app: Some("com.spotify.client".into()),
        ..Selection::default()
    };
    let dest = tmp.path().join("spotify");
    assert_eq!(
        run(&dir, ManifestFormat::Db, &spotify, &dest, Collision::Skip).written,
        2
    );
    assert_eq!(
        files_under(&dest),
        [
            "AppDomain-com.spotify.client/Documents/cache.bin",
            "AppDomainGroup-group.com.spotify.client/Library/x.plist",
        ]
    );
    let tree = tree_of(&dir, ManifestFormat::Db);
    let nothing = Selection {
        app: Some("com.nope".into()),
        ..Selection::default()
    };
    assert!(select(&tree, &nothing).is_err());
    let wrong = Selection {
        prefixes: vec!["HomeDomain/Nope".into()],
        ..Selection::default()
    };
    assert_eq!(
        select(&tree, &wrong).unwrap_err().to_string(),
        "HomeDomain/Nope: no such domain or path in this version"
    );
}

/// A backup whose manifest names `..`, absolute paths, a `..` domain and a file below a
/// symbolic link; the destination holds a symbolic link to a folder outside it.
fn crafted(tmp: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let mut spec = fixture::spec(ManifestFormat::Db);
    spec.missing_files = 0;
    spec.files = vec![
        FileSpec::new("HomeDomain", "Library/SMS/sms.db", 10),
        FileSpec::new("HomeDomain", "../../escape.txt", 11),
        FileSpec::new("HomeDomain", "a/../../../escape2.txt", 12),
        FileSpec::new("HomeDomain", "/tmp/absolute.txt", 13),
        FileSpec::new("..", "up.txt", 14),
        FileSpec::new("MediaDomain", "Media/ok.txt", 15),
        FileSpec::new("CameraRollDomain", "Media/x.jpg", 16),
    ];
    let dir = tmp.join("backup");
    write_backup(&dir, &spec).unwrap();
    // A symbolic link row with a file below it (contents copied from sms.db).
    let conn = rusqlite::Connection::open(dir.join("Manifest.db")).unwrap();
    let below = backtop::demo::file_id("HomeDomain", "Library/link/x.txt");
    conn.execute(
        "INSERT INTO Files VALUES (?1, 'HomeDomain', 'Library/link', 4, NULL)",
        [backtop::demo::file_id("HomeDomain", "Library/link")],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO Files SELECT ?1, domain, 'Library/link/x.txt', flags, file FROM Files \
         WHERE relativePath = 'Library/SMS/sms.db'",
        [&below],
    )
    .unwrap();
    drop(conn);
    let sms = backtop::demo::file_id("HomeDomain", "Library/SMS/sms.db");
    std::fs::create_dir_all(dir.join(&below[..2])).unwrap();
    std::fs::copy(
        dir.join(&sms[..2]).join(&sms),
        dir.join(&below[..2]).join(&below),
    )
    .unwrap();
    let outside = tmp.join("outside");
    std::fs::create_dir(&outside).unwrap();
    let dest = tmp.join("a/b/dest");
    std::fs::create_dir_all(dest.join("CameraRollDomain")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, dest.join("CameraRollDomain/Media")).unwrap();
    (dir, dest, outside)
}

#[test]
fn a_crafted_manifest_writes_nothing_outside_the_destination() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, dest, outside) = crafted(tmp.path());
    let summary = run(
        &dir,
        ManifestFormat::Db,
        &Selection::default(),
        &dest,
        Collision::Skip,
    );
    let mut skipped: Vec<(String, &str)> = summary
        .skipped
        .iter()
        .map(|s| (s.item.clone(), s.what.id()))
        .collect();
    skipped.sort();
    let mut want = vec![
        ("../up.txt", "parent_dir"),
        ("HomeDomain/../../escape.txt", "parent_dir"),
        ("HomeDomain/a/../../../escape2.txt", "parent_dir"),
        ("HomeDomain//tmp/absolute.txt", "absolute"),
        ("HomeDomain/Library/link", "not_a_file"),
        ("HomeDomain/Library/link/x.txt", "through_symlink"),
    ];
    if cfg!(unix) {
        want.push(("CameraRollDomain/Media/x.jpg", "symlink_in_destination"));
    }
    let mut want: Vec<(String, &str)> = want.into_iter().map(|(a, b)| (a.to_string(), b)).collect();
    want.sort();
    // Folder rows the demo wrote for the crafted paths are refused too; compare the files.
    skipped.retain(|(item, _)| want.iter().any(|(w, _)| w == item));
    assert_eq!(skipped, want);
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!(summary.written, if cfg!(unix) { 2 } else { 3 });
    // Nothing anywhere but in the destination and the backup.
    let everything = files_under(tmp.path());
    let stray: Vec<_> = everything
        .iter()
        .filter(|p| !p.starts_with("backup/") && !p.starts_with("a/b/dest/"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    assert!(files_under(&outside).is_empty());
    let why = summary
        .skipped
        .iter()
        .find(|s| s.what.id() == "through_symlink")
        .unwrap();
    assert_eq!(
        why.what.to_string(),
        "refused: HomeDomain/Library/link is a symbolic link in the manifest"
    );
    assert!(matches!(why.what, SkipReason::ThroughSymlink(_)));
}

#[test]
fn a_cancelled_export_stops_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture::write(tmp.path(), ManifestFormat::Db);
    let tree = tree_of(&dir, ManifestFormat::Db);
    let items = select(&tree, &Selection::default()).unwrap();
    let dest = tmp.path().join("out");
    let summary = export(
        Source {
            dir: &dir,
            format: ManifestFormat::Db,
        },
        &items,
        &dest,
        ExportOptions::default(),
        &AtomicBool::new(true),
        &mut |_| {},
    )
    .unwrap();
    assert!(summary.cancelled);
    assert_eq!(
        (summary.written, summary.status()),
        (0, ExportStatus::Incomplete)
    );
    assert!(files_under(&dest).is_empty());
}
