//! Property tests over backtop's own parsers of backup files (issue 11's fuzzing on stable):
//! random and mutated bytes never panic, a refused or broken input is an error that names
//! what was read, and nesting deeper than the limit is refused by name instead of
//! overflowing the stack. Failures are not persisted (nothing is written into the tree).

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::Config;

use crate::support::scan_fixtures::spec;
use backtop::demo::{manifest_rows, mbdb_bytes, mbfile_blob, MBDB_MAGIC};
use backtop::library::manifest::mbdb::parse_mbdb;
use backtop::library::manifest::mbfile::{decode_full, decode_lean, decode_mbfile};
use backtop::library::plists::bounded;

pub(super) fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Parses `bytes` as the plist `Info.plist`; the error's text when it is refused.
fn info_plist(bytes: &[u8]) -> Result<plist::Value, String> {
    bounded::from_bytes::<plist::Value>(bytes, Path::new("/b/v/Info.plist"), "Info.plist")
        .map_err(|e| e.to_string())
}

/// An XML plist of `depth` nested arrays around one string.
fn nested_xml(depth: usize) -> Vec<u8> {
    let mut xml = String::from(r#"<?xml version="1.0"?><plist version="1.0">"#);
    xml.push_str(&"<array>".repeat(depth));
    xml.push_str("<string>x</string>");
    xml.push_str(&"</array>".repeat(depth));
    xml.push_str("</plist>");
    xml.into_bytes()
}

/// A binary plist of `depth` nested arrays. The plist crate's writer (and dropping the value)
/// recurses, so it runs on a thread with a large stack; backtop's reader must not need one.
fn nested_binary(depth: usize) -> Vec<u8> {
    let build = move || {
        let mut value = plist::Value::String("x".into());
        for _ in 0..depth {
            value = plist::Value::Array(vec![value]);
        }
        let mut out = Vec::new();
        plist::to_writer_binary(&mut out, &value).expect("plist writes");
        out
    };
    std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(build)
        .expect("a thread")
        .join()
        .expect("the plist was written")
}

/// One valid `MBFile` blob and one valid Manifest.mbdb, from the demo builder.
fn valid_blob_and_mbdb() -> (Vec<u8>, Vec<u8>) {
    let rows = manifest_rows(&spec(1000, 2000, 3000));
    let file = rows
        .iter()
        .find(|r| r.flags == 1)
        .expect("the spec has a file");
    (mbfile_blob(file, None), mbdb_bytes(&rows, false, "props"))
}

/// `bytes` with `cut` bytes removed from the end and `flips` XORed in.
pub(super) fn mutate(bytes: &[u8], cut: usize, flips: &[(usize, u8)]) -> Vec<u8> {
    let mut out = bytes[..bytes.len() - cut.min(bytes.len())].to_vec();
    for &(at, mask) in flips {
        if !out.is_empty() {
            let i = at % out.len();
            out[i] ^= mask;
        }
    }
    out
}

#[test]
fn nesting_within_the_limit_parses_and_beyond_it_is_refused_by_name() {
    for depth in [1, 10, 60] {
        assert!(info_plist(&nested_xml(depth)).is_ok(), "xml depth {depth}");
        assert!(
            info_plist(&nested_binary(depth)).is_ok(),
            "binary depth {depth}"
        );
    }
    for depth in [70, 1000, 100_000] {
        for bytes in [nested_xml(depth), nested_binary(depth.min(20_000))] {
            let said = info_plist(&bytes).expect_err("too deep");
            assert!(
                said.contains("Info.plist") && said.contains("deeper"),
                "depth {depth}: {said}"
            );
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn random_bytes_never_panic_the_plist_reader(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Err(said) = info_plist(&bytes) {
            prop_assert!(said.contains("Info.plist"), "{}", said);
        }
    }

    #[test]
    fn random_text_after_a_plist_header_never_panics(
        body in "(<(array|dict|key|string|integer|data|true/|false/)>|</(array|dict|key|string)>|[a-z0-9 ]){0,200}"
    ) {
        let xml = format!(r#"<?xml version="1.0"?><plist version="1.0">{body}</plist>"#);
        let _ = info_plist(xml.as_bytes());
    }

    #[test]
    fn random_bytes_after_the_mbdb_header_never_panic(tail in prop::collection::vec(any::<u8>(), 0..4096)) {
        let mut bytes = MBDB_MAGIC.to_vec();
        bytes.extend_from_slice(&tail);
        if let Err(e) = parse_mbdb(&bytes) {
            prop_assert!(e.to_string().contains("Manifest.mbdb"), "{}", e);
        }
    }

    #[test]
    fn random_bytes_never_panic_the_mbfile_decoder(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = decode_mbfile(&bytes);
        let mut archive = b"bplist00".to_vec();
        archive.extend_from_slice(&bytes);
        let _ = decode_lean(&archive);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn cut_or_flipped_real_records_never_panic(
        cut in 0usize..64,
        flips in prop::collection::vec((any::<usize>(), 1u8..=255), 0..8),
    ) {
        let (blob, mbdb) = valid_blob_and_mbdb();
        prop_assert!(decode_mbfile(&blob).is_ok());
        let damaged_blob = mutate(&blob, cut, &flips);
        let _ = decode_mbfile(&damaged_blob);
        // Where the lean reader answers for a damaged blob that the plist crate reads too, it
        // answers the same.
        if let (Some(lean), Ok(full)) = (decode_lean(&damaged_blob), decode_full(&damaged_blob)) {
            prop_assert_eq!(lean, full);
        }
        let damaged = mutate(&mbdb, cut, &flips);
        if let Err(e) = parse_mbdb(&damaged) {
            prop_assert!(e.to_string().contains("Manifest.mbdb"), "{}", e);
        }
    }
}
