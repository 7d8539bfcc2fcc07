//! `Info.plist`: the device's identity and its apps' names, streamed into a struct of just
//! the keys needed (app icons are read past, never kept).

use std::collections::BTreeMap;
use std::path::Path;

use plist::Value;
use serde::Deserialize;
use time::OffsetDateTime;

use super::{read_keys, string, value_date, value_string};
use crate::library::error::Result;

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

/// The keys of `Info.plist` that [`read_info`] looks at; every other key (`PlaceholderIcon`
/// images, iBooks data, iTunes files) is skipped by the parser without being kept.
#[derive(Debug, Default, Deserialize)]
struct InfoKeys {
    #[serde(rename = "Device Name")]
    device_name: Option<Value>,
    #[serde(rename = "Display Name")]
    display_name: Option<Value>,
    #[serde(rename = "Product Type")]
    product_type: Option<Value>,
    #[serde(rename = "Product Version")]
    product_version: Option<Value>,
    #[serde(rename = "Build Version")]
    build_version: Option<Value>,
    #[serde(rename = "Serial Number")]
    serial_number: Option<Value>,
    #[serde(rename = "Unique Identifier")]
    unique_identifier: Option<Value>,
    #[serde(rename = "Target Identifier")]
    target_identifier: Option<Value>,
    #[serde(rename = "Last Backup Date")]
    last_backup_date: Option<Value>,
    #[serde(rename = "GUID")]
    guid: Option<Value>,
    #[serde(rename = "IMEI")]
    imei: Option<Value>,
    #[serde(rename = "Phone Number")]
    phone_number: Option<Value>,
    #[serde(rename = "Applications")]
    applications: Option<BTreeMap<String, AppEntry>>,
}

/// One entry of `Applications`: only its metadata (the `PlaceholderIcon` PNG is skipped).
#[derive(Debug, Default, Deserialize)]
struct AppEntry {
    #[serde(rename = "iTunesMetadata")]
    itunes_metadata: Option<Value>,
}

/// Reads `Info.plist` at `path`. Only the identity keys and each app's metadata are parsed
/// into values; the rest of the file (icons, often megabytes) is read past.
pub fn read_info(path: &Path) -> Result<InfoPlist> {
    let keys: InfoKeys = read_keys(path)?;
    let text = |v: &Option<Value>| v.as_ref().and_then(value_string);
    Ok(InfoPlist {
        device_name: text(&keys.device_name),
        display_name: text(&keys.display_name),
        product_type: text(&keys.product_type),
        product_version: text(&keys.product_version),
        build_version: text(&keys.build_version),
        serial_number: text(&keys.serial_number),
        unique_identifier: text(&keys.unique_identifier),
        target_identifier: text(&keys.target_identifier),
        last_backup_date: keys.last_backup_date.as_ref().and_then(value_date),
        guid: keys.guid.as_ref().and_then(guid),
        imei: text(&keys.imei),
        phone_number: text(&keys.phone_number),
        applications: keys
            .applications
            .map(|apps| {
                apps.into_iter()
                    .filter_map(|(bundle, entry)| {
                        Some((bundle, app_name_from(entry.itunes_metadata?)?))
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// Bundle id → display name of every app in the `Info.plist` of `version_dir` (empty when it
/// cannot be read).
pub fn read_app_names(version_dir: &Path) -> BTreeMap<String, String> {
    read_info(&version_dir.join("Info.plist"))
        .map(|info| info.applications)
        .unwrap_or_default()
}

/// `GUID` as a string, or data as uppercase hex.
pub(super) fn guid(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Data(d) if !d.is_empty() => Some(hex::encode_upper(d)),
        _ => None,
    }
}

/// The display name in one app's `iTunesMetadata` (data holding a plist, or an inline
/// dictionary): `itemName`, else `bundleDisplayName`.
pub(super) fn app_name_from(metadata: Value) -> Option<String> {
    let metadata = match metadata {
        Value::Data(bytes) => super::bounded::from_bytes::<Value>(
            &bytes,
            Path::new("<iTunesMetadata>"),
            "iTunesMetadata",
        )
        .ok()?
        .into_dictionary()?,
        Value::Dictionary(d) => d,
        _ => return None,
    };
    string(&metadata, "itemName").or_else(|| string(&metadata, "bundleDisplayName"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plist::Dictionary;

    /// Dates, data, numbers and nested app metadata come through the streamed struct, in both
    /// encodings; other keys (icons) are skipped.
    #[test]
    fn identity_keys_from_xml_and_binary() {
        let t = time::macros::datetime!(2024-03-01 10:20:30 UTC);
        let mut meta = Vec::new();
        let mut item = Dictionary::new();
        item.insert("itemName".into(), Value::String("WhatsApp".into()));
        Value::Dictionary(item).to_writer_binary(&mut meta).unwrap();
        let mut app = Dictionary::new();
        app.insert("iTunesMetadata".into(), Value::Data(meta));
        app.insert("PlaceholderIcon".into(), Value::Data(vec![7; 5000]));
        let mut apps = Dictionary::new();
        apps.insert("net.whatsapp.WhatsApp".into(), Value::Dictionary(app));
        let mut d = Dictionary::new();
        d.insert("Device Name".into(), Value::String(" Anna ".into()));
        d.insert("Product Version".into(), Value::Integer(17.into()));
        let date = plist::Date::from(std::time::SystemTime::from(t));
        d.insert("Last Backup Date".into(), Value::Date(date));
        d.insert("GUID".into(), Value::Data(vec![0x0a, 0xff]));
        d.insert("Applications".into(), Value::Dictionary(apps));
        d.insert(
            "iTunes Files".into(),
            Value::Array(vec![Value::Boolean(true)]),
        );
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("Info.plist");
        for binary in [false, true] {
            let value = Value::Dictionary(d.clone());
            if binary {
                value.to_file_binary(&path).unwrap();
            } else {
                value.to_file_xml(&path).unwrap();
            }
            let info = read_info(&path).unwrap();
            assert_eq!(info.device_name.as_deref(), Some("Anna"));
            assert_eq!(info.product_version.as_deref(), Some("17"));
            assert_eq!(info.last_backup_date, Some(t));
            assert_eq!(info.guid.as_deref(), Some("0AFF"));
            assert_eq!(info.applications["net.whatsapp.WhatsApp"], "WhatsApp");
            assert_eq!(read_app_names(tmp.path()), info.applications);
        }
    }
}
