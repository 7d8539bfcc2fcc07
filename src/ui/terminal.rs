//! Putting the terminal into dashboard mode and always getting it back, three ways: a
//! [`TerminalGuard`] whose `Drop` restores on normal exits and errors, a chained panic hook
//! (restore, then the previous hook prints the panic; a panic inside a background job is left
//! to the job, which ends as failed), and SIGHUP/SIGTERM/SIGINT/SIGQUIT turned
//! into [`Msg::Quit`] so the loop ends and the guard restores. A dropped SSH session (SIGHUP,
//! or an error reading the terminal) ends the loop too: no stray process is left behind.
//!
//! Each frame reaches the terminal in one write, wrapped in a synchronized update (DEC mode
//! 2026, see [`FrameWriter`]): terminals that know the mode show it whole, never torn, and over
//! SSH a frame is one packet rather than one per kilobyte.

use std::io::{self, Stdout, Write};
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::Once;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;
use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use super::msg::Msg;

/// Signal number of a hang-up, also reported when reading the terminal fails.
const HANGUP: i32 = 1;

/// The signal that ended the dashboard, 0 if none.
static SIGNAL: AtomicI32 = AtomicI32::new(0);
/// Set by [`suspend`]: the input thread must stop reading the terminal.
static INPUT_PAUSED: AtomicBool = AtomicBool::new(false);
/// Set by the input thread while it is paused (not inside `poll`/`read`).
static INPUT_PARKED: AtomicBool = AtomicBool::new(false);
/// A child program has the terminal: Ctrl-C and Ctrl-\ are its, not ours.
static SUSPENDED: AtomicBool = AtomicBool::new(false);
/// How long the input thread waits for an event before looking at [`INPUT_PAUSED`] again.
const INPUT_POLL: Duration = Duration::from_millis(40);
/// Longest [`suspend`] waits for the input thread to park.
const PARK_WAIT: Duration = Duration::from_secs(1);

/// The signal number that ended the dashboard, if one did (for exit code 128 + n).
pub fn quit_signal() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        n => Some(n),
    }
}

/// The terminal in raw mode, alternate screen and mouse capture; restored when dropped.
///
/// The ratatui `Terminal` is never dropped: its `Drop` shows the cursor and `eprintln!`s on
/// failure, which panics when the terminal hung up. [`restore`] shows the cursor instead.
pub struct TerminalGuard {
    /// The ratatui terminal to draw on.
    pub terminal: ManuallyDrop<Terminal<CrosstermBackend<FrameWriter>>>,
}

impl TerminalGuard {
    /// Enters dashboard mode (installing the panic hook once).
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut stdout = io::stdout();
        if let Err(e) = execute!(stdout, EnterAlternateScreen, EnableMouseCapture) {
            restore();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(FrameWriter::new(stdout))) {
            Ok(mut terminal) => {
                let _ = terminal.hide_cursor();
                Ok(TerminalGuard {
                    terminal: ManuallyDrop::new(terminal),
                })
            }
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Begins a synchronized update (DEC private mode 2026); terminals without it ignore it.
const BEGIN_FRAME: &[u8] = b"\x1b[?2026h";
/// Ends a synchronized update: the terminal shows what came since [`BEGIN_FRAME`].
const END_FRAME: &[u8] = b"\x1b[?2026l";

/// Holds what ratatui writes until it flushes (once per frame), then writes it to the
/// terminal in one piece between [`BEGIN_FRAME`] and [`END_FRAME`].
pub struct FrameWriter {
    out: Stdout,
    frame: Vec<u8>,
}

impl FrameWriter {
    fn new(out: Stdout) -> Self {
        FrameWriter {
            out,
            frame: Vec::with_capacity(64 * 1024),
        }
    }
}

impl Write for FrameWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.frame.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.frame.is_empty() {
            return self.out.flush();
        }
        let mut whole = Vec::with_capacity(self.frame.len() + BEGIN_FRAME.len() + END_FRAME.len());
        whole.extend_from_slice(BEGIN_FRAME);
        whole.append(&mut self.frame);
        whole.extend_from_slice(END_FRAME);
        let mut out = self.out.lock();
        out.write_all(&whole)?;
        out.flush()
    }
}

/// Raw mode off, mouse capture off, alternate screen left, cursor shown. Errors are ignored:
/// the terminal may already be gone.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A background job's panic becomes a failed job; the dashboard goes on.
            if crate::tasks::panic::absorb(info) {
                return;
            }
            restore();
            previous(info);
        }));
    });
}

/// Reads terminal events on their own thread and forwards them as messages. A read error
/// (EIO when the terminal is gone) sends [`Msg::Quit`] and ends the thread. While [`suspend`]
/// runs a program, the thread parks instead of reading, so that program gets every key.
pub fn spawn_input(tx: Sender<Msg>) -> io::Result<()> {
    thread::Builder::new()
        .name("backtop-input".into())
        .spawn(move || loop {
            if INPUT_PAUSED.load(Ordering::SeqCst) {
                INPUT_PARKED.store(true, Ordering::SeqCst);
                thread::sleep(INPUT_POLL);
                continue;
            }
            INPUT_PARKED.store(false, Ordering::SeqCst);
            if INPUT_PAUSED.load(Ordering::SeqCst) {
                continue;
            }
            let msg = match event::poll(INPUT_POLL).and_then(|ready| {
                if ready {
                    event::read().map(Some)
                } else {
                    Ok(None)
                }
            }) {
                Ok(None) => continue,
                Ok(Some(ev)) => match to_msg(ev) {
                    Some(msg) => msg,
                    None => continue,
                },
                Err(_) => {
                    // The terminal is gone (EIO after a hang-up): end as a hang-up would.
                    let _ = SIGNAL.compare_exchange(0, HANGUP, Ordering::SeqCst, Ordering::SeqCst);
                    Msg::Quit
                }
            };
            let quit = matches!(msg, Msg::Quit);
            if tx.send(msg).is_err() || quit {
                break;
            }
        })
        .map(|_| ())
}

/// Hands the terminal to `run` (e.g. a shell) and takes it back: parks the input thread, leaves
/// raw mode and the alternate screen, runs `run`, then re-enters dashboard mode. The caller
/// must redraw everything afterwards (`Terminal::clear`). Ctrl-C and Ctrl-\ meanwhile go to
/// the program only; a hang-up or SIGTERM still ends the dashboard once it returns.
pub fn suspend<T>(run: impl FnOnce() -> T) -> io::Result<T> {
    INPUT_PAUSED.store(true, Ordering::SeqCst);
    let start = Instant::now();
    while !INPUT_PARKED.load(Ordering::SeqCst) && start.elapsed() < PARK_WAIT {
        thread::sleep(Duration::from_millis(5));
    }
    SUSPENDED.store(true, Ordering::SeqCst);
    restore();
    let out = run();
    SUSPENDED.store(false, Ordering::SeqCst);
    let entered = enable_raw_mode().and_then(|()| {
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            crossterm::cursor::Hide
        )
    });
    INPUT_PAUSED.store(false, Ordering::SeqCst);
    entered.map(|()| out)
}

fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Msg::Key(k)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Msg::Click {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollDown => Some(Msg::Wheel {
                column: m.column,
                row: m.row,
                down: true,
            }),
            MouseEventKind::ScrollUp => Some(Msg::Wheel {
                column: m.column,
                row: m.row,
                down: false,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Turns SIGHUP, SIGTERM, SIGINT and SIGQUIT into [`Msg::Quit`] (remembering which one).
#[cfg(unix)]
pub fn spawn_signals(tx: Sender<Msg>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT, SIGQUIT])?;
    thread::Builder::new()
        .name("backtop-signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                if SUSPENDED.load(Ordering::SeqCst) && (sig == SIGINT || sig == SIGQUIT) {
                    continue; // meant for the shell that has the terminal
                }
                if SIGNAL.swap(sig, Ordering::SeqCst) != 0 {
                    // A second signal: the loop did not end in time; leave now.
                    restore();
                    std::process::exit(128 + sig);
                }
                let _ = tx.send(Msg::Quit);
            }
        })
        .map(|_| ())
}

/// Signals are not watched on this platform (Ctrl-C arrives as a key in raw mode).
#[cfg(not(unix))]
pub fn spawn_signals(_tx: Sender<Msg>) -> io::Result<()> {
    Ok(())
}
