//! The move dialog ([`View::Move`], `M`): moving the selected device's backups (its live
//! folder, archives and iMazing snapshots together), or the whole root they are in, to another
//! folder or drive, and back. `m` was taken by the message log (issue 14), so the move is `M`.
//!
//! It asks for DEST (a root reached through a link a move left, or a device whose live folder
//! is such a link, moves back instead, without one), shows the plan a dry run prints (or why the move is refused), runs the move as a
//! background job with its stage, entries, bytes, rate and time left, and once the verified
//! copy is switched in asks whether to remove the original (permanently: the trash would keep
//! the space used). A cancel, a failure or a quit leaves the move's journal; the dialog then
//! says what is where, from the journal, and offers to resume or roll back, as it does at
//! start for every move it finds unfinished. All of it is state plus effects: the jobs are
//! [`crate::tasks::relocate`]'s.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{App, View, ViewKind};
use crate::actions::relocate::{MoveOutcome, MoveProgress, MoveStatus};
use crate::library::VersionKind;
use crate::tasks::relocate::{InterruptedMove, MoveEnd, MoveRequest, PlanAnswer, Planned};
use crate::tasks::{JobEvent, JobId, JobKind, JobMsg, Outcome, Progress};
use crate::ui::keymap::{Action, Scope};
use crate::ui::msg::Effect;

/// Where the move dialog is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MovePhase {
    /// Waiting for a destination (typed, or to be typed).
    Asking,
    /// A plan job runs.
    Planning,
    /// The plan, or why not.
    Planned(Planned),
    /// The move (or a rollback) runs.
    Running {
        /// The job, once it said it started.
        id: Option<JobId>,
        /// Where it is and how long its stage has run.
        progress: Option<(MoveProgress, Duration)>,
        /// Esc was pressed; waiting for it to stop.
        cancelling: bool,
        /// It is a rollback.
        rollback: bool,
    },
    /// The copy is verified and in use; the original waits: remove it now?
    Switched {
        /// What the move said.
        message: String,
        /// The journal, to resume (remove the original) or leave.
        left: Box<InterruptedMove>,
    },
    /// A move left unfinished (found at start, or cancelled or failed here): what is where,
    /// and resume or roll back.
    Interrupted {
        /// What just happened, when it happened here (a cancel, a failure).
        said: Option<String>,
        /// Its journal in words.
        left: Box<InterruptedMove>,
    },
    /// It ended.
    Done {
        /// What happened.
        message: String,
        /// It went as asked.
        ok: bool,
    },
}

/// The move dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveDialog {
    /// The backup root.
    pub root: PathBuf,
    /// The device, when opened on one: its name and its live folder in the root.
    pub device: Option<(String, PathBuf)>,
    /// Move the whole root rather than the device's backups.
    pub whole_root: bool,
    /// The destination, as typed.
    pub dest: String,
    /// While the destination is edited: what it was before.
    pub editing: Option<String>,
    /// Where it is.
    pub phase: MovePhase,
    /// The newest plan job (older answers are dropped).
    pub plan_job: Option<JobId>,
}

impl MoveDialog {
    /// The keymap scope it answers in.
    pub fn scope(&self) -> Scope {
        match (&self.phase, &self.editing) {
            (MovePhase::Asking | MovePhase::Planned(_) | MovePhase::Planning, Some(_)) => {
                Scope::MoveDest
            }
            (MovePhase::Asking | MovePhase::Planned(_) | MovePhase::Planning, None) => Scope::Move,
            (MovePhase::Running { .. }, _) => Scope::Moving,
            (MovePhase::Switched { .. }, _) => Scope::MoveOriginal,
            (MovePhase::Interrupted { .. }, _) => Scope::MoveResume,
            (MovePhase::Done { .. }, _) => Scope::MoveDone,
        }
    }

    /// What moves: the root, or the device's live folder.
    pub fn place(&self) -> &Path {
        match &self.device {
            Some((_, folder)) if !self.whole_root => folder,
            _ => &self.root,
        }
    }

    fn request(&self, remove_original: bool) -> MoveRequest {
        let dest = self.dest.trim();
        MoveRequest {
            place: self.place().to_path_buf(),
            dest: (!dest.is_empty()).then(|| PathBuf::from(dest)),
            back: false,
            remove_original,
        }
    }

    /// Asks for the plan again (an answer to an earlier request is dropped).
    fn replan(&mut self) -> Effect {
        self.phase = MovePhase::Planning;
        self.plan_job = None;
        Effect::PlanMove(self.request(false))
    }

    /// The running move is removing the original (which cannot be stopped from here).
    pub fn removing(&self) -> bool {
        matches!(
            &self.phase,
            MovePhase::Running {
                progress: Some((p, _)),
                ..
            } if p.stage == crate::actions::relocate::Stage::Removing
        )
    }
}

impl App {
    /// The open move dialog.
    pub fn move_dialog(&self) -> Option<&MoveDialog> {
        match self.views.get(ViewKind::Move) {
            Some(View::Move(d)) => Some(d),
            _ => None,
        }
    }

    fn move_mut(&mut self) -> Option<&mut MoveDialog> {
        match self.views.get_mut(ViewKind::Move) {
            Some(View::Move(d)) => Some(d),
            _ => None,
        }
    }

    /// `M`: the move dialog for the selected device in the selected version's root; a plan
    /// job without DEST first (a root a move left as a link plans its move back).
    pub(super) fn open_move(&mut self) -> Vec<Effect> {
        let (Some(device), Some(version)) = (self.device(), self.version()) else {
            return Vec::new();
        };
        let root = version.root.clone();
        // The live folder is `<root>/<UDID>` (as spelled on disk when a live version is there).
        let folder = device
            .versions
            .iter()
            .find(|v| v.root == root && v.kind == VersionKind::Live)
            .map_or_else(|| root.join(&device.udid), |v| v.path.clone());
        let dialog = MoveDialog {
            device: Some((device.display_name().to_string(), folder)),
            root,
            whole_root: false,
            dest: String::new(),
            editing: None,
            phase: MovePhase::Planning,
            plan_job: None,
        };
        let request = dialog.request(false);
        self.views.push(View::Move(Box::new(dialog)));
        vec![Effect::PlanMove(request)]
    }

    /// An action of the move dialog when it takes the keys.
    pub(super) fn move_act(&mut self, action: Action) -> Option<Vec<Effect>> {
        if !matches!(self.views.top(), Some(View::Move(_))) {
            return None;
        }
        let dialog = self.move_mut()?;
        let mut effects = Vec::new();
        let mut status = None;
        match (action, &dialog.phase) {
            (Action::Confirm, MovePhase::Planned(Planned::Plan { .. })) => {
                dialog.phase = running(false);
                effects.push(Effect::Move(dialog.request(false)));
            }
            (Action::Confirm, MovePhase::Planning) => status = Some("still planning the move"),
            (Action::Confirm, MovePhase::Asking | MovePhase::Planned(_))
                if dialog.dest.trim().is_empty() =>
            {
                dialog.editing = Some(String::new());
            }
            (Action::Confirm, MovePhase::Asking | MovePhase::Planned(_)) => {
                effects.push(dialog.replan());
            }
            (Action::MoveWhat, _) if dialog.device.is_none() => {
                status = Some("opened on a root: the whole root moves");
            }
            (Action::MoveWhat, _) => {
                dialog.whole_root = !dialog.whole_root;
                effects.push(dialog.replan());
            }
            (Action::EditDest, _) => dialog.editing = Some(dialog.dest.clone()),
            (Action::DestKeep, _) => {
                dialog.editing = None;
                if dialog.dest.trim().is_empty() {
                    dialog.phase = MovePhase::Asking;
                } else {
                    effects.push(dialog.replan());
                }
            }
            (Action::DestUndo, _) => {
                if let Some(before) = dialog.editing.take() {
                    dialog.dest = before;
                }
            }
            (Action::DestClear, _) => dialog.dest.clear(),
            (Action::FilterBackspace, _) => {
                dialog.dest.pop();
            }
            (Action::CancelTask, MovePhase::Running { .. }) if dialog.removing() => {
                status = Some(
                    "removing the original cannot be stopped: the copy is in use and the rest \
                     is removed (a quit or crash leaves it for the next start to finish)",
                );
            }
            (
                Action::CancelTask,
                MovePhase::Running {
                    id: Some(id),
                    cancelling,
                    ..
                },
            ) if !*cancelling => {
                effects.push(Effect::Cancel(*id));
                if let MovePhase::Running { cancelling, .. } = &mut dialog.phase {
                    *cancelling = true;
                }
            }
            (Action::Confirm, MovePhase::Switched { left, .. }) => {
                let request = left.resume(true);
                dialog.phase = running(false);
                effects.push(Effect::Move(request));
            }
            (Action::Cancel, MovePhase::Switched { left, .. }) => {
                let kept = format!(
                    "The original is kept. {} M on it, or the dashboard's next start, offers to \
                     remove it or roll the move back.",
                    left.text
                );
                dialog.phase = MovePhase::Done {
                    message: kept,
                    ok: true,
                };
            }
            (Action::Resume, MovePhase::Interrupted { left, .. }) => {
                let remove = left.note.phase >= crate::actions::relocate::Phase::Switched;
                let request = left.resume(remove);
                dialog.phase = running(false);
                effects.push(Effect::Move(request));
            }
            (Action::RollBack, MovePhase::Interrupted { left, .. }) => {
                let root = left.note.root.clone();
                dialog.phase = running(true);
                effects.push(Effect::AbortMove(root));
            }
            (Action::Cancel | Action::Close, _) => {
                if let Some(View::Move(d)) = self.views.close(ViewKind::Move) {
                    if let MovePhase::Interrupted { left, .. } = d.phase {
                        self.dismissed_moves.insert(left.note.root.clone());
                    }
                }
            }
            _ => return None,
        }
        if let Some(s) = status {
            self.status = Some(s.to_string());
        }
        Some(effects)
    }

    /// A character typed into the destination.
    pub(super) fn move_type(&mut self, c: char) {
        if let Some(d) = self.move_mut().filter(|d| d.editing.is_some()) {
            d.dest.push(c);
        }
    }

    /// A message of a move job.
    pub(super) fn on_move_job(&mut self, msg: JobMsg) -> Vec<Effect> {
        match (msg.kind, msg.event) {
            (JobKind::MovePlan, JobEvent::Started { .. }) => {
                if let Some(d) = self.move_mut() {
                    d.plan_job = Some(msg.id);
                }
            }
            (JobKind::MovePlan, JobEvent::Done(Outcome::MovePlanned(answer))) => {
                let PlanAnswer { request, planned } = *answer;
                let Some(d) = self.move_mut() else {
                    return Vec::new();
                };
                let current = d.plan_job == Some(msg.id) && request == d.request(false);
                if !current || d.phase != MovePhase::Planning {
                    return Vec::new();
                }
                d.phase = match planned {
                    Planned::NeedsDest if request.dest.is_none() => {
                        d.editing = Some(d.dest.clone());
                        MovePhase::Asking
                    }
                    other => MovePhase::Planned(other),
                };
            }
            (JobKind::Move, JobEvent::Started { .. }) => {
                if let Some(MoveDialog {
                    phase: MovePhase::Running { id, .. },
                    ..
                }) = self.move_mut()
                {
                    *id = Some(msg.id);
                }
            }
            (JobKind::Move, JobEvent::Progress(Progress::Move { progress, elapsed })) => {
                if let Some(MoveDialog {
                    phase:
                        MovePhase::Running {
                            id, progress: p, ..
                        },
                    ..
                }) = self.move_mut()
                {
                    if *id == Some(msg.id) {
                        *p = Some((progress, elapsed));
                    }
                }
            }
            (JobKind::Move, JobEvent::Done(Outcome::Moved(end))) => {
                let MoveEnd { result, left } = *end;
                return self.on_moved(msg.id, result, left);
            }
            (JobKind::Move, JobEvent::Failed(why)) => {
                let message = format!("the move failed: {why}");
                return self.on_moved(msg.id, Err(message), None);
            }
            _ => {}
        }
        Vec::new()
    }

    /// A move or rollback ended: the result, the question about the original, or what its
    /// journal left; then a rescan (paths changed).
    fn on_moved(
        &mut self,
        id: JobId,
        result: Result<MoveOutcome, String>,
        left: Option<InterruptedMove>,
    ) -> Vec<Effect> {
        let Some(d) = self.move_mut() else {
            return vec![Effect::Rescan];
        };
        if !matches!(d.phase, MovePhase::Running { id: Some(running), .. } if running == id) {
            return Vec::new();
        }
        let back = left
            .as_ref()
            .is_some_and(|l| l.note.direction == crate::actions::relocate::Direction::Back);
        let (message, status) = match &result {
            Ok(outcome) => (said(outcome, back), Some(outcome.status)),
            Err(why) => (why.clone(), None),
        };
        d.phase = match (status, left) {
            (Some(MoveStatus::Kept), Some(left)) => MovePhase::Switched {
                message: message.clone(),
                left: Box::new(left),
            },
            (Some(MoveStatus::Done | MoveStatus::RolledBack), _) => MovePhase::Done {
                message: message.clone(),
                ok: true,
            },
            (_, Some(left)) => MovePhase::Interrupted {
                said: Some(message.clone()),
                left: Box::new(left),
            },
            (_, None) => MovePhase::Done {
                message: message.clone(),
                ok: false,
            },
        };
        self.status = Some(message);
        vec![Effect::Rescan]
    }

    /// Moves found unfinished: the first one not set aside opens the dialog, unless a dialog
    /// or another view is in the way (it is asked again at the next rescan).
    pub(super) fn on_interrupted(&mut self, found: Vec<InterruptedMove>) {
        if !self.views.is_empty() {
            return;
        }
        let Some(first) = found
            .into_iter()
            .find(|m| !self.dismissed_moves.contains(&m.note.root))
        else {
            return;
        };
        self.views.push(View::Move(Box::new(MoveDialog {
            root: first.note.root.clone(),
            device: None,
            whole_root: true,
            dest: first.note.far.display().to_string(),
            editing: None,
            phase: MovePhase::Interrupted {
                said: None,
                left: Box::new(first),
            },
            plan_job: None,
        })));
    }
}

/// What a move's outcome says in the dialog: the core's words, except where they speak of the
/// command line (an original kept, a cancel: the dialog offers what to do next itself).
/// `back`: it is a move back.
fn said(outcome: &MoveOutcome, back: bool) -> String {
    match (outcome.status, &outcome.kept) {
        (MoveStatus::Kept, Some(_)) if back => format!(
            "{} is a folder again, the verified copy of {}; the original there waits.",
            outcome.root.display(),
            outcome.far.display()
        ),
        (MoveStatus::Kept, Some(kept)) => format!(
            "{} now points to the verified copy in {}; the original waits in {}.",
            outcome.root.display(),
            outcome.far.display(),
            kept.display()
        ),
        (MoveStatus::Cancelled, _) => "Cancelled.".to_string(),
        (MoveStatus::Failed, _) => {
            let why = outcome
                .message
                .split_once("; ")
                .map_or(&*outcome.message, |(w, _)| w);
            format!("It stopped: {why}.")
        }
        _ => outcome.message.clone(),
    }
}

fn running(rollback: bool) -> MovePhase {
    MovePhase::Running {
        id: None,
        progress: None,
        cancelling: false,
        rollback,
    }
}
