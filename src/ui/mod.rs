//! The dashboard: terminal setup and restore ([`terminal`]), the event loop (here), app state
//! ([`app`]), one keymap ([`keymap`]), styles ([`theme`]) and one view file per pane ([`view`]).
//!
//! The loop waits on one channel that carries everything: terminal input (read on its own
//! thread, with signals folded in as [`Msg::Quit`]), and the messages of the background jobs
//! the [`Host`] starts ([`Msg::Job`]: scans, checks, deletes, verifies), sent straight from the
//! worker threads; a timer ticks when nothing comes. Every queued message is drained and fed
//! to [`App::update`] before drawing, and frames are drawn at most every [`FRAME`], so a burst
//! of scan events costs one redraw and a key is answered within a frame. Effects other than
//! quit go to the host; after [`Effect::Shell`] (the host ran a shell with the dashboard
//! suspended) the whole screen is repainted.

pub mod app;
pub mod fit;
pub mod format;
pub mod keymap;
pub mod layout;
pub mod local_time;
pub mod locale;
pub mod msg;
pub mod terminal;
pub mod theme;
pub mod view;

use std::io;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use ratatui::backend::Backend;
use ratatui::Terminal;
use time::OffsetDateTime;

pub use app::{App, AppOptions, Confirm, Pane, SortKey};
pub use msg::{job_sink, Effect, Msg};
pub use view::draw;

/// Shortest time between two frames.
pub const FRAME: Duration = Duration::from_millis(16);
/// Clock tick when nothing else happens (ages, elapsed time).
pub const TICK: Duration = Duration::from_secs(1);
/// Most messages folded into one frame, so a flood of scan events cannot starve drawing.
const BATCH: usize = 4096;

/// What the dashboard needs from the rest of the program: the effects of actions, most of
/// them run as background jobs ([`crate::tasks`]). The binary uses
/// [`crate::commands::host::DashboardHost`]; tests use fakes.
pub trait Host {
    /// Called once before the loop starts with a sender into the loop's message channel:
    /// jobs report through it as [`Msg::Job`] (one hop from the worker thread), and quick
    /// effects may answer with [`Msg::Copied`], [`Msg::Status`] or [`Msg::Rescan`].
    fn connect(&mut self, _messages: Sender<Msg>) {}
    /// Carries out an effect other than [`Effect::Quit`]; returns a line for the status bar.
    /// Must not block for long: slow work is a job. [`Effect::Shell`] is the exception: it
    /// blocks while the shell runs (the loop redraws everything afterwards).
    fn perform(&mut self, effect: Effect) -> Option<String> {
        Some(format!("{}: not available yet", effect.name()))
    }
    /// The dashboard ends: cancel what runs (waiting only for work that must end cleanly).
    fn shutdown(&mut self) {}
}

/// Runs the dashboard on `terminal` until the user quits or `input` says [`Msg::Quit`] (or
/// disconnects). A scan is asked for at once. `clock` gives "now" for ticks. Returns an error
/// only if drawing fails (e.g. the terminal went away).
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
    carry_out(Effect::Rescan, terminal, app, host)?;
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
        for msg in next_batch(input, timeout, clock) {
            dirty = true;
            for effect in app.update(msg) {
                if carry_out(effect, terminal, app, host)? {
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
) -> io::Result<bool>
where
    B::Error: 'static,
{
    match effect {
        Effect::Quit => return Ok(true),
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

/// Waits up to `timeout` for the first message (a tick when nothing came), then drains what
/// else is queued, at most [`BATCH`].
fn next_batch(input: &Receiver<Msg>, timeout: Duration, clock: fn() -> OffsetDateTime) -> Vec<Msg> {
    let first = match input.recv_timeout(timeout) {
        Ok(m) => m,
        Err(RecvTimeoutError::Timeout) => Msg::Tick(clock()),
        Err(RecvTimeoutError::Disconnected) => Msg::Quit,
    };
    let mut batch = vec![first];
    batch.extend(input.try_iter().take(BATCH));
    batch
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
