//! The demo library and fixture builder: realistic backups with real plists, a real
//! `Manifest.db` (NSKeyedArchiver `MBFile` blobs), `Manifest.mbdb` for iOS 9, hard-linked
//! iMazing snapshots and sparse files, so sizes are life-size while the disk stays small.
//!
//! How it works: a [`BackupSpec`] says what one version folder holds; [`write_backup`] turns it
//! into files (plists via the `plist` crate, the manifest via `rusqlite` or the mbdb writer,
//! contents in `xx/<fileID>`), then applies the spec's [`Damage`] and [`SpecState`].
//! [`write_imazing_snapshot`] does the same but hard-links unchanged contents from the live
//! backup. `build_demo` lays out a whole macOS home with several roots and devices.
//! Everything is deterministic for a seed (and a fixed `now`).

mod content;
mod damage;
mod entries;
mod manifest_db;
mod mbdb;
mod plists;
mod rng;
mod spec;
mod versions_db;
mod write;

pub use entries::{DIR_MODE, FILE_MODE};
pub use mbdb::MAGIC as MBDB_MAGIC;
pub use rng::Rng;
pub use spec::{
    encrypted_size, file_id, BackupSpec, Damage, FileSpec, PlistEncoding, SpecState, Written,
};
pub use versions_db::{snapshot_name, snapshot_name_time, write_versions_db};
pub use write::{write_backup, write_imazing_snapshot, METADATA_FILES};
