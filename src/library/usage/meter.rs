//! Progress of one version's walk: running totals shared by its tasks, reported each time
//! another 2,000 files were counted or 100 ms passed since the last report.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Report progress at least every this many files…
const PROGRESS_FILES: u64 = 2_000;
/// …or this many milliseconds.
const PROGRESS_MS: u64 = 100;

/// Running totals shared by the tasks of one version, reported throttled.
pub struct Meter<'a> {
    files: AtomicU64,
    bytes: AtomicU64,
    last_ms: AtomicU64,
    start: Instant,
    report: &'a (dyn Fn(u64, u64) + Sync),
}

impl<'a> Meter<'a> {
    /// Totals at zero; `report` receives (files, bytes) so far.
    pub fn new(report: &'a (dyn Fn(u64, u64) + Sync)) -> Self {
        Meter {
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            last_ms: AtomicU64::new(0),
            start: Instant::now(),
            report,
        }
    }

    /// Adds one directory's counts; reports when due.
    pub fn add(&self, files: u64, bytes: u64) {
        let f = self.files.fetch_add(files, Ordering::Relaxed) + files;
        let b = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        let crossed = (f - files) / PROGRESS_FILES != f / PROGRESS_FILES;
        let now = self.start.elapsed().as_millis() as u64;
        let last = self.last_ms.load(Ordering::Relaxed);
        if (crossed || now >= last + PROGRESS_MS)
            && self
                .last_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            (self.report)(f, b);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn reports_when_two_thousand_more_files_are_counted() {
        let seen = Mutex::new(Vec::new());
        let report = |f, b| seen.lock().unwrap().push((f, b));
        let meter = Meter::new(&report);
        meter.add(1_999, 19_990);
        meter.add(1, 10);
        assert_eq!(seen.lock().unwrap().last(), Some(&(2_000, 20_000)));
    }
}
