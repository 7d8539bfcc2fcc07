//! Shared by the `sizes` and `scan_cache` test modules: versions written with the demo
//! builder, turned into the model types by hand (no discovery needed).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use backtop::demo::{BackupSpec, FileSpec, Written};
use backtop::library::usage::{size_version, SizeControl, VersionUsage};
use backtop::library::{
    BackupState, Device, Library, Root, RootOrigin, RootReport, RootStatus, Version, VersionKind,
};
use backtop::scan::ScanEvent;

/// The UDID every fixture uses.
pub const UDID: &str = "00008110-001A2B3C4D5E6F70";

/// A spec with one photo, one app file and one settings file.
pub fn spec(photo: u64, app: u64, settings: u64) -> BackupSpec {
    let mut s = BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2");
    s.files = vec![
        FileSpec::new(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            photo,
        ),
        FileSpec::new("AppDomain-com.spotify.client", "Documents/cache.bin", app),
        FileSpec::new(
            "HomeDomain",
            "Library/Preferences/com.apple.x.plist",
            settings,
        ),
    ];
    s.apps = vec![("com.spotify.client".into(), "Spotify".into())];
    s
}

/// The model of a written version, as discovery would read it.
pub fn version_of(w: &Written, spec: &BackupSpec, root: &Path, kind: VersionKind) -> Version {
    let mut v = Version::bare(&w.path, root, kind);
    v.udid = Some(spec.udid.to_uppercase());
    v.manifest = spec.format;
    v.encrypted = spec.encrypted;
    v.state = BackupState::Complete;
    v.date = Some(spec.date);
    v.apps = spec.apps.iter().cloned().collect();
    v
}

/// A library of one device with `versions` (newest first) under `root`.
pub fn library_of(root: &Path, versions: Vec<Version>) -> Library {
    let report = RootReport {
        root: Root {
            path: root.to_path_buf(),
            origin: RootOrigin::Flag,
            owner: None,
            app: "test",
        },
        status: RootStatus::Ok {
            backups: versions.len(),
        },
    };
    Library {
        roots: vec![report],
        devices: vec![Device {
            udid: UDID.to_string(),
            name: Some("Anna's iPhone".into()),
            product_type: Some("iPhone15,2".into()),
            model: None,
            ios: Some("17.5".into()),
            versions,
        }],
        damaged: Vec::new(),
        unreadable: Vec::new(),
    }
}

/// Sizes one version on the global pool, not cancelled.
pub fn size(v: &Version) -> VersionUsage {
    let cancel = AtomicBool::new(false);
    let progress = |_: u64, _: u64| {};
    size_version(v, &SizeControl::new(&cancel, &progress))
        .expect("version folder readable")
        .expect("not cancelled")
}

/// Sum of the category bytes.
pub fn category_sum(u: &VersionUsage) -> u64 {
    u.categories.values().sum()
}

/// The `Sized` figures of a scan's events, by version path.
pub fn sized(events: &[ScanEvent]) -> BTreeMap<PathBuf, VersionUsage> {
    events
        .iter()
        .filter_map(|e| match e {
            ScanEvent::Sized { path, usage } => Some((path.clone(), usage.clone())),
            _ => None,
        })
        .collect()
}
