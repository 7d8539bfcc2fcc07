//! Per-file work (copying, hashing) on a bounded number of threads, while the calling thread
//! relays their progress to the caller's callback (which need not be `Send`).
//!
//! A move's cost on a backup library is per file: opening, reading and writing thousands of
//! small files, each a few system calls. Two threads overlap one file's waiting on the disk
//! with another's hashing. The bound is [`THREADS`]: backtop shares the machine with the
//! backup apps and the user's work, and a copy to an external drive is bound by the drive.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crossbeam_channel::{unbounded, RecvTimeoutError};

/// Threads that copy or hash files at once.
pub const THREADS: usize = 2;

/// How often the calling thread reports progress while the workers run.
const EVERY: Duration = Duration::from_millis(50);

/// What the workers did so far: bytes read (holes included) and items finished.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Done {
    /// Bytes read.
    pub bytes: u64,
    /// Items finished.
    pub items: u64,
}

/// Where a worker counts the bytes it read (shared counters: no message per piece).
pub struct Ticker<'a> {
    bytes: &'a AtomicU64,
}

impl Ticker<'_> {
    /// Counts `n` more bytes.
    pub fn bytes(&self, n: u64) {
        self.bytes.fetch_add(n, Ordering::Relaxed);
    }
}

/// Runs `work(i, ticker)` for every `i` in `0..n` on up to [`THREADS`] threads and returns the
/// results in order. After the first error no new item is started and that error is returned;
/// `cancel` raised stops starting new items too (the work itself should watch it for long
/// items), and the results then miss the items not done. `on_progress` gets what was done so
/// far, on the calling thread, every [`EVERY`] and at the end.
pub fn run_all<T, E, W>(
    n: usize,
    cancel: &AtomicBool,
    work: W,
    on_progress: &mut dyn FnMut(Done),
) -> Result<Vec<T>, E>
where
    T: Send,
    E: Send,
    W: Fn(usize, &Ticker<'_>) -> Result<T, E> + Sync,
{
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let first_error: Mutex<Option<E>> = Mutex::new(None);
    let (bytes, items) = (AtomicU64::new(0), AtomicU64::new(0));
    let done = || Done {
        bytes: bytes.load(Ordering::Relaxed),
        items: items.load(Ordering::Relaxed),
    };
    let (tx, rx) = unbounded::<()>();
    let mut results: Vec<Option<T>> = (0..n).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS.min(n))
            .map(|_| {
                let tx = tx.clone();
                let (next, failed, first_error, work) = (&next, &failed, &first_error, &work);
                let (bytes, items) = (&bytes, &items);
                scope.spawn(move || {
                    let ticker = Ticker { bytes };
                    let mut mine = Vec::new();
                    while !failed.load(Ordering::Relaxed) && !cancel.load(Ordering::Relaxed) {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            break;
                        }
                        match work(i, &ticker) {
                            Ok(v) => {
                                mine.push((i, v));
                                items.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(e) => {
                                failed.store(true, Ordering::Relaxed);
                                if let Ok(mut slot) = first_error.lock() {
                                    slot.get_or_insert(e);
                                }
                            }
                        }
                    }
                    let _ = tx.send(());
                    mine
                })
            })
            .collect();
        drop(tx);
        // Each worker sends once as it ends; between, progress every EVERY.
        while let Ok(()) | Err(RecvTimeoutError::Timeout) = rx.recv_timeout(EVERY) {
            on_progress(done());
        }
        for handle in handles {
            if let Ok(mine) = handle.join() {
                for (i, v) in mine {
                    results[i] = Some(v);
                }
            }
        }
    });
    if let Some(e) = first_error.into_inner().ok().flatten() {
        return Err(e);
    }
    Ok(results.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_with_every_tick() {
        let cancel = AtomicBool::new(false);
        let mut last = Done::default();
        let out: Result<Vec<usize>, ()> = run_all(
            100,
            &cancel,
            |i, t| {
                t.bytes(i as u64);
                Ok(i * 2)
            },
            &mut |done| last = done,
        );
        assert_eq!(out.unwrap(), (0..100).map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(
            last,
            Done {
                bytes: 4950,
                items: 100
            }
        );
    }

    #[test]
    fn the_first_error_stops_new_items() {
        let cancel = AtomicBool::new(false);
        let started = AtomicUsize::new(0);
        let out: Result<Vec<()>, String> = run_all(
            10_000,
            &cancel,
            |i, _| {
                started.fetch_add(1, Ordering::Relaxed);
                if i == 3 {
                    Err(format!("item {i}"))
                } else {
                    Ok(())
                }
            },
            &mut |_| {},
        );
        assert_eq!(out.unwrap_err(), "item 3");
        assert!(started.load(Ordering::Relaxed) < 10_000);
    }
}
