//! The demo library's versions diff as a phone's would: a file keeps its mtime from version to
//! version, so only the files whose size differs are changed (not every file, as when each
//! version's rows were dated from its own backup date).

use std::time::Duration;

use serde_json::Value;

use crate::support::cli::{run_within, small_demo};

#[test]
fn two_versions_of_the_demo_iphone_share_their_unchanged_files() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib");
    small_demo(&lib);
    let home = lib.to_str().unwrap();
    let run = |args: &[&str]| -> Value {
        let all = [&["--only", "--home", home, "--no-cache"][..], args].concat();
        let out = run_within(tmp.path(), &all, Duration::from_secs(60));
        serde_json::from_slice(&out.stdout).expect("one JSON document")
    };
    let list = run(&["list", "--json"]);
    let iphone = list["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Anna's iPhone")
        .expect("the demo iPhone");
    let complete: Vec<&str> = iphone["versions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["state"] == "complete")
        .filter_map(|v| v["path"].as_str())
        .collect();
    // A snapshot against the live backup, an archive against the other live one.
    for (old, new) in [(complete[2], complete[0]), (complete[4], complete[1])] {
        let diff = run(&["diff", old, new, "--files", "--json"]);
        let unchanged = diff["unchanged"]["files"].as_u64().unwrap();
        let changed = diff["changed"]["files"].as_u64().unwrap();
        assert!(
            unchanged > 4 * changed.max(1),
            "{old} -> {new}: {unchanged} unchanged, {changed} changed"
        );
        for f in diff["files"].as_array().unwrap() {
            if f["change"] == "changed" {
                assert_ne!(f["old_size"], f["new_size"], "{f}");
            }
        }
    }
}
