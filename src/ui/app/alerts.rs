//! The alerts in the dashboard: the one pure function `backtop check` asks too
//! ([`crate::library::alerts::evaluate`]), over the app's library and its fold of scan results,
//! at the app's "now", with the config file's settings. Nothing is cached: the answer is a
//! function of the state, computed when drawn (a few devices, no I/O: the figures come from
//! the state only, never from the disk). Also scrolling the `!` list.

use std::path::{Path, PathBuf};

use super::nav::step;
use super::{figures, App, View};
use crate::library::alerts::{evaluate, Alert, Figures};
use crate::library::volume::{NextBackup, VolumeUsage};
use crate::library::Device;
use crate::ui::keymap::Action;
use crate::ui::view::alerts as alerts_view;

/// The app's figures, as the alerts read them: the rules of `du` and the dashboard
/// (`ScanResults::next_backup`, [`figures::freed_by_paths`]) over what the scan reported.
struct AppFigures<'a>(&'a App);

impl Figures for AppFigures<'_> {
    fn next_backup(&self, device: &Device) -> Option<NextBackup> {
        self.0.next_backup(device)
    }
    fn volume_of(&self, root: &Path) -> Option<&VolumeUsage> {
        self.0.results.volume_of(root)
    }
    fn freed_by_deleting(&self, paths: &[PathBuf]) -> Option<u64> {
        let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        figures::freed_by_paths(self.0, &paths)
    }
}

impl App {
    /// Every alert now, critical ones first (what `backtop check` would say of this state).
    pub fn alerts(&self) -> Vec<Alert> {
        evaluate(
            &self.library,
            &AppFigures(self),
            &self.alert_settings,
            self.now,
        )
    }

    /// The last first line of the alerts list, so its last line stays in view.
    pub(super) fn alerts_max(&self) -> usize {
        let inner = alerts_view::inner(self);
        let total = alerts_view::lines(self, inner.width as usize).len();
        total.saturating_sub(inner.height as usize)
    }

    /// Scrolls the alerts list when it is on top and `action` moves; false otherwise.
    pub(super) fn alerts_scroll_act(&mut self, action: Action) -> bool {
        let Some(View::Alerts { scroll }) = self.views.top() else {
            return false;
        };
        let max = self.alerts_max();
        let inner = alerts_view::inner(self);
        let Some(delta) = scroll_delta(action, inner.height) else {
            return false;
        };
        let next = step((*scroll).min(max), delta, max);
        if let Some(View::Alerts { scroll }) = self.views.top_mut() {
            *scroll = next;
        }
        true
    }
}

/// How far `action` scrolls a text `page` lines tall (`None`: it does not scroll).
pub(super) fn scroll_delta(action: Action, page: u16) -> Option<isize> {
    let page = (page as isize).max(1);
    Some(match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -page,
        Action::PageDown => page,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => return None,
    })
}
