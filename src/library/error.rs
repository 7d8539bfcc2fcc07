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
    #[error("{path}: not a readable plist ({})", plist_words(.source))]
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
    /// A file refused by a limit before it was parsed (nesting, size, work), in words that
    /// name the file: `Info.plist nests deeper than 64 levels`.
    #[error("{path}: {message}")]
    Refused {
        /// The file's path.
        path: PathBuf,
        /// Why it was refused, naming the file.
        message: String,
    },
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

impl Error {
    /// What went wrong, in words, without the path (for a report that names the file itself):
    /// `Permission denied (os error 13)`, `is a symbolic link (not followed)`, `not a readable
    /// plist (unexpected eof at byte 12)`.
    pub fn reason(&self) -> String {
        match self {
            Error::Io { source, .. } => match super::safe_fs::special_file(source) {
                Some(special) => special.to_string(),
                None => source.to_string(),
            },
            Error::Plist { source, .. } => {
                format!("not a readable plist ({})", plist_words(source))
            }
            Error::Sqlite { source, .. } => source.to_string(),
            Error::Invalid { message, .. } | Error::Refused { message, .. } => message.clone(),
            Error::Manifest(e) => e.reason(),
        }
    }

    /// True when the error is a file that is not there.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }
}

/// The `plist` crate's error in words: its `Display` is Rust debug output (`InvalidXmlSyntax
/// (offset 12)`), turned here into `invalid xml syntax at byte 12`; I/O errors are said as is.
pub fn plist_words(error: &plist::Error) -> String {
    if let Some(io) = error.as_io() {
        return io.to_string();
    }
    let debug = error.to_string();
    let (kind, offset) = match debug.rsplit_once(" (offset ") {
        Some((kind, rest)) => (kind, rest.strip_suffix(')')),
        None => (debug.as_str(), None),
    };
    let (name, detail) = match kind.split_once('(') {
        Some((name, detail)) => (name, Some(detail.trim_end_matches(')').trim_matches('"'))),
        None => (kind, None),
    };
    let mut words = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    if let Some(detail) = detail.filter(|d| !d.is_empty()) {
        words = if name == "Serde" {
            detail.to_string()
        } else {
            format!("{words}: {detail}")
        };
    }
    if let Some(offset) = offset {
        words += &format!(" at byte {offset}");
    }
    words
}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plist_errors_in_words_not_debug_output() {
        let eof = plist::from_bytes::<plist::Value>(b"<?xml version=\"1.0\"?><plist><dict><key>a")
            .unwrap_err();
        let words = plist_words(&eof);
        assert!(
            !words.contains("Error {") && !words.contains("Unexpected"),
            "{words}"
        );
        let garbage = plist::from_bytes::<plist::Value>(b"bplist00garbage").unwrap_err();
        let words = plist_words(&garbage);
        assert!(
            words.chars().next().is_some_and(|c| c.is_lowercase()),
            "{words}"
        );
        assert!(!words.contains('{'), "{words}");
    }
}
