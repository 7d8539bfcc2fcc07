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
        &["completions", "tcsh"],
    ] {
        let out = run_within(tmp.path(), args, LIMIT);
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(64), "{args:?}: {said}");
        assert!(said.contains("error:"), "{args:?} says why: {said}");
        assert!(out.stdout.is_empty(), "{args:?} prints nothing on stdout");
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
