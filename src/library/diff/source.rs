//! What a diff reads one version from: its manifest opened read-only, or why it cannot be
//! compared (an encrypted backup without its key, no manifest, a damaged one).
//!
//! This is the seam for encrypted backups: once a backup is unlocked, its decrypted
//! Manifest.db arrives as an open [`Connection`] (in memory: nothing decrypted touches disk),
//! and [`Source::from_connection`] compares it like any other ([`open_source_with`]);
//! without keys [`open_source`] answers [`DiffError::Locked`] for an encrypted version.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::library::error::Error;
use crate::library::manifest::{open_db, Manifest, ManifestError};
use crate::library::unlock::UnlockedVersion;
use crate::library::{ManifestFormat, Version};

/// The sentence for an encrypted version that was not unlocked.
pub const LOCKED_REASON: &str = "the backup is encrypted: its file list needs the password \
     (--password-file FILE, or run on a terminal to be asked)";

/// Why two versions cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// The version is encrypted and was not unlocked.
    #[error("{}: cannot be compared: {reason}", path.display())]
    Locked {
        /// The version folder.
        path: PathBuf,
        /// Why, as a sentence.
        reason: String,
    },
    /// The manifest is missing, damaged or unreadable.
    #[error("{}: cannot be compared: {source}", path.display())]
    Unreadable {
        /// The version folder.
        path: PathBuf,
        /// What reading its manifest said.
        #[source]
        source: Error,
    },
}

impl DiffError {
    /// The version folder concerned.
    pub fn path(&self) -> &Path {
        match self {
            DiffError::Locked { path, .. } | DiffError::Unreadable { path, .. } => path,
        }
    }

    /// True for a locked (encrypted) version.
    pub fn is_locked(&self) -> bool {
        matches!(self, DiffError::Locked { .. })
    }
}

/// One version's manifest, opened for a diff.
#[derive(Debug)]
pub struct Source {
    /// The version folder (for messages).
    pub(super) version_dir: PathBuf,
    pub(super) kind: SourceKind,
}

#[derive(Debug)]
pub(super) enum SourceKind {
    /// Manifest.db (iOS 10+), read with SQLite: rows with their raw `MBFile` blobs.
    Db {
        conn: Connection,
        /// The database's path (for errors; `:memory:` style names for unlocked ones).
        path: PathBuf,
    },
    /// Manifest.mbdb (iOS 9 and earlier): records with their metadata inline.
    Mbdb(Manifest),
}

impl Source {
    /// A source from an open Manifest.db connection: how an unlocked (decrypted, in memory)
    /// manifest of `version_dir` is compared.
    pub fn from_connection(version_dir: &Path, conn: Connection) -> Source {
        Source {
            version_dir: version_dir.to_path_buf(),
            kind: SourceKind::Db {
                conn,
                path: version_dir.join("Manifest.db"),
            },
        }
    }

    /// The version folder.
    pub fn version_dir(&self) -> &Path {
        &self.version_dir
    }
}

/// Opens `version`'s manifest for a diff: [`DiffError::Locked`] when it is encrypted (by
/// `Manifest.plist` or by its Manifest.db's bytes), [`DiffError::Unreadable`] when it has no
/// readable manifest.
pub fn open_source(version: &Version) -> Result<Source, DiffError> {
    open_source_with(version, None)
}

/// [`open_source`] with the keys of an unlocked encrypted version: its Manifest.db decrypted
/// in memory ([`Source::from_connection`]), or read as is when it has no `ManifestKey`.
pub fn open_source_with(
    version: &Version,
    unlocked: Option<&UnlockedVersion>,
) -> Result<Source, DiffError> {
    let dir = &version.path;
    let locked = || DiffError::Locked {
        path: dir.clone(),
        reason: LOCKED_REASON.to_string(),
    };
    if version.encrypted {
        match unlocked.map(UnlockedVersion::open_manifest_db) {
            None => return Err(locked()),
            Some(Some(Ok(conn))) => return Ok(Source::from_connection(dir, conn)),
            Some(Some(Err(e))) => {
                return Err(DiffError::Unreadable {
                    path: dir.clone(),
                    source: Error::invalid(dir.join("Manifest.db"), e.to_string()),
                })
            }
            // No ManifestKey (iOS 10.0-10.1): the manifest itself is plain.
            Some(None) => {}
        }
    }
    let unreadable = |source: Error| match source {
        Error::Manifest(ManifestError::Encrypted { .. }) => locked(),
        source => DiffError::Unreadable {
            path: dir.clone(),
            source,
        },
    };
    let format = match version.manifest {
        // Discovery found none: look again, in case the caller built the Version by hand.
        ManifestFormat::None => {
            if dir.join("Manifest.db").symlink_metadata().is_ok() {
                ManifestFormat::Db
            } else if dir.join("Manifest.mbdb").symlink_metadata().is_ok() {
                ManifestFormat::Mbdb
            } else {
                ManifestFormat::None
            }
        }
        format => format,
    };
    let kind = match format {
        ManifestFormat::Db => {
            let path = dir.join("Manifest.db");
            let conn = open_db(&path).map_err(unreadable)?;
            SourceKind::Db { conn, path }
        }
        other => SourceKind::Mbdb(Manifest::open_as(dir, other).map_err(unreadable)?),
    };
    Ok(Source {
        version_dir: dir.clone(),
        kind,
    })
}
