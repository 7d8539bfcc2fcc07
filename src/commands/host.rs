//! The dashboard's real [`Host`]: turns effects into background jobs ([`crate::tasks`]) and
//! does the quick ones (open, shell) itself.
//!
//! Nothing here runs long on the UI thread. A scan job re-discovers the library (so `r` finds
//! new and deleted backups), shares it with the later jobs, sends `Discovered`, then sizes it
//! with the [`Sizer`] the caller gave; the guards' verdicts, deletes and verifies are jobs
//! too. Every job reports through the loop's own channel as [`Msg::Job`], and Esc cancels one
//! by id. Open reveals the folder locally, or over SSH / without a display copies its path
//! with OSC 52 and offers a shell there ([`shell`]), which suspends the dashboard until the
//! shell exits.

mod shell;

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use crossbeam_channel::Sender;

use crate::actions::open::{self, OpenEnv, OpenPlan};
use crate::actions::trash_bin::TrashBin;
use crate::commands::context::RunRoots;
use crate::library::unlock::remember::{KeyStore, SharedStore};
use crate::library::Library;
use crate::tasks::scan::Sizer;
use crate::tasks::{self, JobKind, Jobs, Keyring, Outcome};
use crate::ui::{job_sink, Effect, Host, Msg};

/// A move job's work.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
type MoveWork = Box<dyn FnOnce(&tasks::Ctx) -> Outcome + Send>;

/// The library as last discovered, shared with the jobs.
type Shared = Arc<Mutex<Library>>;

/// The dashboard's host: the run's roots, the last discovered library, and the jobs.
pub struct DashboardHost {
    roots: Arc<RunRoots>,
    library: Shared,
    read_only: bool,
    sizer: Sizer,
    open_env: OpenEnv,
    messages: Option<Sender<Msg>>,
    /// The library the caller discovered, used by the first scan instead of discovering again.
    fresh: Option<Library>,
    /// What happened before the dashboard started (half-done deletes finished), said once
    /// the loop is connected.
    notes: Vec<String>,
    /// `--demo`'s folder, held here (not in the roots the jobs share) so that it is removed
    /// when the dashboard ends even if a scan thread is still winding down.
    demo_dir: Option<tempfile::TempDir>,
    jobs: Jobs,
    /// Keys of the versions unlocked in this run (memory only).
    keyring: Keyring,
    /// The move's free-space test hook (`BACKTOP_FREE_BYTES`, read by the caller).
    move_free: Option<u64>,
    /// `--remember`: where derived keys are remembered between runs.
    remember: Option<SharedStore>,
}

impl DashboardHost {
    /// A host over `roots`, starting from `library` (what the caller discovered), refusing
    /// deletes when `read_only`, sizing each discovered library with `sizer`.
    pub fn new(mut roots: RunRoots, library: Library, read_only: bool, sizer: Sizer) -> Self {
        let demo_dir = roots.demo_dir.take();
        DashboardHost {
            demo_dir,
            roots: Arc::new(roots),
            fresh: Some(library.clone()),
            library: Arc::new(Mutex::new(library)),
            read_only,
            sizer,
            open_env: OpenEnv::from_process(),
            messages: None,
            jobs: Jobs::detached(),
            notes: Vec::new(),
            keyring: Keyring::default(),
            move_free: None,
            remember: None,
        }
    }

    /// Moves planned and run from the dashboard assume `free` bytes on the destination's
    /// volume (the `BACKTOP_FREE_BYTES` test hook of `backtop move`).
    pub fn with_move_free(mut self, free: Option<u64>) -> Self {
        self.move_free = free;
        self
    }

    /// `--remember`: once connected, opens the encrypted versions whose keys `store`
    /// remembers, and remembers there the keys of every later unlock.
    pub fn with_remember(mut self, store: SharedStore) -> Self {
        self.remember = Some(store);
        self
    }

    /// Says `notes` in the dashboard once it runs (what start-up did, e.g. the half-done
    /// deletes it finished).
    pub fn with_notes(mut self, notes: Vec<String>) -> Self {
        self.notes = notes;
        self
    }

    /// Decides open/reveal as if in `env` (tests pretend to be over SSH).
    pub fn with_open_env(mut self, env: OpenEnv) -> Self {
        self.open_env = env;
        self
    }

    /// A sizer that sizes nothing (tests of the host's other work).
    pub fn no_sizing() -> Sizer {
        Arc::new(|_, _, _, _| {})
    }

    /// The real sizing scan ([`crate::scan::run`]) with these options.
    pub fn sizing(options: crate::scan::ScanOptions) -> Sizer {
        Arc::new(move |library, unlocks, emit, cancel| {
            crate::scan::run_unlocked(library, &options, unlocks, emit, cancel)
        })
    }

    /// Where trash deletes go: the system trash, or for `--demo` a `.Trash` inside the
    /// demo's folder, which goes away with it.
    pub fn trash_bin(&self) -> TrashBin {
        TrashBin::of_run(self.demo_dir.as_ref().map(|d| d.path()))
    }

    /// The library as last discovered.
    pub fn library(&self) -> Library {
        lock(&self.library).clone()
    }

    fn open(&mut self, path: &Path) -> Option<String> {
        match open::open_target(path, &self.open_env) {
            plan @ OpenPlan::Local { .. } => match open::execute(&plan) {
                Ok(()) => Some(format!("opened {} in the file manager", path.display())),
                Err(e) => self.open_failed(path, &e.to_string()),
            },
            OpenPlan::Remote {
                osc52,
                path,
                through,
            } => {
                let mut out = std::io::stdout();
                if let Err(e) = out.write_all(osc52.as_bytes()).and_then(|()| out.flush()) {
                    return Some(format!("could not send the path to the clipboard: {e}"));
                }
                if let Some(tx) = &self.messages {
                    let _ = tx.send(Msg::Copied(path));
                    if let Some(mux) = through {
                        let _ = tx.send(Msg::Status(mux.unconfirmed_note().into()));
                    }
                }
                None
            }
        }
    }

    /// Opening in the file manager failed: copy the path with OSC 52 as when there is no
    /// desktop, and let the dashboard say why and offer a shell there.
    fn open_failed(&mut self, path: &Path, why: &str) -> Option<String> {
        let sequence = open::osc52(&path.to_string_lossy());
        let sequence = open::passthrough(&sequence, self.open_env.multiplexer);
        let mut out = std::io::stdout();
        let _ = out
            .write_all(sequence.as_bytes())
            .and_then(|()| out.flush());
        match &self.messages {
            Some(tx) => {
                let _ = tx.send(Msg::OpenFailed {
                    path: path.to_path_buf(),
                    why: why.to_string(),
                });
                None
            }
            None => Some(format!("could not open it in the file manager: {why}")),
        }
    }

    /// Starts the scan job: discover (unless the caller just did), share, size (the versions
    /// unlocked so far categorized from their decrypted manifests).
    fn rescan(&mut self) {
        let (roots, shared, sizer, fresh) = (
            self.roots.clone(),
            self.library.clone(),
            self.sizer.clone(),
            self.fresh.take(),
        );
        let unlocks = self.keyring.unlocks();
        self.jobs.spawn(JobKind::Scan, 0, move |ctx| {
            let library = fresh.unwrap_or_else(|| roots.discover());
            *lock(&shared) = library.clone();
            tasks::scan::run(ctx, library, &unlocks, &sizer)
        });
    }

    /// Looks for moves left unfinished near the run's roots (and the links they were asked
    /// for by), on a thread of its own, for the dashboard to offer resuming or rolling back:
    /// it says something only when it found some.
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    fn find_moves(&self, messages: Sender<Msg>) {
        let mut near = self.roots.paths();
        near.extend(self.roots.all_links().into_iter().map(|(link, _)| link));
        near.extend(
            lock(&self.library)
                .roots
                .iter()
                .map(|r| r.root.path.clone()),
        );
        let spawned = std::thread::Builder::new()
            .name("backtop-moves".into())
            .spawn(move || {
                let found = tasks::relocate::interrupted(&near);
                if !found.is_empty() {
                    let _ = messages.send(Msg::UnfinishedMoves(found));
                }
            });
        drop(spawned);
    }

    /// The move dialog's effects: plan, run, roll back, each a job.
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    fn perform_move(&mut self, effect: Effect) {
        let (links, free, read_only) = (self.roots.all_links(), self.move_free, self.read_only);
        let (kind, work): (JobKind, MoveWork) = match effect {
            Effect::PlanMove(request) => (
                JobKind::MovePlan,
                Box::new(move |ctx| tasks::relocate::plan(ctx, request, &links, free, read_only)),
            ),
            Effect::Move(request) => (
                JobKind::Move,
                Box::new(move |ctx| tasks::relocate::run(ctx, &request, &links, free, read_only)),
            ),
            Effect::AbortMove(_) if read_only => (
                JobKind::Move,
                Box::new(|_| {
                    Outcome::Moved(Box::new(tasks::relocate::MoveEnd {
                        result: Err("backtop is in read-only mode; nothing was rolled back".into()),
                        left: None,
                    }))
                }),
            ),
            Effect::AbortMove(root) => (
                JobKind::Move,
                Box::new(move |ctx| tasks::relocate::abort(ctx, &root)),
            ),
            _ => return,
        };
        self.jobs.spawn(kind, 1, work);
    }
}

fn lock(library: &Shared) -> std::sync::MutexGuard<'_, Library> {
    library.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Host for DashboardHost {
    fn connect(&mut self, messages: Sender<Msg>) {
        self.jobs = Jobs::new(job_sink(messages.clone()));
        for note in self.notes.drain(..) {
            let _ = messages.send(Msg::Status(note));
        }
        #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
        self.find_moves(messages.clone());
        self.messages = Some(messages);
        if let Some(store) = self.remember.clone() {
            // The remembered keys, off the UI thread (a keyring may be slow to answer).
            let (library, keyring) = (self.library(), self.keyring.clone());
            self.jobs.spawn(JobKind::Unlock, 1, move |ctx| {
                tasks::unlock::recall(ctx, &library, &keyring, store.as_ref())
            });
        }
    }

    fn perform(&mut self, effect: Effect) -> Option<String> {
        let read_only = self.read_only;
        match effect {
            Effect::Rescan => self.rescan(),
            Effect::Open(path) => return self.open(&path),
            Effect::Verify(paths) => {
                let (library, unlocks) = (self.library(), self.keyring.unlocks());
                self.jobs.spawn(JobKind::Verify, paths.len(), move |ctx| {
                    tasks::verify::run(ctx, &paths, &library, &unlocks)
                });
            }
            Effect::PlanDelete(paths) => {
                let library = self.library();
                self.jobs.spawn(JobKind::Check, paths.len(), move |_| {
                    Outcome::Checked(tasks::check_all(&paths, &library, read_only))
                });
            }
            Effect::Delete(request) => {
                let library = self.library();
                let kind = JobKind::Delete {
                    permanent: request.permanent,
                };
                let bin = self.trash_bin();
                self.jobs.spawn(kind, request.paths.len(), move |ctx| {
                    tasks::delete::run(ctx, &request, &library, read_only, &bin)
                });
            }
            Effect::Cancel(id) => self.jobs.cancel(id),
            Effect::Browse(path) => {
                let (library, keyring) = (self.library(), self.keyring.clone());
                self.jobs.spawn(JobKind::Browse, 1, move |_| {
                    tasks::browse::open(path, &library, &keyring)
                });
            }
            Effect::Unlock(request) => {
                let (library, keyring) = (self.library(), self.keyring.clone());
                let store = self.remember.clone();
                self.jobs.spawn(JobKind::Unlock, 1, move |ctx| {
                    let store = store.as_deref().map(|s| s as &dyn KeyStore);
                    tasks::unlock::run(ctx, request, &library, &keyring, store)
                });
            }
            Effect::Preview(request) => {
                let keyring = self.keyring.clone();
                self.jobs.spawn(JobKind::Preview, 1, move |ctx| {
                    tasks::browse::preview(ctx, &request, &keyring)
                });
            }
            Effect::Export(request) => {
                let keyring = self.keyring.clone();
                self.jobs.spawn(JobKind::Export, 1, move |ctx| {
                    tasks::browse::export(ctx, &request, &keyring)
                });
            }
            Effect::Diff(old, new) => {
                let (library, keyring) = (self.library(), self.keyring.clone());
                self.jobs.spawn(JobKind::Diff, 1, move |_| {
                    tasks::diff::run(old, new, &library, &keyring)
                });
            }
            Effect::Loss(paths) => {
                let (library, keyring) = (self.library(), self.keyring.clone());
                self.jobs.spawn(JobKind::Loss, paths.len(), move |ctx| {
                    tasks::loss::run(ctx, paths, &library, &keyring)
                });
            }
            Effect::Shell(dir) => return Some(shell::run_shell(&dir)),
            #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
            e @ (Effect::PlanMove(_) | Effect::Move(_) | Effect::AbortMove(_)) => {
                self.perform_move(e)
            }
            #[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
            Effect::AbortMove(_) => {}
            Effect::Quit => {}
        }
        None
    }

    fn shutdown(&mut self) {
        self.jobs.shutdown();
    }
}
