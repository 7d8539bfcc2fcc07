//! The rows of one version's manifest as the diff reads them: each file's fileID, domain,
//! path, a fingerprint of its metadata, and the metadata itself when it costs nothing.
//!
//! Decoding an `MBFile` blob (an NSKeyedArchiver plist) is the slow part of reading a
//! Manifest.db (docs/PERFORMANCE.md), so a Manifest.db row is not decoded here: its
//! fingerprint is a hash of the blob's bytes. Two versions' rows with equal blobs describe the
//! same file; only rows whose blobs differ (or that exist on one side) are decoded, the new
//! side's while its row is at hand, the old side's later by rowid ([`RowReader::meta_at`]).
//! Manifest.mbdb records carry their metadata inline: their fingerprint hashes size and
//! mtime, and [`Row::meta`] is always known.

use std::path::Path;

use rusqlite::types::ValueRef;

use super::source::{Source, SourceKind};
use crate::library::error::{Error, Result};
use crate::library::manifest::{decode_mbfile, Fields, Kind};

/// What a diff compares of a file: the size and mtime its manifest row gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FileMeta {
    /// Size of the plain contents in bytes.
    pub size: u64,
    /// Modification time, Unix seconds.
    pub mtime: Option<i64>,
}

/// One manifest row, borrowed for the length of a callback.
#[derive(Debug)]
pub(super) struct Row<'a> {
    /// Manifest.db rowid (for [`RowReader::meta_at`]); the record's index for Manifest.mbdb.
    pub rowid: i64,
    /// The fileID as stored (Manifest.mbdb: computed).
    pub file_id: &'a [u8],
    /// Domain bytes.
    pub domain: &'a [u8],
    /// Relative path bytes.
    pub path: &'a [u8],
    /// True for a regular file (folders and links are not compared).
    pub is_file: bool,
    /// Hash of what describes the file (the blob's bytes, or size and mtime).
    pub fingerprint: u64,
    /// The metadata, when the row carried it inline (Manifest.mbdb) or it had to be decoded
    /// anyway (a Manifest.db row whose `flags` do not say its kind).
    pub meta: Option<FileMeta>,
    /// The raw `MBFile` blob (Manifest.db).
    pub blob: Option<&'a [u8]>,
}

impl Row<'_> {
    /// The metadata: inline, or decoded from the blob. `None` when the blob is missing or
    /// damaged.
    pub fn decode(&self) -> Option<FileMeta> {
        self.meta.or_else(|| self.blob.and_then(decode_blob))
    }
}

/// Size and mtime of an `MBFile` blob; `None` when it cannot be decoded.
pub(super) fn decode_blob(blob: &[u8]) -> Option<FileMeta> {
    decode_mbfile(blob).ok().map(|f| FileMeta {
        size: f.size,
        mtime: f.last_modified,
    })
}

/// The one hasher of fingerprints (fixed seeds: both sides of a diff hash alike).
fn hasher() -> ahash::RandomState {
    ahash::RandomState::with_seeds(
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    )
}

/// Reads the rows of one [`Source`].
pub(super) struct RowReader<'s> {
    source: &'s Source,
    hasher: ahash::RandomState,
}

/// What a pass read besides the rows.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PassInfo {
    /// For Manifest.mbdb: the byte offset of a record cut short by the end of the file.
    pub truncated_at: Option<u64>,
}

impl<'s> RowReader<'s> {
    /// A reader over `source`.
    pub fn new(source: &'s Source) -> Self {
        RowReader {
            source,
            hasher: hasher(),
        }
    }

    /// True when fingerprints of this source and `other` can be compared (both hash blobs,
    /// or both hash inline metadata).
    pub fn fingerprints_match(&self, other: &RowReader<'_>) -> bool {
        matches!(
            (&self.source.kind, &other.source.kind),
            (SourceKind::Db { .. }, SourceKind::Db { .. })
                | (SourceKind::Mbdb(_), SourceKind::Mbdb(_))
        )
    }

    /// Calls `each` for every row, in manifest order.
    pub fn for_each(&self, mut each: impl FnMut(&Row<'_>)) -> Result<PassInfo> {
        match &self.source.kind {
            SourceKind::Db { conn, path } => {
                let sql = |e| sqlite(path, e);
                let mut stmt = conn
                    .prepare("SELECT rowid, fileID, domain, relativePath, flags, file FROM Files")
                    .map_err(sql)?;
                let mut rows = stmt.query([]).map_err(sql)?;
                while let Some(row) = rows.next().map_err(sql)? {
                    let bytes = |i| match row.get_ref(i) {
                        Ok(ValueRef::Text(t) | ValueRef::Blob(t)) => t,
                        _ => &[][..],
                    };
                    let rowid = match row.get_ref(0) {
                        Ok(ValueRef::Integer(i)) => i,
                        _ => 0,
                    };
                    let flags = match row.get_ref(4) {
                        Ok(ValueRef::Integer(f)) => Kind::from_flags(f),
                        _ => None,
                    };
                    let blob = match row.get_ref(5) {
                        Ok(ValueRef::Blob(b)) => Some(b),
                        _ => None,
                    };
                    // An unusual `flags` value: the blob's mode says the kind.
                    let (is_file, meta) = match flags {
                        Some(kind) => (kind == Kind::File, None),
                        None => match blob.and_then(|b| decode_mbfile(b).ok()) {
                            Some(f) => (
                                f.is_file(),
                                Some(FileMeta {
                                    size: f.size,
                                    mtime: f.last_modified,
                                }),
                            ),
                            None => (false, None),
                        },
                    };
                    each(&Row {
                        rowid,
                        file_id: bytes(1),
                        domain: bytes(2),
                        path: bytes(3),
                        is_file,
                        fingerprint: self.hasher.hash_one(blob.unwrap_or_default()),
                        meta,
                        blob,
                    });
                }
                Ok(PassInfo::default())
            }
            SourceKind::Mbdb(manifest) => {
                let mut index = 0;
                let pass = manifest.for_each(Fields::All, |entry| {
                    let meta = entry.meta.as_ref().map(|m| FileMeta {
                        size: m.size,
                        mtime: m.mtime,
                    });
                    each(&Row {
                        rowid: index,
                        file_id: entry.file_id.as_bytes(),
                        domain: entry.domain.as_bytes(),
                        path: entry.path.as_bytes(),
                        is_file: entry.is_file(),
                        fingerprint: self.hasher.hash_one(meta.map(|m| (m.size, m.mtime))),
                        meta,
                        blob: None,
                    });
                    index += 1;
                    Ok(())
                })?;
                Ok(PassInfo {
                    truncated_at: pass.truncated_at,
                })
            }
        }
    }

    /// The metadata of the Manifest.db row `rowid` (decoded from its blob); `None` for
    /// Manifest.mbdb (whose rows carry it inline) or a missing or damaged blob.
    pub fn meta_at(&self, rowid: i64) -> Result<Option<FileMeta>> {
        let SourceKind::Db { conn, path } = &self.source.kind else {
            return Ok(None);
        };
        let mut stmt = conn
            .prepare_cached("SELECT file FROM Files WHERE rowid = ?1")
            .map_err(|e| sqlite(path, e))?;
        let mut rows = stmt.query([rowid]).map_err(|e| sqlite(path, e))?;
        let Some(row) = rows.next().map_err(|e| sqlite(path, e))? else {
            return Ok(None);
        };
        Ok(match row.get_ref(0) {
            Ok(ValueRef::Blob(b)) => decode_blob(b),
            _ => None,
        })
    }
}

fn sqlite(path: &Path, source: rusqlite::Error) -> Error {
    Error::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}
