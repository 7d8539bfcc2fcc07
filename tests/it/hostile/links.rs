//! No file of a backup is read through a symbolic link (issue 11, item 5), and SQLite opens
//! Manifest.db with `SQLITE_OPEN_NOFOLLOW`: a version whose Manifest.db links to another
//! version's database is refused with the same reason by `list`, `du`, `verify` and `ls`, while
//! a root reached through a link (a Backup folder moved to another drive) works as usual.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use backtop::demo::damaged::healthy_spec;
use backtop::demo::write_backup;
use backtop::library::ManifestFormat;

use super::corpus::verify_report;
use crate::support::cli::run_within;

const LIMIT: Duration = Duration::from_secs(60);
const REASON: &str = "Manifest.db is a symbolic link (not followed)";

/// `tmp/linked` → `tmp/drive/lib`, holding `healthy` and `borrower` (its Manifest.db a link to
/// the healthy one's). Returns the root as given (through the link) and the healthy bytes.
fn library(tmp: &Path) -> (String, u64) {
    let lib = tmp.join("drive/lib");
    let healthy = write_backup(
        &lib.join("healthy"),
        &healthy_spec(&format!("{:0>40}", 1), "Healthy", ManifestFormat::Db),
    )
    .unwrap();
    let borrower = lib.join("borrower");
    write_backup(
        &borrower,
        &healthy_spec(&format!("{:0>40}", 2), "Borrower", ManifestFormat::Db),
    )
    .unwrap();
    std::fs::remove_file(borrower.join("Manifest.db")).unwrap();
    std::os::unix::fs::symlink("../healthy/Manifest.db", borrower.join("Manifest.db")).unwrap();
    let linked = tmp.join("linked");
    std::os::unix::fs::symlink(&lib, &linked).unwrap();
    (
        linked.display().to_string(),
        healthy.content_bytes + healthy.metadata_bytes,
    )
}

fn run(tmp: &Path, root: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["--only", "--root", root, "--no-cache"];
    all.extend_from_slice(args);
    let out = run_within(tmp, &all, LIMIT);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn version<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let devices = doc["devices"].as_array().unwrap();
    devices
        .iter()
        .flat_map(|d| d["versions"].as_array().unwrap())
        .chain(doc["damaged"].as_array().unwrap())
        .find(|v| v["folder_name"] == name)
        .unwrap_or_else(|| panic!("{name} is not listed: {doc}"))
}

#[test]
fn a_linked_manifest_db_is_refused_by_every_command_and_a_linked_root_is_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, healthy_bytes) = library(tmp.path());

    let (code, out, _) = run(tmp.path(), &root, &["list", "--json"]);
    assert_eq!(code, Some(0));
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(version(&doc, "healthy")["state"], "complete");
    assert_eq!(version(&doc, "borrower")["state"], "damaged");
    assert_eq!(version(&doc, "borrower")["problem"], REASON);

    let (code, out, _) = run(tmp.path(), &root, &["du", "--json"]);
    assert_eq!(code, Some(0));
    let doc: Value = serde_json::from_str(&out).unwrap();
    let healthy = version(&doc, "healthy");
    assert_eq!(healthy["bytes"], healthy_bytes);
    assert_eq!(healthy["categories"]["photos"], 10_000);
    let borrower = version(&doc, "borrower");
    let errors = borrower["errors"].to_string();
    assert!(
        errors.contains("borrower/Manifest.db: is a symbolic link (not followed)"),
        "{errors}"
    );
    // Nothing of the healthy version's database was used for the borrower's categories.
    assert_eq!(borrower["categories"]["photos"], 0);
    assert_eq!(borrower["categories"]["messages"], 0);

    let (code, out, _) = run(tmp.path(), &root, &["verify", "--json"]);
    assert_eq!(code, Some(1));
    let doc: Value = serde_json::from_str(&out).unwrap();
    let report = |name: &str| verify_report(&doc, name);
    assert_eq!(report("/healthy")["ok"], true);
    assert_eq!(report("/healthy")["rows_checked"], 9);
    let said = report("/borrower")["problems"].to_string();
    assert!(said.contains(REASON), "{said}");
    assert!(!said.contains("missing_file"), "{said}");

    let healthy_dir = format!("{root}/healthy");
    let (code, out, err) = run(tmp.path(), &root, &["ls", &healthy_dir]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("CameraRollDomain/"), "{out}");
    let borrower_dir = format!("{root}/borrower");
    let (code, out, err) = run(tmp.path(), &root, &["ls", &borrower_dir]);
    assert_eq!(code, Some(4));
    assert_eq!(out, "");
    // The reason once, naming the file by its real path (anyhow's chain used to repeat it).
    let real = std::fs::canonicalize(&borrower_dir).unwrap();
    assert_eq!(
        err.trim_end(),
        format!(
            "backtop: {}/Manifest.db: is a symbolic link (not followed)",
            real.display()
        )
    );
}
