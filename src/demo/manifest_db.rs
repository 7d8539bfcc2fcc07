//! `Manifest.db`: the SQLite index of iOS 10+ backups, with one NSKeyedArchiver `MBFile` blob
//! per row. Encrypted backups get per-file `EncryptionKey`s and, with a `ManifestKey`, the
//! whole database encrypted with it ([`DemoKeys`]).

use std::path::Path;

use plist::{Dictionary, Uid, Value};
use rusqlite::{params, Connection};

use super::crypto::DemoKeys;
use super::entries::Entry;
use crate::library::{Error, Result};

const SCHEMA: &str = "
CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
CREATE INDEX FilesDomainIdx ON Files(domain);
CREATE INDEX FilesRelativePathIdx ON Files(relativePath);
CREATE INDEX FilesFlagsIdx ON Files(flags);
CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);
";

fn class(names: &[&str]) -> Value {
    let mut d = Dictionary::new();
    d.insert("$classname".into(), names[0].into());
    let classes: Vec<Value> = names.iter().map(|n| (*n).into()).collect();
    d.insert("$classes".into(), classes.into());
    d.into()
}

/// The NSKeyedArchiver binary plist of one row: `$objects` = `$null`, the `MBFile` dict, the
/// path string, the `MBFile` class, and for `encryption_key` an `NSMutableData` and its class.
pub fn mbfile_blob(e: &Entry, encryption_key: Option<&[u8]>) -> Vec<u8> {
    let mut f = Dictionary::new();
    f.insert("Birth".into(), (e.mtime - 86_400).into());
    f.insert("Flags".into(), 0u64.into());
    f.insert("GroupID".into(), 501u64.into());
    f.insert("InodeNumber".into(), e.inode.into());
    f.insert("LastModified".into(), e.mtime.into());
    f.insert("LastStatusChange".into(), e.mtime.into());
    f.insert("Mode".into(), e.mode.into());
    f.insert("ProtectionClass".into(), e.protection.into());
    f.insert("RelativePath".into(), Value::Uid(Uid::new(2)));
    f.insert("Size".into(), e.size.into());
    f.insert("UserID".into(), 501u64.into());
    f.insert("$class".into(), Value::Uid(Uid::new(3)));
    let mut extra = Vec::new();
    if let Some(key) = encryption_key {
        f.insert("EncryptionKey".into(), Value::Uid(Uid::new(4)));
        let mut data = Dictionary::new();
        data.insert("NS.data".into(), Value::Data(key.to_vec()));
        data.insert("$class".into(), Value::Uid(Uid::new(5)));
        extra.push(data.into());
        extra.push(class(&["NSMutableData", "NSData", "NSObject"]));
    }
    let mut objects = vec![
        Value::from("$null"),
        f.into(),
        e.path.as_str().into(),
        class(&["MBFile", "NSObject"]),
    ];
    objects.extend(extra);
    let mut top = Dictionary::new();
    top.insert("root".into(), Value::Uid(Uid::new(1)));
    let mut d = Dictionary::new();
    d.insert("$archiver".into(), "NSKeyedArchiver".into());
    d.insert("$objects".into(), objects.into());
    d.insert("$top".into(), top.into());
    d.insert("$version".into(), 100_000u64.into());
    let mut buf = Vec::new();
    // Serialising an in-memory value into a Vec has no I/O to fail; keep a valid empty blob otherwise.
    if Value::Dictionary(d).to_writer_binary(&mut buf).is_err() {
        buf.clear();
    }
    buf
}

fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |source| Error::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `Manifest.db` at `path` listing `entries`; with `keys` (an encrypted backup) each
/// file row gets its `EncryptionKey` and the file is encrypted when the scheme has a
/// `ManifestKey`. Returns the file's size.
pub fn write_manifest_db(path: &Path, entries: &[Entry], keys: Option<&DemoKeys>) -> Result<u64> {
    let _ = std::fs::remove_file(path);
    let mut conn = Connection::open(path).map_err(sql(path))?;
    conn.execute_batch("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
        .map_err(sql(path))?;
    conn.execute_batch(SCHEMA).map_err(sql(path))?;
    let tx = conn.transaction().map_err(sql(path))?;
    {
        let mut stmt = tx
            .prepare("INSERT INTO Files VALUES (?1, ?2, ?3, ?4, ?5)")
            .map_err(sql(path))?;
        for e in entries {
            let key = keys
                .filter(|_| !e.is_dir())
                .map(|k| k.encryption_key(&e.file_id, e.protection));
            let blob = mbfile_blob(e, key.as_deref());
            stmt.execute(params![e.file_id, e.domain, e.path, e.flags, blob])
                .map_err(sql(path))?;
        }
    }
    tx.commit().map_err(sql(path))?;
    conn.close().map_err(|(_, e)| sql(path)(e))?;
    if let Some(keys) = keys {
        keys.encrypt_manifest(path)?;
    }
    let len = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    Ok(len)
}
