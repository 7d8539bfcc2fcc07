//! What each file of a backup is: the manifest of one version, read into a compact index.
//!
//! - Manifest.db (iOS 10+) is queried with SQLite, read-only and immutable ([`db`]):
//!   `fileID, domain, relativePath, flags` of every row, no blobs (folder rows only tell which
//!   apps exist). `MBFile` blobs are decoded on
//!   demand ([`decode_mbfile`], [`ManifestRow::mbfile`]), e.g. by verify.
//! - Manifest.mbdb (iOS 9 and earlier) is streamed record by record ([`crate::library::mbdb`]).
//!
//! Either way the rows go through one index builder ([`index`]), which classifies each distinct
//! domain once with the rule table of [`crate::library::category`] and groups app domains
//! into bundles. The scan joins its directory walk to the index with [`parse_file_id`] and
//! [`ManifestIndex::get`].

pub mod db;
pub mod fileid;
pub mod index;
pub mod mbfile;
pub mod probe;

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

pub use db::{for_each_row, open_db, rows, ManifestRow};
pub use fileid::{file_id_hex, parse_file_id};
pub use index::{FileClass, ManifestIndex};
pub use mbfile::{decode_mbfile, MbFile};
pub use probe::{probe_db, DbKind};

use super::backup::ManifestFormat;
use super::error::{Error, Result};
use super::mbdb::MbdbReader;
use index::{AddError, IndexBuilder};

impl ManifestIndex {
    /// Loads the index from `Manifest.db` (format `Db`) or `Manifest.mbdb` (format `Mbdb`) of
    /// `version_dir`. An encrypted Manifest.db gives `Error::Invalid` "Manifest.db is
    /// encrypted"; a truncated Manifest.mbdb keeps the records before the cut
    /// ([`ManifestIndex::truncated_at`]); format `None` is an error.
    pub fn load(version_dir: &Path, format: ManifestFormat) -> Result<ManifestIndex> {
        Self::load_with_apps(version_dir, format, [])
    }

    /// Like [`ManifestIndex::load`], with the bundle ids of the installed apps (`Info.plist`
    /// `Applications`, [`crate::library::Version::apps`]) also known for grouping: a plugin
    /// `com.foo.widget` joins `com.foo` even when no `AppDomain-com.foo` row exists.
    pub fn load_with_apps<'a>(
        version_dir: &Path,
        format: ManifestFormat,
        installed: impl IntoIterator<Item = &'a str>,
    ) -> Result<ManifestIndex> {
        let path = match format {
            ManifestFormat::Db => version_dir.join("Manifest.db"),
            ManifestFormat::Mbdb => version_dir.join("Manifest.mbdb"),
            ManifestFormat::None => {
                return Err(Error::invalid(
                    version_dir,
                    "no Manifest.db or Manifest.mbdb to read",
                ))
            }
        };
        let mut builder = if format == ManifestFormat::Db {
            db::load_rows(&path)?
        } else {
            load_mbdb(&path)?
        };
        builder.add_installed(installed);
        Ok(builder.finish())
    }
}

/// Streams a Manifest.mbdb into an index; only records with mode `0x8000` are files.
fn load_mbdb(path: &Path) -> Result<IndexBuilder> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    // Records are about 150 bytes; a generous guess avoids most regrowth.
    let guess = file.metadata().map(|m| m.len() / 200).unwrap_or(0);
    let mut reader = MbdbReader::new(BufReader::with_capacity(1 << 16, file), path)?;
    let mut builder = IndexBuilder::with_capacity(usize::try_from(guess).unwrap_or(0));
    while let Some(record) = reader.next_record()? {
        if !record.is_file() {
            builder.add_other(record.domain.as_bytes());
            continue;
        }
        let added = builder.add_id(
            record.file_id(),
            record.domain.as_bytes(),
            record.path.as_bytes(),
        );
        if let Err(AddError::TooManyDomains) = added {
            return Err(Error::invalid(
                path,
                "Manifest.mbdb has too many distinct domains",
            ));
        }
    }
    builder.set_truncated_at(reader.truncated_at());
    Ok(builder)
}
