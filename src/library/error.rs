//! Errors of the core, with the path they concern.

use std::path::PathBuf;

/// An error from the core library, always naming the path involved.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An I/O error on a path.
    #[error("{path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A plist that could not be parsed.
    #[error("{path}: not a readable plist: {source}")]
    Plist {
        /// The plist's path.
        path: PathBuf,
        /// The parser's error.
        #[source]
        source: plist::Error,
    },
    /// A SQLite database that could not be read.
    #[error("{path}: {source}")]
    Sqlite {
        /// The database's path.
        path: PathBuf,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// A manifest that is encrypted, of an unsupported kind, or damaged.
    #[error(transparent)]
    Manifest(#[from] crate::library::manifest::ManifestError),
    /// Anything else, described in words.
    #[error("{path}: {message}")]
    Invalid {
        /// The path concerned.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// Wraps an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// An error described in words.
    pub fn invalid(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
