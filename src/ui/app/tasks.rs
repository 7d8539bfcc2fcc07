//! Background jobs as the dashboard sees them ([`crate::tasks`]): every [`JobMsg`] goes
//! through [`App::on_job`], which sorts it by kind. Scans and checks are latest-wins: a
//! message of an older job than the newest seen is dropped ([`Latest`]). A delete or verify is
//! the one [`TaskState`] shown in the footer; its typed outcome ends it (a delete's status
//! line and a rescan, so figures and gauges follow the disk; a verify's [`Report`]). A job
//! whose worker panicked ends with a status line saying so.

use std::path::PathBuf;

use super::{App, View, ViewKind};
use crate::actions::delete::TRASH_NOTE;
use crate::actions::verify::VerifyReport;
use crate::scan::ScanEvent;
use crate::tasks::{DeleteSummary, JobEvent, JobId, JobKind, JobMsg, Latest, Outcome, Progress};
use crate::ui::format;
use crate::ui::keymap::{self, Action, Scope};
use crate::ui::msg::Effect;

/// The delete or verify running now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskState {
    /// The job.
    pub id: JobId,
    /// What it does.
    pub kind: JobKind,
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
    /// Rows checked and rows in all (verify).
    pub rows: (u64, u64),
    /// Esc was pressed; waiting for the worker to stop.
    pub cancelling: bool,
    /// Esc hid the progress of a permanent delete, which goes on.
    pub hidden: bool,
}

impl TaskState {
    fn new(id: JobId, kind: JobKind, total: usize) -> Self {
        TaskState {
            id,
            kind,
            total,
            done: 0,
            current: None,
            files: 0,
            bytes: 0,
            freed: 0,
            rows: (0, 0),
            cancelling: false,
            hidden: false,
        }
    }

    /// True for a permanent delete: once started it cannot be stopped (Esc only hides it).
    pub fn unstoppable(&self) -> bool {
        self.kind == JobKind::Delete { permanent: true }
    }

    /// The keymap scope of its footer line: a permanent delete can only be hidden.
    pub fn scope(&self) -> Scope {
        if self.unstoppable() {
            Scope::Removing
        } else {
            Scope::Task
        }
    }

    /// Bytes freed so far, finished versions and the current one.
    pub fn freed_so_far(&self) -> u64 {
        self.freed + self.bytes
    }

    fn progress(&mut self, progress: Progress) {
        match progress {
            Progress::Item { path } => {
                self.current = Some(path);
                (self.files, self.bytes, self.rows) = (0, 0, (0, 0));
            }
            Progress::Removed { files, bytes } => (self.files, self.bytes) = (files, bytes),
            Progress::Checked { rows, total } => self.rows = (rows, total),
            Progress::ItemDone { freed } => {
                self.done += 1;
                self.bytes = 0;
                self.freed += freed;
            }
            Progress::Scan(_) | Progress::Export(_) => {}
            #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
            Progress::Move { .. } => {}
        }
    }
}

/// The newest job seen of each latest-wins kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Newest {
    /// Scans.
    pub scan: Latest,
    /// The delete guards' checks.
    pub check: Latest,
    /// Opening a version for the browser.
    pub browse: Latest,
    /// The browser's previews.
    pub preview: Latest,
    /// The diff view's comparisons.
    pub diff: Latest,
    /// What the delete and prune dialogs' versions alone hold.
    pub loss: Latest,
}

/// A dialog showing a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// Verify results, one per version.
    Verify(Vec<VerifyReport>),
    /// The path was copied to the clipboard (no desktop): `!` starts a shell there.
    Copied(PathBuf),
    /// Opening it in the file manager failed, with the reason; the path was copied to the
    /// clipboard, and `!` starts a shell there.
    OpenFailed {
        /// The version folder.
        path: PathBuf,
        /// Why it could not be opened.
        why: String,
    },
    /// The last status lines in full (the footer cuts them to its width).
    Messages,
    /// The details of this version (and its device).
    Details(PathBuf),
}

impl Report {
    /// The folder a shell can start in (the copied path), if any.
    pub fn shell_dir(&self) -> Option<&PathBuf> {
        match self {
            Report::Copied(path) | Report::OpenFailed { path, .. } => Some(path),
            Report::Verify(_) | Report::Messages | Report::Details(_) => None,
        }
    }
}

impl App {
    /// One message of a background job.
    pub(super) fn on_job(&mut self, msg: JobMsg) -> Vec<Effect> {
        match msg.kind {
            JobKind::Scan if self.newest.scan.admit(msg.id) => self.on_scan_job(msg.event),
            JobKind::Check if self.newest.check.admit(msg.id) => {
                return self.on_check_job(msg.event)
            }
            JobKind::Browse if self.newest.browse.admit(msg.id) => match msg.event {
                JobEvent::Done(Outcome::Browsed { version, browsed }) => {
                    self.on_browsed(version, browsed)
                }
                JobEvent::Failed(why) => self.on_browse_failed(why, false),
                _ => {}
            },
            JobKind::Preview if self.newest.preview.admit(msg.id) => match msg.event {
                JobEvent::Done(Outcome::Previewed {
                    version,
                    node,
                    preview,
                }) => self.on_previewed(version, node, preview),
                JobEvent::Failed(why) => self.on_browse_failed(why, true),
                _ => {}
            },
            JobKind::Export => self.on_export_job(msg.id, msg.event),
            JobKind::Diff if self.newest.diff.admit(msg.id) => match msg.event {
                JobEvent::Done(Outcome::Diffed { old, new, diff }) => {
                    self.on_diffed(old, new, diff)
                }
                JobEvent::Failed(why) => self.on_diff_failed(why),
                _ => {}
            },
            JobKind::Unlock => return self.on_unlock_job(msg.id, msg.event),
            JobKind::Loss if self.newest.loss.admit(msg.id) => match msg.event {
                JobEvent::Done(Outcome::Lost { paths, loss }) => self.on_lost(&paths, loss),
                JobEvent::Failed(why) => self.on_lost_failed(why),
                _ => {}
            },
            JobKind::Scan
            | JobKind::Check
            | JobKind::Browse
            | JobKind::Preview
            | JobKind::Diff
            | JobKind::Loss => {}
            JobKind::Delete { .. } | JobKind::Verify => return self.on_task(msg),
            #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
            JobKind::MovePlan | JobKind::Move => return self.on_move_job(msg),
            #[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
            JobKind::MovePlan | JobKind::Move => {}
        }
        Vec::new()
    }

    fn on_scan_job(&mut self, event: JobEvent) {
        match event {
            JobEvent::Started { .. } => self.scan.start(self.library.versions().count()),
            JobEvent::Progress(Progress::Scan(event)) => self.on_scan(event),
            JobEvent::Done(Outcome::Scanned { elapsed, cancelled }) => {
                self.on_scan(ScanEvent::Finished { elapsed, cancelled })
            }
            JobEvent::Failed(why) => {
                self.scan.stop();
                self.status = Some(format!("the scan failed: {why}"));
            }
            JobEvent::Progress(_) | JobEvent::Done(_) => {}
        }
    }

    fn on_check_job(&mut self, event: JobEvent) -> Vec<Effect> {
        match event {
            JobEvent::Done(Outcome::Checked(checks)) => {
                // The dialog now shows the answer; a "still checking" note is out of date.
                if self.status == Some(super::still_checking()) {
                    self.status = None;
                }
                self.on_checks(checks);
                return self.ask_loss_of_deletable();
            }
            JobEvent::Failed(why) => {
                self.views.close(ViewKind::Confirm);
                self.status = Some(format!("checking what may be deleted failed: {why}"));
            }
            JobEvent::Started { .. } | JobEvent::Progress(_) | JobEvent::Done(_) => {}
        }
        Vec::new()
    }

    fn on_task(&mut self, msg: JobMsg) -> Vec<Effect> {
        if let JobEvent::Started { total } = msg.event {
            self.task = Some(TaskState::new(msg.id, msg.kind, total));
            return Vec::new();
        }
        let Some(task) = self.task.as_mut().filter(|t| t.id == msg.id) else {
            return Vec::new();
        };
        match msg.event {
            JobEvent::Started { .. } => {}
            JobEvent::Progress(p) => task.progress(p),
            JobEvent::Done(outcome) => return self.finish_task(outcome),
            JobEvent::Failed(why) => {
                self.task = None;
                self.status = Some(format!("{} failed: {why}", msg.kind.label()));
                // A delete may have removed something before it failed.
                if matches!(msg.kind, JobKind::Delete { .. }) {
                    return vec![Effect::Rescan];
                }
            }
        }
        Vec::new()
    }

    fn finish_task(&mut self, outcome: Outcome) -> Vec<Effect> {
        let Some(task) = self.task.take() else {
            return Vec::new();
        };
        match (task.kind, outcome) {
            (_, Outcome::Verified { reports, cancelled }) => {
                self.views.push(View::Report(Report::Verify(reports)));
                if cancelled {
                    self.status = Some("verify cancelled".into());
                }
                Vec::new()
            }
            (JobKind::Delete { permanent }, Outcome::Deleted(summary)) => {
                self.status = Some(delete_line(permanent, &summary));
                vec![Effect::Rescan]
            }
            _ => Vec::new(),
        }
    }

    /// True when a delete or verify is running (a second one is refused).
    pub(super) fn busy(&mut self) -> bool {
        self.status = self.task.as_ref().map(|task| {
            if task.unstoppable() {
                "wait: a permanent delete is running (it cannot be stopped once started)".into()
            } else {
                let key = keymap::key_label(Action::CancelTask, Scope::Task);
                format!("wait: a task is running ({key} cancels it)")
            }
        });
        self.task.is_some()
    }

    pub(super) fn cancel_task(&mut self) -> Vec<Effect> {
        match &mut self.task {
            Some(task) if !task.cancelling => {
                task.cancelling = true;
                vec![Effect::Cancel(task.id)]
            }
            _ => Vec::new(),
        }
    }
}

/// What a finished delete says: versions gone, bytes freed or the trash note, what a cancel
/// put back, failures.
fn delete_line(permanent: bool, s: &DeleteSummary) -> String {
    let n = format::plural(s.gone as i64, "version");
    let line = match (permanent, s.cancelled) {
        (true, false) => format!("deleted {n}, freed {}", format::size(s.freed)),
        (true, true) => format!(
            "stopped: deleted {n}, freed {}; the rest is finished at the next start",
            format::size(s.freed)
        ),
        (false, false) => format!("moved {n} to the Trash; {TRASH_NOTE}"),
        (false, true) if s.gone == 0 => format!(
            "cancelled: nothing is in the Trash ({} put back)",
            format::plural(s.put_back as i64, "version")
        ),
        (false, true) => format!(
            "cancelled: {n} stayed in the Trash, {} put back",
            format::plural(s.put_back as i64, "version")
        ),
    };
    match s.failures.first() {
        Some(first) => format!("{line}; {} failed: {first}", s.failures.len()),
        None => line,
    }
}
