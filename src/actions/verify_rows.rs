//! The row checks of a verify: each file row of the manifest against the disk, then each
//! content file on disk against the rows. `Manifest.db` contents live in `xx/<fileID>`,
//! `Manifest.mbdb` contents flat in the version folder.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::verify::{ProblemKind, Problems, VerifyProgress};
use crate::library::manifest::{file_id_hex, for_each_row, open_db, parse_file_id, ManifestRow};
use crate::library::mbdb::read_mbdb;
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

/// Checks every row of `dir/Manifest.db`; `None` when it cannot be read (recorded).
pub fn check_db_rows(
    dir: &Path,
    encrypted: bool,
    problems: &mut Problems,
    progress: &mut dyn FnMut(VerifyProgress),
) -> Option<RowCheck> {
    let total = match count_rows(dir) {
        Ok(n) => n,
        Err(e) => {
            problems.add(ProblemKind::UnreadableManifest, || e);
            return None;
        }
    };
    let mut check = RowCheck {
        ids: HashSet::with_capacity(usize::try_from(total).unwrap_or(0).min(10_000_000)),
        rows: 0,
        format: ManifestFormat::Db,
    };
    let walked = for_each_row(dir, |row| {
        check.rows += 1;
        check_db_row(dir, encrypted, &row, &mut check.ids, problems);
        if check.rows.is_multiple_of(PROGRESS_EVERY) {
            progress(VerifyProgress {
                rows_checked: check.rows,
                rows_total: total,
            });
        }
        Ok(())
    });
    if let Err(e) = walked {
        problems.add(ProblemKind::UnreadableManifest, || {
            format!("stopped after {} rows: {e}", check.rows)
        });
    }
    progress(VerifyProgress {
        rows_checked: check.rows,
        rows_total: total.max(check.rows),
    });
    Some(check)
}

/// Checks one `Manifest.db` row and records its fileID.
fn check_db_row(
    dir: &Path,
    encrypted: bool,
    row: &ManifestRow,
    ids: &mut HashSet<[u8; 20]>,
    problems: &mut Problems,
) {
    let name = || format!("{}/{}", row.domain, row.relative_path);
    let Some(id) = row.id() else {
        problems.add(ProblemKind::UnreadableRow, || {
            format!("{}: fileID {:?} is not 40 hex digits", name(), row.file_id)
        });
        return;
    };
    ids.insert(id);
    if row.is_file() {
        let size = match row.mbfile() {
            Ok(f) => (!encrypted).then_some(f.size),
            Err(e) => {
                problems.add(ProblemKind::UnreadableRow, || e.to_string());
                None
            }
        };
        check_file(
            dir,
            false,
            FileRow {
                id,
                name: &name,
                size,
            },
            problems,
        );
    }
}

/// Rows in the `Files` table.
fn count_rows(dir: &Path) -> Result<u64, String> {
    let conn = open_db(&dir.join("Manifest.db")).map_err(|e| e.to_string())?;
    conn.query_row("SELECT count(*) FROM Files", [], |r| r.get::<_, i64>(0))
        .map(|n| u64::try_from(n).unwrap_or(0))
        .map_err(|e| format!("Manifest.db: {e}"))
}

/// Checks every record of `dir/Manifest.mbdb`; `None` when it cannot be read (recorded).
pub fn check_mbdb_rows(
    dir: &Path,
    encrypted: bool,
    problems: &mut Problems,
    progress: &mut dyn FnMut(VerifyProgress),
) -> Option<RowCheck> {
    let parse = match read_mbdb(&dir.join("Manifest.mbdb")) {
        Ok(p) => p,
        Err(e) => {
            problems.add(ProblemKind::UnreadableManifest, || e.to_string());
            return None;
        }
    };
    if let Some(at) = parse.truncated_at {
        problems.add(ProblemKind::UnreadableManifest, || {
            format!(
                "Manifest.mbdb is truncated at byte {at}; the {} records before it were checked",
                parse.records.len()
            )
        });
    }
    let total = parse.records.len() as u64;
    let mut check = RowCheck {
        ids: HashSet::with_capacity(parse.records.len()),
        rows: 0,
        format: ManifestFormat::Mbdb,
    };
    for rec in &parse.records {
        check.rows += 1;
        let id = rec.file_id();
        check.ids.insert(id);
        if rec.is_file() {
            let name = || format!("{}/{}", rec.domain, rec.path);
            let size = (!encrypted).then_some(rec.size);
            check_file(
                dir,
                true,
                FileRow {
                    id,
                    name: &name,
                    size,
                },
                problems,
            );
        }
        if check.rows.is_multiple_of(PROGRESS_EVERY) {
            progress(VerifyProgress {
                rows_checked: check.rows,
                rows_total: total,
            });
        }
    }
    progress(VerifyProgress {
        rows_checked: check.rows,
        rows_total: total,
    });
    Some(check)
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
