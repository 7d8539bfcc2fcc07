//! End to end: the real `backtop` binary in a pseudo-terminal on the demo library (built with
//! the project's own builder at a fixed date), as a user over SSH would meet it: the first
//! frame shows every device, `j` shows the second device's versions, the sizes fill in from
//! the scan, `?` opens the help, `q` quits with exit code 0 and the terminal restored.

#![cfg(unix)]

use crate::support;

use std::path::Path;
use std::time::Duration;

use backtop::demo::{build_demo, DemoOptions};
use support::keys::Key;
use support::pty::Pty;
use time::macros::datetime;

const WAIT: Duration = Duration::from_secs(60);

fn demo_home() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = DemoOptions {
        seed: 7,
        scale: 0.01,
        sparse: true,
        now: Some(datetime!(2026-11-20 10:00 UTC)),
    };
    build_demo(dir.path(), &options).expect("demo library");
    dir
}

fn start(home: &Path, cols: u16, rows: u16) -> Pty {
    let cache = home.join("cache");
    Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_backtop")),
        &["--only", "--home", home.to_str().expect("utf-8 path")],
        &[
            ("HOME", home.to_str().expect("utf-8")),
            ("XDG_CACHE_HOME", cache.to_str().expect("utf-8")),
            ("XDG_CONFIG_HOME", cache.to_str().expect("utf-8")),
        ],
        cols,
        rows,
    )
}

#[test]
fn the_dashboard_shows_the_devices_moves_with_j_and_quits_cleanly() {
    let home = demo_home();
    let pty = start(home.path(), 100, 30);

    pty.wait_for_text("Devices (4)", WAIT).unwrap();
    // The newest device's versions show first.
    pty.wait_for_text("Versions of Anna's iPhone", WAIT)
        .unwrap();
    // Sizes fill in once the scan reports.
    pty.wait_for("the header's reclaimable figure", WAIT, |screen| {
        screen.contents().contains("reclaimable") && screen.contents().contains(" GB")
    })
    .unwrap();

    pty.send_key(Key::Char('j'));
    pty.wait_for_text("Versions of Anna's iPad", WAIT).unwrap();
    // The iPad's interrupted backup stands out with its state.
    pty.wait_for_text("interrupted", WAIT).unwrap();

    pty.send_key(Key::Char('?'));
    pty.wait_for_text("Help: keys", WAIT).unwrap();
    pty.send_key(Key::Esc);
    pty.wait_for_text_gone("Help: keys", WAIT).unwrap();

    pty.send_key(Key::Char('q'));
    let status = pty.wait_exit(WAIT).expect("backtop exits after q");
    assert!(status.success(), "exit status {status:?}");
    pty.check_restored().unwrap();
}

#[test]
fn a_terminal_too_small_gets_a_message_not_a_panic() {
    let home = demo_home();
    let pty = start(home.path(), 40, 10);
    pty.wait_for_text("needs at least", WAIT).unwrap();
    pty.wait_for_text("terminal is 40×10", WAIT).unwrap();
    pty.resize(100, 30);
    pty.wait_for_text("Devices (4)", WAIT).unwrap();
    pty.send_key(Key::Char('q'));
    let status = pty.wait_exit(WAIT).expect("backtop exits after q");
    assert!(status.success(), "exit status {status:?}");
    pty.check_restored().unwrap();
}

#[test]
fn esc_goes_back_but_never_quits_and_q_does() {
    let home = demo_home();
    let pty = start(home.path(), 100, 30);
    pty.wait_for_text("Devices (4)", WAIT).unwrap();
    pty.send_key(Key::Tab);
    pty.wait_for_text("Enter browse", WAIT)
        .expect("Tab focuses the versions pane (its footer)");
    pty.send_key(Key::Esc);
    pty.wait_for_text("/ filter", WAIT)
        .expect("Esc goes back to the devices pane");
    pty.send_key(Key::Esc);
    assert!(
        pty.wait_exit(Duration::from_millis(1500)).is_none(),
        "Esc in the devices pane does not quit"
    );
    pty.wait_for_text("Devices (4)", WAIT)
        .expect("the dashboard is still there");
    pty.send_key(Key::Char('q'));
    let status = pty.wait_exit(WAIT).expect("backtop exits after q");
    assert!(status.success(), "exit status {status:?}");
    pty.check_restored().unwrap();
}

#[test]
fn a_failed_open_gives_the_reason_and_the_shell() {
    let home = demo_home();
    let cache = home.path().join("cache");
    // A desktop with no file manager at all: nothing on PATH to open a folder with.
    let pty = Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_backtop")),
        &[
            "--only",
            "--home",
            home.path().to_str().expect("utf-8 path"),
        ],
        &[
            ("HOME", home.path().to_str().expect("utf-8")),
            ("XDG_CACHE_HOME", cache.to_str().expect("utf-8")),
            ("XDG_CONFIG_HOME", cache.to_str().expect("utf-8")),
            ("DISPLAY", ":99"),
            ("PATH", "/nonexistent"),
        ],
        100,
        30,
    );
    pty.wait_for_text("Devices (4)", WAIT).unwrap();
    pty.send_key_seq(&[Key::Enter, Key::Char('o')]);
    pty.wait_for_text("Could not open it in the file manager:", WAIT)
        .expect("the reason, not just the path");
    pty.wait_for_text("OSC 52", WAIT)
        .expect("the path is copied as when there is no desktop");
    pty.wait_for_text("! shell", WAIT)
        .expect("and the shell is offered");
    pty.send_key(Key::Esc);
    pty.wait_for_text_gone("Could not open it", WAIT).unwrap();
    pty.send_key(Key::Char('q'));
    let status = pty.wait_exit(WAIT).expect("backtop exits after q");
    assert!(status.success(), "exit status {status:?}");
    pty.check_restored().unwrap();
}
