//! `backtop check` through the real binary: the Nagios exit code of each level on backups
//! written by the demo builder, `--max-age` and the config file's `[alerts]`, the JSON shape,
//! and the Prometheus file (it parses by the format's rules and is replaced atomically).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use backtop::demo::{write_backup, BackupSpec, FileSpec};
use serde_json::Value;
use time::OffsetDateTime;

use crate::support::cli::run_within;

const UDID: &str = "00008110-001A2B3C4D5E6F70";

/// A root with one backup of Cy's iPhone, `days` old, encrypted or not.
fn root_with(tmp: &Path, days: i64, encrypted: bool) -> PathBuf {
    written(tmp, days, encrypted).0
}

/// [`root_with`], and the bytes of the backup written (contents, plists and manifest).
fn written(tmp: &Path, days: i64, encrypted: bool) -> (PathBuf, u64) {
    let root = tmp.join("lib");
    let mut spec = BackupSpec::new(UDID, "Cy's iPhone", "iPhone15,2");
    spec.date = OffsetDateTime::now_utc() - time::Duration::days(days);
    spec.encrypted = encrypted;
    spec.files = vec![FileSpec::new(
        "CameraRollDomain",
        "Media/DCIM/100APPLE/IMG_0001.HEIC",
        2_000_000,
    )];
    let w = write_backup(&root.join(UDID), &spec).expect("backup written");
    (root, w.content_bytes + w.metadata_bytes)
}

fn check(tmp: &Path, root: &Path, extra: &[&str]) -> Output {
    let root = root.to_str().unwrap();
    let args = [
        &["--only", "--root", root, "--no-cache", "check"][..],
        extra,
    ]
    .concat();
    run_within(tmp, &args, Duration::from_secs(60))
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn write_config(tmp: &Path, text: &str) {
    let dir = tmp.join("config/backtop");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

#[test]
fn ok_warning_critical_and_unknown_are_exit_codes_0_to_3() {
    let tmp = tempfile::tempdir().unwrap();
    let fresh = root_with(&tmp.path().join("ok"), 1, true);
    let out = check(tmp.path(), &fresh, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(text(&out), "OK: no alerts (1 device, 1 backup)\n");

    let plain = root_with(&tmp.path().join("warn"), 1, false);
    let out = check(tmp.path(), &plain, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(
        text(&out),
        "WARNING: 1 warning (1 device, 1 backup)\nWARNING never_encrypted: no backup of Cy's \
         iPhone is encrypted, so its Health data, Keychain passwords and call history are not \
         in them: turn on \"Encrypt local backup\" (Finder, Apple Devices or iMazing) and back \
         it up again\n"
    );

    let old = root_with(&tmp.path().join("crit"), 30, true);
    let out = check(tmp.path(), &old, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let lines: Vec<String> = text(&out).lines().map(str::to_string).collect();
    assert_eq!(lines[0], "CRITICAL: 1 critical (1 device, 1 backup)");
    assert!(
        lines[1].starts_with("CRITICAL stale: no complete backup of Cy's iPhone for 30 days"),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 2);
    // --max-age moves the limit; the config file's [alerts] changes the severity.
    let out = check(tmp.path(), &old, &["--max-age", "5w"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    write_config(tmp.path(), "[alerts]\nstale = \"warning\"\n");
    let out = check(tmp.path(), &old, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    write_config(tmp.path(), "[alerts]\nmax_age = \"60d\"\n");
    assert_eq!(check(tmp.path(), &old, &[]).status.code(), Some(0));
    write_config(tmp.path(), "");

    let nowhere = tmp.path().join("no/such/root");
    let out = check(tmp.path(), &nowhere, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert_eq!(
        text(&out),
        format!(
            "UNKNOWN: no backup root could be read (`backtop roots` says why)\nWARNING \
             unreachable: {} (from --root) does not exist: connect the drive it is on, or \
             remove it from the roots\n",
            nowhere.display()
        )
    );
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = check(tmp.path(), &empty, &["--json"]);
    assert_eq!(out.status.code(), Some(3));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["status"], "unknown");
    assert_eq!(doc["reason"], "no backups were found in any root");
}

#[test]
fn usage_errors_keep_their_own_code_and_a_broken_config_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = root_with(tmp.path(), 1, true);
    let out = check(tmp.path(), &root, &["--max-age", "14x"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown unit"));
    write_config(tmp.path(), "[alerts]\nstale = \"severe\"\n");
    let out = check(tmp.path(), &root, &["--json"]);
    assert_eq!(out.status.code(), Some(4));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["error"]["exit_code"], 4);
    write_config(tmp.path(), "[alerts]\nstael = \"off\"\n");
    let out = check(tmp.path(), &root, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown key `alerts.stael` ignored"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The demo library: every kind the demo shows, in the JSON shape.
#[test]
fn the_demo_library_is_critical_with_every_field_of_each_alert() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib");
    crate::support::cli::small_demo(&lib);
    let home = lib.to_str().unwrap();
    let prom = tmp.path().join("backtop.prom");
    let args = [
        "--only",
        "--home",
        home,
        "--no-cache",
        "check",
        "--json",
        "--prometheus",
        prom.to_str().unwrap(),
    ];
    let out = run_within(tmp.path(), &args, Duration::from_secs(120));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["status"], "critical");
    let alerts = doc["alerts"].as_array().unwrap();
    let mut kinds = BTreeMap::new();
    for a in alerts {
        let keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["device", "kind", "message", "path", "severity", "since", "udid"]
        );
        *kinds.entry(a["kind"].as_str().unwrap()).or_insert(0) += 1;
    }
    // low_space depends on the free space of the machine running the test: not counted.
    kinds.remove("low_space");
    assert_eq!(
        kinds,
        BTreeMap::from([
            ("damaged", 1),
            ("duplicate", 2),
            ("interrupted", 1),
            ("never_encrypted", 3),
            ("stale", 2)
        ])
    );
    let stale = alerts.iter().find(|a| a["kind"] == "stale").unwrap();
    assert_eq!(stale["severity"], "critical");
    assert_eq!(stale["device"], "Anna's old iPhone");
    assert!(stale["since"].as_str().unwrap().ends_with('Z'));
    let metrics = parse_exposition(&std::fs::read_to_string(&prom).unwrap());
    assert_eq!(metrics["backtop_check_status"], [(String::new(), 2.0)]);
    assert_eq!(metrics["backtop_last_backup_age_seconds"].len(), 4);
    assert_eq!(metrics["backtop_device_bytes"].len(), 4);
    assert_eq!(metrics["backtop_root_bytes"].len(), 2);
    let stale_count = metrics["backtop_alerts"]
        .iter()
        .find(|(labels, _)| labels == "kind=stale")
        .map(|(_, v)| *v);
    assert_eq!(stale_count, Some(2.0));
}

#[cfg(unix)]
#[test]
fn the_prometheus_file_is_replaced_whole_and_no_temporary_file_is_left() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let (root, bytes) = written(tmp.path(), 1, false);
    let dir = tmp.path().join("textfile");
    std::fs::create_dir_all(&dir).unwrap();
    let prom = dir.join("backtop.prom");
    let old = "# an old file, longer than the new one will be\n".repeat(200);
    std::fs::write(&prom, &old).unwrap();
    let inode = std::fs::metadata(&prom).unwrap().ino();
    let out = check(tmp.path(), &root, &["--prometheus", prom.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let new = std::fs::read_to_string(&prom).unwrap();
    assert!(
        !new.contains("an old file"),
        "the old content is gone whole"
    );
    assert_ne!(
        std::fs::metadata(&prom).unwrap().ino(),
        inode,
        "renamed over"
    );
    assert_eq!(std::fs::metadata(&prom).unwrap().mode() & 0o777, 0o644);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["backtop.prom"]);
    let metrics = parse_exposition(&new);
    let root_label = format!("root={}", root.display());
    assert_eq!(metrics["backtop_root_bytes"][0].0, root_label);
    assert_eq!(
        metrics["backtop_device_bytes"],
        [(format!("udid={UDID},device=Cy's iPhone"), bytes as f64)]
    );
    assert_eq!(metrics["backtop_check_status"], [(String::new(), 1.0)]);
    // A folder that does not exist: an error (4), and nothing is printed as if it had worked.
    let out = check(tmp.path(), &root, &["--prometheus", "/no/such/dir/x.prom"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(out.stdout.is_empty());
}

/// Parses a Prometheus text exposition by the format's rules, panicking on any breach: every
/// line is `# HELP name text`, `# TYPE name gauge|counter|…` or a sample `name{labels} value`
/// without a timestamp; names and label names are valid; label values are quoted with only
/// `\\`, `\"`, `\n` escapes; each metric's HELP and TYPE come once, before its samples, which
/// are contiguous; no label set repeats; the text ends with a newline. Returns each metric's
/// samples as (`a=x,b=y` with values unescaped, value).
fn parse_exposition(text: &str) -> BTreeMap<String, Vec<(String, f64)>> {
    assert!(text.ends_with('\n'), "a final newline");
    let name_ok = |n: &str| {
        let mut chars = n.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    let mut metrics: BTreeMap<String, Vec<(String, f64)>> = BTreeMap::new();
    let mut typed: Vec<String> = Vec::new();
    let mut helped: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let (word, name) = (parts.next().unwrap(), parts.next().unwrap_or(""));
            assert!(name_ok(name), "metric name {name:?} in {line:?}");
            assert!(
                !metrics.contains_key(name),
                "{word} after samples: {line:?}"
            );
            let seen = if word == "TYPE" {
                let kind = parts.next().unwrap_or("");
                assert!(
                    ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                    "{line:?}"
                );
                &mut typed
            } else {
                assert_eq!(word, "HELP", "{line:?}");
                &mut helped
            };
            assert!(!seen.contains(&name.to_string()), "two {word}: {line:?}");
            seen.push(name.to_string());
            continue;
        }
        assert!(!line.is_empty() && !line.starts_with('#'), "{line:?}");
        let (name, rest) = line.split_at(line.find(['{', ' ']).expect("a value"));
        assert!(name_ok(name), "{line:?}");
        assert!(typed.contains(&name.to_string()), "TYPE before {line:?}");
        if current.as_deref() != Some(name) {
            assert!(!metrics.contains_key(name), "samples of {name} apart");
            current = Some(name.to_string());
        }
        let (labels, value) = match rest.strip_prefix('{') {
            Some(inner) => parse_labels(inner, line),
            None => (String::new(), rest),
        };
        let value = value.strip_prefix(' ').expect("one space before the value");
        assert!(!value.contains(' '), "no timestamp: {line:?}");
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("value in {line:?}"));
        let samples = metrics.entry(name.to_string()).or_default();
        assert!(
            samples.iter().all(|(l, _)| *l != labels),
            "repeated {line:?}"
        );
        samples.push((labels, value));
    }
    metrics
}

/// `a="x",b="y"} rest` → (`a=x,b=y`, ` rest`), checking names and escapes.
fn parse_labels<'a>(inner: &'a str, line: &str) -> (String, &'a str) {
    let mut out = Vec::new();
    let mut rest = inner;
    loop {
        if let Some(after) = rest.strip_prefix('}') {
            return (out.join(","), after);
        }
        rest = rest.strip_prefix(',').unwrap_or(rest);
        let eq = rest
            .find("=\"")
            .unwrap_or_else(|| panic!("label in {line:?}"));
        let name = &rest[..eq];
        assert!(
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "label name {name:?} in {line:?}"
        );
        let mut value = String::new();
        let mut chars = rest[eq + 2..].char_indices();
        let end = loop {
            match chars.next() {
                Some((i, '"')) => break eq + 2 + i + 1,
                Some((_, '\\')) => match chars.next() {
                    Some((_, '\\')) => value.push('\\'),
                    Some((_, '"')) => value.push('"'),
                    Some((_, 'n')) => value.push('\n'),
                    other => panic!("bad escape {other:?} in {line:?}"),
                },
                Some((_, '\n')) | None => panic!("unterminated label value in {line:?}"),
                Some((_, c)) => value.push(c),
            }
        };
        out.push(format!("{name}={value}"));
        rest = &rest[end..];
    }
}
