//! What one backup folder should contain: a [`BackupSpec`] (device, date, encryption, state,
//! damage, files), and what writing it produced: [`Written`].

use std::path::PathBuf;

use sha1::{Digest, Sha1};
use time::OffsetDateTime;

use crate::library::ManifestFormat;

/// How the three plists (`Info`, `Manifest`, `Status`) are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlistEncoding {
    /// `<?xml …>` text, as Finder writes `Info.plist`.
    Xml,
    /// `bplist00`, as the device writes `Manifest.plist` and `Status.plist`.
    Binary,
}

/// Whether the backup finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpecState {
    /// `SnapshotState = finished`.
    Finished,
    /// Being written now: a `Snapshot/` folder, `SnapshotState = uploading`, mtimes now.
    InProgress,
    /// Stopped midway: `SnapshotState = uploading`, every mtime three days old.
    Interrupted,
}

/// One kind of damage a real disk shows; each variant does exactly what its name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Damage {
    /// No `Info.plist`.
    MissingInfoPlist,
    /// No `Manifest.plist`.
    MissingManifestPlist,
    /// No `Status.plist`.
    MissingStatusPlist,
    /// `Info.plist` holds only the first half of its bytes.
    TruncatedInfoPlist,
    /// `Manifest.plist` is random bytes that are no plist.
    GarbageManifestPlist,
    /// `Status.plist` is random bytes that are no plist.
    GarbageStatusPlist,
    /// `Manifest.db` is random bytes (not `SQLite format 3\0`) although not encrypted.
    GarbageManifestDb,
    /// `Manifest.db` has 0 bytes.
    EmptyManifestDb,
    /// No `Manifest.db` (Db format only).
    MissingManifestDb,
    /// `Manifest.mbdb` holds only the first half of its bytes (Mbdb format only).
    TruncatedMbdb,
}

impl Damage {
    /// Every damage, for table-driven tests.
    pub const ALL: [Damage; 10] = [
        Damage::MissingInfoPlist,
        Damage::MissingManifestPlist,
        Damage::MissingStatusPlist,
        Damage::TruncatedInfoPlist,
        Damage::GarbageManifestPlist,
        Damage::GarbageStatusPlist,
        Damage::GarbageManifestDb,
        Damage::EmptyManifestDb,
        Damage::MissingManifestDb,
        Damage::TruncatedMbdb,
    ];

    /// The file this damage concerns, e.g. `Info.plist`.
    pub fn file(self) -> &'static str {
        match self {
            Damage::MissingInfoPlist | Damage::TruncatedInfoPlist => "Info.plist",
            Damage::MissingManifestPlist | Damage::GarbageManifestPlist => "Manifest.plist",
            Damage::MissingStatusPlist | Damage::GarbageStatusPlist => "Status.plist",
            Damage::GarbageManifestDb | Damage::EmptyManifestDb | Damage::MissingManifestDb => {
                "Manifest.db"
            }
            Damage::TruncatedMbdb => "Manifest.mbdb",
        }
    }

    /// The manifest format a backup must have for this damage (`None`: any).
    pub fn needs_format(self) -> Option<ManifestFormat> {
        match self {
            Damage::GarbageManifestDb | Damage::EmptyManifestDb | Damage::MissingManifestDb => {
                Some(ManifestFormat::Db)
            }
            Damage::TruncatedMbdb => Some(ManifestFormat::Mbdb),
            _ => None,
        }
    }
}

/// One file of the backup: its domain, relative path and plain size in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileSpec {
    /// Backup domain, e.g. `CameraRollDomain`.
    pub domain: String,
    /// Path relative to the domain, e.g. `Media/DCIM/100APPLE/IMG_0001.HEIC`.
    pub path: String,
    /// Plain (unencrypted) size in bytes.
    pub size: u64,
}

impl FileSpec {
    /// A file spec from its parts.
    pub fn new(domain: &str, path: &str, size: u64) -> Self {
        FileSpec {
            domain: domain.to_string(),
            path: path.to_string(),
            size,
        }
    }

    /// The file's fileID: lowercase hex SHA-1 of `domain-path`.
    pub fn file_id(&self) -> String {
        file_id(&self.domain, &self.path)
    }
}

/// Everything that decides what [`write_backup`](super::write_backup) puts in a version folder.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupSpec {
    /// The device's UDID (folder names use it).
    pub udid: String,
    /// `Device Name`.
    pub device_name: String,
    /// `Product Type`, e.g. `iPhone15,2`.
    pub product_type: String,
    /// `Product Version`, e.g. `17.5`.
    pub ios: String,
    /// `Build Version`, e.g. `21F79`.
    pub build: String,
    /// `Serial Number`.
    pub serial: String,
    /// The backup's date (all three plists carry it, in whole seconds).
    pub date: OffsetDateTime,
    /// Encrypted backup: key bag, encrypted `Manifest.db`, padded contents.
    pub encrypted: bool,
    /// Encoding of all three plists.
    pub encoding: PlistEncoding,
    /// Finished, in progress or interrupted.
    pub state: SpecState,
    /// One damage to apply after writing, if any.
    pub damage: Option<Damage>,
    /// `Db` (Manifest.db, `xx/` folders) or `Mbdb` (Manifest.mbdb, flat files).
    pub format: ManifestFormat,
    /// Files listed in the manifest (and, unless missing, on disk).
    pub files: Vec<FileSpec>,
    /// Installed apps: (bundle id, display name).
    pub apps: Vec<(String, String)>,
    /// Files on disk that no manifest row names: (hex name, size on disk).
    pub unlisted_files: Vec<(String, u64)>,
    /// The last N of `files` get a manifest row but no file on disk.
    pub missing_files: usize,
    /// Write contents as sparse files (`set_len`) instead of bytes.
    pub sparse: bool,
    /// The time the manifest rows' mtimes count back from (`None`: `date`). Versions of one
    /// device that share it give a file the same mtime in each, as a phone does, so a diff
    /// sees only the files whose size differs.
    pub files_dated: Option<OffsetDateTime>,
    /// For encrypted backups: the password the key bag opens with ([`super::DEMO_PASSWORD`]
    /// by default).
    pub password: String,
    /// For encrypted backups: with a `ManifestKey` (iOS 10.2+) or without (iOS 10.0–10.1;
    /// Manifest.mbdb backups never have one).
    pub scheme: super::crypto::Scheme,
}

impl BackupSpec {
    /// Sane defaults: iOS 17.5 (21F79), finished, XML plists, `Manifest.db`, unencrypted,
    /// dated 2024-06-01 12:00 UTC, no files, no apps, no damage, written bytes (not sparse).
    pub fn new(udid: &str, device_name: &str, product_type: &str) -> Self {
        BackupSpec {
            udid: udid.to_string(),
            device_name: device_name.to_string(),
            product_type: product_type.to_string(),
            ios: "17.5".to_string(),
            build: "21F79".to_string(),
            serial: serial_for(udid),
            date: time::macros::datetime!(2024-06-01 12:00 UTC),
            encrypted: false,
            encoding: PlistEncoding::Xml,
            state: SpecState::Finished,
            damage: None,
            format: ManifestFormat::Db,
            files: Vec::new(),
            apps: Vec::new(),
            unlisted_files: Vec::new(),
            missing_files: 0,
            sparse: false,
            files_dated: None,
            password: super::crypto::DEMO_PASSWORD.to_string(),
            scheme: super::crypto::Scheme::ManifestKey,
        }
    }

    /// The Unix time the manifest rows' mtimes count back from: `files_dated`, else `date`.
    pub fn rows_dated(&self) -> i64 {
        self.files_dated.unwrap_or(self.date).unix_timestamp()
    }

    /// The keys of an encrypted spec (`None` when not encrypted): the UDID's, wrapped for
    /// `password`, with the spec's scheme (no `ManifestKey` for Manifest.mbdb).
    pub fn keys(&self) -> crate::library::Result<Option<super::crypto::DemoKeys>> {
        if !self.encrypted {
            return Ok(None);
        }
        let scheme = match self.format {
            ManifestFormat::Mbdb => super::crypto::Scheme::NoManifestKey,
            _ => self.scheme,
        };
        super::crypto::DemoKeys::new(&self.udid, &self.password, scheme).map(Some)
    }

    /// The files that get a file on disk (all but the last `missing_files`).
    pub fn present_files(&self) -> &[FileSpec] {
        let n = self.files.len().saturating_sub(self.missing_files);
        &self.files[..n]
    }
}

/// What writing a version produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The version folder.
    pub path: PathBuf,
    /// Content files on disk (listed and present, plus unlisted; hard links included).
    pub files: u64,
    /// Sum of the on-disk sizes (lengths) of those content files.
    pub content_bytes: u64,
    /// Sum of the sizes of the plists and the manifest file (`Manifest.db` or `.mbdb`).
    pub metadata_bytes: u64,
}

/// Lowercase hex SHA-1 of `domain-path`: the fileID of a backed-up file.
pub fn file_id(domain: &str, path: &str) -> String {
    let mut h = Sha1::new();
    h.update(domain.as_bytes());
    h.update(b"-");
    h.update(path.as_bytes());
    hex::encode(h.finalize())
}

/// On-disk size of an encrypted file of `size` plain bytes: rounded up to the next multiple of
/// 16, plus 16 when already a multiple (PKCS#7 padding).
pub fn encrypted_size(size: u64) -> u64 {
    (size / 16 + 1) * 16
}

/// A plausible 12-character serial number derived from the UDID.
fn serial_for(udid: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789CDFGHJKLMNPQRTVWXY";
    let digest = Sha1::digest(udid.as_bytes());
    digest
        .iter()
        .take(12)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_id_is_sha1_of_domain_dash_path() {
        // sha1("HomeDomain-Library/SMS/sms.db"), the well-known id of the Messages database.
        assert_eq!(
            file_id("HomeDomain", "Library/SMS/sms.db"),
            "3d0d7e5fb2ce288813306e4d4636395e047a3d28"
        );
    }

    #[test]
    fn encrypted_sizes_pad_to_sixteen() {
        assert_eq!(encrypted_size(0), 16);
        assert_eq!(encrypted_size(1), 16);
        assert_eq!(encrypted_size(15), 16);
        assert_eq!(encrypted_size(16), 32);
        assert_eq!(encrypted_size(17), 32);
    }

    #[test]
    fn present_files_drop_the_missing_tail() {
        let mut s = BackupSpec::new("abc", "X", "iPhone15,2");
        s.files = (0..5)
            .map(|i| FileSpec::new("HomeDomain", &format!("f{i}"), 1))
            .collect();
        s.missing_files = 2;
        assert_eq!(s.present_files().len(), 3);
        s.missing_files = 9;
        assert!(s.present_files().is_empty());
    }
}
