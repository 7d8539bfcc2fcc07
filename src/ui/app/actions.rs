//! The version actions: mark, open, verify, delete and prune. Delete and prune only open a
//! [`Confirm`] dialog (see [`super::dialogs`]); the effect is emitted when the user answers
//! yes (confirm and do are separate steps). Read-only mode refuses both with a status line;
//! while a delete or verify runs, another one is refused.

use std::path::{Path, PathBuf};

use super::dialogs::DEFAULT_KEEP;
use super::{figures, App, Confirm, Pane, View};
use crate::ui::format;
use crate::ui::keymap::Action;
use crate::ui::msg::Effect;

impl App {
    /// Marked versions, or the selected one when nothing is marked.
    pub fn targets(&self) -> Vec<PathBuf> {
        if self.marks.is_empty() {
            self.version()
                .map(|v| vec![v.path.clone()])
                .unwrap_or_default()
        } else {
            self.marks.iter().cloned().collect()
        }
    }

    /// What deleting the marked set frees, when every marked version is sized.
    pub fn marked_freed(&self) -> Option<u64> {
        let paths: Vec<&Path> = self.marks.iter().map(PathBuf::as_path).collect();
        figures::freed_by_paths(self, &paths)
    }

    pub(super) fn version_action(&mut self, action: Action) -> Vec<Effect> {
        let whole_device = self.focus == Pane::Devices;
        match action {
            Action::Mark if whole_device => self.toggle_device_marks(),
            Action::Mark => self.toggle_mark(),
            Action::Open => {
                return self
                    .version()
                    .map(|v| Effect::Open(v.path.clone()))
                    .into_iter()
                    .collect()
            }
            Action::Delete if self.options.read_only => self.refuse("delete"),
            Action::Prune if self.options.read_only => self.refuse("prune"),
            _ if self.busy() => {}
            Action::Verify => {
                let paths = self.targets();
                if paths.is_empty() {
                    return Vec::new();
                }
                // An encrypted version not unlocked yet: its password first.
                return self
                    .unlock_to_verify(&paths)
                    .unwrap_or_else(|| vec![Effect::Verify(paths)]);
            }
            Action::Delete if whole_device => return self.delete_device(),
            Action::Delete => {
                let paths = self.targets();
                if !paths.is_empty() {
                    return self.open_delete(paths);
                }
            }
            Action::Prune => return self.open_prune(DEFAULT_KEEP, false),
            _ => {}
        }
        Vec::new()
    }

    fn toggle_mark(&mut self) {
        let Some(path) = self.version().map(|v| v.path.clone()) else {
            return;
        };
        if !self.marks.remove(&path) {
            self.marks.insert(path);
        }
        self.move_by(1);
    }

    /// Marks every version of the selected device, or unmarks them all when all are marked.
    fn toggle_device_marks(&mut self) {
        let Some(device) = self.device() else { return };
        let paths: Vec<PathBuf> = device.versions.iter().map(|v| v.path.clone()).collect();
        if paths.iter().all(|p| self.marks.contains(p)) {
            self.marks.retain(|p| !paths.contains(p));
        } else {
            self.marks.extend(paths);
        }
    }

    /// The delete dialog for every version of the selected device: its name must be typed.
    fn delete_device(&mut self) -> Vec<Effect> {
        let Some(device) = self.device() else {
            return Vec::new();
        };
        let name = device.display_name().to_string();
        let paths: Vec<PathBuf> = device.versions.iter().map(|v| v.path.clone()).collect();
        let effects = self.open_delete(paths);
        if let Some(View::Confirm(Confirm::Delete(d))) = self.views.top_mut() {
            d.device = Some(name);
        }
        effects
    }

    fn refuse(&mut self, what: &str) {
        self.status = Some(format!("read-only: {what} is disabled"));
    }

    /// One line describing the marked set, e.g. `2 marked, frees 12.3 GB`.
    pub fn marked_summary(&self) -> Option<String> {
        if self.marks.is_empty() {
            return None;
        }
        let n = format!("{} marked", self.marks.len());
        Some(match self.marked_freed() {
            Some(b) => format!("{n}, frees {}", format::size(b)),
            None => format!("{n}, not all sized"),
        })
    }
}
