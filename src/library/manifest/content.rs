//! Where the contents of a manifest entry live in a version folder, and which are there.
//!
//! Manifest.db backups keep a file's contents in `xx/<fileID>` (`xx` its first two hex
//! digits); Manifest.mbdb backups keep them flat, `<fileID>` in the version folder. Which
//! contents are present is read with one `read_dir` per `xx/` folder (names only, no stat per
//! file), so a 300k-file version costs 256 directory reads.

use std::path::{Path, PathBuf};

use ahash::AHashSet;

use super::fileid::{file_id_hex, parse_file_id};
use crate::library::ManifestFormat;

/// Where the contents of the file `id` live in `version_dir`.
pub fn content_path(version_dir: &Path, format: ManifestFormat, id: &[u8; 20]) -> PathBuf {
    let hex = file_id_hex(id);
    match format {
        ManifestFormat::Mbdb => version_dir.join(hex),
        _ => version_dir.join(&hex[..2]).join(hex),
    }
}

/// The fileIDs whose contents are in `version_dir`: regular files (not links, not folders)
/// named by 40 hex digits, in the `xx/` folders (flat for Manifest.mbdb). Unreadable folders
/// count as holding nothing.
pub fn present_ids(version_dir: &Path, format: ManifestFormat) -> AHashSet<[u8; 20]> {
    let mut ids = AHashSet::default();
    let mut add = |folder: &Path| {
        let Ok(entries) = std::fs::read_dir(folder) else {
            return;
        };
        for entry in entries.flatten() {
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if let Some(id) = parse_file_id(entry.file_name().as_encoded_bytes()) {
                if is_file {
                    ids.insert(id);
                }
            }
        }
    };
    match format {
        ManifestFormat::Mbdb => add(version_dir),
        _ => {
            for hi in 0..=255u8 {
                add(&version_dir.join(format!("{hi:02x}")));
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_are_found_where_each_format_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        let id = [0xAB; 20];
        let db = content_path(dir.path(), ManifestFormat::Db, &id);
        assert_eq!(db, dir.path().join("ab").join(hex::encode(id)));
        let flat = content_path(dir.path(), ManifestFormat::Mbdb, &id);
        assert_eq!(flat, dir.path().join(hex::encode(id)));
        std::fs::create_dir(dir.path().join("ab")).unwrap();
        std::fs::write(&db, b"x").unwrap();
        // A folder with a fileID's name is not contents.
        std::fs::create_dir(dir.path().join("ab").join(hex::encode([0xAB; 19]) + "cd")).unwrap();
        std::fs::write(dir.path().join("ab").join("notes.txt"), b"x").unwrap();
        let ids = present_ids(dir.path(), ManifestFormat::Db);
        assert_eq!(ids.into_iter().collect::<Vec<_>>(), vec![id]);
        assert!(present_ids(dir.path(), ManifestFormat::Mbdb).is_empty());
    }
}
