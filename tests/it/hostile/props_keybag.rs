//! Property tests over the key bag parser (`BackupKeyBag` of an encrypted backup's
//! `Manifest.plist`, issue 11's fuzzing on stable): random bytes, random TLV streams of the
//! real tags, and the demo's real key bag cut, flipped and spliced. Each input parses or is a
//! typed error naming the key bag, never a panic, in bounded time; what parses goes on to the
//! class-key unwrap, which answers with a typed error too. The derived key is computed once
//! (the rounds are not what is tested here).

use std::sync::atomic::AtomicBool;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;

use backtop::demo::{DemoKeys, Scheme, DEMO_PASSWORD};
use backtop::library::unlock::build::tlv;
use backtop::library::unlock::version::BackupKeys;
use backtop::library::unlock::{derive, ClassKeys, Key, Keybag, Password, UnlockError};

use super::props::{config, mutate};

/// Far above what a few kilobytes take (microseconds); a loop would never end.
const BOUND: Duration = Duration::from_secs(2);

/// The demo iPad's key bag and the key its password derives.
fn demo_bag() -> &'static (Vec<u8>, Key) {
    static BAG: OnceLock<(Vec<u8>, Key)> = OnceLock::new();
    BAG.get_or_init(|| {
        let keys =
            DemoKeys::new(&"D".repeat(40), DEMO_PASSWORD, Scheme::ManifestKey).expect("demo keys");
        let bytes = keys.keybag().to_vec();
        let bag = Keybag::parse(&bytes).expect("the demo's key bag parses");
        let derived = derive(
            &Password::from(DEMO_PASSWORD),
            &bag.kdf,
            &AtomicBool::new(false),
        )
        .expect("the demo's rounds are few");
        (bytes, derived)
    })
}

/// Parses `bytes` within [`BOUND`]; an error must say it is about the key bag.
fn parse_bounded(bytes: &[u8]) -> Result<Option<Keybag>, TestCaseError> {
    let start = Instant::now();
    let parsed = Keybag::parse(bytes);
    prop_assert!(
        start.elapsed() < BOUND,
        "{} bytes took {:?}",
        bytes.len(),
        start.elapsed()
    );
    match parsed {
        Ok(bag) => Ok(Some(bag)),
        Err(e) => {
            prop_assert!(
                matches!(
                    e,
                    UnlockError::Keybag { .. } | UnlockError::TooManyRounds { .. }
                ),
                "{e:?}"
            );
            prop_assert!(e.to_string().contains("key bag"), "{}", e);
            Ok(None)
        }
    }
}

/// What a parsed key bag promises, then the unwrap with the demo's derived key: the class
/// keys or a typed refusal, never a panic.
fn check_parsed(bag: &Keybag) -> Result<(), TestCaseError> {
    prop_assert!(bag.classes.len() <= 64, "{} classes", bag.classes.len());
    prop_assert!(bag.kdf.iter() <= backtop::library::unlock::MAX_ITER);
    match ClassKeys::unlock(bag, &demo_bag().1) {
        Ok(keys) => prop_assert!(keys.classes().count() >= 1),
        Err(e) => prop_assert!(
            matches!(e, UnlockError::WrongPassword | UnlockError::Keybag { .. }),
            "{e:?}"
        ),
    }
    Ok(())
}

/// One TLV item of a real tag (or an unknown one) with a value of any length.
fn item() -> impl Strategy<Value = ([u8; 4], Vec<u8>)> {
    let tags: Vec<[u8; 4]> = [
        b"VERS", b"TYPE", b"UUID", b"HMCK", b"WRAP", b"SALT", b"ITER", b"DPWT", b"DPIC", b"DPSL",
        b"CLAS", b"KTYP", b"WPKY", b"XXXX",
    ]
    .into_iter()
    .copied()
    .collect();
    (
        prop::sample::select(tags),
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..10),
            prop::collection::vec(any::<u8>(), 38..42),
        ],
    )
}

#[test]
fn the_demo_key_bag_unlocks_and_bounds_hold_on_large_inputs() {
    let (bytes, derived) = demo_bag();
    let bag = Keybag::parse(bytes).unwrap();
    assert_eq!(
        ClassKeys::unlock(&bag, derived).unwrap().classes().count(),
        11
    );

    // 1 MiB of empty unknown items: linear, not quadratic.
    let mut many = bytes.clone();
    for _ in 0..(1 << 17) {
        tlv(&mut many, b"XXXX", &[]);
    }
    let start = Instant::now();
    assert!(Keybag::parse(&many).is_ok());
    assert!(start.elapsed() < BOUND, "{:?}", start.elapsed());

    // Class records are capped, so a crafted bag cannot make the unwrap loop long.
    let mut classes = bytes.clone();
    for c in 0..100u32 {
        tlv(&mut classes, b"UUID", &[0; 16]);
        tlv(&mut classes, b"CLAS", &c.to_be_bytes());
        tlv(&mut classes, b"WPKY", &[0; 40]);
    }
    let said = Keybag::parse(&classes).unwrap_err().to_string();
    assert_eq!(said, "the key bag is malformed: more than 64 class records");
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn random_bytes_never_panic_the_key_bag_parser(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        if let Some(bag) = parse_bounded(&bytes)? {
            check_parsed(&bag)?;
        }
    }

    #[test]
    fn random_streams_of_real_tags_never_panic(items in prop::collection::vec(item(), 0..80)) {
        let mut bytes = Vec::new();
        for (tag, value) in &items {
            tlv(&mut bytes, tag, value);
        }
        if let Some(bag) = parse_bounded(&bytes)? {
            check_parsed(&bag)?;
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn the_real_key_bag_cut_flipped_or_spliced_never_panics(
        cut in 0usize..700,
        flips in prop::collection::vec((any::<usize>(), 1u8..=255), 0..6),
        splice in prop::option::of((any::<usize>(), any::<usize>(), 1usize..64)),
    ) {
        let (good, _) = demo_bag();
        let mut bytes = mutate(good, cut, &flips);
        if let Some((from, to, len)) = splice {
            if !bytes.is_empty() {
                let from = from % bytes.len();
                let piece = bytes[from..(from + len).min(bytes.len())].to_vec();
                let to = to % bytes.len();
                bytes.splice(to..to, piece);
            }
        }
        if let Some(bag) = parse_bounded(&bytes)? {
            check_parsed(&bag)?;
        }
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// Through backtop's own entry point: `Manifest.plist` read from a version folder.
    #[test]
    fn a_damaged_key_bag_in_manifest_plist_is_a_typed_error(
        cut in 0usize..700,
        flips in prop::collection::vec((any::<usize>(), 1u8..=255), 0..4),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let bytes = mutate(&demo_bag().0, cut, &flips);
        let mut dict = plist::Dictionary::new();
        dict.insert("IsEncrypted".into(), true.into());
        dict.insert("BackupKeyBag".into(), plist::Value::Data(bytes.clone()));
        plist::Value::Dictionary(dict)
            .to_file_binary(tmp.path().join("Manifest.plist"))
            .unwrap();
        let start = Instant::now();
        let read = BackupKeys::read(tmp.path());
        prop_assert!(start.elapsed() < BOUND);
        match (read, Keybag::parse(&bytes)) {
            (Ok(keys), Ok(bag)) => prop_assert_eq!(keys.keybag, bag),
            (Err(e), Err(parse)) => prop_assert_eq!(e.to_string(), parse.to_string()),
            (read, parse) => prop_assert!(false, "{:?} vs {:?}", read.map(|_| ()), parse.map(|_| ())),
        }
    }
}
