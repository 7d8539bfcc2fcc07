//! The demo library and fixture builder: realistic backups with real plists, a real
//! `Manifest.db` (NSKeyedArchiver `MBFile` blobs), `Manifest.mbdb` for iOS 9, hard-linked
//! iMazing snapshots and sparse files, so sizes are life-size while the disk stays small.
//!
//! How it works: a [`BackupSpec`] says what one version folder holds; [`write_backup`] turns it
//! into files (plists via the `plist` crate, the manifest via `rusqlite` or the mbdb writer,
//! contents in `xx/<fileID>` or flat for mbdb), then applies the spec's [`Damage`] and
//! [`SpecState`], and reports exact figures in [`Written`]. [`write_imazing_snapshot`] does the
//! same but hard-links unchanged contents from the live backup. Everything is deterministic
//! for a seed (and a fixed `now`).
//!
//! [`build_demo`] treats `dir` as a macOS home and writes 12 versions of 4 devices:
//!
//! | # | root | version | what it shows |
//! |---|---|---|---|
//! | 0 | Finder | `<iPhone>` | main iPhone 14 Pro, ~58 GB, binary plists |
//! | 1 | Finder | `<iPhone>-YYYYMMDD-HHMMSS` | archived copy, 94 days old, iOS 17.3 |
//! | 2 | iMazing | `<iPhone>` | iMazing's live backup, ~60 GB, XML plists |
//! | 3–4 | iMazing | `iMazing.Versions/Versions/<iPhone>/YYYY-MM-DD-HH.MM.SS` | snapshots hard-linked to #2, `Versions.db` |
//! | 5 | external | `<iPhone>-YYYYMMDD-HHMMSS` | archive on `Volumes/Backup Drive/iMazing.Backups` |
//! | 6 | Finder | `<iPad>` | encrypted iPad Air, ~25 GB |
//! | 7 | iMazing | `<iPad>` | encrypted, interrupted (`uploading`, mtimes 3 days older) |
//! | 8 | Finder | `<old iPhone>` | iPhone 11, ~14 GB, no Health/Keychain (unencrypted) |
//! | 9 | Finder | `<old iPhone>-YYYYMMDD-HHMMSS` | damaged: truncated `Info.plist` |
//! | 10 | external | `iPhone 11 before trade-in` | hand-made copy: 3 files missing, 2 stray files |
//! | 11 | Finder | `<40-hex UDID>` | iPhone 6, iOS 9.3.5, `Manifest.mbdb`, flat files |
//!
//! Submodules: `spec` (the types), `write` (one version), `plists`, `manifest_db`, `mbdb`,
//! `entries` (manifest rows), `content` (files, sparse, mtimes), `damage`, `versions_db`,
//! `library` (the whole demo), `devices` (profiles), `catalog` and `known_files` (realistic
//! domains, paths and apps), `rng` (a seeded SplitMix64).

mod catalog;
mod content;
mod crypto;
mod damage;
pub mod damaged;
mod devices;
mod disks;
mod entries;
mod known_files;
mod library;
mod manifest_db;
mod mbdb;
mod plists;
mod rng;
mod spec;
mod versions_db;
mod write;

pub use content::content_bytes;
pub use crypto::{DemoKeys, Scheme, DEMO_DPIC, DEMO_ITER, DEMO_PASSWORD, REAL_CIPHERTEXT_MAX};
pub use disks::{
    simulated_disks, DRIVE_FOLDER, DRIVE_FREE, DRIVE_TOTAL, MAC_DISK_FREE, MAC_DISK_TOTAL,
};
pub use entries::{manifest_rows, Entry as Row, DIR_MODE, FILE_MODE};
pub use library::{
    archive_name, build_demo, external_root, finder_root, imazing_root, DemoDevice, DemoLibrary,
    DemoOptions, INTERACTIVE_SCALE,
};
pub use manifest_db::mbfile_blob;
pub use mbdb::{mbdb_bytes, mbdb_bytes_with, MAGIC as MBDB_MAGIC};
pub use rng::Rng;
pub use spec::{
    encrypted_size, file_id, BackupSpec, Damage, FileSpec, PlistEncoding, SpecState, Written,
};
pub use versions_db::{snapshot_name, snapshot_name_time, write_versions_db};
pub use write::{write_backup, write_imazing_snapshot, METADATA_FILES};
