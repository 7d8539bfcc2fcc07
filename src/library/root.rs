//! Backup roots: folders that hold backups, where each came from, and whether it could be read.

use std::path::PathBuf;

use serde::Serialize;
use time::OffsetDateTime;

/// Where a root came from. Serialized as a short lowercase word: `default`, `config`, `root`,
/// `home`, `env`, `volume`, `user`, `demo` (`user` carries the user name in [`Root::owner`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RootOrigin {
    /// A default location of a backup app for the current user and OS.
    Default,
    /// `roots = [...]` in the config file.
    Config,
    /// `--root DIR` on the command line (JSON: `root`).
    #[serde(rename = "root")]
    Flag,
    /// A layout found under `--home DIR`.
    Home,
    /// `BACKTOP_ROOTS`.
    Env,
    /// `iMazing.Backups/` at the top of a mounted volume.
    Volume,
    /// A default location inside another user's home (`--all-users`, `--users-dir`).
    User,
    /// The generated demo library (`--demo`).
    Demo,
}

impl RootOrigin {
    /// Where the root came from, in the words of human output (`config file`,
    /// `BACKTOP_ROOTS`, `all users`, …). JSON uses the serde names listed on the type.
    pub fn as_str(&self) -> &'static str {
        match self {
            RootOrigin::Default => "default",
            RootOrigin::Config => "config file",
            RootOrigin::Flag => "--root",
            RootOrigin::Home => "--home",
            RootOrigin::Env => "BACKTOP_ROOTS",
            RootOrigin::Volume => "volume",
            RootOrigin::User => "all users",
            RootOrigin::Demo => "demo",
        }
    }
}

/// A folder that may hold backups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Root {
    /// The path as configured or derived (absolute).
    #[serde(flatten, serialize_with = "crate::json_path::path::serialize")]
    pub path: PathBuf,
    /// Where this root came from.
    pub origin: RootOrigin,
    /// The user whose home holds this root, when known (`--all-users`, `--home`, default roots).
    pub owner: Option<String>,
    /// Which backup app writes here, for display (e.g. "Finder/iTunes", "iMazing").
    pub app: &'static str,
}

/// Whether a root could be looked at, and if not, why and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RootStatus {
    /// The root was read; it holds this many backup versions.
    Ok {
        /// Number of backup versions found in it.
        backups: usize,
    },
    /// Nothing exists at the path.
    Missing,
    /// The path exists but is not a folder.
    NotAFolder,
    /// EACCES: an ordinary permission problem.
    PermissionDenied {
        /// The fix, in words.
        advice: String,
    },
    /// EPERM under `~/Library` on macOS: the privacy wall (Full Disk Access).
    PrivacyBlocked {
        /// The fix, in words (differs over SSH).
        advice: String,
    },
    /// A root on a removable volume seen before but not mounted now.
    DriveNotConnected {
        /// When it was last seen.
        #[serde(with = "time::serde::rfc3339")]
        last_seen: OffsetDateTime,
        /// How many backups it held then.
        backups: usize,
        /// How many bytes they took then, when known.
        bytes: Option<u64>,
    },
    /// Some other error reading the folder.
    Error {
        /// The error, in words.
        message: String,
    },
}

/// A root with the result of looking at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RootReport {
    /// The root.
    #[serde(flatten)]
    pub root: Root,
    /// What looking at it gave.
    #[serde(flatten)]
    pub status: RootStatus,
}
