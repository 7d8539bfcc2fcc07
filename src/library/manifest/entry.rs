//! One entry of a manifest, whichever format it came from.

use super::fileid::parse_file_id;
use super::mbfile::MbFile;

/// What an entry is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Kind {
    /// A regular file (its contents are in the backup).
    #[default]
    File,
    /// A folder.
    Dir,
    /// A symbolic link; the target when the metadata was read.
    Symlink {
        /// Where the link points (`MBFile` `Target`, mbdb link target).
        target: Option<String>,
    },
    /// Neither (an unusual `flags` value whose `MBFile` mode could not be read, a socket, …).
    Other,
}

impl Kind {
    /// The kind a Unix mode's type bits say (`0x8000` file, `0x4000` folder, `0xA000` link).
    pub fn from_mode(mode: u32) -> Kind {
        match mode & 0xF000 {
            0x8000 => Kind::File,
            0x4000 => Kind::Dir,
            0xA000 => Kind::Symlink { target: None },
            _ => Kind::Other,
        }
    }

    /// The kind the `flags` column of Manifest.db says: 1 file, 2 folder, 4 link; `None` for
    /// other values (then the `MBFile` mode decides).
    pub fn from_flags(flags: i64) -> Option<Kind> {
        match flags {
            1 => Some(Kind::File),
            2 => Some(Kind::Dir),
            4 => Some(Kind::Symlink { target: None }),
            _ => None,
        }
    }

    /// `file`, `dir`, `symlink` or `other`, as the JSON output names kinds.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::File => "file",
            Kind::Dir => "dir",
            Kind::Symlink { .. } => "symlink",
            Kind::Other => "other",
        }
    }
}

/// What the manifest says about an entry beyond its name: the `MBFile` blob of Manifest.db,
/// or the fields of a Manifest.mbdb record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    /// Size of the plain contents in bytes.
    pub size: u64,
    /// Unix mode, type bits included.
    pub mode: u32,
    /// Modification time, Unix seconds.
    pub mtime: Option<i64>,
    /// Creation time, Unix seconds (Manifest.db only).
    pub birth: Option<i64>,
    /// Inode number on the device.
    pub inode: Option<u64>,
    /// `MBFile` `Flags` (Manifest.db only; not the row's `flags` column).
    pub flags: Option<u64>,
    /// Data protection class.
    pub protection_class: Option<u64>,
    /// The wrapped per-file key of encrypted backups, opaque bytes.
    pub encryption_key: Option<Vec<u8>>,
}

impl From<MbFile> for Meta {
    fn from(f: MbFile) -> Meta {
        Meta {
            size: f.size,
            mode: f.mode,
            mtime: f.last_modified,
            birth: f.birth,
            inode: f.inode,
            flags: f.flags,
            protection_class: f.protection_class,
            encryption_key: f.encryption_key,
        }
    }
}

/// One entry of a manifest: a file, folder or link of one domain.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    /// The fileID as stored (normally 40 lowercase hex digits; computed for Manifest.mbdb).
    pub file_id: String,
    /// Domain, e.g. `HomeDomain` (empty when the row has none).
    pub domain: String,
    /// Path relative to the domain (empty for the domain's own folder).
    pub path: String,
    /// File, folder or link.
    pub kind: Kind,
    /// Size, mode, dates…: read with [`Fields::All`](super::Fields::All); `None` with
    /// [`Fields::Names`](super::Fields::Names) or when it could not be read (see
    /// [`Entry::meta_error`]).
    pub meta: Option<Meta>,
    /// Why `meta` could not be read, when it was asked for (no blob, a damaged blob).
    pub meta_error: Option<String>,
}

impl Entry {
    /// The fileID as 20 bytes, when it is 40 hex digits.
    pub fn id(&self) -> Option<[u8; 20]> {
        parse_file_id(self.file_id.as_bytes())
    }

    /// True for a regular file.
    pub fn is_file(&self) -> bool {
        self.kind == Kind::File
    }

    /// The size the manifest gives (0 when the metadata was not read).
    pub fn size(&self) -> u64 {
        self.meta.as_ref().map_or(0, |m| m.size)
    }

    /// The modification time the manifest gives, Unix seconds.
    pub fn mtime(&self) -> Option<i64> {
        self.meta.as_ref().and_then(|m| m.mtime)
    }
}
