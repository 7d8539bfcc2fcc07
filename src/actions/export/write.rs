//! The writing half of an export: folders checked or created one level at a time below the
//! destination, files created new (never through a link, never over a file), contents copied
//! in chunks between cancel checks, then modes and mtimes from the manifest.

use std::fs::{File, FileTimes, OpenOptions};
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ahash::AHashSet;

use super::names::{dest_components, numbered, Component};
use super::{
    Collision, ExportItem, ExportOptions, ExportProgress, ExportSummary, ItemKind, Noted,
    SkipReason, Source,
};
use crate::library::manifest::content_path;
use crate::library::safe_fs;
use crate::library::unlock::cipher::{unlock_error_of, DecryptReader};
use crate::library::unlock::FileKeys;

/// Bytes copied between two cancel checks and progress reports.
const CHUNK: u64 = 8 << 20;

/// Most `name (n).ext` candidates tried before giving up.
const MAX_RENAMES: u32 = 9_999;

struct Writer<'a> {
    source: Source<'a>,
    keys: Option<&'a FileKeys>,
    dest: &'a Path,
    options: ExportOptions,
    cancel: &'a AtomicBool,
    /// Folders known to be real folders below `dest` (checked or created in this run).
    folders: AHashSet<PathBuf>,
    /// Folders this run created, with the manifest's mtime when it lists them.
    created: Vec<PathBuf>,
    dir_times: Vec<(PathBuf, i64)>,
    summary: ExportSummary,
    progress: ExportProgress,
}

/// Exports `items` of the version at `source` into `dest` (created when missing). Progress
/// goes to `progress` after each file and each 8 MiB; `cancel` stops at the next check.
/// Per-item problems land in the summary; only a destination that cannot be created is an
/// `Err`.
pub fn export(
    source: Source<'_>,
    items: &[ExportItem],
    dest: &Path,
    options: ExportOptions,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&ExportProgress),
) -> io::Result<ExportSummary> {
    export_decrypting(source, None, items, dest, options, cancel, progress)
}

/// [`export`] of an unlocked encrypted version: each file is decrypted as it is copied (with
/// `keys`), and a plain length that differs from the manifest's `Size` is noted in
/// [`ExportSummary::size_mismatch`] (all the bytes are kept).
pub fn export_decrypting(
    source: Source<'_>,
    keys: Option<&FileKeys>,
    items: &[ExportItem],
    dest: &Path,
    options: ExportOptions,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&ExportProgress),
) -> io::Result<ExportSummary> {
    let report = progress;
    std::fs::create_dir_all(dest)?;
    let files = items.iter().filter(|i| i.kind == ItemKind::File);
    let mut w = Writer {
        source,
        keys,
        dest,
        options,
        cancel,
        folders: AHashSet::default(),
        created: Vec::new(),
        dir_times: Vec::new(),
        summary: ExportSummary {
            dest: dest.to_path_buf(),
            items: items.len() as u64,
            ..ExportSummary::default()
        },
        progress: ExportProgress {
            files_total: files.clone().count() as u64,
            bytes_total: files.map(|i| i.size).sum(),
            ..ExportProgress::default()
        },
    };
    report(&w.progress);
    for item in items {
        if cancel.load(Ordering::Relaxed) {
            w.summary.cancelled = true;
            break;
        }
        w.item(item, report);
        if item.kind == ItemKind::File {
            w.progress.files_done += 1;
            report(&w.progress);
        }
    }
    // Folders last, deepest first: writing into a folder changes its mtime.
    w.dir_times
        .sort_by_key(|(p, _)| std::cmp::Reverse(p.components().count()));
    for (path, mtime) in &w.dir_times {
        let _ = set_dir_mtime(path, *mtime);
    }
    w.summary.folders = w.created.len() as u64;
    Ok(w.summary)
}

fn name_of(item: &ExportItem) -> String {
    format!("{}/{}", item.domain, item.path)
}

impl Writer<'_> {
    fn skip(&mut self, item: &ExportItem, why: SkipReason) {
        self.summary.skipped.push(Noted {
            item: name_of(item),
            what: why,
        });
    }

    fn item(&mut self, item: &ExportItem, report: &mut dyn FnMut(&ExportProgress)) {
        if item.kind == ItemKind::NotWritten {
            return self.skip(item, SkipReason::NotAFile);
        }
        if let Some(link) = &item.through_symlink {
            return self.skip(item, SkipReason::ThroughSymlink(link.clone()));
        }
        let top = item.folder.as_deref().unwrap_or(&item.domain);
        let parts = match dest_components(top, &item.path, self.options.rules) {
            Ok(parts) => parts,
            Err(refused) => return self.skip(item, SkipReason::Refused(refused)),
        };
        let Some((last, parents)) = parts.split_last() else {
            return self.skip(item, SkipReason::Refused(super::Refused::NoName));
        };
        let folder = match self.folders_for(parents) {
            Ok(Ok(folder)) => folder,
            Ok(Err(why)) => return self.skip(item, why),
            Err(e) => return self.fail(item, e),
        };
        if parts.iter().any(|c| c.escaped) {
            self.summary.escaped.push(Noted {
                item: name_of(item),
                what: folder.join(&last.name),
            });
        }
        match item.kind {
            ItemKind::Dir => match self.folder(&folder.join(&last.name)) {
                Ok(Ok(())) => {
                    if let Some(t) = item.mtime {
                        let path = folder.join(&last.name);
                        if self.created.contains(&path) {
                            self.dir_times.push((path, t));
                        }
                    }
                }
                Ok(Err(why)) => self.skip(item, why),
                Err(e) => self.fail(item, e),
            },
            _ => self.file(item, &folder, last, report),
        }
    }

    fn fail(&mut self, item: &ExportItem, e: io::Error) {
        self.summary.failed.push(Noted {
            item: name_of(item),
            what: e.to_string(),
        });
    }

    /// The folder for `parents` below the destination, each level checked or created.
    fn folders_for(&mut self, parents: &[Component]) -> io::Result<Result<PathBuf, SkipReason>> {
        let mut at = self.dest.to_path_buf();
        for part in parents {
            at.push(&part.name);
            if let Err(why) = self.folder(&at)? {
                return Ok(Err(why));
            }
        }
        Ok(Ok(at))
    }

    /// Makes sure `path` is a real folder (not a link to one), creating it when missing.
    fn folder(&mut self, path: &Path) -> io::Result<Result<(), SkipReason>> {
        if self.folders.contains(path) {
            return Ok(Ok(()));
        }
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                return Ok(Err(SkipReason::SymlinkInDestination(path.to_path_buf())))
            }
            Ok(m) if !m.is_dir() => return Ok(Err(SkipReason::NotAFolder(path.to_path_buf()))),
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => match std::fs::create_dir(path) {
                Ok(()) => self.created.push(path.to_path_buf()),
                // Made by someone else meanwhile: look again.
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let m = std::fs::symlink_metadata(path)?;
                    if !m.is_dir() || m.file_type().is_symlink() {
                        return Ok(Err(SkipReason::NotAFolder(path.to_path_buf())));
                    }
                }
                Err(e) => return Err(e),
            },
            Err(e) => return Err(e),
        }
        self.folders.insert(path.to_path_buf());
        Ok(Ok(()))
    }

    fn file(
        &mut self,
        item: &ExportItem,
        folder: &Path,
        last: &Component,
        report: &mut dyn FnMut(&ExportProgress),
    ) {
        let contents = item
            .file_id
            .map(|id| content_path(self.source.dir, self.source.format, &id));
        let source = match contents.as_deref().map(safe_fs::open_regular) {
            Some(Ok(file)) => Some(file),
            Some(Err(e)) if safe_fs::special_file(&e).is_some() => {
                return self.skip(item, SkipReason::ContentsNotRegular)
            }
            Some(Err(e)) if e.kind() != ErrorKind::NotFound => return self.fail(item, e),
            // An empty file has no contents file in a backup.
            _ if item.size == 0 => None,
            _ => return self.summary.missing.push(name_of(item)),
        };
        let (path, mut out) = match self.create(folder, &last.name) {
            Ok(Ok(created)) => created,
            Ok(Err(why)) => return self.skip(item, why),
            Err(e) => return self.fail(item, e),
        };
        let copied = match (&source, self.keys, item.file_id) {
            (Some(file), Some(keys), Some(id)) => self.decrypt(keys, &id, file, &mut out, report),
            (Some(file), _, _) => self.copy(&mut &*file, &mut out, report),
            (None, _, _) => Ok(Some(0)),
        };
        if let (Ok(Some(n)), Some(_)) = (&copied, self.keys) {
            if *n != item.size {
                self.summary.size_mismatch.push(Noted {
                    item: name_of(item),
                    what: format!(
                        "decrypted to {n} bytes, the manifest says {} (all {n} kept)",
                        item.size
                    ),
                });
            }
        }
        let finished = copied.and_then(|n| {
            if let Some(n) = n {
                finish(&out, item)?;
                self.summary.written += 1;
                self.summary.bytes_written += n;
            }
            Ok(n)
        });
        match finished {
            Ok(Some(_)) => {
                if path.file_name() != Some(std::ffi::OsStr::new(&last.name)) {
                    self.summary.renamed.push(Noted {
                        item: name_of(item),
                        what: path,
                    });
                }
            }
            Ok(None) => {
                drop(out);
                let _ = std::fs::remove_file(&path);
                self.summary.cancelled = true;
            }
            Err(e) => {
                drop(out);
                let _ = std::fs::remove_file(&path);
                self.fail(item, e);
            }
        }
    }

    /// A new file `name` in `folder` (or `name (n).ext` when collisions rename).
    fn create(&self, folder: &Path, name: &str) -> io::Result<Result<(PathBuf, File), SkipReason>> {
        let mut candidate = folder.join(name);
        for n in 1..=MAX_RENAMES {
            match create_new(&candidate) {
                Ok(file) => return Ok(Ok((candidate, file))),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    if self.options.collision == Collision::Skip {
                        return Ok(Err(SkipReason::Exists(candidate)));
                    }
                    candidate = folder.join(numbered(name, n));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(Err(SkipReason::Exists(candidate)))
    }

    /// Decrypts the encrypted `from` (the file `id`) into `to`; `None` when cancelled.
    fn decrypt(
        &mut self,
        keys: &FileKeys,
        id: &[u8; 20],
        from: &File,
        to: &mut File,
        report: &mut dyn FnMut(&ExportProgress),
    ) -> io::Result<Option<u64>> {
        let key = keys
            .key(id)
            .map_err(|e| io::Error::new(ErrorKind::InvalidData, e.to_string()))?;
        let mut reader = DecryptReader::new(io::BufReader::new(from), &key);
        self.copy(&mut reader, to, report)
            .map_err(|e| match unlock_error_of(e) {
                Ok(u) => io::Error::new(ErrorKind::InvalidData, u.to_string()),
                Err(e) => e,
            })
    }

    /// Copies `from` into `to` a chunk at a time; `None` when cancelled.
    fn copy(
        &mut self,
        mut from: &mut dyn io::Read,
        to: &mut File,
        report: &mut dyn FnMut(&ExportProgress),
    ) -> io::Result<Option<u64>> {
        let mut total = 0;
        loop {
            if self.cancel.load(Ordering::Relaxed) {
                return Ok(None);
            }
            let n = io::copy(&mut io::Read::take(&mut from, CHUNK), to)?;
            total += n;
            self.progress.bytes_done += n;
            if n < CHUNK {
                return Ok(Some(total));
            }
            report(&self.progress);
        }
    }
}

/// Creates `path` as a new file: never over an existing file, never through a link.
fn create_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// Unix seconds as a [`SystemTime`] (`None` when it does not fit).
fn system_time(secs: i64) -> Option<SystemTime> {
    let d = Duration::from_secs(secs.unsigned_abs());
    if secs >= 0 {
        UNIX_EPOCH.checked_add(d)
    } else {
        UNIX_EPOCH.checked_sub(d)
    }
}

/// The manifest's permission bits (always readable by the owner) and mtime.
fn finish(file: &File, item: &ExportItem) -> io::Result<()> {
    #[cfg(unix)]
    if item.mode & 0o777 != 0 {
        use std::os::unix::fs::PermissionsExt;
        let mode = (item.mode & 0o777) | 0o400;
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    if let Some(t) = item.mtime.and_then(system_time) {
        file.set_times(FileTimes::new().set_modified(t).set_accessed(t))?;
    }
    Ok(())
}

fn set_dir_mtime(path: &Path, secs: i64) -> io::Result<()> {
    let Some(t) = system_time(secs) else {
        return Ok(());
    };
    #[cfg(windows)]
    let dir = {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_FLAG_BACKUP_SEMANTICS: u32 = 0x0200_0000;
        OpenOptions::new()
            .write(true)
            .custom_flags(FILE_FLAG_BACKUP_SEMANTICS)
            .open(path)?
    };
    #[cfg(not(windows))]
    let dir = File::open(path)?;
    dir.set_times(FileTimes::new().set_modified(t).set_accessed(t))
}
