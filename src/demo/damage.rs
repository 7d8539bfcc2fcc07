//! Applying one [`Damage`] to a freshly written version folder.

use std::path::Path;

use super::rng::Rng;
use super::spec::Damage;
use crate::library::{Error, ManifestFormat, Result};

/// Random bytes that no plist or SQLite reader accepts: the first byte is `0x8f`, which starts
/// neither `<?xml`, `bplist` nor `SQLite format 3`.
pub fn garbage(rng: &mut Rng, len: usize) -> Vec<u8> {
    let mut b = rng.bytes(len.max(1));
    b[0] = 0x8f;
    b
}

fn remove(path: &Path) -> Result<()> {
    std::fs::remove_file(path).map_err(|e| Error::io(path, e))
}

fn truncate_half(path: &Path) -> Result<()> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    std::fs::write(path, &bytes[..bytes.len() / 2]).map_err(|e| Error::io(path, e))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

/// Applies `damage` to the version in `dir` (written in `format`). A Db-only damage on an Mbdb
/// version, or `TruncatedMbdb` on a Db version, is an error: it could not be done as named.
pub fn apply(dir: &Path, damage: Damage, format: ManifestFormat, rng: &mut Rng) -> Result<()> {
    if let Some(want) = damage.needs_format() {
        if want != format {
            let message = format!("{damage:?} needs a {want:?} backup, this one is {format:?}");
            return Err(Error::invalid(dir, message));
        }
    }
    let path = dir.join(damage.file());
    match damage {
        Damage::MissingInfoPlist
        | Damage::MissingManifestPlist
        | Damage::MissingStatusPlist
        | Damage::MissingManifestDb => remove(&path),
        Damage::TruncatedInfoPlist | Damage::TruncatedMbdb => truncate_half(&path),
        Damage::GarbageManifestPlist => write(&path, &garbage(rng, 517)),
        Damage::GarbageStatusPlist => write(&path, &garbage(rng, 233)),
        Damage::GarbageManifestDb => write(&path, &garbage(rng, 8192)),
        Damage::EmptyManifestDb => write(&path, &[]),
    }
}
