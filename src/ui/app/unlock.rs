//! The password prompt of an encrypted version (`u` in the versions pane, opening a locked
//! version, or verifying one): masked input, then the key derivation as a background job with a spinner and
//! its elapsed time, Esc to cancel, "wrong password" to try again. Once a version is
//! unlocked the dashboard rescans (the scan categorizes it from its decrypted manifest), and
//! knows only *that* it is ([`App::unlocked`]); the keys stay with the
//! host's jobs ([`crate::tasks::Keyring`]) and the typed password leaves the dashboard on
//! Enter, inside the job's request (zeroized when the job ends).

use std::fmt;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::{App, View, ViewKind};
use crate::library::unlock::Password;
use crate::tasks::{JobEvent, JobId, Outcome, UnlockOutcome, UnlockRequest, UnlockResult};
use crate::ui::format;
use crate::ui::keymap::Action;
use crate::ui::msg::Effect;

/// Text typed into the prompt: zeroized when dropped or cleared; `Debug` shows only its length.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Characters typed.
    pub fn len(&self) -> usize {
        self.0.chars().count()
    }

    /// Nothing typed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn push(&mut self, c: char) {
        self.0.push(c);
    }

    fn pop(&mut self) {
        self.0.pop();
    }

    /// The password, the input emptied.
    fn take(&mut self) -> Password {
        let password = Password::new(self.0.as_bytes());
        *self = Secret::default();
        password
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({} chars)", self.len())
    }
}

/// Where the prompt is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnlockPhase {
    /// Typing the password.
    Typing,
    /// The key is being derived (the job, once it said it started).
    Deriving {
        /// The job, to cancel it.
        job: Option<JobId>,
        /// When Enter was pressed, for the elapsed time.
        since: OffsetDateTime,
    },
}

/// What to do once the version is unlocked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterUnlock {
    /// Nothing more (`u`).
    Stay,
    /// Open it in the browser (it was being opened).
    Browse,
    /// Verify these versions (`v`): with the keys of those the password opened, and also when
    /// the prompt is closed with Esc (a locked one is then "not checked: encrypted").
    Verify(Vec<PathBuf>),
}

/// The password prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlockPrompt {
    /// The version to unlock.
    pub target: PathBuf,
    /// Its device's name, for the title.
    pub device: String,
    /// The device's other encrypted versions, tried with the same password.
    pub scope: Vec<PathBuf>,
    /// What was typed.
    pub input: Secret,
    /// Typing or deriving.
    pub phase: UnlockPhase,
    /// The last try's answer ("wrong password").
    pub error: Option<String>,
    /// What follows a success.
    pub then: AfterUnlock,
}

impl App {
    /// The open password prompt.
    pub fn unlock_prompt(&self) -> Option<&UnlockPrompt> {
        match self.views.get(ViewKind::Unlock) {
            Some(View::Unlock(p)) => Some(p),
            _ => None,
        }
    }

    fn unlock_prompt_mut(&mut self) -> Option<&mut UnlockPrompt> {
        match self.views.get_mut(ViewKind::Unlock) {
            Some(View::Unlock(p)) => Some(p),
            _ => None,
        }
    }

    /// True when the selected version is encrypted and not unlocked yet.
    pub fn selected_locked(&self) -> bool {
        self.version()
            .is_some_and(|v| v.encrypted && !self.unlocked.contains(&v.path))
    }

    /// Asks for the password of the selected version, then does `then`. A version that is not
    /// encrypted, or already unlocked, needs none (and is browsed at once if asked).
    pub(super) fn open_unlock(&mut self, then: AfterUnlock) -> Vec<Effect> {
        let Some(version) = self.version().cloned() else {
            return Vec::new();
        };
        if !self.selected_locked() {
            if then == AfterUnlock::Browse {
                return self.browse_selected();
            }
            self.status = Some(if version.encrypted {
                "this version is unlocked already (until backtop quits)".into()
            } else {
                "this version is not encrypted: it needs no password".into()
            });
            return Vec::new();
        }
        self.push_prompt(version.path, Vec::new(), then);
        Vec::new()
    }

    /// Before verifying `paths`: when one of them is encrypted and not unlocked yet, asks for
    /// the password (tried on each of them that is locked and on the device's other encrypted
    /// versions) and verifies once it is answered or the prompt is closed. `None` when no
    /// password is needed.
    pub(super) fn unlock_to_verify(&mut self, paths: &[PathBuf]) -> Option<Vec<Effect>> {
        let locked: Vec<PathBuf> = paths
            .iter()
            .filter(|p| self.is_locked(p))
            .cloned()
            .collect();
        // The selected version first, when it is one of them: its device names the prompt.
        let target = self
            .version()
            .map(|v| v.path.clone())
            .filter(|p| locked.contains(p))
            .or_else(|| locked.first().cloned())?;
        self.push_prompt(target, locked, AfterUnlock::Verify(paths.to_vec()));
        Some(Vec::new())
    }

    fn is_locked(&self, path: &Path) -> bool {
        !self.unlocked.contains(path)
            && self
                .library
                .versions()
                .any(|v| v.path == path && v.encrypted)
    }

    /// Opens the prompt for `target`; the password is also tried on `also` and on the other
    /// locked versions of `target`'s device.
    fn push_prompt(&mut self, target: PathBuf, also: Vec<PathBuf>, then: AfterUnlock) {
        let device = self
            .library
            .devices
            .iter()
            .find(|d| d.versions.iter().any(|v| v.path == target));
        let mut scope = also;
        if !scope.contains(&target) {
            scope.insert(0, target.clone());
        }
        for v in device.into_iter().flat_map(|d| &d.versions) {
            if v.encrypted && !self.unlocked.contains(&v.path) && !scope.contains(&v.path) {
                scope.push(v.path.clone());
            }
        }
        let device = device.map_or_else(|| "this device".into(), |d| d.display_name().to_string());
        self.views.push(View::Unlock(Box::new(UnlockPrompt {
            target,
            device,
            scope,
            input: Secret::default(),
            phase: UnlockPhase::Typing,
            error: None,
            then,
        })));
    }

    /// An action for the prompt when it takes the keys.
    pub(super) fn unlock_act(&mut self, action: Action) -> Option<Vec<Effect>> {
        if !matches!(self.views.top(), Some(View::Unlock(_))) {
            return None;
        }
        let now = self.now;
        let prompt = self.unlock_prompt_mut()?;
        let deriving = matches!(prompt.phase, UnlockPhase::Deriving { .. });
        match action {
            Action::Confirm if deriving => {}
            Action::Confirm if prompt.input.is_empty() => {
                prompt.error = Some("type the backup's password first".into());
            }
            Action::Confirm => {
                let request = UnlockRequest {
                    target: prompt.target.clone(),
                    scope: prompt.scope.clone(),
                    password: prompt.input.take(),
                };
                prompt.phase = UnlockPhase::Deriving {
                    job: None,
                    since: now,
                };
                prompt.error = None;
                return Some(vec![Effect::Unlock(request)]);
            }
            Action::FilterBackspace if !deriving => prompt.input.pop(),
            Action::Cancel => {
                let job = match prompt.phase {
                    UnlockPhase::Deriving { job, .. } => job,
                    UnlockPhase::Typing => None,
                };
                let then = prompt.then.clone();
                self.views.close(ViewKind::Unlock);
                if deriving {
                    self.status =
                        Some("unlock cancelled: the key derivation stops, nothing is kept".into());
                }
                let mut effects: Vec<Effect> = job.map(Effect::Cancel).into_iter().collect();
                if let AfterUnlock::Verify(paths) = then {
                    // Verified without the password: what it can check (plists, state).
                    effects.push(Effect::Verify(paths));
                }
                return Some(effects);
            }
            Action::Quit => return None,
            _ => {}
        }
        Some(Vec::new())
    }

    /// A character typed into the prompt (not while the key is derived).
    pub(super) fn unlock_type(&mut self, c: char) {
        if let Some(prompt) = self
            .unlock_prompt_mut()
            .filter(|p| p.phase == UnlockPhase::Typing)
        {
            prompt.input.push(c);
            prompt.error = None;
        }
    }

    /// A message of an unlock job.
    pub(super) fn on_unlock_job(&mut self, id: JobId, event: JobEvent) -> Vec<Effect> {
        match event {
            JobEvent::Started { .. } => {
                if let Some(UnlockPhase::Deriving { job, .. }) =
                    self.unlock_prompt_mut().map(|p| &mut p.phase)
                {
                    job.get_or_insert(id);
                }
                Vec::new()
            }
            JobEvent::Done(Outcome::Unlocked(outcome)) => self.on_unlocked(outcome),
            JobEvent::Failed(why) => {
                self.views.close(ViewKind::Unlock);
                self.status = Some(format!("unlocking failed: {why}"));
                Vec::new()
            }
            JobEvent::Progress(_) | JobEvent::Done(_) => Vec::new(),
        }
    }

    fn on_unlocked(&mut self, outcome: UnlockOutcome) -> Vec<Effect> {
        self.unlocked.extend(outcome.opened.iter().cloned());
        let prompt = self
            .unlock_prompt()
            .filter(|p| p.target == outcome.target)
            .cloned();
        match outcome.result {
            // The prompt was closed by Esc already.
            UnlockResult::Cancelled => Vec::new(),
            UnlockResult::WrongPassword => {
                if let Some(p) = self
                    .unlock_prompt_mut()
                    .filter(|p| p.target == outcome.target)
                {
                    p.phase = UnlockPhase::Typing;
                    p.error =
                        Some("wrong password: it does not open this backup. Try again".into());
                }
                Vec::new()
            }
            UnlockResult::Failed(why) => {
                self.views.close(ViewKind::Unlock);
                self.status = Some(format!("cannot unlock this version: {why}"));
                match prompt.map(|p| p.then) {
                    Some(AfterUnlock::Verify(paths)) => vec![Effect::Verify(paths)],
                    _ => Vec::new(),
                }
            }
            UnlockResult::Opened => {
                self.views.close(ViewKind::Unlock);
                self.status = Some(unlocked_line(&outcome));
                // The scan categorizes the versions now unlocked (their breakdown and apps).
                let mut effects = vec![Effect::Rescan];
                match prompt.map(|p| p.then) {
                    Some(AfterUnlock::Browse) => effects.extend(self.browse_selected()),
                    Some(AfterUnlock::Verify(paths)) => effects.push(Effect::Verify(paths)),
                    _ => {}
                }
                effects
            }
        }
    }
}

/// "unlocked 2 versions in 2.1 s (1 other stays locked: …); keys kept until backtop quits".
fn unlocked_line(o: &UnlockOutcome) -> String {
    let mut line = format!(
        "unlocked {} in {:.1} s",
        format::plural(o.opened.len() as i64, "version"),
        o.elapsed.as_secs_f64()
    );
    if let Some((_, why)) = o.still_locked.first() {
        line.push_str(&format!(
            " ({} stay locked: {why})",
            format::plural(o.still_locked.len() as i64, "other")
        ));
    }
    if let Some(remembered) = &o.remembered {
        line.push_str(&format!(" ({remembered})"));
    }
    line.push_str("; the keys are kept in memory until backtop quits");
    line
}
