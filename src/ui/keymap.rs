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

use Action as A;
use KeyCode as K;
use Scope as S;
use When as W;

/// Every binding, in the order the footer and help show them.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b(&[ch('y'), code(K::Enter)], A::Confirm, "yes", "do it", S::Confirm),
    b(&[ch('n'), code(K::Esc)], A::Cancel, "no", "close the dialog", S::Confirm),
    b(&[code(K::Tab), ch('t')], A::ToggleMode, "trash/permanent", "switch between the Trash and permanent removal", S::Confirm),
    b(&[code(K::Down), ch('j')], A::Down, "scroll", "scroll the list of versions down", S::Confirm),
    b(&[code(K::Up), ch('k')], A::Up, "scroll", "scroll the list of versions up", S::Confirm),
    b(&[code(K::Enter)], A::Confirm, "yes", "delete, once the device name is typed", S::Typed),
    b(&[code(K::Esc)], A::Cancel, "no", "close the dialog", S::Typed),
    b(&[code(K::Backspace)], A::FilterBackspace, "erase", "erase a character", S::Typed).when(W::Typed),
    b(&[code(K::Tab)], A::ToggleMode, "trash/permanent", "switch between the Trash and permanent removal", S::Typed),
    b(&[code(K::Down)], A::Down, "scroll", "scroll the list of versions down", S::Typed),
    b(&[code(K::Up)], A::Up, "scroll", "scroll the list of versions up", S::Typed),
    b(&[code(K::Esc)], A::Cancel, "close", "close the dialog (other keys wait for the checks)", S::Checking),
    b(&[ch('+'), ch('=')], A::KeepMore, "keep more", "keep one more version per device", S::Prune),
    b(&[ch('-')], A::KeepFewer, "keep fewer", "keep one fewer version per device", S::Prune),
    b(&[ch('!')], A::Shell, "shell", "start a shell in that folder (exit to come back)", S::Copied),
    b(&[code(K::Esc), code(K::Enter), ch('q')], A::Close, "close", "close", S::Copied),
    b(&[code(K::Esc), code(K::Enter), ch('q')], A::Close, "close", "close", S::Report),
    b(&[code(K::Esc)], A::CancelTask, "cancel", "stop the verify, or the delete to the Trash (what it moved is put back)", S::Task),
    b(&[code(K::Esc)], A::HideTask, "hide", "hide the progress; a started permanent delete cannot be stopped and goes on", S::Removing),
    b(&[code(K::Enter)], A::FilterKeep, "keep", "keep the filter", S::Filter),
    b(&[code(K::Esc)], A::FilterClear, "clear", "clear the filter", S::Filter),
    b(&[code(K::Backspace)], A::FilterBackspace, "erase", "erase a character", S::Filter).when(W::Typed),
    b(&[ctrl('c')], A::Quit, "quit", "quit", S::Filter),
    b(&[ch('?'), code(K::Esc), ch('q')], A::Help, "close", "close help", S::Help),
    b(&[ch('j'), code(K::Down)], A::Down, "scroll", "scroll down", S::Help).when(W::ScrollDown),
    b(&[ch('k'), code(K::Up)], A::Up, "scroll", "scroll up", S::Help).when(W::ScrollUp),
    b(&[code(K::PageDown), ch(' ')], A::PageDown, "page", "page down", S::Help).when(W::ScrollDown),
    b(&[code(K::PageUp)], A::PageUp, "page", "page up", S::Help).when(W::ScrollUp),
    b(&[code(K::Enter)], A::Browse, "browse", "look inside the version: browse, search, preview, export", S::Versions).when(W::Version),
    b(&[ch(' ')], A::Mark, "mark", "mark or unmark the version", S::Versions).when(W::Version),
    b(&[ch('d'), code(K::Delete)], A::Delete, "delete", "delete marked or selected versions (asks first)", S::Versions).when(W::Targets),
    b(&[ch('v')], A::Verify, "verify", "verify marked or selected versions", S::Versions).when(W::Targets),
    b(&[ch('o')], A::Open, "open", "reveal the version in the file manager", S::Versions).when(W::Version),
    b(&[ch('=')], A::DiffPrevious, "diff", "what changed since the version before it", S::Versions).when(W::Version),
    b(&[ch('u')], A::Unlock, "unlock", "unlock the encrypted version with its password (keys kept in memory until quit)", S::Versions).when(W::Locked),
    b(&[code(K::Enter)], A::Confirm, "unlock", "try the password", S::Password),
    b(&[code(K::Esc)], A::Cancel, "cancel", "close the prompt (while the key is derived: stop it)", S::Password),
    b(&[code(K::Backspace)], A::FilterBackspace, "erase", "erase a character", S::Password).when(W::Typed),
    b(&[ctrl('c')], A::Quit, "quit", "quit", S::Password),
    b(&[ch('R'), code(K::Esc), ch('q')], A::Roots, "close", "close the roots report", S::Roots),
    b(&[ch('j'), code(K::Down)], A::Down, "scroll", "scroll down", S::Roots).when(W::ScrollDown),
    b(&[ch('k'), code(K::Up)], A::Up, "scroll", "scroll up", S::Roots).when(W::ScrollUp),
    b(&[code(K::PageDown), ch(' ')], A::PageDown, "page", "page down", S::Roots).when(W::ScrollDown),
    b(&[code(K::PageUp)], A::PageUp, "page", "page up", S::Roots).when(W::ScrollUp),
    b(&[ch('g'), code(K::Home)], A::Top, "top", "top of the report", S::Roots).when(W::ScrollUp),
    b(&[ch('G'), code(K::End)], A::Bottom, "bottom", "end of the report", S::Roots).when(W::ScrollDown),
    b(&[ch('!'), code(K::Esc), ch('q')], A::Alerts, "close", "close the alerts", S::Alerts),
    b(&[ch('j'), code(K::Down)], A::Down, "scroll", "scroll down", S::Alerts).when(W::ScrollDown),
    b(&[ch('k'), code(K::Up)], A::Up, "scroll", "scroll up", S::Alerts).when(W::ScrollUp),
    b(&[code(K::PageDown), ch(' ')], A::PageDown, "page", "page down", S::Alerts).when(W::ScrollDown),
    b(&[code(K::PageUp)], A::PageUp, "page", "page up", S::Alerts).when(W::ScrollUp),
    b(&[ch('g'), code(K::Home)], A::Top, "top", "first alert", S::Alerts).when(W::ScrollUp),
    b(&[ch('G'), code(K::End)], A::Bottom, "bottom", "last alert", S::Alerts).when(W::ScrollDown),
    b(&[ch('='), code(K::Esc), ch('q')], A::CloseDiff, "close", "close the diff", S::Diff),
    b(&[ch('j'), code(K::Down)], A::Down, "scroll", "scroll down", S::Diff).when(W::ScrollDown),
    b(&[ch('k'), code(K::Up)], A::Up, "scroll", "scroll up", S::Diff).when(W::ScrollUp),
    b(&[code(K::PageDown), ch(' ')], A::PageDown, "page", "page down", S::Diff).when(W::ScrollDown),
    b(&[code(K::PageUp)], A::PageUp, "page", "page up", S::Diff).when(W::ScrollUp),
    b(&[code(K::Enter), ch('l'), code(K::Right)], A::Enter, "go to", "go to the result (its folder, or into it)", S::Results),
    b(&[ch('/')], A::Search, "edit", "edit the search", S::Results),
    b(&[code(K::Esc), ch('h'), code(K::Left), code(K::Backspace)], A::SearchCancel, "back", "leave the results, back to the folders", S::Results),
    b(&[code(K::Enter), ch('l'), code(K::Right)], A::Enter, "open", "go into the selected group, app or folder", S::Browser),
    b(&[ch('h'), code(K::Left), code(K::Backspace)], A::Back, "up", "up one level", S::Browser),
    b(&[ch('j'), code(K::Down)], A::Down, "down", "select the next row", S::Browser),
    b(&[ch('k'), code(K::Up)], A::Up, "up", "select the previous row", S::Browser),
    b(&[code(K::PageDown)], A::PageDown, "page", "page down", S::Browser),
    b(&[code(K::PageUp)], A::PageUp, "page", "page up", S::Browser),
    b(&[ch('g'), code(K::Home)], A::Top, "top", "first row", S::Browser),
    b(&[ch('G'), code(K::End)], A::Bottom, "bottom", "last row", S::Browser),
    b(&[ch('/')], A::Search, "search", "search every path of the version (any case)", S::Browser),
    b(&[ch(' ')], A::Preview, "preview", "show or hide the preview of the selected file", S::Browser),
    b(&[ch('e')], A::Export, "export", "export the selected file, folder, app or group", S::Browser),
    b(&[ch('s')], A::Sort, "sort", "sort by size, name or date", S::Browser),
    b(&[code(K::Esc), ch('q')], A::CloseBrowser, "close", "close the browser", S::Browser),
    b(&[ch('?')], A::Help, "help", "show every key", S::Browser),
    b(&[ctrl('c')], A::Quit, "quit", "quit", S::Browser),
    b(&[code(K::Enter)], A::SearchKeep, "done", "keep the results and move among them", S::Search),
    b(&[code(K::Esc)], A::SearchCancel, "cancel", "leave the search", S::Search),
    b(&[code(K::Backspace)], A::FilterBackspace, "erase", "erase a character", S::Search),
    b(&[code(K::Down)], A::Down, "down", "select the next result", S::Search),
    b(&[code(K::Up)], A::Up, "up", "select the previous result", S::Search),
    b(&[ctrl('c')], A::Quit, "quit", "quit", S::Search),
    b(&[code(K::Enter), ch('y')], A::Confirm, "export", "start the export", S::Export),
    b(&[code(K::Esc), ch('n')], A::Cancel, "cancel", "close the dialog", S::Export),
    b(&[ch('d')], A::EditDest, "destination", "edit the destination folder", S::Export),
    b(&[ch('c')], A::ToggleCollision, "skip/rename", "when a name is taken: skip the file, or write it as name (1).ext", S::Export),
    b(&[ch('f')], A::ToggleLayout, "structure/flatten", "keep DEST/<domain>/<path>, or flatten into DEST/<group or app>/<path>", S::Export),
    b(&[code(K::Enter)], A::DestKeep, "done", "keep the destination", S::Destination),
    b(&[code(K::Esc)], A::DestUndo, "undo", "put the destination back as it was", S::Destination),
    b(&[code(K::Backspace)], A::FilterBackspace, "erase", "erase a character", S::Destination),
    b(&[ctrl('u')], A::DestClear, "clear", "clear the destination", S::Destination),
    b(&[code(K::Esc)], A::CancelTask, "cancel", "stop the export (the half-written file is removed)", S::Exporting),
    b(&[code(K::Esc), code(K::Enter), ch('q')], A::Close, "close", "close the summary", S::Exported),
    b(&[ch('/')], A::Filter, "filter", "filter devices by name; @ann or owner:ann by owner", S::Devices).when(W::Panes),
    b(&[code(K::Esc)], A::FilterClear, "clear filter", "clear the device filter", S::Devices).when(W::Filtered),
    b(&[ch('d'), code(K::Delete)], A::Delete, "delete all", "delete every backup of the device (asks first; type its name)", S::Devices).when(W::DeviceVersions),
    b(&[ch(' ')], A::Mark, "mark all", "mark or unmark every version of the device", S::Devices).when(W::DeviceVersions),
    b(&[ch('j'), code(K::Down)], A::Down, "down", "select the next row", S::Global),
    b(&[ch('k'), code(K::Up)], A::Up, "up", "select the previous row", S::Global),
    b(&[code(K::Enter), ch('l'), code(K::Right)], A::Enter, "go in", "go in: a device's versions, a version's breakdown", S::Global).when(W::GoIn),
    b(&[ch('h'), code(K::Left), code(K::Esc)], A::Back, "back", "back to the previous pane (q quits)", S::Global).when(W::NotFirstPane),
    b(&[code(K::Tab)], A::NextPane, "pane", "focus the next pane", S::Global).when(W::Panes),
    b(&[code(K::BackTab)], A::PrevPane, "pane", "focus the previous pane", S::Global).when(W::Panes),
    b(&[ch('g'), code(K::Home)], A::Top, "top", "first row", S::Global),
    b(&[ch('G'), code(K::End)], A::Bottom, "bottom", "last row", S::Global),
    b(&[code(K::PageUp)], A::PageUp, "page", "page up", S::Global),
    b(&[code(K::PageDown)], A::PageDown, "page", "page down", S::Global),
    b(&[ch('?')], A::Help, "help", "show every key", S::Global),
    b(&[ch('q'), ctrl('c')], A::Quit, "quit", "quit", S::Global),
    b(&[ch('s')], A::Sort, "sort", "sort the pane by what it shows (see its title)", S::Global).when(W::Sortable),
    b(&[ch('r')], A::Rescan, "rescan", "rescan every root", S::Global),
    b(&[ch('p')], A::Prune, "prune", "prune old versions by policy (asks first)", S::Global).when(W::AnyVersion),
    b(&[ch('R')], A::Roots, "roots", "where backtop looked, and how to fix access", S::Global),
    b(&[ch('!')], A::Alerts, "alerts", "the alerts, each with what to do", S::Global),
    b(&[ch('b')], A::ShellHere, "shell", "a shell in the selected version's folder (exit to come back)", S::Global).when(W::Version),
    b(&[ch('i')], A::Details, "details", "details of the selected version and its device", S::Global).when(W::Version),
    b(&[ch('m')], A::Messages, "messages", "the last messages in full (the footer cuts them)", S::Global).when(W::Messages),
];

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
