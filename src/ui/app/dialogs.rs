//! The delete and prune dialogs: their state, and what `y`, `t`, `+`/`-` and typing do.
//!
//! A delete dialog opens at once and asks the host for the guards' verdicts
//! ([`Effect::PlanDelete`], a check job whose outcome is
//! [`Outcome::Checked`](crate::tasks::Outcome::Checked)); until they arrive, only Esc does
//! something. The answer reorders the targets: what needs typing or
//! confirming and what carries a warning first, so nothing warned hides below the fold (the
//! list scrolls with the arrows, or j/k when nothing is typed). A target that needs `force` (a
//! device's newest complete backup, a backup in progress) makes the dialog ask for the device
//! name to be typed, and only those typed targets are forced; a warned iMazing snapshot is
//! allowed by answering yes after the warning is shown. The prune dialog is the
//! pure [`prune::plan`] for "keep the N newest complete versions of each device"
//! ([`DEFAULT_KEEP`], adjusted with `+`/`-`); confirming it confirms iMazing snapshots too (as
//! `backtop prune` does).

use std::path::PathBuf;

use super::loss::{self, LossView};
use super::{App, Confirm, View, ViewKind};
use crate::actions::prune::{self, PrunePolicy};
use crate::library::VersionKind;
use crate::tasks::{DeleteRequest, TargetCheck, Verdict};
use crate::ui::msg::Effect;

/// Versions per device the prune dialog keeps at first.
pub const DEFAULT_KEEP: usize = 2;
/// The most the prune dialog can keep.
const MAX_KEEP: usize = 99;

/// The delete confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteDialog {
    /// The version folders asked for.
    pub paths: Vec<PathBuf>,
    /// The guards' verdicts, once the host answered.
    pub checks: Option<Vec<TargetCheck>>,
    /// Remove for good instead of moving to the trash (`t` toggles; trash by default).
    pub permanent: bool,
    /// What the user typed so far (when a device name must be typed).
    pub typed: String,
    /// The first target shown (the list scrolls).
    pub scroll: usize,
    /// What was typed when Enter was last refused for a wrong name (cleared by typing), so
    /// the dialog says what it expects.
    pub rejected: Option<String>,
    /// Every backup of this device (asked from the devices pane): its name must be typed,
    /// whatever the guards say of each version.
    pub device: Option<String>,
    /// The files only the versions that go hold.
    pub loss: LossView,
}

impl DeleteDialog {
    /// A dialog for `paths`, waiting for the guards.
    pub fn new(paths: Vec<PathBuf>) -> Self {
        DeleteDialog {
            loss: LossView::looking(&paths),
            paths,
            checks: None,
            permanent: false,
            typed: String::new(),
            scroll: 0,
            rejected: None,
            device: None,
        }
    }

    /// The paths whose device name must be typed (forced once it is).
    pub fn typed_paths(&self) -> Vec<PathBuf> {
        self.checks
            .iter()
            .flatten()
            .filter(|c| matches!(c.verdict, Verdict::NeedsTyping { .. }))
            .map(|c| c.path.clone())
            .collect()
    }

    /// Targets with a warning or a refusal (shown first).
    pub fn flagged(&self) -> usize {
        self.checks
            .iter()
            .flatten()
            .filter(|c| c.verdict.is_flagged())
            .count()
    }

    /// Scrolls the list by `delta` rows, within `0..paths.len()`.
    pub fn scroll_by(&mut self, delta: isize) {
        let last = self.paths.len().saturating_sub(1);
        self.scroll = self.scroll.saturating_add_signed(delta).min(last);
    }

    /// The paths the guards allow (possibly after typing or confirming), in order.
    pub fn deletable(&self) -> Vec<PathBuf> {
        self.checks
            .iter()
            .flatten()
            .filter(|c| !matches!(c.verdict, Verdict::Refused { .. }))
            .map(|c| c.path.clone())
            .collect()
    }

    /// The text to type before yes counts: the device names that need it, joined by ", ".
    pub fn required_name(&self) -> Option<String> {
        let mut names: Vec<&str> = self.device.as_deref().into_iter().collect();
        for c in self.checks.iter().flatten() {
            if let Verdict::NeedsTyping { name, .. } = &c.verdict {
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
        (!names.is_empty()).then(|| names.join(", "))
    }

    fn needs_imazing(&self) -> bool {
        self.checks
            .iter()
            .flatten()
            .any(|c| matches!(c.verdict, Verdict::NeedsConfirm { .. }))
    }
}

/// The prune preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PruneDialog {
    /// Complete versions kept per device (`+`/`-`).
    pub keep: usize,
    /// Versions the plan removes, in library order.
    pub remove: Vec<PathBuf>,
    /// Why each goes (device, rank, age), parallel to `remove`.
    pub reasons: Vec<String>,
    /// iMazing snapshots among them (Versions.db may list them).
    pub snapshots: usize,
    /// Remove for good instead of moving to the trash.
    pub permanent: bool,
    /// The files only the versions it removes hold.
    pub loss: LossView,
}

impl App {
    /// Opens the delete dialog for `paths` and asks the guards about them, and what
    /// deleting them loses.
    pub(super) fn open_delete(&mut self, paths: Vec<PathBuf>) -> Vec<Effect> {
        self.views
            .push(View::Confirm(Confirm::Delete(DeleteDialog::new(
                paths.clone(),
            ))));
        let mut effects = loss::ask(&paths);
        effects.insert(0, Effect::PlanDelete(paths));
        effects
    }

    /// Opens the prune dialog keeping `keep` and asks what its plan loses.
    pub(super) fn open_prune(&mut self, keep: usize, permanent: bool) -> Vec<Effect> {
        let dialog = self.prune_dialog(keep, permanent);
        let effects = loss::ask(&dialog.remove);
        self.views.push(View::Confirm(Confirm::Prune(dialog)));
        effects
    }

    /// The guards answered: fill in the open delete dialog if the answer is about its paths
    /// (a late answer for an earlier dialog is ignored), flagged targets first (stable).
    pub(super) fn on_checks(&mut self, checks: Vec<TargetCheck>) {
        if let Some(Confirm::Delete(d)) = self.confirm_mut() {
            let ordered: Option<Vec<TargetCheck>> = d
                .paths
                .iter()
                .map(|p| checks.iter().find(|c| &c.path == p).cloned())
                .collect();
            if let (true, Some(mut ordered)) = (checks.len() == d.paths.len(), ordered) {
                ordered.sort_by_key(|c| c.verdict.rank());
                d.paths = ordered.iter().map(|c| c.path.clone()).collect();
                d.checks = Some(ordered);
                d.scroll = 0;
            }
        }
    }

    /// The open confirmation dialog, to change it.
    fn confirm_mut(&mut self) -> Option<&mut Confirm> {
        match self.views.get_mut(ViewKind::Confirm) {
            Some(View::Confirm(c)) => Some(c),
            _ => None,
        }
    }

    /// The prune plan keeping `keep` complete versions per device.
    pub fn prune_dialog(&self, keep: usize, permanent: bool) -> PruneDialog {
        let policy = PrunePolicy {
            keep: Some(keep),
            older_than: None,
        };
        let plan = prune::plan(&self.library, &policy, self.now);
        let name = |e: &prune::PlanEntry| e.device.clone().unwrap_or_else(|| "unknown".into());
        let remove: Vec<PathBuf> = plan.remove.iter().map(|e| e.path.clone()).collect();
        PruneDialog {
            keep,
            loss: LossView::looking(&remove),
            remove,
            reasons: plan
                .remove
                .iter()
                .map(|e| format!("{}: {}", name(e), e.reason.text()))
                .collect(),
            snapshots: plan
                .remove
                .iter()
                .filter(|e| e.kind == VersionKind::ImazingSnapshot)
                .count(),
            permanent,
        }
    }

    /// `+`/`-` in the prune dialog (and what the new plan loses).
    pub(super) fn adjust_keep(&mut self, more: bool) -> Vec<Effect> {
        let Some(Confirm::Prune(p)) = self.confirm() else {
            return Vec::new();
        };
        let keep = if more {
            (p.keep + 1).min(MAX_KEEP)
        } else {
            p.keep.saturating_sub(1).max(1)
        };
        self.open_prune(keep, p.permanent)
    }

    /// `t`: trash or permanent.
    pub(super) fn toggle_permanent(&mut self) {
        match self.confirm_mut() {
            Some(Confirm::Delete(d)) => d.permanent = !d.permanent,
            Some(Confirm::Prune(p)) => p.permanent = !p.permanent,
            None => {}
        }
    }

    /// A typed character or backspace in a dialog that asks for a device name.
    pub(super) fn type_in_dialog(&mut self, c: Option<char>) {
        if let Some(Confirm::Delete(d)) = self.confirm_mut() {
            d.rejected = None;
            match c {
                Some(c) => d.typed.push(c),
                None => {
                    d.typed.pop();
                }
            }
        }
    }

    /// Yes or no to the open dialog.
    pub(super) fn answer(&mut self, yes: bool) -> Vec<Effect> {
        let Some(View::Confirm(confirm)) = self.views.close(ViewKind::Confirm) else {
            return Vec::new();
        };
        if !yes {
            return Vec::new();
        }
        match confirm {
            Confirm::Delete(d) => self.confirm_delete(d),
            Confirm::Prune(p) if p.remove.is_empty() => {
                self.status = Some(format!("nothing to prune when keeping {}", p.keep));
                Vec::new()
            }
            Confirm::Prune(p) => self.start_delete(DeleteRequest {
                paths: p.remove,
                permanent: p.permanent,
                forced: Vec::new(),
                confirm_imazing: true,
            }),
        }
    }

    fn confirm_delete(&mut self, d: DeleteDialog) -> Vec<Effect> {
        if d.checks.is_none() {
            self.status = Some(super::still_checking());
            self.views.push(View::Confirm(Confirm::Delete(d)));
            return Vec::new();
        }
        let required = d.required_name();
        if let Some(name) = &required {
            if d.typed.trim() != name {
                self.status = Some(wrong_name(&d.typed, name));
                let mut d = d;
                d.rejected = Some(d.typed.clone());
                self.views.push(View::Confirm(Confirm::Delete(d)));
                return Vec::new();
            }
        }
        let paths = d.deletable();
        if paths.is_empty() {
            self.status = Some("nothing here may be deleted".into());
            return Vec::new();
        }
        self.start_delete(DeleteRequest {
            paths,
            permanent: d.permanent,
            forced: d.typed_paths(),
            confirm_imazing: d.needs_imazing(),
        })
    }

    fn start_delete(&mut self, request: DeleteRequest) -> Vec<Effect> {
        self.marks.retain(|p| !request.paths.contains(p));
        vec![Effect::Delete(request)]
    }
}

/// Why Enter did not delete: what was typed and what is expected, exactly.
pub(crate) fn wrong_name(typed: &str, name: &str) -> String {
    if typed.trim().is_empty() {
        format!("type {name} to confirm, then Enter")
    } else {
        format!(
            "\"{}\" is not {name}: type the device name exactly as shown",
            typed.trim()
        )
    }
}
