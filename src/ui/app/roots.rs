//! The roots report's state: shown or not, and how far it is scrolled. The report is the
//! main area when the library holds no backups at all (so an empty result never shows just
//! "no backups"), and an overlay opened with the roots key otherwise (a [`View::Roots`] on
//! the view stack, which keeps its own scroll).

use super::{App, View, ViewKind};
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

    /// The last first line of the roots report, so its last line stays in view.
    pub(super) fn roots_max(&self) -> usize {
        let inner = roots::inner(self);
        let total = roots::lines(self, inner.width as usize).len();
        total.saturating_sub(inner.height as usize)
    }

    /// True when the roots report is open over the panes.
    pub fn roots_overlay(&self) -> bool {
        self.views.is_open(ViewKind::Roots)
    }

    /// How far the roots report shown now is scrolled (the overlay's, else the main area's).
    pub fn roots_scroll(&self) -> usize {
        match self.views.get(ViewKind::Roots) {
            Some(View::Roots { scroll }) => *scroll,
            _ => self.main_roots_scroll,
        }
    }

    /// Lines a page of the roots report holds.
    pub(super) fn roots_page(&self) -> usize {
        (roots::inner(self).height as usize).max(1)
    }
}
