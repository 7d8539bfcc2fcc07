//! The demo/fixture builder writes what real backups hold: plists that parse back, a
//! Manifest.db whose blobs decode, Manifest.mbdb records at exact offsets, hard-linked
//! snapshots, exact damage and exact figures, and a whole demo library that is the same for
//! the same seed.

// Some tests here are Unix-only (links, modes, inodes); their imports are unused elsewhere.
#![cfg_attr(not(unix), allow(unused_imports))]

mod library;
mod mbdb;
mod write;

use std::path::Path;

use backtop::demo::BackupSpec;
use backtop::demo::FileSpec;
use plist::Value;

/// The UDID of the hand-made specs.
pub const UDID: &str = "00008110-001A2B3C4D5E6F70";

/// A spec with an SMS database, two photos and WhatsApp installed.
pub fn spec() -> BackupSpec {
    let mut s = BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2");
    s.files = vec![
        FileSpec::new("HomeDomain", "Library/SMS/sms.db", 1000),
        FileSpec::new(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            2048,
        ),
        FileSpec::new("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0002.HEIC", 16),
    ];
    s.apps = vec![("net.whatsapp.WhatsApp".into(), "WhatsApp".into())];
    s
}

/// Reads a plist dictionary, panicking with the path on failure.
pub fn read(path: &Path) -> plist::Dictionary {
    Value::from_file(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .into_dictionary()
        .expect("a dictionary")
}

/// A string value of a dictionary.
pub fn s<'a>(d: &'a plist::Dictionary, k: &str) -> &'a str {
    d.get(k)
        .and_then(Value::as_string)
        .unwrap_or_else(|| panic!("no string {k}"))
}
