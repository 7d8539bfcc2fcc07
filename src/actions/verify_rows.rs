//! The row checks of a verify: each file row of the manifest against the disk, then each
//! content file on disk against the rows. `Manifest.db` contents live in `xx/<fileID>`,
//! `Manifest.mbdb` contents flat in the version folder.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::verify::{ProblemKind, Problems, VerifyOptions, VerifyProgress};
use crate::library::manifest::{content_path, file_id_hex, parse_file_id, Entry, Fields, Manifest};
use crate::library::unlock::{self, UnlockedVersion};
use crate::library::version_state::{file_problem, MBDB_HEADER_ONLY};
use crate::library::ManifestFormat;

/// Report progress every this many rows.
const PROGRESS_EVERY: u64 = 1000;

/// What the row pass learned, for the unlisted-file pass.
pub struct RowCheck {
    /// fileIDs of every row (files, folders, links).
    pub ids: HashSet<[u8; 20]>,
    /// Rows checked.
    pub rows: u64,
    /// Where contents live.
    pub format: ManifestFormat,
}

/// One file row to check.
struct FileRow<'a> {
    id: [u8; 20],
    name: &'a dyn Fn() -> String,
    /// The manifest's size, when it can be compared.
    size: Option<u64>,
}

/// Checks one file row's content file; `flat` for mbdb layout.
fn check_file(dir: &Path, flat: bool, row: FileRow, problems: &mut Problems) {
    let hex = file_id_hex(&row.id);
    let path: PathBuf = if flat {
        dir.join(&hex)
    } else {
        dir.join(&hex[..2]).join(&hex)
    };
    match std::fs::symlink_metadata(&path) {
        Ok(m) => {
            if let Some(size) = row.size.filter(|s| *s != m.len()) {
                problems.add(ProblemKind::SizeMismatch, || {
                    format!(
                        "{} ({hex}): manifest says {size} bytes, the file has {}",
                        (row.name)(),
                        m.len()
                    )
                });
            }
        }
        Err(_) if row.size == Some(0) => {}
        Err(_) => problems.add(ProblemKind::MissingFile, || {
            format!("{} ({hex})", (row.name)())
        }),
    }
}

/// Checks every entry of the manifest of `dir` (in `format`); `None` when it cannot be read
/// (recorded).
pub fn check_manifest_rows(
    dir: &Path,
    format: ManifestFormat,
    encrypted: bool,
    options: &VerifyOptions<'_>,
    problems: &mut Problems,
    progress: &mut dyn FnMut(VerifyProgress),
) -> Option<RowCheck> {
    let opened = Manifest::open_unlocked(dir, format, options.unlocked)
        .and_then(|m| m.count().map(|n| (m, n)));
    let (manifest, total) = match opened {
        Ok(found) => found,
        Err(e) => {
            let name = match format {
                ManifestFormat::Mbdb => "Manifest.mbdb",
                _ => "Manifest.db",
            };
            problems.add(ProblemKind::UnreadableManifest, || file_problem(name, &e));
            return None;
        }
    };
    let mut check = RowCheck {
        ids: HashSet::with_capacity(usize::try_from(total).unwrap_or(0).min(10_000_000)),
        rows: 0,
        format,
    };
    let walked = manifest.for_each(Fields::All, |entry| {
        check.rows += 1;
        check_entry(dir, format, encrypted, entry, &mut check.ids, problems);
        if let (true, Some(unlocked)) = (options.deep, options.unlocked) {
            deep_check(dir, format, unlocked, entry, problems);
        }
        if check.rows.is_multiple_of(PROGRESS_EVERY) {
            progress(VerifyProgress {
                rows_checked: check.rows,
                rows_total: total,
            });
        }
        Ok(())
    });
    match walked {
        Ok(pass) => {
            if format == ManifestFormat::Mbdb && check.rows == 0 && pass.truncated_at.is_none() {
                problems.add(ProblemKind::UnreadableManifest, || MBDB_HEADER_ONLY.into());
            }
            if let Some(at) = pass.truncated_at {
                problems.add(ProblemKind::UnreadableManifest, || {
                    format!(
                        "Manifest.mbdb is truncated at byte {at}; the {} records before it were checked",
                        check.rows
                    )
                });
            }
        }
        Err(e) => problems.add(ProblemKind::UnreadableManifest, || {
            format!("stopped after {} rows: {e}", check.rows)
        }),
    }
    progress(VerifyProgress {
        rows_checked: check.rows,
        rows_total: total.max(check.rows),
    });
    Some(check)
}

/// `--deep`: decrypts the file of one entry (when present), checking its padding and its plain
/// length against the manifest's `Size`.
fn deep_check(
    dir: &Path,
    format: ManifestFormat,
    unlocked: &UnlockedVersion,
    entry: &Entry,
    problems: &mut Problems,
) {
    let (Some(id), Some(meta), true) = (entry.id(), entry.meta.as_ref(), entry.is_file()) else {
        return;
    };
    let path = content_path(dir, format, &id);
    if std::fs::symlink_metadata(&path).is_err() {
        return;
    }
    let name = || format!("{}/{} ({})", entry.domain, entry.path, entry.file_id);
    let key = match meta.encryption_key.as_deref() {
        Some(blob) => unlocked.file_key(blob),
        None => {
            return problems.add(ProblemKind::Undecryptable, || {
                format!("{}: no EncryptionKey in its record", name())
            })
        }
    };
    match key.and_then(|key| unlock::check_file(&path, &key, meta.size)) {
        Ok(decrypted) => {
            if let Some(what) = decrypted.mismatch() {
                problems.add(ProblemKind::SizeMismatch, || format!("{}: {what}", name()));
            }
        }
        Err(e) => problems.add(ProblemKind::Undecryptable, || format!("{}: {e}", name())),
    }
}

/// Checks one entry and records its fileID.
fn check_entry(
    dir: &Path,
    format: ManifestFormat,
    encrypted: bool,
    entry: &Entry,
    ids: &mut HashSet<[u8; 20]>,
    problems: &mut Problems,
) {
    let name = || format!("{}/{}", entry.domain, entry.path);
    let Some(id) = entry.id() else {
        problems.add(ProblemKind::UnreadableRow, || {
            format!(
                "{}: fileID {:?} is not 40 hex digits",
                name(),
                entry.file_id
            )
        });
        return;
    };
    ids.insert(id);
    if !entry.is_file() {
        return;
    }
    let size = match (&entry.meta, &entry.meta_error) {
        (Some(meta), _) => (!encrypted).then_some(meta.size),
        (None, error) => {
            problems.add(ProblemKind::UnreadableRow, || {
                let error = error.as_deref().unwrap_or("no metadata");
                format!("Manifest.db row {}: {error}", entry.file_id)
            });
            None
        }
    };
    check_file(
        dir,
        format == ManifestFormat::Mbdb,
        FileRow {
            id,
            name: &name,
            size,
        },
        problems,
    );
}

/// Records content files no row names; returns how many content files are on disk.
pub fn check_unlisted(
    dir: &Path,
    format: ManifestFormat,
    ids: &HashSet<[u8; 20]>,
    problems: &mut Problems,
) -> u64 {
    let mut files = 0;
    let mut look = |folder: &Path, label: &str, only_hex: bool| {
        let Ok(entries) = std::fs::read_dir(folder) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            if !e.file_type().map(|t| t.is_file()).unwrap_or(false) {
                continue;
            }
            let name = e.file_name();
            let id = parse_file_id(name.as_encoded_bytes());
            if only_hex && id.is_none() {
                continue;
            }
            files += 1;
            if !id.is_some_and(|id| ids.contains(&id)) {
                let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                problems.add(ProblemKind::UnlistedFile, || {
                    format!("{label}{} ({len} bytes)", name.to_string_lossy())
                });
            }
        }
    };
    match format {
        ManifestFormat::Mbdb => look(dir, "", true),
        _ => {
            for sub in hex_subfolders(dir) {
                let label = format!("{sub}/");
                look(&dir.join(&sub), &label, false);
            }
        }
    }
    files
}

/// The `00`…`ff` folders present in `dir`, sorted.
fn hex_subfolders(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut subs: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_hexdigit()))
        .collect();
    subs.sort();
    subs
}
