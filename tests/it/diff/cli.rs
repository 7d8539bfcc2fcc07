//! `backtop diff` through the binary: the JSON contract, the text markers, `UDID@day`
//! arguments, a locked version's exit code.

use std::path::Path;
use std::time::Duration;

use backtop::demo::{write_backup, BackupSpec, FileSpec};
use serde_json::{json, Value};
use time::macros::datetime;

use crate::support::cli::run_within;

const U: &str = "00008110-000A1B2C3D4E5F60";

fn spec(files: Vec<FileSpec>, day: u8) -> BackupSpec {
    let mut s = BackupSpec::new(U, "Ben's iPhone", "iPhone14,5");
    s.date = datetime!(2024-06-01 12:00 UTC).replace_day(day).unwrap();
    s.files_dated = Some(datetime!(2024-05-01 0:00 UTC));
    s.files = files;
    s
}

/// root/<UDID>-20240601-120000 (old) and root/<UDID> (new, 20 June): one photo removed
/// (2,000 B), sms.db 500 -> 700, one note added (42 B), one file unchanged.
fn library(root: &Path) {
    let old = vec![
        FileSpec::new(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            1000,
        ),
        FileSpec::new(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0002.HEIC",
            2000,
        ),
        FileSpec::new("HomeDomain", "Library/SMS/sms.db", 500),
    ];
    let new = vec![
        FileSpec::new(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            1000,
        ),
        FileSpec::new("HomeDomain", "Library/SMS/sms.db", 700),
        FileSpec::new("HomeDomain", "Library/Notes/notes.sqlite", 42),
    ];
    write_backup(&root.join(format!("{U}-20240601-120000")), &spec(old, 1)).unwrap();
    write_backup(&root.join(U), &spec(new, 20)).unwrap();
}

fn run(home: &Path, root: &Path, args: &[&str]) -> (i32, String, String) {
    let root = root.to_str().unwrap();
    let mut all = vec!["--only", "--root", root, "diff"];
    all.extend_from_slice(args);
    let out = run_within(home, &all, Duration::from_secs(60));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_gives_totals_categories_and_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    library(&root);
    let old = root.join(format!("{U}-20240601-120000"));
    let new = root.join(U);
    let (code, stdout, stderr) = run(
        tmp.path(),
        &root,
        &[
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--json",
            "--files",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["locked"], false);
    assert_eq!(doc["old"], json!(old.to_str().unwrap()));
    assert_eq!(doc["new"], json!(new.to_str().unwrap()));
    assert_eq!(doc["added"], json!({"files": 1, "bytes": 42}));
    assert_eq!(doc["removed"], json!({"files": 1, "bytes": 2000}));
    assert_eq!(
        doc["changed"],
        json!({"files": 1, "bytes": 700, "old_bytes": 500})
    );
    assert_eq!(doc["unchanged"], json!({"files": 1}));
    assert_eq!(doc["net_bytes"], -1758);
    assert_eq!(
        doc["by_category"]["photos"],
        json!({"added_files": 0, "added_bytes": 0, "removed_files": 1, "removed_bytes": 2000,
               "changed_files": 0, "changed_bytes": 0, "changed_old_bytes": 0,
               "unchanged_files": 1, "net_bytes": -2000})
    );
    assert_eq!(doc["by_category"]["notes"]["added_bytes"], 42);
    assert_eq!(doc["by_category"]["messages"]["changed_bytes"], 700);
    let cats: Vec<&String> = doc["by_category"].as_object().unwrap().keys().collect();
    assert_eq!(cats, ["messages", "notes", "photos"]);
    assert_eq!(doc["by_app"], json!([]));
    let files = doc["files"].as_array().unwrap();
    let brief: Vec<(&str, &str, &str)> = files
        .iter()
        .map(|f| {
            (
                f["marker"].as_str().unwrap(),
                f["change"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        brief,
        [
            ("-", "removed", "Media/DCIM/100APPLE/IMG_0002.HEIC"),
            ("M", "changed", "Library/SMS/sms.db"),
            ("+", "added", "Library/Notes/notes.sqlite"),
        ]
    );
    let sms = &files[1];
    assert_eq!(sms["old_size"], 500);
    assert_eq!(sms["new_size"], 700);
    assert_eq!(sms["category"], "messages");
    assert_eq!(sms["domain"], "HomeDomain");
    assert_eq!(sms["old_mtime"], sms["new_mtime"]);
    assert!(sms["new_mtime"].as_str().unwrap().starts_with("202"));
    assert_eq!(files[0]["new_size"], Value::Null);
    assert_eq!(files[0]["file_id"].as_str().unwrap().len(), 40);
    // Without --files, no files array.
    let (_, stdout, _) = run(
        tmp.path(),
        &root,
        &[old.to_str().unwrap(), new.to_str().unwrap(), "--json"],
    );
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc.get("files"), None);
}

#[test]
fn text_uses_restic_markers_and_udid_at_day_arguments() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    library(&root);
    let (code, stdout, stderr) = run(
        tmp.path(),
        &root,
        &[&format!("{U}@2024-06-01"), &format!("{U}@2024-06-20")],
    );
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("old: ") && lines[0].ends_with("(2024-06-01 12:00 UTC, iOS 17.5)")
    );
    assert!(lines[1].starts_with("new: ") && lines[1].contains(&format!("/root/{U}  (")));
    assert_eq!(
        &lines[3..6],
        [
            "-       2 kB  CameraRollDomain/Media/DCIM/100APPLE/IMG_0002.HEIC",
            "M      700 B  HomeDomain/Library/SMS/sms.db  (was 500 B)",
            "+       42 B  HomeDomain/Library/Notes/notes.sqlite",
        ]
    );
    assert!(
        stdout.contains("  Photos & videos               -2 kB                   1 (2 kB)"),
        "{stdout}"
    );
    assert_eq!(
        lines.last().unwrap(),
        &"1 added (42 B), 1 removed (2 kB), 1 changed (500 B -> 700 B), 1 unchanged; net -1.8 kB"
    );
}

#[test]
fn identical_versions_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    library(&root);
    let new = root.join(U);
    let (code, stdout, _) = run(
        tmp.path(),
        &root,
        &[new.to_str().unwrap(), new.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.contains("no differences: 3 files, each the same size and date in both"),
        "{stdout}"
    );
}

#[test]
fn a_locked_version_exits_1_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    library(&root);
    let mut locked = spec(
        vec![FileSpec::new("HomeDomain", "Library/SMS/sms.db", 5)],
        25,
    );
    locked.encrypted = true;
    let locked_dir = root.join(format!("{U}-20240625-120000"));
    write_backup(&locked_dir, &locked).unwrap();
    let new = root.join(U);
    let args = [new.to_str().unwrap(), locked_dir.to_str().unwrap()];
    let (code, stdout, _) = run(tmp.path(), &root, &args);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("cannot be compared: the backup is encrypted"),
        "{stdout}"
    );
    let (code, stdout, _) = run(tmp.path(), &root, &[args[0], args[1], "--json"]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["locked"], true);
    assert!(doc["reason"].as_str().unwrap().contains("encrypted"));
    // No such version: an error.
    let (code, _, stderr) = run(tmp.path(), &root, &[args[0], "/nowhere/at/all"]);
    assert_eq!(code, 4, "{stderr}");
}
