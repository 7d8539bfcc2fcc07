//! The roots report's state: shown or not, and how far it is scrolled. The report is the
//! main area when the library holds no backups at all (so an empty result never shows just
//! "no backups"), and an overlay opened with the roots key otherwise.

use super::nav::step;
use super::App;
use crate::library::access::needs_attention;
use crate::ui::view::roots;

impl App {
    /// True when there is nothing to list (no device, no unidentified version): the main area
    /// then shows the roots report instead of empty panes.
    pub fn roots_in_main(&self) -> bool {
        self.all_devices().next().is_none()
    }

    /// How many roots need the user's attention (unreadable, or a named root that is missing).
    pub fn roots_needing_attention(&self) -> usize {
        self.library
            .roots
            .iter()
            .filter(|r| needs_attention(r))
            .count()
    }

    /// Opens or closes the roots report overlay, from its top.
    pub(super) fn toggle_roots(&mut self) {
        self.roots_view = !self.roots_view;
        self.roots_scroll = 0;
    }

    /// Scrolls the roots report by `delta` lines, clamped so the last line stays in view.
    pub(super) fn scroll_roots(&mut self, delta: isize) {
        let inner = roots::inner(self);
        let total = roots::lines(self, inner.width as usize).len();
        let max = total.saturating_sub(inner.height as usize);
        self.roots_scroll = step(self.roots_scroll.min(max), delta, max);
    }

    /// Lines a page of the roots report holds.
    pub(super) fn roots_page(&self) -> usize {
        (roots::inner(self).height as usize).max(1)
    }
}
