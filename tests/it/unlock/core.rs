//! The unlock core on demo backups encrypted as a device does: the right and the wrong
//! password, Manifest.db in memory, files decrypted to what the builder encrypted, iOS
//! 10.0-style and Manifest.mbdb backups, damage typed.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use backtop::demo::{content_bytes, manifest_rows, write_backup, BackupSpec, Scheme};
use backtop::library::manifest::{Fields, Manifest};
use backtop::library::unlock::{
    check_file, decrypt_file, Password, UnlockError, Unlocker, Unlocks,
};
use backtop::library::{ManifestFormat, Version, VersionKind};

use super::fixture::{spec as encrypted, write};

fn unlock(
    dir: &Path,
    password: &str,
) -> Result<backtop::library::unlock::UnlockedVersion, UnlockError> {
    Unlocker::new(Password::from(password)).unlock(dir, &AtomicBool::new(false))
}

/// Every present file of `spec` decrypts to the bytes the builder encrypted, with its Size.
fn assert_files_decrypt(dir: &Path, spec: &BackupSpec, manifest: &Manifest) {
    let unlocked = unlock(dir, "demo").unwrap();
    let rows = manifest_rows(spec);
    let present = &spec.present_files().len();
    let mut checked = 0;
    manifest
        .for_each(Fields::All, |e| {
            if !e.is_file() {
                return Ok(());
            }
            let meta = e.meta.as_ref().expect("metadata");
            let key = unlocked
                .file_key(meta.encryption_key.as_deref().expect("an EncryptionKey"))
                .unwrap();
            let path = backtop::library::manifest::content_path(dir, spec.format, &e.id().unwrap());
            if !path.exists() {
                return Ok(());
            }
            let (plain, report) = decrypt_file(&path, &key, meta.size, 1 << 20).unwrap();
            assert!(report.size_matches(), "{}: {report:?}", e.path);
            let row = rows.iter().find(|r| r.file_id == e.file_id).unwrap();
            assert!(
                plain[..] == content_bytes(&row.file_id, row.size)[..],
                "{}",
                e.path
            );
            checked += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(checked, *present);
}

#[test]
fn the_demo_password_opens_an_encrypted_manifest_in_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = encrypted(ManifestFormat::Db);
    let dir = write(tmp.path(), &spec);
    let db = std::fs::read(dir.join("Manifest.db")).unwrap();
    assert!(!db.starts_with(b"SQLite format 3\0"));
    assert_eq!(db.len() % 16, 0);
    let unlocked = unlock(&dir, "demo").unwrap();
    assert!(unlocked.manifest_encrypted());
    let conn = unlocked.open_manifest_db().unwrap().unwrap();
    let manifest = Manifest::from_connection(dir.join("Manifest.db"), conn);
    let entries = manifest.entries(Fields::All).unwrap().entries;
    assert!(entries
        .iter()
        .any(|e| e.path == "Library/SMS/sms.db" && e.size() == 4_096));
    assert_files_decrypt(&dir, &spec, &manifest);
}

#[test]
fn a_wrong_password_is_its_own_error_and_names_nothing_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(tmp.path(), &encrypted(ManifestFormat::Db));
    let e = unlock(&dir, "hunter2").unwrap_err();
    assert!(e.is_wrong_password(), "{e}");
    assert!(!format!("{e} {e:?}").contains("hunter2"));
}

#[test]
fn one_password_derives_once_for_versions_that_share_a_key_bag() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = encrypted(ManifestFormat::Db);
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    write_backup(&a, &spec).unwrap();
    write_backup(&b, &spec).unwrap();
    let unlocker = Unlocker::new(Password::from("demo"));
    let cancel = AtomicBool::new(false);
    unlocker.unlock(&a, &cancel).unwrap();
    unlocker.unlock(&b, &cancel).unwrap();
    assert_eq!(unlocker.derivations(), 1);
    let cancelled = Unlocker::new(Password::from("demo")).unlock(&a, &AtomicBool::new(true));
    assert!(matches!(cancelled, Err(UnlockError::Cancelled)));
}

/// The dashboard's keyring merges one try after another: what opened stays open, a wrong
/// password is kept as the reason of what it did not open, a cancelled try is no reason, and
/// a snapshot taken before does not change.
#[test]
fn later_tries_merge_without_relocking_what_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = encrypted(ManifestFormat::Db);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    write_backup(&a, &spec).unwrap();
    write_backup(&b, &spec).unwrap();
    let version = |p: &Path| {
        let mut v = Version::bare(p, tmp.path(), VersionKind::Archive);
        v.encrypted = true;
        v
    };
    let (va, vb) = (version(&a), version(&b));
    let tries = |password: &str, versions: &[&Version], cancel: bool| {
        let unlocker = Unlocker::new(Password::from(password));
        Unlocks::try_all(
            &unlocker,
            versions.iter().copied(),
            &AtomicBool::new(cancel),
        )
    };
    let mut kept = tries("demo", &[&va], false);
    assert_eq!(kept.opened_paths(), vec![a.clone()]);
    let snapshot = kept.clone();
    let wrong = tries("nope", &[&va, &vb], false);
    assert!(wrong.all_wrong());
    kept.merge(&wrong);
    assert!(kept.get(&a).is_some() && kept.locked(&a).is_none());
    assert!(kept.locked(&b).unwrap().wrong_password);
    let cancelled = tries("demo", &[&vb], true);
    assert!(cancelled.locked(&b).unwrap().cancelled);
    kept.merge(&cancelled);
    assert!(kept.locked(&b).unwrap().wrong_password);
    kept.merge(&tries("demo", &[&vb], false));
    assert_eq!(kept.opened_paths(), vec![a.clone(), b.clone()]);
    assert!(kept.locked(&b).is_none());
    assert_eq!(snapshot.opened_paths(), vec![a]);
}

#[test]
fn an_ios_10_0_backup_has_a_plain_manifest_and_encrypted_files() {
    let tmp = tempfile::tempdir().unwrap();
    let mut spec = encrypted(ManifestFormat::Db);
    spec.scheme = Scheme::NoManifestKey;
    spec.ios = "10.0.2".into();
    let dir = write(tmp.path(), &spec);
    let db = std::fs::read(dir.join("Manifest.db")).unwrap();
    assert!(db.starts_with(b"SQLite format 3\0"));
    let unlocked = unlock(&dir, "demo").unwrap();
    assert!(!unlocked.manifest_encrypted());
    assert!(unlocked.open_manifest_db().is_none());
    let manifest = Manifest::open_as(&dir, ManifestFormat::Db).unwrap();
    assert_files_decrypt(&dir, &spec, &manifest);
    assert!(unlock(&dir, "nope").unwrap_err().is_wrong_password());
}

#[test]
fn an_ios_9_mbdb_backup_decrypts_with_the_keys_in_its_records() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = encrypted(ManifestFormat::Mbdb);
    let dir = write(tmp.path(), &spec);
    let unlocked = unlock(&dir, "demo").unwrap();
    assert!(!unlocked.manifest_encrypted());
    let manifest = Manifest::open_as(&dir, ManifestFormat::Mbdb).unwrap();
    assert_files_decrypt(&dir, &spec, &manifest);
}

#[test]
fn corrupt_manifest_ciphertext_is_typed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(tmp.path(), &encrypted(ManifestFormat::Db));
    let path = dir.join("Manifest.db");
    let mut db = std::fs::read(&path).unwrap();
    // The first block: the header check fails at unlock time.
    db[3] ^= 0x55;
    std::fs::write(&path, &db).unwrap();
    let e = unlock(&dir, "demo").unwrap_err();
    assert!(matches!(e, UnlockError::ManifestCorrupt { .. }), "{e}");
    // The middle: SQLite refuses it when it reads the schema or the rows.
    db[3] ^= 0x55;
    let mid = db.len() / 2;
    db[mid..mid + 64].fill(0);
    db[100..4000].fill(0x33);
    std::fs::write(&path, &db).unwrap();
    let unlocked = unlock(&dir, "demo").unwrap();
    let opened = unlocked.open_manifest_db().unwrap();
    let read = opened.map_err(|e| e.to_string()).and_then(|conn| {
        Manifest::from_connection(path.clone(), conn)
            .entries(Fields::All)
            .map_err(|e| e.to_string())
    });
    assert!(read.is_err(), "a damaged manifest read as if whole");
    // Cut short: not whole blocks.
    std::fs::write(&path, &db[..db.len() - 5]).unwrap();
    let e = unlocked.open_manifest_db().unwrap().unwrap_err();
    assert!(e.to_string().contains("16-byte blocks"), "{e}");
}

#[test]
fn a_file_whose_size_is_wrong_is_reported_and_kept_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = encrypted(ManifestFormat::Db);
    let dir = write(tmp.path(), &spec);
    let unlocked = unlock(&dir, "demo").unwrap();
    let manifest = Manifest::from_connection(
        dir.join("Manifest.db"),
        unlocked.open_manifest_db().unwrap().unwrap(),
    );
    let sms = manifest
        .entries(Fields::All)
        .unwrap()
        .entries
        .into_iter()
        .find(|e| e.path == "Library/SMS/sms.db")
        .unwrap();
    let meta = sms.meta.unwrap();
    let key = unlocked
        .file_key(meta.encryption_key.as_deref().unwrap())
        .unwrap();
    let path =
        backtop::library::manifest::content_path(&dir, ManifestFormat::Db, &sms_id(&sms.file_id));
    // As if the manifest said 4,000 bytes for a 4,096-byte database.
    let report = check_file(&path, &key, 4_000).unwrap();
    assert_eq!(report.plain_len, 4_096);
    assert_eq!(
        report.mismatch().as_deref(),
        Some("decrypted to 4096 bytes, the manifest says 4000 (all 4096 kept)")
    );
}

fn sms_id(hex: &str) -> [u8; 20] {
    backtop::library::manifest::parse_file_id(hex.as_bytes()).unwrap()
}

#[test]
fn a_damaged_key_bag_is_typed_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write(tmp.path(), &encrypted(ManifestFormat::Db));
    let plist_path = dir.join("Manifest.plist");
    let value = plist::Value::from_file(&plist_path).unwrap();
    let mut dict = value.into_dictionary().unwrap();
    let bag = dict["BackupKeyBag"].as_data().unwrap().to_vec();
    // Truncated mid-item.
    dict.insert(
        "BackupKeyBag".into(),
        plist::Value::Data(bag[..bag.len() - 7].to_vec()),
    );
    plist::Value::Dictionary(dict.clone())
        .to_file_xml(&plist_path)
        .unwrap();
    let e = unlock(&dir, "demo").unwrap_err();
    assert!(matches!(e, UnlockError::Keybag { .. }), "{e}");
    // The ManifestKey's class (4) removed from the bag: a missing class.
    let without_4 = drop_class(&bag, 4);
    dict.insert("BackupKeyBag".into(), plist::Value::Data(without_4));
    plist::Value::Dictionary(dict)
        .to_file_xml(&plist_path)
        .unwrap();
    let e = unlock(&dir, "demo").unwrap_err();
    assert!(matches!(e, UnlockError::MissingClass { class: 4 }), "{e}");
}

/// The key bag without the record of class `class` (TLV items from its UUID to the next).
fn drop_class(bag: &[u8], class: u32) -> Vec<u8> {
    let mut items = Vec::new();
    let mut at = 0;
    while at + 8 <= bag.len() {
        let len = u32::from_be_bytes(bag[at + 4..at + 8].try_into().unwrap()) as usize;
        items.push(&bag[at..at + 8 + len]);
        at += 8 + len;
    }
    let mut out = Vec::new();
    let mut record: Vec<&[u8]> = Vec::new();
    let mut uuids = 0;
    let flush = |record: &mut Vec<&[u8]>, out: &mut Vec<u8>| {
        let is_class = record
            .iter()
            .any(|i| &i[..4] == b"CLAS" && i[8..12] == class.to_be_bytes());
        if !is_class {
            for i in record.iter() {
                out.extend_from_slice(i);
            }
        }
        record.clear();
    };
    for item in items {
        if &item[..4] == b"UUID" {
            uuids += 1;
            if uuids >= 2 {
                flush(&mut record, &mut out);
            }
        }
        record.push(item);
    }
    flush(&mut record, &mut out);
    out
}
