//! The version actions: mark, open, verify, delete and prune. Delete and prune only open a
//! [`Confirm`] dialog; the effect is emitted when the user answers yes (confirm and do are
//! separate steps). Read-only mode refuses both with a status line.

use std::path::{Path, PathBuf};

use super::{figures, App, Confirm};
use crate::library::{BackupState, VersionKind};
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
        match action {
            Action::Mark => self.toggle_mark(),
            Action::Open => {
                return self
                    .version()
                    .map(|v| Effect::Open(v.path.clone()))
                    .into_iter()
                    .collect()
            }
            Action::Verify => {
                let paths = self.targets();
                return if paths.is_empty() {
                    Vec::new()
                } else {
                    vec![Effect::Verify(paths)]
                };
            }
            Action::Delete if self.options.read_only => self.refuse("delete"),
            Action::Prune if self.options.read_only => self.refuse("prune"),
            Action::Delete => {
                let paths = self.targets();
                if !paths.is_empty() {
                    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
                    let freed = figures::freed_by_paths(self, &refs);
                    let warnings = self.delete_warnings(&paths);
                    self.confirm = Some(Confirm::Delete {
                        paths,
                        freed,
                        warnings,
                    });
                }
            }
            Action::Prune => self.confirm = Some(Confirm::Prune),
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn answer(&mut self, yes: bool) -> Vec<Effect> {
        match (self.confirm.take(), yes) {
            (Some(Confirm::Delete { paths, .. }), true) => {
                self.marks.retain(|p| !paths.contains(p));
                vec![Effect::Delete(paths)]
            }
            (Some(Confirm::Prune), true) => vec![Effect::Prune],
            _ => Vec::new(),
        }
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

    fn refuse(&mut self, what: &str) {
        self.status = Some(format!("read-only: {what} is disabled"));
    }

    /// Reasons to think twice before deleting `paths`.
    fn delete_warnings(&self, paths: &[PathBuf]) -> Vec<String> {
        let mut out = Vec::new();
        for device in self.all_devices() {
            if let Some(kept) = figures::kept(device) {
                if paths.contains(&kept.path) {
                    out.push(format!(
                        "includes the newest complete backup of {}",
                        device.display_name()
                    ));
                }
            }
            for v in device.versions.iter().filter(|v| paths.contains(&v.path)) {
                if v.state == BackupState::InProgress {
                    out.push(format!("{} is being written now", v.folder_name));
                }
                if v.kind == VersionKind::ImazingSnapshot {
                    out.push(format!(
                        "{} is an iMazing snapshot its Versions.db still lists",
                        v.folder_name
                    ));
                }
            }
        }
        out
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
