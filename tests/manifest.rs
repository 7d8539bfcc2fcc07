//! ManifestIndex over generated Manifest.db and Manifest.mbdb files, MBFile blobs built with
//! the plist crate, and the read-only guarantees.

use std::path::Path;

use backtop::library::backup::ManifestFormat;
use backtop::library::category::Category;
use backtop::library::manifest::{
    decode_mbfile, for_each_row, parse_file_id, probe_db, rows, DbKind, FileClass, ManifestIndex,
    MbFile,
};
use backtop::library::Error;
use plist::{Dictionary, Uid, Value};
use rusqlite::{params, Connection};
use sha1::{Digest, Sha1};

fn file_id(domain: &str, path: &str) -> String {
    hex::encode(Sha1::digest(format!("{domain}-{path}")))
}

fn id(domain: &str, path: &str) -> [u8; 20] {
    parse_file_id(file_id(domain, path).as_bytes()).unwrap()
}

/// An NSKeyedArchiver MBFile blob: `$objects` = [$null, MBFile, path, key object, key data, class].
fn mbfile_blob(path: &str, size: u64, mode: u64, key: Option<&[u8]>) -> Vec<u8> {
    let mut mb = Dictionary::new();
    mb.insert("$class".into(), Value::Uid(Uid::new(5)));
    mb.insert("Size".into(), size.into());
    mb.insert("Mode".into(), mode.into());
    mb.insert("LastModified".into(), 1_700_000_000i64.into());
    mb.insert("Birth".into(), 1_600_000_000i64.into());
    mb.insert("InodeNumber".into(), 123_456u64.into());
    mb.insert("ProtectionClass".into(), 3u64.into());
    mb.insert("Flags".into(), 0u64.into());
    mb.insert("UserID".into(), 501u64.into());
    mb.insert("RelativePath".into(), Value::Uid(Uid::new(2)));
    if key.is_some() {
        mb.insert("EncryptionKey".into(), Value::Uid(Uid::new(3)));
    }
    let mut key_object = Dictionary::new();
    key_object.insert("NS.data".into(), Value::Uid(Uid::new(4)));
    key_object.insert("$class".into(), Value::Uid(Uid::new(5)));
    let mut class = Dictionary::new();
    class.insert("$classname".into(), "MBFile".into());
    class.insert(
        "$classes".into(),
        vec![Value::from("MBFile"), "NSObject".into()].into(),
    );
    let objects = vec![
        Value::from("$null"),
        mb.into(),
        path.into(),
        key_object.into(),
        Value::Data(key.unwrap_or_default().to_vec()),
        class.into(),
    ];
    archive(objects)
}

fn archive(objects: Vec<Value>) -> Vec<u8> {
    let mut top = Dictionary::new();
    top.insert("root".into(), Value::Uid(Uid::new(1)));
    let mut root = Dictionary::new();
    root.insert("$archiver".into(), "NSKeyedArchiver".into());
    root.insert("$version".into(), 100_000u64.into());
    root.insert("$top".into(), top.into());
    root.insert("$objects".into(), objects.into());
    let mut out = Vec::new();
    plist::to_writer_binary(&mut out, &Value::from(root)).unwrap();
    out
}

/// A Manifest.db with the real schema and one row per (domain, path, flags).
fn write_db(dir: &Path, rows: &[(&str, &str, i64)]) {
    let conn = Connection::open(dir.join("Manifest.db")).unwrap();
    conn.execute_batch(
        "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
         CREATE INDEX FilesDomainIdx ON Files(domain);
         CREATE INDEX FilesRelativePathIdx ON Files(relativePath);
         CREATE INDEX FilesFlagsIdx ON Files(flags);
         CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);",
    )
    .unwrap();
    let mut insert = conn
        .prepare("INSERT INTO Files VALUES (?1, ?2, ?3, ?4, ?5)")
        .unwrap();
    for (domain, path, flags) in rows {
        let mode = match flags {
            1 => 0o100644,
            2 => 0o40755,
            _ => 0o120755,
        };
        let blob = mbfile_blob(path, 10, mode, None);
        insert
            .execute(params![file_id(domain, path), domain, path, flags, blob])
            .unwrap();
    }
}

/// The rows of a small phone: files, directories, a symlink, apps with groups and plugins.
const PHONE: &[(&str, &str, i64)] = &[
    ("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC", 1),
    ("CameraRollDomain", "Media/DCIM/100APPLE", 2),
    ("HomeDomain", "Library/SMS/sms.db", 1),
    ("HomeDomain", "Library/Preferences/com.apple.x.plist", 1),
    ("HomeDomain", "Library/Safari/History.db", 1),
    ("HomeDomain", "Library/link", 4),
    ("MediaDomain", "Library/SMS/Attachments/0a/IMG_1.heic", 1),
    ("MediaDomain", "Media/Recordings/a.m4a", 1),
    ("MediaDomain", "Media/Books/b.epub", 1),
    ("AppDomain-com.spotify.client", "Documents/cache.db", 1),
    (
        "AppDomainGroup-group.com.spotify.client",
        "Library/x.plist",
        1,
    ),
    (
        "AppDomainPlugin-com.spotify.client.widget",
        "Library/w.plist",
        1,
    ),
    (
        "AppDomainPlugin-com.other.tool.widget",
        "Library/t.plist",
        1,
    ),
    ("AppDomainGroup-group.ABCDE12345.com.foo", "shared.db", 1),
    ("AppDomain-com.foo", "Documents/foo.db", 1),
    ("AppDomain-com.foo", "Documents", 2),
    (
        "AppDomainGroup-group.net.whatsapp.WhatsApp.shared",
        "ChatStorage.sqlite",
        1,
    ),
    ("KeychainDomain", "keychain-backup.plist", 1),
    ("SomeNewDomain", "x", 1),
];

fn class(category: Category) -> Option<FileClass> {
    Some(FileClass {
        category,
        app: None,
    })
}

/// Checks the index of [`PHONE`], whichever manifest format it came from.
fn assert_phone_index(index: &ManifestIndex) {
    assert_eq!(index.len(), 16);
    assert!(!index.is_empty());
    assert_eq!(
        index.app_bundles(),
        ["com.spotify.client", "com.other.tool.widget", "com.foo"]
    );
    let app = |i| {
        Some(FileClass {
            category: Category::Apps,
            app: Some(i),
        })
    };
    let expected = [
        (
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            class(Category::Photos),
        ),
        ("CameraRollDomain", "Media/DCIM/100APPLE", None),
        (
            "HomeDomain",
            "Library/SMS/sms.db",
            class(Category::Messages),
        ),
        (
            "HomeDomain",
            "Library/Preferences/com.apple.x.plist",
            class(Category::System),
        ),
        (
            "HomeDomain",
            "Library/Safari/History.db",
            class(Category::Safari),
        ),
        ("HomeDomain", "Library/link", None),
        (
            "MediaDomain",
            "Library/SMS/Attachments/0a/IMG_1.heic",
            class(Category::Messages),
        ),
        (
            "MediaDomain",
            "Media/Recordings/a.m4a",
            class(Category::VoiceMemos),
        ),
        (
            "MediaDomain",
            "Media/Books/b.epub",
            class(Category::OtherMedia),
        ),
        ("AppDomain-com.spotify.client", "Documents/cache.db", app(0)),
        (
            "AppDomainGroup-group.com.spotify.client",
            "Library/x.plist",
            app(0),
        ),
        (
            "AppDomainPlugin-com.spotify.client.widget",
            "Library/w.plist",
            app(0),
        ),
        (
            "AppDomainPlugin-com.other.tool.widget",
            "Library/t.plist",
            app(1),
        ),
        (
            "AppDomainGroup-group.ABCDE12345.com.foo",
            "shared.db",
            app(2),
        ),
        ("AppDomain-com.foo", "Documents/foo.db", app(2)),
        ("AppDomain-com.foo", "Documents", None),
        (
            "AppDomainGroup-group.net.whatsapp.WhatsApp.shared",
            "ChatStorage.sqlite",
            class(Category::Whatsapp),
        ),
        (
            "KeychainDomain",
            "keychain-backup.plist",
            class(Category::Keychain),
        ),
        ("SomeNewDomain", "x", class(Category::System)),
    ];
    for (domain, path, want) in expected {
        assert_eq!(index.get(&id(domain, path)), want, "{domain} {path}");
    }
    assert_eq!(
        index.domain_of(&id("HomeDomain", "Library/SMS/sms.db")),
        Some("HomeDomain")
    );
    let mut ids: Vec<_> = index.file_ids().copied().collect();
    ids.sort();
    let mut want: Vec<_> = PHONE
        .iter()
        .filter(|r| r.2 == 1)
        .map(|r| id(r.0, r.1))
        .collect();
    want.sort();
    assert_eq!(ids, want);
}

#[test]
fn loads_a_manifest_db_with_categories_and_grouped_apps() {
    let dir = tempfile::tempdir().unwrap();
    write_db(dir.path(), PHONE);
    let index = ManifestIndex::load(dir.path(), ManifestFormat::Db).unwrap();
    assert_phone_index(&index);
    assert_eq!(index.skipped_rows(), 0);
}

/// A Manifest.mbdb with the same rows as a Manifest.db.
fn write_mbdb(dir: &Path, rows: &[(&str, &str, i64)], cut: usize) -> usize {
    let mut bytes = b"mbdb\x05\x00".to_vec();
    let string = |out: &mut Vec<u8>, s: &str| {
        out.extend((s.len() as u16).to_be_bytes());
        out.extend(s.as_bytes());
    };
    for (domain, path, flags) in rows {
        string(&mut bytes, domain);
        string(&mut bytes, path);
        bytes.extend([0xFF; 6]); // link target, hash, key absent
        let mode: u16 = match flags {
            1 => 0x81A4,
            2 => 0x41ED,
            _ => 0xA1ED,
        };
        bytes.extend(mode.to_be_bytes());
        bytes.extend([0u8; 8 + 4 + 4 + 12]);
        bytes.extend(10u64.to_be_bytes());
        bytes.extend([3, 0]);
    }
    let len = bytes.len() - cut;
    std::fs::write(dir.join("Manifest.mbdb"), &bytes[..len]).unwrap();
    len
}

#[test]
fn loads_a_manifest_mbdb_alike() {
    let dir = tempfile::tempdir().unwrap();
    write_mbdb(dir.path(), PHONE, 0);
    let index = ManifestIndex::load(dir.path(), ManifestFormat::Mbdb).unwrap();
    assert_phone_index(&index);
    assert_eq!(index.truncated_at(), None);
}

#[test]
fn a_truncated_mbdb_keeps_the_records_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = PHONE.to_vec();
    rows.push(("HomeDomain", "Library/Notes/notes.sqlite", 1));
    let len = write_mbdb(dir.path(), &rows, 7);
    let index = ManifestIndex::load(dir.path(), ManifestFormat::Mbdb).unwrap();
    assert_phone_index(&index);
    // The last record is 2+10 + 2+26 + 6 + 2 + 28 + 8 + 2 = 86 bytes, cut by 7.
    assert_eq!(index.truncated_at(), Some(len + 7 - 86));
}

#[test]
fn loading_never_writes_to_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    write_db(dir.path(), PHONE);
    let db = dir.path().join("Manifest.db");
    // In WAL mode an ordinary read-only open would create Manifest.db-shm (and -wal).
    let conn = Connection::open(&db).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    drop(conn);
    let before = std::fs::read(&db).unwrap();
    let mtime = std::fs::metadata(&db).unwrap().modified().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = std::fs::Permissions::from_mode(0o555);
        std::fs::set_permissions(dir.path(), ro).unwrap();
    }
    let index = ManifestIndex::load(dir.path(), ManifestFormat::Db);
    let all = rows(dir.path());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let rw = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(dir.path(), rw).unwrap();
    }
    assert_eq!(index.unwrap().len(), 16);
    assert_eq!(all.unwrap().len(), PHONE.len());
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Manifest.db"]);
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(std::fs::metadata(&db).unwrap().modified().unwrap(), mtime);
}

#[test]
fn a_path_with_uri_characters_opens() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("Backup ?#%& dir");
    std::fs::create_dir(&odd).unwrap();
    write_db(&odd, PHONE);
    let index = ManifestIndex::load(&odd, ManifestFormat::Db).unwrap();
    assert_eq!(index.len(), 16);
}

fn invalid_message(err: Error) -> String {
    match err {
        Error::Invalid { message, .. } => message,
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
}

#[test]
fn an_encrypted_manifest_db_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // Ciphertext-like bytes: a multiple of 16, mostly non-text.
    let bytes: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(dir.path().join("Manifest.db"), bytes).unwrap();
    assert_eq!(
        probe_db(&dir.path().join("Manifest.db")).unwrap(),
        DbKind::Encrypted
    );
    let err = ManifestIndex::load(dir.path(), ManifestFormat::Db).unwrap_err();
    assert_eq!(invalid_message(err), "Manifest.db is encrypted");
}

#[test]
fn garbage_empty_and_missing_manifest_dbs_are_errors_with_context() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("Manifest.db");
    let load = || ManifestIndex::load(dir.path(), ManifestFormat::Db).unwrap_err();

    assert!(matches!(load(), Error::Io { path, .. } if path == db));

    std::fs::write(&db, b"").unwrap();
    assert_eq!(invalid_message(load()), "Manifest.db is empty (0 bytes)");

    std::fs::write(&db, b"this is not a database, just some text\n").unwrap();
    assert_eq!(
        invalid_message(load()),
        "Manifest.db is not a SQLite database (its header is wrong)"
    );

    // The right header over garbage pages: SQLite's own error, with the path.
    let mut fake = b"SQLite format 3\0".to_vec();
    fake.extend(vec![0x5A; 4096]);
    std::fs::write(&db, fake).unwrap();
    let err = load();
    assert!(
        matches!(&err, Error::Sqlite { path, .. } if *path == db),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with(&db.display().to_string()),
        "{err}"
    );

    // A real database without the Files table.
    std::fs::remove_file(&db).unwrap();
    Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    assert!(load().to_string().contains("no such table: Files"));

    let err = ManifestIndex::load(dir.path(), ManifestFormat::None).unwrap_err();
    assert_eq!(
        invalid_message(err),
        "no Manifest.db or Manifest.mbdb to read"
    );
}

#[test]
fn bad_file_ids_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    write_db(dir.path(), &PHONE[..3]);
    let conn = Connection::open(dir.path().join("Manifest.db")).unwrap();
    conn.execute(
        "INSERT INTO Files VALUES ('nothex', 'HomeDomain', 'a', 1, NULL)",
        [],
    )
    .unwrap();
    conn.execute("INSERT INTO Files VALUES (NULL, NULL, NULL, 1, NULL)", [])
        .unwrap();
    drop(conn);
    let index = ManifestIndex::load(dir.path(), ManifestFormat::Db).unwrap();
    assert_eq!((index.len(), index.skipped_rows()), (2, 2));
}

#[test]
fn rows_stream_every_row_with_blobs_decoded_on_demand() {
    let dir = tempfile::tempdir().unwrap();
    write_db(dir.path(), PHONE);
    let all = rows(dir.path()).unwrap();
    assert_eq!(all.len(), PHONE.len());
    let sms = all
        .iter()
        .find(|r| r.relative_path == "Library/SMS/sms.db")
        .unwrap();
    assert_eq!(sms.file_id, "3d0d7e5fb2ce288813306e4d4636395e047a3d28");
    assert_eq!((sms.domain.as_str(), sms.flags), ("HomeDomain", 1));
    assert!(sms.is_file());
    let mb = sms.mbfile().unwrap();
    assert_eq!((mb.size, mb.mode), (10, 0o100644));
    assert_eq!(mb.relative_path.as_deref(), Some("Library/SMS/sms.db"));
    let mut flags = std::collections::BTreeMap::new();
    for_each_row(dir.path(), |row| {
        *flags.entry(row.flags).or_insert(0) += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        flags.into_iter().collect::<Vec<_>>(),
        [(1, 16), (2, 2), (4, 1)]
    );
    // An error from the callback stops the walk and comes back.
    let err = for_each_row(dir.path(), |_| Err(Error::invalid("x", "stop"))).unwrap_err();
    assert_eq!(err.to_string(), "x: stop");
}

#[test]
fn decodes_an_mbfile_blob_with_an_encryption_key() {
    let key = [3, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF];
    let blob = mbfile_blob("Library/SMS/sms.db", 28_672, 0o100644, Some(&key));
    assert_eq!(
        decode_mbfile(&blob).unwrap(),
        MbFile {
            size: 28_672,
            mode: 0o100644,
            last_modified: Some(1_700_000_000),
            birth: Some(1_600_000_000),
            inode: Some(123_456),
            relative_path: Some("Library/SMS/sms.db".into()),
            target: None,
            flags: Some(0),
            protection_class: Some(3),
            encryption_key: Some(key.to_vec()),
        }
    );
}

/// An archive whose MBFile is built by `fill` (objects: $null, MBFile, then `extra`).
fn custom_blob(fill: impl FnOnce(&mut Dictionary), extra: Vec<Value>) -> Vec<u8> {
    let mut mb = Dictionary::new();
    mb.insert("Size".into(), 5u64.into());
    mb.insert("Mode".into(), 0o120755u64.into());
    fill(&mut mb);
    let mut objects = vec![Value::from("$null"), mb.into()];
    objects.extend(extra);
    archive(objects)
}

#[test]
fn uids_resolve_generically() {
    // Size by reference, Target by reference, a key object with inline NS.data, $null path.
    let blob = custom_blob(
        |mb| {
            mb.insert("Size".into(), Value::Uid(Uid::new(2)));
            mb.insert("Target".into(), Value::Uid(Uid::new(3)));
            mb.insert("RelativePath".into(), Value::Uid(Uid::new(0)));
            mb.insert("EncryptionKey".into(), Value::Uid(Uid::new(4)));
        },
        vec![
            Value::from(77u64),
            Value::from("/private/var/x"),
            Value::from({
                let mut d = Dictionary::new();
                d.insert("NS.data".into(), Value::Data(vec![9, 9]));
                d
            }),
        ],
    );
    let mb = decode_mbfile(&blob).unwrap();
    assert_eq!(mb.size, 77);
    assert_eq!(mb.target.as_deref(), Some("/private/var/x"));
    assert_eq!(mb.relative_path, None);
    assert_eq!(mb.encryption_key, Some(vec![9, 9]));
    assert!(!mb.is_file());
}

#[test]
fn malformed_blobs_are_errors_not_panics() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"not a plist".to_vec(), "not a readable plist"),
        (archive(vec![]), "UID 1 is outside $objects"),
        (
            custom_blob(
                |mb| {
                    mb.insert("Target".into(), Value::Uid(Uid::new(99)));
                },
                vec![],
            ),
            "UID 99 is outside $objects",
        ),
        (
            custom_blob(
                |mb| {
                    mb.insert("Size".into(), Value::Uid(Uid::new(2)));
                },
                vec![Value::Uid(Uid::new(2))],
            ),
            "UIDs refer to each other in a loop",
        ),
        (
            custom_blob(
                |mb| {
                    mb.remove("Size");
                },
                vec![],
            ),
            "no Size",
        ),
        (
            custom_blob(
                |mb| {
                    mb.insert("Size".into(), "big".into());
                },
                vec![],
            ),
            "Size is not an unsigned integer",
        ),
        (
            custom_blob(
                |mb| {
                    mb.insert("EncryptionKey".into(), 5u64.into());
                },
                vec![],
            ),
            "EncryptionKey holds no data",
        ),
    ];
    for (blob, want) in cases {
        let err = decode_mbfile(&blob).unwrap_err().to_string();
        assert!(err.contains(want), "{err} should contain {want}");
    }
}
