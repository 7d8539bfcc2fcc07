//! What deleting versions loses (`library::diff::what_deleting_loses`): three versions of one
//! device built with known files, each set to delete against the versions that stay, exact
//! counts and bytes by category; a Manifest.mbdb version beside Manifest.db ones; a locked
//! staying version named.

use std::path::{Path, PathBuf};

use backtop::demo::{write_backup, BackupSpec, FileSpec};
use backtop::library::category::Category;
use backtop::library::device::group;
use backtop::library::diff::{what_deleting_loses, Loss, LossTally};
use backtop::library::read_version::read_version;
use backtop::library::{Library, ManifestFormat, VersionKind};
use time::macros::datetime;

const U: &str = "00008110-000A1B2C3D4E5F60";
const PHOTOS: &str = "CameraRollDomain";

fn photo(n: u32, size: u64) -> FileSpec {
    FileSpec::new(
        PHOTOS,
        &format!("Media/DCIM/100APPLE/IMG_000{n}.HEIC"),
        size,
    )
}

fn sms(size: u64) -> FileSpec {
    FileSpec::new("HomeDomain", "Library/SMS/sms.db", size)
}

fn common() -> Vec<FileSpec> {
    vec![
        FileSpec::new("AppDomain-com.foo.app", "Documents/a.bin", 300),
        FileSpec::new("HomeDomain", "Library/Preferences/p.plist", 10),
    ]
}

/// v1 (day 1): photos 1-3, sms.db 500. v2 (day 10): photos 1, 2, 4, sms.db 600. v3 (day 20):
/// photo 1, sms.db 700. Each also holds an app file and a preferences file, unchanged.
fn library(tmp: &Path, v1_format: ManifestFormat, v3_encrypted: bool) -> (Library, [PathBuf; 3]) {
    let sets = [
        vec![photo(1, 1000), photo(2, 2000), photo(3, 3000), sms(500)],
        vec![photo(1, 1000), photo(2, 2000), photo(4, 4000), sms(600)],
        vec![photo(1, 1000), sms(700)],
    ];
    let mut versions = Vec::new();
    for (i, (files, day)) in sets.into_iter().zip([1u8, 10, 20]).enumerate() {
        let mut s = BackupSpec::new(U, "Ben's iPhone", "iPhone14,5");
        s.date = datetime!(2024-06-01 12:00 UTC).replace_day(day).unwrap();
        s.files_dated = Some(datetime!(2024-05-01 0:00 UTC));
        s.format = if i == 0 {
            v1_format
        } else {
            ManifestFormat::Db
        };
        s.encrypted = i == 2 && v3_encrypted;
        s.files = files.into_iter().chain(common()).collect();
        let dir = tmp.join(format!("{U}-v{}", i + 1));
        write_backup(&dir, &s).unwrap();
        versions.push(read_version(
            &dir,
            tmp,
            VersionKind::Archive,
            datetime!(2024-07-01 0:00 UTC),
        ));
    }
    let paths = [0, 1, 2].map(|i| versions[i].path.clone());
    let (devices, damaged) = group(versions);
    let library = Library {
        devices,
        damaged,
        ..Library::default()
    };
    (library, paths)
}

fn loses(library: &Library, going: &[&PathBuf]) -> Loss {
    let going: Vec<PathBuf> = going.iter().map(|p| (*p).clone()).collect();
    what_deleting_loses(library, &going, &|_| None, &|| false)
}

fn t(files: u64, bytes: u64, other_copy_files: u64) -> LossTally {
    LossTally {
        files,
        bytes,
        other_copy_files,
    }
}

#[test]
fn deleting_the_older_versions_loses_the_photos_and_copies_only_they_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let (lib, [v1, v2, v3]) = library(tmp.path(), ManifestFormat::Db, false);
    // v1 and v2 go, v3 stays: photos 2 (in both, counted once), 3 and 4; two older sms.db.
    let loss = loses(&lib, &[&v1, &v2]);
    assert_eq!(loss.totals, t(5, 10_100, 2));
    assert_eq!(
        loss.by_category,
        vec![
            (Category::Photos, t(3, 9_000, 0)),
            (Category::Messages, t(2, 1_100, 2)),
        ]
    );
    assert!(loss.unread_going.is_empty() && loss.unread_kept.is_empty());
    assert!(!loss.cancelled);
    // v1 alone: photo 3 and its sms.db (photo 2 stays in v2).
    let loss = loses(&lib, &[&v1]);
    assert_eq!(loss.totals, t(2, 3_500, 1));
    assert_eq!(loss.category(Category::Photos), t(1, 3_000, 0));
    // The newest alone: only its sms.db; photo 1 and the rest stay in the others.
    assert_eq!(
        loses(&lib, &[&v3]).by_category,
        vec![(Category::Messages, t(1, 700, 1))]
    );
    // Everything: every copy of every file, nothing stays.
    let all = loses(&lib, &[&v1, &v2, &v3]);
    assert_eq!(all.totals, t(9, 12_110, 0));
    assert_eq!(
        all.by_category,
        vec![
            (Category::Photos, t(4, 10_000, 0)),
            (Category::Messages, t(3, 1_800, 0)),
            (Category::Apps, t(1, 300, 0)),
            (Category::System, t(1, 10, 0)),
        ]
    );
}

#[test]
fn an_ios9_mbdb_version_is_compared_with_manifest_db_ones_by_size_and_mtime() {
    let tmp = tempfile::tempdir().unwrap();
    let (lib, [v1, v2, v3]) = library(tmp.path(), ManifestFormat::Mbdb, false);
    // v2 goes: photo 2 stays in the mbdb v1, photo 4 and sms.db 600 are lost.
    let loss = loses(&lib, &[&v2]);
    assert_eq!(loss.totals, t(2, 4_600, 1));
    assert_eq!(loss.category(Category::Photos), t(1, 4_000, 0));
    // v1 goes (read from Manifest.mbdb): photo 3 and sms.db 500.
    assert_eq!(loses(&lib, &[&v1]).totals, t(2, 3_500, 1));
    assert_eq!(loses(&lib, &[&v1, &v2, &v3]).totals, t(9, 12_110, 0));
}

#[test]
fn unreadable_versions_are_named_and_paths_of_no_version_are_ignored() {
    let tmp = tempfile::tempdir().unwrap();
    let (lib, [v1, _v2, v3]) = library(tmp.path(), ManifestFormat::Db, true);
    // v3 is encrypted and locked: deleting v1 is measured against v2 alone, and says so.
    let loss = loses(&lib, &[&v1]);
    assert_eq!(loss.totals, t(2, 3_500, 1));
    assert_eq!(
        loss.unread_kept,
        vec![(v3.clone(), "encrypted and locked".to_string())]
    );
    // Deleting the locked one: its files are not counted, and why.
    let loss = loses(&lib, &[&v3, &tmp.path().join("not-a-version")]);
    assert_eq!(loss.totals, t(0, 0, 0));
    assert_eq!(
        loss.unread_going,
        vec![(v3, "encrypted and locked".to_string())]
    );
    // A cancel before the first manifest: nothing counted, marked cancelled.
    let cancelled = what_deleting_loses(&lib, &[v1], &|_| None, &|| true);
    assert!(cancelled.cancelled);
    assert_eq!(cancelled.totals, t(0, 0, 0));
}
