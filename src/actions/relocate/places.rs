//! Where the folders of a move are. A whole root is one folder: the root and the far folder.
//! One device's backups are several: inside the backup root, its live folder `<UDID>`, its
//! archives `<UDID>-YYYYMMDD-HHMMSS` and its iMazing snapshots `iMazing.Versions/Versions/<UDID>`
//! (hard-linked to the live folder: they move together, in one copy, to one volume); each goes
//! to the same path under the far folder, and each becomes a link to it.

use std::path::{Path, PathBuf};

use crate::library::names::{looks_like_udid, parse_archive_name};

/// Where iMazing keeps a device's snapshots, inside the root.
pub const IMAZING_VERSIONS: &str = "iMazing.Versions/Versions";

/// One folder a move carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Its path where the backups are asked for (the root, or a device folder in it).
    pub near: PathBuf,
    /// Its path on the far side.
    pub far: PathBuf,
    /// Its path in the move's record: empty for a whole root, the part's path for a device.
    pub prefix: PathBuf,
}

/// The places of a move of `root` to `far`: the root itself when `parts` is empty, else each
/// part (relative to the root's parent, the backup root) under both.
pub fn places(root: &Path, far: &Path, parts: &[PathBuf]) -> Vec<Place> {
    if parts.is_empty() {
        return vec![Place {
            near: root.to_path_buf(),
            far: far.to_path_buf(),
            prefix: PathBuf::new(),
        }];
    }
    let base = root.parent().unwrap_or(root);
    parts
        .iter()
        .map(|p| Place {
            near: base.join(p),
            far: far.join(p),
            prefix: p.clone(),
        })
        .collect()
}

/// True when `path` names one device's live folder inside a backup root (its name is a UDID):
/// a move of it carries the device's archives and iMazing snapshots too.
pub fn is_device_folder(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(looks_like_udid)
        && path.parent().is_some_and(|p| p.file_name().is_some())
}

/// The folders of the device whose live folder is `device` (see [`is_device_folder`]), relative
/// to its backup root, sorted: `<UDID>`, each `<UDID>-date` archive, and
/// `iMazing.Versions/Versions/<UDID>` when there. A name is matched case-insensitively; what is
/// there is not judged here (folder or link: the plan checks).
pub fn device_parts(device: &Path) -> Vec<PathBuf> {
    let (Some(base), Some(udid)) = (device.parent(), device.file_name().and_then(|n| n.to_str()))
    else {
        return Vec::new();
    };
    let mut parts = vec![PathBuf::from(udid)];
    if let Ok(entries) = std::fs::read_dir(base) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if parse_archive_name(name).is_some_and(|(u, _)| u.eq_ignore_ascii_case(udid)) {
                parts.push(PathBuf::from(name));
            }
        }
    }
    let versions = base.join(IMAZING_VERSIONS);
    if let Ok(entries) = std::fs::read_dir(&versions) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_str().is_some_and(|n| n.eq_ignore_ascii_case(udid)) {
                parts.push(Path::new(IMAZING_VERSIONS).join(name));
            }
        }
    }
    parts.sort();
    parts.dedup();
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_folder_brings_its_archives_and_snapshots() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("Backups");
        let udid = "00008030-001A2B3C4D5E6F70";
        for dir in [
            udid.to_string(),
            format!("{udid}-20240101-120000"),
            "00008030-0000000000000002".to_string(),
            "00008030-0000000000000002-20240101-120000".to_string(),
            format!("{IMAZING_VERSIONS}/{}", udid.to_lowercase()),
            format!("{IMAZING_VERSIONS}/00008030-0000000000000002"),
        ] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        let device = root.join(udid);
        assert!(is_device_folder(&device));
        assert!(!is_device_folder(&root));
        assert_eq!(
            device_parts(&device),
            vec![
                PathBuf::from(udid),
                PathBuf::from(format!("{udid}-20240101-120000")),
                PathBuf::from(format!("{IMAZING_VERSIONS}/{}", udid.to_lowercase())),
            ]
        );
        let far = tmp.path().join("T7");
        let p = places(&device, &far, &device_parts(&device));
        assert_eq!(
            p[2].near,
            root.join(IMAZING_VERSIONS).join(udid.to_lowercase())
        );
        assert_eq!(
            p[2].far,
            far.join(IMAZING_VERSIONS).join(udid.to_lowercase())
        );
        // A whole root is one place, with an empty prefix.
        let whole = places(&root, &far, &[]);
        assert_eq!(whole.len(), 1);
        assert_eq!(
            (
                whole[0].near.as_path(),
                whole[0].prefix.as_os_str().is_empty()
            ),
            (root.as_path(), true)
        );
    }
}
