//! The dashboard (no subcommand): builds the [`App`] from the discovered library, enters the
//! terminal (restored on every exit path), and runs the event loop until the user quits or a
//! signal arrives. The caller supplies the [`Host`] that starts scans and performs actions:
//! [`crate::commands::host::DashboardHost`] in the binary, fakes in tests.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use crossbeam_channel::Sender;
use time::OffsetDateTime;

use crate::library::alerts::AlertSettings;
use crate::library::Library;
use crate::tasks::{Ctx, JobKind, Jobs, Outcome};
use crate::ui::app::{App, AppOptions};
use crate::ui::terminal::{self, TerminalGuard};
use crate::ui::theme::Theme;
use crate::ui::{job_sink, run_loop, Effect, Host, Msg};
use crate::ui::{local_time, locale};

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
    /// The volumes are made up (`--demo`): the disk pane says so.
    pub simulated_disks: bool,
    /// The alerts' settings (the config file's `[alerts]`).
    pub alerts: AlertSettings,
    /// Dates in UTC (`time = "utc"`), else in the system's zone ([`local_time::zone`]).
    pub utc: bool,
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
            simulated_disks: false,
            alerts: AlertSettings::default(),
            utc: false,
        }
    }
}

/// True when `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
pub fn no_color_from_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// A [`Host`] whose scans run a function as the scan job; other actions report "not
/// available yet". For running the dashboard over a made-up scan (tests).
pub struct ScanFn {
    scan: Arc<dyn Fn(&Ctx) + Send + Sync>,
    jobs: Jobs,
}

impl ScanFn {
    /// A host whose every scan runs `scan`, which reports through the job's progress and
    /// should end once the job is cancelled.
    pub fn new(scan: impl Fn(&Ctx) + Send + Sync + 'static) -> Self {
        ScanFn {
            scan: Arc::new(scan),
            jobs: Jobs::detached(),
        }
    }
}

impl Host for ScanFn {
    fn connect(&mut self, messages: Sender<Msg>) {
        self.jobs = Jobs::new(job_sink(messages));
    }

    fn perform(&mut self, effect: Effect) -> Option<String> {
        if effect != Effect::Rescan {
            return Some(format!("{}: not available yet", effect.name()));
        }
        let scan = self.scan.clone();
        self.jobs.spawn(JobKind::Scan, 0, move |ctx| {
            scan(ctx);
            Outcome::Scanned {
                elapsed: Duration::ZERO,
                cancelled: ctx.cancelled(),
            }
        });
        None
    }

    fn shutdown(&mut self) {
        self.jobs.shutdown();
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
    let ascii = options.ascii || locale::wants_ascii(&locale::TermEnv::from_process());
    let app_options = AppOptions {
        read_only: options.read_only,
        theme: Theme::new(!options.no_color, ascii),
        tz: local_time::zone(options.utc),
        home: options.home,
        simulated_disks: options.simulated_disks,
    };
    let mut app = App::new(library, app_options, OffsetDateTime::now_utc());
    app.alert_settings = options.alerts;
    if let Some(downloads) = dirs::download_dir() {
        app.downloads = downloads;
    }
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
    host.shutdown();
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
