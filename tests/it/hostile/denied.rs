//! Permission denied (issue 11, item 6): a version folder the user cannot read was named only
//! by `list`; `du` and `verify` said nothing of it (verify exited 0, "all clean"), `verify
//! FOLDER` called it "not a backup folder", and no `--json` output gave a sign of a root that
//! could not be read. Root reads everything, so when the tests run as root backtop runs as
//! `nobody` here (the fixture is made readable for it).

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use backtop::demo::damaged::healthy_spec;
use backtop::demo::write_backup;
use backtop::library::ManifestFormat;

const NOBODY: u32 = 65534;

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `backtop --only --root ROOT --no-cache ARGS` as an unprivileged user.
fn run(tmp: &Path, root: &Path, args: &[&str]) -> Output {
    let home = tmp.join("home");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_backtop"));
    cmd.arg("--only")
        .arg("--root")
        .arg(root)
        .arg("--no-cache")
        .args(args)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env("XDG_CACHE_HOME", &home)
        .env("XDG_DATA_HOME", &home)
        .env_remove("BACKTOP_ROOTS");
    if is_root() {
        cmd.uid(NOBODY).gid(NOBODY);
    }
    cmd.output().expect("backtop runs")
}

/// The tests run as root (who reads every folder whatever its mode).
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = tempfile::NamedTempFile::new().unwrap();
    std::fs::metadata(probe.path()).unwrap().uid() == 0
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn a_folder_or_root_that_cannot_be_read_is_said_by_du_and_verify() {
    let tmp = tempfile::tempdir().unwrap();
    chmod(tmp.path(), 0o755);
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    chmod(&home, 0o777);
    let root = tmp.path().join("lib");
    let spec = |n: &str| healthy_spec(&format!("{n:0>40}"), n, ManifestFormat::Db);
    write_backup(&root.join("fine"), &spec("1")).unwrap();
    let denied = root.join("denied");
    write_backup(&denied, &spec("2")).unwrap();
    chmod(&denied, 0o000);
    let why = "Permission denied";

    let out = run(tmp.path(), &root, &["verify"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("ok  ") && text.contains("/fine"), "{text}");
    assert!(text.contains("Folders that could not be read:"), "{text}");
    assert!(text.contains("/denied") && text.contains(why), "{text}");

    for args in [["verify", "--json"], ["du", "--json"], ["list", "--json"]] {
        let out = run(tmp.path(), &root, &args);
        let doc = json(&out);
        assert_eq!(doc["roots"][0]["status"], "ok", "{args:?}: {doc}");
        let unreadable = &doc["unreadable"][0];
        assert!(
            unreadable["path"].as_str().unwrap().ends_with("/denied"),
            "{args:?}: {doc}"
        );
        assert!(
            unreadable["reason"].as_str().unwrap().contains(why),
            "{args:?}: {doc}"
        );
    }
    let out = run(tmp.path(), &root, &["du"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("/denied") && text.contains(why), "{text}");

    let out = run(tmp.path(), &root, &["verify", denied.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(4), "{text}");
    assert!(
        text.contains(why) && !text.contains("not a backup folder"),
        "{text}"
    );

    chmod(&root, 0o000);
    for args in [["verify", "--json"], ["du", "--json"], ["list", "--json"]] {
        let doc = json(&run(tmp.path(), &root, &args));
        assert_eq!(
            doc["roots"][0]["status"], "permission_denied",
            "{args:?}: {doc}"
        );
    }
    assert_eq!(run(tmp.path(), &root, &["verify"]).status.code(), Some(1));
    chmod(&root, 0o755);
    chmod(&denied, 0o755);
}
