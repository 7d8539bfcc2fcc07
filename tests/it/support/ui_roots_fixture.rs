//! Libraries for the roots report and owner tests, built on [`crate::support::ui_fixture`]: the same
//! devices with owners set (anna and bob, as when run as root over every user's home), and
//! roots in every [`RootStatus`] from every origin, plus unreadable folders. Also the empty
//! library a first run on a locked-down Mac sees: no backups, only the reasons.

#![allow(dead_code)]

use backtop::library::access::FULL_DISK_ACCESS;
use backtop::library::{Library, Root, RootOrigin, RootReport, RootStatus, Unreadable};
use backtop::ui::{App, AppOptions};
use time::macros::datetime;

use crate::support::ui_fixture::{self, p, FINDER, IMAZING};

/// Bob's Finder folder, behind macOS privacy protection.
pub const BOB: &str = "/Users/bob/Library/Application Support/MobileSync/Backup";
/// Carl's Finder folder, not readable by the user running backtop.
pub const CARL: &str = "/Users/carl/Library/Application Support/MobileSync/Backup";
/// Advice for Carl's folder.
pub const CARL_ADVICE: &str = "the folder belongs to carl: run backtop as carl, or with sudo";
/// A removable drive seen before.
pub const DRIVE: &str = "/Volumes/Backup/iMazing.Backups";

fn report(
    path: &str,
    origin: RootOrigin,
    owner: Option<&str>,
    app: &'static str,
    status: RootStatus,
) -> RootReport {
    RootReport {
        root: Root {
            path: path.into(),
            origin,
            owner: owner.map(str::to_string),
            app,
        },
        status,
    }
}

/// One root in each status, from each kind of origin. `found` is the backup count of the two
/// readable roots (Finder, iMazing).
pub fn every_root(found: (usize, usize)) -> Vec<RootReport> {
    use RootOrigin::*;
    vec![
        report(
            FINDER,
            User,
            Some("anna"),
            "Finder/iTunes",
            RootStatus::Ok { backups: found.0 },
        ),
        report(
            IMAZING,
            User,
            Some("anna"),
            "iMazing",
            RootStatus::Ok { backups: found.1 },
        ),
        report(
            BOB,
            User,
            Some("bob"),
            "Finder/iTunes",
            RootStatus::PrivacyBlocked {
                advice: FULL_DISK_ACCESS.to_string(),
            },
        ),
        report(
            CARL,
            User,
            Some("carl"),
            "Finder/iTunes",
            RootStatus::PermissionDenied {
                advice: CARL_ADVICE.to_string(),
            },
        ),
        report(
            DRIVE,
            Volume,
            None,
            "iMazing",
            RootStatus::DriveNotConnected {
                last_seen: datetime!(2024-05-01 18:00 UTC),
                backups: 3,
                bytes: Some(120_400_000_000),
            },
        ),
        report(
            "/srv/iphone-backups",
            Flag,
            None,
            "any",
            RootStatus::Missing,
        ),
        report(
            "/Users/anna/backups.zip",
            Config,
            None,
            "any",
            RootStatus::NotAFolder,
        ),
        report(
            "/mnt/nas/iphone",
            Env,
            None,
            "any",
            RootStatus::Error {
                message: "Input/output error (os error 5)".to_string(),
            },
        ),
    ]
}

/// Roots that need attention in [`every_root`]: all but the two readable ones.
pub const ATTENTION: usize = 6;

/// A folder inside Anna's Finder root that could not be read.
pub fn unreadable() -> Vec<Unreadable> {
    vec![Unreadable {
        path: format!("{FINDER}/Old backups").into(),
        reason: "permission denied (os error 13)".to_string(),
    }]
}

/// The dashboard's fixture library with owners (the phone's iMazing snapshot and the iPad
/// are Bob's, the rest Anna's; the damaged copy has none), every kind of root and an
/// unreadable folder.
pub fn owned_library() -> Library {
    let mut library = ui_fixture::library();
    for version in library
        .devices
        .iter_mut()
        .flat_map(|d| d.versions.iter_mut())
    {
        let bob = version.path == p("phone-snapshot")
            || version.udid.as_deref() == Some(ui_fixture::IPAD);
        version.owner = Some(if bob { "bob" } else { "anna" }.to_string());
    }
    library.roots = every_root((6, 1));
    library.unreadable = unreadable();
    library
}

/// Nothing found: every kind of root, none holding a backup, and an unreadable folder.
pub fn empty_library() -> Library {
    Library {
        roots: every_root((0, 0)),
        devices: Vec::new(),
        damaged: Vec::new(),
        unreadable: unreadable(),
    }
}

/// The owned library, scanned like [`ui_fixture::scanned`].
pub fn owned_app(opts: AppOptions) -> App {
    let mut app = ui_fixture::scanned(opts);
    app.set_library(owned_library());
    app
}

/// A dashboard over the empty library.
pub fn empty_app(opts: AppOptions) -> App {
    App::new(empty_library(), opts, ui_fixture::now())
}
