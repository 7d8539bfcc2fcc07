//! Manifest.mbdb (iOS 9) records, checked at exact byte offsets.

use backtop::demo::{file_id, write_backup, BackupSpec, FileSpec};
use backtop::library::ManifestFormat;

use super::{read, s};

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
}

fn be64(b: &[u8], at: usize) -> u64 {
    u64::from_be_bytes(b[at..at + 8].try_into().unwrap())
}

/// Dad's iPhone 6 with a `Manifest.mbdb` (a 40-hex-digit UDID, as before iOS 10).
fn dads_mbdb_spec() -> BackupSpec {
    let mut sp = BackupSpec::new(
        "0123456789abcdef0123456789abcdef01234567",
        "Dad",
        "iPhone7,2",
    );
    sp.format = ManifestFormat::Mbdb;
    sp
}

#[test]
fn mbdb_records_sit_at_exact_offsets() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = dads_mbdb_spec();
    sp.ios = "9.3.5".into();
    sp.files = vec![FileSpec::new("HomeDomain", "Library/SMS/sms.db", 1000)];
    write_backup(tmp.path(), &sp).unwrap();
    assert!(!tmp.path().join("Manifest.db").exists());
    let b = std::fs::read(tmp.path().join("Manifest.mbdb")).unwrap();
    assert_eq!(&b[..6], b"mbdb\x05\x00");
    // Record 1: the directory "Library" (10 + 7 name bytes + 50 fixed bytes).
    assert_eq!(be16(&b, 6), 10);
    assert_eq!(&b[8..18], b"HomeDomain");
    assert_eq!(be16(&b, 18), 7);
    assert_eq!(&b[20..27], b"Library");
    assert_eq!([be16(&b, 27), be16(&b, 29), be16(&b, 31)], [0xffff; 3]);
    assert_eq!(be16(&b, 33), 0o40755);
    assert_eq!((be32(&b, 43), be32(&b, 47)), (501, 501));
    assert_eq!(be64(&b, 63), 0);
    let r2 = 6 + 10 + 7 + 50;
    // Record 2: "Library/SMS"; record 3: the file.
    assert_eq!(&b[r2 + 14..r2 + 25], b"Library/SMS");
    let r3 = r2 + 10 + 11 + 50;
    assert_eq!(&b[r3 + 14..r3 + 32], b"Library/SMS/sms.db");
    let fixed = r3 + 2 + 10 + 2 + 18 + 6;
    assert_eq!(be16(&b, fixed), 0o100644);
    let mtime = be32(&b, fixed + 18);
    assert_eq!([be32(&b, fixed + 22), be32(&b, fixed + 26)], [mtime, mtime]);
    assert!(i64::from(mtime) <= sp.date.unix_timestamp());
    assert_eq!(be64(&b, fixed + 30), 1000);
    assert_eq!(b[fixed + 39], 0, "no properties");
    assert_eq!(b.len(), fixed + 40);
    // Contents are flat: <fileID> in the folder itself.
    let id = file_id("HomeDomain", "Library/SMS/sms.db");
    assert_eq!(std::fs::metadata(tmp.path().join(&id)).unwrap().len(), 1000);
    assert!(!tmp.path().join(&id[..2]).exists());
    assert_eq!(
        s(&read(&tmp.path().join("Manifest.plist")), "Version"),
        "9.1"
    );
    assert_eq!(s(&read(&tmp.path().join("Status.plist")), "Version"), "2.4");
}

#[test]
fn encrypted_mbdb_records_carry_a_key() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sp = dads_mbdb_spec();
    sp.encrypted = true;
    sp.files = vec![FileSpec::new("HomeDomain", "a", 5)];
    let w = write_backup(tmp.path(), &sp).unwrap();
    let b = std::fs::read(tmp.path().join("Manifest.mbdb")).unwrap();
    // domain, path "a", link, hash absent, then a 44-byte key.
    let key_at = 6 + 2 + 10 + 2 + 1 + 2 + 2;
    assert_eq!(be16(&b, key_at), 44);
    assert_eq!(
        be64(&b, key_at + 2 + 44 + 30),
        5,
        "plain size in the record"
    );
    assert_eq!(w.content_bytes, 16, "padded on disk");
}
