//! The table: library state → the exact alerts (kind, severity, device, path, since), then the
//! exact words of each kind's message, the settings and the status.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::*;
use crate::library::volume::{NextBackup, VolumeUsage};
use crate::library::{
    BackupState, DateSource, Root, RootOrigin, RootReport, RootStatus, Version, VersionKind,
};

const NOW: OffsetDateTime = datetime!(2024-06-30 12:00 UTC);
const A: &str = "/b/finder";
const B: &str = "/b/drive";

/// A version of device `udid` in root `root`, `days` old (`None`: no date), in `state`.
fn version(udid: &str, root: &str, name: &str, days: Option<i64>, state: BackupState) -> Version {
    let path = Path::new(root).join(name);
    let mut v = Version::bare(&path, Path::new(root), VersionKind::Archive);
    v.udid = Some(udid.to_string());
    v.date = days.map(|d| NOW - Duration::days(d));
    v.date_source = days.map_or(DateSource::Unknown, |_| DateSource::StatusPlist);
    v.state = state;
    v.encrypted = true;
    if state == BackupState::Damaged {
        v.problem = Some("Info.plist is truncated".into());
    }
    v
}

fn ok(udid: &str, root: &str, name: &str, days: i64) -> Version {
    version(udid, root, name, Some(days), BackupState::Complete)
}

/// `v`, not encrypted.
fn plain(v: Version) -> Version {
    Version {
        encrypted: false,
        ..v
    }
}

fn report(path: &str, origin: RootOrigin, status: RootStatus) -> RootReport {
    RootReport {
        root: Root {
            path: path.into(),
            origin,
            owner: None,
            app: "test",
        },
        status,
    }
}

fn readable(path: &str) -> RootReport {
    report(path, RootOrigin::Default, RootStatus::Ok { backups: 1 })
}

/// A library of the given versions (grouped by UDID) in readable roots A and B.
fn library(versions: Vec<Version>) -> Library {
    let (devices, damaged) = crate::library::device::group(versions);
    Library {
        roots: vec![readable(A), readable(B)],
        devices,
        damaged,
        unreadable: Vec::new(),
    }
}

/// Figures with a next backup for some UDIDs.
#[derive(Default)]
struct Fake {
    next: BTreeMap<String, NextBackup>,
    volumes: Vec<VolumeUsage>,
    freed: Option<u64>,
}

impl Figures for Fake {
    fn next_backup(&self, device: &Device) -> Option<NextBackup> {
        self.next.get(&device.udid).copied()
    }
    fn volume_of(&self, root: &Path) -> Option<&VolumeUsage> {
        self.volumes
            .iter()
            .find(|v| v.roots.iter().any(|r| r == root))
    }
    fn freed_by_deleting(&self, _: &[PathBuf]) -> Option<u64> {
        self.freed
    }
}

type Row = (
    AlertKind,
    Severity,
    Option<String>,
    Option<PathBuf>,
    Option<OffsetDateTime>,
);

fn rows(alerts: &[Alert]) -> Vec<Row> {
    alerts
        .iter()
        .map(|a| (a.kind, a.severity, a.udid.clone(), a.path.clone(), a.since))
        .collect()
}

fn row(kind: AlertKind, udid: Option<&str>, path: Option<&str>, days: Option<i64>) -> Row {
    let severity = settings::default_severity(kind);
    (
        kind,
        severity,
        udid.map(str::to_string),
        path.map(PathBuf::from),
        days.map(|d| NOW - Duration::days(d)),
    )
}

fn ago(days: i64) -> Option<i64> {
    Some(days)
}

#[test]
fn library_state_gives_exactly_these_alerts() {
    use AlertKind::*;
    use BackupState::{Complete, InProgress};
    let finder = |n: &str| format!("{A}/{n}");
    let cases: Vec<(&str, Vec<Version>, Vec<Row>)> = vec![
        (
            "a fresh encrypted backup",
            vec![ok("U1", A, "U1", 2)],
            vec![],
        ),
        (
            "exactly at the limit is not stale",
            vec![ok("U1", A, "U1", 14)],
            vec![],
        ),
        (
            "older than the limit",
            vec![ok("U1", A, "U1", 15)],
            vec![row(Stale, Some("U1"), Some(&finder("U1")), ago(15))],
        ),
        (
            "a damaged folder without a date is never the newest complete backup",
            vec![
                ok("U1", A, "U1-old", 20),
                version("U1", A, "U1", None, BackupState::Damaged),
            ],
            vec![
                row(Stale, Some("U1"), Some(&finder("U1-old")), ago(20)),
                row(Damaged, Some("U1"), Some(&finder("U1")), None),
            ],
        ),
        (
            "nor is a damaged folder dated yesterday (it is the newest, not interrupted)",
            vec![
                ok("U1", A, "U1-old", 20),
                version("U1", A, "U1", ago(1), BackupState::Damaged),
            ],
            vec![
                row(Stale, Some("U1"), Some(&finder("U1-old")), ago(20)),
                row(Damaged, Some("U1"), Some(&finder("U1")), ago(1)),
            ],
        ),
        (
            "the newest backup stopped midway",
            vec![
                version("U1", A, "U1", ago(1), BackupState::Interrupted),
                ok("U1", A, "U1-old", 5),
            ],
            vec![row(Interrupted, Some("U1"), Some(&finder("U1")), ago(1))],
        ),
        (
            "an older interrupted backup is no alert",
            vec![
                ok("U1", A, "U1", 1),
                version("U1", A, "U1-old", ago(5), BackupState::Interrupted),
            ],
            vec![],
        ),
        (
            "a backup being written now is no alert",
            vec![
                version("U1", A, "U1", ago(0), InProgress),
                ok("U1", A, "U1-old", 5),
            ],
            vec![],
        ),
        (
            "never a complete backup",
            vec![version("U1", A, "U1", ago(1), BackupState::Interrupted)],
            vec![
                row(Stale, Some("U1"), None, None),
                row(Interrupted, Some("U1"), Some(&finder("U1")), ago(1)),
            ],
        ),
        (
            "a complete backup without a date is stale",
            vec![version("U1", A, "U1", None, Complete)],
            vec![row(Stale, Some("U1"), Some(&finder("U1")), None)],
        ),
        (
            "no version is encrypted: since the oldest",
            vec![plain(ok("U1", A, "U1", 1)), plain(ok("U1", A, "U1-old", 9))],
            vec![row(NeverEncrypted, Some("U1"), Some(&finder("U1")), ago(9))],
        ),
        (
            "one encrypted version is enough",
            vec![plain(ok("U1", A, "U1", 1)), ok("U1", A, "U1-old", 9)],
            vec![],
        ),
        (
            "one device in two roots: the extra root, since its oldest backup",
            vec![
                ok("U1", A, "U1", 1),
                ok("U1", B, "U1-a", 30),
                ok("U1", B, "U1-b", 40),
            ],
            vec![row(Duplicate, Some("U1"), Some(B), ago(40))],
        ),
        (
            "a device of no known UDID, damaged",
            vec![ok("U1", A, "U1", 1), {
                let mut v = version("U1", A, "junk", None, BackupState::Damaged);
                v.udid = None;
                v
            }],
            vec![row(Damaged, None, Some(&finder("junk")), None)],
        ),
        (
            "critical ones first, then devices in order",
            vec![plain(ok("U1", A, "U1", 1)), ok("U2", A, "U2", 30)],
            vec![
                row(Stale, Some("U2"), Some(&finder("U2")), ago(30)),
                row(NeverEncrypted, Some("U1"), Some(&finder("U1")), ago(1)),
            ],
        ),
    ];
    let settings = AlertSettings::default();
    for (what, versions, want) in cases {
        let got = evaluate(&library(versions), &NoFigures, &settings, NOW);
        assert_eq!(rows(&got), want, "{what}");
    }
}

#[test]
fn low_space_uses_the_next_backup_figure_and_names_the_volume() {
    let lib = library(vec![ok("U1", A, "U1", 1)]);
    let volume = VolumeUsage {
        path: "/b".into(),
        total: 100_000_000_000,
        free: 12_000_000_000,
        backup_bytes: 58_000_000_000,
        roots: vec![A.into()],
    };
    let mut fake = Fake {
        volumes: vec![volume],
        ..Fake::default()
    };
    let next = |fits| NextBackup {
        need: 58_000_000_000,
        free: 12_000_000_000,
        fits,
    };
    fake.next.insert("U1".into(), next(true));
    let settings = AlertSettings::default();
    assert_eq!(evaluate(&lib, &fake, &settings, NOW), vec![]);
    fake.next.insert("U1".into(), next(false));
    let got = evaluate(&lib, &fake, &settings, NOW);
    assert_eq!(
        rows(&got),
        vec![row(AlertKind::LowSpace, Some("U1"), Some(A), None)]
    );
    assert_eq!(
        got[0].message,
        "the next backup of U1 may not fit: it needs about 58 GB, 12 GB is free on /b: free \
         space there, or move the backups to a bigger drive (`backtop move`)"
    );
}

#[test]
fn roots_that_cannot_be_looked_at() {
    use RootOrigin::*;
    let last_seen = datetime!(2024-06-01 08:00 UTC);
    let unplugged = RootStatus::DriveNotConnected {
        last_seen,
        backups: 3,
        bytes: Some(41_000_000_000),
    };
    let advice = || "give the terminal Full Disk Access".to_string();
    let mut lib = library(vec![ok("U1", A, "U1", 1)]);
    lib.roots.extend([
        report("/Volumes/Drive/iMazing.Backups", Volume, unplugged),
        report("/srv/ios", Config, RootStatus::Missing),
        report("/x/default", Default, RootStatus::Missing),
        report("/x/file", Flag, RootStatus::NotAFolder),
        report("/x/home", Home, RootStatus::Missing),
        report(
            "/Users/cy/Library/MobileSync/Backup",
            Default,
            RootStatus::PrivacyBlocked { advice: advice() },
        ),
    ]);
    let got = evaluate(&lib, &NoFigures, &AlertSettings::default(), NOW);
    let messages: Vec<(Row, &str)> = rows(&got)
        .into_iter()
        .zip(got.iter().map(|a| a.message.as_str()))
        .collect();
    let unreachable = |path: &str, since| {
        (
            AlertKind::Unreachable,
            Severity::Warning,
            None,
            Some(PathBuf::from(path)),
            since,
        )
    };
    assert_eq!(
        messages,
        vec![
            (
                unreachable("/Volumes/Drive/iMazing.Backups", Some(last_seen)),
                "the drive holding /Volumes/Drive/iMazing.Backups is not connected (it held 3 \
                 backups, 41 GB): connect it so its backups can be checked; they may well \
                 be fine"
            ),
            (
                unreachable("/srv/ios", None),
                "/srv/ios (from config file) does not exist: connect the drive it is on, or \
                 remove it from the roots"
            ),
            (
                unreachable("/x/file", None),
                "/x/file (from --root) is not a folder: fix the path"
            ),
            (
                unreachable("/Users/cy/Library/MobileSync/Backup", None),
                "/Users/cy/Library/MobileSync/Backup cannot be read: give the terminal Full \
                 Disk Access"
            ),
        ]
    );
}

#[test]
fn each_kind_says_what_to_do() {
    let mut anna = plain(ok("U1", A, "U1", 1));
    anna.device_name = Some("Anna's iPhone".into());
    let lib = library(vec![
        anna,
        plain(version("U1", A, "U1-x", ago(3), BackupState::Damaged)),
        plain(ok("U1", B, "U1-b", 30)),
        version("U2", A, "U2", ago(2), BackupState::Interrupted),
        ok("U2", A, "U2-old", 20),
    ]);
    let fake = Fake {
        freed: Some(7_500_000_000),
        ..Fake::default()
    };
    let got = evaluate(&lib, &fake, &AlertSettings::default(), NOW);
    let said: Vec<(&str, &str)> = got
        .iter()
        .map(|a| (a.kind.as_str(), a.message.as_str()))
        .collect();
    assert_eq!(
        said,
        vec![
            (
                "stale",
                "no complete backup of U2 for 20 days (the newest is from 2024-06-10; the \
                 limit is 14 days): connect it and back it up (Finder, the Apple Devices app \
                 or iMazing)"
            ),
            (
                "never_encrypted",
                "no backup of Anna's iPhone is encrypted, so its Health data, Keychain \
                 passwords and call history are not in them: turn on \"Encrypt local backup\" \
                 (Finder, Apple Devices or iMazing) and back it up again"
            ),
            (
                "damaged",
                "a backup of Anna's iPhone is damaged (Info.plist is truncated): run `backtop \
                 verify /b/finder/U1-x`; if it cannot be used, delete it (`backtop rm \
                 /b/finder/U1-x`) and make a new backup"
            ),
            (
                "duplicate",
                "Anna's iPhone also has 1 backup in /b/drive (deleting it frees 7.5 GB), \
                 besides its newest in /b/finder: unless they are a deliberate second copy, \
                 delete the ones you do not need (`backtop rm`, `backtop prune`)"
            ),
            (
                "interrupted",
                "the newest backup of U2 (2024-06-28) did not finish (the newest complete one \
                 is from 2024-06-10): connect it and back it up again; keep the device \
                 connected and awake until the backup ends"
            ),
        ]
    );
}

#[test]
fn the_settings_change_severities_turn_kinds_off_and_set_the_age() {
    let lib = library(vec![ok("U1", A, "U1", 20)]);
    let mut settings = AlertSettings::default();
    settings.set_severity(AlertKind::Stale, Some(Severity::Warning));
    let got = evaluate(&lib, &NoFigures, &settings, NOW);
    assert_eq!(got[0].severity, Severity::Warning);
    settings.set_severity(AlertKind::Stale, None);
    assert_eq!(evaluate(&lib, &NoFigures, &settings, NOW), vec![]);
    let mut longer = AlertSettings::default();
    longer.max_age = Duration::days(30);
    assert_eq!(evaluate(&lib, &NoFigures, &longer, NOW), vec![]);
    for kind in AlertKind::ALL {
        assert_eq!(
            AlertSettings::default().severity(kind),
            Some(settings::default_severity(kind))
        );
    }
}

#[test]
fn status_is_the_worst_severity_or_unknown_when_nothing_could_be_checked() {
    let fresh = library(vec![ok("U1", A, "U1", 1)]);
    let alerts = |lib: &Library| evaluate(lib, &NoFigures, &AlertSettings::default(), NOW);
    assert_eq!(status(&fresh, &alerts(&fresh)), Status::Ok);
    let mut unencrypted = fresh.clone();
    unencrypted.devices[0].versions[0].encrypted = false;
    assert_eq!(status(&unencrypted, &alerts(&unencrypted)), Status::Warning);
    let old = library(vec![ok("U1", A, "U1", 30)]);
    assert_eq!(status(&old, &alerts(&old)), Status::Critical);
    let empty = library(vec![]);
    assert_eq!(status(&empty, &[]), Status::Unknown);
    assert_eq!(
        unknown_reason(&empty),
        Some("no backups were found in any root")
    );
    let mut unreadable = fresh.clone();
    for r in &mut unreadable.roots {
        r.status = RootStatus::Missing;
    }
    assert_eq!(status(&unreadable, &alerts(&unreadable)), Status::Unknown);
    assert_eq!(
        [
            Status::Ok,
            Status::Warning,
            Status::Critical,
            Status::Unknown
        ]
        .map(Status::exit_code),
        [0, 1, 2, 3]
    );
}
