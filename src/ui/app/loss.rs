//! "What deleting this loses" in the delete and prune dialogs: the files only the versions
//! to be deleted hold, by category, from a latest-wins job ([`Effect::Loss`], answered by
//! [`Outcome::Lost`](crate::tasks::Outcome::Lost)) asked when a dialog opens, when the
//! guards refuse some of its versions, and when `+`/`-` change the prune plan.

use std::path::PathBuf;

use super::{App, Confirm, View, ViewKind};
use crate::library::diff::Loss;
use crate::ui::msg::Effect;

/// What a dialog says of the files only its versions hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LossView {
    /// The versions it is about, sorted (the dialog reorders its list).
    pub paths: Vec<PathBuf>,
    /// Where the job is.
    pub state: LossState,
}

/// Where the loss job is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LossState {
    /// The job runs.
    Looking,
    /// Its answer.
    Ready(Box<Loss>),
    /// The job stopped (its worker failed).
    Failed(String),
}

impl LossView {
    /// Looking for what deleting `paths` loses.
    pub fn looking(paths: &[PathBuf]) -> Self {
        let mut paths = paths.to_vec();
        paths.sort();
        LossView {
            paths,
            state: LossState::Looking,
        }
    }

    /// True when this is about exactly `paths` (in any order).
    pub fn is_about(&self, paths: &[PathBuf]) -> bool {
        let mut sorted = paths.to_vec();
        sorted.sort();
        sorted == self.paths
    }
}

/// The job to ask for `paths` (none for an empty set).
pub(super) fn ask(paths: &[PathBuf]) -> Vec<Effect> {
    if paths.is_empty() {
        Vec::new()
    } else {
        vec![Effect::Loss(paths.to_vec())]
    }
}

impl App {
    /// The open dialog's loss view, to change it.
    fn loss_mut(&mut self) -> Option<&mut LossView> {
        match self.views.get_mut(ViewKind::Confirm) {
            Some(View::Confirm(Confirm::Delete(d))) => Some(&mut d.loss),
            Some(View::Confirm(Confirm::Prune(p))) => Some(&mut p.loss),
            _ => None,
        }
    }

    /// The job's answer, for the open dialog if it is still about those versions.
    pub(super) fn on_lost(&mut self, paths: &[PathBuf], loss: Box<Loss>) {
        if let Some(view) = self.loss_mut().filter(|v| v.is_about(paths)) {
            view.state = LossState::Ready(loss);
        }
    }

    /// The job's worker failed: the open dialog says so.
    pub(super) fn on_lost_failed(&mut self, why: String) {
        if let Some(view) = self.loss_mut() {
            view.state = LossState::Failed(why);
        }
    }

    /// After the guards answered: when they refuse some versions, what deleting the others
    /// loses is asked again.
    pub(super) fn ask_loss_of_deletable(&mut self) -> Vec<Effect> {
        let Some(View::Confirm(Confirm::Delete(d))) = self.views.get_mut(ViewKind::Confirm) else {
            return Vec::new();
        };
        let going = d.deletable();
        if d.checks.is_none() || d.loss.is_about(&going) {
            return Vec::new();
        }
        d.loss = LossView::looking(&going);
        ask(&going)
    }
}
