//! The view stack: every overlay and full-screen view over the three panes (the roots report,
//! help, the filter input, a result report, a confirmation dialog) is one [`View`] on
//! [`Views`]. The top view takes the keys: its [`View::scopes`] are what the keymap resolves
//! in, and so what the footer and the dialog's answer line show; it takes the mouse wheel too
//! ([`View::wheel_scrolls`]); the stack is drawn bottom to top.
//!
//! The stack is ordered by [`ViewKind`] (its layer) rather than by arrival: a view of a higher
//! kind sits above every lower one, and a second view of a kind replaces the first. A verify's
//! results or a copied path arriving while a dialog asks something so wait below the dialog
//! instead of taking its keys. Keys open views only from an empty stack or their own scope,
//! so for everything the user does the order is plain push and pop.

use super::browser::Browser;
use super::dialogs::DeleteDialog;
use super::diff::DiffView;
use super::export::ExportDialog;
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
use super::relocate::MoveDialog;
use super::unlock::UnlockPrompt;
use super::{Confirm, Report};
use crate::ui::keymap::{self, Action, Binding, Scope};

/// What kind of view, lowest layer first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ViewKind {
    /// The browser, full screen over the panes (everything else opens above it).
    Browser,
    /// The roots report over the panes.
    Roots,
    /// The alerts list over the panes.
    Alerts,
    /// The diff of a version with the one before it, over the panes.
    Diff,
    /// The help overlay.
    Help,
    /// Typing a device filter.
    Filter,
    /// The export dialog over the browser.
    Export,
    /// A result dialog (verify results, a copied path).
    Report,
    /// The move dialog (`M`, or a move found unfinished).
    Move,
    /// A question waiting for an answer (delete, prune).
    Confirm,
    /// The password prompt of an encrypted version.
    Unlock,
}

/// One view on the stack, with its own state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// The browser over one version.
    Browser(Box<Browser>),
    /// The export dialog.
    Export(Box<ExportDialog>),
    /// The roots report, scrolled this far.
    Roots {
        /// First line shown.
        scroll: usize,
    },
    /// The diff of a version with the one before it.
    Diff(Box<DiffView>),
    /// The alerts list, scrolled this far.
    Alerts {
        /// First line shown.
        scroll: usize,
    },
    /// Help, scrolled this far.
    Help {
        /// First line shown.
        scroll: usize,
    },
    /// The filter input (the text itself is the dashboard's, kept after the input closes).
    Filter,
    /// A result dialog.
    Report(Report),
    /// A confirmation dialog.
    Confirm(Confirm),
    /// The password prompt.
    Unlock(Box<UnlockPrompt>),
    /// The move dialog.
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    Move(Box<MoveDialog>),
}

impl View {
    /// Its kind (and layer).
    pub fn kind(&self) -> ViewKind {
        match self {
            View::Browser(_) => ViewKind::Browser,
            View::Export(_) => ViewKind::Export,
            View::Roots { .. } => ViewKind::Roots,
            View::Alerts { .. } => ViewKind::Alerts,
            View::Diff(_) => ViewKind::Diff,
            View::Help { .. } => ViewKind::Help,
            View::Filter => ViewKind::Filter,
            View::Report(_) => ViewKind::Report,
            View::Confirm(_) => ViewKind::Confirm,
            View::Unlock(_) => ViewKind::Unlock,
            #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
            View::Move(_) => ViewKind::Move,
        }
    }

    /// The keymap scopes it answers in, most specific first. Nothing below it gets a key.
    pub fn scopes(&self) -> Vec<Scope> {
        match self {
            View::Browser(b) => b.scopes(),
            View::Export(d) => vec![d.scope()],
            View::Roots { .. } => vec![Scope::Roots],
            View::Alerts { .. } => vec![Scope::Alerts],
            View::Diff(_) => vec![Scope::Diff],
            View::Help { .. } => vec![Scope::Help],
            View::Filter => vec![Scope::Filter],
            View::Report(Report::Copied(_) | Report::OpenFailed { .. }) => vec![Scope::Copied],
            View::Report(Report::Verify(_) | Report::Messages | Report::Details(_)) => {
                vec![Scope::Report]
            }
            View::Confirm(Confirm::Delete(d)) => vec![delete_scope(d)],
            // The prune preview answers like any confirmation, plus +/-.
            View::Confirm(Confirm::Prune(_)) => vec![Scope::Prune, Scope::Confirm],
            View::Unlock(_) => vec![Scope::Password],
            #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
            View::Move(d) => vec![d.scope()],
        }
    }

    /// The keys its footer (and a dialog's answer line) offers: every row of its scopes, in
    /// keymap order, except that a dialog leaves scrolling its list to its own "↓ N more" line.
    pub fn hints(&self) -> Vec<&'static Binding> {
        let rows = keymap::rows_for(&self.scopes());
        match self {
            // Cursor movement is left to the help, and a row whose key a more specific scope
            // takes (Esc in the search results) is not offered.
            View::Browser(_) => rows
                .into_iter()
                .filter(|r| {
                    r.keys
                        .first()
                        .is_some_and(|k| keymap::resolve(*k, &self.scopes()) == Some(r.action))
                })
                .filter(|r| {
                    !matches!(
                        r.action,
                        Action::Up
                            | Action::Down
                            | Action::PageUp
                            | Action::PageDown
                            | Action::Top
                            | Action::Bottom
                            | Action::Quit
                    )
                })
                .collect(),
            View::Confirm(_) => rows
                .into_iter()
                .filter(|r| !matches!(r.action, Action::Up | Action::Down))
                .collect(),
            _ => rows,
        }
    }

    /// True when the mouse wheel scrolls it (long text); other views ignore the mouse.
    pub fn wheel_scrolls(&self) -> bool {
        matches!(self, View::Roots { .. } | View::Help { .. })
    }
}

/// The delete dialog's scope: only closing until the guards answered, then typing the device
/// name when one must be typed, else yes/no.
fn delete_scope(d: &DeleteDialog) -> Scope {
    if d.checks.is_none() {
        Scope::Checking
    } else if d.required_name().is_some() {
        Scope::Typed
    } else {
        Scope::Confirm
    }
}

/// The stack of views, bottom first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Views {
    stack: Vec<View>,
}

impl Views {
    /// The view that takes keys now.
    pub fn top(&self) -> Option<&View> {
        self.stack.last()
    }

    /// The top view, to change its state.
    pub fn top_mut(&mut self) -> Option<&mut View> {
        self.stack.last_mut()
    }

    /// Puts `view` above every view of a lower kind, replacing one of its own kind.
    pub fn push(&mut self, view: View) {
        let kind = view.kind();
        self.stack.retain(|v| v.kind() != kind);
        let at = self.stack.partition_point(|v| v.kind() < kind);
        self.stack.insert(at, view);
    }

    /// Takes the view of `kind` off the stack, if it is there.
    pub fn close(&mut self, kind: ViewKind) -> Option<View> {
        let at = self.stack.iter().position(|v| v.kind() == kind)?;
        Some(self.stack.remove(at))
    }

    /// The view of `kind`, if it is open.
    pub fn get(&self, kind: ViewKind) -> Option<&View> {
        self.stack.iter().find(|v| v.kind() == kind)
    }

    /// The view of `kind`, to change its state.
    pub fn get_mut(&mut self, kind: ViewKind) -> Option<&mut View> {
        self.stack.iter_mut().find(|v| v.kind() == kind)
    }

    /// True when a view of `kind` is open.
    pub fn is_open(&self, kind: ViewKind) -> bool {
        self.get(kind).is_some()
    }

    /// True when no view is open (the panes take the keys).
    pub fn is_empty(&self) -> bool {
        self.stack.is_empty()
    }

    /// The views, bottom first (the order they are drawn in).
    pub fn iter(&self) -> impl Iterator<Item = &View> {
        self.stack.iter()
    }
}

#[cfg(test)]
#[path = "views_tests.rs"]
mod tests;
