//! The one keymap: every binding is one [`Binding`] row in [`BINDINGS`]. Dispatch
//! ([`resolve`]), the footer hints and the help overlay all read this table, so a key shown on
//! screen is always the key that works.
//!
//! Resolution is by [`Scope`]: the top view of the stack (confirm dialog, filter input, help
//! overlay; see `app::views`) sees only its own rows; otherwise the focused pane's rows are
//! tried first, then the global ones. Hints written inside dialogs and status lines ask the
//! table for their keys ([`key_for`]) instead of spelling them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key does. The vocabulary shared by keymap, footer, help overlay and `App::update`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Move the selection up one row.
    Up,
    /// Show sizes as disk usage (allocated blocks).
    SizesOnDisk,
    /// Show sizes as apparent bytes.
    SizesApparent,
    /// Move the selection down one row.
    Down,
    /// Move the selection up one page.
    PageUp,
    /// Move the selection down one page.
    PageDown,
    /// Jump to the first row.
    Top,
    /// Jump to the last row.
    Bottom,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Go into the selected item (devices, then versions, then breakdown).
    Enter,
    /// Back to the pane before (breakdown, then versions, then devices).
    Back,
    /// Cycle the sort order (date, size, reclaimable, name).
    Sort,
    /// Start typing a device filter.
    Filter,
    /// Rescan every root.
    Rescan,
    /// Show or hide the help overlay.
    Help,
    /// Leave (Esc first closes an overlay or filter).
    Quit,
    /// Reveal the selected version in the file manager.
    Open,
    /// Verify the marked versions (or the selected one).
    Verify,
    /// Delete the marked versions (or the selected one), after confirmation.
    Delete,
    /// Mark or unmark the selected version.
    Mark,
    /// Prune old versions by policy, after confirmation.
    Prune,
    /// Keep the typed filter and leave the input.
    FilterKeep,
    /// Clear the filter and leave the input.
    FilterClear,
    /// Delete the last typed character.
    FilterBackspace,
    /// Yes: do what the dialog asks.
    Confirm,
    /// No: close the dialog.
    Cancel,
    /// Switch a delete between the trash and permanent removal.
    ToggleMode,
    /// Prune: keep one more version per device.
    KeepMore,
    /// Prune: keep one fewer version per device (at least one).
    KeepFewer,
    /// Stop the running verify or trash delete.
    CancelTask,
    /// Hide the progress of a permanent delete, which goes on (it cannot be stopped once
    /// started).
    HideTask,
    /// Close a result dialog.
    Close,
    /// Suspend the dashboard and start a shell in the copied folder.
    Shell,
    /// Show or hide the roots report (every place looked at, and how to fix access).
    Roots,
    /// Show the last status lines in full.
    Messages,
    /// Suspend the dashboard and start a shell in the selected version's folder.
    ShellHere,
    /// Show the details of the selected version (and its device).
    Details,
    /// Open the selected version in the browser.
    Browse,
    /// Close the browser.
    CloseBrowser,
    /// Browser: start (or edit) a search of every path of the version.
    Search,
    /// Browser: keep the search results and move among them.
    SearchKeep,
    /// Browser: leave the search, back to the folders.
    SearchCancel,
    /// Browser: show or hide the preview of the selected file.
    Preview,
    /// Browser: export the selected file, folder, app or group (a dialog asks first).
    Export,
    /// Export dialog: skip or rename when a name is taken.
    ToggleCollision,
    /// Export dialog: keep the backup's structure or flatten into one folder.
    ToggleLayout,
    /// Export dialog: edit the destination.
    EditDest,
    /// Export dialog: keep the typed destination.
    DestKeep,
    /// Export dialog: put the destination back as it was.
    DestUndo,
    /// Export dialog: clear the destination.
    DestClear,
    /// Show or hide the alerts list (each alert with what to do).
    Alerts,
    /// Compare the selected version with the one before it.
    DiffPrevious,
    /// Close the diff view.
    CloseDiff,
    /// Unlock the selected encrypted version with its password.
    Unlock,
    /// Move the selected device's backups (or its whole root) to another folder or drive, or
    /// back (a dialog shows the plan first).
    Move,
    /// Move dialog: the device's backups or the whole root.
    MoveWhat,
    /// Move dialog: resume the interrupted move.
    Resume,
    /// Move dialog: roll the interrupted move back.
    RollBack,
}

/// Where a binding works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Anywhere outside modal layers.
    Global,
    /// The devices pane.
    Devices,
    /// The versions pane.
    Versions,
    /// The breakdown pane.
    Breakdown,
    /// While typing a filter.
    Filter,
    /// While the help overlay is open.
    Help,
    /// While a confirmation dialog is open.
    Confirm,
    /// While a delete dialog asks for a device name to be typed.
    Typed,
    /// While a delete dialog waits for the guards' answer (only closing works).
    Checking,
    /// While the prune preview is open (with the confirmation keys).
    Prune,
    /// While a verify or a trash delete runs (outside dialogs).
    Task,
    /// While a permanent delete runs (outside dialogs).
    Removing,
    /// While a result dialog (verify results) is open.
    Report,
    /// While the copied-path dialog is open.
    Copied,
    /// While the roots report is open.
    Roots,
    /// The browser.
    Browser,
    /// The browser's search results (the browser's keys too).
    Results,
    /// Typing a search in the browser.
    Search,
    /// The export dialog, before the export starts.
    Export,
    /// Editing the export destination.
    Destination,
    /// While an export runs.
    Exporting,
    /// The export's summary.
    Exported,
    /// While the alerts list is open.
    Alerts,
    /// While the diff view is open.
    Diff,
    /// Typing the password of an encrypted version.
    Password,
    /// The move dialog, before the move starts (its plan, or why not).
    Move,
    /// Typing the move's destination.
    MoveDest,
    /// While a move runs.
    Moving,
    /// A move is switched: remove the original now?
    MoveOriginal,
    /// A move was left unfinished: resume or roll back.
    MoveResume,
    /// A move's result.
    MoveDone,
}

impl Scope {
    /// Heading used in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::Devices => "Devices pane",
            Scope::Versions => "Versions pane",
            Scope::Breakdown => "Breakdown pane",
            Scope::Filter => "Typing a filter",
            Scope::Help => "Help",
            Scope::Confirm => "Confirmation",
            Scope::Typed => "Confirmation by typing the device name",
            Scope::Checking => "Delete dialog, while the checks run",
            Scope::Prune => "Prune preview",
            Scope::Task => "While a verify or a delete to the Trash runs",
            Scope::Removing => "While a permanent delete runs",
            Scope::Report => "Verify results",
            Scope::Copied => "Copied path",
            Scope::Roots => "Roots report",
            Scope::Browser => "Browser",
            Scope::Results => "Browser search results",
            Scope::Search => "Typing a search",
            Scope::Export => "Export dialog",
            Scope::Destination => "Editing the export destination",
            Scope::Exporting => "While an export runs",
            Scope::Exported => "Export summary",
            Scope::Alerts => "Alerts",
            Scope::Diff => "Diff with the version before",
            Scope::Password => "Typing a backup's password",
            Scope::Move => "Move dialog (M)",
            Scope::MoveDest => "Typing the move's destination",
            Scope::Moving => "While a move runs",
            Scope::MoveOriginal => "Move switched: the original",
            Scope::MoveResume => "A move left unfinished",
            Scope::MoveDone => "Move result",
        }
    }
}

/// A key with its modifiers (only Shift/Ctrl matter; Shift is ignored for characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl held.
    pub ctrl: bool,
}

const fn ch(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}
const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

impl Key {
    /// The key of a crossterm event.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let code = match ev.code {
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            other => other,
        };
        Key { code, ctrl }
    }

    /// How the key is written in the footer and help (`j`, `Down`, `S-Tab`, `C-c`).
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Backspace => "Bksp".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("C-{base}")
        } else {
            base
        }
    }
}

/// When a binding can act where the user is. A binding that cannot is neither shown (footer,
/// dialog answer lines) nor dispatched: its key falls through to the next scope, so Esc can
/// clear a filter in the devices pane and go back in the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    /// Always.
    Always,
    /// The panes are shown (not the roots report that replaces them when nothing was found).
    Panes,
    /// There is a pane to go into: a device is selected in the devices pane (its versions),
    /// or a version in the versions pane (its breakdown).
    GoIn,
    /// The focused pane has one before it (not the devices pane).
    NotFirstPane,
    /// A version is selected.
    Version,
    /// The selected version is encrypted and not unlocked yet.
    Locked,
    /// Versions are marked, or one is selected.
    Targets,
    /// The library has at least one version (something to prune).
    AnyVersion,
    /// A device filter is set.
    Filtered,
    /// The text being typed (filter, device name, search, destination) is not empty.
    Typed,
    /// A status line was shown (the messages dialog has something to show).
    Messages,
    /// The focused pane has a sort of its own (devices, versions; not the breakdown).
    Sortable,
    /// Sizes are shown as apparent bytes (`a` shows disk usage).
    Apparent,
    /// Sizes are shown as disk usage (`a` shows apparent bytes).
    OnDisk,
    /// The devices pane's selected device has versions (delete or mark them all).
    DeviceVersions,
    /// The open text (help, roots report) is not at its top.
    ScrollUp,
    /// The open text (help, roots report) is not at its end.
    ScrollDown,
}

/// One row of the keymap.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Keys that trigger it; the first is the one the footer shows.
    pub keys: &'static [Key],
    /// What it does.
    pub action: Action,
    /// Short footer word.
    pub hint: &'static str,
    /// One-line help text.
    pub help: &'static str,
    /// Where it works.
    pub scope: Scope,
    /// When it can act there.
    pub when: When,
}

impl Binding {
    /// The same binding, acting only `when`.
    const fn when(self, when: When) -> Binding {
        Binding { when, ..self }
    }
}

const fn b(
    keys: &'static [Key],
    action: Action,
    hint: &'static str,
    help: &'static str,
    scope: Scope,
) -> Binding {
    Binding {
        keys,
        action,
        hint,
        help,
        scope,
        when: When::Always,
    }
}

mod bindings;
pub use bindings::BINDINGS;

/// The action a key triggers in these scopes (tried in order), if any, every binding taken
/// as able to act.
pub fn resolve(key: Key, scopes: &[Scope]) -> Option<Action> {
    resolve_if(key, scopes, |_| true)
}

/// The action a key triggers in these scopes (tried in order) among the bindings that `can`
/// act: a binding that cannot is skipped, so the key falls through to the next one.
pub fn resolve_if(key: Key, scopes: &[Scope], can: impl Fn(When) -> bool) -> Option<Action> {
    scopes.iter().find_map(|scope| {
        BINDINGS
            .iter()
            .filter(|row| row.scope == *scope && can(row.when))
            .find(|row| row.keys.contains(&key))
            .map(|row| row.action)
    })
}

/// The rows that apply in these scopes, in table order, each action once.
pub fn rows_for(scopes: &[Scope]) -> Vec<&'static Binding> {
    let mut out: Vec<&'static Binding> = Vec::new();
    for scope in scopes {
        for row in BINDINGS.iter().filter(|r| r.scope == *scope) {
            if !out.iter().any(|o| o.action == row.action) {
                out.push(row);
            }
        }
    }
    out
}

/// The first key bound to `action` in `scope`, for hints such as "more [?]".
pub fn key_for(action: Action, scope: Scope) -> Option<Key> {
    BINDINGS
        .iter()
        .find(|r| r.action == action && r.scope == scope)
        .and_then(|r| r.keys.first().copied())
}

/// How the first key bound to `action` in `scope` is written (empty when none is), for hints
/// inside sentences such as "(Esc cancels it)".
pub fn key_label(action: Action, scope: Scope) -> String {
    key_for(action, scope).map_or_else(String::new, |k| k.label())
}

/// Every key of a row, joined for the help overlay (`j/Down`).
pub fn keys_label(row: &Binding) -> String {
    row.keys
        .iter()
        .map(Key::label)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
#[path = "keymap_tests.rs"]
mod tests;
