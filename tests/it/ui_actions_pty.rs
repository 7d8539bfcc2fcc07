//! Open over SSH, end to end in a pseudo-terminal: `o` copies the version's path with OSC 52
//! and shows it; `!` suspends the dashboard and starts `$SHELL` in that folder, the shell gets
//! every key (the input thread is parked, Ctrl-C is the shell's), and exiting it brings the
//! dashboard back, redrawn, still answering keys. Inside tmux the copy is wrapped for tmux's
//! passthrough and the status line says it could not be confirmed. A non-UTF-8 locale or
//! `TERM=dumb` gets ASCII borders and glyphs without `--ascii`.

#![cfg(unix)]

use crate::support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use backtop::demo::{write_backup, BackupSpec};
use base64::Engine;
use support::keys::Key;
use support::pty::{cells, Pty};

const WAIT: Duration = Duration::from_secs(30);
const UDID: &str = "00008120-001A2B3C4D5E6F70";

fn library(dir: &Path) -> PathBuf {
    let root = dir.join("Backup");
    let spec = BackupSpec::new(UDID, "Anna's iPhone", "iPhone15,2");
    write_backup(&root.join(UDID), &spec).expect("write backup");
    root
}

/// The dashboard over a one-backup library in `dir` only, home in `dir`, no colour, `env` added.
fn start(dir: &Path, env: &[(&str, &str)]) -> Pty {
    let root = library(dir);
    let home = dir.join("home");
    let mut vars = vec![("HOME", home.to_str().expect("utf-8")), ("NO_COLOR", "1")];
    vars.extend_from_slice(env);
    Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_backtop")),
        &["--only", "--root", root.to_str().expect("utf-8")],
        &vars,
        100,
        30,
    )
}

/// What a terminal is asked to put on its clipboard, seen through vt100's callbacks.
#[derive(Default)]
struct Clipboard {
    /// Each copy: the selection (`c`) and the decoded text.
    copies: Vec<(Vec<u8>, String)>,
}

impl vt100::Callbacks for Clipboard {
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, ty: &[u8], data: &[u8]) {
        let text = base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("OSC 52 data is base64");
        self.copies
            .push((ty.to_vec(), String::from_utf8(text).expect("utf-8")));
    }
}

/// The copies a terminal fed `bytes` makes.
fn copies(bytes: &[u8]) -> Vec<(Vec<u8>, String)> {
    let mut parser =
        vt100::Parser::new_with_callbacks(cells(30), cells(100), 0, Clipboard::default());
    parser.process(bytes);
    std::mem::take(&mut parser.callbacks_mut().copies)
}

/// What tmux with `allow-passthrough on` sends its own terminal: the contents of each
/// `ESC P tmux; … ESC \` string with doubled ESCs made single; everything else it draws itself.
fn tmux_passthrough(bytes: &[u8]) -> Vec<u8> {
    const START: &[u8] = b"\x1bPtmux;";
    let mut out = Vec::new();
    let mut rest = bytes;
    while let Some(at) = rest.windows(START.len()).position(|w| w == START) {
        let mut i = at + START.len();
        while i + 1 < rest.len() {
            match (rest[i], rest[i + 1]) {
                (0x1b, 0x1b) => {
                    out.push(0x1b);
                    i += 2;
                }
                (0x1b, b'\\') => break,
                (b, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        rest = &rest[(i + 2).min(rest.len())..];
    }
    out
}

#[test]
fn open_inside_tmux_wraps_the_copy_and_says_it_is_not_confirmed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pty = start(
        dir.path(),
        &[
            ("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22"),
            ("TMUX", "/tmp/tmux-1000/default,4242,0"),
            ("STY", ""),
        ],
    );
    pty.wait_for_text("1 version", WAIT).expect("dashboard up");
    pty.send_key_seq(&[Key::Enter, Key::Char('o')]);
    pty.wait_for_text("Copied path", WAIT)
        .expect("o over SSH shows the copied path");
    let screen = pty
        .wait_for_text("copy sent through tmux, not confirmed", WAIT)
        .expect("the status line says the copy could not be confirmed");
    assert!(screen.contains("allow-passthrough on"), "{screen}");
    let raw = pty.raw_output();
    let count = |needle: &[u8]| raw.windows(needle.len()).filter(|w| *w == needle).count();
    assert_eq!(
        (count(b"\x1b]52;"), count(b"\x1bPtmux;\x1b\x1b]52;c;")),
        (1, 1),
        "one OSC 52, inside tmux's passthrough (a bare one tmux would swallow)"
    );
    let passed = copies(&tmux_passthrough(&raw));
    assert_eq!(passed.len(), 1, "one copy through tmux: {passed:?}");
    assert_eq!(passed[0].0, b"c");
    assert!(
        passed[0].1.ends_with(&format!("/Backup/{UDID}")),
        "the version's path: {:?}",
        passed[0].1
    );
    pty.send_key(Key::Esc);
    pty.wait_for_text_gone("Copied path", WAIT)
        .expect("Esc closes the dialog");
    pty.send_key(Key::Char('q'));
    assert_eq!(pty.wait_exit(WAIT).map(|s| s.exit_code()), Some(0));
    pty.check_restored().expect("terminal restored");
}

#[test]
fn open_over_ssh_copies_the_path_and_offers_a_shell_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pty = start(
        dir.path(),
        &[
            ("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22"),
            ("TMUX", ""),
            ("STY", ""),
            ("SHELL", "/bin/sh"),
            ("PS1", "$ "),
        ],
    );
    pty.wait_for_text("1 version", WAIT).expect("dashboard up");
    pty.send_key_seq(&[Key::Enter, Key::Char('o')]);
    pty.wait_for_text("Copied path", WAIT)
        .expect("o over SSH shows the copied path");
    let screen = pty
        .wait_for_text("! shell", WAIT)
        .expect("the dialog offers a shell");
    assert!(
        screen.contains(&format!("Backup/{UDID}")),
        "the dialog shows the path:\n{screen}"
    );
    let copied = copies(&pty.raw_output());
    assert_eq!(copied.len(), 1, "one OSC 52 copy, bare: {copied:?}");
    assert!(
        copied[0].1.ends_with(&format!("/Backup/{UDID}")),
        "{copied:?}"
    );

    pty.send_key(Key::Char('!'));
    pty.wait_for_text("exit it to return to the dashboard", WAIT)
        .expect("the shell starts");
    pty.send_keys(b"echo in-$(basename \"$PWD\")-$((6*7))\r");
    pty.wait_for_text(&format!("in-{UDID}-42"), WAIT)
        .expect("the shell runs in the version folder and gets every key");
    pty.send_key(Key::Ctrl('c'));
    // The shell drops the line being typed on Ctrl-C: wait for its fresh prompt.
    pty.wait_for_text("^C\n$", WAIT)
        .expect("the shell gets Ctrl-C and prompts again");
    pty.send_keys(b"echo still-$((1+1))\r");
    pty.wait_for_text("still-2", WAIT)
        .expect("Ctrl-C belongs to the shell, not the dashboard");
    pty.send_keys(b"exit\r");
    pty.wait_for_text("back from /bin/sh", WAIT)
        .expect("the dashboard is back after the shell exits");
    let screen = pty.wait_for_text("Versions of", WAIT).expect("redrawn");
    assert!(
        !screen.contains("still-2"),
        "the dashboard repainted over the shell:\n{screen}"
    );
    pty.send_key(Key::Char('q'));
    let status = pty.wait_exit(WAIT).expect("q still quits");
    assert_eq!(status.exit_code(), 0);
    pty.check_restored().expect("terminal restored");
}

#[test]
fn verify_runs_in_the_background_and_shows_its_results() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pty = start(dir.path(), &[]);
    pty.wait_for_text("1 version", WAIT).expect("dashboard up");
    pty.send_key_seq(&[Key::Enter, Key::Char('v')]);
    pty.wait_for_text("Verified 1 version: all ok", WAIT)
        .expect("the results dialog");
    pty.send_key(Key::Esc);
    pty.wait_for_text_gone("Verified 1 version", WAIT)
        .expect("Esc closes it");
    pty.send_key(Key::Char('q'));
    assert_eq!(pty.wait_exit(WAIT).map(|s| s.exit_code()), Some(0));
    pty.check_restored().expect("terminal restored");
}

/// The screen once the dashboard is up in `env`, after quitting it.
fn first_screen(env: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let pty = start(dir.path(), env);
    let screen = pty.wait_for_text("1 version", WAIT).expect("dashboard up");
    pty.send_key(Key::Char('q'));
    assert_eq!(pty.wait_exit(WAIT).map(|s| s.exit_code()), Some(0));
    screen
}

#[test]
fn a_non_utf8_locale_or_a_dumb_terminal_gets_ascii_borders() {
    let cases: [(&str, &[(&str, &str)]); 3] = [
        (
            "an ISO-8859-1 LANG",
            &[
                ("LC_ALL", ""),
                ("LC_CTYPE", ""),
                ("LANG", "en_US.ISO-8859-1"),
            ],
        ),
        (
            "LC_ALL=C over a UTF-8 LANG",
            &[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")],
        ),
        (
            "TERM=dumb in a UTF-8 locale",
            &[("LC_ALL", "C.UTF-8"), ("TERM", "dumb")],
        ),
    ];
    for (what, env) in cases {
        let screen = first_screen(env);
        let wide: String = screen.chars().filter(|c| !c.is_ascii()).collect();
        assert_eq!(wide, "", "{what}: only ASCII on screen:\n{screen}");
        assert!(
            screen.contains("+ Devices (1)"),
            "{what}: ASCII borders:\n{screen}"
        );
    }
    let utf8 = first_screen(&[("LC_ALL", ""), ("LC_CTYPE", ""), ("LANG", "C.UTF-8")]);
    assert!(
        utf8.contains("╭ Devices (1)"),
        "a UTF-8 locale keeps box drawing:\n{utf8}"
    );
}
