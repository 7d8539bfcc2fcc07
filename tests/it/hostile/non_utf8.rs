//! Non-UTF-8 names (issue 11, item 3): a version folder whose name is not UTF-8 made `du
//! --json` panic and `verify --json` exit 4 with no report at all. Now every `--json` output
//! carries such a path as lossy text plus its raw bytes (`path_bytes`), and nothing else of
//! the output is lost.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

use serde_json::Value;

use backtop::demo::damaged::healthy_spec;
use backtop::demo::write_backup;
use backtop::library::ManifestFormat;

use crate::support::cli::run_within;

const ODD: &[u8] = b"iPhone-caf\xe9";

#[test]
fn json_outputs_carry_a_non_utf8_folder_as_text_and_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("lib");
    let odd = root.join(OsStr::from_bytes(ODD));
    let spec = |n: &str| healthy_spec(&format!("{n:0>40}"), n, ManifestFormat::Db);
    write_backup(&odd, &spec("1")).unwrap();
    write_backup(&root.join("plain"), &spec("2")).unwrap();
    let r = root.to_str().unwrap();
    let mut raw = root.as_os_str().as_bytes().to_vec();
    raw.push(b'/');
    raw.extend_from_slice(ODD);
    for command in ["list", "du", "verify"] {
        let out = run_within(
            tmp.path(),
            &["--only", "--root", r, "--no-cache", command, "--json"],
            Duration::from_secs(60),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let text = doc.to_string();
        assert!(
            text.contains(&format!("{r}/iPhone-caf\u{FFFD}")),
            "{command}: {text}"
        );
        assert!(
            text.contains(&format!(
                "\"path_bytes\":{}",
                serde_json::to_string(&raw).unwrap()
            )),
            "{command}: {text}"
        );
        assert!(text.contains(&format!("{r}/plain")), "{command}: {text}");
        assert_eq!(text.matches("path_bytes").count(), 1, "{command}: {text}");
    }
}

/// A root whose own name is not UTF-8: `roots --json` failed ("path contains invalid UTF-8
/// characters"), `prune --json` and `move --json` panicked, a permanent delete inside it was
/// refused (its marker note could not be written), the size cache was thrown away as damaged
/// at every run, and a move could not write its journal. Now each works, and each JSON path
/// of the root carries its raw bytes.
#[test]
fn a_root_with_a_non_utf8_name_is_listed_pruned_deleted_cached_and_moved() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join(OsStr::from_bytes(b"Backup-\xe9t\xe9"));
    let udid = format!("{:0>40}", "7");
    let live = healthy_spec(&udid, "Phone", ManifestFormat::Db);
    let mut old = live.clone();
    old.date -= time::Duration::days(40);
    write_backup(&root.join(&udid), &live).unwrap();
    let archive = root.join(format!("{udid}-20250101-000000"));
    write_backup(&archive, &old).unwrap();
    let raw = serde_json::to_string(&root.as_os_str().as_bytes()).unwrap();
    let run = |args: &[&OsStr]| {
        let mut all: Vec<&OsStr> = vec!["--only".as_ref(), "--root".as_ref(), root.as_os_str()];
        all.extend_from_slice(args);
        run_within(tmp.path(), &all, Duration::from_secs(120))
    };
    let os = |s: &'static str| OsStr::new(s);
    for (args, key) in [
        (vec![os("roots"), os("--json")], "path_bytes"),
        (
            vec![
                os("prune"),
                os("--older-than"),
                os("7d"),
                os("--dry-run"),
                os("--json"),
            ],
            "path_bytes",
        ),
        (
            vec![
                os("move"),
                root.as_os_str(),
                os("--to"),
                tmp.path().join("far").as_os_str(),
                os("--dry-run"),
                os("--json"),
            ],
            "root_bytes",
        ),
    ] {
        let out = run(&args);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            doc.to_string()
                .contains(&format!("\"{key}\":{}", &raw[..raw.len() - 1])),
            "{args:?}: {doc}"
        );
    }

    let out = run(&[
        os("rm"),
        os("--permanent"),
        os("--yes"),
        archive.as_os_str(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!archive.exists());

    for round in 0..2 {
        let out = run(&[os("du")]);
        assert_eq!(out.status.code(), Some(0));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("ignored"), "run {round}: {err}");
    }

    let far = tmp.path().join("far");
    let out = run(&[
        os("move"),
        root.as_os_str(),
        os("--to"),
        far.as_os_str(),
        os("--yes"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(root.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(far.join(&udid).join("Manifest.db").is_file());
    let out = run(&[os("move"), os("--back"), root.as_os_str(), os("--yes")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(root.symlink_metadata().unwrap().is_dir());
    assert!(root.join(&udid).join("Manifest.db").is_file());
    assert!(!far.exists());
}
