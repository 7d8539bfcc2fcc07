//! The scan job: the discovered library first (`Discovered`), then the sizing scan's events
//! as progress, sent from the scan's own thread straight to the sink; the scan's `Finished`
//! becomes the job's outcome. A scan is latest-wins: a rescan cancels the running one.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use super::{Ctx, Outcome, Progress};
use crate::library::unlock::Unlocks;
use crate::library::Library;
use crate::scan::{Emit, ScanEvent};

/// Sizes a discovered library (the encrypted versions the [`Unlocks`] opened categorized from
/// their decrypted manifests), sending its events to the [`Emit`] and looking at the flag.
pub type Sizer = Arc<dyn Fn(&Library, &Unlocks, Emit<'_>, &AtomicBool) + Send + Sync>;

/// Runs the scan of `library` (just discovered) with `sizer`, with the versions unlocked so
/// far.
pub fn run(ctx: &Ctx, library: Library, unlocks: &Unlocks, sizer: &Sizer) -> Outcome {
    let started = Instant::now();
    let stopped = |cancelled| Outcome::Scanned {
        elapsed: started.elapsed(),
        cancelled,
    };
    if ctx.cancelled() {
        return stopped(true);
    }
    ctx.progress(Progress::Scan(ScanEvent::Discovered(library.clone())));
    let finished = Mutex::new(None);
    let emit = |event| match event {
        ScanEvent::Finished { elapsed, cancelled } => {
            *finished.lock().unwrap_or_else(PoisonError::into_inner) = Some((elapsed, cancelled));
        }
        other if !ctx.cancelled() => ctx.progress(Progress::Scan(other)),
        _ => {}
    };
    sizer(&library, unlocks, &emit, ctx.cancel_flag());
    let finished = finished
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    match finished {
        Some((elapsed, cancelled)) => Outcome::Scanned { elapsed, cancelled },
        // A sizer that sends nothing (tests) still ends the scan.
        None => stopped(ctx.cancelled()),
    }
}
