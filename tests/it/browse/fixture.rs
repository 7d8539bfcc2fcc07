//! Small demo versions with real bytes (not sparse) for the browse and export tests.

use std::path::{Path, PathBuf};

use backtop::demo::{write_backup, BackupSpec, FileSpec};
use backtop::library::ManifestFormat;

/// The UDID of the test phone.
pub const UDID: &str = "00008110-001A2B3C4D5E6F70";

/// (domain, path, size) of each file; the last two are missing on disk.
pub const FILES: &[(&str, &str, u64)] = &[
    (
        "CameraRollDomain",
        "Media/DCIM/100APPLE/IMG_0001.HEIC",
        70_000,
    ),
    (
        "CameraRollDomain",
        "Media/DCIM/100APPLE/IMG_0002.MOV",
        150_000,
    ),
    ("HomeDomain", "Library/SMS/sms.db", 4_096),
    ("HomeDomain", "Library/SMS/Attachments/ab/IMG_9.jpg", 2_000),
    ("HomeDomain", "Library/Notes/notes.sqlite", 1_234),
    ("MediaDomain", "Media/Recordings/a.m4a", 999),
    ("AppDomain-com.spotify.client", "Documents/cache.bin", 10),
    (
        "AppDomainGroup-group.com.spotify.client",
        "Library/x.plist",
        0,
    ),
    ("HomeDomain", "Library/Preferences/gone.plist", 77),
    ("MediaDomain", "Media/Recordings/gone.m4a", 88),
];

/// Files missing on disk (the tail of [`FILES`]).
pub const MISSING: usize = 2;

/// The spec of the test phone in `format`.
pub fn spec(format: ManifestFormat) -> BackupSpec {
    let mut spec = BackupSpec::new(UDID, "Test iPhone", "iPhone15,2");
    spec.format = format;
    if format == ManifestFormat::Mbdb {
        spec.ios = "9.3.5".into();
    }
    spec.files = FILES
        .iter()
        .map(|(d, p, s)| FileSpec::new(d, p, *s))
        .collect();
    spec.missing_files = MISSING;
    spec.apps = vec![("com.spotify.client".into(), "Spotify".into())];
    spec
}

/// Writes the test phone into `root/<UDID>` and returns the version folder.
pub fn write(root: &Path, format: ManifestFormat) -> PathBuf {
    let dir = root.join(UDID);
    write_backup(&dir, &spec(format)).unwrap();
    dir
}

/// Asserts that `file` holds the bytes the builder wrote for `domain/path` (a file of
/// [`FILES`]) and the manifest's mtime.
pub fn assert_exported(file: &Path, domain: &str, path: &str) {
    let row = backtop::demo::manifest_rows(&spec(ManifestFormat::Db))
        .into_iter()
        .find(|r| r.domain == domain && r.path == path)
        .expect("a file of the fixture");
    let got = std::fs::read(file).expect("the exported file");
    assert!(
        got == backtop::demo::content_bytes(&row.file_id, row.size),
        "{}",
        file.display()
    );
    let mtime = std::fs::metadata(file).unwrap().modified().unwrap();
    let secs = mtime
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert_eq!(secs, row.mtime, "{}", file.display());
}
