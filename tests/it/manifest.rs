//! ManifestIndex over generated Manifest.db and Manifest.mbdb files, MBFile blobs built with
//! the plist crate, and the read-only guarantees.

mod bench;
mod demo;
mod errors;
mod fixtures;
mod mbfile;

use backtop::library::backup::ManifestFormat;
use backtop::library::category::Category;
use backtop::library::manifest::{Fields, FileClass, Kind, Manifest, ManifestIndex};
use backtop::library::Error;
use rusqlite::Connection;

use fixtures::{file_id, id, mbfile_blob, write_db, write_mbdb, PHONE};

fn class(category: Category) -> Option<FileClass> {
    Some(FileClass {
        category,
        app: None,
    })
}

/// Checks the index of [`PHONE`], whichever manifest format it came from.
fn assert_phone_index(index: &ManifestIndex) {
    assert_eq!(index.len(), 17);
    assert!(!index.is_empty());
    assert_eq!(
        index.app_bundles(),
        [
            "com.spotify.client",
            "com.other.tool.widget",
            "com.foo",
            "com.bar"
        ]
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
        // com.bar's own container holds only a folder: its plugin still joins it.
        ("AppDomain-com.bar", "Library", None),
        ("AppDomainPlugin-com.bar.share", "tmp/x", app(3)),
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
    assert_eq!(index.truncated_at(), Some(len as u64 + 7 - 86));
}

#[test]
fn loading_never_writes_to_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    write_db(dir.path(), PHONE);
    let db = dir.path().join("Manifest.db");
    // In WAL mode an ordinary read-only open would create Manifest.db-shm (and -wal).
    let conn = Connection::open(&db).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .unwrap();
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
    let all = Manifest::open(dir.path()).and_then(|m| m.entries(Fields::All));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let rw = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(dir.path(), rw).unwrap();
    }
    assert_eq!(index.unwrap().len(), 17);
    assert_eq!(all.unwrap().entries.len(), PHONE.len());
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
    assert_eq!(index.len(), 17);
}

#[test]
fn entries_stream_every_row_with_blobs_decoded_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    write_db(dir.path(), PHONE);
    let manifest = Manifest::open(dir.path()).unwrap();
    assert_eq!(manifest.format(), ManifestFormat::Db);
    assert_eq!(manifest.count().unwrap(), PHONE.len() as u64);
    let all = manifest.entries(Fields::All).unwrap().entries;
    assert_eq!(all.len(), PHONE.len());
    let sms = all.iter().find(|r| r.path == "Library/SMS/sms.db").unwrap();
    assert_eq!(sms.file_id, "3d0d7e5fb2ce288813306e4d4636395e047a3d28");
    assert_eq!(
        (sms.domain.as_str(), &sms.kind),
        ("HomeDomain", &Kind::File)
    );
    let meta = sms.meta.as_ref().unwrap();
    assert_eq!((meta.size, meta.mode), (10, 0o100644));
    assert_eq!(
        (meta.mtime, meta.birth),
        (Some(1_700_000_000), Some(1_600_000_000))
    );
    // Names only: the same rows and kinds, no blob decoded.
    let names = manifest.entries(Fields::Names).unwrap().entries;
    assert_eq!(names.len(), all.len());
    for (n, a) in names.iter().zip(&all) {
        assert_eq!(
            (&n.file_id, &n.domain, &n.path),
            (&a.file_id, &a.domain, &a.path)
        );
        assert_eq!(n.kind.name(), a.kind.name());
        assert_eq!(n.meta, None);
    }
    let mut kinds = std::collections::BTreeMap::new();
    manifest
        .for_each(Fields::Names, |entry| {
            *kinds.entry(entry.kind.name()).or_insert(0) += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [("dir", 3), ("file", 17), ("symlink", 1)]
    );
    // An error from the callback stops the walk and comes back.
    let err = manifest
        .for_each(Fields::Names, |_| Err(Error::invalid("x", "stop")))
        .unwrap_err();
    assert_eq!(err.to_string(), "x: stop");
}

#[test]
fn both_formats_give_the_same_entries() {
    let db = tempfile::tempdir().unwrap();
    let mbdb = tempfile::tempdir().unwrap();
    write_db(db.path(), PHONE);
    write_mbdb(mbdb.path(), PHONE, 0);
    let read = |dir: &std::path::Path| {
        let mut entries = Manifest::open(dir)
            .unwrap()
            .entries(Fields::All)
            .unwrap()
            .entries;
        entries.sort_by(|a, b| (&a.domain, &a.path).cmp(&(&b.domain, &b.path)));
        entries
            .into_iter()
            .map(|e| {
                (
                    e.file_id.clone(),
                    e.domain.clone(),
                    e.path.clone(),
                    e.kind.name(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(read(db.path()), read(mbdb.path()));
}

#[test]
fn installed_apps_group_plugins_without_an_app_domain() {
    let dir = tempfile::tempdir().unwrap();
    write_db(dir.path(), PHONE);
    let installed = ["com.other.tool", "com.not.in.backup"];
    let index = ManifestIndex::load_with_apps(dir.path(), ManifestFormat::Db, installed).unwrap();
    assert_eq!(
        index.app_bundles(),
        ["com.spotify.client", "com.other.tool", "com.foo", "com.bar"]
    );
    let plugin = id("AppDomainPlugin-com.other.tool.widget", "Library/t.plist");
    assert_eq!(
        index.get(&plugin),
        Some(FileClass {
            category: Category::Apps,
            app: Some(1)
        })
    );
}

#[test]
fn unusual_flags_fall_back_to_the_blob_mode() {
    let dir = tempfile::tempdir().unwrap();
    write_db(dir.path(), &PHONE[..1]);
    let conn = Connection::open(dir.path().join("Manifest.db")).unwrap();
    let rows: [(&str, i64, Option<Vec<u8>>); 4] = [
        ("a.db", 0, Some(mbfile_blob("a.db", 5, 0o100644, None))),
        ("b", 8, Some(mbfile_blob("b", 0, 0o40755, None))),
        ("c.db", 16, None),
        ("d.db", 3, Some(b"garbage".to_vec())),
    ];
    for (path, flags, blob) in &rows {
        conn.execute(
            "INSERT INTO Files VALUES (?1, 'HomeDomain', ?2, ?3, ?4)",
            rusqlite::params![file_id("HomeDomain", path), path, flags, blob],
        )
        .unwrap();
    }
    drop(conn);
    let index = ManifestIndex::load(dir.path(), ManifestFormat::Db).unwrap();
    assert_eq!(index.len(), 2);
    assert_eq!(
        index.get(&id("HomeDomain", "a.db")),
        class(Category::System)
    );
    for path in ["b", "c.db", "d.db"] {
        assert_eq!(index.get(&id("HomeDomain", path)), None, "{path}");
    }
}
