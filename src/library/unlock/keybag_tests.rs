//! Key bag TLV parsing: good, truncated, lengths past the end, missing fields and classes,
//! absurd round counts; and unlocking it with the right and the wrong password.

use std::sync::atomic::AtomicBool;

use super::super::build::{tlv, NewKeybag};
use super::super::{derive, ClassKeys, Key, UnlockError};
use super::*;

fn new_keybag(dp: bool) -> NewKeybag {
    NewKeybag {
        uuid: [3; 16],
        salt: b"salt-of-twenty-bytes".to_vec(),
        iter: 10,
        dp: dp.then(|| (b"dpsl-of-twenty-bytes".to_vec(), 1000)),
        // Real key bags list classes 11 down to 1: position must not matter.
        classes: (1..=11).rev().map(|c| (c, Key([c as u8; 32]))).collect(),
    }
}

fn good(dp: bool) -> Vec<u8> {
    new_keybag(dp).bytes(&"demo".into()).unwrap()
}

#[test]
fn a_good_key_bag_parses_with_classes_by_number() {
    let bag = Keybag::parse(&good(true)).unwrap();
    assert_eq!(bag.version, Some(4));
    assert_eq!(bag.kind, Some(1));
    assert_eq!(bag.kdf.iter(), 10);
    assert_eq!(bag.kdf.dpic(), Some(1000));
    assert_eq!(bag.classes.len(), 11);
    assert_eq!(bag.classes[0].class, 11);
    let three = bag.class(3).unwrap();
    assert_eq!((three.wrap, three.ktyp, three.wpky.len()), (2, Some(0), 40));
    assert!(bag.class(12).is_none());
    let old = Keybag::parse(&good(false)).unwrap();
    assert_eq!(old.kdf.dpic(), None);
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    let bytes = good(true);
    for cut in 1..bytes.len() {
        match Keybag::parse(&bytes[..cut]) {
            Err(UnlockError::Keybag { .. }) => {}
            // A cut on an item boundary inside the class records drops whole items: it must
            // then say what is missing, or (a cut after a class's WPKY) parse fewer classes.
            Ok(bag) => assert!(bag.classes.len() < 11, "cut at {cut}"),
            Err(e) => panic!("cut at {cut}: {e}"),
        }
    }
}

#[test]
fn a_length_past_the_end_is_named() {
    let mut bytes = Vec::new();
    tlv(&mut bytes, b"VERS", &4u32.to_be_bytes());
    bytes.extend_from_slice(b"SALT");
    bytes.extend_from_slice(&0xFFFF_FFF0u32.to_be_bytes());
    bytes.extend_from_slice(&[1, 2, 3]);
    let e = Keybag::parse(&bytes).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("SALT at byte 12"), "{text}");
    assert!(text.contains("only 3 are left"), "{text}");
}

#[test]
fn missing_salt_iter_or_class_fields_are_typed() {
    let mut no_salt = Vec::new();
    tlv(&mut no_salt, b"ITER", &10u32.to_be_bytes());
    assert!(Keybag::parse(&no_salt)
        .unwrap_err()
        .to_string()
        .contains("no SALT"));
    let mut no_iter = Vec::new();
    tlv(&mut no_iter, b"SALT", b"s");
    assert!(Keybag::parse(&no_iter)
        .unwrap_err()
        .to_string()
        .contains("no ITER"));
    let mut no_clas = no_iter.clone();
    tlv(&mut no_clas, b"ITER", &10u32.to_be_bytes());
    tlv(&mut no_clas, b"UUID", &[0; 16]);
    tlv(&mut no_clas, b"UUID", &[1; 16]);
    tlv(&mut no_clas, b"WPKY", &[0; 40]);
    let e = Keybag::parse(&no_clas).unwrap_err();
    assert!(e.to_string().contains("has no CLAS"), "{e}");
    let mut half_dp = no_iter;
    tlv(&mut half_dp, b"ITER", &10u32.to_be_bytes());
    tlv(&mut half_dp, b"DPIC", &10u32.to_be_bytes());
    assert!(Keybag::parse(&half_dp).is_err());
}

#[test]
fn absurd_rounds_are_refused_before_any_work() {
    for (tag, value) in [
        (b"ITER", 1u64 << 32),
        (b"DPIC", 1u64 << 32),
        (b"DPIC", 60_000_000),
    ] {
        let mut bytes = Vec::new();
        tlv(&mut bytes, b"SALT", b"s");
        tlv(&mut bytes, b"ITER", &10u32.to_be_bytes());
        tlv(&mut bytes, b"DPSL", b"d");
        if tag != b"DPIC" {
            tlv(&mut bytes, b"DPIC", &10u32.to_be_bytes());
        }
        // A later value of the same tag wins; 8-byte integers are read whole.
        tlv(&mut bytes, tag, &value.to_be_bytes());
        let e = Keybag::parse(&bytes).unwrap_err();
        assert!(matches!(e, UnlockError::TooManyRounds { .. }), "{e}");
        assert!(e.to_string().contains("rounds"), "{e}");
    }
}

#[test]
fn the_right_password_unwraps_every_class_and_a_wrong_one_is_typed() {
    let bag = Keybag::parse(&good(true)).unwrap();
    let cancel = AtomicBool::new(false);
    let key = derive(&"demo".into(), &bag.kdf, &cancel).unwrap();
    let keys = ClassKeys::unlock(&bag, &key).unwrap();
    assert_eq!(keys.get(3).unwrap(), &Key([3; 32]));
    assert!(matches!(
        keys.get(12),
        Err(UnlockError::MissingClass { class: 12 })
    ));
    let wrong = derive(&"Demo".into(), &bag.kdf, &cancel).unwrap();
    assert!(matches!(
        ClassKeys::unlock(&bag, &wrong),
        Err(UnlockError::WrongPassword)
    ));
    let old = Keybag::parse(&good(false)).unwrap();
    let key = derive(&"demo".into(), &old.kdf, &cancel).unwrap();
    assert!(ClassKeys::unlock(&old, &key).is_ok());
}

#[test]
fn a_tagged_key_names_its_class_and_a_missing_class_is_typed() {
    let bag = Keybag::parse(&good(true)).unwrap();
    let derived = derive(&"demo".into(), &bag.kdf, &AtomicBool::new(false)).unwrap();
    let keys = ClassKeys::unlock(&bag, &derived).unwrap();
    let file_key = Key([0x5A; 32]);
    let blob = super::super::build::tagged_key(4, &Key([4; 32]), &file_key);
    assert_eq!(
        keys.unwrap_tagged("EncryptionKey", &blob).unwrap(),
        file_key
    );
    let mut other = blob.clone();
    other[..4].copy_from_slice(&13u32.to_le_bytes());
    assert!(matches!(
        keys.unwrap_tagged("EncryptionKey", &other),
        Err(UnlockError::MissingClass { class: 13 })
    ));
    let e = keys.unwrap_tagged("ManifestKey", &blob[..20]).unwrap_err();
    assert!(e.to_string().starts_with("ManifestKey is malformed"), "{e}");
    let mut damaged = blob;
    damaged[10] ^= 1;
    assert!(matches!(
        keys.unwrap_tagged("EncryptionKey", &damaged),
        Err(UnlockError::UnwrapFailed { .. })
    ));
}
