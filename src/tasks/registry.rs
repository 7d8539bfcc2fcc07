//! The job registry: starts each job on its own thread, gives the worker a [`Ctx`] (progress
//! out, cancel flag in), turns what the worker returns into `Done` and a panic into `Failed`,
//! and sends every message through the [`Sink`].
//!
//! `Started` is sent on the caller's thread before the worker thread exists, so it always
//! precedes the job's other messages and follows every message of the jobs started earlier
//! by the same caller.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use super::{panic, JobEvent, JobId, JobKind, JobMsg, Outcome, Progress};

/// Where job messages go: the dashboard's channel (wrapped in its message type), or a test's.
pub type Sink = Arc<dyn Fn(JobMsg) + Send + Sync>;

/// What a worker holds: its identity, the way to report progress, and its cancel flag.
#[derive(Clone)]
pub struct Ctx {
    id: JobId,
    kind: JobKind,
    sink: Sink,
    cancel: Arc<AtomicBool>,
}

impl Ctx {
    /// This job's id.
    pub fn id(&self) -> JobId {
        self.id
    }

    /// Reports progress.
    pub fn progress(&self, progress: Progress) {
        (self.sink)(JobMsg::new(
            self.id,
            self.kind,
            JobEvent::Progress(progress),
        ));
    }

    /// True once the job was cancelled (by the user, by a newer job of its kind, at quit).
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// The cancel flag itself, for core functions that look at it (and may set it, as a
    /// cancelled delete does so the next versions are not started).
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }
}

/// A job the registry started.
struct Entry {
    id: JobId,
    kind: JobKind,
    cancel: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Entry {
    fn ended(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }
}

/// The running jobs.
pub struct Jobs {
    sink: Sink,
    next: u64,
    running: Vec<Entry>,
}

impl Jobs {
    /// A registry sending every job's messages to `sink`.
    pub fn new(sink: Sink) -> Self {
        Jobs {
            sink,
            next: 1,
            running: Vec::new(),
        }
    }

    /// A registry whose messages go nowhere (before the dashboard connected).
    pub fn detached() -> Self {
        Jobs::new(Arc::new(|_| {}))
    }

    /// Starts `work` as a job of `kind` with `total` items. For a latest-wins kind the
    /// running job of that kind is cancelled first (not waited for). Returns the new id.
    pub fn spawn(
        &mut self,
        kind: JobKind,
        total: usize,
        work: impl FnOnce(&Ctx) -> Outcome + Send + 'static,
    ) -> JobId {
        self.running.retain(|e| !e.ended());
        if kind.latest_wins() {
            for e in self.running.iter().filter(|e| e.kind == kind) {
                e.cancel.store(true, Ordering::SeqCst);
            }
        }
        let id = JobId(self.next);
        self.next += 1;
        let ctx = Ctx {
            id,
            kind,
            sink: self.sink.clone(),
            cancel: Arc::new(AtomicBool::new(false)),
        };
        (self.sink)(JobMsg::new(id, kind, JobEvent::Started { total }));
        let cancel = ctx.cancel.clone();
        let thread = thread::Builder::new()
            .name(format!("backtop-job-{}", id.0))
            .spawn(move || run(&ctx, work));
        let thread = match thread {
            Ok(t) => Some(t),
            Err(e) => {
                let text = format!("cannot start a thread: {e}");
                (self.sink)(JobMsg::new(id, kind, JobEvent::Failed(text)));
                None
            }
        };
        self.running.push(Entry {
            id,
            kind,
            cancel,
            thread,
        });
        id
    }

    /// Asks job `id` to stop (it ends with an outcome saying so). Unknown ids are ignored.
    pub fn cancel(&self, id: JobId) {
        if let Some(e) = self.running.iter().find(|e| e.id == id) {
            e.cancel.store(true, Ordering::SeqCst);
        }
    }

    /// Ids of the jobs whose threads are still running, oldest first.
    pub fn running(&self) -> Vec<JobId> {
        self.running
            .iter()
            .filter(|e| !e.ended())
            .map(|e| e.id)
            .collect()
    }

    /// Waits for job `id` to end (tests; never the dashboard's loop).
    pub fn wait(&mut self, id: JobId) {
        if let Some(t) = self
            .running
            .iter_mut()
            .find(|e| e.id == id)
            .and_then(|e| e.thread.take())
        {
            let _ = t.join();
        }
    }

    /// Cancels every job and waits for those whose kind must finish cleanly (a cancelled
    /// delete puts the version back or leaves a marker); latest-wins jobs are left to end on
    /// their own. For quitting.
    pub fn shutdown(&mut self) {
        for e in &self.running {
            e.cancel.store(true, Ordering::SeqCst);
        }
        for e in &mut self.running {
            if let (false, Some(t)) = (e.kind.latest_wins(), e.thread.take()) {
                let _ = t.join();
            }
        }
        self.running.clear();
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The body of a job thread: the work, its outcome or its panic, sent as the last message.
fn run(ctx: &Ctx, work: impl FnOnce(&Ctx) -> Outcome) {
    let result = panic::in_job(|| catch_unwind(AssertUnwindSafe(|| work(ctx))));
    let event = match result {
        Ok(outcome) => JobEvent::Done(outcome),
        Err(payload) => JobEvent::Failed(panic::message(payload.as_ref())),
    };
    (ctx.sink)(JobMsg::new(ctx.id, ctx.kind, event));
}
