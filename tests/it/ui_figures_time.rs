//! One time rule for every text output (issue 14, item 19): `du`, `diff` and `roots` print
//! dates as the dashboard and `list` do, in the system zone with the offset of each date's own
//! season (`2026-07-15 14:00 +02:00`, `2026-01-15 13:00 +01:00` in Berlin), or in UTC with
//! `time = "utc"` in the config. They printed UTC dates (`du` without a time) before.

use std::path::Path;
use std::time::Duration;

use backtop::demo::{write_backup, BackupSpec};
use backtop::library::{Root, RootOrigin, RootReport, RootStatus};
use jiff::tz::TimeZone;
use time::macros::datetime;

use crate::support::cli::run_in_zone;

/// Europe/Berlin's rules as a POSIX TZ string (no zone database needed).
const BERLIN: &str = "CET-1CEST,M3.5.0,M10.5.0/3";
const UDID: &str = "00008110-001A2B3C4D5E6F70";
const LIMIT: Duration = Duration::from_secs(60);

/// A summer live backup (2026-07-15 12:00 UTC) and a winter archive (2026-01-15 12:00 UTC) of
/// one device under `root`.
pub(crate) fn two_seasons(root: &Path) {
    let mut summer = BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2");
    summer.date = datetime!(2026-07-15 12:00 UTC);
    write_backup(&root.join(UDID), &summer).unwrap();
    let mut winter = summer.clone();
    winter.date = datetime!(2026-01-15 12:00 UTC);
    write_backup(&root.join(format!("{UDID}-20260115-120000")), &winter).unwrap();
}

fn text_of(home: &Path, args: &[&str]) -> String {
    let out = run_in_zone(home, args, LIMIT, BERLIN);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

#[test]
fn du_and_diff_print_local_times_with_each_dates_offset_or_utc_by_config() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("backups");
    two_seasons(&root);
    let home = tmp.path().join("run");
    let r = root.display().to_string();
    let du = ["--only", "--root", r.as_str(), "--no-cache", "du"];
    let old = format!("{UDID}@2026-01-15");
    let new = format!("{UDID}@2026-07-15");
    let diff = [
        "--only",
        "--root",
        r.as_str(),
        "diff",
        old.as_str(),
        new.as_str(),
    ];

    let text = text_of(&home, &du);
    assert!(
        text.contains(&format!(
            "  {UDID} [live, complete, 2026-07-15 14:00 +02:00]: "
        )) && text.contains(&format!(
            "  {UDID}-20260115-120000 [archive, complete, 2026-01-15 13:00 +01:00]: "
        )),
        "du, local time:\n{text}"
    );
    let text = text_of(&home, &diff);
    assert!(
        text.contains("-20260115-120000  (2026-01-15 13:00 +01:00, iOS ")
            && text.contains(&format!("/{UDID}  (2026-07-15 14:00 +02:00, iOS ")),
        "diff, local time:\n{text}"
    );

    let config = home.join("config/backtop");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "time = \"utc\"\n").unwrap();
    let text = text_of(&home, &du);
    assert!(
        text.contains("[live, complete, 2026-07-15 12:00 UTC]: ")
            && text.contains("[archive, complete, 2026-01-15 12:00 UTC]: "),
        "du, time = \"utc\":\n{text}"
    );
    let text = text_of(&home, &diff);
    assert!(
        text.contains("(2026-01-15 12:00 UTC, iOS ")
            && text.contains("(2026-07-15 12:00 UTC, iOS "),
        "diff, time = \"utc\":\n{text}"
    );
}

#[test]
fn roots_says_when_a_drive_was_last_seen_in_the_zone_given() {
    let report = |last_seen| RootReport {
        root: Root {
            path: "/Volumes/Backup Drive/iMazing.Backups".into(),
            origin: RootOrigin::Volume,
            owner: None,
            app: "iMazing",
        },
        status: RootStatus::DriveNotConnected {
            last_seen,
            backups: 3,
            bytes: None,
        },
    };
    let reports = [
        report(datetime!(2026-07-15 12:00 UTC)),
        report(datetime!(2026-01-15 12:00 UTC)),
    ];
    let berlin = TimeZone::posix(BERLIN).unwrap();
    let text = backtop::commands::roots::render_roots_report(&reports, &berlin);
    assert!(
        text.contains("last seen 2026-07-15 14:00 +02:00 with 3 backups")
            && text.contains("last seen 2026-01-15 13:00 +01:00 with 3 backups"),
        "{text}"
    );
    let text = backtop::commands::roots::render_roots_report(&reports, &TimeZone::UTC);
    assert!(
        text.contains("last seen 2026-07-15 12:00 UTC with 3 backups"),
        "{text}"
    );
}
