//! `list`, `du`, `verify` and `roots` over the damaged corpus ([`backtop::demo::damaged`]):
//! each answers within a time bound, the healthy version is listed and sized exactly, and each
//! damaged version has its reason. Before the bounded plist reader a 100,000-deep `Info.plist`
//! aborted every command (exit 134); a FIFO `Manifest.db` hung `du` and `verify`; an
//! `Info.plist` linked to `/dev/zero` made `verify` read forever.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use backtop::demo::damaged::{build_damaged, DamagedLibrary};

use crate::support::cli::run_within;

/// Generous for a debug build on a busy machine; a hang is forever.
const LIMIT: Duration = Duration::from_secs(60);

fn corpus(tmp: &Path) -> DamagedLibrary {
    build_damaged(&tmp.join("lib")).unwrap()
}

/// Runs `backtop --only --root LIB --no-cache ARGS` and parses its JSON.
fn json_of(tmp: &Path, lib: &DamagedLibrary, args: &[&str]) -> (Option<i32>, Value) {
    let root = lib.root.display().to_string();
    let mut all = vec!["--only", "--root", root.as_str(), "--no-cache"];
    all.extend_from_slice(args);
    let out = run_within(tmp, &all, LIMIT);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: {e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), doc)
}

/// Every version of a `list --json` or `du --json` document, by folder name.
fn versions(doc: &Value) -> Vec<&Value> {
    let devices = doc["devices"].as_array().unwrap();
    let mut all: Vec<&Value> = devices
        .iter()
        .flat_map(|d| d["versions"].as_array().unwrap())
        .collect();
    all.extend(doc["damaged"].as_array().unwrap());
    all
}

/// The version of a `list --json` or `du --json` document at `path` (lossy, as JSON has it).
fn by_path<'a>(doc: &'a Value, path: &Path) -> &'a Value {
    let want = path.to_string_lossy();
    versions(doc)
        .into_iter()
        .find(|v| v["path"].as_str() == Some(&*want))
        .unwrap_or_else(|| panic!("{want} is not listed"))
}

fn by_name<'a>(doc: &'a Value, name: &str) -> &'a Value {
    versions(doc)
        .into_iter()
        .find(|v| v["folder_name"] == name)
        .unwrap_or_else(|| panic!("{name} is not listed"))
}

/// The report of `verify --json` whose path ends with `name` (`/healthy`).
pub(super) fn verify_report<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with(name)))
        .unwrap_or_else(|| panic!("no report for {name}"))
}

#[test]
fn list_gives_every_damaged_version_its_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = corpus(tmp.path());
    assert!(lib.cases.len() >= 26, "{}", lib.cases.len());
    let (code, doc) = json_of(tmp.path(), &lib, &["list", "--json"]);
    assert_eq!(code, Some(0));
    assert_eq!(versions(&doc).len(), lib.cases.len() + 1 + lib.odd.len());
    assert_eq!(by_name(&doc, "healthy")["state"], "complete");
    assert!(lib.odd.len() >= 2, "{:?}", lib.odd);
    for odd in &lib.odd {
        let v = by_path(&doc, &odd.path);
        assert_eq!(v["state"], "complete", "{}: {v}", odd.what);
        assert_eq!(v["problem"], Value::Null, "{}", odd.what);
        assert_eq!(v["encrypted"], false, "{}", odd.what);
    }
    for case in &lib.cases {
        let v = by_name(&doc, case.name);
        assert_eq!(v["state"], "damaged", "{}", case.name);
        let problem = v["problem"].as_str().unwrap_or_default();
        assert!(problem.contains(case.reason), "{}: {problem}", case.name);
    }
}

#[test]
fn verify_reports_every_damaged_version_and_passes_the_healthy_one() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = corpus(tmp.path());
    let (code, doc) = json_of(tmp.path(), &lib, &["verify", "--json"]);
    assert_eq!(code, Some(1));
    let report = |name: &str| verify_report(&doc, name);
    assert_eq!(report("/healthy")["ok"], true);
    assert_eq!(report("/healthy")["rows_checked"], 9);
    for case in &lib.cases {
        let r = report(&format!("/{}", case.name));
        assert_eq!(r["ok"], false, "{}", case.name);
        let said = r["problems"].to_string();
        assert!(said.contains(case.reason), "{}: {said}", case.name);
    }
    for odd in &lib.odd {
        let want = odd.path.to_string_lossy();
        let r = doc["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"].as_str() == Some(&*want))
            .unwrap_or_else(|| panic!("no report for {want}"));
        let said = r["problems"].to_string();
        match odd.verify_says {
            None => assert_eq!(r["ok"], true, "{}: {said}", odd.what),
            Some(words) => assert!(said.contains(words), "{}: {said}", odd.what),
        }
        assert_eq!(r["rows_checked"], 9, "{}", odd.what);
    }
    // The link to the healthy version's Manifest.db was not followed: no false "missing" rows.
    let linked = report("/manifest-db-to-healthy")["problems"].to_string();
    assert!(!linked.contains("missing_file"), "{linked}");
}

#[test]
fn du_sizes_the_healthy_version_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = corpus(tmp.path());
    let (code, doc) = json_of(tmp.path(), &lib, &["du", "--json"]);
    assert_eq!(code, Some(0));
    let healthy = by_name(&doc, "healthy");
    assert_eq!(
        healthy["bytes"],
        lib.healthy.content_bytes + lib.healthy.metadata_bytes
    );
    assert_eq!(healthy["categories"]["photos"], 10_000);
    assert_eq!(healthy["categories"]["messages"], 3_000);
    assert_eq!(healthy["categories"]["whatsapp"], 500);
    assert_eq!(healthy["error"], Value::Null);
    for case in &lib.cases {
        let v = by_name(&doc, case.name);
        assert!(
            v["bytes"].is_u64() || v["error"].is_string(),
            "{}: {v}",
            case.name
        );
    }
    for odd in &lib.odd {
        let v = by_path(&doc, &odd.path);
        assert_eq!(v["categories"]["photos"], 10_000, "{}", odd.what);
        assert_eq!(v["categories"]["messages"], 3_000, "{}", odd.what);
        assert_eq!(v["categories"]["whatsapp"], 500, "{}", odd.what);
        assert_eq!(v["error"], Value::Null, "{}", odd.what);
    }
    let fifo = by_name(&doc, "fifo-manifest-db")["errors"].to_string();
    assert!(fifo.contains("is not a regular file"), "{fifo}");
}

#[test]
fn roots_counts_every_version() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = corpus(tmp.path());
    let (code, doc) = json_of(tmp.path(), &lib, &["roots", "--json"]);
    assert_eq!(code, Some(0));
    assert_eq!(doc["roots"][0]["status"], "ok");
    assert_eq!(
        doc["roots"][0]["backups"],
        lib.cases.len() + 1 + lib.odd.len()
    );
}
