//! File contents: where a fileID lives in a version folder, writing a file of a given size
//! (real bytes or sparse), and setting modification times portably (files and folders).

use std::collections::HashSet;
use std::fs::{File, FileTimes, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::rng::Rng;
use crate::library::{Error, ManifestFormat, Result};

/// Where the contents of `file_id` live: `xx/<fileID>` for `Db`, flat `<fileID>` for `Mbdb`.
pub fn content_path(dir: &Path, format: ManifestFormat, file_id: &str) -> PathBuf {
    match (format, file_id.get(..2)) {
        (ManifestFormat::Mbdb, _) | (_, None) => dir.join(file_id),
        (_, Some(prefix)) => dir.join(prefix).join(file_id),
    }
}

/// Creates each `xx/` folder once.
#[derive(Debug, Default)]
pub struct Dirs(HashSet<PathBuf>);

impl Dirs {
    /// Makes sure the parent folder of `path` exists.
    pub fn ensure_parent(&mut self, path: &Path) -> Result<()> {
        if let Some(parent) = path.parent() {
            if !self.0.contains(parent) {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                self.0.insert(parent.to_path_buf());
            }
        }
        Ok(())
    }
}

/// Writes a new file (replacing any file or hard link there) of exactly `len` bytes: a sparse file when `sparse`, else pseudo-random bytes.
/// Sets its mtime to `mtime` when given.
pub fn write_file(
    path: &Path,
    len: u64,
    sparse: bool,
    rng: &mut Rng,
    mtime: Option<SystemTime>,
) -> Result<()> {
    let io = |e| Error::io(path, e);
    // Never write through an existing hard link: that would change another version too.
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    let mut f = File::create(path).map_err(io)?;
    if sparse {
        f.set_len(len).map_err(io)?;
    } else {
        let block = block(rng, len);
        let mut left = len;
        while left > 0 {
            let n = left.min(block.len() as u64) as usize;
            f.write_all(&block[..n]).map_err(io)?;
            left -= n as u64;
        }
    }
    if let Some(t) = mtime {
        f.set_times(FileTimes::new().set_modified(t).set_accessed(t))
            .map_err(io)?;
    }
    Ok(())
}

/// The block a file of `len` bytes repeats: the first `min(len, 64 KiB)` bytes from `rng`.
fn block(rng: &mut Rng, len: u64) -> Vec<u8> {
    let mut block = vec![0u8; len.min(BLOCK) as usize];
    rng.fill(&mut block);
    block
}

/// Length of the block a written file repeats.
const BLOCK: u64 = 64 * 1024;

/// The generator of a listed file's bytes: a pure function of its fileID and on-disk length,
/// so the same file has the same bytes in every version and a test can compute them.
pub fn file_rng(file_id: &str, len: u64) -> Rng {
    Rng::from_str_seed(file_id, len)
}

/// The bytes the builder writes for the listed file `file_id` of `len` bytes on disk (not
/// sparse): what an export of it must reproduce.
pub fn content_bytes(file_id: &str, len: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len as usize);
    // Writing into a Vec cannot fail.
    let _ = write_content(file_id, len, &mut out);
    out
}

/// Streams [`content_bytes`]`(file_id, len)` into `out` (one 64 KiB block in memory).
pub fn write_content(file_id: &str, len: u64, out: &mut dyn Write) -> std::io::Result<()> {
    let block = block(&mut file_rng(file_id, len), len);
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        out.write_all(&block[..n])?;
        left -= n as u64;
    }
    Ok(())
}

/// Sets the modification (and access) time of a file or folder.
pub fn set_mtime(path: &Path, t: SystemTime) -> Result<()> {
    let io = |e| Error::io(path, e);
    let is_dir = path.is_dir();
    let f = open_for_times(path, is_dir).map_err(io)?;
    f.set_times(FileTimes::new().set_modified(t).set_accessed(t))
        .map_err(io)
}

#[cfg(windows)]
fn open_for_times(path: &Path, is_dir: bool) -> std::io::Result<File> {
    use std::os::windows::fs::OpenOptionsExt;
    const FILE_FLAG_BACKUP_SEMANTICS: u32 = 0x0200_0000;
    let mut o = OpenOptions::new();
    o.write(true);
    if is_dir {
        o.custom_flags(FILE_FLAG_BACKUP_SEMANTICS);
    }
    o.open(path)
}

#[cfg(not(windows))]
fn open_for_times(path: &Path, is_dir: bool) -> std::io::Result<File> {
    if is_dir {
        File::open(path)
    } else {
        OpenOptions::new().write(true).open(path)
    }
}

/// Sets the mtime of `dir`, everything below it, folders last (deepest first).
pub fn set_tree_mtime(dir: &Path, t: SystemTime) -> Result<()> {
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(path, e.into())
        })?;
        set_mtime(entry.path(), t)?;
    }
    Ok(())
}
