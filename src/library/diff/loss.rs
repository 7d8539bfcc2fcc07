//! What deleting some versions loses: the files that exist only in the versions to be
//! deleted, by category (the delete and prune dialogs, `backtop prune`).
//!
//! A file is keyed as the diff keys it (fileID, with its size and mtime: one copy of the
//! file). It is lost when no version of the same device that stays holds that copy:
//! **only here** when no staying version lists the fileID at all, an **older copy** when they
//! list it with another size or mtime. A copy found in several deleted versions counts once.
//!
//! Each manifest is read once, as [`super::compare`] reads it: rows are told apart by the
//! fingerprint of their metadata, and only rows whose fingerprint no staying version shares
//! are decoded. A version that cannot be read (encrypted and locked, damaged) is named with
//! its reason; a staying one that cannot be read may hold files counted here as lost, which
//! [`Loss::unread_kept`] says. Pure: no terminal, no threads; `cancelled` is asked between
//! manifests.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ahash::{AHashMap, AHashSet};

use super::compare::key;
use super::domains::Domains;
use super::rows::{FileMeta, RowReader};
use super::source::{open_source_with, DiffError, Source, SourceKind};
use crate::library::category::Category;
use crate::library::unlock::UnlockedVersion;
use crate::library::{BackupState, Library, Version};

/// Files lost in one group (all, or one category).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LossTally {
    /// Copies of files no staying version holds.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Of [`files`](Self::files), those whose fileID a staying version lists with another
    /// size or mtime (an older or newer copy stays).
    pub other_copy_files: u64,
}

impl LossTally {
    fn add(&mut self, size: u64, other_copy: bool) {
        self.files += 1;
        self.bytes += size;
        self.other_copy_files += u64::from(other_copy);
    }
}

/// What deleting a set of versions loses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Loss {
    /// Every lost file.
    pub totals: LossTally,
    /// Per category with a lost file, most bytes first (ties: more files, display order).
    pub by_category: Vec<(Category, LossTally)>,
    /// Versions to be deleted that could not be read, with why: their files are not counted.
    pub unread_going: Vec<(PathBuf, String)>,
    /// Staying versions that could not be read, with why: files counted as lost may be in
    /// them.
    pub unread_kept: Vec<(PathBuf, String)>,
    /// True when `cancelled` stopped it before the end (the figures are partial).
    pub cancelled: bool,
}

impl Loss {
    /// The tally of one category (empty when it lost nothing).
    pub fn category(&self, category: Category) -> LossTally {
        self.by_category
            .iter()
            .find(|(c, _)| *c == category)
            .map(|(_, t)| *t)
            .unwrap_or_default()
    }
}

/// One staying copy of a file: where its row is, and its metadata once decoded.
#[derive(Debug, Clone, Copy)]
struct Kept {
    db: bool,
    fingerprint: u64,
    source: usize,
    rowid: i64,
    meta: Option<FileMeta>,
}

/// The keys of an unlocked version, by its folder (`None`: locked or not encrypted).
pub type KeyOf<'a> = dyn Fn(&Path) -> Option<Arc<UnlockedVersion>> + 'a;

/// What deleting the versions at `going` of `library` loses, each against the other
/// versions of its device (damaged ones are not looked at). Paths not in the library are
/// ignored; a damaged version without a device is unread.
pub fn what_deleting_loses(
    library: &Library,
    going: &[PathBuf],
    key_of: &KeyOf<'_>,
    cancelled: &dyn Fn() -> bool,
) -> Loss {
    let mut loss = Loss::default();
    let mut by_category = [LossTally::default(); Category::ALL.len()];
    for orphan in library.damaged.iter().filter(|v| going.contains(&v.path)) {
        loss.unread_going
            .push((orphan.path.clone(), "damaged".into()));
    }
    for device in &library.devices {
        let (gone, kept): (Vec<&Version>, Vec<&Version>) = device
            .versions
            .iter()
            .filter(|v| v.state != BackupState::Damaged || going.contains(&v.path))
            .partition(|v| going.contains(&v.path));
        if gone.is_empty() {
            continue;
        }
        if device_loss(&gone, &kept, key_of, cancelled, &mut loss, &mut by_category) {
            loss.cancelled = true;
            break;
        }
    }
    for (category, tally) in Category::ALL.iter().zip(by_category) {
        if tally.files > 0 {
            loss.totals.files += tally.files;
            loss.totals.bytes += tally.bytes;
            loss.totals.other_copy_files += tally.other_copy_files;
            loss.by_category.push((*category, tally));
        }
    }
    // Stable: equal tallies keep the display order of Category::ALL.
    loss.by_category
        .sort_by(|(_, a), (_, b)| b.bytes.cmp(&a.bytes).then(b.files.cmp(&a.files)));
    loss
}

fn open(v: &Version, key_of: &KeyOf<'_>) -> Result<Source, String> {
    if v.state == BackupState::Damaged {
        return Err("damaged".into());
    }
    let key = key_of(&v.path);
    open_source_with(v, key.as_deref()).map_err(|e| match e {
        DiffError::Locked { .. } => "encrypted and locked".to_string(),
        DiffError::Unreadable { source, .. } => source.to_string(),
    })
}

/// One device's loss into `loss` and `by_category`; true when cancelled.
fn device_loss(
    gone: &[&Version],
    kept: &[&Version],
    key_of: &KeyOf<'_>,
    cancelled: &dyn Fn() -> bool,
    loss: &mut Loss,
    by_category: &mut [LossTally; Category::ALL.len()],
) -> bool {
    let mut sources: Vec<Source> = Vec::new();
    for v in kept {
        if cancelled() {
            return true;
        }
        match open(v, key_of) {
            Ok(s) => sources.push(s),
            Err(why) => loss.unread_kept.push((v.path.clone(), why)),
        }
    }
    let readers: Vec<RowReader<'_>> = sources.iter().map(RowReader::new).collect();
    let mut staying: AHashMap<[u8; 20], Vec<Kept>> = AHashMap::new();
    for (i, reader) in readers.iter().enumerate() {
        if cancelled() {
            return true;
        }
        let db = matches!(sources[i].kind, SourceKind::Db { .. });
        let pass = reader.for_each(|row| {
            if !row.is_file {
                return;
            }
            let copies = staying.entry(key(row)).or_default();
            if copies
                .iter()
                .any(|k| k.db == db && k.fingerprint == row.fingerprint)
            {
                return;
            }
            copies.push(Kept {
                db,
                fingerprint: row.fingerprint,
                source: i,
                rowid: row.rowid,
                meta: row.meta,
            });
        });
        if let Err(e) = pass {
            loss.unread_kept
                .push((sources[i].version_dir().to_path_buf(), e.to_string()));
        }
    }
    let mut domains = Domains::default();
    let mut counted: AHashSet<([u8; 20], FileMeta)> = AHashSet::new();
    for v in gone {
        if cancelled() {
            return true;
        }
        let source = match open(v, key_of) {
            Ok(s) => s,
            Err(why) => {
                loss.unread_going.push((v.path.clone(), why));
                continue;
            }
        };
        let db = matches!(source.kind, SourceKind::Db { .. });
        let pass = RowReader::new(&source).for_each(|row| {
            if !row.is_file {
                return;
            }
            let id = key(row);
            let copies = staying.get_mut(&id);
            if let Some(copies) = &copies {
                if copies
                    .iter()
                    .any(|k| k.db == db && k.fingerprint == row.fingerprint)
                {
                    return;
                }
            }
            let meta = row.decode().unwrap_or_default();
            let other_copy = match copies {
                None => false,
                Some(copies) => {
                    let same = copies.iter_mut().any(|k| {
                        if k.meta.is_none() {
                            k.meta = readers
                                .get(k.source)
                                .and_then(|r| r.meta_at(k.rowid).ok().flatten());
                        }
                        k.meta == Some(meta)
                    });
                    if same {
                        return;
                    }
                    true
                }
            };
            if counted.insert((id, meta)) {
                let domain = domains.intern(row.domain);
                let category = domains.category(domain, row.path);
                let at = Category::ALL.iter().position(|c| *c == category);
                by_category[at.unwrap_or(0)].add(meta.size, other_copy);
            }
        });
        if let Err(e) = pass {
            loss.unread_going.push((v.path.clone(), e.to_string()));
        }
    }
    false
}
