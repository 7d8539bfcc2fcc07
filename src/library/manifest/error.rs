//! Why a manifest cannot be read: the typed outcome of the probe and of the readers.

use std::fmt;
use std::path::PathBuf;

/// Where in a manifest the damage is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Where {
    /// The first bytes (the SQLite header, the `mbdb` magic), or the file as a whole.
    Header,
    /// A byte offset into the file (Manifest.mbdb records).
    Byte(u64),
    /// The row with this fileID (Manifest.db).
    Row(String),
}

impl fmt::Display for Where {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Where::Header => f.write_str("its header"),
            Where::Byte(at) => write!(f, "byte {at}"),
            Where::Row(id) => write!(f, "row {id}"),
        }
    }
}

/// A manifest that cannot be read, and why. The messages are the sentences users see
/// (after the path): "Manifest.db is encrypted", "Manifest.db is empty (0 bytes)", ….
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// The backup is encrypted: Manifest.db is ciphertext (decryption needs the password).
    #[error("{}: Manifest.db is encrypted", path.display())]
    Encrypted {
        /// The manifest's path.
        path: PathBuf,
    },
    /// A manifest of a kind backtop does not read (no manifest, an unknown mbdb version).
    #[error("{}: {what}", path.display())]
    Unsupported {
        /// The version folder or manifest path.
        path: PathBuf,
        /// What is not supported.
        what: String,
    },
    /// The manifest is there but damaged.
    #[error("{}: {what}", path.display())]
    Damaged {
        /// The manifest's path.
        path: PathBuf,
        /// Where the damage is.
        at: Where,
        /// What is wrong, as a sentence.
        what: String,
    },
}

impl ManifestError {
    /// The sentence without the path, e.g. "Manifest.db is encrypted".
    pub fn reason(&self) -> String {
        match self {
            ManifestError::Encrypted { .. } => "Manifest.db is encrypted".to_string(),
            ManifestError::Unsupported { what, .. } | ManifestError::Damaged { what, .. } => {
                what.clone()
            }
        }
    }
}
