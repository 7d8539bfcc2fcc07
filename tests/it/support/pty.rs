//! Runs a program in a pseudo-terminal (`portable-pty`) and keeps a VT100 model of its screen
//! (`vt100`), for end-to-end tests of the real `backtop` binary (`env!("CARGO_BIN_EXE_backtop")`).
//!
//! A reader thread feeds everything the program writes into the parser (and keeps the raw
//! bytes), answering cursor-position and device-attribute queries like a terminal would. A
//! waiter thread records the exit status. Waits block on a condition variable that both threads
//! signal, so tests wait for what they need to see, never for a fixed time.
//!
//! ```ignore
//! mod support;
//! use support::{keys::Key, pty::Pty};
//!
//! let home = tempfile::tempdir()?; // never the real home
//! let bin = std::path::Path::new(env!("CARGO_BIN_EXE_backtop"));
//! let pty = Pty::spawn(bin, &["--demo"], &[("HOME", home.path().to_str().unwrap())], 100, 30);
//! pty.wait_for_text("Devices", Duration::from_secs(10))?;
//! pty.send_key(Key::Down);
//! pty.send_keys(b"q");
//! assert!(pty.wait_exit(Duration::from_secs(10)).is_some_and(|s| s.success()));
//! pty.check_restored()?;
//! ```

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use portable_pty::{
    native_pty_system, ChildKiller, CommandBuilder, ExitStatus, MasterPty, PtySize,
};

use super::keys::Key;
use super::queries::{Query, QueryScanner};

/// The escape sequence that leaves the alternate screen.
pub const LEAVE_ALTERNATE_SCREEN: &[u8] = b"\x1b[?1049l";
/// Begin and end of a synchronized update (DEC mode 2026): backtop wraps each frame in them.
const FRAME_BEGIN: &[u8] = b"\x1b[?2026h";
const FRAME_END: &[u8] = b"\x1b[?2026l";

/// What the reader and waiter threads share with the test.
struct Shared {
    parser: vt100::Parser,
    raw: Vec<u8>,
    /// Inside a synchronized update: the screen is a half-drawn frame, not judged by waits.
    frame_open: bool,
    /// The reader saw end of output (the program and everything holding the pty exited).
    eof: bool,
    exit: Option<ExitStatus>,
}

type State = Arc<(Mutex<Shared>, Condvar)>;

/// A program running in a pseudo-terminal. Dropping it kills the program if still running.
pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    killer: Box<dyn ChildKiller + Send + Sync>,
    state: State,
}

/// The terminal's state after the program exited, for [`Pty::check_restored`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerminalState {
    /// Still on the alternate screen.
    pub alternate_screen: bool,
    /// Cursor still hidden.
    pub cursor_hidden: bool,
    /// The output contained `ESC [ ? 1049 l` at least once.
    pub left_alternate_screen: bool,
    /// Canonical mode or echo still off (raw mode left on); `None` where termios is unavailable.
    pub raw_mode: Option<bool>,
}

impl Pty {
    /// Starts `bin` with `args` in a `cols`×`rows` pty, in the current directory, with the
    /// inherited environment plus `TERM=xterm-256color` and `env` (which wins). Panics if the
    /// pty or the process cannot be created (a test failure either way).
    pub fn spawn(bin: &Path, args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Pty {
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        // portable-pty would otherwise start in $HOME; tests must not depend on the real home.
        cmd.cwd(std::env::current_dir().unwrap_or_else(|_| "/".into()));
        Self::spawn_command(cmd, cols, rows)
    }

    /// Starts a prepared command (own cwd, cleared environment, …) in a `cols`×`rows` pty.
    pub fn spawn_command(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system()
            .openpty(size)
            .unwrap_or_else(|e| panic!("openpty: {e}"));
        let program = format!("{:?}", cmd.get_argv());
        let mut child = pair
            .slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("spawn {program}: {e}"));
        // Only the child may hold the slave side, so the reader sees EOF when it exits.
        drop(pair.slave);
        let reader = pair
            .master
            .try_clone_reader()
            .unwrap_or_else(|e| panic!("pty reader: {e}"));
        let writer = pair
            .master
            .take_writer()
            .unwrap_or_else(|e| panic!("pty writer: {e}"));
        let writer = Arc::new(Mutex::new(writer));
        let shared = Shared {
            parser: vt100::Parser::new(cells(rows), cells(cols), 0),
            raw: Vec::new(),
            frame_open: false,
            eof: false,
            exit: None,
        };
        let state: State = Arc::new((Mutex::new(shared), Condvar::new()));
        let killer = child.clone_killer();
        spawn_reader(reader, Arc::clone(&state), Arc::clone(&writer));
        let waiter_state = Arc::clone(&state);
        std::thread::spawn(move || {
            let status = child
                .wait()
                .unwrap_or_else(|_| ExitStatus::with_exit_code(u32::MAX));
            let (lock, cvar) = &*waiter_state;
            lock_shared(lock).exit = Some(status);
            cvar.notify_all();
        });
        Pty {
            master: pair.master,
            writer,
            killer,
            state,
        }
    }

    /// Sends raw bytes as if typed.
    pub fn send_keys(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        w.write_all(bytes)
            .and_then(|()| w.flush())
            .unwrap_or_else(|e| panic!("writing to the pty: {e}"));
    }

    /// Sends one named key.
    pub fn send_key(&self, key: Key) {
        self.send_keys(&key.bytes());
    }

    /// Sends each key in turn.
    pub fn send_key_seq(&self, keys: &[Key]) {
        for &k in keys {
            self.send_key(k);
        }
    }

    /// The screen as text, rows joined by newlines, trailing blanks trimmed.
    pub fn screen_text(&self) -> String {
        lock_shared(&self.state.0).parser.screen().contents()
    }

    /// Everything the program wrote so far, escape sequences included.
    pub fn raw_output(&self) -> Vec<u8> {
        lock_shared(&self.state.0).raw.clone()
    }

    /// Runs `f` on the parsed screen (colours, attributes, cursor, modes).
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(lock_shared(&self.state.0).parser.screen())
    }

    /// Waits until the screen contains `text`; returns the screen, or on timeout (or if the
    /// program's output ended without it) an error with the last screen.
    pub fn wait_for_text(&self, text: &str, timeout: Duration) -> Result<String, String> {
        self.wait_for(&format!("text {text:?}"), timeout, |screen| {
            screen.contents().contains(text)
        })
    }

    /// Waits until the screen no longer contains `text`.
    pub fn wait_for_text_gone(&self, text: &str, timeout: Duration) -> Result<String, String> {
        self.wait_for(&format!("{text:?} to disappear"), timeout, |screen| {
            !screen.contents().contains(text)
        })
    }

    /// Waits until `done` holds for the parsed screen; `what` names the condition in errors.
    pub fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        done: impl Fn(&vt100::Screen) -> bool,
    ) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        let (lock, cvar) = &*self.state;
        let mut shared = lock_shared(lock);
        loop {
            let screen = shared.parser.screen();
            if !shared.frame_open && done(screen) {
                return Ok(screen.contents());
            }
            let now = Instant::now();
            if shared.eof || now >= deadline {
                let why = if shared.eof {
                    "output ended"
                } else {
                    "timed out"
                };
                return Err(format!(
                    "{why} after {:?} waiting for {what}; exit: {:?}; last screen:\n{}",
                    timeout - deadline.saturating_duration_since(now),
                    shared.exit,
                    screen.contents()
                ));
            }
            shared = cvar
                .wait_timeout(shared, deadline - now)
                .map_or_else(|p| p.into_inner().0, |r| r.0);
        }
    }

    /// Waits for the program to exit and its output to be read to the end; `None` on timeout.
    pub fn wait_exit(&self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        let (lock, cvar) = &*self.state;
        let mut shared = lock_shared(lock);
        loop {
            if shared.exit.is_some() && shared.eof {
                return shared.exit.clone();
            }
            let now = Instant::now();
            if now >= deadline {
                return None;
            }
            shared = cvar
                .wait_timeout(shared, deadline - now)
                .map_or_else(|p| p.into_inner().0, |r| r.0);
        }
    }

    /// Changes the terminal size (the program gets SIGWINCH).
    pub fn resize(&self, cols: u16, rows: u16) {
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        self.master
            .resize(size)
            .unwrap_or_else(|e| panic!("resize: {e}"));
        lock_shared(&self.state.0)
            .parser
            .set_size(cells(rows), cells(cols));
    }

    /// The terminal modes as the program left them (meaningful once it exited).
    pub fn terminal_state(&self) -> TerminalState {
        let shared = lock_shared(&self.state.0);
        let screen = shared.parser.screen();
        TerminalState {
            alternate_screen: screen.alternate_screen(),
            cursor_hidden: screen.hide_cursor(),
            left_alternate_screen: contains(&shared.raw, LEAVE_ALTERNATE_SCREEN),
            raw_mode: self.raw_mode(),
        }
    }

    /// `Ok` if the program left the terminal usable: main screen, cursor visible, the
    /// leave-alternate-screen sequence sent, and canonical mode with echo back on.
    pub fn check_restored(&self) -> Result<(), String> {
        let t = self.terminal_state();
        let mut problems = Vec::new();
        if t.alternate_screen {
            problems.push("still on the alternate screen");
        }
        if t.cursor_hidden {
            problems.push("cursor still hidden");
        }
        if !t.left_alternate_screen {
            problems.push("never sent ESC[?1049l");
        }
        if t.raw_mode == Some(true) {
            problems.push("raw mode left on (no ICANON/ECHO)");
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(format!(
            "terminal not restored: {}; {t:?}; screen:\n{}",
            problems.join(", "),
            self.screen_text()
        ))
    }

    #[cfg(unix)]
    fn raw_mode(&self) -> Option<bool> {
        let fd = self.master.as_raw_fd()?;
        // SAFETY: tcgetattr only writes into the zeroed termios we own; fd is the open master.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &mut t) } != 0 {
            return None;
        }
        Some(t.c_lflag & libc::ICANON == 0 || t.c_lflag & libc::ECHO == 0)
    }

    #[cfg(not(unix))]
    fn raw_mode(&self) -> Option<bool> {
        None
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if lock_shared(&self.state.0).exit.is_none() {
            let _ = self.killer.kill();
        }
    }
}

/// Locks the shared state, also after a panic in another thread (the data stays usable).
fn lock_shared(lock: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    lock.lock().unwrap_or_else(|p| p.into_inner())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads the program's output until EOF into the parser, answering terminal queries.
/// Whether `bytes` leave a synchronized update open (`Some(true)`), closed (`Some(false)`), or
/// say nothing of one (`None`).
fn frame_state(bytes: &[u8]) -> Option<bool> {
    let last = |marker: &[u8]| bytes.windows(marker.len()).rposition(|w| w == marker);
    match (last(FRAME_BEGIN), last(FRAME_END)) {
        (None, None) => None,
        (begin, end) => Some(begin > end),
    }
}

fn spawn_reader(
    mut reader: Box<dyn Read + Send>,
    state: State,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
) {
    std::thread::spawn(move || {
        let mut scanner = QueryScanner::default();
        let mut buf = [0u8; 8192];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let (lock, cvar) = &*state;
            let mut shared = lock_shared(lock);
            let from = shared.raw.len().saturating_sub(FRAME_BEGIN.len() - 1);
            shared.raw.extend_from_slice(&buf[..n]);
            if let Some(open) = frame_state(&shared.raw[from..]) {
                shared.frame_open = open;
            }
            let mut replies = String::new();
            let mut start = 0;
            for i in 0..n {
                let Some(query) = scanner.feed(buf[i]) else {
                    continue;
                };
                // Answer with the cursor where the query was, not where the chunk ends.
                shared.parser.process(&buf[start..=i]);
                start = i + 1;
                match query {
                    Query::CursorPosition => {
                        let (row, col) = shared.parser.screen().cursor_position();
                        replies.push_str(&format!("\x1b[{};{}R", row + 1, col + 1));
                    }
                    Query::DeviceAttributes => replies.push_str("\x1b[?62;22c"),
                }
            }
            shared.parser.process(&buf[start..n]);
            drop(shared);
            cvar.notify_all();
            if !replies.is_empty() {
                let mut w = writer.lock().unwrap_or_else(|p| p.into_inner());
                let _ = w.write_all(replies.as_bytes()).and_then(|()| w.flush());
            }
        }
        let (lock, cvar) = &*state;
        lock_shared(lock).eof = true;
        cvar.notify_all();
    });
}

/// A terminal dimension as vt100 takes it (at least one cell).
pub fn cells(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN)
}
