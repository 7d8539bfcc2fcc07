//! Dashboard state and the one place it changes: [`App::update`] takes a [`Msg`] and returns
//! the [`Effect`]s the run loop must carry out. No drawing, no I/O, no clock reads: time comes
//! in through [`Msg::Tick`], so tests drive `App` with keys and fixed instants.
//!
//! Selections are kept by identity (UDID, version path), not by row number, so a re-sort while
//! sizes arrive keeps the cursor on the same item. Overlays and dialogs are [`View`]s on one
//! stack ([`views`]): the top one takes keys, mouse and footer; the panes get what no view is
//! open for.

mod actions;
mod alerts;
mod avail;
pub mod browser;
mod dialogs;
pub mod diff;
pub mod export;
pub(crate) mod figures;
mod lists;
pub mod loss;
mod mouse;
mod nav;
pub mod owners;
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub mod relocate;
mod roots;
mod scan;
mod tasks;
pub mod unlock;
pub mod views;

use std::collections::BTreeSet;
use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEventKind};
use time::OffsetDateTime;

use super::keymap::{self, Action, Key, Scope};
use super::msg::{Effect, Msg};
use super::theme::Theme;
use crate::library::alerts::AlertSettings;
use crate::library::usage::Measure;
use crate::library::{Device, Library};
use crate::scan::ScanResults;

pub use browser::{Browser, Level, Load, PreviewState, Search};
pub(crate) use dialogs::wrong_name;
pub use dialogs::{DeleteDialog, PruneDialog, DEFAULT_KEEP};
pub use export::{ExportDialog, Phase};
pub use loss::{LossState, LossView};
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub use relocate::{MoveDialog, MovePhase};
pub use scan::ScanProgress;
pub use tasks::{Newest, Report, TaskState};
pub use unlock::{AfterUnlock, Secret, UnlockPhase, UnlockPrompt};
pub use views::{View, ViewKind, Views};

/// The status line while the delete guards have not answered yet (cleared when they do),
/// with the key that closes the dialog meanwhile, from the keymap.
pub(crate) fn still_checking() -> String {
    let key = keymap::key_label(Action::Cancel, Scope::Checking);
    format!("still checking what may be deleted ({key} closes)")
}

/// Status lines kept for the messages dialog.
pub const MESSAGES_KEPT: usize = 100;

/// The focusable panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    /// Devices table.
    Devices,
    /// Versions of the selected device.
    Versions,
    /// Breakdown of the selected version.
    Breakdown,
}

impl Pane {
    /// The keymap scope of this pane.
    pub fn scope(self) -> Scope {
        match self {
            Pane::Devices => Scope::Devices,
            Pane::Versions => Scope::Versions,
            Pane::Breakdown => Scope::Breakdown,
        }
    }
}

/// Sort order of devices and versions, cycled with `s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Newest first.
    Date,
    /// Largest first.
    Size,
    /// Most reclaimable first.
    Reclaimable,
    /// By name, A to Z.
    Name,
}

impl SortKey {
    /// The next order in `pane`'s cycle, by what the pane shows: devices by last backup,
    /// size and name; versions by date, size and unique size (the breakdown is by size).
    pub fn next(self, pane: Pane) -> SortKey {
        match (pane, self) {
            (Pane::Devices, SortKey::Date) => SortKey::Size,
            (Pane::Devices, SortKey::Size) => SortKey::Name,
            (Pane::Devices, _) => SortKey::Date,
            (_, SortKey::Date) => SortKey::Size,
            (_, SortKey::Size) => SortKey::Reclaimable,
            (_, _) => SortKey::Date,
        }
    }

    /// The words shown in `pane`'s title, named as its columns are.
    pub fn label(self, pane: Pane) -> &'static str {
        match (pane, self) {
            (Pane::Devices, SortKey::Date) => "last backup",
            (_, SortKey::Date) => "date",
            (_, SortKey::Size) => "size",
            (Pane::Devices, SortKey::Reclaimable) => "reclaimable",
            (_, SortKey::Reclaimable) => "unique",
            (_, SortKey::Name) => "name",
        }
    }
}

/// A question waiting for yes or no.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Delete these versions.
    Delete(DeleteDialog),
    /// Delete what the prune policy picks.
    Prune(PruneDialog),
}

/// How the dashboard was started.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Destructive actions (delete, prune) are refused.
    pub read_only: bool,
    /// Colours and glyphs.
    pub theme: Theme,
    /// The time zone dates are shown in (the system's when known), each date with its own
    /// offset.
    pub tz: jiff::tz::TimeZone,
    /// The user's home, abbreviated to `~` in paths.
    pub home: Option<PathBuf>,
    /// The volumes are made up (`--demo`): the disk pane says so in its title.
    pub simulated_disks: bool,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            read_only: false,
            theme: Theme::new(true, false),
            tz: jiff::tz::TimeZone::UTC,
            home: None,
            simulated_disks: false,
        }
    }
}

/// The dashboard's whole state.
#[derive(Debug, Clone)]
pub struct App {
    /// What discovery found.
    pub library: Library,
    /// Versions whose device cannot be told, shown as one extra device.
    pub unidentified: Option<Device>,
    /// Sizes, failures and volume figures as they arrive: the same fold of scan events as
    /// `backtop du`'s, so both derive their figures by the same rules.
    pub results: ScanResults,
    /// The running or last scan.
    pub scan: ScanProgress,
    /// Focused pane.
    pub focus: Pane,
    /// Selected device's UDID (first visible one when `None` or filtered out).
    pub selected_device: Option<String>,
    /// Selected version's path (first one when `None`).
    pub selected_version: Option<PathBuf>,
    /// The selected line of the breakdown pane (categories, then apps), shown highlighted
    /// when the pane is focused; the pane scrolls to keep it in view.
    pub breakdown_scroll: usize,
    /// Sort of the versions pane (`s` there; the devices pane's is [`App::sort`]).
    pub version_sort: SortKey,
    /// Sort of the devices pane (`s` there).
    pub sort: SortKey,
    /// How sizes are shown (`a`): apparent bytes, or disk usage as ncdu and gdu show it.
    pub measure: Measure,
    /// Device filter text (kept after the filter input closes).
    pub filter: String,
    /// First line shown of the roots report in the main area (a library with no backups).
    pub main_roots_scroll: usize,
    /// Marked versions.
    pub marks: BTreeSet<PathBuf>,
    /// Encrypted versions unlocked in this run (their keys are the host's, not the app's).
    pub unlocked: BTreeSet<PathBuf>,
    /// Overlays and full-screen views over the panes; the top one takes the keys.
    pub views: Views,
    /// The running delete or verify.
    pub task: Option<TaskState>,
    /// The newest scan and check jobs seen (older ones' messages are dropped).
    pub newest: Newest,
    /// Last status line (action results, refusals).
    pub status: Option<String>,
    /// Every status line shown, oldest first (the last [`MESSAGES_KEPT`]), for the messages
    /// dialog: the footer cuts a status line to its width.
    pub messages: Vec<String>,
    /// "Now", for ages.
    pub now: OffsetDateTime,
    /// Terminal size (columns, rows), for mouse hits and paging.
    pub size: (u16, u16),
    /// How it was started.
    pub options: AppOptions,
    /// The folder exports go under by default (`backtop-export/…` inside it): the user's
    /// Downloads folder, set by the caller (`~/Downloads` from the home until then).
    pub downloads: PathBuf,
    /// What the alerts (header count, `!` list) are set to: the config file's `[alerts]`.
    pub alert_settings: AlertSettings,
    /// Unfinished moves the user left for later (by root): not asked about again this run.
    pub dismissed_moves: BTreeSet<PathBuf>,
}

impl App {
    /// A dashboard over `library` (no sizes yet), with `now` frozen until the next tick.
    pub fn new(library: Library, options: AppOptions, now: OffsetDateTime) -> Self {
        let mut app = App {
            library: Library::default(),
            unidentified: None,
            results: ScanResults::default(),
            scan: ScanProgress::default(),
            focus: Pane::Devices,
            selected_device: None,
            selected_version: None,
            breakdown_scroll: 0,
            sort: SortKey::Date,
            version_sort: SortKey::Date,
            measure: Measure::Apparent,
            filter: String::new(),
            main_roots_scroll: 0,
            marks: BTreeSet::new(),
            unlocked: BTreeSet::new(),
            views: Views::default(),
            task: None,
            newest: Newest::default(),
            status: None,
            messages: Vec::new(),
            now,
            size: (80, 24),
            downloads: options
                .home
                .as_ref()
                .map_or_else(|| PathBuf::from("Downloads"), |h| h.join("Downloads")),
            options,
            alert_settings: AlertSettings::default(),
            dismissed_moves: BTreeSet::new(),
        };
        app.set_library(library);
        app
    }

    /// Feeds one message; returns what the run loop must do. A new status line is kept in
    /// [`App::messages`] too.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let before = self.status.clone();
        let effects = self.handle(msg);
        if let Some(status) = self.status.as_ref().filter(|s| Some(*s) != before.as_ref()) {
            if self.messages.last() != Some(status) {
                self.messages.push(status.clone());
            }
            let extra = self.messages.len().saturating_sub(MESSAGES_KEPT);
            self.messages.drain(..extra);
        }
        effects
    }

    fn handle(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(ev) if ev.kind != KeyEventKind::Release => self.on_key(Key::from_event(&ev)),
            Msg::Key(_) => Vec::new(),
            Msg::Click { column, row } => {
                self.on_click(column, row);
                Vec::new()
            }
            Msg::Wheel { column, row, down } => self.on_wheel(column, row, down),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Msg::Tick(now) => {
                self.now = now;
                Vec::new()
            }
            Msg::Job(job) => self.on_job(job),
            Msg::Status(text) => {
                self.status = (!text.is_empty()).then_some(text);
                Vec::new()
            }
            Msg::Copied(path) => {
                self.views.push(View::Report(Report::Copied(path)));
                Vec::new()
            }
            Msg::OpenFailed { path, why } => {
                self.status = Some(format!("could not open it in the file manager: {why}"));
                self.views
                    .push(View::Report(Report::OpenFailed { path, why }));
                Vec::new()
            }
            #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
            Msg::UnfinishedMoves(found) => {
                self.on_interrupted(found);
                Vec::new()
            }
            Msg::Rescan => vec![Effect::Rescan],
            Msg::Quit => vec![Effect::Quit],
        }
    }

    /// The scope of the view that takes keys now, if a view is open.
    pub fn modal(&self) -> Option<Scope> {
        self.views.top().and_then(|v| v.scopes().first().copied())
    }

    /// Keymap scopes active now, most specific first.
    pub fn scopes(&self) -> Vec<Scope> {
        match self.views.top() {
            Some(view) => view.scopes(),
            None => match &self.task {
                Some(task) if !task.hidden => {
                    vec![self.focus.scope(), task.scope(), Scope::Global]
                }
                _ => vec![self.focus.scope(), Scope::Global],
            },
        }
    }

    /// The open confirmation dialog.
    pub fn confirm(&self) -> Option<&Confirm> {
        match self.views.get(ViewKind::Confirm) {
            Some(View::Confirm(c)) => Some(c),
            _ => None,
        }
    }

    /// The open result dialog.
    pub fn report(&self) -> Option<&Report> {
        match self.views.get(ViewKind::Report) {
            Some(View::Report(r)) => Some(r),
            _ => None,
        }
    }

    /// True while the filter is being typed.
    pub fn filter_editing(&self) -> bool {
        self.views.is_open(ViewKind::Filter)
    }

    fn on_key(&mut self, key: Key) -> Vec<Effect> {
        self.status = None;
        match keymap::resolve_if(key, &self.scopes(), |w| self.can(w)) {
            Some(action) => self.act(action),
            None => self.type_key(key),
        }
    }

    /// A key no binding took: a character typed into the top view, if it takes text.
    fn type_key(&mut self, key: Key) -> Vec<Effect> {
        // Until the guards answered, a key typed ahead must not act on the dialog.
        if self.modal() == Some(Scope::Checking) {
            self.status = Some(still_checking());
            return Vec::new();
        }
        let (KeyCode::Char(c), false) = (key.code, key.ctrl) else {
            return Vec::new();
        };
        match self.modal() {
            Some(Scope::Search) => return self.browser_type(c),
            Some(Scope::Destination) => self.export_type(c),
            #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
            Some(Scope::MoveDest) => self.move_type(c),
            Some(Scope::Typed) => self.type_in_dialog(Some(c)),
            Some(Scope::Password) => self.unlock_type(c),
            Some(Scope::Filter) => {
                self.filter.push(c);
                self.selected_device = None;
                self.selected_version = None;
            }
            _ => {}
        }
        Vec::new()
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        if let Some(effects) = self.unlock_act(action) {
            return effects;
        }
        #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
        if let Some(effects) = self.move_act(action) {
            return effects;
        }
        if let Some(effects) = self.export_act(action) {
            return effects;
        }
        if let Some(effects) = self.browser_act(action) {
            return effects;
        }
        if self.alerts_scroll_act(action) || self.diff_scroll_act(action) {
            return Vec::new();
        }
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.page() as isize)),
            Action::PageDown => self.move_by(self.page() as isize),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::NextPane => self.cycle_focus(true),
            Action::PrevPane => self.cycle_focus(false),
            Action::Enter => self.enter(),
            Action::Back => self.back(),
            Action::Sort => self.cycle_sort(),
            Action::SizesOnDisk => self.measure = Measure::Disk,
            Action::SizesApparent => self.measure = Measure::Apparent,
            Action::Help => self.toggle(ViewKind::Help, View::Help { scroll: 0 }),
            Action::Filter => {
                self.views.push(View::Filter);
                self.focus = Pane::Devices;
            }
            Action::FilterKeep => {
                self.views.close(ViewKind::Filter);
            }
            Action::FilterClear => self.clear_filter(),
            Action::FilterBackspace if self.modal() == Some(Scope::Typed) => {
                self.type_in_dialog(None)
            }
            Action::FilterBackspace => {
                self.filter.pop();
            }
            Action::Rescan => return vec![Effect::Rescan],
            Action::Quit => return vec![Effect::Quit],
            Action::Open | Action::Verify | Action::Delete | Action::Mark | Action::Prune => {
                return self.version_action(action)
            }
            Action::Confirm | Action::Cancel => return self.answer(action == Action::Confirm),
            Action::ToggleMode => self.toggle_permanent(),
            Action::KeepMore | Action::KeepFewer => {
                return self.adjust_keep(action == Action::KeepMore)
            }
            Action::CancelTask => return self.cancel_task(),
            Action::HideTask => {
                if let Some(task) = &mut self.task {
                    task.hidden = true;
                }
            }
            Action::Close => {
                self.views.close(ViewKind::Report);
            }
            Action::Roots => self.toggle(ViewKind::Roots, View::Roots { scroll: 0 }),
            Action::Alerts => self.toggle(ViewKind::Alerts, View::Alerts { scroll: 0 }),
            Action::DiffPrevious => return self.open_diff(),
            Action::CloseDiff => {
                self.views.close(ViewKind::Diff);
            }
            Action::Browse => return self.open_browser(),
            Action::Unlock => return self.open_unlock(AfterUnlock::Stay),
            #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
            Action::Move => return self.open_move(),
            #[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
            Action::Move => {
                self.status = Some("moving backups is not supported on this system yet".into());
            }
            Action::MoveWhat | Action::Resume | Action::RollBack => {}
            Action::CloseBrowser
            | Action::Search
            | Action::SearchKeep
            | Action::SearchCancel
            | Action::Preview
            | Action::Export
            | Action::ToggleCollision
            | Action::ToggleLayout
            | Action::EditDest
            | Action::DestKeep
            | Action::DestUndo
            | Action::DestClear => {}
            Action::Shell => {
                if let Some(View::Report(report)) = self.views.close(ViewKind::Report) {
                    if let Some(dir) = report.shell_dir() {
                        return vec![Effect::Shell(dir.clone())];
                    }
                }
            }
            Action::Messages => self.views.push(View::Report(Report::Messages)),
            Action::ShellHere => {
                if let Some(v) = self.version() {
                    return vec![Effect::Shell(v.path.clone())];
                }
            }
            Action::Details => {
                if let Some(v) = self.version() {
                    let report = Report::Details(v.path.clone());
                    self.views.push(View::Report(report));
                }
            }
        }
        Vec::new()
    }

    fn clear_filter(&mut self) {
        self.filter.clear();
        self.views.close(ViewKind::Filter);
    }

    /// Closes the view of `kind` if it is open, else opens `view` (from its top).
    fn toggle(&mut self, kind: ViewKind, view: View) {
        if self.views.close(kind).is_none() {
            self.views.push(view);
        }
    }
}
