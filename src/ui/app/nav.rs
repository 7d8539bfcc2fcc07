//! Moving around: focus between panes, the cursor within a pane, scrolling.

use super::{App, Confirm, Pane, View};
use crate::ui::layout;
use crate::ui::view::help;

impl App {
    /// Moves by `delta` rows in what takes keys now, clamped: the top view (help, the roots
    /// report, the delete dialog's list scroll), else the focused pane's cursor (the
    /// breakdown scrolls).
    pub(super) fn move_by(&mut self, delta: isize) {
        let main_roots = self.views.is_empty() && self.roots_in_main();
        let max = match self.views.top() {
            Some(View::Help { .. }) => self.help_max(),
            Some(View::Roots { .. }) => self.roots_max(),
            None if main_roots => self.roots_max(),
            _ => 0,
        };
        match self.views.top_mut() {
            Some(View::Help { scroll } | View::Roots { scroll }) => {
                *scroll = step((*scroll).min(max), delta, max)
            }
            Some(View::Confirm(Confirm::Delete(d))) => d.scroll_by(delta),
            Some(_) => {}
            None if main_roots => {
                self.main_roots_scroll = step(self.main_roots_scroll.min(max), delta, max)
            }
            None => self.move_cursor(delta),
        }
    }

    /// The last first line of the help overlay.
    pub(super) fn help_max(&self) -> usize {
        help::line_count(self.size.0, self.options.read_only).saturating_sub(self.help_page())
    }

    /// Lines the help overlay shows at once (what a page scrolls it by).
    fn help_page(&self) -> usize {
        help::height(self.size.1).saturating_sub(2).max(1) as usize
    }

    fn move_cursor(&mut self, delta: isize) {
        match self.focus {
            Pane::Devices => {
                let rows = self.visible_devices();
                let i = step(self.device_index(), delta, rows.len().saturating_sub(1));
                let id = rows.get(i).map(|d| d.udid.clone());
                if id != self.selected_device || self.selected_device.is_none() {
                    self.selected_version = None;
                    self.breakdown_scroll = 0;
                }
                self.selected_device = id;
            }
            Pane::Versions => {
                let rows = self.visible_versions();
                let i = step(self.version_index(), delta, rows.len().saturating_sub(1));
                let path = rows.get(i).map(|v| v.path.clone());
                if path != self.selected_version {
                    self.breakdown_scroll = 0;
                }
                self.selected_version = path;
            }
            Pane::Breakdown => {
                let last = self.breakdown_len().saturating_sub(1);
                self.breakdown_scroll = step(self.breakdown_scroll.min(last), delta, last);
            }
        }
    }

    /// Rows a page holds in the focused pane (or the roots report).
    pub(super) fn page(&self) -> usize {
        if matches!(self.views.top(), Some(View::Help { .. })) {
            return self.help_page();
        }
        let roots = matches!(self.views.top(), Some(View::Roots { .. }));
        if roots || (self.views.is_empty() && self.roots_in_main()) {
            return self.roots_page();
        }
        let panes = self.panes();
        let rows = match self.focus {
            Pane::Devices => layout::table_rows(panes.devices, 0),
            Pane::Versions => layout::table_rows(panes.versions, 1),
            Pane::Breakdown => panes.breakdown.height.saturating_sub(4) as usize,
        };
        rows.max(1)
    }

    /// The pane rectangles for the current terminal size.
    pub fn panes(&self) -> layout::Panes {
        let (w, h) = self.size;
        layout::panes(
            ratatui::layout::Rect::new(0, 0, w, h),
            self.visible_devices().len(),
            self.results.volumes.len(),
        )
    }

    /// Lines in the breakdown of the selected version (categories, a gap, apps, a gap, what
    /// encryption means for it).
    pub fn breakdown_len(&self) -> usize {
        let Some(u) = self.version().and_then(|v| self.results.sized.get(&v.path)) else {
            return 0;
        };
        let cats = u.categories.values().filter(|b| **b > 0).count();
        let apps = if u.top_apps.is_empty() {
            0
        } else {
            2 + u.top_apps.len()
        };
        let body = cats + apps;
        body + usize::from(body > 0) + self.breakdown_hint().len()
    }

    /// The last lines of the breakdown: what encryption means for what the selected version
    /// holds (as `du`'s hint says it), in lines that fit the pane at 80 columns (32 cells).
    pub fn breakdown_hint(&self) -> &'static [&'static str] {
        let Some(v) = self.version() else {
            return &[];
        };
        match (v.encrypted, self.unlocked.contains(&v.path)) {
            (false, _) => &[
                "Not encrypted: no Health,",
                "Keychain, Wi-Fi passwords or",
                "call history in this backup.",
            ],
            (true, false) => &[
                "Encrypted: files, apps, Health,",
                "Keychain, Wi-Fi, call history",
                "need the password (u).",
            ],
            (true, true) => &["Encrypted; unlocked this run."],
        }
    }

    pub(super) fn cycle_focus(&mut self, forward: bool) {
        self.focus = match (self.focus, forward) {
            (Pane::Devices, true) | (Pane::Breakdown, false) => Pane::Versions,
            (Pane::Versions, true) | (Pane::Devices, false) => Pane::Breakdown,
            (Pane::Breakdown, true) | (Pane::Versions, false) => Pane::Devices,
        };
    }

    pub(super) fn enter(&mut self) {
        self.focus = match self.focus {
            Pane::Devices => Pane::Versions,
            Pane::Versions | Pane::Breakdown => Pane::Breakdown,
        };
    }

    pub(super) fn back(&mut self) {
        self.focus = match self.focus {
            Pane::Breakdown => Pane::Versions,
            Pane::Versions | Pane::Devices => Pane::Devices,
        };
    }
}

pub(super) fn step(i: usize, delta: isize, max: usize) -> usize {
    let target = i as isize + delta;
    target.clamp(0, max as isize) as usize
}
