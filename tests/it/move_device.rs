//! `backtop move ROOT/<UDID> --to DEST` through the real binary: one device's backups leave a
//! root that keeps its other devices. Its live folder and its iMazing snapshots (hard-linked
//! to the live folder) move together, in one copy that keeps those links, to the same paths
//! under DEST, and each becomes a link to its copy; `--abort` after the switch puts it back,
//! and `move --back` brings it home.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::move_root::{assert_same, demo, snapshot, Lib};

/// The version folders `list --json` finds with `roots` given, DEST's paths written as the
/// root's.
fn versions(lib: &Lib, roots: &[&str]) -> Vec<String> {
    let mut args = Vec::new();
    for r in roots {
        args.extend(["--root", r]);
    }
    args.extend(["list", "--json"]);
    let (code, out, err) = lib.backtop(&args, &[]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out.replace(lib.dest_str(), lib.root_str())).unwrap();
    let mut paths: Vec<String> = v["devices"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["versions"].as_array().unwrap().iter())
        .map(|v| v["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    paths
}

fn link(path: &Path) -> Option<PathBuf> {
    std::fs::read_link(path).ok()
}

#[test]
fn one_device_moves_with_its_snapshots_rolls_back_and_comes_back() {
    let lib = demo();
    let (r, d) = (lib.root_str().to_string(), lib.dest_str().to_string());
    let snapshots = lib.root.join("iMazing.Versions/Versions");
    let udid = std::fs::read_dir(&snapshots)
        .unwrap()
        .flatten()
        .find(|e| e.path().is_dir())
        .unwrap()
        .file_name()
        .into_string()
        .unwrap();
    let device = lib.root.join(&udid);
    let snaps = snapshots.join(&udid);
    let dev = device.to_str().unwrap().to_string();
    let others: Vec<PathBuf> = std::fs::read_dir(&lib.root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && *p != device && !p.ends_with("iMazing.Versions"))
        .collect();
    assert!(!others.is_empty(), "the demo root has another device");
    let (before_dev, before_snaps) = (snapshot(&device), snapshot(&snaps));
    let same_as_before = |dev: &Path, snaps: &Path| {
        assert_same(&before_dev, dev);
        assert_same(&before_snaps, snaps);
    };
    let listed = versions(&lib, &[]);

    // The dry run names the device's folders.
    let (code, out, _) = lib.backtop(&["move", &dev, "--to", &d, "--dry-run"], &[]);
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..3],
        [
            format!(
                "will move one device's backups (3 versions) in {r} to {d}, its folders together:"
            ),
            format!("  {udid}"),
            format!("  iMazing.Versions/Versions/{udid}"),
        ]
    );
    assert!(
        out.contains(&format!(
            "then each of these folders becomes a link to its copy in {d}"
        )),
        "{out}"
    );

    // Stopped right after the switch: both folders are links into DEST; then rolled back.
    let (code, out, _) = lib.backtop(
        &["move", &dev, "--to", &d, "--yes"],
        &[("BACKTOP_FAULT_AFTER", "switch")],
    );
    assert_eq!(code, 1, "{out}");
    assert_eq!(link(&device), Some(lib.dest.join(&udid)));
    let far_snaps = lib.dest.join("iMazing.Versions/Versions").join(&udid);
    assert_eq!(link(&snaps), Some(far_snaps.clone()));
    assert_eq!(
        versions(&lib, &[&d]),
        listed,
        "every version once, from DEST"
    );
    let (code, out, err) = lib.backtop(&["move", &dev, "--abort"], &[]);
    assert_eq!(code, 0, "{out}{err}");
    same_as_before(&device, &snaps);
    assert!(!lib.dest.exists());

    // Away for good: the copies keep the links between the live folder and the snapshots.
    let (code, out, err) = lib.backtop(&["move", &dev, "--to", &d, "--yes"], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("the original was removed permanently"),
        "{out}"
    );
    assert_eq!(link(&device), Some(lib.dest.join(&udid)));
    assert_eq!(link(&snaps), Some(far_snaps.clone()));
    same_as_before(&lib.dest.join(&udid), &far_snaps);
    for other in &others {
        assert!(
            std::fs::symlink_metadata(other).unwrap().is_dir(),
            "{other:?} stays"
        );
    }
    assert_eq!(versions(&lib, &[&d]), listed);

    // Back: folders again, as they were.
    let (code, out, err) = lib.backtop(&["move", "--back", &dev, "--yes"], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!(
            "will move one device's backups (3 versions) from {d} back into {r}"
        )),
        "{out}"
    );
    same_as_before(&device, &snaps);
    assert!(std::fs::symlink_metadata(&device).unwrap().is_dir());
    assert!(!lib.dest.join(&udid).exists());
    assert_eq!(versions(&lib, &[]), listed);
}
