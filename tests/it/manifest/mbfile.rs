//! MBFile blobs built with the plist crate, decoded generically.

use backtop::library::manifest::{decode_mbfile, MbFile};
use plist::{Dictionary, Uid, Value};

use super::fixtures::{archive, mbfile_blob};

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

#[test]
fn every_truncation_of_a_blob_is_an_error_not_a_panic() {
    let blob = mbfile_blob("Library/SMS/sms.db", 1, 0o100644, Some(&[1, 2, 3]));
    assert!(decode_mbfile(&blob).is_ok());
    for cut in 0..blob.len() {
        assert!(decode_mbfile(&blob[..cut]).is_err(), "cut at {cut}");
    }
    let mut flipped = blob.clone();
    for i in 0..flipped.len() {
        flipped[i] ^= 0xFF;
        let _ = decode_mbfile(&flipped);
        flipped[i] ^= 0xFF;
    }
}

/// The lean reader (the fast path of `decode_mbfile`) answers every blob the demo builder
/// writes, plain and with an encryption key, exactly as the plist crate's decoding does.
#[test]
fn the_lean_reader_reads_every_demo_blob_as_the_plist_crate_does() {
    use backtop::demo::{manifest_rows, mbfile_blob, BackupSpec, FileSpec};
    use backtop::library::manifest::mbfile::{decode_full, decode_lean};
    let mut spec = BackupSpec::new("00008120-00BE0C4B0E0A0001", "Lean", "iPhone15,2");
    let domains = [
        "CameraRollDomain",
        "HomeDomain",
        "AppDomain-net.whatsapp.WhatsApp",
    ];
    for i in 0..2_000u64 {
        let path = format!("Media/DCIM/{}APPLE/IMG_{i}.HEIC", 100 + i % 7);
        spec.files.push(FileSpec::new(
            domains[(i % 3) as usize],
            &path,
            i * 977 % 9_000_000,
        ));
    }
    let rows = manifest_rows(&spec);
    assert!(rows.len() > 2_000);
    for (i, row) in rows.iter().enumerate() {
        let key = [i as u8; 40];
        for blob in [mbfile_blob(row, None), mbfile_blob(row, Some(&key))] {
            let full = decode_full(&blob).expect("the plist crate reads the demo's blobs");
            assert_eq!(decode_lean(&blob).as_ref(), Some(&full), "{}", row.path);
        }
    }
    // Inline values, UIDs to UIDs, `$null` fields and an `NS.data` object, as in
    // `uids_resolve_generically`, answered the same.
    let blob = custom_blob(
        |mb| {
            mb.insert("RelativePath".into(), Value::Uid(Uid::new(2)));
            mb.insert("Target".into(), Value::Uid(Uid::new(0)));
            mb.insert("EncryptionKey".into(), Value::Uid(Uid::new(3)));
        },
        vec![
            Value::Uid(Uid::new(4)),
            {
                let mut d = Dictionary::new();
                d.insert("NS.data".into(), Value::Data(vec![9, 9]));
                d.into()
            },
            "caf\u{e9}/x".into(),
        ],
    );
    let full = decode_full(&blob).unwrap();
    assert_eq!(full.relative_path.as_deref(), Some("caf\u{e9}/x"));
    assert_eq!(full.target, None);
    assert_eq!(full.encryption_key, Some(vec![9, 9]));
    assert_eq!(decode_lean(&blob), Some(full));
}
