//! Terminal escape injection (issue 11, item 4): a device name from `Info.plist` and file
//! names from inside a backup reach the terminal only sanitized, in the dashboard and in every
//! text output. Before the sanitizer, a crafted name set the tmux pane title and cleared the
//! screen through `du` and the dashboard, and `verify` printed names with their newlines.

use std::path::Path;
use std::time::Duration;

use backtop::demo::{write_backup, BackupSpec, FileSpec};

use crate::support::cli::run_within;

/// Sets the terminal's title, clears the screen, then forges a line of output.
const EVIL: &str = "Evil\x1b]2;pwned\x07\x1b[2J\nok  /forged\u{202E}txt.exe";

const UDID: &str = "00008030-0000EE11EE11EE11";

fn crafted_library(root: &Path) {
    let mut spec = BackupSpec::new(UDID, EVIL, "iPhone15,2");
    spec.files = vec![
        FileSpec::new("HomeDomain", "Library/fine.db", 10),
        FileSpec::new("HomeDomain", &format!("Library/{EVIL}"), 20),
    ];
    spec.missing_files = 1;
    write_backup(&root.join(UDID), &spec).unwrap();
}

/// No ESC, BEL, C1 or bidi override, and no line the crafted name forged.
fn assert_clean(what: &str, text: &str) {
    for bad in ['\x1b', '\x07', '\u{9b}', '\u{202E}'] {
        assert!(!text.contains(bad), "{what}: {bad:?} in {text:?}");
    }
    assert!(
        !text
            .lines()
            .any(|l| l.trim_start().starts_with("ok  /forged")),
        "{what}: a forged line in {text:?}"
    );
}

#[test]
fn text_outputs_show_crafted_names_without_obeying_them() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("lib");
    crafted_library(&root);
    let r = root.display().to_string();
    for command in ["list", "du", "verify", "roots"] {
        let out = run_within(
            tmp.path(),
            &["--only", "--root", &r, "--no-cache", command],
            Duration::from_secs(60),
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert_clean(command, &text);
        assert_clean(command, &String::from_utf8_lossy(&out.stderr));
        if command != "roots" {
            assert!(
                text.contains("]2;pwned"),
                "{command} hides the name: {text}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn the_dashboard_shows_crafted_names_without_obeying_them() {
    use crate::support::pty::Pty;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("lib");
    crafted_library(&root);
    let home = tmp.path().to_str().unwrap();
    let pty = Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_backtop")),
        &["--only", "--root", root.to_str().unwrap(), "--no-cache"],
        &[
            ("HOME", home),
            ("XDG_CACHE_HOME", home),
            ("XDG_CONFIG_HOME", home),
        ],
        120,
        30,
    );
    let wait = Duration::from_secs(60);
    pty.wait_for_text("]2;pwned", wait).unwrap();
    pty.send_key(crate::support::keys::Key::Char('q'));
    pty.wait_exit(wait).expect("backtop exits after q");
    let raw = pty.raw_output();
    let raw = String::from_utf8_lossy(&raw);
    assert!(!raw.contains("\x1b]2;pwned"), "the pane title was set");
    // Shown visibly: each control reached the terminal as a `�`, not dropped without a trace.
    assert!(
        raw.contains("Evil\u{FFFD}]2;pwned\u{FFFD}\u{FFFD}[2J\u{FFFD}ok"),
        "the controls were not shown as replacement marks"
    );
    assert!(
        !raw.contains('\u{202E}'),
        "a bidi override reached the terminal"
    );
}
