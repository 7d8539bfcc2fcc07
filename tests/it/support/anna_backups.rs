//! Small real backups of one iPhone (Anna's: a photo and the messages database) for tests
//! that run the dashboard's host or the binary on real folders.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use backtop::demo::{write_backup, BackupSpec, FileSpec};
use time::macros::datetime;
use time::OffsetDateTime;

/// The iPhone's UDID.
pub const UDID: &str = "00008120-001A2B3C4D5E6F70";

/// Writes a backup of the iPhone dated `date` at `root/name`; returns its path.
pub fn backup(root: &Path, name: &str, date: OffsetDateTime) -> PathBuf {
    let mut spec = BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2");
    spec.date = date;
    spec.files = vec![
        FileSpec::new(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            3_000,
        ),
        FileSpec::new("HomeDomain", "Library/SMS/sms.db", 2_000),
    ];
    let path = root.join(name);
    write_backup(&path, &spec).expect("write backup");
    path
}

/// The live backup (1 June 2024, 10:00).
pub fn live(root: &Path) -> PathBuf {
    backup(root, UDID, datetime!(2024-06-01 10:00 UTC))
}

/// An archived copy (1 March 2024, 10:15).
pub fn march(root: &Path) -> PathBuf {
    backup(
        root,
        &format!("{UDID}-20240301-101500"),
        datetime!(2024-03-01 10:15 UTC),
    )
}
