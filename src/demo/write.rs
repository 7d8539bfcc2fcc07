//! Writing one version folder from a [`BackupSpec`]: plists, manifest, contents, unlisted and
//! missing files, then damage and state (mtimes, `Snapshot/`). iMazing snapshots go through the
//! same steps but hard-link unchanged contents from the live backup.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::content::{content_path, file_rng, set_mtime, set_tree_mtime, write_file, Dirs};
use super::crypto::DemoKeys;
use super::damage;
use super::entries::entries;
use super::manifest_db::write_manifest_db;
use super::mbdb::mbdb_bytes_with;
use super::plists::{info_plist, manifest_plist, status_plist, write_plist};
use super::rng::Rng;
use super::spec::{encrypted_size, BackupSpec, FileSpec, SpecState, Written};
use crate::library::{Error, ManifestFormat, Result};

/// The metadata files whose sizes make up [`Written::metadata_bytes`].
pub const METADATA_FILES: [&str; 5] = [
    "Info.plist",
    "Manifest.plist",
    "Status.plist",
    "Manifest.db",
    "Manifest.mbdb",
];

/// Where contents come from.
enum Source<'a> {
    /// Written fresh.
    Fresh,
    /// Hard-linked from `live` unless the file (by domain and path) is in `changed`.
    Link {
        live: &'a Path,
        changed: HashSet<(&'a str, &'a str)>,
    },
}

/// Writes a backup version into `version_dir` (created if missing) as `spec` says.
///
/// Encrypted backups are really encrypted ([`DemoKeys`], the spec's password): padded
/// ciphertext per docs/FORMAT.md §6. Finished backups get
/// content mtimes equal to `spec.date`; in-progress ones keep "now" and a `Snapshot/` folder;
/// interrupted ones have the whole folder dated three days before `spec.date` (or now, if
/// earlier).
pub fn write_backup(version_dir: &Path, spec: &BackupSpec) -> Result<Written> {
    write_version(version_dir, spec, &spec.files, &Source::Fresh)
}

/// Writes an iMazing snapshot into `snapshot_dir`: its manifest lists `spec.files` (with the
/// sizes of `changed` for the same domain and path) plus any `changed` file not in `spec.files`;
/// `changed` files are written fresh, every other present file is hard-linked from `live` (a
/// version written by [`write_backup`] in the same format). Plists come from `spec`.
/// Linked files keep the live backup's mtimes (they are the same inodes); an `Interrupted`
/// snapshot would re-date them in the live backup too, so snapshots should be `Finished`.
pub fn write_imazing_snapshot(
    live: &Path,
    snapshot_dir: &Path,
    spec: &BackupSpec,
    changed: &[FileSpec],
) -> Result<Written> {
    let by_key: std::collections::HashMap<(&str, &str), &FileSpec> = changed
        .iter()
        .map(|f| ((f.domain.as_str(), f.path.as_str()), f))
        .collect();
    let mut files: Vec<FileSpec> = spec
        .files
        .iter()
        .map(|f| {
            by_key
                .get(&(f.domain.as_str(), f.path.as_str()))
                .map_or_else(|| f.clone(), |c| (*c).clone())
        })
        .collect();
    let listed: HashSet<(&str, &str)> = spec
        .files
        .iter()
        .map(|f| (f.domain.as_str(), f.path.as_str()))
        .collect();
    let extra = changed
        .iter()
        .filter(|c| !listed.contains(&(c.domain.as_str(), c.path.as_str())));
    // Extra files go before the missing tail so `missing_files` keeps meaning the spec's tail.
    let at = files.len().saturating_sub(spec.missing_files);
    let tail = files.split_off(at);
    files.extend(extra.cloned());
    files.extend(tail);
    let source = Source::Link {
        live,
        changed: by_key.keys().copied().collect(),
    };
    write_version(snapshot_dir, spec, &files, &source)
}

fn write_version(
    dir: &Path,
    spec: &BackupSpec,
    files: &[FileSpec],
    source: &Source,
) -> Result<Written> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    if spec.state == SpecState::InProgress {
        let snap = dir.join("Snapshot");
        std::fs::create_dir_all(&snap).map_err(|e| Error::io(&snap, e))?;
    }
    write_plist(&dir.join("Info.plist"), &info_plist(spec), spec.encoding)?;
    let keys = spec.keys()?;
    write_plist(
        &dir.join("Manifest.plist"),
        &manifest_plist(spec, keys.as_ref()),
        spec.encoding,
    )?;
    write_plist(
        &dir.join("Status.plist"),
        &status_plist(spec),
        spec.encoding,
    )?;
    write_manifest(dir, spec, files, keys.as_ref())?;
    let mut rng = Rng::from_str_seed(&spec.udid, spec.date.unix_timestamp() as u64);
    let present = &files[..files.len().saturating_sub(spec.missing_files)];
    let (mut count, mut bytes) = write_contents(dir, spec, present, source, keys.as_ref())?;
    let mut dirs = Dirs::default();
    for (name, len) in &spec.unlisted_files {
        let path = content_path(dir, spec.format, name);
        dirs.ensure_parent(&path)?;
        write_file(&path, *len, spec.sparse, &mut rng, None)?;
        count += 1;
        bytes += len;
    }
    if let Some(d) = spec.damage {
        damage::apply(dir, d, spec.format, &mut rng)?;
    }
    if spec.state == SpecState::Interrupted {
        let base = SystemTime::from(spec.date).min(SystemTime::now());
        set_tree_mtime(dir, base - Duration::from_secs(3 * 86_400))?;
    }
    Ok(Written {
        path: dir.to_path_buf(),
        files: count,
        content_bytes: bytes,
        metadata_bytes: metadata_bytes(dir)?,
    })
}

fn write_manifest(
    dir: &Path,
    spec: &BackupSpec,
    files: &[FileSpec],
    keys: Option<&DemoKeys>,
) -> Result<()> {
    let rows = entries(files, spec.rows_dated());
    match spec.format {
        ManifestFormat::Mbdb => {
            let path = dir.join("Manifest.mbdb");
            let bytes = mbdb_bytes_with(&rows, keys);
            std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
        }
        _ => write_manifest_db(&dir.join("Manifest.db"), &rows, keys).map(|_| ()),
    }
}

/// Writes (or links) the present files; returns (files, on-disk bytes).
fn write_contents(
    dir: &Path,
    spec: &BackupSpec,
    files: &[FileSpec],
    source: &Source,
    keys: Option<&DemoKeys>,
) -> Result<(u64, u64)> {
    let mtime = (spec.state == SpecState::Finished).then(|| SystemTime::from(spec.date));
    let mut dirs = Dirs::default();
    let (mut count, mut bytes) = (0u64, 0u64);
    for f in files {
        let id = f.file_id();
        let path = content_path(dir, spec.format, &id);
        dirs.ensure_parent(&path)?;
        let len = if spec.encrypted {
            encrypted_size(f.size)
        } else {
            f.size
        };
        match source {
            Source::Link { live, changed }
                if !changed.contains(&(f.domain.as_str(), f.path.as_str())) =>
            {
                let from = content_path(live, spec.format, &id);
                remove_old(&path)?;
                std::fs::hard_link(&from, &path).map_err(|e| Error::io(&from, e))?;
                bytes += std::fs::metadata(&path)
                    .map_err(|e| Error::io(&path, e))?
                    .len();
            }
            _ => {
                match keys {
                    Some(keys) => {
                        remove_old(&path)?;
                        keys.write_file(&path, &id, f.size, spec.sparse)?;
                        if let Some(t) = mtime {
                            set_mtime(&path, t)?;
                        }
                    }
                    None => write_file(&path, len, spec.sparse, &mut file_rng(&id, len), mtime)?,
                }
                bytes += len;
            }
        }
        count += 1;
    }
    Ok((count, bytes))
}

/// Removes a file or hard link at `path` (never write through a link: that would change
/// another version too); a missing file is fine.
fn remove_old(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

fn metadata_bytes(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for name in METADATA_FILES {
        let path = dir.join(name);
        match std::fs::metadata(&path) {
            Ok(m) => total += m.len(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Ok(total)
}
