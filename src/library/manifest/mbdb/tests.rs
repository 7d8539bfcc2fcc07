//! Exact-offset tests of the mbdb reader on hand-built bytes.

use super::*;
use crate::library::manifest::Kind;

/// A u16-length string field.
fn s(bytes: &[u8]) -> Vec<u8> {
    let mut out = (bytes.len() as u16).to_be_bytes().to_vec();
    out.extend_from_slice(bytes);
    out
}

const ABSENT: [u8; 2] = [0xFF, 0xFF];

/// Record 1 (a file with a hash and one property): 109 bytes.
fn record_file() -> Vec<u8> {
    let mut r = Vec::new();
    r.extend(s(b"HomeDomain")); // 12
    r.extend(s(b"Library/SMS/sms.db")); // 20 → 32
    r.extend(ABSENT); // link target → 34
    r.extend(s(&[0xAB; 20])); // data hash → 56
    r.extend(ABSENT); // encryption key → 58
    r.extend([0x81, 0xA4]); // mode → 60
    r.extend([1, 2, 3, 4, 5, 6, 7, 8]); // inode → 68
    r.extend(501u32.to_be_bytes()); // uid
    r.extend(20u32.to_be_bytes()); // gid → 76
    r.extend(1_600_000_000u32.to_be_bytes()); // mtime
    r.extend(1_600_000_001u32.to_be_bytes()); // atime
    r.extend(1_600_000_002u32.to_be_bytes()); // ctime → 88
    r.extend(4096u64.to_be_bytes()); // size → 96
    r.push(4); // protection class → 97
    r.push(1); // one property → 98
    r.extend(s(b"xattr")); // → 105
    r.extend(s(b"v1")); // → 109
    r
}

/// Record 2 (a directory, every string absent but the domain): 61 bytes.
fn record_dir() -> Vec<u8> {
    let mut r = Vec::new();
    r.extend(s(b"MediaDomain")); // 13
    for _ in 0..4 {
        r.extend(ABSENT); // path, link, hash, key → 21
    }
    r.extend([0x41, 0xED]); // → 23
    r.extend([0; 8 + 4 + 4 + 12 + 8]); // inode, uid, gid, times, size → 59
    r.push(0);
    r.push(0); // → 61
    r
}

fn file_bytes(records: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = MBDB_MAGIC.to_vec();
    for r in records {
        bytes.extend(r);
    }
    bytes
}

#[test]
fn hand_built_records_have_the_expected_lengths() {
    assert_eq!(record_file().len(), 109);
    assert_eq!(record_dir().len(), 61);
}

#[test]
fn parses_every_field_of_a_file_record() {
    let parse = parse_mbdb(&file_bytes(&[record_file()])).unwrap();
    assert_eq!(parse.truncated_at, None);
    assert_eq!(
        parse.entries,
        vec![Entry {
            file_id: "3d0d7e5fb2ce288813306e4d4636395e047a3d28".into(),
            domain: "HomeDomain".into(),
            path: "Library/SMS/sms.db".into(),
            kind: Kind::File,
            meta: Some(Meta {
                size: 4096,
                mode: 0x81A4,
                mtime: Some(1_600_000_000),
                birth: None,
                inode: Some(0x0102_0304_0506_0708),
                flags: None,
                protection_class: Some(4),
                encryption_key: None,
            }),
            meta_error: None,
        }]
    );
    assert!(parse.entries[0].is_file());
}

#[test]
fn absent_strings_are_empty_or_none() {
    let parse = parse_mbdb(&file_bytes(&[record_dir()])).unwrap();
    let entry = &parse.entries[0];
    assert_eq!(entry.domain, "MediaDomain");
    assert_eq!(entry.path, "");
    assert_eq!(entry.kind, Kind::Dir);
    let meta = entry.meta.as_ref().unwrap();
    assert_eq!((meta.mode, meta.encryption_key.as_deref()), (0x41ED, None));
    assert!(!entry.is_file());
}

#[test]
fn symlink_target_and_encryption_key_are_read() {
    let mut r = Vec::new();
    r.extend(s(b"RootDomain"));
    r.extend(s(b"Library/link"));
    r.extend(s(b"/var/mobile/x"));
    r.extend(ABSENT);
    r.extend(s(&[1, 0, 0, 0, 0xEE, 0xFF]));
    r.extend([0xA1, 0xFF]);
    r.extend([0; 8 + 4 + 4 + 12 + 8 + 1 + 1]);
    let parse = parse_mbdb(&file_bytes(&[r])).unwrap();
    let entry = &parse.entries[0];
    assert_eq!(
        entry.kind,
        Kind::Symlink {
            target: Some("/var/mobile/x".into())
        }
    );
    assert_eq!(
        entry.meta.as_ref().unwrap().encryption_key.as_deref(),
        Some(&[1, 0, 0, 0, 0xEE, 0xFF][..])
    );
    assert!(!entry.is_file());
}

#[test]
fn a_truncated_last_record_keeps_the_others_and_names_its_offset() {
    let whole = file_bytes(&[record_file(), record_dir(), record_file()]);
    assert_eq!(whole.len(), 6 + 109 + 61 + 109);
    // Cut the third record (starting at 176) inside its inode, inside a string, after 1 byte.
    for cut in [176 + 65, 176 + 5, 176 + 1, whole.len() - 1] {
        let parse = parse_mbdb(&whole[..cut]).unwrap();
        assert_eq!(parse.entries.len(), 2, "cut at {cut}");
        assert_eq!(parse.truncated_at, Some(176), "cut at {cut}");
    }
    // Cut inside the second record (starting at 115).
    let parse = parse_mbdb(&whole[..130]).unwrap();
    assert_eq!(parse.entries.len(), 1);
    assert_eq!(parse.truncated_at, Some(115));
    // Cut exactly between records: nothing is truncated.
    let parse = parse_mbdb(&whole[..176]).unwrap();
    assert_eq!((parse.entries.len(), parse.truncated_at), (2, None));
}

#[test]
fn only_the_header_is_an_empty_list() {
    assert_eq!(parse_mbdb(MBDB_MAGIC).unwrap(), Entries::default());
}

#[test]
fn a_wrong_header_is_an_error() {
    let err = parse_mbdb(b"mbdb\x04\x00").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Manifest.mbdb: Manifest.mbdb version 4.0 is not supported (5.0 is)"
    );
    let err = parse_mbdb(b"mbdx\x05\x00").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Manifest.mbdb: not a Manifest.mbdb: header is"),
        "{err}"
    );
    let err = parse_mbdb(b"SQLite format 3\0").unwrap_err();
    assert!(err.to_string().contains("not a Manifest.mbdb"), "{err}");
    let err = parse_mbdb(b"mbd").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Manifest.mbdb: not a Manifest.mbdb: shorter than its header"
    );
}

#[test]
fn read_mbdb_names_the_real_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Manifest.mbdb");
    std::fs::write(&path, file_bytes(&[record_file(), record_dir()])).unwrap();
    let manifest = crate::library::manifest::Manifest::open(dir.path()).unwrap();
    assert_eq!(manifest.count().unwrap(), 2);
    std::fs::write(&path, b"garbage!").unwrap();
    let err = crate::library::manifest::Manifest::open(dir.path()).unwrap_err();
    assert!(
        err.to_string().starts_with(&path.display().to_string()),
        "{err}"
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for len in 0..400 {
        let mut bytes = MBDB_MAGIC.to_vec();
        bytes.extend((0..len).map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        }));
        // The shortest record (all five strings absent, no property) is 50 bytes.
        let parse = parse_mbdb(&bytes).unwrap();
        assert!(parse.entries.len() <= len / 50, "{len} bytes");
    }
    // Every prefix of a valid file parses to the records that fit, no panic.
    let whole = file_bytes(&[record_file(), record_dir()]);
    for cut in 6..whole.len() {
        let parse = parse_mbdb(&whole[..cut]).unwrap();
        let want = usize::from(cut >= 115);
        assert_eq!(parse.entries.len(), want, "cut at {cut}");
    }
}
