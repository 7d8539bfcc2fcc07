//! Tests of the pseudo-terminal harness (`tests/it/support/pty.rs`) against small shell programs,
//! so it is known to work before the dashboard exists: waiting for text, keys, exit codes,
//! terminal queries, resizing, and detecting a terminal left in a bad state.

use crate::support;

use std::path::Path;
use std::time::Duration;

use support::keys::Key;
use support::pty::{cells, Pty};

const WAIT: Duration = Duration::from_secs(10);

/// Runs `script` with `/bin/sh -c` in an 80×24 pty.
fn sh(script: &str) -> Pty {
    Pty::spawn(Path::new("/bin/sh"), &["-c", script], &[], 80, 24)
}

#[test]
fn waits_for_text_and_sends_keys() {
    let pty = sh(r#"printf 'ready\n'; read x; printf 'got:%s\n' "$x""#);
    pty.wait_for_text("ready", WAIT).expect("prompt");
    pty.send_keys(b"hello");
    pty.send_key(Key::Enter);
    let screen = pty
        .wait_for_text("got:hello", WAIT)
        .expect("echo of the input");
    assert!(screen.starts_with("ready\nhello\ngot:hello"), "{screen:?}");
    let status = pty.wait_exit(WAIT).expect("exits");
    assert!(status.success());
}

#[test]
fn timeout_reports_the_last_screen() {
    let pty = sh("printf 'something else'; read x");
    pty.wait_for_text("something", WAIT).expect("output");
    let err = pty
        .wait_for_text("Devices", Duration::from_millis(200))
        .expect_err("never shown");
    assert!(err.starts_with("timed out after "), "{err}");
    assert!(err.contains("waiting for text \"Devices\""), "{err}");
    assert!(err.ends_with("last screen:\nsomething else"), "{err}");
}

#[test]
fn waiting_stops_when_output_ends() {
    let pty = sh("printf 'bye'");
    let err = pty
        .wait_for_text("Devices", WAIT)
        .expect_err("program exited");
    assert!(err.starts_with("output ended"), "{err}");
    assert!(err.ends_with("last screen:\nbye"), "{err}");
}

#[test]
fn reports_the_exit_code() {
    let pty = sh("exit 3");
    let status = pty.wait_exit(WAIT).expect("exits");
    assert_eq!(status.exit_code(), 3);
    assert!(!status.success());
}

#[test]
fn wait_exit_times_out_on_a_running_program() {
    let pty = sh("printf 'waiting'; read x");
    pty.wait_for_text("waiting", WAIT).expect("started");
    assert!(pty.wait_exit(Duration::from_millis(200)).is_none());
    pty.send_key(Key::Enter);
    assert_eq!(pty.wait_exit(WAIT).map(|s| s.exit_code()), Some(0));
}

const ENTER_TUI: &str = r"printf '\033[?1049h\033[?25l\033[HDevices'";

#[test]
fn detects_a_restored_terminal() {
    let pty = sh(&format!(
        r"printf 'shell line'; {ENTER_TUI}; read x; printf '\033[?25h\033[?1049l'"
    ));
    pty.wait_for_text("Devices", WAIT).expect("tui drawn");
    assert!(pty.with_screen(|s| s.alternate_screen() && s.hide_cursor()));
    assert!(
        !pty.screen_text().contains("shell line"),
        "alternate screen is blank at first"
    );
    pty.send_key(Key::Enter);
    pty.wait_exit(WAIT).expect("exits");
    assert_eq!(pty.check_restored(), Ok(()));
    let screen = pty.screen_text();
    assert!(
        screen.starts_with("shell line") && !screen.contains("Devices"),
        "{screen:?}"
    );
}

#[test]
fn detects_a_terminal_left_on_the_alternate_screen() {
    let pty = sh(&format!("{ENTER_TUI}; read x"));
    pty.wait_for_text("Devices", WAIT).expect("tui drawn");
    pty.send_key(Key::Enter);
    pty.wait_exit(WAIT).expect("exits");
    let state = pty.terminal_state();
    assert!(
        state.alternate_screen && state.cursor_hidden && !state.left_alternate_screen,
        "{state:?}"
    );
    let err = pty.check_restored().expect_err("not restored");
    assert!(
        err.starts_with("terminal not restored: still on the alternate screen, cursor still hidden, never sent ESC[?1049l;"),
        "{err}"
    );
}

#[test]
fn detects_a_hidden_cursor_alone() {
    let pty = sh(r"printf '\033[?1049h\033[?25l'; printf '\033[?1049l'");
    pty.wait_exit(WAIT).expect("exits");
    let err = pty.check_restored().expect_err("cursor hidden");
    assert!(
        err.starts_with("terminal not restored: cursor still hidden;"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn detects_raw_mode_left_on() {
    let pty = sh("stty raw -echo; printf 'RAW'; head -c 1 >/dev/null");
    pty.wait_for_text("RAW", WAIT).expect("raw mode on");
    assert_eq!(pty.terminal_state().raw_mode, Some(true));
    pty.send_keys(b"q");
    pty.wait_exit(WAIT).expect("exits");
    let err = pty.check_restored().expect_err("raw mode left on");
    assert!(err.contains("raw mode left on"), "{err}");
}

#[cfg(unix)]
#[test]
fn sees_raw_mode_turned_off_again() {
    let pty = sh(
        r#"s=$(stty -g); stty raw -echo; printf 'RAW'; head -c 1 >/dev/null; stty "$s"; printf '\033[?1049l'"#,
    );
    pty.wait_for_text("RAW", WAIT).expect("raw mode on");
    pty.send_keys(b"q");
    pty.wait_exit(WAIT).expect("exits");
    assert_eq!(pty.terminal_state().raw_mode, Some(false));
    assert_eq!(pty.check_restored(), Ok(()));
}

#[test]
fn answers_cursor_position_queries() {
    // Raw mode so `dd` gets the 6-byte reply without a newline; ESC shown as `E`.
    let script = r#"stty raw -echo; printf '\033[3;5H\033[6n'; r=$(dd bs=1 count=6 2>/dev/null); stty sane;
        printf '\033[10;1Hreply:%s.' "$(printf '%s' "$r" | tr '\033' 'E')""#;
    let pty = sh(script);
    pty.wait_for_text("reply:", WAIT).expect("reply printed");
    assert!(
        pty.screen_text().contains("reply:E[3;5R."),
        "{}",
        pty.screen_text()
    );
}

#[test]
fn resize_reaches_the_program() {
    let pty = sh("printf 'go'; read x; stty size");
    pty.wait_for_text("go", WAIT).expect("started");
    pty.resize(100, 30);
    assert_eq!(pty.with_screen(|s| s.size()), (cells(30), cells(100)));
    pty.send_key(Key::Enter);
    pty.wait_for_text("30 100", WAIT)
        .expect("new size seen by stty");
}

#[test]
fn runs_the_backtop_binary() {
    let bin = Path::new(env!("CARGO_BIN_EXE_backtop"));
    // Tall enough for the whole help (40 lines with the exit-code table), so its first line stays on screen.
    let pty = Pty::spawn(bin, &["--help"], &[("NO_COLOR", "1")], 120, 60);
    pty.wait_for_text("Usage: backtop", WAIT)
        .expect("help text");
    assert_eq!(pty.wait_exit(WAIT).map(|s| s.exit_code()), Some(0));
}

#[test]
fn key_bytes() {
    assert_eq!(Key::Up.bytes(), b"\x1b[A");
    assert_eq!(Key::BackTab.bytes(), b"\x1b[Z");
    assert_eq!(Key::Tab.bytes(), b"\t");
    assert_eq!(Key::Esc.bytes(), b"\x1b");
    assert_eq!(Key::Ctrl('C').bytes(), [3]);
    assert_eq!(Key::Char('é').bytes(), "é".as_bytes());
}
