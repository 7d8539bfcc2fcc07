//! write_backup and write_imazing_snapshot: plists, Manifest.db, encryption, damage, states.

use backtop::demo::{
    encrypted_size, file_id, write_backup, write_imazing_snapshot, Damage, FileSpec, PlistEncoding,
    SpecState,
};
use backtop::library::ManifestFormat;
use plist::Value;

use super::{read, s, spec, UDID};

#[test]
fn plists_parse_back_in_both_encodings() {
    for enc in [PlistEncoding::Xml, PlistEncoding::Binary] {
        let tmp = tempfile::tempdir().unwrap();
        let mut sp = spec();
        sp.encoding = enc;
        write_backup(tmp.path(), &sp).unwrap();
        let raw = std::fs::read(tmp.path().join("Status.plist")).unwrap();
        assert_eq!(raw.starts_with(b"bplist00"), enc == PlistEncoding::Binary);
        let info = read(&tmp.path().join("Info.plist"));
        assert_eq!(s(&info, "Device Name"), "Anna's iPhone");
        assert_eq!(s(&info, "Product Type"), "iPhone15,2");
        assert_eq!(s(&info, "Product Version"), "17.5");
        assert_eq!(s(&info, "Unique Identifier"), UDID);
        let app = info["Applications"].as_dictionary().unwrap()["net.whatsapp.WhatsApp"]
            .as_dictionary()
            .unwrap();
        let meta = Value::from_reader(std::io::Cursor::new(
            app["iTunesMetadata"].as_data().unwrap(),
        ))
        .unwrap();
        assert_eq!(
            meta.as_dictionary().unwrap()["itemName"].as_string(),
            Some("WhatsApp")
        );
        let man = read(&tmp.path().join("Manifest.plist"));
        assert_eq!(man["IsEncrypted"].as_boolean(), Some(false));
        assert_eq!(s(&man, "Version"), "10.0");
        let lock = man["Lockdown"].as_dictionary().unwrap();
        assert_eq!(s(lock, "UniqueDeviceID"), UDID);
        let st = read(&tmp.path().join("Status.plist"));
        assert_eq!(s(&st, "SnapshotState"), "finished");
        assert_eq!(s(&st, "Version"), "3.3");
        assert_eq!(s(&st, "BackupState"), "new");
        let date = st["Date"].as_date().unwrap();
        assert_eq!(
            std::time::SystemTime::from(date),
            std::time::SystemTime::from(sp.date)
        );
    }
}

#[test]
fn manifest_db_rows_and_blobs_decode() {
    let tmp = tempfile::tempdir().unwrap();
    write_backup(tmp.path(), &spec()).unwrap();
    let conn = rusqlite::Connection::open(tmp.path().join("Manifest.db")).unwrap();
    let id = file_id("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC");
    let (domain, path, flags, blob): (String, String, i64, Vec<u8>) = conn
        .query_row(
            "SELECT domain, relativePath, flags, file FROM Files WHERE fileID = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (domain.as_str(), path.as_str(), flags),
        ("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC", 1)
    );
    let v = Value::from_reader(std::io::Cursor::new(blob)).unwrap();
    let d = v.as_dictionary().unwrap();
    assert_eq!(d["$archiver"].as_string(), Some("NSKeyedArchiver"));
    let objs = d["$objects"].as_array().unwrap();
    let root = d["$top"].as_dictionary().unwrap()["root"]
        .as_uid()
        .unwrap()
        .get() as usize;
    let f = objs[root].as_dictionary().unwrap();
    assert_eq!(f["Size"].as_unsigned_integer(), Some(2048));
    assert_eq!(f["Mode"].as_unsigned_integer(), Some(0o100644));
    let p = f["RelativePath"].as_uid().unwrap().get() as usize;
    assert_eq!(
        objs[p].as_string(),
        Some("Media/DCIM/100APPLE/IMG_0001.HEIC")
    );
    let n: i64 = conn
        .query_row("SELECT count(*) FROM Files WHERE flags = 2", [], |r| {
            r.get(0)
        })
        .unwrap();
    // Library, Library/SMS, Media, Media/DCIM, Media/DCIM/100APPLE
    assert_eq!(n, 5);
    let on_disk = tmp.path().join(&id[..2]).join(&id);
    assert_eq!(std::fs::metadata(on_disk).unwrap().len(), 2048);
}

#[test]
fn written_figures_are_exact() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec();
    sp.unlisted_files = vec![("ab".repeat(20), 77)];
    sp.missing_files = 1;
    let w = write_backup(tmp.path(), &sp).unwrap();
    assert_eq!(w.files, 3);
    assert_eq!(w.content_bytes, 1000 + 2048 + 77);
    let meta: u64 = [
        "Info.plist",
        "Manifest.plist",
        "Status.plist",
        "Manifest.db",
    ]
    .iter()
    .map(|n| std::fs::metadata(tmp.path().join(n)).unwrap().len())
    .sum();
    assert_eq!(w.metadata_bytes, meta);
    // Contents of a finished backup are dated as the backup.
    let sms = file_id("HomeDomain", "Library/SMS/sms.db");
    let mtime = std::fs::metadata(tmp.path().join(&sms[..2]).join(&sms))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(mtime, std::time::SystemTime::from(sp.date));
    let missing = file_id("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0002.HEIC");
    assert!(!tmp.path().join(&missing[..2]).join(&missing).exists());
}

#[test]
fn encrypted_backup_pads_and_hides_the_db() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec();
    sp.encrypted = true;
    let w = write_backup(tmp.path(), &sp).unwrap();
    let db = std::fs::read(tmp.path().join("Manifest.db")).unwrap();
    assert!(db.len() >= 4096);
    assert!(!db.starts_with(b"SQLite format 3\0"));
    assert_eq!(w.content_bytes, 1008 + 2064 + 32);
    assert_eq!(encrypted_size(16), 32);
    let man = read(&tmp.path().join("Manifest.plist"));
    assert_eq!(man["IsEncrypted"].as_boolean(), Some(true));
    assert!(man["BackupKeyBag"].as_data().unwrap().starts_with(b"VERS"));
    assert_eq!(man["ManifestKey"].as_data().unwrap().len(), 44);
}

#[cfg(unix)]
#[test]
fn snapshot_hard_links_unchanged_files() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    let snap = tmp.path().join("snap");
    write_backup(&live, &spec()).unwrap();
    let changed = vec![FileSpec::new("HomeDomain", "Library/SMS/sms.db", 500)];
    let w = write_imazing_snapshot(&live, &snap, &spec(), &changed).unwrap();
    assert_eq!(w.files, 3);
    assert_eq!(w.content_bytes, 500 + 2048 + 16);
    let id = file_id("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC");
    let a = std::fs::metadata(live.join(&id[..2]).join(&id)).unwrap();
    let b = std::fs::metadata(snap.join(&id[..2]).join(&id)).unwrap();
    assert_eq!((a.ino(), a.nlink()), (b.ino(), 2));
    let sms = file_id("HomeDomain", "Library/SMS/sms.db");
    let a = std::fs::metadata(live.join(&sms[..2]).join(&sms)).unwrap();
    let b = std::fs::metadata(snap.join(&sms[..2]).join(&sms)).unwrap();
    assert_ne!(a.ino(), b.ino());
    assert_eq!((a.len(), b.len(), b.nlink()), (1000, 500, 1));
}

#[test]
fn sparse_files_have_their_length() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec();
    sp.sparse = true;
    sp.files[0].size = 5_000_000_000;
    let w = write_backup(tmp.path(), &sp).unwrap();
    assert_eq!(w.content_bytes, 5_000_000_000 + 2048 + 16);
}

/// Checks the damaged file `got` against the clean one, `good`.
fn check_damage(damage: Damage, bad: &std::path::Path, good: &[u8]) {
    use Damage::*;
    let path = bad.join(damage.file());
    let got = std::fs::read(&path);
    match damage {
        MissingInfoPlist | MissingManifestPlist | MissingStatusPlist | MissingManifestDb => {
            assert_eq!(
                got.unwrap_err().kind(),
                std::io::ErrorKind::NotFound,
                "{damage:?}"
            )
        }
        TruncatedInfoPlist | TruncatedMbdb => {
            assert_eq!(got.unwrap(), good[..good.len() / 2], "{damage:?}")
        }
        EmptyManifestDb => assert!(got.unwrap().is_empty()),
        GarbageManifestPlist | GarbageStatusPlist => {
            let got = got.unwrap();
            assert!(!got.is_empty());
            assert!(
                Value::from_reader(std::io::Cursor::new(got)).is_err(),
                "{damage:?}"
            );
        }
        GarbageManifestDb => {
            assert!(!got.unwrap().starts_with(b"SQLite format 3\0"));
            let rows = rusqlite::Connection::open(&path).and_then(|c| {
                c.query_row("SELECT count(*) FROM Files", [], |r| r.get::<_, i64>(0))
            });
            assert!(rows.is_err());
        }
    }
}

#[test]
fn each_damage_does_what_it_says() {
    for damage in Damage::ALL {
        let format = damage.needs_format().unwrap_or(ManifestFormat::Db);
        let tmp = tempfile::tempdir().unwrap();
        let (clean, bad) = (tmp.path().join("clean"), tmp.path().join("bad"));
        let mut sp = spec();
        sp.format = format;
        write_backup(&clean, &sp).unwrap();
        sp.damage = Some(damage);
        write_backup(&bad, &sp).unwrap();
        let name = damage.file();
        check_damage(damage, &bad, &std::fs::read(clean.join(name)).unwrap());
        // Everything else is untouched.
        for other in ["Info.plist", "Manifest.plist", "Status.plist"] {
            if other != name {
                let (a, b) = (clean.join(other), bad.join(other));
                let same = std::fs::read(a).unwrap() == std::fs::read(b).unwrap();
                assert!(same, "{damage:?} changed {other}");
            }
        }
    }
}

#[test]
fn states_set_snapshot_state_and_times() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec();
    sp.state = SpecState::InProgress;
    write_backup(&tmp.path().join("a"), &sp).unwrap();
    assert!(tmp.path().join("a/Snapshot").is_dir());
    assert_eq!(
        s(&read(&tmp.path().join("a/Status.plist")), "SnapshotState"),
        "uploading"
    );
    sp.state = SpecState::Interrupted;
    write_backup(&tmp.path().join("b"), &sp).unwrap();
    assert!(!tmp.path().join("b/Snapshot").exists());
    assert_eq!(
        s(&read(&tmp.path().join("b/Status.plist")), "SnapshotState"),
        "uploading"
    );
    let want = std::time::SystemTime::from(sp.date - time::Duration::days(3));
    for p in ["b", "b/Info.plist", "b/Manifest.db"] {
        let m = std::fs::metadata(tmp.path().join(p))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(m, want, "{p}");
    }
}

#[test]
fn damage_on_the_wrong_format_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = spec();
    sp.damage = Some(Damage::TruncatedMbdb);
    let err = write_backup(tmp.path(), &sp).unwrap_err().to_string();
    assert!(err.contains("TruncatedMbdb needs a Mbdb backup"), "{err}");
}

#[test]
fn versions_db_lists_snapshot_names() {
    let tmp = tempfile::tempdir().unwrap();
    let names = ["2024-01-02-03.04.05", "2024-02-01-00.00.00"];
    backtop::demo::write_versions_db(tmp.path(), &names).unwrap();
    let conn = rusqlite::Connection::open(tmp.path().join("Versions.db")).unwrap();
    let mut st = conn
        .prepare("SELECT id, name, date FROM Versions ORDER BY id")
        .unwrap();
    let rows: Vec<(i64, String, f64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rows,
        [
            (1, names[0].to_string(), 1_704_164_645.0),
            (2, names[1].to_string(), 1_706_745_600.0)
        ]
    );
}

#[test]
fn rewriting_the_live_backup_leaves_snapshots_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    let snap = tmp.path().join("snap");
    write_backup(&live, &spec()).unwrap();
    write_imazing_snapshot(&live, &snap, &spec(), &[]).unwrap();
    let mut bigger = spec();
    bigger.files[1].size = 9999;
    write_backup(&live, &bigger).unwrap();
    let id = file_id("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC");
    let rel = std::path::Path::new(&id[..2]).join(&id);
    assert_eq!(std::fs::metadata(live.join(&rel)).unwrap().len(), 9999);
    assert_eq!(std::fs::metadata(snap.join(&rel)).unwrap().len(), 2048);
}
