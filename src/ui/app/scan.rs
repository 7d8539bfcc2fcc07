//! Folding scan events into the state: figures fill in as they arrive.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use super::App;
use crate::scan::ScanEvent;

/// Progress of the running (or last) scan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanProgress {
    /// A scan is running.
    pub running: bool,
    /// Versions to size.
    pub total: usize,
    /// Versions sized or failed so far.
    pub done: usize,
    /// Files counted in finished versions.
    pub files: u64,
    /// Bytes counted in finished versions.
    pub bytes: u64,
    /// Running counts of versions being walked now (files, bytes).
    pub in_flight: HashMap<PathBuf, (u64, u64)>,
    /// Wall time, once finished.
    pub elapsed: Option<Duration>,
    /// The last scan was cancelled.
    pub cancelled: bool,
}

impl ScanProgress {
    /// Resets for a new scan of `total` versions.
    pub fn start(&mut self, total: usize) {
        *self = ScanProgress {
            running: true,
            total,
            ..ScanProgress::default()
        };
    }

    /// The scan ended without finishing (its worker failed).
    pub fn stop(&mut self) {
        self.running = false;
        self.in_flight.clear();
        self.cancelled = true;
    }

    /// Files counted so far, finished and in flight.
    pub fn files_so_far(&self) -> u64 {
        self.files + self.in_flight.values().map(|(f, _)| f).sum::<u64>()
    }

    /// Bytes counted so far, finished and in flight.
    pub fn bytes_so_far(&self) -> u64 {
        self.bytes + self.in_flight.values().map(|(_, b)| b).sum::<u64>()
    }
}

impl App {
    pub(super) fn on_scan(&mut self, event: ScanEvent) {
        match event {
            ScanEvent::Discovered(library) => {
                self.set_library(library);
                self.scan.total = self.library.versions().count();
                self.scan.running = true;
            }
            ScanEvent::Cached { .. } | ScanEvent::Volumes(_) | ScanEvent::Note(_) => {
                self.results.apply(&event)
            }
            ScanEvent::Progress { path, files, bytes } => {
                self.scan.in_flight.insert(path, (files, bytes));
            }
            ScanEvent::Sized {
                ref path,
                ref usage,
            } => {
                self.scan.in_flight.remove(path);
                self.scan.done += 1;
                self.scan.files += usage.files;
                self.scan.bytes += usage.bytes;
                self.results.apply(&event);
            }
            ScanEvent::Failed { ref path, .. } => {
                self.scan.in_flight.remove(path);
                self.scan.done += 1;
                self.results.apply(&event);
            }
            ScanEvent::Finished { elapsed, cancelled } => {
                self.results.apply(&event);
                self.scan.running = false;
                self.scan.in_flight.clear();
                self.scan.elapsed = Some(elapsed);
                self.scan.cancelled = cancelled;
            }
        }
    }
}
