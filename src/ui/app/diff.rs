//! `=`: what changed between two versions. With exactly two versions marked it compares
//! those two (the older with the newer, whichever was marked first); with none marked, the
//! selected version with the one before it (the device's next older one that is not damaged,
//! whatever the sort). Computed by the diff core in a latest-wins job
//! ([`Effect::Diff`], answered by [`Outcome::Diffed`](crate::tasks::Outcome::Diffed)) and
//! shown in a [`View::Diff`] over the panes: loading, the figures, or why not. Scrolling and
//! closing are its keymap scope's.

use std::path::PathBuf;

use super::alerts::scroll_delta;
use super::nav::step;
use super::{App, View, ViewKind};
use crate::library::diff::Diff;
use crate::library::{BackupState, Version};
use crate::ui::keymap::Action;
use crate::ui::msg::Effect;
use crate::ui::view::diff as diff_view;

/// The comparison the diff view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffView {
    /// The older version's folder.
    pub old: PathBuf,
    /// The newer version's folder.
    pub new: PathBuf,
    /// `2024-03-01 → 2024-06-01` (UTC days) for the title.
    pub title: String,
    /// Where the job is.
    pub state: DiffState,
    /// First line shown.
    pub scroll: usize,
}

/// Where the diff job is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffState {
    /// The job runs.
    Loading,
    /// What changed.
    Ready(Box<Diff>),
    /// Why the two could not be compared (a locked version, a damaged manifest).
    Failed(String),
}

/// The version listed after `new` among `versions` (newest first) that is not damaged.
fn previous<'a>(versions: &'a [Version], new: &Version) -> Option<&'a Version> {
    let at = versions.iter().position(|v| v.path == new.path)?;
    versions[at + 1..]
        .iter()
        .find(|v| v.state != BackupState::Damaged)
}

fn day(v: &Version) -> String {
    v.date
        .map(|d| d.date().to_string())
        .unwrap_or_else(|| v.folder_name.clone())
}

/// The two marked versions, older first (by date; an undated one counts as older, ties by
/// path), or why `=` cannot compare the marks.
fn marked_pair(app: &App) -> Result<(&Version, &Version), String> {
    let n = app.marks.len();
    if n != 2 {
        return Err(format!(
            "= compares two marked versions ({n} marked): mark {}, or unmark all to compare \
             the selected one with the one before",
            if n < 2 { "one more" } else { "only two" }
        ));
    }
    let mut found: Vec<&Version> = app
        .all_devices()
        .flat_map(|d| d.versions.iter())
        .filter(|v| app.marks.contains(&v.path))
        .collect();
    found.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.path.cmp(&b.path)));
    found.dedup_by(|a, b| a.path == b.path);
    match found.as_slice() {
        [old, new] => Ok((old, new)),
        _ => Err("a marked version is no longer in the library (rescan?)".into()),
    }
}

impl App {
    /// Opens the diff of the two marked versions, or of the selected version with the one
    /// before it when none is marked (or says why not).
    pub(super) fn open_diff(&mut self) -> Vec<Effect> {
        let pair = if self.marks.is_empty() {
            let (Some(device), Some(new)) = (self.device(), self.version()) else {
                return Vec::new();
            };
            match previous(&device.versions, new) {
                Some(old) => Ok((old, new)),
                None => Err("no older version of this device to compare it with".to_string()),
            }
        } else {
            marked_pair(self)
        };
        let (old, new) = match pair {
            Ok(pair) => pair,
            Err(why) => {
                self.status = Some(why);
                return Vec::new();
            }
        };
        let view = DiffView {
            old: old.path.clone(),
            new: new.path.clone(),
            title: format!("{} \u{2192} {}", day(old), day(new)),
            state: DiffState::Loading,
            scroll: 0,
        };
        let effect = Effect::Diff(view.old.clone(), view.new.clone());
        self.views.push(View::Diff(Box::new(view)));
        vec![effect]
    }

    /// The diff job's answer, for the view if it still shows those two versions.
    pub(super) fn on_diffed(
        &mut self,
        old: PathBuf,
        new: PathBuf,
        diff: Result<Box<Diff>, String>,
    ) {
        if let Some(View::Diff(view)) = self.views.get_mut(ViewKind::Diff) {
            if view.old == old && view.new == new {
                view.state = match diff {
                    Ok(d) => DiffState::Ready(d),
                    Err(why) => DiffState::Failed(why),
                };
            }
        }
    }

    /// The diff job's worker failed (it panicked): the view says so.
    pub(super) fn on_diff_failed(&mut self, why: String) {
        if let Some(View::Diff(view)) = self.views.get_mut(ViewKind::Diff) {
            view.state = DiffState::Failed(format!("the comparison stopped ({why})"));
        }
    }

    /// The last first line of the diff view.
    pub(super) fn diff_max(&self) -> usize {
        let Some(View::Diff(view)) = self.views.get(ViewKind::Diff) else {
            return 0;
        };
        let inner = diff_view::inner(self);
        let total = diff_view::lines(self, view, inner.width as usize).len();
        total.saturating_sub(inner.height as usize)
    }

    /// Scrolls the diff view when it is on top and `action` moves; false otherwise.
    pub(super) fn diff_scroll_act(&mut self, action: Action) -> bool {
        let Some(View::Diff(_)) = self.views.top() else {
            return false;
        };
        let max = self.diff_max();
        let Some(delta) = scroll_delta(action, diff_view::inner(self).height) else {
            return false;
        };
        if let Some(View::Diff(view)) = self.views.top_mut() {
            view.scroll = step(view.scroll.min(max), delta, max);
        }
        true
    }
}
