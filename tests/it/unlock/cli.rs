//! Encrypted backups through the binary: `--password-file`, the wrong password (exit 5),
//! `ls`, `du --json`, `export` (plaintext equals what the builder encrypted, mtimes from the
//! manifest), `verify --deep`, an iOS 10.0-style backup, damaged key bags and manifests, a
//! file whose `Size` is wrong; no plaintext left in the temp or cache folders, and the
//! password never in any output.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use backtop::demo::{content_bytes, manifest_rows, mbfile_blob, BackupSpec, DemoKeys, Scheme};
use backtop::library::ManifestFormat;

use super::fixture::{self, UDID};

/// The fixture's password: distinctive, so a leak would be found.
const PASSWORD: &str = "s3cret-Pa55-unlock";
/// A wrong one, as distinctive.
const WRONG: &str = "wr0ng-Horse-7731";

/// A temp folder with the encrypted test iPad (the fixture's password), password files
/// `right` and `wrong`, and home, cache and temp folders for the binary.
pub(super) struct Setup {
    pub(super) tmp: tempfile::TempDir,
    version: PathBuf,
    spec: BackupSpec,
}

impl Setup {
    pub(super) fn new(edit: impl FnOnce(&mut BackupSpec)) -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let mut spec = fixture::spec(ManifestFormat::Db);
        spec.password = PASSWORD.into();
        edit(&mut spec);
        let version = fixture::write(&tmp.path().join("root"), &spec);
        for (name, text) in [
            ("right", format!("{PASSWORD}\n")),
            ("wrong", format!("{WRONG}\r\n")),
        ] {
            std::fs::write(tmp.path().join(name), text).unwrap();
        }
        for dir in ["home", "cache", "tmp"] {
            std::fs::create_dir_all(tmp.path().join(dir)).unwrap();
        }
        Setup { tmp, version, spec }
    }

    pub(super) fn file(&self, name: &str) -> String {
        self.tmp.path().join(name).display().to_string()
    }

    /// Runs backtop with only the fixture's root, its own home, cache and temp folders.
    pub(super) fn run(&self, args: &[&str]) -> Output {
        let root = self.tmp.path().join("root");
        let out = Command::new(env!("CARGO_BIN_EXE_backtop"))
            .arg("--root")
            .arg(&root)
            .arg("--only")
            .args(args)
            .env("HOME", self.tmp.path().join("home"))
            .env("XDG_CACHE_HOME", self.tmp.path().join("cache"))
            .env("XDG_CONFIG_HOME", self.tmp.path().join("config"))
            .env("TMPDIR", self.tmp.path().join("tmp"))
            .env_remove("BACKTOP_PASSWORD")
            .env_remove("BACKTOP_ROOTS")
            .stdin(Stdio::null())
            .output()
            .expect("backtop runs");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !all.contains(PASSWORD) && !all.contains(WRONG),
            "{args:?}: {all}"
        );
        out
    }

    /// [`Setup::run`] with the right password file.
    fn unlocked(&self, args: &[&str]) -> Output {
        let right = self.file("right");
        let mut all = args.to_vec();
        all.extend(["--password-file", right.as_str()]);
        self.run(&all)
    }

    pub(super) fn version(&self) -> PathBuf {
        self.version.clone()
    }

    pub(super) fn v(&self) -> String {
        self.version.display().to_string()
    }
}

pub(super) fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(super) fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn ls_with_the_right_the_wrong_and_no_password() {
    let s = Setup::new(|_| {});
    let v = s.v();
    let right = s.unlocked(&["ls", &v, "HomeDomain", "-r"]);
    assert_eq!(right.status.code(), Some(0), "{}", text(&right));
    assert!(
        text(&right).contains("HomeDomain/Library/SMS/sms.db"),
        "{}",
        text(&right)
    );
    let wrong = s.run(&["ls", &v, "--password-file", &s.file("wrong")]);
    assert_eq!(wrong.status.code(), Some(5));
    assert!(text(&wrong).contains("wrong password"), "{}", text(&wrong));
    let wrong_json = s.run(&["ls", &v, "--json", "--password-file", &s.file("wrong")]);
    assert_eq!(wrong_json.status.code(), Some(5));
    assert_eq!(json(&wrong_json)["error"]["exit_code"], 5);
    let none = s.run(&["ls", &v, "--json"]);
    assert_eq!(none.status.code(), Some(1));
    let doc = json(&none);
    assert_eq!(doc["locked"], true);
    assert!(
        doc["reason"].as_str().unwrap().contains("--password-file"),
        "{doc}"
    );
}

#[test]
fn du_json_gives_categories_of_the_unlocked_version_and_says_what_is_locked() {
    let s = Setup::new(|_| {});
    let version_of = |doc: &serde_json::Value| doc["devices"][0]["versions"][0].clone();
    let open = s.run(&["du", "--json", "--password-file", &s.file("right")]);
    assert_eq!(open.status.code(), Some(0));
    let v = version_of(&json(&open));
    assert_eq!(v["unlocked"], true);
    assert_eq!(v["locked_reason"], serde_json::Value::Null);
    // Encrypted contents are padded on disk: sms.db is 4,096 bytes, 4,112 on disk.
    assert_eq!(v["categories"]["messages"], 4_112);
    assert_eq!(v["categories"]["health"], 16);
    assert_eq!(v["categories"]["encrypted"], 0);
    assert_eq!(v["top_apps"][0]["bundle_id"], "com.spotify.client");
    let locked = version_of(&json(&s.run(&["du", "--json"])));
    assert_eq!(locked["unlocked"], false);
    assert_eq!(locked["locked_reason"], "no password given");
    assert_eq!(locked["categories"]["messages"], 0);
    let text_out = text(&s.run(&["du"]));
    assert!(
        text_out.contains("locked (no password given)"),
        "{text_out}"
    );
    let open_text = text(&s.run(&["du", "--password-file", &s.file("right")]));
    assert!(
        open_text
            .contains("    unlocked this run (by the password, or a key kept with --remember)\n"),
        "{open_text}"
    );
    let wrong = s.run(&["du", "--password-file", &s.file("wrong")]);
    assert_eq!(wrong.status.code(), Some(5));
}

#[test]
fn export_writes_what_the_builder_encrypted_and_leaves_no_plaintext_behind() {
    let s = Setup::new(|_| {});
    let dest = s.tmp.path().join("out");
    let out = s.run(&[
        "export",
        &s.v(),
        "--to",
        dest.to_str().unwrap(),
        "--json",
        "--password-file",
        &s.file("right"),
    ]);
    let doc = json(&out);
    // The last file of the fixture is missing on disk: exit 1, and it is named.
    assert_eq!(out.status.code(), Some(1), "{doc}");
    assert_eq!(doc["written"], 6, "{doc}");
    assert_eq!(doc["size_mismatch"], serde_json::json!([]));
    for row in manifest_rows(&s.spec).iter().filter(|r| !r.is_dir()) {
        let path = dest.join(&row.domain).join(&row.path);
        if row.path.ends_with("gone.m4a") {
            assert!(!path.exists());
            continue;
        }
        let got = std::fs::read(&path).unwrap();
        assert!(got == content_bytes(&row.file_id, row.size), "{}", row.path);
        let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
        let secs = mtime
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert_eq!(secs as i64, row.mtime, "{}", row.path);
    }
    // No plaintext anywhere but the destination: look for a 64-byte run of the photo.
    let photo = manifest_rows(&s.spec)
        .into_iter()
        .find(|r| r.path.ends_with("IMG_0001.HEIC"))
        .unwrap();
    let needle = content_bytes(&photo.file_id, photo.size)[1000..1064].to_vec();
    s.run(&["du", "--password-file", &s.file("right")]);
    s.run(&["verify", "--deep", "--password-file", &s.file("right")]);
    for dir in ["tmp", "cache", "home", "root"] {
        for entry in walkdir::WalkDir::new(s.tmp.path().join(dir)) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let bytes = std::fs::read(entry.path()).unwrap();
                assert!(
                    !bytes.windows(64).any(|w| w == needle),
                    "plaintext in {}",
                    entry.path().display()
                );
            }
        }
    }
}

#[test]
fn verify_checks_rows_when_unlocked_and_deep_decrypts_every_file() {
    let s = Setup::new(|_| {});
    let v = s.v();
    let locked = s.run(&["verify", &v]);
    assert_eq!(locked.status.code(), Some(1));
    assert!(
        text(&locked).starts_with("not checked: encrypted"),
        "{}",
        text(&locked)
    );
    let rows = s.run(&["verify", &v, "--json", "--password-file", &s.file("right")]);
    let doc = json(&rows);
    let report = &doc["reports"][0];
    assert_eq!(report["unlocked"], true);
    assert_eq!(report["checked"], true);
    // The missing file is the one problem.
    assert_eq!(report["problems"][0]["kind"], "missing_file", "{doc}");
    let deep = s.run(&[
        "verify",
        &v,
        "--deep",
        "--json",
        "--password-file",
        &s.file("right"),
    ]);
    let doc = json(&deep);
    let kinds: Vec<&str> = doc["reports"][0]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["missing_file"], "{doc}");
}

/// Rewrites the `Size` of `path`'s row in the plain Manifest.db of an iOS 10.0-style backup.
fn set_size(s: &Setup, path: &str, size: u64) {
    let keys = DemoKeys::new(UDID, PASSWORD, Scheme::NoManifestKey).unwrap();
    let mut row = manifest_rows(&s.spec)
        .into_iter()
        .find(|r| r.path == path)
        .unwrap();
    row.size = size;
    let blob = mbfile_blob(
        &row,
        Some(&keys.encryption_key(&row.file_id, row.protection)),
    );
    let conn = rusqlite::Connection::open(s.version.join("Manifest.db")).unwrap();
    conn.execute(
        "UPDATE Files SET file = ?1 WHERE fileID = ?2",
        rusqlite::params![blob, row.file_id],
    )
    .unwrap();
}

#[test]
fn an_ios_10_0_backup_and_a_file_whose_size_is_wrong() {
    let s = Setup::new(|spec| {
        spec.scheme = Scheme::NoManifestKey;
        spec.ios = "10.0.2".into();
    });
    set_size(&s, "Library/SMS/sms.db", 4_000);
    let v = s.v();
    let ls = s.unlocked(&["ls", &v, "HomeDomain", "-r"]);
    assert_eq!(ls.status.code(), Some(0), "{}", text(&ls));
    let deep = s.run(&["verify", &v, "--deep", "--password-file", &s.file("right")]);
    assert_eq!(deep.status.code(), Some(1));
    assert!(
        text(&deep).contains("decrypted to 4096 bytes, the manifest says 4000 (all 4096 kept)"),
        "{}",
        text(&deep)
    );
    let dest = s.tmp.path().join("out");
    let out = s.run(&[
        "export",
        &v,
        "HomeDomain/Library/SMS",
        "--to",
        dest.to_str().unwrap(),
        "--json",
        "--password-file",
        &s.file("right"),
    ]);
    let doc = json(&out);
    assert_eq!(
        doc["size_mismatch"][0]["item"], "HomeDomain/Library/SMS/sms.db",
        "{doc}"
    );
    let sms = std::fs::read(dest.join("HomeDomain/Library/SMS/sms.db")).unwrap();
    assert_eq!(sms.len(), 4_096, "kept whole, never cut to Size");
    let wrong = s.run(&["ls", &v, "--password-file", &s.file("wrong")]);
    assert_eq!(wrong.status.code(), Some(5));
}

#[test]
fn a_damaged_key_bag_or_manifest_keeps_the_version_locked_with_the_reason() {
    let s = Setup::new(|_| {});
    let v = s.v();
    let plist_path = s.version.join("Manifest.plist");
    let original = std::fs::read(&plist_path).unwrap();
    let mut dict = plist::Value::from_file(&plist_path)
        .unwrap()
        .into_dictionary()
        .unwrap();
    let bag = dict["BackupKeyBag"].as_data().unwrap().to_vec();
    dict.insert(
        "BackupKeyBag".into(),
        plist::Value::Data(bag[..bag.len() - 9].to_vec()),
    );
    plist::Value::Dictionary(dict)
        .to_file_xml(&plist_path)
        .unwrap();
    let out = s.run(&["ls", &v, "--password-file", &s.file("right")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("the key bag is malformed"),
        "{}",
        text(&out)
    );
    std::fs::write(&plist_path, original).unwrap();
    let db = s.version.join("Manifest.db");
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[5] ^= 0x40;
    std::fs::write(&db, bytes).unwrap();
    let out = s.run(&["ls", &v, "--password-file", &s.file("right")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("does not decrypt to a SQLite database"),
        "{}",
        text(&out)
    );
}

/// The demo's own iPad opens with the documented password.
#[test]
fn the_demo_ipad_opens_with_the_demo_password() {
    let tmp = tempfile::tempdir().unwrap();
    crate::support::cli::small_demo(&tmp.path().join("lib"));
    let pw = tmp.path().join("pw");
    std::fs::write(&pw, format!("{}\n", backtop::demo::DEMO_PASSWORD)).unwrap();
    let out = crate::support::cli::run_within(
        tmp.path(),
        &[
            "--home",
            tmp.path().join("lib").to_str().unwrap(),
            "--only",
            "--no-cache",
            "du",
            "--json",
            "--password-file",
            pw.to_str().unwrap(),
        ],
        std::time::Duration::from_secs(120),
    );
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ipad = doc["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["model"].as_str().is_some_and(|m| m.starts_with("iPad")))
        .unwrap();
    for v in ipad["versions"].as_array().unwrap() {
        assert_eq!(v["unlocked"], true, "{v}");
        assert_eq!(v["categories"]["encrypted"], 0, "{v}");
    }
}

/// The password never goes on the command line, where `ps` and `/proc/*/cmdline` show it: no
/// option of any command takes it (`--password-file` names a file), and `--password VALUE`
/// is a usage error that does not repeat the value.
#[test]
fn no_option_takes_the_password_itself() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, ids: &mut Vec<String>) {
        ids.extend(cmd.get_arguments().map(|a| a.get_id().to_string()));
        for sub in cmd.get_subcommands() {
            walk(sub, ids);
        }
    }
    let mut ids = Vec::new();
    walk(&backtop::cli::Cli::command(), &mut ids);
    assert!(ids.len() > 50, "{ids:?}");
    let password: Vec<&String> = ids
        .iter()
        .filter(|id| id.to_ascii_lowercase().contains("pass"))
        .collect();
    assert!(
        password.iter().all(|id| *id == "password_file"),
        "{password:?}"
    );
    let s = Setup::new(|_| {});
    // (run asserts that nothing it prints holds the password.)
    let out = s.run(&["ls", &s.v(), "--password", PASSWORD]);
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--password-file"));
}
