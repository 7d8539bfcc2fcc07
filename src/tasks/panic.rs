//! Panics inside jobs. The job thread is marked while its work runs; the dashboard's panic
//! hook asks [`absorb`] first, and for a job thread the panic is only recorded (with its
//! location) instead of restoring the terminal and printing over the screen. The registry then
//! reports the job as failed with that text, and the dashboard goes on.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::PanicHookInfo;

thread_local! {
    static IN_JOB: Cell<bool> = const { Cell::new(false) };
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread marked as a job thread.
pub(super) fn in_job<T>(f: impl FnOnce() -> T) -> T {
    IN_JOB.with(|j| j.set(true));
    LAST.with(|l| l.borrow_mut().take());
    let out = f();
    IN_JOB.with(|j| j.set(false));
    out
}

/// For a panic hook: true when the panic happened inside a job (it is recorded for the job's
/// `Failed` message and must not end the dashboard); false for any other thread.
pub fn absorb(info: &PanicHookInfo<'_>) -> bool {
    if !IN_JOB.with(Cell::get) {
        return false;
    }
    LAST.with(|l| *l.borrow_mut() = Some(info.to_string()));
    true
}

/// The text of a caught panic: what the hook recorded (message and location), else the
/// payload's message.
pub(super) fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = LAST.with(|l| l.borrow_mut().take()) {
        return text;
    }
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the worker panicked".to_string())
}
