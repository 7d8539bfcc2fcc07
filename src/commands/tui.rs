//! The dashboard (no subcommand): builds the [`App`] from the discovered library, enters the
//! terminal (restored on every exit path), and runs the event loop until the user quits or a
//! signal arrives. The caller supplies the [`Host`] that starts scans and performs actions:
//! [`crate::commands::host::DashboardHost`] in the binary, fakes in tests.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{bail, Context};
use crossbeam_channel::Receiver;
use time::{OffsetDateTime, UtcOffset};

use crate::library::Library;
use crate::scan::ScanEvent;
use crate::ui::app::{App, AppOptions};
use crate::ui::terminal::{self, TerminalGuard};
use crate::ui::theme::Theme;
use crate::ui::{run_loop, Host};

/// How the dashboard runs.
pub struct TuiOptions {
    /// ASCII borders and gauges (`--ascii`).
    pub ascii: bool,
    /// Refuse delete and prune (`--read-only`).
    pub read_only: bool,
    /// No colours at all (the `NO_COLOR` environment variable, see [`no_color_from_env`]).
    pub no_color: bool,
    /// The user's home, shown as `~`.
    pub home: Option<PathBuf>,
    /// Starts scans and performs actions.
    pub host: Box<dyn Host>,
}

impl TuiOptions {
    /// Options from the CLI flags and the environment, with `host` to scan and act.
    pub fn new(ascii: bool, read_only: bool, host: Box<dyn Host>) -> Self {
        TuiOptions {
            ascii,
            read_only,
            no_color: no_color_from_env(),
            home: dirs::home_dir(),
            host,
        }
    }
}

/// True when `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
pub fn no_color_from_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// A [`Host`] from a function that starts a scan and returns its events; actions report
/// "not available yet". For wiring `crate::scan::start` until the action workers land.
pub struct ScanFn<F: FnMut() -> Receiver<ScanEvent>>(pub F);

impl<F: FnMut() -> Receiver<ScanEvent>> Host for ScanFn<F> {
    fn start_scan(&mut self) -> Receiver<ScanEvent> {
        (self.0)()
    }
}

/// errno of an I/O error on a terminal that hung up.
const EIO: i32 = 5;

/// Runs the dashboard over `library`. Returns the exit code: 0 after quitting, 128 + n after
/// signal n (129 for a hang-up, also when the terminal went away).
pub fn run(library: Library, options: TuiOptions) -> anyhow::Result<i32> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("the dashboard needs a terminal; for text output try `backtop list` or `backtop du`");
    }
    // Ask for the local offset before any thread starts (it is refused afterwards on Unix).
    let offset = UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC);
    let app_options = AppOptions {
        read_only: options.read_only,
        theme: Theme::new(!options.no_color, options.ascii),
        offset,
        home: options.home,
    };
    let mut app = App::new(library, app_options, OffsetDateTime::now_utc());
    let mut host = options.host;
    let (tx, rx) = crossbeam_channel::unbounded();
    host.connect(tx.clone());
    let mut guard = TerminalGuard::enter().context("setting up the terminal")?;
    terminal::spawn_input(tx.clone()).context("starting the input thread")?;
    terminal::spawn_signals(tx).context("watching signals")?;
    let result = run_loop(
        &mut guard.terminal,
        &mut app,
        host.as_mut(),
        &rx,
        OffsetDateTime::now_utc,
    );
    drop(guard);
    host.cancel_scan();
    if let Some(sig) = terminal::quit_signal() {
        return Ok(128 + sig);
    }
    match result {
        Ok(()) => Ok(0),
        // Writing to a terminal that hung up fails with EIO (or EPIPE): end as a hang-up.
        Err(e) if e.raw_os_error() == Some(EIO) || e.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(128 + 1)
        }
        Err(e) => Err(e).context("drawing the dashboard"),
    }
}
