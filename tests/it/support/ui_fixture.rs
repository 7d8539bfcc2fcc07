//! A hand-made library for the dashboard's tests: three devices, an unidentified damaged
//! folder, every kind and state of version, shared inodes between a live backup and its
//! iMazing snapshot, and one volume that is nearly full. Time is frozen at [`now`].

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use backtop::library::category::Category;
use backtop::library::usage::{AppUsage, SharedInode, VersionUsage};
use backtop::library::volume::VolumeUsage;
use backtop::library::{
    BackupState, DateSource, Device, Library, ManifestFormat, Root, RootOrigin, RootReport,
    RootStatus, Version, VersionKind,
};
use backtop::scan::ScanEvent;
use backtop::tasks::{JobEvent, JobId, JobKind, JobMsg, Outcome, Progress, TargetCheck};
use backtop::ui::theme::Theme;
use backtop::ui::{App, AppOptions, Msg};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::macros::datetime;
use time::OffsetDateTime;

pub const HOME: &str = "/Users/anna";
pub const FINDER: &str = "/Users/anna/Library/Application Support/MobileSync/Backup";
pub const IMAZING: &str = "/Users/anna/Library/Application Support/iMazing/Backups";
pub const PHONE: &str = "00008120-001A2B3C4D5E6F70";
pub const IPAD: &str = "00008103-000A1B2C3D4E5F60";
pub const OLD: &str = "3D0D7E5FB2CE288813306E4D4636395E047A3D28";

/// The frozen "now" of every test.
pub fn now() -> OffsetDateTime {
    datetime!(2024-06-10 12:00 UTC)
}

pub fn path(root: &str, rest: &str) -> PathBuf {
    PathBuf::from(format!("{root}/{rest}"))
}

/// Paths of the versions, by a short name.
pub fn p(name: &str) -> PathBuf {
    match name {
        "phone-live" => path(FINDER, PHONE),
        "phone-archive" => path(FINDER, &format!("{PHONE}-20240301-101500")),
        "phone-snapshot" => path(
            IMAZING,
            &format!("iMazing.Versions/Versions/{PHONE}/2024-05-20-11.30.00"),
        ),
        "ipad-live" => path(FINDER, IPAD),
        "ipad-interrupted" => path(FINDER, &format!("{IPAD}-20231224-180000")),
        "old-live" => path(FINDER, OLD),
        "copy" => path(FINDER, "Backup copy"),
        other => panic!("no fixture version {other}"),
    }
}

#[allow(clippy::too_many_arguments)]
fn version(
    name: &str,
    root: &str,
    kind: VersionKind,
    device: (&str, &str, &str, &str),
    date: OffsetDateTime,
    state: BackupState,
    problem: Option<&str>,
    encrypted: bool,
) -> Version {
    let mut v = Version::bare(&p(name), &PathBuf::from(root), kind);
    v.udid = (!device.0.is_empty()).then(|| device.0.to_string());
    v.device_name = Some(device.1.to_string());
    v.product_type = Some(device.2.to_string());
    v.ios = Some(device.3.to_string());
    v.date = Some(date);
    v.date_source = DateSource::StatusPlist;
    v.state = state;
    v.problem = problem.map(str::to_string);
    v.encrypted = encrypted;
    v.manifest = ManifestFormat::Db;
    v
}

fn device(udid: &str, name: &str, model: &str, ios: &str, versions: Vec<Version>) -> Device {
    Device {
        udid: udid.into(),
        name: Some(name.into()),
        product_type: versions[0].product_type.clone(),
        model: Some(model.into()),
        ios: Some(ios.into()),
        versions,
    }
}

fn root(path: &str, app: &'static str, status: RootStatus) -> RootReport {
    RootReport {
        root: Root {
            path: path.into(),
            origin: RootOrigin::Default,
            owner: Some("anna".into()),
            app,
        },
        status,
    }
}

/// The library as discovery would report it.
pub fn library() -> Library {
    use BackupState::*;
    use VersionKind::*;
    let phone = (PHONE, "Anna's iPhone", "iPhone15,2", "17.5");
    let ipad = (IPAD, "Ben's iPad", "iPad13,16", "16.7");
    let old = (OLD, "Old iPhone", "iPhone8,1", "9.3.5");
    Library {
        roots: vec![
            root(FINDER, "Finder/iTunes", RootStatus::Ok { backups: 6 }),
            root(IMAZING, "iMazing", RootStatus::Ok { backups: 1 }),
            root(
                "/Volumes/Backup/iMazing.Backups",
                "iMazing",
                RootStatus::Missing,
            ),
        ],
        devices: vec![
            device(
                PHONE,
                "Anna's iPhone",
                "iPhone 14 Pro",
                "17.5",
                vec![
                    version(
                        "phone-live",
                        FINDER,
                        Live,
                        phone,
                        datetime!(2024-06-08 09:15 UTC),
                        Complete,
                        None,
                        false,
                    ),
                    version(
                        "phone-snapshot",
                        IMAZING,
                        ImazingSnapshot,
                        phone,
                        datetime!(2024-05-20 11:30 UTC),
                        Complete,
                        None,
                        false,
                    ),
                    version(
                        "phone-archive",
                        FINDER,
                        Archive,
                        phone,
                        datetime!(2024-03-01 10:15 UTC),
                        Complete,
                        None,
                        false,
                    ),
                ],
            ),
            device(
                IPAD,
                "Ben's iPad",
                "iPad Air (5th generation)",
                "16.7",
                vec![
                    version(
                        "ipad-live",
                        FINDER,
                        Live,
                        ipad,
                        datetime!(2024-06-09 20:00 UTC),
                        Complete,
                        None,
                        true,
                    ),
                    version(
                        "ipad-interrupted",
                        FINDER,
                        Archive,
                        ipad,
                        datetime!(2023-12-24 18:00 UTC),
                        Interrupted,
                        Some("backup stopped midway (SnapshotState uploading)"),
                        true,
                    ),
                ],
            ),
            device(
                OLD,
                "Old iPhone",
                "iPhone 6s",
                "9.3.5",
                vec![version(
                    "old-live",
                    FINDER,
                    Live,
                    old,
                    datetime!(2019-02-14 08:00 UTC),
                    Damaged,
                    Some("Status.plist is missing"),
                    false,
                )],
            ),
        ],
        unreadable: Vec::new(),
        damaged: vec![version(
            "copy",
            FINDER,
            Archive,
            ("", "?", "?", "?"),
            datetime!(2022-08-01 12:00 UTC),
            Damaged,
            Some("Info.plist is truncated"),
            false,
        )],
    }
}

fn usage(
    bytes: u64,
    unique: u64,
    files: u64,
    cats: &[(Category, u64)],
    apps: &[(&str, &str, u64)],
    shared: &[SharedInode],
) -> VersionUsage {
    // Disk usage is half the apparent size everywhere (sparse files), so `a` shows exact halves.
    VersionUsage {
        bytes,
        allocated_bytes: bytes / 2,
        unique_bytes: unique,
        unique_allocated: unique / 2,
        files,
        categories: cats.iter().copied().collect::<BTreeMap<_, _>>(),
        top_apps: apps
            .iter()
            .map(|(id, name, b)| AppUsage {
                bundle_id: id.to_string(),
                name: Some(name.to_string()),
                bytes: *b,
            })
            .collect(),
        errors: vec![],
        shared: shared.to_vec(),
    }
}

/// The phone's live backup and its iMazing snapshot share 40 GB of hard-linked photos.
fn shared_photos() -> Vec<SharedInode> {
    vec![SharedInode {
        dev: 1,
        ino: 42,
        nlink: 2,
        links_here: 1,
        bytes: 40_000_000_000,
        allocated: 20_000_000_000,
    }]
}

/// Sizes of every sized version (the damaged ones fail).
pub fn usages() -> Vec<(PathBuf, VersionUsage)> {
    use Category::*;
    let apps = [
        ("net.whatsapp.WhatsApp", "WhatsApp", 6_100_000_000),
        ("com.spotify.client", "Spotify", 2_400_000_000),
    ];
    vec![
        (
            p("phone-live"),
            usage(
                64_200_000_000,
                24_200_000_000,
                182_345,
                &[
                    (Photos, 41_000_000_000),
                    (Whatsapp, 9_000_000_000),
                    (Messages, 6_000_000_000),
                    (Apps, 7_500_000_000),
                    (System, 600_000_000),
                    (Metadata, 100_000_000),
                ],
                &apps,
                &shared_photos(),
            ),
        ),
        (
            p("phone-snapshot"),
            usage(
                43_000_000_000,
                3_000_000_000,
                150_001,
                &[(Photos, 40_500_000_000), (Messages, 2_500_000_000)],
                &[],
                &shared_photos(),
            ),
        ),
        (
            p("phone-archive"),
            usage(
                58_100_000_000,
                58_100_000_000,
                170_000,
                &[
                    (Photos, 38_000_000_000),
                    (Whatsapp, 8_000_000_000),
                    (Messages, 5_000_000_000),
                    (Apps, 7_100_000_000),
                ],
                &apps,
                &[],
            ),
        ),
        (
            p("ipad-live"),
            usage(
                12_500_000_000,
                12_500_000_000,
                40_210,
                &[(Encrypted, 12_400_000_000), (Metadata, 100_000_000)],
                &[],
                &[],
            ),
        ),
        (
            p("ipad-interrupted"),
            usage(
                3_300_000_000,
                3_300_000_000,
                9_000,
                &[(Encrypted, 3_300_000_000)],
                &[],
                &[],
            ),
        ),
    ]
}

/// The one volume: 500 GB, 40 GB free, so the phone's next 64 GB backup would not fit.
pub fn volumes() -> Vec<VolumeUsage> {
    vec![VolumeUsage {
        path: "/".into(),
        total: 500_000_000_000,
        free: 40_000_000_000,
        backup_bytes: 141_100_000_000,
        roots: vec![FINDER.into(), IMAZING.into()],
    }]
}

pub fn options(color: bool, ascii: bool, read_only: bool) -> AppOptions {
    AppOptions {
        read_only,
        theme: Theme::new(color, ascii),
        tz: jiff::tz::TimeZone::UTC,
        home: Some(HOME.into()),
        simulated_disks: false,
    }
}

/// An app before any scan event.
pub fn fresh(opts: AppOptions) -> App {
    App::new(library(), opts, now())
}

/// An app after a whole scan: every version sized (the damaged ones failed), volumes known.
pub fn scanned(opts: AppOptions) -> App {
    let mut app = fresh(opts);
    app.update(scan_started());
    for (path, usage) in usages() {
        app.update(scan_event(ScanEvent::Sized { path, usage }));
    }
    for name in ["old-live", "copy"] {
        app.update(scan_event(ScanEvent::Failed {
            path: p(name),
            error: "no readable manifest".into(),
        }));
    }
    app.update(scan_event(ScanEvent::Volumes(volumes())));
    app.update(scan_event(ScanEvent::Finished {
        elapsed: Duration::from_millis(2_400),
        cancelled: false,
    }));
    app
}

/// The id of the fixture's made-up jobs (one of each kind at a time).
pub const JOB: JobId = JobId(1);

/// A message of the fixture's job of `kind`.
pub fn job(kind: JobKind, event: JobEvent) -> Msg {
    Msg::Job(JobMsg::new(JOB, kind, event))
}

/// The fixture's scan job started.
pub fn scan_started() -> Msg {
    job(JobKind::Scan, JobEvent::Started { total: 0 })
}

/// One event of the fixture's scan job.
pub fn scan_event(event: ScanEvent) -> Msg {
    job(JobKind::Scan, JobEvent::Progress(Progress::Scan(event)))
}

/// The delete guards' answer (the fixture's check job ended).
pub fn guard_checks(checks: Vec<TargetCheck>) -> Msg {
    job(JobKind::Check, JobEvent::Done(Outcome::Checked(checks)))
}

/// A key press message.
pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A character key press.
pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

/// Feeds messages, returning every effect asked for.
pub fn feed(app: &mut App, msgs: impl IntoIterator<Item = Msg>) -> Vec<backtop::ui::Effect> {
    msgs.into_iter().flat_map(|m| app.update(m)).collect()
}

/// Display names of the devices the devices pane shows, in order.
pub fn device_names(app: &App) -> Vec<String> {
    app.visible_devices()
        .iter()
        .map(|d| d.display_name().to_string())
        .collect()
}

/// Display name of the selected device ("" when none).
pub fn selected_device(app: &App) -> String {
    app.device()
        .map(|d| d.display_name().to_string())
        .unwrap_or_default()
}

/// Path of the selected version (empty when none).
pub fn selected_version(app: &App) -> PathBuf {
    app.version().map(|v| v.path.clone()).unwrap_or_default()
}
