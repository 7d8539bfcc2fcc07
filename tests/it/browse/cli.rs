//! `backtop ls` and `backtop export` through the real binary, on demo versions in a temp root
//! (HOME and XDG folders point into the temp folder too).

use std::path::Path;
use std::process::Output;

use backtop::demo::{content_bytes, file_id, write_backup};
use backtop::library::ManifestFormat;
use serde_json::Value;

use super::fixture::{self, UDID};
use crate::support::cli::run_within;
use std::time::Duration;

/// `backtop --only --root TMP/root ARGS`, with HOME and XDG folders under `tmp`.
fn backtop(tmp: &Path, args: &[&str]) -> Output {
    let root = tmp.join("root");
    let root = root.to_str().expect("a UTF-8 temp path");
    let all: Vec<&str> = ["--only", "--root", root]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    run_within(tmp, &all, Duration::from_secs(120))
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The test phone as `root/<UDID>`, in `format`; returns its path as text.
fn phone(tmp: &Path, format: ManifestFormat) -> String {
    fixture::write(&tmp.join("root"), format)
        .display()
        .to_string()
}

#[test]
fn ls_lists_domains_then_folders_as_text_and_json() {
    let tmp = tempfile::tempdir().unwrap();
    let version = phone(tmp.path(), ManifestFormat::Db);
    let out = backtop(tmp.path(), &["ls", &version]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = text
        .lines()
        .map(|l| l.rsplit("  ").next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "AppDomain-com.spotify.client/",
            "AppDomainGroup-group.com.spotify.client/",
            "CameraRollDomain/",
            "HomeDomain/",
            "MediaDomain/",
        ]
    );
    let out = backtop(
        tmp.path(),
        &["ls", &version, "MediaDomain/Media/Recordings", "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json_of(&out);
    assert_eq!(doc["version"], version.as_str());
    assert_eq!(doc["locked"], false);
    let entries = doc["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let a = &entries[0];
    let keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["domain", "file_id", "files", "kind", "mtime", "path", "present", "size"]
    );
    assert_eq!(a["path"], "Media/Recordings/a.m4a");
    assert_eq!(
        a["file_id"],
        file_id("MediaDomain", "Media/Recordings/a.m4a")
    );
    assert_eq!(
        (a["kind"].as_str(), a["size"].as_u64()),
        (Some("file"), Some(999))
    );
    assert_eq!(a["present"], true);
    assert_eq!(entries[1]["present"], false, "gone.m4a is missing on disk");
    let out = backtop(
        tmp.path(),
        &["ls", &version, "HomeDomain", "--recursive", "--json"],
    );
    let all = json_of(&out)["entries"].as_array().unwrap().len();
    // Library, its SMS, Attachments, ab, Notes, Preferences folders and 4 files.
    assert_eq!(all, 10);
}

#[test]
fn a_version_is_named_by_udid_and_day_when_that_is_unique() {
    let tmp = tempfile::tempdir().unwrap();
    phone(tmp.path(), ManifestFormat::Mbdb);
    let out = backtop(
        tmp.path(),
        &[
            "ls",
            &format!("{UDID}@2024-06-01"),
            "CameraRollDomain",
            "-r",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("CameraRollDomain/Media/DCIM/100APPLE/IMG_0002.MOV"),
        "{text}"
    );
    let out = backtop(tmp.path(), &["ls", &format!("{UDID}@2024-06-02")]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("no version of that device is dated that day"),
        "{}",
        stderr(&out)
    );
    // A second version the same day: the path must tell them apart.
    let mut spec = fixture::spec(ManifestFormat::Db);
    spec.files.truncate(1);
    write_backup(
        &tmp.path()
            .join("root")
            .join(format!("{UDID}-20240601-130000")),
        &spec,
    )
    .unwrap();
    let out = backtop(tmp.path(), &["ls", &format!("{UDID}@2024-06-01")]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("2 versions that day; give one's path instead"),
        "{}",
        stderr(&out)
    );
    let out = backtop(tmp.path(), &["ls", "/no/such/folder"]);
    assert_eq!(out.status.code(), Some(4));
    let out = backtop(
        tmp.path(),
        &[
            "ls",
            &tmp.path().join("root").join(UDID).display().to_string(),
            "Nope",
        ],
    );
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("Nope: no such domain or path"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_encrypted_version_is_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let mut spec = fixture::spec(ManifestFormat::Db);
    spec.encrypted = true;
    let dir = tmp.path().join("root").join(UDID);
    write_backup(&dir, &spec).unwrap();
    let version = dir.display().to_string();
    let out = backtop(tmp.path(), &["ls", &version, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json_of(&out);
    assert_eq!(doc["locked"], true);
    assert!(doc["reason"]
        .as_str()
        .unwrap()
        .starts_with("the backup is encrypted"));
    let out = backtop(tmp.path(), &["export", &version, "--to", "x", "--json"]);
    assert_eq!(out.status.code(), Some(4));
    // In JSON mode the error is the documented error object on stdout, and text on stderr.
    let error = json_of(&out);
    assert_eq!(error["error"]["exit_code"], 4);
    assert!(error["error"]["message"]
        .as_str()
        .unwrap()
        .contains("locked: the backup is encrypted"));
    assert!(
        stderr(&out).contains("locked: the backup is encrypted"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn export_writes_files_and_exits_by_what_it_could_write() {
    for format in [ManifestFormat::Db, ManifestFormat::Mbdb] {
        let tmp = tempfile::tempdir().unwrap();
        let version = phone(tmp.path(), format);
        let dest = tmp.path().join("out");
        let to = dest.display().to_string();
        // Everything: two files are missing in the backup.
        let out = backtop(tmp.path(), &["export", &version, "--to", &to, "--json"]);
        assert_eq!(out.status.code(), Some(1), "{format:?} {}", stderr(&out));
        let doc = json_of(&out);
        assert_eq!(doc["status"], "incomplete");
        assert_eq!(
            (
                doc["written"].as_u64(),
                doc["missing"].as_array().map(Vec::len)
            ),
            (Some(8), Some(2))
        );
        let id = file_id("HomeDomain", "Library/SMS/sms.db");
        let written = std::fs::read(dest.join("HomeDomain/Library/SMS/sms.db")).unwrap();
        assert!(written == content_bytes(&id, 4_096));
        // Again: everything exists now, nothing is overwritten.
        let out = backtop(
            tmp.path(),
            &[
                "export",
                &version,
                "CameraRollDomain",
                "--to",
                &to,
                "--json",
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        let doc = json_of(&out);
        let reasons: Vec<&str> = doc["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["reason"].as_str().unwrap())
            .collect();
        assert_eq!(reasons, ["exists", "exists"]);
        // A category into a new folder: all written.
        let photos = tmp.path().join("photos").display().to_string();
        let out = backtop(
            tmp.path(),
            &["export", &version, "--category", "photos", "--to", &photos],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("Wrote 2 files (220 kB) to "), "{text}");
        // Errors: a prefix, an app, a category that do not exist.
        for bad in [
            ["HomeDomain/Nope", "--to"],
            ["--app", "com.nope"],
            ["--category", "pets"],
        ] {
            let mut args = vec!["export", version.as_str()];
            args.extend(bad);
            if bad[1] != "--to" {
                args.push("--to");
            }
            args.push(&photos);
            let out = backtop(tmp.path(), &args);
            assert_eq!(out.status.code(), Some(4), "{bad:?}");
            assert!(out.stdout.is_empty());
        }
    }
}

#[test]
fn export_flattens_an_app_or_a_category_into_one_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let version = phone(tmp.path(), ManifestFormat::Db);
    let dest = tmp.path().join("flat");
    let dest_s = dest.to_str().unwrap();
    let out = backtop(
        tmp.path(),
        &[
            "export",
            &version,
            "--app",
            "com.spotify.client",
            "--flatten",
            "--to",
            dest_s,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    fixture::assert_exported(
        &dest.join("Spotify/Documents/cache.bin"),
        "AppDomain-com.spotify.client",
        "Documents/cache.bin",
    );
    assert!(dest.join("Spotify/Library/x.plist").is_file());
    let out = backtop(
        tmp.path(),
        &[
            "export",
            &version,
            "--category",
            "messages",
            "--flatten",
            "--to",
            dest_s,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    fixture::assert_exported(
        &dest.join("Messages/Library/SMS/sms.db"),
        "HomeDomain",
        "Library/SMS/sms.db",
    );
    let out = backtop(
        tmp.path(),
        &["export", &version, "--flatten", "--to", dest_s],
    );
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("--flatten needs --category or --app"),
        "{}",
        stderr(&out)
    );
}
