//! The dashboard's real [`Host`]: rescans, and the workers behind open, verify and delete.
//!
//! Nothing here runs long on the UI thread. A scan re-discovers the library on a thread
//! (so `r` finds new and deleted backups), sends [`ScanEvent::Discovered`], then forwards the
//! sizing events of the scan starter the caller gave. The delete guards' verdicts, deletes
//! and verifies run on worker threads ([`tasks`]) and report through the loop's channel as
//! [`Msg::DeleteChecks`] and [`Msg::Task`]; Esc sets the worker's cancel flag. Open reveals
//! the folder locally, or over SSH / without a display copies its path with OSC 52 and offers a
//! shell there ([`shell`]), which suspends the dashboard until the shell exits.

mod shell;
mod tasks;

pub use tasks::check_all;

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use crossbeam_channel::{unbounded, Receiver, Sender};

use crate::actions::open::{self, OpenEnv, OpenPlan};
use crate::commands::context::RunRoots;
use crate::library::Library;
use crate::scan::ScanEvent;
use crate::ui::{Effect, Host, Msg};

/// Starts the sizing scan of a freshly discovered library; its events end when it disconnects.
pub type ScanStarter = Box<dyn FnMut(Library) -> Receiver<ScanEvent> + Send>;

/// The library as last discovered, shared with the workers.
type Shared = Arc<Mutex<Library>>;

/// The dashboard's host: the run's roots, the last discovered library, and the workers.
pub struct DashboardHost {
    roots: Arc<RunRoots>,
    library: Shared,
    read_only: bool,
    starter: Arc<Mutex<ScanStarter>>,
    open_env: OpenEnv,
    messages: Option<Sender<Msg>>,
    scan_cancel: Option<Arc<AtomicBool>>,
    /// The library the caller discovered, used by the first scan instead of discovering again.
    fresh: Option<Library>,
    task_cancel: Arc<AtomicBool>,
    task: Option<JoinHandle<()>>,
}

impl DashboardHost {
    /// A host over `roots`, starting from `library` (what the caller discovered), refusing
    /// deletes when `read_only`, sizing each discovered library with `starter`.
    pub fn new(roots: RunRoots, library: Library, read_only: bool, starter: ScanStarter) -> Self {
        DashboardHost {
            roots: Arc::new(roots),
            fresh: Some(library.clone()),
            library: Arc::new(Mutex::new(library)),
            read_only,
            starter: Arc::new(Mutex::new(starter)),
            open_env: OpenEnv::from_process(),
            messages: None,
            scan_cancel: None,
            task_cancel: Arc::new(AtomicBool::new(false)),
            task: None,
        }
    }

    /// Decides open/reveal as if in `env` (tests pretend to be over SSH).
    pub fn with_open_env(mut self, env: OpenEnv) -> Self {
        self.open_env = env;
        self
    }

    /// A starter that sizes nothing (tests of the host's other work).
    pub fn no_sizing() -> ScanStarter {
        Box::new(|_| unbounded().1)
    }

    /// The real sizing scan ([`crate::scan::start`]) with these options; dropping the
    /// receiver cancels it.
    pub fn sizing(options: crate::scan::ScanOptions) -> ScanStarter {
        Box::new(move |library| crate::scan::start(library, options.clone()).into_receiver())
    }

    /// The library as last discovered.
    pub fn library(&self) -> Library {
        lock(&self.library).clone()
    }

    /// Waits for the running delete or verify to end (tests; quitting).
    pub fn wait_task(&mut self) {
        if let Some(handle) = self.task.take() {
            let _ = handle.join();
        }
    }

    fn sender(&self) -> Sender<Msg> {
        // Before `connect`, messages go nowhere (a closed channel).
        self.messages.clone().unwrap_or_else(|| unbounded().0)
    }

    fn open(&mut self, path: &Path) -> Option<String> {
        match open::open_target(path, &self.open_env) {
            plan @ OpenPlan::Local { .. } => Some(match open::execute(&plan) {
                Ok(()) => format!("opened {} in the file manager", path.display()),
                Err(e) => format!("could not open {}: {e}", path.display()),
            }),
            OpenPlan::Remote { osc52, path } => {
                let mut out = std::io::stdout();
                let _ = out.write_all(osc52.as_bytes()).and_then(|()| out.flush());
                let _ = self.sender().send(Msg::Copied(path));
                None
            }
        }
    }

    fn spawn_task(&mut self, work: impl FnOnce(tasks::Worker) + Send + 'static) {
        self.wait_task();
        self.task_cancel = Arc::new(AtomicBool::new(false));
        let worker = tasks::Worker {
            library: lock(&self.library).clone(),
            tx: self.sender(),
            cancel: self.task_cancel.clone(),
            read_only: self.read_only,
        };
        self.task = Some(thread::spawn(move || work(worker)));
    }
}

fn lock(library: &Shared) -> std::sync::MutexGuard<'_, Library> {
    library.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Host for DashboardHost {
    fn connect(&mut self, messages: Sender<Msg>) {
        self.messages = Some(messages);
    }

    fn start_scan(&mut self) -> Receiver<ScanEvent> {
        self.cancel_scan();
        let cancel = Arc::new(AtomicBool::new(false));
        self.scan_cancel = Some(cancel.clone());
        let (tx, rx) = unbounded();
        let (roots, shared, starter, fresh) = (
            self.roots.clone(),
            self.library.clone(),
            self.starter.clone(),
            self.fresh.take(),
        );
        thread::spawn(move || scan(&roots, fresh, &shared, &starter, &cancel, &tx));
        rx
    }

    fn cancel_scan(&mut self) {
        if let Some(cancel) = self.scan_cancel.take() {
            cancel.store(true, Ordering::SeqCst);
        }
    }

    fn perform(&mut self, effect: Effect) -> Option<String> {
        match effect {
            Effect::Open(path) => self.open(&path),
            Effect::Verify(paths) => {
                self.spawn_task(move |w| w.verify(&paths));
                None
            }
            Effect::PlanDelete(paths) => {
                let (library, tx, read_only) = (self.library(), self.sender(), self.read_only);
                thread::spawn(move || {
                    let checks = tasks::check_all(&paths, &library, read_only);
                    let _ = tx.send(Msg::DeleteChecks(checks));
                });
                None
            }
            Effect::Delete(request) => {
                self.spawn_task(move |w| w.delete(&request));
                None
            }
            Effect::CancelTask => {
                self.task_cancel.store(true, Ordering::SeqCst);
                None
            }
            Effect::Shell(dir) => Some(shell::run_shell(&dir)),
            Effect::Quit | Effect::Rescan => None,
        }
    }
}

impl Drop for DashboardHost {
    /// Stops the running delete or verify (a cancelled delete puts the version back or leaves
    /// a marker the next start finishes) and waits for it.
    fn drop(&mut self) {
        self.cancel_scan();
        self.task_cancel.store(true, Ordering::SeqCst);
        self.wait_task();
    }
}

/// The scan thread: discover (unless `fresh` was just discovered), share the library, then
/// forward the sizing scan's events.
fn scan(
    roots: &RunRoots,
    fresh: Option<Library>,
    shared: &Shared,
    starter: &Mutex<ScanStarter>,
    cancel: &AtomicBool,
    tx: &Sender<ScanEvent>,
) {
    let started = Instant::now();
    let library = fresh.unwrap_or_else(|| roots.discover());
    *lock(shared) = library.clone();
    if cancel.load(Ordering::SeqCst) || tx.send(ScanEvent::Discovered(library.clone())).is_err() {
        return;
    }
    let sizing = (starter.lock().unwrap_or_else(PoisonError::into_inner))(library);
    let mut finished = false;
    for event in sizing.iter() {
        if cancel.load(Ordering::SeqCst) {
            return; // dropping `sizing` stops the scan
        }
        finished |= matches!(event, ScanEvent::Finished { .. });
        if tx.send(event).is_err() {
            return;
        }
    }
    if !finished {
        let _ = tx.send(ScanEvent::Finished {
            elapsed: started.elapsed(),
            cancelled: false,
        });
    }
}
