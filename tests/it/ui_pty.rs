//! The real dashboard in a pseudo-terminal: this test binary re-runs itself as the child
//! (the ignored `pty_child` test, selected by an environment variable), so the parent can
//! press keys, read the screen through `vt100`, and check that quitting, a hang-up signal and
//! a dropped terminal all end the process with the terminal restored.

#![cfg(unix)]

use crate::support::pty::cells;
use crate::support::ui_fixture;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use backtop::commands::tui::{self, ScanFn, TuiOptions};
use backtop::scan::ScanEvent;
use backtop::tasks::Progress;
use crossbeam_channel::{unbounded, Receiver};
use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use ui_fixture::*;

const CHILD_ENV: &str = "BACKTOP_UI_PTY_CHILD";
const WAIT: Duration = Duration::from_secs(30);

/// The child: the dashboard over the fixture, with a scan that sizes everything and then
/// keeps reporting progress until it is cancelled (so keys are pressed during a running scan).
#[test]
#[ignore = "the child process of the pty tests"]
fn pty_child() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let host = ScanFn::new(|ctx| {
        let send = |ev| ctx.progress(Progress::Scan(ev));
        send(ScanEvent::Discovered(library()));
        for (path, usage) in usages() {
            send(ScanEvent::Sized { path, usage });
        }
        send(ScanEvent::Volumes(volumes()));
        let mut files = 0;
        while !ctx.cancelled() {
            send(ScanEvent::Progress {
                path: p("copy"),
                files,
                bytes: files * 10,
            });
            files += 1;
            std::thread::sleep(Duration::from_millis(5));
        }
    });
    let options = TuiOptions {
        ascii: false,
        read_only: false,
        no_color: false,
        home: Some(HOME.into()),
        host: Box::new(host),
        simulated_disks: false,
        alerts: Default::default(),
        utc: false,
    };
    let code = tui::run(library(), options).unwrap_or(70);
    std::process::exit(code);
}

struct Session {
    child: Box<dyn Child + Send + Sync>,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    output: Receiver<Vec<u8>>,
    raw: Vec<u8>,
    screen: vt100::Parser,
}

impl Session {
    fn start() -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let mut cmd = CommandBuilder::new(std::env::current_exe().expect("test binary"));
        cmd.args([
            "ui_pty::pty_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ]);
        cmd.env(CHILD_ENV, "1");
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("spawn the child");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let (tx, output) = unbounded();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Session {
            child,
            master: Some(pair.master),
            writer: Some(writer),
            output,
            raw: Vec::new(),
            screen: vt100::Parser::new(cells(24), cells(80), 0),
        }
    }

    /// Reads output until the screen contains `text`.
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + WAIT;
        while !self.screen.screen().contents().contains(text) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(chunk) => {
                    self.screen.process(&chunk);
                    self.raw.extend_from_slice(&chunk);
                }
                Err(_) => panic!(
                    "{text:?} never appeared:\n{}",
                    self.screen.screen().contents()
                ),
            }
        }
    }

    fn press(&mut self, keys: &str) {
        let w = self.writer.as_mut().expect("writer");
        w.write_all(keys.as_bytes()).expect("write keys");
        w.flush().expect("flush");
    }

    /// Waits for the child to exit; returns its exit code.
    fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + WAIT;
        loop {
            while let Ok(chunk) = self.output.try_recv() {
                self.raw.extend_from_slice(&chunk);
            }
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // Collect what the child wrote while leaving.
                while let Ok(chunk) = self.output.recv_timeout(Duration::from_millis(200)) {
                    self.raw.extend_from_slice(&chunk);
                }
                return status.exit_code();
            }
            assert!(Instant::now() < deadline, "the child is still running");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn raw_contains(&self, seq: &str) -> bool {
        self.raw.windows(seq.len()).any(|w| w == seq.as_bytes())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Never leave a child behind, even when an assertion failed.
        let _ = self.child.kill();
    }
}

#[test]
fn keys_are_answered_during_a_scan_and_q_restores_the_terminal() {
    let mut s = Session::start();
    s.wait_for("Ben's iPad");
    s.wait_for("scanning");
    s.press("j\r");
    s.wait_for("Versions of Anna's iPhone");
    s.press("?");
    s.wait_for("Help: keys");
    s.press("qq");
    assert_eq!(
        s.exit_code(),
        0,
        "q closes help, the second q quits with status 0"
    );
    assert!(
        s.raw_contains("\x1b[?1049l"),
        "the alternate screen was left"
    );
    assert!(s.raw_contains("\x1b[?25h"), "the cursor was shown again");
    assert!(
        s.raw_contains("\x1b[?1000l"),
        "mouse capture was turned off"
    );
}

#[test]
fn a_hangup_signal_ends_the_process() {
    let mut s = Session::start();
    s.wait_for("Ben's iPad");
    let pid = s.child.process_id().expect("child pid") as i32;
    // SAFETY: kill(2) on our own child's pid with a valid signal number.
    let rc = unsafe { libc::kill(pid, libc::SIGHUP) };
    assert_eq!(rc, 0, "the signal was sent");
    assert_eq!(s.exit_code(), 129, "SIGHUP ends the dashboard with 128 + 1");
    assert!(
        s.raw_contains("\x1b[?1049l"),
        "the terminal was restored on the way out"
    );
}

#[test]
fn a_dropped_terminal_ends_the_process() {
    let mut s = Session::start();
    s.wait_for("Ben's iPad");
    // Close every handle on the master side, as a dropped SSH session does: the writer, the
    // master, and (by dropping the channel it feeds) the reader thread's clone.
    s.writer = None;
    s.master = None;
    s.output = crossbeam_channel::never();
    assert_eq!(
        s.exit_code(),
        129,
        "the dashboard noticed the hang-up and exited as for SIGHUP"
    );
}
