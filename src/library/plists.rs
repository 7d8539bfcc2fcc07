//! The three plists of a backup (Info, Manifest, Status), XML or binary, read leniently into
//! typed structs.
//!
//! Each reader parses the file with the `plist` crate (which tells XML from binary by itself)
//! into a [`plist::Value`], then picks fields out of the top-level dictionary. Fields are
//! lenient: a missing key or a value of an unexpected type gives `None` rather than an error,
//! strings may stand in for numbers (and the reverse), booleans may be written as integers, and
//! `GUID` may be a string or data. Only an unreadable file, a file that is not a plist, or a
//! plist whose top level is not a dictionary is an error.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use plist::{Dictionary, Value};
use time::OffsetDateTime;

use super::error::{Error, Result};

/// `Info.plist`: written by the computer when a backup starts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InfoPlist {
    /// `Device Name`.
    pub device_name: Option<String>,
    /// `Display Name`.
    pub display_name: Option<String>,
    /// `Product Type`, e.g. `iPhone15,2`.
    pub product_type: Option<String>,
    /// `Product Version` (iOS version).
    pub product_version: Option<String>,
    /// `Build Version`.
    pub build_version: Option<String>,
    /// `Serial Number`.
    pub serial_number: Option<String>,
    /// `Unique Identifier` (the UDID), as written.
    pub unique_identifier: Option<String>,
    /// `Target Identifier` (also the UDID), as written.
    pub target_identifier: Option<String>,
    /// `Last Backup Date`: when the computer started the backup.
    pub last_backup_date: Option<OffsetDateTime>,
    /// `GUID`: a string, or data shown as uppercase hex.
    pub guid: Option<String>,
    /// `IMEI`.
    pub imei: Option<String>,
    /// `Phone Number`.
    pub phone_number: Option<String>,
    /// `Applications`: bundle id → display name (`itemName` of the embedded `iTunesMetadata`
    /// plist). Apps without a readable name are left out.
    pub applications: BTreeMap<String, String>,
}

impl InfoPlist {
    /// The device's name: `Device Name`, else `Display Name`.
    pub fn name(&self) -> Option<&str> {
        self.device_name.as_deref().or(self.display_name.as_deref())
    }

    /// The UDID: `Unique Identifier`, else `Target Identifier`.
    pub fn udid(&self) -> Option<&str> {
        self.unique_identifier
            .as_deref()
            .or(self.target_identifier.as_deref())
    }
}

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
    /// `IsEncrypted` (false when absent).
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

/// Reads `Info.plist` at `path`.
pub fn read_info(path: &Path) -> Result<InfoPlist> {
    let dict = read_dict(path)?;
    Ok(InfoPlist {
        device_name: string(&dict, "Device Name"),
        display_name: string(&dict, "Display Name"),
        product_type: string(&dict, "Product Type"),
        product_version: string(&dict, "Product Version"),
        build_version: string(&dict, "Build Version"),
        serial_number: string(&dict, "Serial Number"),
        unique_identifier: string(&dict, "Unique Identifier"),
        target_identifier: string(&dict, "Target Identifier"),
        last_backup_date: date(&dict, "Last Backup Date"),
        guid: dict.get("GUID").and_then(guid),
        imei: string(&dict, "IMEI"),
        phone_number: string(&dict, "Phone Number"),
        applications: dict
            .get("Applications")
            .and_then(Value::as_dictionary)
            .map(applications)
            .unwrap_or_default(),
    })
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
        is_encrypted: boolean(&dict, "IsEncrypted").unwrap_or(false),
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
/// Errors: [`Error::Io`] when the file cannot be read (its `source` kind tells a missing file),
/// [`Error::Plist`] when it is not a plist (empty, truncated or garbage), [`Error::Invalid`]
/// when its top level is not a dictionary.
pub fn read_dict(path: &Path) -> Result<Dictionary> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let value = Value::from_reader(Cursor::new(bytes)).map_err(|source| Error::Plist {
        path: path.to_path_buf(),
        source,
    })?;
    value
        .into_dictionary()
        .ok_or_else(|| Error::invalid(path, "the plist's top level is not a dictionary"))
}

/// A string field; numbers are turned into their decimal text. Empty strings count as absent.
fn string(dict: &Dictionary, key: &str) -> Option<String> {
    let text = match dict.get(key)? {
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
    match dict.get(key)? {
        Value::Date(d) => Some(OffsetDateTime::from(std::time::SystemTime::from(*d))),
        Value::String(s) => {
            OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339).ok()
        }
        _ => None,
    }
}

/// `GUID` as a string, or data as uppercase hex.
fn guid(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Data(d) if !d.is_empty() => Some(hex::encode_upper(d)),
        _ => None,
    }
}

/// `Applications`: bundle id → `itemName` from each app's embedded `iTunesMetadata` plist.
fn applications(apps: &Dictionary) -> BTreeMap<String, String> {
    apps.iter()
        .filter_map(|(bundle, entry)| {
            let entry = entry.as_dictionary()?;
            let name = app_name(entry)?;
            Some((bundle.clone(), name))
        })
        .collect()
}

/// The display name of one app entry: `iTunesMetadata` (data holding a plist, or an inline
/// dictionary) → `itemName`, else `bundleDisplayName`.
fn app_name(entry: &Dictionary) -> Option<String> {
    let metadata = match entry.get("iTunesMetadata")? {
        Value::Data(bytes) => Value::from_reader(Cursor::new(bytes.as_slice()))
            .ok()?
            .into_dictionary()?,
        Value::Dictionary(d) => d.clone(),
        _ => return None,
    };
    string(&metadata, "itemName").or_else(|| string(&metadata, "bundleDisplayName"))
}

#[cfg(test)]
mod tests {
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
        let names = applications(&apps);
        assert_eq!(names.len(), 2);
        assert_eq!(names["net.whatsapp.WhatsApp"], "WhatsApp");
        assert_eq!(names["com.example.inline"], "Ex");
    }
}
