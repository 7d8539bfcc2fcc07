//! `backtop completions SHELL` and `backtop man` through the real binary: each generates, on
//! stdout, a script or page that names every subcommand.

use std::process::Output;

use crate::support::cli::run_within;
use backtop::cli::Cli;
use clap::CommandFactory;

/// Every subcommand, as a user types it. The first test checks this list is clap's, so a new
/// subcommand that the completions miss fails here.
const SUBCOMMANDS: [&str; 14] = [
    "list",
    "du",
    "roots",
    "verify",
    "rm",
    "prune",
    "move",
    "ls",
    "export",
    "diff",
    "check",
    "demo",
    "completions",
    "man",
];

fn backtop(args: &[&str]) -> Output {
    let tmp = tempfile::tempdir().unwrap();
    run_within(tmp.path(), args, std::time::Duration::from_secs(60))
}

#[test]
fn the_subcommand_list_is_clap_s() {
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    assert_eq!(names, SUBCOMMANDS);
}

#[test]
fn every_shell_s_completions_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = backtop(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {out:?}");
        assert!(
            out.stderr.is_empty(),
            "{shell}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.len() > 1000, "{shell}: {} bytes", script.len());
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completions miss {sub}");
        }
        // The global options complete too.
        assert!(
            script.contains("read-only"),
            "{shell} completions miss --read-only"
        );
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = backtop(&["completions", "tcsh"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("powershell"));
}

#[test]
fn the_man_page_is_roff_and_names_every_subcommand() {
    let out = backtop(&["man"]);
    assert!(out.status.success(), "{out:?}");
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{}", &page[..80]);
    assert!(page.contains(".TH backtop 1"), "no title line");
    assert!(page.contains(".SH SUBCOMMANDS"));
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("backtop\\-{sub}(1)")),
            "the SUBCOMMANDS list misses {sub}"
        );
        let section = format!(".SH \"BACKTOP {}\"", sub.to_uppercase());
        assert_eq!(page.matches(&section).count(), 1, "no section {section}");
    }
    // Each subcommand's options and exit codes are on the one page.
    assert!(page.contains("\\fBbacktop rm\\fR [\\fB\\-y\\fR|\\fB\\-\\-yes\\fR]"));
    assert!(page.contains("3  cancelled at the prompt"));
    assert!(page.contains("read\\-only"));
    // ASCII only, so that groff without a UTF-8 preprocessor reads it (a `…` in an option's
    // help made `groff -man` warn "invalid input character code 128").
    let odd: Vec<char> = page.chars().filter(|c| !c.is_ascii()).collect();
    assert!(odd.is_empty(), "not ASCII: {odd:?}");
}
