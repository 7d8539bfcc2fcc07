//! `backtop list`: the human listing line by line and the JSON contract field by field.

use std::path::Path;

use backtop::commands::list::{render_text, to_json};
use backtop::demo::{write_backup, BackupSpec, Damage};
use backtop::library::discover::discover_library;
use backtop::library::{Library, Root, RootOrigin};
use serde_json::{json, Value};
use time::macros::datetime;
use time::OffsetDateTime;

const UDID: &str = "00008110-001A2B3C4D5E6F70";
const NOW: OffsetDateTime = datetime!(2024-06-01 12:00 UTC);

fn root(path: &Path) -> Root {
    Root {
        path: path.to_path_buf(),
        origin: RootOrigin::Flag,
        owner: Some("anna".into()),
        app: "test",
    }
}

/// A live encrypted backup, a damaged archive of the same phone, and a folder whose device
/// cannot be told.
fn library(dir: &Path) -> Library {
    let mut live = BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2");
    live.encrypted = true;
    write_backup(&dir.join(UDID), &live).unwrap();
    let mut archive = BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2");
    archive.date = datetime!(2024-01-15 09:30 UTC);
    archive.ios = "17.2".into();
    archive.damage = Some(Damage::EmptyManifestDb);
    write_backup(&dir.join(format!("{UDID}-20240115-093000")), &archive).unwrap();
    std::fs::create_dir(dir.join("Mystery")).unwrap();
    std::fs::write(dir.join("Mystery").join("Status.plist"), b"garbage").unwrap();
    discover_library(&[root(dir)], NOW)
}

#[test]
fn human_listing_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path().display().to_string();
    let text = render_text(&library(tmp.path()), &jiff::tz::TimeZone::UTC);
    let expected = [
        "Anna's iPhone  iPhone 14 Pro (iPhone15,2)  iOS 17.5".to_string(),
        format!("  UDID {UDID}"),
        format!("  2024-06-01 12:00 UTC  live      iOS 17.5     complete     encrypted      {r}/{UDID}"),
        format!("  2024-01-15 09:30 UTC  archive   iOS 17.2     damaged      not encrypted  {r}/{UDID}-20240115-093000"),
        "      Manifest.db is empty (0 bytes)".to_string(),
        String::new(),
        "Backups whose device cannot be told:".to_string(),
        format!("  {r}/Mystery"),
        "      Info.plist is missing; Manifest.plist is missing; Status.plist is not a readable plist (truncated or corrupt); no Manifest.db or Manifest.mbdb".to_string(),
    ];
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines, expected);
    assert!(text.ends_with('\n'));
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn json_contract_top_level_and_device() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path().display().to_string();
    let doc = to_json(&library(tmp.path()));
    assert_eq!(keys(&doc), ["damaged", "devices", "roots", "unreadable"]);
    assert_eq!(doc["unreadable"], json!([]));
    assert_eq!(
        doc["roots"],
        json!([{"path": r, "origin": "root", "status": "ok"}])
    );

    let device = &doc["devices"][0];
    assert_eq!(doc["devices"].as_array().unwrap().len(), 1);
    assert_eq!(
        keys(device),
        ["ios", "model", "name", "product_type", "udid", "versions"]
    );
    assert_eq!(device["udid"], UDID);
    assert_eq!(device["name"], "Anna's iPhone");
    assert_eq!(device["product_type"], "iPhone15,2");
    assert_eq!(device["model"], "iPhone 14 Pro");
    assert_eq!(device["ios"], "17.5");
}

#[test]
fn json_contract_versions_and_damaged() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path().display().to_string();
    let doc = to_json(&library(tmp.path()));
    let versions = doc["devices"][0]["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0],
        json!({
            "path": format!("{r}/{UDID}"),
            "kind": "live",
            "date": "2024-06-01T12:00:00Z",
            "ios": "17.5",
            "encrypted": true,
            "state": "complete",
            "problem": null,
            "owner": "anna",
            "folder_name": UDID,
        })
    );
    assert_eq!(
        versions[1],
        json!({
            "path": format!("{r}/{UDID}-20240115-093000"),
            "kind": "archive",
            "date": "2024-01-15T09:30:00Z",
            "ios": "17.2",
            "encrypted": false,
            "state": "damaged",
            "problem": "Manifest.db is empty (0 bytes)",
            "owner": "anna",
            "folder_name": format!("{UDID}-20240115-093000"),
        })
    );
    assert_eq!(
        doc["damaged"],
        json!([{
            "path": format!("{r}/Mystery"),
            "problem": "Info.plist is missing; Manifest.plist is missing; Status.plist is not a readable plist (truncated or corrupt); no Manifest.db or Manifest.mbdb",
        }])
    );
}

#[test]
fn snapshot_and_in_progress_words_in_json() {
    use backtop::demo::{write_imazing_snapshot, SpecState};
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join(UDID);
    let mut running = BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2");
    running.state = SpecState::InProgress;
    write_backup(&live, &running).unwrap();
    let snap = tmp
        .path()
        .join("iMazing.Versions/Versions")
        .join(UDID)
        .join("2024-05-02-18.04.59");
    let mut older = BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2");
    older.date = datetime!(2024-05-02 18:04:59 UTC);
    write_imazing_snapshot(&live, &snap, &older, &[]).unwrap();
    let doc = to_json(&discover_library(
        &[root(tmp.path())],
        OffsetDateTime::now_utc(),
    ));
    let versions = &doc["devices"][0]["versions"];
    assert_eq!(versions[0]["kind"], "live");
    assert_eq!(versions[0]["state"], "in_progress");
    assert_eq!(versions[1]["kind"], "imazing_snapshot");
    assert_eq!(versions[1]["state"], "complete");
    assert_eq!(versions[1]["folder_name"], "2024-05-02-18.04.59");
}

#[test]
fn nothing_found_lists_the_roots() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path().display().to_string();
    let library = discover_library(&[root(&tmp.path().join("nope")), root(tmp.path())], NOW);
    assert_eq!(
        render_text(&library, &jiff::tz::TimeZone::UTC),
        format!(
            "No backups found.\n\n{}",
            backtop::commands::roots::render_roots_report(&library.roots, &jiff::tz::TimeZone::UTC)
        )
    );
    assert!(
        render_text(&library, &jiff::tz::TimeZone::UTC)
            .contains(&format!("missing       {r}/nope\n")),
        "{}",
        render_text(&library, &jiff::tz::TimeZone::UTC)
    );
    assert_eq!(
        to_json(&library),
        json!({
            "roots": [
                {"path": format!("{r}/nope"), "origin": "root", "status": "missing"},
                {"path": r, "origin": "root", "status": "ok"}
            ],
            "devices": [],
            "damaged": [],
            "unreadable": [],
        })
    );
    assert_eq!(
        render_text(&Library::default(), &jiff::tz::TimeZone::UTC),
        "No backups found.\n\nbacktop had no place to look for backups: give --root DIR or --home DIR.\n"
    );
}

/// The real binary: `backtop list --only --root DIR --json` prints the contract and exits 0
/// even with damaged backups.
#[test]
fn the_binary_lists_json_and_exits_zero() {
    let tmp = tempfile::tempdir().unwrap();
    library(tmp.path());
    let r = tmp.path().display().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_backtop"))
        .args(["list", "--only", "--root", &r, "--json"])
        .env_remove("BACKTOP_ROOTS")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        keys(&doc),
        ["damaged", "devices", "roots", "schema", "unreadable"]
    );
    assert_eq!(
        doc["roots"],
        json!([{"path": r, "origin": "root", "status": "ok"}])
    );
    let versions = doc["devices"][0]["versions"].as_array().unwrap();
    let states: Vec<&str> = versions
        .iter()
        .map(|v| v["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["complete", "damaged"]);
    assert_eq!(doc["damaged"][0]["path"], format!("{r}/Mystery"));
}

/// A crafted `Info.plist` cannot clear the screen: control characters become `�`.
#[test]
fn control_characters_from_a_device_name_are_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = BackupSpec::new(UDID, "Evil\x1b[2J\nPhone", "iPhone15,2");
    write_backup(&tmp.path().join(UDID), &spec).unwrap();
    let text = render_text(
        &discover_library(&[root(tmp.path())], NOW),
        &jiff::tz::TimeZone::UTC,
    );
    assert!(!text.contains('\x1b'), "{text:?}");
    assert_eq!(
        text.lines().next(),
        Some("Evil\u{FFFD}[2J\u{FFFD}Phone  iPhone 14 Pro (iPhone15,2)  iOS 17.5")
    );
}

/// Folders that cannot be read and are not backups come last, human and JSON.
#[cfg(unix)]
#[test]
fn unreadable_folders_are_listed_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path().display().to_string();
    write_backup(
        &tmp.path().join(UDID),
        &BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2"),
    )
    .unwrap();
    let versions = tmp.path().join("iMazing.Versions");
    std::fs::create_dir(&versions).unwrap();
    std::os::unix::fs::symlink("/nowhere", versions.join("Versions")).unwrap();
    let library = discover_library(&[root(tmp.path())], NOW);
    let text = render_text(&library, &jiff::tz::TimeZone::UTC);
    let tail: Vec<&str> = text.lines().skip(3).collect();
    let want = [
        String::new(),
        "Folders that could not be read:".to_string(),
        format!("  {r}/iMazing.Versions/Versions"),
        "      a symbolic link (not followed)".to_string(),
    ];
    assert_eq!(tail, want);
    assert_eq!(
        to_json(&library)["unreadable"],
        json!([{"path": format!("{r}/iMazing.Versions/Versions"), "reason": "a symbolic link (not followed)"}])
    );
}

#[test]
fn the_demo_library_lists_every_device_and_state() {
    use backtop::demo::{build_demo, DemoOptions};
    let tmp = tempfile::tempdir().unwrap();
    let now = datetime!(2026-11-20 12:00 UTC);
    let opts = DemoOptions {
        seed: 7,
        scale: 0.0001,
        sparse: true,
        now: Some(now),
    };
    let demo = build_demo(tmp.path(), &opts).unwrap();
    let roots: Vec<Root> = demo.roots.iter().map(|p| root(p)).collect();
    let library = discover_library(&roots, now);
    let backups: Vec<_> = library.roots.iter().map(|r| r.status.clone()).collect();
    let ok = |backups| backtop::library::RootStatus::Ok { backups };
    assert_eq!(backups, vec![ok(6), ok(4), ok(2)]);
    assert!(library.damaged.is_empty());
    assert!(library.unreadable.is_empty());
    assert_eq!(summary(&library), demo_summary());
    let dad = &library.devices[3];
    assert_eq!(dad.udid.len(), 40);
    assert_eq!(dad.udid, dad.udid.to_uppercase());
    assert_eq!(
        dad.versions[0].manifest,
        backtop::library::ManifestFormat::Mbdb
    );
}

/// Per device: display name, model, and `kind state problem` of each version.
type Summary = Vec<(String, String, Vec<String>)>;

fn summary(library: &Library) -> Summary {
    library
        .devices
        .iter()
        .map(|d| {
            let versions = d
                .versions
                .iter()
                .map(|v| {
                    let problem = v.problem.as_deref().unwrap_or("-");
                    format!("{} {} {}", v.kind.label(), v.state.label(), problem)
                })
                .collect();
            (
                d.display_name().to_string(),
                d.model.clone().unwrap(),
                versions,
            )
        })
        .collect()
}

/// What the demo library (seed 7) holds.
fn demo_summary() -> Summary {
    let s = |x: &str| x.to_string();
    let versions = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
            (
                s("Anna's iPad"),
                s("iPad Air (5th generation)"),
                versions(&[
                    "live interrupted backup did not finish (SnapshotState = uploading) and nothing has been written for 8 days",
                    "live complete -",
                ])
            ),
            (
                s("Anna's iPhone"),
                s("iPhone 14 Pro"),
                versions(&[
                    "live complete -",
                    "live complete -",
                    "snapshot complete -",
                    "snapshot complete -",
                    "archive complete -",
                    "archive complete -",
                ])
            ),
            (
                s("Anna's old iPhone"),
                s("iPhone 11"),
                versions(&[
                    "live complete -",
                    "archive complete -",
                    "archive damaged Info.plist is not a readable plist (truncated or corrupt)",
                ])
            ),
            (
                s("Dad's iPhone 6"),
                s("iPhone 6"),
                versions(&["live complete -"])
            ),
        ]
}

#[test]
fn devices_without_name_or_model() {
    use backtop::library::{Device, Version, VersionKind};
    let mut v = Version::bare(Path::new("/r/x"), Path::new("/r"), VersionKind::Archive);
    v.problem = Some("Info.plist is missing".into());
    let device = |name: Option<&str>, model: Option<&str>, product: Option<&str>| Device {
        udid: "ABC".into(),
        name: name.map(str::to_string),
        product_type: product.map(str::to_string),
        model: model.map(str::to_string),
        ios: None,
        versions: vec![v.clone()],
    };
    let library = Library {
        roots: vec![],
        devices: vec![
            device(None, Some("iPhone 14 Pro"), Some("iPhone15,2")),
            device(None, Some("iPhone99,1"), Some("iPhone99,1")),
            device(None, None, None),
        ],
        unreadable: Vec::new(),
        damaged: vec![],
    };
    let text = render_text(&library, &jiff::tz::TimeZone::UTC);
    let headers: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .collect();
    assert_eq!(
        headers,
        vec![
            "iPhone 14 Pro (iPhone15,2)  iOS ?",
            "iPhone99,1  iOS ?",
            "unknown model  iOS ?"
        ]
    );
    assert!(text.contains("\n  date unknown          archive   iOS ?        damaged      not encrypted  /r/x\n      Info.plist is missing\n"));
}
