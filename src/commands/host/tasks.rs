//! The worker threads behind delete and verify, and the guards' verdicts for the delete
//! dialog. Each worker streams [`TaskEvent`]s into the dashboard's channel (progress at most
//! every [`THROTTLE`]) and looks at its cancel flag between versions; a permanent delete also
//! checks it between files (inside [`delete_version`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

use crate::actions::delete::{delete_version, DeleteStatus};
use crate::actions::guard::{check_delete_in, DeleteOptions, DeletePlanItem, Refusal, RefusalKind};
use crate::actions::marker::DeleteMode;
use crate::actions::verify::verify;
use crate::actions::LibraryIndex;
use crate::library::{Library, Version};
use crate::ui::task::{DeleteRequest, TargetCheck, TaskEvent, TaskKind, Verdict};
use crate::ui::Msg;

/// Shortest time between two progress messages.
const THROTTLE: Duration = Duration::from_millis(50);

/// What a worker thread gets: a copy of the library, the loop's channel, its cancel flag.
pub(super) struct Worker {
    pub library: Library,
    pub tx: Sender<Msg>,
    pub cancel: Arc<AtomicBool>,
    pub read_only: bool,
}

impl Worker {
    fn send(&self, event: TaskEvent) {
        let _ = self.tx.send(Msg::Task(event));
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// Verifies each version in turn.
    pub fn verify(self, paths: &[PathBuf]) {
        self.send(TaskEvent::Started {
            kind: TaskKind::Verify,
            total: paths.len(),
        });
        for path in paths {
            if self.cancelled() {
                break;
            }
            let Some(version) = find(&self.library, path) else {
                continue;
            };
            self.send(TaskEvent::Item { path: path.clone() });
            let mut last = Instant::now();
            let report = verify(version, |p| {
                if last.elapsed() >= THROTTLE {
                    last = Instant::now();
                    self.send(TaskEvent::Checked {
                        rows: p.rows_checked,
                        total: p.rows_total,
                    });
                }
            });
            self.send(TaskEvent::Verified(report));
        }
        self.send(TaskEvent::Finished {
            cancelled: self.cancelled(),
        });
    }

    /// Deletes each version in turn, the guards checked again with what the user allowed
    /// (forced: only the paths in `request.forced`).
    pub fn delete(self, request: &DeleteRequest) {
        let mode = DeleteMode::from_permanent(request.permanent);
        let index = LibraryIndex::new(&self.library);
        self.send(TaskEvent::Started {
            kind: TaskKind::Delete {
                permanent: request.permanent,
            },
            total: request.paths.len(),
        });
        for path in &request.paths {
            if self.cancelled() {
                break;
            }
            self.send(TaskEvent::Item { path: path.clone() });
            // Only the targets whose device name was typed are forced.
            let opts = DeleteOptions {
                force: request.forced.contains(path),
                confirm_imazing: request.confirm_imazing,
                read_only: self.read_only,
            };
            let event = match check_delete_in(path, &index, &opts) {
                Ok(item) => self.delete_one(&item, mode),
                Err(refusal) => TaskEvent::Deleted {
                    path: path.clone(),
                    done: false,
                    freed: 0,
                    message: format!("{}: {}", path.display(), refusal.reason),
                },
            };
            self.send(event);
        }
        self.send(TaskEvent::Finished {
            cancelled: self.cancelled(),
        });
    }

    fn delete_one(&self, item: &DeletePlanItem, mode: DeleteMode) -> TaskEvent {
        let mut last = Instant::now();
        let outcome = delete_version(item, mode, &self.cancel, |p| {
            if last.elapsed() >= THROTTLE {
                last = Instant::now();
                self.send(TaskEvent::Removed {
                    files: p.files_removed,
                    bytes: p.bytes_removed,
                });
            }
        });
        if let DeleteStatus::Cancelled { .. } = outcome.status {
            self.cancel.store(true, Ordering::SeqCst);
        }
        TaskEvent::Deleted {
            path: outcome.path.clone(),
            done: outcome.is_done(),
            freed: outcome.bytes_removed,
            message: outcome.message,
        }
    }
}

fn find<'a>(library: &'a Library, path: &Path) -> Option<&'a Version> {
    library.versions().find(|v| v.path == path)
}

/// The guards' verdict for each path, with nothing forced or confirmed yet.
pub fn check_all(paths: &[PathBuf], library: &Library, read_only: bool) -> Vec<TargetCheck> {
    let opts = DeleteOptions {
        read_only,
        ..DeleteOptions::default()
    };
    let index = LibraryIndex::new(library);
    paths
        .iter()
        .map(|path| TargetCheck {
            path: path.clone(),
            verdict: verdict(check_delete_in(path, &index, &opts), find(library, path)),
        })
        .collect()
}

/// Turns a guard result into what the dialog asks of the user.
pub(super) fn verdict(
    result: Result<DeletePlanItem, Refusal>,
    version: Option<&Version>,
) -> Verdict {
    let refusal = match result {
        Ok(item) => {
            return Verdict::Allowed {
                warnings: item.warnings.into_iter().map(|w| w.message).collect(),
            }
        }
        Err(r) => r,
    };
    let name = version.map(device_name).unwrap_or_default();
    match refusal.kind {
        RefusalKind::NewestComplete => Verdict::NeedsTyping {
            reason: format!("the newest complete backup of {name}"),
            name,
        },
        RefusalKind::InProgress => Verdict::NeedsTyping {
            reason: format!("a backup of {name} is being written into it now"),
            name,
        },
        RefusalKind::NeedsConfirmation => Verdict::NeedsConfirm {
            reason: refusal.reason,
        },
        _ => Verdict::Refused {
            reason: refusal.reason,
        },
    }
}

/// The name to type: the device's name, else its UDID, else the folder's name.
fn device_name(v: &Version) -> String {
    v.device_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| v.udid.clone())
        .unwrap_or_else(|| v.folder_name.clone())
}
