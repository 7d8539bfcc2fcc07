//! The export dialog ([`View::Export`], over the browser): `e` on a file, folder, app or group
//! says what will be written (files, bytes, missing ones), where (default
//! `<Downloads>/backtop-export/<device> <date>/`, editable), what happens to a name already
//! taken (skip, or rename `name (1).ext`) and, for a group or an app, whether the backup's
//! structure is kept (`DEST/<domain>/<path>`) or flattened (`DEST/<group or app>/<path>`).
//! `Enter` starts the export job; its progress (files, bytes, rate) and cancel are in the
//! dialog, and so is the summary at the end.

use std::path::PathBuf;
use std::time::Duration;

use super::browser::Browser;
use super::{App, View, ViewKind};
use crate::actions::export::{Collision, ExportSummary, Selection};
use crate::library::browse::{GroupKind, Row, Shared, Totals};
use crate::library::category::Category;
use crate::library::manifest::NodeKind;
use crate::tasks::{ExportProgress, ExportRequest, JobEvent, JobId, Outcome, Progress};
use crate::ui::keymap::Scope;
use crate::ui::local_time;
use crate::ui::msg::Effect;

/// Where the export is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The dialog asks.
    Asking,
    /// The job runs.
    Running {
        /// The job, once it said it started.
        id: Option<JobId>,
        /// Files and bytes so far.
        progress: ExportProgress,
        /// Esc was pressed; waiting for the job to stop.
        cancelling: bool,
    },
    /// It ended: the summary and wall time, or why it could not start.
    Done(Result<(ExportSummary, Duration), String>),
}

/// The export dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDialog {
    /// The opened version.
    pub index: Shared,
    /// What is exported, for people ("the folder HomeDomain/Library/SMS").
    pub what: String,
    /// The folder a flattened export goes into (the group's or app's name).
    pub label: String,
    /// Files, bytes and missing files it holds.
    pub totals: Totals,
    /// The selection the export core gets.
    pub selection: Selection,
    /// A group or app: flattening is offered.
    pub can_flatten: bool,
    /// Flatten into `DEST/<label>/…`.
    pub flatten: bool,
    /// The destination folder, as typed.
    pub dest: String,
    /// While the destination is edited: what it was before.
    pub editing: Option<String>,
    /// When a name is taken.
    pub collision: Collision,
    /// Asking, running or done.
    pub phase: Phase,
}

impl ExportDialog {
    /// The keymap scope it answers in.
    pub fn scope(&self) -> Scope {
        match (&self.phase, &self.editing) {
            (Phase::Asking, Some(_)) => Scope::Destination,
            (Phase::Asking, None) => Scope::Export,
            (Phase::Running { .. }, _) => Scope::Exporting,
            (Phase::Done(_), _) => Scope::Exported,
        }
    }

    fn request(&self) -> ExportRequest {
        ExportRequest {
            index: self.index.clone(),
            selection: self.selection.clone(),
            flatten: (self.can_flatten && self.flatten).then(|| self.label.clone()),
            dest: PathBuf::from(self.dest.trim()),
            collision: self.collision,
        }
    }
}

/// The default destination: `<downloads>/backtop-export/<device> <date>` (`/` in the device
/// name made `_`).
pub fn default_dest(
    downloads: &std::path::Path,
    browser: &Browser,
    tz: &jiff::tz::TimeZone,
) -> PathBuf {
    let device: String = browser
        .device
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let name = match browser.date {
        Some(d) => format!("{device} {}", local_time::date(d, tz)),
        None => device,
    };
    downloads.join("backtop-export").join(name)
}

impl App {
    /// The open export dialog.
    pub fn export_dialog(&self) -> Option<&ExportDialog> {
        match self.views.get(ViewKind::Export) {
            Some(View::Export(d)) => Some(d),
            _ => None,
        }
    }

    fn export_mut(&mut self) -> Option<&mut ExportDialog> {
        match self.views.get_mut(ViewKind::Export) {
            Some(View::Export(d)) => Some(d),
            _ => None,
        }
    }

    /// Opens the export dialog for the browser's selection.
    pub(super) fn open_export(&mut self) -> Vec<Effect> {
        let Some(browser) = self.browser() else {
            return Vec::new();
        };
        let (Some(index), Some(row)) = (browser.index().cloned(), browser.selected()) else {
            return Vec::new();
        };
        let (tree, groups) = (&index.0.tree, &index.0.groups);
        let installed = browser.installed.clone();
        let in_search = browser.search.is_some();
        let group_kind = browser.group_kind();
        let mut selection = Selection {
            installed,
            ..Selection::default()
        };
        let category_of = |kind: GroupKind| match kind {
            GroupKind::Category(c) => c,
            GroupKind::Apps => Category::Apps,
            GroupKind::System => Category::System,
        };
        let (what, label, totals, can_flatten) = match row {
            Row::Group(g) => {
                let Some(group) = groups.groups().get(g) else {
                    return Vec::new();
                };
                selection.category = Some(category_of(group.kind));
                let label = group.kind.label().to_string();
                (format!("everything in {label}"), label, group.totals, true)
            }
            Row::App(g, a) => {
                let Some(app) = groups.groups().get(g).and_then(|g| g.apps.get(a)) else {
                    return Vec::new();
                };
                selection.app = Some(app.bundle.clone());
                let what = format!("the app {} ({})", app.name, app.bundle);
                (what, app.name.clone(), app.totals, true)
            }
            Row::Node(id) => {
                let node = tree.node(id);
                selection.prefixes = vec![node.full_path().to_string()];
                let container = node.kind().is_container();
                // What the tree shows under a group is what is exported: a domain's
                // remainder leaves out the folders its categories took.
                let totals = if in_search {
                    Totals::of_node(tree, id)
                } else {
                    if container {
                        selection.category = group_kind.map(category_of);
                    }
                    groups.totals(tree, id)
                };
                let word = match node.kind() {
                    NodeKind::File => "the file",
                    NodeKind::Domain => "the domain",
                    _ if container => "the folder",
                    _ => "the link",
                };
                let what = format!("{word} {}", node.full_path());
                (what, node.name().to_string(), totals, false)
            }
        };
        let dest = default_dest(&self.downloads, browser, &self.options.tz);
        self.views.push(View::Export(Box::new(ExportDialog {
            index,
            what,
            label,
            totals,
            selection,
            can_flatten,
            flatten: false,
            dest: dest.display().to_string(),
            editing: None,
            collision: Collision::Skip,
            phase: Phase::Asking,
        })));
        Vec::new()
    }

    /// An action of the export dialog when it takes the keys.
    pub(super) fn export_act(&mut self, action: crate::ui::keymap::Action) -> Option<Vec<Effect>> {
        use crate::ui::keymap::Action as A;
        if !matches!(self.views.top(), Some(View::Export(_))) {
            return None;
        }
        let dialog = self.export_mut()?;
        match action {
            A::Confirm if dialog.dest.trim().is_empty() => {
                self.status = Some("the destination is empty".into());
            }
            A::Confirm => {
                dialog.phase = Phase::Running {
                    id: None,
                    progress: ExportProgress::default(),
                    cancelling: false,
                };
                return Some(vec![Effect::Export(dialog.request())]);
            }
            A::Cancel | A::Close => {
                self.views.close(ViewKind::Export);
            }
            A::ToggleCollision => {
                dialog.collision = match dialog.collision {
                    Collision::Skip => Collision::Rename,
                    Collision::Rename => Collision::Skip,
                }
            }
            A::ToggleLayout if dialog.can_flatten => dialog.flatten = !dialog.flatten,
            A::ToggleLayout => {
                self.status = Some("only a group or an app can be flattened".into());
            }
            A::EditDest => dialog.editing = Some(dialog.dest.clone()),
            A::DestKeep => dialog.editing = None,
            A::DestUndo => {
                if let Some(before) = dialog.editing.take() {
                    dialog.dest = before;
                }
            }
            A::DestClear => dialog.dest.clear(),
            A::FilterBackspace => {
                dialog.dest.pop();
            }
            A::CancelTask => {
                if let Phase::Running {
                    id: Some(id),
                    cancelling,
                    ..
                } = &mut dialog.phase
                {
                    if !*cancelling {
                        *cancelling = true;
                        return Some(vec![Effect::Cancel(*id)]);
                    }
                }
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    /// A character typed into the destination.
    pub(super) fn export_type(&mut self, c: char) {
        if let Some(d) = self.export_mut().filter(|d| d.editing.is_some()) {
            d.dest.push(c);
        }
    }

    /// A message of the export job.
    pub(super) fn on_export_job(&mut self, id: JobId, event: JobEvent) {
        let Some(dialog) = self.export_mut() else {
            return;
        };
        match (&mut dialog.phase, event) {
            (Phase::Running { id: slot, .. }, JobEvent::Started { .. }) => *slot = Some(id),
            (
                Phase::Running {
                    id: Some(running),
                    progress,
                    ..
                },
                JobEvent::Progress(Progress::Export(p)),
            ) if *running == id => *progress = p,
            (
                Phase::Running {
                    id: Some(running), ..
                },
                JobEvent::Done(Outcome::Exported(r)),
            ) if *running == id => {
                dialog.phase = Phase::Done(r);
            }
            (
                Phase::Running {
                    id: Some(running), ..
                },
                JobEvent::Failed(why),
            ) if *running == id => {
                dialog.phase = Phase::Done(Err(format!("the export failed: {why}")));
            }
            _ => {}
        }
    }
}
