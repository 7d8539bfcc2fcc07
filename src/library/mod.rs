//! The pure model of a backup library: where roots are, what each backup version is, how
//! versions group into devices, and how big they are. Nothing here touches the terminal or
//! spawns threads (except [`usage`], which may use rayon for one version's walk).

pub mod access;
pub mod alerts;
pub mod app_names;
pub mod backup;
pub mod browse;
pub mod category;
pub mod device;
pub mod diff;
pub mod discover;
pub mod error;
pub mod locate;
pub mod manifest;
pub mod models;
pub mod mounts;
pub mod names;
pub mod plists;
pub mod read_version;
pub mod root;
pub mod safe_fs;
pub mod seen;
pub mod sqlite;
pub mod unlock;
pub mod usage;
pub mod version_state;
pub mod volume;

pub use backup::{BackupState, DateSource, ManifestFormat, Version, VersionKind};
pub use device::{Device, Library, Unreadable};
pub use error::{Error, Result};
pub use root::{Root, RootOrigin, RootReport, RootStatus};
