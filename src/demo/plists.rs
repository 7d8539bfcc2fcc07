//! The three plists of a backup folder, built as [`plist::Value`]s from a [`BackupSpec`] and
//! written in XML or binary. Values that real backups carry but a spec does not name (IMEI,
//! GUID, UUID) are derived from the UDID; the key bag comes from [`DemoKeys`], so they are stable for a spec.

use std::path::Path;
use std::time::SystemTime;

use plist::{Dictionary, Value};
use sha1::{Digest, Sha1};

use super::crypto::DemoKeys;
use super::spec::{BackupSpec, PlistEncoding, SpecState};
use crate::library::{Error, ManifestFormat, Result};

/// Writes `value` to `path` in `encoding`; returns the file's size in bytes.
pub fn write_plist(path: &Path, value: &Value, encoding: PlistEncoding) -> Result<u64> {
    let mut buf = Vec::new();
    let res = match encoding {
        PlistEncoding::Xml => value.to_writer_xml(&mut buf),
        PlistEncoding::Binary => value.to_writer_binary(&mut buf),
    };
    res.map_err(|source| Error::Plist {
        path: path.to_path_buf(),
        source,
    })?;
    std::fs::write(path, &buf).map_err(|e| Error::io(path, e))?;
    Ok(buf.len() as u64)
}

/// The spec's date in whole seconds (what XML plists can hold), the same in both encodings.
fn date(spec: &BackupSpec) -> Value {
    let whole = spec.date.replace_nanosecond(0).unwrap_or(spec.date);
    Value::Date(plist::Date::from(SystemTime::from(whole)))
}

fn digest(spec: &BackupSpec, salt: &str) -> [u8; 20] {
    let mut h = Sha1::new();
    h.update(spec.udid.as_bytes());
    h.update(salt.as_bytes());
    h.finalize().into()
}

/// `Status.plist` `UUID`: an uppercase hyphenated UUID derived from the UDID and date.
pub fn status_uuid(spec: &BackupSpec) -> String {
    let d = digest(spec, &format!("status{}", spec.date.unix_timestamp()));
    super::catalog::hyphenated(&hex::encode_upper(&d[..16]))
}

/// A 15-digit IMEI derived from the UDID.
pub fn imei(spec: &BackupSpec) -> String {
    let d = digest(spec, "imei");
    let mut s = String::from("35");
    s.extend(d.iter().take(13).map(|b| char::from(b'0' + b % 10)));
    s
}

fn itunes_metadata(bundle: &str, name: &str) -> Value {
    let mut d = Dictionary::new();
    d.insert("itemName".into(), name.into());
    d.insert("softwareVersionBundleId".into(), bundle.into());
    d.insert("bundleShortVersionString".into(), "1.0".into());
    d.insert("kind".into(), "software".into());
    let mut buf = Vec::new();
    // Writing a plain dictionary to memory cannot fail; an empty blob is the lenient fallback.
    if Value::Dictionary(d).to_writer_xml(&mut buf).is_err() {
        buf.clear();
    }
    Value::Data(buf)
}

/// `Info.plist`, written by the computer when a backup starts.
pub fn info_plist(spec: &BackupSpec) -> Value {
    let mut apps = Dictionary::new();
    for (bundle, name) in &spec.apps {
        let mut a = Dictionary::new();
        a.insert("iTunesMetadata".into(), itunes_metadata(bundle, name));
        a.insert(
            "PlaceholderIcon".into(),
            Value::Data(b"\x89PNG\r\n\x1a\n".to_vec()),
        );
        apps.insert(bundle.clone(), a.into());
    }
    let installed: Vec<Value> = spec.apps.iter().map(|(b, _)| b.as_str().into()).collect();
    let guid = &digest(spec, "guid")[..16];
    let mut d = Dictionary::new();
    d.insert("Applications".into(), apps.into());
    d.insert("Build Version".into(), spec.build.as_str().into());
    d.insert("Device Name".into(), spec.device_name.as_str().into());
    d.insert("Display Name".into(), spec.device_name.as_str().into());
    // Real backups carry GUID as a string or as data: binary plists here use data.
    let guid_value = match spec.encoding {
        PlistEncoding::Xml => Value::String(hex::encode_upper(guid)),
        PlistEncoding::Binary => Value::Data(guid.to_vec()),
    };
    d.insert("GUID".into(), guid_value);
    if spec.product_type.starts_with("iPhone") {
        d.insert("IMEI".into(), imei(spec).into());
        d.insert("Phone Number".into(), phone_number(spec).into());
    }
    d.insert("Installed Applications".into(), installed.into());
    d.insert("Last Backup Date".into(), date(spec));
    d.insert("Product Type".into(), spec.product_type.as_str().into());
    d.insert("Product Version".into(), spec.ios.as_str().into());
    d.insert("Serial Number".into(), spec.serial.as_str().into());
    d.insert("Target Identifier".into(), spec.udid.as_str().into());
    d.insert("Target Type".into(), "Device".into());
    d.insert("Unique Identifier".into(), spec.udid.to_uppercase().into());
    d.insert("iTunes Version".into(), "12.13.2.3".into());
    d.into()
}

fn phone_number(spec: &BackupSpec) -> String {
    let d = digest(spec, "phone");
    format!(
        "+1 (555) 01{}-{:04}",
        d[0] % 10,
        u16::from_be_bytes([d[1], d[2]]) % 10_000
    )
}

/// `Manifest.plist`, written by the device.
pub fn manifest_plist(spec: &BackupSpec, keys: Option<&DemoKeys>) -> Value {
    let mut lockdown = Dictionary::new();
    lockdown.insert("BuildVersion".into(), spec.build.as_str().into());
    lockdown.insert("DeviceName".into(), spec.device_name.as_str().into());
    lockdown.insert("ProductType".into(), spec.product_type.as_str().into());
    lockdown.insert("ProductVersion".into(), spec.ios.as_str().into());
    lockdown.insert("SerialNumber".into(), spec.serial.as_str().into());
    lockdown.insert("UniqueDeviceID".into(), spec.udid.as_str().into());
    let mut apps = Dictionary::new();
    for (bundle, _) in &spec.apps {
        let mut a = Dictionary::new();
        a.insert("CFBundleIdentifier".into(), bundle.as_str().into());
        a.insert("CFBundleVersion".into(), "1".into());
        a.insert("ContainerContentClass".into(), "Data/Application".into());
        apps.insert(bundle.clone(), a.into());
    }
    let version = match spec.format {
        ManifestFormat::Mbdb => "9.1",
        _ => "10.0",
    };
    let mut d = Dictionary::new();
    d.insert("Applications".into(), apps.into());
    d.insert("Date".into(), date(spec));
    d.insert("IsEncrypted".into(), spec.encrypted.into());
    d.insert("Lockdown".into(), lockdown.into());
    d.insert("SystemDomainsVersion".into(), "24.0".into());
    d.insert("Version".into(), version.into());
    d.insert("WasPasscodeSet".into(), true.into());
    if let Some(keys) = keys {
        d.insert("BackupKeyBag".into(), Value::Data(keys.keybag().to_vec()));
        if let Some(blob) = keys.manifest_key_blob() {
            d.insert("ManifestKey".into(), Value::Data(blob.to_vec()));
        }
    }
    d.into()
}

/// `Status.plist`, written by the device; `SnapshotState` tells whether the backup finished.
pub fn status_plist(spec: &BackupSpec) -> Value {
    let state = match spec.state {
        SpecState::Finished => "finished",
        SpecState::InProgress | SpecState::Interrupted => "uploading",
    };
    let version = match spec.format {
        ManifestFormat::Mbdb => "2.4",
        _ => "3.3",
    };
    let mut d = Dictionary::new();
    d.insert("BackupState".into(), "new".into());
    d.insert("Date".into(), date(spec));
    d.insert("IsFullBackup".into(), true.into());
    d.insert("SnapshotState".into(), state.into());
    d.insert("UUID".into(), status_uuid(spec).into());
    d.insert("Version".into(), version.into());
    d.into()
}
