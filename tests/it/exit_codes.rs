//! The exit codes every command keeps to: a usage error is 64, never 2 ("refused"); `--help`
//! and `--version` end with 0; the table is in `--help`.

use std::time::Duration;

use crate::support::cli::run_within;

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn a_usage_error_exits_64_and_says_what_was_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["--no-such-flag"][..],
        &["list", "--no-such-flag"],
        &["prune", "--keep", "many"],
        &["prune", "--older-than", "6months"],
        &["completions", "tcsh"],
    ] {
        let out = run_within(tmp.path(), args, LIMIT);
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(64), "{args:?}: {said}");
        assert!(said.contains("error:"), "{args:?} says why: {said}");
        assert!(out.stdout.is_empty(), "{args:?} prints nothing on stdout");
    }
}

/// With `--json` a usage error is also the error document on stdout, and its message is the
/// whole of clap's (it was only the first line: "the following required arguments were not
/// provided:" without naming them).
#[test]
fn a_usage_error_in_json_mode_names_what_was_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    for (args, message) in [
        (
            &["diff", "--json"][..],
            "the following required arguments were not provided: <OLD> <NEW>",
        ),
        (
            &["du", "--jsn", "--json"],
            "unexpected argument '--jsn' found; tip: a similar argument exists: '--json'",
        ),
        (
            &["prune", "--keep", "x", "--json"],
            "invalid value 'x' for '--keep <N>': invalid digit found in string",
        ),
    ] {
        let out = run_within(tmp.path(), args, LIMIT);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            doc,
            serde_json::json!({"schema": 1, "error": {"message": message, "exit_code": 64}}),
            "{args:?}"
        );
    }
}

#[test]
fn help_and_version_exit_0_and_help_lists_the_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let version = run_within(tmp.path(), &["--version"], LIMIT);
    assert_eq!(version.status.code(), Some(0));
    let help = run_within(tmp.path(), &["--help"], LIMIT);
    assert_eq!(help.status.code(), Some(0));
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains(backtop::cli::EXIT_CODES), "{text}");
    for code in ["  2       refused", "  64      usage error"] {
        assert!(text.contains(code), "--help lists {code:?}: {text}");
    }
}
