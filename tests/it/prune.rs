//! `backtop prune` on real folders: the dry run touches nothing, a confirmed run removes
//! exactly the plan, and the guards still hold.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use backtop::actions::trash_bin::TrashBin;
use backtop::commands::prune::{run_with, PruneArgs};
use backtop::commands::rm::Console;
use backtop::demo::{
    snapshot_name, write_backup, write_imazing_snapshot, write_versions_db, BackupSpec, FileSpec,
};
use backtop::library::{BackupState, Device, Library, Version, VersionKind};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const U: &str = "00008110-000A1B2C3D4E5F60";
const NOW: OffsetDateTime = datetime!(2024-07-01 0:00 UTC);

fn spec(date: OffsetDateTime) -> BackupSpec {
    let mut s = BackupSpec::new(U, "Ben's iPhone", "iPhone14,5");
    s.date = date;
    s.files = vec![
        FileSpec::new("HomeDomain", "Library/SMS/sms.db", 2048),
        FileSpec::new("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0002.JPG", 5000),
    ];
    s
}

fn version(path: &Path, root: &Path, kind: VersionKind, date: OffsetDateTime) -> Version {
    let mut v = Version::bare(path, root, kind);
    v.state = BackupState::Complete;
    v.date = Some(date);
    v.udid = Some(U.into());
    v.device_name = Some("Ben's iPhone".into());
    v
}

/// Finder root: live (3 d), archives 60 d and 200 d. iMazing root: live (1 d), snapshots
/// 30 d and 120 d (hard-linked to the live one), both listed in Versions.db.
fn library(base: &Path) -> (Library, Vec<PathBuf>) {
    let finder = base.join("MobileSync/Backup");
    let imazing = base.join("iMazing/Backups");
    let ago = |d| NOW - Duration::days(d);
    let mut versions = Vec::new();
    for (name, days) in [
        (U.to_string(), 3),
        (format!("{U}-20240502-000000"), 60),
        (format!("{U}-20231214-000000"), 200),
    ] {
        let p = finder.join(&name);
        write_backup(&p, &spec(ago(days))).unwrap();
        let kind = if name == U {
            VersionKind::Live
        } else {
            VersionKind::Archive
        };
        versions.push(version(&p, &finder, kind, ago(days)));
    }
    let live = imazing.join(U);
    write_backup(&live, &spec(ago(1))).unwrap();
    versions.push(version(&live, &imazing, VersionKind::Live, ago(1)));
    let dev = imazing.join("iMazing.Versions/Versions").join(U);
    let names: Vec<String> = [30, 120].iter().map(|d| snapshot_name(ago(*d))).collect();
    for (name, days) in names.iter().zip([30, 120]) {
        let changed = [FileSpec::new(
            "HomeDomain",
            "Library/SMS/sms.db",
            1000 + days as u64,
        )];
        let p = dev.join(name);
        write_imazing_snapshot(&live, &p, &spec(ago(days)), &changed).unwrap();
        versions.push(version(
            &p,
            &imazing,
            VersionKind::ImazingSnapshot,
            ago(days),
        ));
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    write_versions_db(&dev, &refs).unwrap();
    versions.sort_by_key(|v| std::cmp::Reverse(v.date));
    let lib = Library {
        roots: Vec::new(),
        devices: vec![Device {
            udid: U.into(),
            name: Some("Ben's iPhone".into()),
            product_type: None,
            model: None,
            ios: None,
            versions,
        }],
        unreadable: Vec::new(),
        damaged: Vec::new(),
    };
    (lib, vec![finder, imazing])
}

fn listing(dir: &Path) -> BTreeSet<(PathBuf, u64, u64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            let mtime = m
                .modified()
                .unwrap()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs();
            (
                e.path().to_path_buf(),
                if m.is_file() { m.len() } else { 0 },
                mtime,
            )
        })
        .collect()
}

fn prune(lib: &Library, args: &PruneArgs, input: Option<&str>) -> (i32, String) {
    let mut out = Vec::new();
    let mut bytes = input.map(|s| s.as_bytes());
    let mut console = Console {
        out: &mut out,
        input: bytes.as_mut().map(|b| b as &mut dyn io::BufRead),
        freed: None,
        trash: TrashBin::System,
    };
    let code = run_with(lib, args, NOW, &mut console).unwrap();
    (code, String::from_utf8(out).unwrap())
}

#[test]
fn dry_run_touches_nothing_and_lists_the_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let (lib, _) = library(&base);
    let before = listing(&base);
    let args = PruneArgs {
        keep: Some(2),
        older_than: Some("45d".into()),
        dry_run: true,
        permanent: true,
        yes: true,
        ..Default::default()
    };
    let (code, text) = prune(&lib, &args, None);
    assert_eq!(code, 0);
    assert_eq!(listing(&base), before);
    let would: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "would delete:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    let name = |p: &str| p.to_string();
    let s120 = snapshot_name(NOW - Duration::days(120));
    assert_eq!(would.len(), 3, "{text}");
    assert!(
        would[0].ends_with(&name(&format!(
            "{U}-20240502-000000  number 4 by date, 60 days old"
        ))),
        "{text}"
    );
    assert!(
        would[1].ends_with(&format!("{s120}  number 5 by date, 120 days old")),
        "{text}"
    );
    assert!(
        would[2].ends_with(&format!(
            "{U}-20231214-000000  number 6 by date, 200 days old"
        )),
        "{text}"
    );

    let json_args = PruneArgs {
        json: true,
        ..args.clone()
    };
    let (code, text) = prune(&lib, &json_args, None);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["remove"].as_array().unwrap().len(), 3);
    assert_eq!(doc["keep"].as_array().unwrap().len(), 3);
    assert_eq!(doc["remove"][1]["kind"], "imazing_snapshot");
    // What only the removed versions hold: each is dated differently, so each of their
    // copies of sms.db (2,048, 1,120, 2,048 B) and of the photo (5,000 B) is lost, while a
    // kept version has another copy of both files.
    assert_eq!(
        doc["only_in_removed"],
        serde_json::json!({
            "files": 6, "bytes": 20216, "other_copy_files": 6,
            "by_category": {
                "messages": {"files": 3, "bytes": 5216, "other_copy_files": 3},
                "photos": {"files": 3, "bytes": 15000, "other_copy_files": 3}
            },
            "unread_removed": [], "unread_kept": []
        })
    );
    assert_eq!(
        text_loss_line(&lib, &args),
        "only in these versions: 6 files (20.2 kB), 6 of them kept in another copy: \
         Photos & videos 3 (15 kB), Messages 3 (5.2 kB)"
    );
    assert_eq!(listing(&base), before);

    let ro = PruneArgs {
        read_only: true,
        ..args.clone()
    };
    assert_eq!(
        prune(&lib, &ro, None).0,
        0,
        "a dry run is allowed in read-only mode"
    );
}

#[test]
fn a_confirmed_prune_removes_exactly_the_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let (lib, roots) = library(&base);
    let args = PruneArgs {
        keep: Some(3),
        permanent: true,
        ..Default::default()
    };

    let before = listing(&base);
    assert_eq!(
        prune(
            &lib,
            &PruneArgs {
                read_only: true,
                ..args.clone()
            },
            Some("y\n")
        )
        .0,
        2
    );
    assert_eq!(prune(&lib, &args, None).0, 2, "no terminal and no --yes");
    let (code, text) = prune(&lib, &args, Some("no\n"));
    assert_eq!(code, 3, "{text}");
    assert!(
        text.contains("warning: iMazing's Versions.db still lists this snapshot"),
        "{text}"
    );
    assert_eq!(listing(&base), before);

    let (code, text) = prune(&lib, &args, Some("y\n"));
    assert_eq!(code, 0, "{text}");
    let left: Vec<PathBuf> = lib.devices[0]
        .versions
        .iter()
        .map(|v| v.path.clone())
        .filter(|p| p.exists())
        .collect();
    let s30 = roots[1]
        .join("iMazing.Versions/Versions")
        .join(U)
        .join(snapshot_name(NOW - Duration::days(30)));
    assert_eq!(left, vec![roots[1].join(U), roots[0].join(U), s30]);
    // The iMazing live backup still has every file, though snapshots shared them by hard links.
    let live = roots[1].join(U);
    let report = backtop::actions::verify::verify(&lib.devices[0].versions[0], |_| {});
    assert!(report.ok, "{report:?}");
    assert!(live.join("Manifest.db").is_file());
    assert!(backtop::actions::marker::find_markers(&roots).is_empty());
}

#[test]
fn prune_needs_a_policy_and_a_valid_age() {
    let lib = Library::default();
    let (code, text) = prune(&lib, &PruneArgs::default(), None);
    assert_eq!(
        (code, text.as_str()),
        (
            2,
            "give a policy: --keep N and/or --older-than AGE (e.g. --keep 3 --older-than 90d)\n"
        )
    );
    let bad = PruneArgs {
        older_than: Some("3 months".into()),
        ..Default::default()
    };
    let (code, text) = prune(&lib, &bad, None);
    assert_eq!(
        (code, text.as_str()),
        (
            2,
            "--older-than \"3 months\": unknown unit \" months\"; use d, w, m or y (e.g. 90d)\n"
        )
    );
}

#[test]
fn rm_of_a_listed_snapshot_needs_the_prompt_or_force() {
    use backtop::commands::rm::{run_with as rm, RmOptions};
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let (lib, roots) = library(&base);
    let snap = roots[1]
        .join("iMazing.Versions/Versions")
        .join(U)
        .join(snapshot_name(NOW - Duration::days(120)));
    let run = |opts: RmOptions| {
        let mut out = Vec::new();
        let mut console = Console {
            out: &mut out,
            input: None,
            freed: None,
            trash: TrashBin::System,
        };
        let code = rm(&lib, std::slice::from_ref(&snap), &opts, &mut console).unwrap();
        (code, String::from_utf8(out).unwrap())
    };
    let yes = RmOptions {
        yes: true,
        permanent: true,
        ..Default::default()
    };
    let (code, text) = run(yes);
    assert_eq!(code, 2);
    assert!(
        text.starts_with(&format!(
            "refused: {}: iMazing's Versions.db still lists this snapshot (table ",
            snap.display()
        )),
        "{text}"
    );
    assert!(snap.is_dir());
    // What deleting it frees: only files whose every link is inside (not those shared with
    // the live backup by hard links).
    #[cfg(unix)]
    let expected = {
        use std::os::unix::fs::MetadataExt;
        let files: Vec<std::fs::Metadata> = walkdir::WalkDir::new(&snap)
            .into_iter()
            .map(|e| e.unwrap().metadata().unwrap())
            .filter(|m| m.is_file())
            .collect();
        assert!(
            files.iter().any(|m| m.nlink() > 1),
            "the snapshot shares files"
        );
        let unique: u64 = files
            .iter()
            .filter(|m| m.nlink() == 1)
            .map(|m| m.len())
            .sum();
        format!(
            ": removed {} files ({})\n",
            files.len(),
            humansize::format_size(unique, humansize::DECIMAL)
        )
    };
    let (code, text) = run(RmOptions { force: true, ..yes });
    #[cfg(unix)]
    assert!(text.ends_with(&expected), "{text}\nwanted {expected}");
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("    warning: iMazing's Versions.db still lists this snapshot"),
        "{text}"
    );
    assert!(!snap.exists());
    assert!(roots[1].join(U).join("Manifest.db").is_file());
}

#[test]
fn the_plan_shows_what_it_frees_when_sizes_are_known() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let (lib, _) = library(&base);
    let asked = std::cell::RefCell::new(Vec::new());
    let freed = |paths: &[PathBuf]| {
        asked.borrow_mut().push(paths.len());
        Some(paths.len() as u64 * 1024)
    };
    let run = |args: &PruneArgs| {
        let mut out = Vec::new();
        let mut console = Console {
            out: &mut out,
            input: None,
            freed: Some(&freed),
            trash: TrashBin::System,
        };
        let code = run_with(&lib, args, NOW, &mut console).unwrap();
        (code, String::from_utf8(out).unwrap())
    };
    let dry = PruneArgs {
        older_than: Some("100d".into()),
        dry_run: true,
        ..Default::default()
    };
    let (code, text) = run(&dry);
    assert_eq!(code, 0);
    assert!(
        text.contains("frees 2.05 kB (hard links counted once)\nonly in these versions: "),
        "{text}"
    );
    let (_, text) = run(&PruneArgs {
        json: true,
        ..dry.clone()
    });
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["freed_bytes"], 2048);
    // Without --yes and without a terminal the plan is shown (trash wording), nothing goes.
    let (code, text) = run(&PruneArgs {
        dry_run: false,
        ..dry
    });
    assert_eq!(code, 2);
    assert!(
        text.contains("frees 2.05 kB once the Trash is emptied (trashed data still uses the volume until the Trash is emptied)\n"),
        "{text}"
    );
    assert_eq!(*asked.borrow(), vec![2, 2, 2]);
}

#[test]
fn skipped_versions_make_exit_code_1_and_nothing_left_asks_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let (lib, roots) = library(&base);
    let args = PruneArgs {
        keep: Some(3),
        permanent: true,
        ..Default::default()
    };
    // Both archives vanish after discovery: the guards refuse them (not found).
    let archives = [
        roots[0].join(format!("{U}-20240502-000000")),
        roots[0].join(format!("{U}-20231214-000000")),
    ];
    for a in &archives {
        std::fs::remove_dir_all(a).unwrap();
    }
    let (code, text) = prune(&lib, &args, Some("y\n"));
    assert_eq!(code, 1, "{text}");
    for a in &archives {
        let line = format!("skipped: {}: no such file or folder\n", a.display());
        assert!(text.contains(&line), "{text}");
    }
    assert!(text.contains("Delete 1 version? [y/N] "), "{text}");
    let s120 = roots[1]
        .join("iMazing.Versions/Versions")
        .join(U)
        .join(snapshot_name(NOW - Duration::days(120)));
    assert!(!s120.exists(), "the one left was deleted");

    let (code, text) = prune(&lib, &args, Some("y\n"));
    assert_eq!(code, 1, "{text}");
    assert!(!text.contains("Delete 0"), "{text}");
    assert!(
        text.ends_with("every version to prune was skipped; nothing was deleted\n"),
        "{text}"
    );
}

/// The dry run's line on what only the removed versions hold.
fn text_loss_line(lib: &Library, args: &PruneArgs) -> String {
    let (_, text) = prune(lib, args, None);
    text.lines()
        .filter(|l| l.starts_with("only in") || l.starts_with("every file"))
        .collect()
}
