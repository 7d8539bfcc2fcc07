//! Encrypted backups, unlocked with the password (docs/FORMAT.md §6): the key bag
//! ([`keybag`]), the password → key derivation ([`derive`]), RFC 3394 key unwrap
//! ([`wrap`]), the class keys ([`classkeys`]), AES-256-CBC ([`cipher`]), the encrypted
//! Manifest.db opened in memory ([`manifest_db`]), per-file decryption ([`file`]), and one
//! version's keys ([`version`]) found by a password shared across versions ([`unlocker`]),
//! and derived keys remembered in the OS keyring on request ([`remember`]).
//!
//! Everything here is pure of the terminal and blocking: a caller runs [`Unlocker::unlock`]
//! on a background thread (it is `Send + Sync`), with an `AtomicBool` to cancel. Keys and
//! passwords are zeroized on drop and never shown by `Debug` or in an error.

pub mod build;
pub mod cipher;
pub mod classkeys;
pub mod derive;
pub mod error;
pub mod file;
pub mod file_keys;
pub mod keybag;
pub mod manifest_db;
pub mod remember;
pub mod unlocker;
pub mod unlocks;
pub mod version;
pub mod wrap;

pub use classkeys::ClassKeys;
pub use derive::{derive, KdfParams, Key, Password, MAX_DPIC, MAX_ITER};
pub use error::UnlockError;
pub use file::{check_file, decrypt_file, decrypt_file_to, Decrypted};
pub use file_keys::FileKeys;
pub use keybag::{ClassRecord, Keybag};
pub use remember::{KeyStore, OsKeyring};
pub use unlocker::Unlocker;
pub use unlocks::{Locked, Unlocks};
pub use version::{BackupKeys, UnlockedVersion};
