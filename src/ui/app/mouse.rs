//! Mouse: a click focuses the pane under it and selects the row; the wheel scrolls the pane
//! under the pointer. An open view takes the mouse instead: the wheel scrolls it if it is long
//! text ([`View::wheel_scrolls`](super::View::wheel_scrolls)) or the browser (its cursor), and
//! clicks do nothing. Never
//! needed: every mouse action has a key.

use ratatui::layout::{Position, Rect};

use super::{App, Pane};
use crate::ui::keymap::Action;
use crate::ui::layout;
use crate::ui::msg::Effect;

impl App {
    fn pane_at(&self, column: u16, row: u16) -> Option<(Pane, Rect)> {
        let p = self.panes();
        let at = Position::new(column, row);
        [
            (Pane::Devices, p.devices),
            (Pane::Versions, p.versions),
            (Pane::Breakdown, p.breakdown),
        ]
        .into_iter()
        .find(|(_, r)| r.contains(at))
    }

    pub(super) fn on_click(&mut self, column: u16, row: u16) {
        if !self.views.is_empty() {
            return;
        }
        let Some((pane, rect)) = self.pane_at(column, row) else {
            return;
        };
        self.focus = pane;
        // Table rows start below the top border and the column header.
        let first = rect.y + 2;
        if pane == Pane::Breakdown || row < first {
            return;
        }
        let (current, rows) = match pane {
            Pane::Devices => (self.device_index(), layout::table_rows(rect, 0)),
            _ => (self.version_index(), layout::table_rows(rect, 1)),
        };
        let offset = layout::scroll_offset(current, rows);
        let target = offset + usize::from(row - first);
        if usize::from(row - first) < rows {
            self.move_by(target as isize - current as isize);
        }
    }

    /// The wheel; in the browser it moves the cursor (and may ask for a preview).
    pub(super) fn on_wheel(&mut self, column: u16, row: u16, down: bool) -> Vec<Effect> {
        let step = if down { Action::Down } else { Action::Up };
        if let Some(effects) = self.browser_act(step) {
            return effects;
        }
        self.wheel_panes(column, row, down);
        Vec::new()
    }

    fn wheel_panes(&mut self, column: u16, row: u16, down: bool) {
        if let Some(view) = self.views.top() {
            if view.wheel_scrolls() {
                self.move_by(if down { 3 } else { -3 });
            }
            return;
        }
        if let Some((pane, _)) = self.pane_at(column, row) {
            self.focus = pane;
            self.move_by(if down { 1 } else { -1 });
        }
    }
}
