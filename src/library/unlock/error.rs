//! Why a backup could not be unlocked or a file not decrypted: the typed errors of
//! [`crate::library::unlock`]. No message ever holds a password or key bytes.

use std::path::PathBuf;

/// Why unlocking or decrypting failed.
#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    /// The password does not open the key bag (an AES key-unwrap integrity failure).
    #[error("wrong password")]
    WrongPassword,
    /// No password was given and no remembered key fits this key bag.
    #[error("no password given")]
    NoPassword,
    /// The work was cancelled before it finished (its result, if any, was discarded).
    #[error("cancelled")]
    Cancelled,
    /// The backup is not encrypted: there is nothing to unlock.
    #[error("the backup is not encrypted")]
    NotEncrypted,
    /// `Manifest.plist` has no `BackupKeyBag` (or it cannot be read).
    #[error("Manifest.plist has no usable BackupKeyBag: {what}")]
    NoKeybag {
        /// What is missing or wrong.
        what: String,
    },
    /// The key bag's TLV bytes are malformed (truncated, a length past the end, a missing or
    /// ill-sized field).
    #[error("the key bag is malformed: {what}")]
    Keybag {
        /// What is wrong, e.g. "a length runs past the end at byte 12".
        what: String,
    },
    /// A round count is beyond what backtop will run.
    #[error(
        "the key bag asks for {rounds} rounds of {tag}, more than the {max} backtop runs: \
         real backups use about 10,000,000 ({tag} would take minutes to hours of CPU, so the \
         key bag is taken as crafted or damaged)"
    )]
    TooManyRounds {
        /// `DPIC` or `ITER`.
        tag: &'static str,
        /// The count the key bag gives.
        rounds: u64,
        /// The cap.
        max: u32,
    },
    /// A protection class a key was asked for is not in the key bag (or cannot be unwrapped
    /// with the password: its `WRAP` lacks the passcode bit).
    #[error("the key bag has no key for protection class {class}")]
    MissingClass {
        /// The class number (`CLAS`).
        class: u32,
    },
    /// `ManifestKey` or a file's `EncryptionKey` is not a 4-byte class and a 40-byte wrapped key.
    #[error("{which} is malformed: {what}")]
    WrappedKey {
        /// `ManifestKey` or `EncryptionKey`.
        which: &'static str,
        /// What is wrong.
        what: String,
    },
    /// A wrapped key that the right class key does not open: the backup is damaged.
    #[error("{which} does not unwrap with its class key (the backup is damaged)")]
    UnwrapFailed {
        /// `ManifestKey` or `EncryptionKey`.
        which: &'static str,
    },
    /// The decrypted `Manifest.db` is not a SQLite database: its ciphertext is damaged.
    #[error("{}: Manifest.db does not decrypt to a SQLite database: {what}", path.display())]
    ManifestCorrupt {
        /// The manifest's path.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
    /// Ciphertext that is not whole AES blocks, or whose PKCS#7 padding is not valid.
    #[error("{what}")]
    Ciphertext {
        /// What is wrong, e.g. "the padding is not valid PKCS#7".
        what: String,
    },
    /// An encrypted backup of a kind backtop does not decrypt.
    #[error("not supported: {what}")]
    Unsupported {
        /// What is not supported.
        what: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// SQLite refused the decrypted manifest.
    #[error("{}: SQLite: {source}", path.display())]
    Sqlite {
        /// The manifest's path.
        path: PathBuf,
        /// The error.
        #[source]
        source: rusqlite::Error,
    },
}

impl UnlockError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> UnlockError {
        UnlockError::Io {
            path: path.into(),
            source,
        }
    }

    /// True for [`UnlockError::WrongPassword`].
    pub fn is_wrong_password(&self) -> bool {
        matches!(self, UnlockError::WrongPassword)
    }
}

/// Results of this module.
pub type Result<T, E = UnlockError> = std::result::Result<T, E>;
