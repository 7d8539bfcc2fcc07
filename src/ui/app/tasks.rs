//! Background work as the dashboard sees it: the running delete or verify ([`TaskState`],
//! fed by [`TaskEvent`]s), and the dialogs shown when something finished ([`Report`]).
//! A finished delete asks for a rescan, so figures and gauges follow the disk.

use std::path::PathBuf;

use super::App;
use crate::actions::delete::TRASH_NOTE;
use crate::actions::verify::VerifyReport;
use crate::ui::format;
use crate::ui::msg::Effect;
use crate::ui::task::{TaskEvent, TaskKind};

/// The delete or verify running now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskState {
    /// What it does.
    pub kind: TaskKind,
    /// Versions in all.
    pub total: usize,
    /// Versions finished.
    pub done: usize,
    /// The version being worked on.
    pub current: Option<PathBuf>,
    /// Files removed from the current version so far.
    pub files: u64,
    /// Bytes freed from the current version so far.
    pub bytes: u64,
    /// Bytes freed by the versions finished.
    pub freed: u64,
    /// Versions gone.
    pub gone: usize,
    /// Rows checked and rows in all (verify).
    pub rows: (u64, u64),
    /// What went wrong, per version.
    pub failures: Vec<String>,
    /// Verify reports so far.
    pub reports: Vec<VerifyReport>,
    /// Esc was pressed; waiting for the worker to stop.
    pub cancelling: bool,
}

impl TaskState {
    fn new(kind: TaskKind, total: usize) -> Self {
        TaskState {
            kind,
            total,
            done: 0,
            current: None,
            files: 0,
            bytes: 0,
            freed: 0,
            gone: 0,
            rows: (0, 0),
            failures: Vec::new(),
            reports: Vec::new(),
            cancelling: false,
        }
    }

    /// Bytes freed so far, finished versions and the current one.
    pub fn freed_so_far(&self) -> u64 {
        self.freed + self.bytes
    }
}

/// A dialog showing a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// Verify results, one per version.
    Verify(Vec<VerifyReport>),
    /// The path was copied to the clipboard (no desktop): `!` starts a shell there.
    Copied(PathBuf),
}

impl App {
    pub(super) fn on_task(&mut self, event: TaskEvent) -> Vec<Effect> {
        if let TaskEvent::Started { kind, total } = event {
            self.task = Some(TaskState::new(kind, total));
            return Vec::new();
        }
        let Some(task) = &mut self.task else {
            return Vec::new();
        };
        match event {
            TaskEvent::Started { .. } => {}
            TaskEvent::Item { path } => {
                task.current = Some(path);
                task.files = 0;
                task.bytes = 0;
                task.rows = (0, 0);
            }
            TaskEvent::Removed { files, bytes } => (task.files, task.bytes) = (files, bytes),
            TaskEvent::Checked { rows, total } => task.rows = (rows, total),
            TaskEvent::Deleted {
                done,
                freed,
                message,
                ..
            } => {
                task.done += 1;
                task.bytes = 0;
                task.freed += freed;
                if done {
                    task.gone += 1;
                } else {
                    task.failures.push(message);
                }
            }
            TaskEvent::Verified(report) => {
                task.done += 1;
                task.reports.push(report);
            }
            TaskEvent::Finished { cancelled } => return self.finish_task(cancelled),
        }
        Vec::new()
    }

    fn finish_task(&mut self, cancelled: bool) -> Vec<Effect> {
        let Some(task) = self.task.take() else {
            return Vec::new();
        };
        let stopped = if cancelled { " (cancelled)" } else { "" };
        match task.kind {
            TaskKind::Verify => {
                self.report = Some(Report::Verify(task.reports));
                if cancelled {
                    self.status = Some("verify cancelled".into());
                }
                Vec::new()
            }
            TaskKind::Delete { permanent } => {
                let n = format::plural(task.gone as i64, "version");
                let mut line = if permanent {
                    format!("deleted {n}, freed {}{stopped}", format::size(task.freed))
                } else {
                    format!("moved {n} to the Trash{stopped}; {TRASH_NOTE}")
                };
                if let Some(first) = task.failures.first() {
                    line = format!("{line}; {} failed: {first}", task.failures.len());
                }
                self.status = Some(line);
                vec![Effect::Rescan]
            }
        }
    }

    /// True when a delete or verify is running (a second one is refused).
    pub(super) fn busy(&mut self) -> bool {
        if self.task.is_some() {
            self.status = Some("wait: a task is running (Esc cancels it)".into());
        }
        self.task.is_some()
    }

    pub(super) fn cancel_task(&mut self) -> Vec<Effect> {
        match &mut self.task {
            Some(task) if !task.cancelling => {
                task.cancelling = true;
                vec![Effect::CancelTask]
            }
            _ => Vec::new(),
        }
    }
}
