//! The dashboard: terminal setup and restore ([`terminal`]), the event loop (here), app state
//! ([`app`]), one keymap ([`keymap`]), styles ([`theme`]) and one view file per pane ([`view`]).
//!
//! The loop waits with one crossbeam `select!` on three sources: terminal input (read on its
//! own thread, with signals folded in as [`Msg::Quit`]), the running scan's events, and a
//! timer. Every queued message is drained and fed to [`App::update`] before drawing, and frames
//! are drawn at most every [`FRAME`], so a burst of scan events costs one redraw and a key is
//! answered within a frame. Effects other than quit and rescan go to the [`Host`]; after
//! [`Effect::Shell`] (the host ran a shell with the dashboard suspended) the whole screen is
//! repainted. Workers the host starts report back through the same input channel
//! ([`Msg::Task`], [`Msg::DeleteChecks`], [`Msg::Copied`]).

pub mod app;
pub mod format;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod task;
pub mod terminal;
pub mod theme;
pub mod view;

use std::io;
use std::time::{Duration, Instant};

use crossbeam_channel::{never, select, Receiver, Sender};
use ratatui::backend::Backend;
use ratatui::Terminal;
use time::OffsetDateTime;

pub use app::{App, AppOptions, Confirm, Pane, SortKey};
pub use msg::{Effect, Msg};
pub use view::draw;

use crate::scan::ScanEvent;

/// Shortest time between two frames.
pub const FRAME: Duration = Duration::from_millis(16);
/// Clock tick when nothing else happens (ages, elapsed time).
pub const TICK: Duration = Duration::from_secs(1);
/// Most messages folded into one frame, so a flood of scan events cannot starve drawing.
const BATCH: usize = 4096;

/// What the dashboard needs from the rest of the program: scans and the effects of actions.
/// The lead wires the real scan worker and action workers; tests use a fake.
pub trait Host {
    /// Called once before the loop starts with a sender into the loop's message channel, so
    /// workers the host starts can report back: [`Msg::DeleteChecks`] answering
    /// [`Effect::PlanDelete`], [`Msg::Task`] progress of deletes and verifies, [`Msg::Copied`]
    /// after an open without a desktop, [`Msg::Status`] or [`Msg::Rescan`].
    fn connect(&mut self, _messages: Sender<Msg>) {}
    /// Starts a scan; its events arrive on the returned receiver until it disconnects.
    fn start_scan(&mut self) -> Receiver<ScanEvent>;
    /// Cancels the running scan, if any.
    fn cancel_scan(&mut self) {}
    /// Carries out [`Effect::Open`], [`Effect::Verify`], [`Effect::PlanDelete`],
    /// [`Effect::Delete`], [`Effect::CancelTask`] or [`Effect::Shell`]; returns a line for the
    /// status bar. Must not block for long: start long work on a thread. [`Effect::Shell`] is
    /// the exception: it blocks while the shell runs (the loop redraws everything afterwards).
    fn perform(&mut self, effect: Effect) -> Option<String> {
        Some(format!("{}: not available yet", effect_name(&effect)))
    }
}

fn effect_name(effect: &Effect) -> &'static str {
    match effect {
        Effect::Quit => "quit",
        Effect::Rescan => "rescan",
        Effect::Open(_) => "open",
        Effect::Verify(_) => "verify",
        Effect::PlanDelete(_) | Effect::Delete(_) => "delete",
        Effect::CancelTask => "cancel",
        Effect::Shell(_) => "shell",
    }
}

/// Runs the dashboard on `terminal` until the user quits or `input` says [`Msg::Quit`] (or
/// disconnects). `clock` gives "now" for ticks. Returns an error only if drawing fails (e.g.
/// the terminal went away).
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    host: &mut dyn Host,
    input: &Receiver<Msg>,
    clock: fn() -> OffsetDateTime,
) -> io::Result<()>
where
    B::Error: 'static,
{
    let size = terminal.size().map_err(backend_error)?;
    app.update(Msg::Resize(size.width, size.height));
    let mut scan = Some(host.start_scan());
    app.update(Msg::ScanStarted);
    let mut dirty = true;
    let mut last_draw: Option<Instant> = None;
    loop {
        let since = last_draw.map_or(FRAME, |t| t.elapsed());
        if dirty && since >= FRAME {
            terminal
                .draw(|frame| draw(frame, app))
                .map_err(backend_error)?;
            last_draw = Some(Instant::now());
            dirty = false;
        }
        let timeout = if dirty {
            FRAME.saturating_sub(since)
        } else {
            TICK
        };
        let (batch, scan_ended) = next_batch(input, scan.as_ref(), timeout, clock);
        if scan_ended {
            scan = None;
        }
        for msg in batch {
            dirty = true;
            for effect in app.update(msg) {
                if carry_out(effect, terminal, app, host, &mut scan)? {
                    return Ok(());
                }
            }
        }
    }
}

/// Carries out one effect; true when the dashboard must end.
fn carry_out<B: Backend>(
    effect: Effect,
    terminal: &mut Terminal<B>,
    app: &mut App,
    host: &mut dyn Host,
    scan: &mut Option<Receiver<ScanEvent>>,
) -> io::Result<bool>
where
    B::Error: 'static,
{
    match effect {
        Effect::Quit => return Ok(true),
        Effect::Rescan => {
            host.cancel_scan();
            *scan = Some(host.start_scan());
            app.update(Msg::ScanStarted);
        }
        Effect::Shell(dir) => {
            let line = host.perform(Effect::Shell(dir));
            // The shell drew over everything: repaint the whole screen.
            terminal.clear().map_err(backend_error)?;
            let size = terminal.size().map_err(backend_error)?;
            app.update(Msg::Resize(size.width, size.height));
            app.update(Msg::Status(line.unwrap_or_default()));
        }
        other => {
            if let Some(line) = host.perform(other) {
                app.update(Msg::Status(line));
            }
        }
    }
    Ok(false)
}

/// Waits up to `timeout` for the first message from input or the scan (a tick when nothing
/// came), then drains what else is queued. Also says whether the scan's channel closed.
fn next_batch(
    input: &Receiver<Msg>,
    scan: Option<&Receiver<ScanEvent>>,
    timeout: Duration,
    clock: fn() -> OffsetDateTime,
) -> (Vec<Msg>, bool) {
    let none = never();
    let events = scan.unwrap_or(&none);
    let mut batch = Vec::new();
    let mut ended = false;
    select! {
        recv(input) -> m => batch.push(m.unwrap_or(Msg::Quit)),
        recv(events) -> e => match e {
            Ok(ev) => batch.push(Msg::Scan(ev)),
            Err(_) => ended = true,
        },
        default(timeout) => batch.push(Msg::Tick(clock())),
    }
    batch.extend(input.try_iter().take(BATCH));
    batch.extend(events.try_iter().take(BATCH).map(Msg::Scan));
    (batch, ended)
}

/// A backend's error as an `io::Error` (ratatui 0.30 backends each have their own error type).
/// The terminal's own `io::Error` passes through unchanged: its errno (EIO after a hang-up) is
/// how [`crate::commands::tui::run`] tells a dropped terminal from a failure.
fn backend_error<E: std::error::Error + 'static>(e: E) -> io::Error {
    let message = e.to_string();
    let any: Box<dyn std::any::Any> = Box::new(e);
    match any.downcast::<io::Error>() {
        Ok(io) => *io,
        Err(_) => io::Error::other(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_error_keeps_its_errno_and_others_keep_their_message() {
        let hung_up = backend_error(io::Error::from_raw_os_error(5));
        assert_eq!(hung_up.raw_os_error(), Some(5));
        let other = backend_error(std::fmt::Error);
        assert_eq!(other.raw_os_error(), None);
        assert_eq!(other.to_string(), std::fmt::Error.to_string());
    }
}
