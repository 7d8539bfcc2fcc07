//! Backups written by `backtop::demo::write_backup` (Db and Mbdb): every file's category and
//! app bundle, exactly; encrypted and damaged manifests give the documented errors.

use std::path::Path;

use backtop::demo::{build_demo, file_id, write_backup, BackupSpec, Damage, DemoOptions, FileSpec};
use backtop::library::backup::ManifestFormat;
use backtop::library::category::{classify, Category};
use backtop::library::manifest::{
    parse_file_id, Fields, FileClass, Manifest, ManifestError, ManifestIndex,
};
use backtop::library::Error;

use Category as C;

/// (domain, path, category, app bundle) of each file of the demo backup.
const FILES: &[(&str, &str, Category, Option<&str>)] = &[
    (
        "CameraRollDomain",
        "Media/DCIM/100APPLE/IMG_0001.HEIC",
        C::Photos,
        None,
    ),
    (
        "CameraRollDomain",
        "Media/PhotoData/Photos.sqlite",
        C::Photos,
        None,
    ),
    ("HomeDomain", "Library/SMS/sms.db", C::Messages, None),
    (
        "MediaDomain",
        "Library/SMS/Attachments/0a/10/IMG_1234.heic",
        C::Messages,
        None,
    ),
    (
        "AppDomainGroup-group.net.whatsapp.WhatsApp.shared",
        "ChatStorage.sqlite",
        C::Whatsapp,
        None,
    ),
    (
        "AppDomainGroup-group.net.whatsapp.WhatsAppSMB.shared",
        "ChatStorage.sqlite",
        C::Whatsapp,
        None,
    ),
    (
        "AppDomain-net.whatsapp.WhatsApp",
        "Library/Preferences/net.whatsapp.WhatsApp.plist",
        C::Whatsapp,
        None,
    ),
    (
        "HomeDomain",
        "Library/AddressBook/AddressBook.sqlitedb",
        C::Contacts,
        None,
    ),
    (
        "HomeDomain",
        "Library/Calendar/Calendar.sqlitedb",
        C::Calendars,
        None,
    ),
    (
        "HomeDomain",
        "Library/Reminders/Container_v1/Stores/Data-local.sqlite",
        C::Calendars,
        None,
    ),
    (
        "AppDomainGroup-group.com.apple.notes",
        "NoteStore.sqlite",
        C::Notes,
        None,
    ),
    ("HomeDomain", "Library/Notes/notes.sqlite", C::Notes, None),
    (
        "HomeDomain",
        "Library/CallHistoryDB/CallHistory.storedata",
        C::Calls,
        None,
    ),
    (
        "HomeDomain",
        "Library/Voicemail/voicemail.db",
        C::Calls,
        None,
    ),
    (
        "MediaDomain",
        "Media/Recordings/20240312 081500.m4a",
        C::VoiceMemos,
        None,
    ),
    (
        "AppDomainGroup-group.com.apple.VoiceMemos.shared",
        "Recordings/CloudRecordings.db",
        C::VoiceMemos,
        None,
    ),
    (
        "HealthDomain",
        "Health/healthdb_secure.sqlite",
        C::Health,
        None,
    ),
    ("HomeDomain", "Library/Safari/History.db", C::Safari, None),
    (
        "AppDomain-com.apple.mobilesafari",
        "Library/Safari/SuspendState.plist",
        C::Safari,
        None,
    ),
    (
        "AppDomainGroup-group.com.apple.FileProvider.LocalStorage",
        "File Provider Storage/report.pdf",
        C::Files,
        None,
    ),
    ("KeychainDomain", "keychain-backup.plist", C::Keychain, None),
    (
        "HomeKitDomain",
        "Library/homed/datastore3.sqlite",
        C::Home,
        None,
    ),
    (
        "AppDomain-com.spotify.client",
        "Library/Caches/offline.bnk",
        C::Apps,
        Some("com.spotify.client"),
    ),
    (
        "AppDomainGroup-group.com.spotify.client",
        "Library/Preferences/x.plist",
        C::Apps,
        Some("com.spotify.client"),
    ),
    (
        "AppDomainPlugin-com.spotify.client.widget",
        "Library/Preferences/w.plist",
        C::Apps,
        Some("com.spotify.client"),
    ),
    (
        "AppDomainGroup-group.8K7XBJ2A3C.com.burbn.instagram",
        "shared.db",
        C::Apps,
        Some("com.burbn.instagram"),
    ),
    (
        "AppDomain-com.burbn.instagram",
        "Documents/feed.db",
        C::Apps,
        Some("com.burbn.instagram"),
    ),
    (
        "AppDomainPlugin-com.google.Maps.widget",
        "Library/w.plist",
        C::Apps,
        Some("com.google.Maps.widget"),
    ),
    (
        "HomeDomain",
        "Library/Preferences/com.apple.springboard.plist",
        C::System,
        None,
    ),
    (
        "WirelessDomain",
        "Library/Databases/CellularUsage.db",
        C::System,
        None,
    ),
    (
        "SysSharedContainerDomain-systemgroup.com.apple.lsd",
        "Library/x.plist",
        C::System,
        None,
    ),
    ("BooksDomain", "Books/book.epub", C::System, None),
    (
        "MediaDomain",
        "Media/iTunes_Control/Music/F01/ABCD.m4a",
        C::OtherMedia,
        None,
    ),
];

/// App bundles in the order their first file appears.
const BUNDLES: [&str; 3] = [
    "com.spotify.client",
    "com.burbn.instagram",
    "com.google.Maps.widget",
];

fn spec(format: ManifestFormat) -> BackupSpec {
    let mut spec = BackupSpec::new("00008110-001A2B3C4D5E6F70", "Test iPhone", "iPhone15,2");
    spec.format = format;
    if format == ManifestFormat::Mbdb {
        spec.ios = "9.3.5".into();
    }
    spec.files = FILES
        .iter()
        .enumerate()
        .map(|(i, (d, p, _, _))| FileSpec::new(d, p, 1000 + i as u64))
        .collect();
    spec.apps = vec![("com.spotify.client".into(), "Spotify".into())];
    spec
}

fn id(domain: &str, path: &str) -> [u8; 20] {
    parse_file_id(file_id(domain, path).as_bytes()).unwrap()
}

fn assert_demo_index(index: &ManifestIndex, files: usize) {
    assert_eq!(index.app_bundles(), BUNDLES);
    assert_eq!(index.len(), files);
    for (domain, path, category, bundle) in &FILES[..files] {
        let app = bundle.map(|b| BUNDLES.iter().position(|x| *x == b).unwrap() as u32);
        let want = FileClass {
            category: *category,
            app,
        };
        assert_eq!(index.get(&id(domain, path)), Some(want), "{domain} {path}");
    }
    // Folder rows (the demo writes one per ancestor folder) are not files.
    assert_eq!(index.get(&id("HomeDomain", "Library/SMS")), None);
    assert_eq!(
        index.get(&id("CameraRollDomain", "Media/DCIM/100APPLE")),
        None
    );
}

#[test]
fn demo_backup_with_manifest_db_classifies_every_file() {
    let dir = tempfile::tempdir().unwrap();
    write_backup(dir.path(), &spec(ManifestFormat::Db)).unwrap();
    let index = ManifestIndex::load(dir.path(), ManifestFormat::Db).unwrap();
    assert_demo_index(&index, FILES.len());
    assert_eq!(index.skipped_rows(), 0);
}

#[test]
fn demo_backup_with_manifest_mbdb_classifies_every_file() {
    let dir = tempfile::tempdir().unwrap();
    write_backup(dir.path(), &spec(ManifestFormat::Mbdb)).unwrap();
    assert!(!dir.path().join("Manifest.db").exists());
    let index = ManifestIndex::load(dir.path(), ManifestFormat::Mbdb).unwrap();
    assert_demo_index(&index, FILES.len());
    assert_eq!(index.truncated_at(), None);
}

fn load_error(
    mut spec: BackupSpec,
    damage: Option<Damage>,
    encrypted: bool,
) -> (Error, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    spec.damage = damage;
    spec.encrypted = encrypted;
    write_backup(dir.path(), &spec).unwrap();
    let err = ManifestIndex::load(dir.path(), spec.format).unwrap_err();
    (err, dir.path().join("Manifest.db"))
}

fn message(err: Error, path: &Path) -> String {
    match err {
        Error::Manifest(e @ (ManifestError::Encrypted { .. } | ManifestError::Damaged { .. })) => {
            assert!(
                e.to_string().starts_with(&path.display().to_string()),
                "{e}"
            );
            e.reason()
        }
        other => panic!(
            "expected a ManifestError on {}, got {other:?}",
            path.display()
        ),
    }
}

#[test]
fn demo_encrypted_and_damaged_manifest_dbs() {
    let db = ManifestFormat::Db;
    let (err, path) = load_error(spec(db), None, true);
    assert_eq!(message(err, &path), "Manifest.db is encrypted");
    let (err, path) = load_error(spec(db), Some(Damage::GarbageManifestDb), false);
    assert_eq!(
        message(err, &path),
        "Manifest.db is not an SQLite database (its header is wrong)"
    );
    let (err, path) = load_error(spec(db), Some(Damage::EmptyManifestDb), false);
    assert_eq!(message(err, &path), "Manifest.db is empty (0 bytes)");
    let (err, path) = load_error(spec(db), Some(Damage::MissingManifestDb), false);
    assert!(matches!(err, Error::Io { path: p, .. } if p == path));
}

#[test]
fn demo_truncated_mbdb_keeps_the_records_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = spec(ManifestFormat::Mbdb);
    spec.damage = Some(Damage::TruncatedMbdb);
    write_backup(dir.path(), &spec).unwrap();
    let index = ManifestIndex::load(dir.path(), ManifestFormat::Mbdb).unwrap();
    let cut = index.truncated_at().expect("a truncated record");
    let half = std::fs::metadata(dir.path().join("Manifest.mbdb"))
        .unwrap()
        .len();
    assert!(cut <= half && cut > 6, "cut at {cut} of {half}");
    // The demo writes folder rows first, so the first half may hold no file at all: the index
    // holds exactly the file records before the cut.
    let parse = Manifest::open(dir.path())
        .unwrap()
        .entries(Fields::All)
        .unwrap();
    assert_eq!(parse.truncated_at, Some(cut));
    let files = parse.entries.iter().filter(|r| r.is_file()).count();
    assert_eq!(index.len(), files);
    assert!(files < FILES.len());
    for (domain, path, category, _) in FILES {
        if let Some(class) = index.get(&id(domain, path)) {
            assert_eq!(class.category, *category, "{domain} {path}");
        }
    }
}

/// Every version of a whole demo library: the index agrees with [`classify`] on every file
/// row, counts exactly the file rows, and only encrypted or damaged manifests fail to load.
#[test]
fn every_version_of_the_demo_library_loads_consistently() {
    let dir = tempfile::tempdir().unwrap();
    let opts = DemoOptions {
        seed: 7,
        scale: 0.05,
        sparse: true,
        now: None,
    };
    let library = build_demo(dir.path(), &opts).unwrap();
    let (mut loaded, mut failed) = (0, 0);
    for version in &library.versions {
        let format = if version.path.join("Manifest.mbdb").exists() {
            ManifestFormat::Mbdb
        } else {
            ManifestFormat::Db
        };
        match ManifestIndex::load(&version.path, format) {
            Ok(index) => {
                check_against_classify(&version.path, format, &index);
                loaded += 1;
            }
            Err(err) => {
                // Encrypted exactly when Manifest.plist says so; otherwise named damage.
                let text = err.to_string();
                let plist = plist::Value::from_file(version.path.join("Manifest.plist"));
                let encrypted = plist
                    .ok()
                    .and_then(|p| p.as_dictionary()?.get("IsEncrypted")?.as_boolean());
                if encrypted == Some(true) {
                    assert!(text.ends_with("Manifest.db is encrypted"), "{text}");
                } else {
                    assert!(
                        ["is empty", "not an SQLite", "No such file"]
                            .iter()
                            .any(|m| text.contains(m)),
                        "{text}"
                    );
                }
                failed += 1;
            }
        }
    }
    assert!(
        loaded >= 5 && failed >= 1,
        "{loaded} loaded, {failed} failed"
    );
}

fn check_against_classify(dir: &Path, format: ManifestFormat, index: &ManifestIndex) {
    let rows: Vec<(String, String, bool)> = Manifest::open_as(dir, format)
        .unwrap()
        .entries(Fields::All)
        .unwrap()
        .entries
        .into_iter()
        .map(|r| (r.domain.clone(), r.path.clone(), r.is_file()))
        .collect();
    let mut files = 0;
    for (domain, path, is_file) in rows {
        let class = index.get(&id(&domain, &path));
        if !is_file {
            assert_eq!(class, None, "{domain} {path}");
            continue;
        }
        files += 1;
        let class = class.unwrap_or_else(|| panic!("{domain} {path} missing"));
        let (category, bundle) = classify(&domain, &path);
        assert_eq!(class.category, category, "{domain} {path}");
        let app = class.app.map(|a| index.app_bundles()[a as usize].as_str());
        match (bundle.as_deref(), app) {
            (None, None) => {}
            // Grouped under a known bundle: the row's own bundle extends it.
            (Some(own), Some(app)) => assert!(own == app || own.starts_with(&format!("{app}."))),
            other => panic!("{domain} {path}: {other:?}"),
        }
    }
    assert_eq!(index.len(), files, "{}", dir.display());
}
