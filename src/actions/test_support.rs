//! Builders for `Version`/`Library` values in unit tests.

use std::path::Path;

use time::macros::datetime;
use time::OffsetDateTime;

use crate::library::{BackupState, Device, Library, Version, VersionKind};

/// A version at `path` in `root`.
pub fn version(
    root: &str,
    path: &str,
    kind: VersionKind,
    state: BackupState,
    date: Option<OffsetDateTime>,
) -> Version {
    let mut v = Version::bare(Path::new(path), Path::new(root), kind);
    v.state = state;
    v.date = date;
    v
}

/// A device holding `versions`.
pub fn device(udid: &str, versions: Vec<Version>) -> Device {
    Device {
        udid: udid.into(),
        name: Some(format!("{udid}'s iPhone")),
        product_type: None,
        model: None,
        ios: None,
        versions,
    }
}

/// The library used by the guard tests: root `/t/root`;
/// U1: live (2024-05-01), archive (2024-01-01), snapshot (2023-06-01), all complete;
/// U2: live in progress (2024-06-01), archive complete (2024-02-01) = newest complete.
pub fn guard_library() -> Library {
    use BackupState::*;
    use VersionKind::*;
    let r = "/t/root";
    Library {
        roots: Vec::new(),
        devices: vec![
            device(
                "U1",
                vec![
                    version(
                        r,
                        "/t/root/U1",
                        Live,
                        Complete,
                        Some(datetime!(2024-05-01 0:00 UTC)),
                    ),
                    version(
                        r,
                        "/t/root/U1-20240101-000000",
                        Archive,
                        Complete,
                        Some(datetime!(2024-01-01 0:00 UTC)),
                    ),
                    version(
                        r,
                        "/t/root/iMazing.Versions/Versions/U1/2023-06-01-00.00.00",
                        ImazingSnapshot,
                        Complete,
                        Some(datetime!(2023-06-01 0:00 UTC)),
                    ),
                ],
            ),
            device(
                "U2",
                vec![
                    version(
                        r,
                        "/t/root/U2",
                        Live,
                        InProgress,
                        Some(datetime!(2024-06-01 0:00 UTC)),
                    ),
                    version(
                        r,
                        "/t/root/U2-20240201-000000",
                        Archive,
                        Complete,
                        Some(datetime!(2024-02-01 0:00 UTC)),
                    ),
                ],
            ),
        ],
        unreadable: Vec::new(),
        damaged: vec![version(r, "/t/root/broken", Archive, Damaged, None)],
    }
}
