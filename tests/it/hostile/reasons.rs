//! Wrong or missing reasons (issue 11, item 6): a `Manifest.mbdb` with a valid header and no
//! records was "complete"; `IsEncrypted = "yes"` (a string) counted as encrypted; `--keep 0`
//! silently acted as `--keep 1`.

use std::time::Duration;

use backtop::demo::damaged::healthy_spec;
use backtop::demo::write_backup;
use backtop::library::discover::discover_library;
use backtop::library::{BackupState, ManifestFormat, Root, RootOrigin};
use time::macros::datetime;

use crate::support::cli::run_within;

fn udid(n: u8) -> String {
    format!("{n:0>40}")
}

/// The library backtop finds in the root `dir`.
fn discovered(dir: &std::path::Path) -> backtop::library::Library {
    let root = Root {
        path: dir.to_path_buf(),
        origin: RootOrigin::Flag,
        owner: None,
        app: "test",
    };
    discover_library(&[root], datetime!(2026-11-20 10:00 UTC))
}

#[test]
fn an_mbdb_with_only_its_header_is_damaged_and_a_string_is_encrypted_is_no_claim() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("header-only");
    write_backup(&empty, &healthy_spec(&udid(1), "Old", ManifestFormat::Mbdb)).unwrap();
    std::fs::write(empty.join("Manifest.mbdb"), backtop::demo::MBDB_MAGIC).unwrap();
    let yes = tmp.path().join("yes-string");
    write_backup(&yes, &healthy_spec(&udid(2), "Yes", ManifestFormat::Db)).unwrap();
    let plist = yes.join("Manifest.plist");
    let mut dict = plist::Value::from_file(&plist)
        .unwrap()
        .into_dictionary()
        .unwrap();
    dict.insert("IsEncrypted".into(), "yes".into());
    plist::Value::Dictionary(dict).to_file_xml(&plist).unwrap();

    let library = discovered(tmp.path());
    let all: Vec<_> = library.versions().collect();
    let header_only = all.iter().find(|v| v.path == empty).unwrap();
    assert_eq!(header_only.state, BackupState::Damaged);
    assert_eq!(
        header_only.problem.as_deref(),
        Some("Manifest.mbdb holds no records (only its header)")
    );
    let yes = all.iter().find(|v| v.path == yes).unwrap();
    assert!(!yes.encrypted);
    assert_eq!(yes.state, BackupState::Complete);
}

#[test]
fn keep_zero_is_refused_not_read_as_one() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("lib");
    write_backup(
        &root.join("a"),
        &healthy_spec(&udid(3), "A", ManifestFormat::Db),
    )
    .unwrap();
    let r = root.to_str().unwrap();
    let out = run_within(
        tmp.path(),
        &["--only", "--root", r, "prune", "--keep", "0", "--yes"],
        Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--keep 0 would keep nothing"), "{text}");
    assert!(root.join("a").is_dir());
}

/// A `SnapshotState` that is a number, not a string: `list` says its value, and `verify` said
/// "Status.plist has no SnapshotState", a wrong reason; both now name the value.
#[test]
fn a_snapshot_state_that_is_a_number_is_named_not_called_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("seven");
    write_backup(&dir, &healthy_spec(&udid(4), "Seven", ManifestFormat::Db)).unwrap();
    let plist = dir.join("Status.plist");
    let mut status = plist::Value::from_file(&plist).unwrap();
    let dict = status.as_dictionary_mut().unwrap();
    dict.insert("SnapshotState".into(), plist::Value::Integer(7.into()));
    status.to_file_xml(&plist).unwrap();
    let library = discovered(tmp.path());
    let version = library.versions().find(|v| v.path == dir).unwrap();
    let report = backtop::actions::verify::verify(version, |_| {});
    let said: Vec<String> = report
        .problems
        .iter()
        .flat_map(|p| p.examples.clone())
        .collect();
    assert_eq!(
        said,
        ["Status.plist SnapshotState is \"7\", not \"finished\""]
    );
}
