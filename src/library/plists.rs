//! The three plists of a backup (Info, Manifest, Status), XML or binary, read leniently into
//! typed structs.
//!
//! Each reader parses the file with the `plist` crate (which tells XML from binary by itself),
//! streaming through a buffer: `Info.plist` straight into a struct of the keys it needs (so
//! app icons are never kept), the smaller two into a dictionary, then picks fields out of it.
//! Every parse goes through [`bounded`]: files opened with [`safe_fs::open_capped`] (links
//! not followed, FIFOs and devices not opened, a size cap), nesting and work bounded.
//! Fields are lenient: a missing key or a value of an unexpected type gives `None` rather than an error,
//! strings may stand in for numbers (and the reverse), booleans may be written as integers, and
//! `GUID` may be a string or data. Only an unreadable file, a file that is not a plist, or a
//! plist whose top level is not a dictionary is an error.

use std::io::Read;
use std::path::Path;

use plist::{Dictionary, Value};
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use super::error::{Error, Result};
use super::safe_fs;

pub mod bounded;
mod info;

pub use info::{read_app_names, read_info, InfoPlist};

/// The `Lockdown` dictionary of `Manifest.plist`: what the device said about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lockdown {
    /// `DeviceName`.
    pub device_name: Option<String>,
    /// `ProductType`.
    pub product_type: Option<String>,
    /// `ProductVersion`.
    pub product_version: Option<String>,
    /// `BuildVersion`.
    pub build_version: Option<String>,
    /// `SerialNumber`.
    pub serial_number: Option<String>,
    /// `UniqueDeviceID`.
    pub unique_device_id: Option<String>,
}

/// `Manifest.plist`: written by the device.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManifestPlist {
    /// `IsEncrypted` (false when absent or not a boolean).
    pub is_encrypted: bool,
    /// `Version`, e.g. `10.0`.
    pub version: Option<String>,
    /// `Date`.
    pub date: Option<OffsetDateTime>,
    /// `WasPasscodeSet`.
    pub was_passcode_set: Option<bool>,
    /// `Lockdown` (all fields `None` when absent).
    pub lockdown: Lockdown,
}

/// `Status.plist`: written by the device; says whether the backup finished.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusPlist {
    /// `SnapshotState`: `uploading`, `moving`, `removing` or `finished`.
    pub snapshot_state: Option<String>,
    /// `IsFullBackup`.
    pub is_full_backup: Option<bool>,
    /// `BackupState`, e.g. `new`.
    pub backup_state: Option<String>,
    /// `Date`: when the device wrote the status.
    pub date: Option<OffsetDateTime>,
    /// `Version`, e.g. `3.3` (`2.4` on iOS 9 and earlier).
    pub version: Option<String>,
    /// `UUID`.
    pub uuid: Option<String>,
}

impl StatusPlist {
    /// True when `SnapshotState` is `finished`.
    pub fn is_finished(&self) -> bool {
        self.snapshot_state.as_deref() == Some("finished")
    }
}

/// Reads `Manifest.plist` at `path`.
pub fn read_manifest(path: &Path) -> Result<ManifestPlist> {
    let dict = read_dict(path)?;
    let lockdown = dict
        .get("Lockdown")
        .and_then(Value::as_dictionary)
        .map(|l| Lockdown {
            device_name: string(l, "DeviceName"),
            product_type: string(l, "ProductType"),
            product_version: string(l, "ProductVersion"),
            build_version: string(l, "BuildVersion"),
            serial_number: string(l, "SerialNumber"),
            unique_device_id: string(l, "UniqueDeviceID"),
        })
        .unwrap_or_default();
    Ok(ManifestPlist {
        // Strictly a boolean: a string "yes" is no claim of encryption (the device writes
        // `<true/>`), so it cannot make backtop skip the manifest checks.
        is_encrypted: dict
            .get("IsEncrypted")
            .and_then(Value::as_boolean)
            .unwrap_or(false),
        version: string(&dict, "Version"),
        date: date(&dict, "Date"),
        was_passcode_set: boolean(&dict, "WasPasscodeSet"),
        lockdown,
    })
}

/// Reads `Status.plist` at `path`.
pub fn read_status(path: &Path) -> Result<StatusPlist> {
    let dict = read_dict(path)?;
    Ok(StatusPlist {
        snapshot_state: string(&dict, "SnapshotState"),
        is_full_backup: boolean(&dict, "IsFullBackup"),
        backup_state: string(&dict, "BackupState"),
        date: date(&dict, "Date"),
        version: string(&dict, "Version"),
        uuid: string(&dict, "UUID"),
    })
}

/// Reads the file at `path` and parses it as a plist whose top level is a dictionary.
///
/// Errors: [`Error::Io`] when the file cannot be read (its `source` kind tells a missing file;
/// a link or a FIFO is refused, see [`safe_fs::open_regular`]; so is a file too large, see
/// [`bounded`]), [`Error::Plist`] when it is not a plist (empty, truncated or garbage),
/// [`Error::Invalid`] when it is an XML or binary plist whose top level is not a dictionary,
/// [`Error::Refused`] when a limit of [`bounded`] stopped the parse (`Info.plist nests deeper
/// than 64 levels`).
pub fn read_dict(path: &Path) -> Result<Dictionary> {
    read_keys(path)
}

/// Parses the plist at `path` into `T`, a dictionary shape, through [`bounded::from_file`];
/// on failure tells a non-dictionary plist from a file that is no plist at all.
fn read_keys<T: DeserializeOwned>(path: &Path) -> Result<T> {
    match bounded::from_file(path) {
        Err(Error::Plist { source, .. }) => Err(parse_failure(path, source)),
        other => other,
    }
}

/// The error for a plist that did not parse as a dictionary: [`Error::Invalid`] when the file
/// is an XML (`<`) or binary (`bplist`) plist of another shape, else [`Error::Plist`] (text
/// garbage may parse as an old-style ASCII plist string: that is no plist here).
fn parse_failure(path: &Path, source: plist::Error) -> Error {
    let head = safe_fs::open_regular(path).and_then(|f| {
        let mut head = Vec::with_capacity(64);
        f.take(64).read_to_end(&mut head)?;
        Ok(head)
    });
    let head = head.unwrap_or_default();
    let text = head.trim_ascii_start();
    let text = text
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(text);
    let real_plist = head.starts_with(b"bplist") || text.starts_with(b"<");
    match real_plist.then(|| bounded::value_from_file(path)) {
        Some(Err(refused @ Error::Refused { .. })) => refused,
        Some(Ok(value)) if value.as_dictionary().is_none() => {
            Error::invalid(path, "the plist's top level is not a dictionary")
        }
        _ => Error::Plist {
            path: path.to_path_buf(),
            source,
        },
    }
}

/// A string field; numbers are turned into their decimal text. Empty strings count as absent.
fn string(dict: &Dictionary, key: &str) -> Option<String> {
    value_string(dict.get(key)?)
}

/// A string value, or a number as its decimal text; empty strings count as absent. `list`
/// and `verify` read `Status.plist`'s `SnapshotState` through it, so they agree.
pub fn value_string(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// A boolean field; integers count as `!= 0`, strings `true`/`yes`/`1` as true.
fn boolean(dict: &Dictionary, key: &str) -> Option<bool> {
    match dict.get(key)? {
        Value::Boolean(b) => Some(*b),
        Value::Integer(i) => i.as_signed().map(|n| n != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A date field: a plist date, or an RFC 3339 string.
fn date(dict: &Dictionary, key: &str) -> Option<OffsetDateTime> {
    value_date(dict.get(key)?)
}

/// A date value (a plist date, or an RFC 3339 string); `None` past what the type holds.
fn value_date(value: &Value) -> Option<OffsetDateTime> {
    match value {
        Value::Date(d) => safe_fs::to_offset(std::time::SystemTime::from(*d)),
        Value::String(s) => {
            OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::info::{app_name_from, guid};
    use super::*;

    fn dict(pairs: &[(&str, Value)]) -> Dictionary {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn strings_accept_numbers_and_skip_empty() {
        let d = dict(&[
            ("a", Value::String(" x ".into())),
            ("n", Value::Integer(10.into())),
            ("e", Value::String("  ".into())),
            ("b", Value::Boolean(true)),
        ]);
        assert_eq!(string(&d, "a").as_deref(), Some("x"));
        assert_eq!(string(&d, "n").as_deref(), Some("10"));
        assert_eq!(string(&d, "e"), None);
        assert_eq!(string(&d, "b"), None);
        assert_eq!(string(&d, "missing"), None);
    }

    #[test]
    fn booleans_accept_integers_and_words() {
        let d = dict(&[
            ("t", Value::Boolean(true)),
            ("one", Value::Integer(1.into())),
            ("zero", Value::Integer(0.into())),
            ("yes", Value::String("YES".into())),
            ("odd", Value::String("maybe".into())),
        ]);
        assert_eq!(boolean(&d, "t"), Some(true));
        assert_eq!(boolean(&d, "one"), Some(true));
        assert_eq!(boolean(&d, "zero"), Some(false));
        assert_eq!(boolean(&d, "yes"), Some(true));
        assert_eq!(boolean(&d, "odd"), None);
    }

    #[test]
    fn guid_is_string_or_hex_data() {
        assert_eq!(guid(&Value::String("ABC".into())).as_deref(), Some("ABC"));
        assert_eq!(
            guid(&Value::Data(vec![0x0a, 0xff])).as_deref(),
            Some("0AFF")
        );
        assert_eq!(guid(&Value::Integer(3.into())), None);
    }

    #[test]
    fn dates_from_plist_dates_and_rfc3339_strings() {
        let t = time::macros::datetime!(2024-03-01 10:20:30 UTC);
        let d = dict(&[
            (
                "d",
                Value::Date(plist::Date::from(std::time::SystemTime::from(t))),
            ),
            ("s", Value::String("2024-03-01T10:20:30Z".into())),
            ("bad", Value::String("yesterday".into())),
        ]);
        assert_eq!(date(&d, "d"), Some(t));
        assert_eq!(date(&d, "s"), Some(t));
        assert_eq!(date(&d, "bad"), None);
    }

    #[test]
    fn app_names_from_embedded_plist_or_inline_dict() {
        let mut meta = Vec::new();
        Value::Dictionary(dict(&[("itemName", Value::String("WhatsApp".into()))]))
            .to_writer_binary(&mut meta)
            .unwrap();
        let apps = dict(&[
            (
                "net.whatsapp.WhatsApp",
                Value::Dictionary(dict(&[("iTunesMetadata", Value::Data(meta))])),
            ),
            (
                "com.example.inline",
                Value::Dictionary(dict(&[(
                    "iTunesMetadata",
                    Value::Dictionary(dict(&[("bundleDisplayName", Value::String("Ex".into()))])),
                )])),
            ),
            (
                "com.example.garbage",
                Value::Dictionary(dict(&[("iTunesMetadata", Value::Data(b"nope".to_vec()))])),
            ),
            ("com.example.noentry", Value::String("x".into())),
        ]);
        let names: std::collections::BTreeMap<String, String> = apps
            .iter()
            .filter_map(|(bundle, entry)| {
                let meta = entry.as_dictionary()?.get("iTunesMetadata")?.clone();
                Some((bundle.clone(), app_name_from(meta)?))
            })
            .collect();
        assert_eq!(names.len(), 2);
        assert_eq!(names["net.whatsapp.WhatsApp"], "WhatsApp");
        assert_eq!(names["com.example.inline"], "Ex");
    }
}
