//! `--demo du` reports the demo's simulated volumes (the Mac's disk, nearly full, and the
//! external drive), marked as simulated, as the dashboard's disk pane does. It reported the
//! temporary folder's real volume instead, a tmpfs on which the sparse library read "backups
//! 312.72 GB, free 25.26 GB of 25.28 GB", and judged "next backup fits" against it.

use std::time::Duration;

use backtop::demo::{DRIVE_FREE, DRIVE_TOTAL, MAC_DISK_FREE, MAC_DISK_TOTAL};

use crate::support::cli::run_with_env;

const LIMIT: Duration = Duration::from_secs(120);

#[test]
fn demo_du_reports_the_simulated_disks_in_json_and_text() {
    let tmp = tempfile::tempdir().unwrap();
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir_all(&tmpdir).unwrap();
    let env = [("TMPDIR", tmpdir.as_os_str())];

    let out = run_with_env(tmp.path(), &["--demo", "du", "--json"], LIMIT, &env);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let volumes = doc["volumes"].as_array().unwrap();
    assert_eq!(volumes.len(), 2, "{volumes:?}");
    let (mac, drive) = (&volumes[0], &volumes[1]);
    assert_eq!(mac["path"], "/");
    assert_eq!(
        (mac["total"].as_u64(), mac["free"].as_u64()),
        (Some(MAC_DISK_TOTAL), Some(MAC_DISK_FREE))
    );
    assert!(
        drive["path"]
            .as_str()
            .unwrap()
            .ends_with("/Volumes/Backup Drive"),
        "{drive}"
    );
    assert_eq!(
        (drive["total"].as_u64(), drive["free"].as_u64()),
        (Some(DRIVE_TOTAL), Some(DRIVE_FREE))
    );
    assert_eq!(
        (mac["simulated"].as_bool(), drive["simulated"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(
        mac["roots"].as_array().unwrap().len(),
        2,
        "Finder's and iMazing's on the Mac"
    );
    assert_eq!(drive["roots"].as_array().unwrap().len(), 1);
    let on_volumes =
        mac["backup_bytes"].as_u64().unwrap() + drive["backup_bytes"].as_u64().unwrap();
    assert_eq!(Some(on_volumes), doc["totals"]["bytes"].as_u64());

    let out = run_with_env(tmp.path(), &["--demo", "du"], LIMIT, &env);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("volume ")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("volume / (simulated for the demo): backups ")
            && lines[0].ends_with(", free 48.32 GB of 994.66 GB"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("/Volumes/Backup Drive (simulated for the demo): backups "),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with(", free 1.21 TB of 2.00 TB"),
        "{}",
        lines[1]
    );
    // Anna's iPhone's newest backup (60 GB) does not fit the Mac's 48.3 GB, as the dashboard says.
    let iphone = text.split("Anna's iPhone (").nth(1).unwrap();
    let total = iphone.lines().find(|l| l.starts_with("  total ")).unwrap();
    assert!(total.ends_with("next backup may NOT fit"), "{total}");
}

/// `--demo check` judges "the next backup may not fit" against the same simulated disks as
/// `du` and the dashboard: only Anna's iPhone (60.0 GB to back up, 48.3 GB free on the Mac's
/// disk) warns. It judged against the tmpfs instead and warned for the iPad too (13 alerts
/// where the dashboard shows 12).
#[test]
fn demo_check_judges_free_space_on_the_simulated_disks() {
    let tmp = tempfile::tempdir().unwrap();
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir_all(&tmpdir).unwrap();
    let env = [("TMPDIR", tmpdir.as_os_str())];
    let out = run_with_env(tmp.path(), &["--demo", "check", "--json"], LIMIT, &env);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let low: Vec<(&str, &str)> = doc["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "low_space")
        .map(|a| {
            (
                a["device"].as_str().unwrap(),
                a["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(low.len(), 1, "{low:?}");
    assert_eq!(low[0].0, "Anna's iPhone");
    assert!(
        low[0]
            .1
            .contains("it needs about 60.0 GB, 48.3 GB is free on /:"),
        "{}",
        low[0].1
    );
}
