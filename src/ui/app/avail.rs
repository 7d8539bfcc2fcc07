//! Which bindings can act where the user is ([`When`]), and so which keys the footer and a
//! dialog's answer line offer: a key that cannot act is not shown, and is not dispatched (it
//! falls through to the next scope; see [`keymap::resolve_if`]).

use super::{App, Confirm, Pane, View};
use crate::library::usage::Measure;
use crate::ui::keymap::{self, Action, Binding, When};

/// Movement the footer over the panes leaves to the help.
const OBVIOUS: [Action; 7] = [
    Action::Top,
    Action::Up,
    Action::Down,
    Action::PageUp,
    Action::PageDown,
    Action::PrevPane,
    Action::Bottom,
];

impl App {
    /// True when a binding acting `when` can act now.
    pub fn can(&self, when: When) -> bool {
        match when {
            When::Always => true,
            When::Panes => !self.roots_in_main(),
            When::GoIn => match self.focus {
                Pane::Devices => self.device().is_some(),
                Pane::Versions => self.version().is_some(),
                Pane::Breakdown => false,
            },
            When::NotFirstPane => self.focus != Pane::Devices && !self.roots_in_main(),
            When::Version => self.version().is_some(),
            When::Locked => self.selected_locked(),
            When::Targets => !self.marks.is_empty() || self.version().is_some(),
            When::AnyVersion => self.library.versions().next().is_some(),
            When::Filtered => !self.filter.is_empty(),
            When::Typed => match self.views.top() {
                Some(View::Filter) => !self.filter.is_empty(),
                Some(View::Confirm(Confirm::Delete(d))) => !d.typed.is_empty(),
                Some(View::Unlock(p)) => !p.input.is_empty(),
                _ => true,
            },
            When::Messages => !self.messages.is_empty(),
            When::Sortable => self.focus != Pane::Breakdown && !self.roots_in_main(),
            When::Apparent => self.measure == Measure::Apparent && !self.roots_in_main(),
            When::OnDisk => self.measure == Measure::Disk && !self.roots_in_main(),
            When::DeviceVersions => self.device().is_some_and(|d| !d.versions.is_empty()),
            When::ScrollUp => self.scroll_room().0 > 0,
            When::ScrollDown => self.scroll_room().1 > 0,
        }
    }

    /// Lines above and below what the open text (help, roots report, or the roots report in
    /// the main area) shows; one each way for anything else.
    fn scroll_room(&self) -> (usize, usize) {
        let (scroll, max) = match self.views.top() {
            Some(View::Help { scroll }) => (*scroll, self.help_max()),
            Some(View::Roots { scroll }) => (*scroll, self.roots_max()),
            Some(View::Alerts { scroll }) => (*scroll, self.alerts_max()),
            Some(View::Diff(view)) => (view.scroll, self.diff_max()),
            None if self.roots_in_main() => (self.main_roots_scroll, self.roots_max()),
            _ => return (1, 1),
        };
        let scroll = scroll.min(max);
        (scroll, max - scroll)
    }

    /// The keys the footer offers now, in keymap order: the top view's (see [`View::hints`]),
    /// or over the panes every row of the focused pane's and the global scopes except plain
    /// movement. Only rows that can act, whose first key reaches them (a row whose key a more
    /// specific scope takes is not offered), and, read-only, no delete or prune.
    pub fn hints(&self) -> Vec<&'static Binding> {
        let rows = match self.views.top() {
            Some(view) => self.view_hints(view),
            None => {
                let scopes = self.scopes();
                keymap::rows_for(&scopes)
                    .into_iter()
                    .filter(|r| !OBVIOUS.contains(&r.action) && self.can(r.when))
                    .filter(|r| {
                        r.keys.first().is_some_and(|k| {
                            keymap::resolve_if(*k, &scopes, |w| self.can(w)) == Some(r.action)
                        })
                    })
                    .collect()
            }
        };
        rows.into_iter()
            .filter(|r| {
                !(self.options.read_only && matches!(r.action, Action::Delete | Action::Prune))
            })
            .collect()
    }

    /// The keys `view` offers (its footer, a dialog's answer line) that can act now.
    pub fn view_hints(&self, view: &View) -> Vec<&'static Binding> {
        view.hints()
            .into_iter()
            .filter(|r| self.can(r.when))
            .collect()
    }
}
