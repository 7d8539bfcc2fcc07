//! What each file of a backup is: the manifest of one version, read as one stream of
//! [`Entry`] values whichever format it is in, and the compact index the scan joins to.
//!
//! - [`Manifest::open`] finds and probes the manifest ([`probe`]: one header check, typed
//!   [`ManifestError`]s `Encrypted`, `Unsupported`, `Damaged { at }`), then
//!   [`Manifest::for_each`] streams its entries, read-only, one [`Entry`] refilled per row:
//!   - Manifest.db (iOS 10+) is queried with SQLite, read-only and immutable ([`db`]); with
//!     [`Fields::Names`] no `MBFile` blob is decoded (only the kind from `flags`), with
//!     [`Fields::All`] every blob is ([`mbfile`]).
//!   - Manifest.mbdb (iOS 9 and earlier) is streamed record by record ([`mbdb`]); its records
//!     carry their metadata inline, so both field sets read the same.
//! - [`ManifestIndex`] ([`index`]) is built from the `Names` stream: it classifies each
//!   distinct domain once with the rule table of [`crate::library::category`] and groups app
//!   domains into bundles. The scan joins its directory walk to it with [`parse_file_id`] and
//!   [`ManifestIndex::get`].

mod bplist;
pub mod content;
pub mod db;
pub mod entry;
pub mod error;
pub mod fileid;
pub mod index;
pub mod mbdb;
pub mod mbfile;
pub mod open;
pub mod probe;
pub mod tree;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use content::{content_path, present_ids};
pub use db::open_db;
pub use entry::{Entry, Kind, Meta};
pub use error::{ManifestError, Where};
pub use fileid::{file_id_hex, parse_file_id};
pub use index::{FileClass, ManifestIndex};
pub use mbfile::{decode_mbfile, protection_class_name, MbFile};
pub use open::{open_version, open_version_with, Opened};
pub use probe::{probe_db, probe_db_knowing, MBDB_MAGIC, SQLITE_HEADER};
pub use tree::{NodeId, NodeKind, NodeRef, Presence, Sort, Tree};

use super::backup::ManifestFormat;
use super::error::{Error, Result};
use index::{AddError, IndexBuilder};
use mbdb::MbdbReader;

/// Which fields a pass over a manifest reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    /// fileID, domain, path and kind: no `MBFile` blob decoded (fast; [`Entry::meta`] is
    /// `None` for Manifest.db rows with the usual `flags`).
    Names,
    /// Everything, `MBFile` blobs decoded.
    All,
}

/// What a pass over a manifest read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pass {
    /// Entries passed to the callback.
    pub entries: u64,
    /// For Manifest.mbdb: the byte offset of a record cut short by the end of the file.
    pub truncated_at: Option<u64>,
}

/// Every entry of a manifest, collected by [`Manifest::entries`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entries {
    /// The entries in manifest order.
    pub entries: Vec<Entry>,
    /// For Manifest.mbdb: the byte offset of a record cut short by the end of the file.
    pub truncated_at: Option<u64>,
}

/// The opened manifest of one version, read-only.
#[derive(Debug)]
pub struct Manifest {
    path: PathBuf,
    source: Source,
}

#[derive(Debug)]
enum Source {
    Db(Connection),
    Mbdb,
}

impl Manifest {
    /// Opens the manifest of `version_dir`: `Manifest.db` when present, else `Manifest.mbdb`.
    pub fn open(version_dir: &Path) -> Result<Manifest> {
        let format = if version_dir.join("Manifest.db").symlink_metadata().is_ok() {
            ManifestFormat::Db
        } else if version_dir.join("Manifest.mbdb").symlink_metadata().is_ok() {
            ManifestFormat::Mbdb
        } else {
            ManifestFormat::None
        };
        Manifest::open_as(version_dir, format)
    }

    /// Opens the manifest of `version_dir` in the given format (as discovery found it).
    /// Manifest.db is probed and opened read-only; Manifest.mbdb's magic is checked.
    /// Format `None` is [`ManifestError::Unsupported`].
    pub fn open_as(version_dir: &Path, format: ManifestFormat) -> Result<Manifest> {
        match format {
            ManifestFormat::Db => {
                let path = version_dir.join("Manifest.db");
                let conn = open_db(&path)?;
                Ok(Manifest {
                    path,
                    source: Source::Db(conn),
                })
            }
            ManifestFormat::Mbdb => {
                let path = version_dir.join("Manifest.mbdb");
                // Checks the magic now, so opening fails as early for both formats.
                mbdb_reader(&path)?;
                Ok(Manifest {
                    path,
                    source: Source::Mbdb,
                })
            }
            ManifestFormat::None => Err(ManifestError::Unsupported {
                path: version_dir.to_path_buf(),
                what: "no Manifest.db or Manifest.mbdb to read".to_string(),
            }
            .into()),
        }
    }

    /// A Manifest.db already open as `conn` (an encrypted one decrypted in memory,
    /// [`crate::library::unlock::UnlockedVersion::open_manifest_db`]), read like any other;
    /// `path` is where it came from (for messages).
    pub fn from_connection(path: PathBuf, conn: Connection) -> Manifest {
        Manifest {
            path,
            source: Source::Db(conn),
        }
    }

    /// Opens the manifest of `version_dir` as [`Manifest::open_as`] does, or, for an
    /// unlocked encrypted version whose Manifest.db is encrypted, decrypted in memory.
    pub fn open_unlocked(
        version_dir: &Path,
        format: ManifestFormat,
        unlocked: Option<&super::unlock::UnlockedVersion>,
    ) -> Result<Manifest> {
        let path = version_dir.join("Manifest.db");
        match unlocked.and_then(|u| u.open_manifest_db()) {
            Some(Ok(conn)) => Ok(Manifest::from_connection(path, conn)),
            Some(Err(e)) => Err(Error::invalid(path, e.to_string())),
            None => Manifest::open_as(version_dir, format),
        }
    }

    /// The manifest file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Which format it is.
    pub fn format(&self) -> ManifestFormat {
        match self.source {
            Source::Db(_) => ManifestFormat::Db,
            Source::Mbdb => ManifestFormat::Mbdb,
        }
    }

    /// A cheap guess of the number of entries (an upper bound for Manifest.db), for
    /// pre-sizing.
    pub fn len_hint(&self) -> u64 {
        match &self.source {
            Source::Db(conn) => db::row_hint(conn, &self.path).unwrap_or(0),
            // Records are about 150 bytes; a generous guess avoids most regrowth.
            Source::Mbdb => std::fs::metadata(&self.path).map_or(0, |m| m.len() / 200),
        }
    }

    /// The exact number of entries (a count for Manifest.db, a pass for Manifest.mbdb).
    pub fn count(&self) -> Result<u64> {
        match &self.source {
            Source::Db(conn) => db::count(conn, &self.path),
            Source::Mbdb => self.for_each(Fields::Names, |_| Ok(())).map(|p| p.entries),
        }
    }

    /// Calls `each` for every entry, streaming: one entry in memory at a time. An error from
    /// `each` stops the pass and is returned.
    pub fn for_each(
        &self,
        fields: Fields,
        mut each: impl FnMut(&Entry) -> Result<()>,
    ) -> Result<Pass> {
        match &self.source {
            Source::Db(conn) => {
                let entries = db::for_each(conn, &self.path, fields, &mut each)?;
                Ok(Pass {
                    entries,
                    truncated_at: None,
                })
            }
            Source::Mbdb => {
                let mut reader = mbdb_reader(&self.path)?;
                let mut entry = Entry::default();
                let mut entries = 0;
                while reader.next_into(&mut entry)? {
                    entries += 1;
                    each(&entry)?;
                }
                Ok(Pass {
                    entries,
                    truncated_at: reader.truncated_at(),
                })
            }
        }
    }

    /// Every entry, collected (about 300 bytes an entry with [`Fields::All`]: prefer
    /// [`Manifest::for_each`] on big backups).
    pub fn entries(&self, fields: Fields) -> Result<Entries> {
        let mut entries = Vec::new();
        let pass = self.for_each(fields, |e| {
            entries.push(e.clone());
            Ok(())
        })?;
        Ok(Entries {
            entries,
            truncated_at: pass.truncated_at,
        })
    }
}

/// A reader over the Manifest.mbdb at `path`, its magic checked.
fn mbdb_reader(path: &Path) -> Result<MbdbReader<BufReader<File>>> {
    let file = super::safe_fs::open_regular(path).map_err(|e| Error::io(path, e))?;
    MbdbReader::new(BufReader::with_capacity(1 << 16, file), path)
}

impl ManifestIndex {
    /// Loads the index from `Manifest.db` (format `Db`) or `Manifest.mbdb` (format `Mbdb`) of
    /// `version_dir`. An encrypted Manifest.db gives [`ManifestError::Encrypted`]; a truncated
    /// Manifest.mbdb keeps the records before the cut ([`ManifestIndex::truncated_at`]);
    /// format `None` is [`ManifestError::Unsupported`].
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
        Self::load_unlocked(version_dir, format, installed, None)
    }

    /// [`ManifestIndex::load_with_apps`] for an encrypted version the password opened: its
    /// Manifest.db decrypted in memory ([`Manifest::open_unlocked`]).
    pub fn load_unlocked<'a>(
        version_dir: &Path,
        format: ManifestFormat,
        installed: impl IntoIterator<Item = &'a str>,
        unlocked: Option<&super::unlock::UnlockedVersion>,
    ) -> Result<ManifestIndex> {
        let manifest = Manifest::open_unlocked(version_dir, format, unlocked)?;
        let capacity = usize::try_from(manifest.len_hint())
            .unwrap_or(0)
            .min(20_000_000);
        let mut builder = IndexBuilder::with_capacity(capacity);
        let path = manifest.path();
        let pass = manifest.for_each(Fields::Names, |entry| {
            if !entry.is_file() {
                builder.add_other(entry.domain.as_bytes());
                return Ok(());
            }
            match builder.add(
                entry.file_id.as_bytes(),
                entry.domain.as_bytes(),
                entry.path.as_bytes(),
            ) {
                Ok(()) => Ok(()),
                Err(AddError::TooManyDomains) => Err(Error::invalid(
                    path,
                    format!("{} has too many distinct domains", file_name(path)),
                )),
            }
        })?;
        builder.set_truncated_at(pass.truncated_at);
        builder.add_installed(installed);
        Ok(builder.finish())
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
