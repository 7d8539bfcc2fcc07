//! Encrypted, garbage, empty and missing manifests: errors with context, never panics.

use backtop::library::backup::ManifestFormat;
use backtop::library::manifest::{probe_db, ManifestError, ManifestIndex, Where};
use backtop::library::Error;
use rusqlite::Connection;

use super::fixtures::{write_db, PHONE};

/// The sentence of a typed manifest error (encrypted, unsupported, damaged).
fn invalid_message(err: Error) -> String {
    match err {
        Error::Manifest(e) => e.reason(),
        other => panic!("expected Error::Manifest, got {other:?}"),
    }
}

/// What the probe says, in short: "sqlite", "encrypted", "damaged at its header", ….
fn probed(db: &std::path::Path) -> String {
    match probe_db(db) {
        Ok(()) => "sqlite".into(),
        Err(Error::Manifest(ManifestError::Encrypted { .. })) => "encrypted".into(),
        Err(Error::Manifest(ManifestError::Damaged { at, .. })) => format!("damaged at {at}"),
        Err(other) => format!("{other:?}"),
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
    assert_eq!(probed(&dir.path().join("Manifest.db")), "encrypted");
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
    let err = load();
    assert!(
        matches!(&err, Error::Manifest(ManifestError::Damaged { at: Where::Header, path, .. }) if *path == db),
        "{err:?}"
    );
    assert_eq!(invalid_message(err), "Manifest.db is empty (0 bytes)");

    std::fs::write(&db, b"this is not a database, just some text\n").unwrap();
    assert_eq!(
        invalid_message(load()),
        "Manifest.db is not an SQLite database (its header is wrong)"
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
fn manifest_plist_is_encrypted_decides_over_the_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("Manifest.db");
    let plist_path = dir.path().join("Manifest.plist");
    let write_plist = |encrypted: bool| {
        let mut d = plist::Dictionary::new();
        d.insert("IsEncrypted".into(), encrypted.into());
        plist::Value::from(d).to_file_binary(&plist_path).unwrap();
    };
    let random: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&db, &random).unwrap();
    write_plist(false);
    assert_eq!(probed(&db), "damaged at its header");
    write_plist(true);
    assert_eq!(probed(&db), "encrypted");
    // Without a readable Manifest.plist the bytes decide.
    std::fs::write(&plist_path, b"garbage").unwrap();
    assert_eq!(probed(&db), "encrypted");
    std::fs::write(
        &db,
        b"plain text is not ciphertext, whatever its length is.....",
    )
    .unwrap();
    assert_eq!(probed(&db), "damaged at its header");
}
