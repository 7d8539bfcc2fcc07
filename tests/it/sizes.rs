//! Sizing versions written by the demo builder: hard links counted once, unique bytes,
//! categories that sum to the bytes, encrypted and damaged backups, unreadable folders, and
//! what deleting a set of versions frees. Every figure is exact.

use crate::support::scan_fixtures;

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use backtop::demo::{file_id, write_backup, write_imazing_snapshot, BackupSpec, Damage, FileSpec};
use backtop::library::category::Category;
use backtop::library::usage::{
    device_totals, freed_by_deleting, library_totals, size_version, SizeControl, Totals,
    VersionUsage,
};
use backtop::library::VersionKind;
use scan_fixtures::{category_sum, size, spec, version_of};

const PHOTO: &str = "Media/DCIM/100APPLE/IMG_0001.HEIC";

fn cats(pairs: &[(Category, u64)]) -> BTreeMap<Category, u64> {
    pairs.iter().copied().collect()
}

#[test]
fn a_snapshot_shares_its_unchanged_files_with_the_live_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let live_spec = spec(1000, 2000, 3000);
    let live = write_backup(&root.join("live"), &live_spec).unwrap();
    let mut snap_spec = live_spec.clone();
    snap_spec.date = time::macros::datetime!(2024-07-01 12:00 UTC);
    let changed = [FileSpec::new("CameraRollDomain", PHOTO, 500)];
    let snap =
        write_imazing_snapshot(&live.path, &root.join("snap"), &snap_spec, &changed).unwrap();

    let lu = size(&version_of(&live, &live_spec, root, VersionKind::Live));
    let su = size(&version_of(
        &snap,
        &snap_spec,
        root,
        VersionKind::ImazingSnapshot,
    ));
    let (ml, ms) = (live.metadata_bytes, snap.metadata_bytes);

    assert_eq!(
        (lu.bytes, lu.unique_bytes, lu.files),
        (ml + 6000, ml + 1000, 7)
    );
    assert_eq!(
        (su.bytes, su.unique_bytes, su.files),
        (ms + 5500, ms + 500, 7)
    );
    assert_eq!(lu.shared.len(), 2);
    assert!(lu.errors.is_empty() && su.errors.is_empty());
    assert_eq!(
        lu.categories,
        cats(&[
            (Category::Photos, 1000),
            (Category::Apps, 2000),
            (Category::System, 3000),
            (Category::Metadata, ml)
        ])
    );
    assert_eq!(su.categories[&Category::Photos], 500);
    assert_eq!(category_sum(&lu), lu.bytes);
    assert_eq!(category_sum(&su), su.bytes);
    assert_eq!(lu.top_apps.len(), 1);
    assert_eq!(lu.top_apps[0].bundle_id, "com.spotify.client");
    assert_eq!(lu.top_apps[0].name.as_deref(), Some("Spotify"));
    assert_eq!(lu.top_apps[0].bytes, 2000);

    // The shared inodes count once in device and library totals.
    let all = ml + ms + 1000 + 500 + 2000 + 3000;
    let expected = Totals {
        bytes: all,
        unique_bytes: all,
        files: 12,
    };
    assert_eq!(device_totals(&[&lu, &su]), expected);
    assert_eq!(library_totals(&[&lu, &su]), expected);
    assert_eq!(freed_by_deleting(&[&su]), ms + 500);
    assert!(lu.allocated_bytes > 0);
}

#[test]
fn two_snapshots_free_nothing_alone_and_gigabytes_together() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut live_spec = spec(1000, 2000, 3000);
    live_spec.sparse = true;
    let live = write_backup(&root.join("live"), &live_spec).unwrap();
    // Snapshot 1 holds a new 3 GB photo; snapshot 2 links it from snapshot 1 only.
    let big = [FileSpec::new("CameraRollDomain", PHOTO, 3_000_000_000)];
    let s1 = write_imazing_snapshot(&live.path, &root.join("s1"), &live_spec, &big).unwrap();
    let s2 = write_imazing_snapshot(&s1.path, &root.join("s2"), &live_spec, &[]).unwrap();
    let v = |w| version_of(w, &live_spec, root, VersionKind::ImazingSnapshot);
    let (u1, u2) = (size(&v(&s1)), size(&v(&s2)));
    let lu = size(&version_of(&live, &live_spec, root, VersionKind::Live));

    assert_eq!(u1.unique_bytes, s1.metadata_bytes);
    assert_eq!(u2.unique_bytes, s2.metadata_bytes);
    assert_eq!(freed_by_deleting(&[&u1]), s1.metadata_bytes);
    assert_eq!(freed_by_deleting(&[&u2]), s2.metadata_bytes);
    assert_eq!(
        freed_by_deleting(&[&u1, &u2]),
        s1.metadata_bytes + s2.metadata_bytes + 3_000_000_000
    );
    // App and settings files have three links: only deleting all three versions frees them.
    assert_eq!(
        freed_by_deleting(&[&lu, &u1, &u2]),
        live.metadata_bytes + s1.metadata_bytes + s2.metadata_bytes + 1000 + 3_000_000_000 + 5000
    );
}

#[test]
fn an_encrypted_backup_is_metadata_and_encrypted_bytes_only() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec(1000, 2000, 3000);
    sp.encrypted = true;
    let w = write_backup(tmp.path(), &sp).unwrap();
    let u = size(&version_of(&w, &sp, tmp.path(), VersionKind::Live));
    assert_eq!(w.content_bytes, 1008 + 2016 + 3008);
    assert_eq!(
        u.categories,
        cats(&[
            (Category::Metadata, w.metadata_bytes),
            (Category::Encrypted, w.content_bytes)
        ])
    );
    assert_eq!(u.bytes, w.metadata_bytes + w.content_bytes);
    assert!(u.top_apps.is_empty() && u.errors.is_empty());
}

#[test]
fn files_no_manifest_row_names_are_unknown() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec(1000, 2000, 3000);
    sp.unlisted_files = vec![(format!("ab{}", "0".repeat(38)), 1234)];
    let w = write_backup(tmp.path(), &sp).unwrap();
    std::fs::write(tmp.path().join(".DS_Store"), [0u8; 6]).unwrap();
    let u = size(&version_of(&w, &sp, tmp.path(), VersionKind::Live));
    assert_eq!(u.categories[&Category::Unknown], 1234 + 6);
    assert_eq!(u.bytes, w.metadata_bytes + 6000 + 1234 + 6);
    assert_eq!(category_sum(&u), u.bytes);
}

#[test]
fn manifest_rows_without_a_file_add_no_bytes_and_no_error() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec(1000, 2000, 3000);
    sp.missing_files = 1;
    let w = write_backup(tmp.path(), &sp).unwrap();
    let u = size(&version_of(&w, &sp, tmp.path(), VersionKind::Live));
    assert_eq!((u.bytes, u.files), (w.metadata_bytes + 3000, 6));
    assert!(u.errors.is_empty());
    assert!(!u.categories.contains_key(&Category::System));
    assert_eq!(category_sum(&u), u.bytes);
}

#[test]
fn an_unreadable_manifest_leaves_content_unknown_with_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec(1000, 2000, 3000);
    sp.damage = Some(Damage::EmptyManifestDb);
    let w = write_backup(tmp.path(), &sp).unwrap();
    let u = size(&version_of(&w, &sp, tmp.path(), VersionKind::Live));
    assert_eq!(
        u.categories,
        cats(&[
            (Category::Metadata, w.metadata_bytes),
            (Category::Unknown, 6000)
        ])
    );
    assert_eq!(u.errors.len(), 1, "{:?}", u.errors);
    assert!(
        u.errors[0].contains("Manifest.db is empty"),
        "{:?}",
        u.errors
    );
}

fn ciphertext() -> Vec<u8> {
    (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect()
}

/// Writes `sp` at `dir` with random-looking bytes for `Manifest.db`, then sizes it.
fn size_with_ciphertext_manifest(dir: &Path, sp: &BackupSpec) -> VersionUsage {
    let w = write_backup(dir, sp).unwrap();
    std::fs::write(dir.join("Manifest.db"), ciphertext()).unwrap();
    size(&version_of(&w, sp, dir, VersionKind::Live))
}

#[test]
fn a_ciphertext_manifest_db_in_an_unencrypted_backup_is_damage() {
    let tmp = tempfile::tempdir().unwrap();
    let sp = spec(1000, 2000, 3000);
    let u = size_with_ciphertext_manifest(tmp.path(), &sp);
    let meta = u.bytes - 6000;
    assert_eq!(
        u.categories,
        cats(&[(Category::Metadata, meta), (Category::Unknown, 6000)])
    );
    assert_eq!(u.errors.len(), 1, "{:?}", u.errors);
}

#[test]
fn a_ciphertext_manifest_db_without_manifest_plist_counts_as_encrypted_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec(1000, 2000, 3000);
    sp.damage = Some(Damage::MissingManifestPlist);
    let u = size_with_ciphertext_manifest(tmp.path(), &sp);
    let meta = u.bytes - 6000;
    assert_eq!(
        u.categories,
        cats(&[(Category::Metadata, meta), (Category::Encrypted, 6000)])
    );
    assert_eq!(
        u.errors,
        ["Manifest.db looks encrypted: files are counted as encrypted"]
    );
}

/// Fails like `chmod 000` would for the folder holding the photo.
fn deny_photo_folder(dir: &Path) -> io::Result<std::fs::ReadDir> {
    let photo = file_id("CameraRollDomain", PHOTO);
    if dir
        .file_name()
        .is_some_and(|n| n.to_str() == photo.get(..2))
    {
        return Err(io::Error::from(io::ErrorKind::PermissionDenied));
    }
    std::fs::read_dir(dir)
}

#[test]
fn an_unreadable_subfolder_is_an_error_on_the_version_not_a_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let sp = spec(1000, 2000, 3000);
    let w = write_backup(tmp.path(), &sp).unwrap();
    let prefixes: Vec<String> = sp
        .files
        .iter()
        .map(|f| f.file_id()[..2].to_string())
        .collect();
    assert!(prefixes[0] != prefixes[1] && prefixes[0] != prefixes[2]);
    let v = version_of(&w, &sp, tmp.path(), VersionKind::Live);
    let cancel = AtomicBool::new(false);
    let progress = |_: u64, _: u64| {};
    let ctl = SizeControl {
        read_dir: deny_photo_folder,
        ..SizeControl::new(&cancel, &progress)
    };
    let u = size_version(&v, &ctl).unwrap().unwrap();
    let denied = tmp.path().join(&prefixes[0]);
    assert_eq!(
        u.errors,
        [format!(
            "cannot read folder {}: permission denied",
            denied.display()
        )]
    );
    assert_eq!(u.bytes, w.metadata_bytes + 5000);
}

#[cfg(unix)]
#[test]
fn a_chmod_000_subfolder_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: running as root, chmod 000 denies nothing (see the injected test)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let sp = spec(1000, 2000, 3000);
    let w = write_backup(tmp.path(), &sp).unwrap();
    let denied = tmp.path().join(&file_id("CameraRollDomain", PHOTO)[..2]);
    std::fs::set_permissions(&denied, std::fs::Permissions::from_mode(0o000)).unwrap();
    let u = size(&version_of(&w, &sp, tmp.path(), VersionKind::Live));
    std::fs::set_permissions(&denied, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(u.errors.len(), 1);
    assert!(u.errors[0].starts_with(&format!("cannot read folder {}:", denied.display())));
    assert_eq!(u.bytes, w.metadata_bytes + 5000);
}

#[test]
fn a_cancelled_walk_returns_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec(1, 1, 1);
    sp.files = (0..3000)
        .map(|i| FileSpec::new("HomeDomain", &format!("Library/f{i}"), 1))
        .collect();
    sp.sparse = true;
    let w = write_backup(tmp.path(), &sp).unwrap();
    let v = version_of(&w, &sp, tmp.path(), VersionKind::Live);
    let cancel = AtomicBool::new(false);
    // The first progress report cancels: the walk must stop and return no figures.
    let progress = |_: u64, _: u64| cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    let got: Option<VersionUsage> =
        size_version(&v, &SizeControl::new(&cancel, &progress)).unwrap();
    assert_eq!(got, None);
}

#[test]
fn a_missing_version_folder_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let sp = spec(1, 1, 1);
    let w = write_backup(&tmp.path().join("v"), &sp).unwrap();
    let v = version_of(&w, &sp, tmp.path(), VersionKind::Live);
    std::fs::remove_dir_all(&w.path).unwrap();
    let cancel = AtomicBool::new(false);
    let progress = |_: u64, _: u64| {};
    let err = size_version(&v, &SizeControl::new(&cancel, &progress)).unwrap_err();
    assert!(err.to_string().starts_with(&w.path.display().to_string()));
}

#[test]
fn an_ios9_backup_with_flat_files_and_manifest_mbdb_is_sized_and_categorized() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec(1000, 2000, 3000);
    sp.format = backtop::library::ManifestFormat::Mbdb;
    sp.ios = "9.3.5".into();
    let w = write_backup(tmp.path(), &sp).unwrap();
    assert!(tmp
        .path()
        .join(file_id("CameraRollDomain", PHOTO))
        .is_file());
    let u = size(&version_of(&w, &sp, tmp.path(), VersionKind::Live));
    assert_eq!((u.bytes, u.files), (w.metadata_bytes + 6000, 7));
    assert_eq!(
        u.categories,
        cats(&[
            (Category::Photos, 1000),
            (Category::Apps, 2000),
            (Category::System, 3000),
            (Category::Metadata, w.metadata_bytes)
        ])
    );
    assert!(u.errors.is_empty(), "{:?}", u.errors);
}

#[test]
fn a_plugin_of_an_installed_app_counts_under_that_app() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec(1000, 2000, 3000);
    sp.files = vec![FileSpec::new(
        "AppDomainPlugin-com.spotify.client.widget",
        "Library/Caches/w.bin",
        700,
    )];
    let w = write_backup(tmp.path(), &sp).unwrap();
    let u = size(&version_of(&w, &sp, tmp.path(), VersionKind::Live));
    assert_eq!(u.categories[&Category::Apps], 700);
    assert_eq!(u.top_apps.len(), 1);
    assert_eq!(
        (
            u.top_apps[0].bundle_id.as_str(),
            u.top_apps[0].name.as_deref(),
            u.top_apps[0].bytes
        ),
        ("com.spotify.client", Some("Spotify"), 700)
    );
}
