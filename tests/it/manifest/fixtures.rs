//! Builders of manifests and MBFile blobs for the tests.

use std::path::Path;

use backtop::library::manifest::parse_file_id;
use plist::{Dictionary, Uid, Value};
use rusqlite::{params, Connection};
use sha1::{Digest, Sha1};

pub fn file_id(domain: &str, path: &str) -> String {
    hex::encode(Sha1::digest(format!("{domain}-{path}")))
}

pub fn id(domain: &str, path: &str) -> [u8; 20] {
    parse_file_id(file_id(domain, path).as_bytes()).unwrap()
}

/// An NSKeyedArchiver MBFile blob: `$objects` = [$null, MBFile, path, key object, key data, class].
pub fn mbfile_blob(path: &str, size: u64, mode: u64, key: Option<&[u8]>) -> Vec<u8> {
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

pub fn archive(objects: Vec<Value>) -> Vec<u8> {
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

/// The schema of a real Manifest.db.
pub const SCHEMA: &str =
    "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
         CREATE INDEX FilesDomainIdx ON Files(domain);
         CREATE INDEX FilesRelativePathIdx ON Files(relativePath);
         CREATE INDEX FilesFlagsIdx ON Files(flags);
         CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);";

/// A Manifest.db with the real schema and one row per (domain, path, flags).
pub fn write_db(dir: &Path, rows: &[(&str, &str, i64)]) {
    let conn = Connection::open(dir.join("Manifest.db")).unwrap();
    conn.execute_batch(SCHEMA).unwrap();
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
pub const PHONE: &[(&str, &str, i64)] = &[
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
    ("AppDomain-com.bar", "Library", 2),
    ("AppDomainPlugin-com.bar.share", "tmp/x", 1),
    ("KeychainDomain", "keychain-backup.plist", 1),
    ("SomeNewDomain", "x", 1),
];

/// A Manifest.mbdb with the same rows as a Manifest.db.
pub fn write_mbdb(dir: &Path, rows: &[(&str, &str, i64)], cut: usize) -> usize {
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
