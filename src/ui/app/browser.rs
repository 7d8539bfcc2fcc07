//! The browser's state and keys: `Enter` on a version opens it full screen ([`View::Browser`])
//! and asks the host to load it (a latest-wins job); the top level is the grouping of
//! [`crate::library::browse::groups`], below it the real folders. The cursor of each level is
//! kept, so going up lands where one came from; `s` re-sorts every level keeping each one's
//! selection; `/` searches every path (results as a flat list, `Enter` goes to a result's
//! folder); `Space` shows the preview of the selected file (a latest-wins job redone as the
//! cursor moves). All of it is state plus effects: nothing here reads the disk.

use std::path::PathBuf;

use time::OffsetDateTime;

use super::{App, View, ViewKind};
use crate::library::browse::{Browsed, GroupKind, Place, Preview, Row, Shared};
use crate::library::manifest::{NodeId, NodeKind, Sort};
use crate::library::Version;
use crate::tasks::PreviewRequest;
use crate::ui::keymap::{Action, Scope};
use crate::ui::msg::Effect;

/// Most search results kept (the total is still counted).
pub const SEARCH_LIMIT: usize = 5_000;

/// Where loading the version is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load {
    /// The job runs; since when.
    Loading {
        /// When it was asked for.
        since: OffsetDateTime,
    },
    /// Ready to browse.
    Ready(Shared),
    /// Encrypted without its password: why it cannot be listed.
    Locked(String),
    /// The manifest could not be read.
    Failed(String),
}

/// One level of the browser: a place, its rows in the current sort, the cursor and the first
/// row shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    /// Where.
    pub place: Place,
    /// Its rows.
    pub rows: Vec<Row>,
    /// Selected row.
    pub cursor: usize,
    /// First row shown.
    pub offset: usize,
}

/// A search of the version's paths.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Search {
    /// What is typed.
    pub query: String,
    /// Still typing (keys go to the query).
    pub editing: bool,
    /// The first [`SEARCH_LIMIT`] matches, in path order.
    pub found: Vec<NodeId>,
    /// Matches in all.
    pub total: usize,
    /// Selected result.
    pub cursor: usize,
    /// First result shown.
    pub offset: usize,
}

/// The preview of one file: asked for, or what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewState {
    /// The file.
    pub node: NodeId,
    /// `None` while the job runs.
    pub preview: Option<Preview>,
}

/// The browser over one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Browser {
    /// The version folder.
    pub version: PathBuf,
    /// The device's name, for the title and the export folder.
    pub device: String,
    /// When the backup was made.
    pub date: Option<OffsetDateTime>,
    /// Loading, ready, locked or failed.
    pub load: Load,
    /// The levels from the top down; the last one is shown.
    pub levels: Vec<Level>,
    /// Order of the rows.
    pub sort: Sort,
    /// The search, while one is shown.
    pub search: Option<Search>,
    /// The last query, offered again by `/`.
    pub last_query: String,
    /// The preview pane is on.
    pub preview_on: bool,
    /// The preview of the selected file.
    pub preview: Option<PreviewState>,
    /// Bundle ids of the installed apps (`Info.plist`), for exporting an app.
    pub installed: Vec<String>,
}

impl Browser {
    /// A browser over `version`, loading since `now`.
    pub fn new(version: &Version, now: OffsetDateTime) -> Browser {
        Browser {
            version: version.path.clone(),
            device: version
                .device_name
                .clone()
                .unwrap_or_else(|| version.folder_name.clone()),
            date: version.date,
            load: Load::Loading { since: now },
            levels: Vec::new(),
            sort: Sort::Size,
            search: None,
            last_query: String::new(),
            preview_on: false,
            preview: None,
            installed: version.apps.keys().cloned().collect(),
        }
    }

    /// The opened version, once ready.
    pub fn index(&self) -> Option<&Shared> {
        match &self.load {
            Load::Ready(index) => Some(index),
            _ => None,
        }
    }

    /// The keymap scopes it answers in.
    pub fn scopes(&self) -> Vec<Scope> {
        match &self.search {
            Some(s) if s.editing => vec![Scope::Search],
            Some(_) => vec![Scope::Results, Scope::Browser],
            None => vec![Scope::Browser],
        }
    }

    /// The level shown.
    pub fn level(&self) -> Option<&Level> {
        self.levels.last()
    }

    /// The selected row: a search result while a search is shown, else the level's.
    pub fn selected(&self) -> Option<Row> {
        match &self.search {
            Some(s) => s.found.get(s.cursor).map(|&id| Row::Node(id)),
            None => {
                let level = self.level()?;
                level.rows.get(level.cursor).copied()
            }
        }
    }

    /// The selected file's node, if the selection is a file.
    pub fn selected_file(&self) -> Option<NodeId> {
        let index = self.index()?;
        match self.selected()? {
            Row::Node(id) if index.0.tree.node(id).kind() == NodeKind::File => Some(id),
            _ => None,
        }
    }

    fn ready(&mut self, index: Shared) {
        self.load = Load::Ready(index);
        self.levels = vec![self.level_at(Place::Top)];
    }

    fn level_at(&self, place: Place) -> Level {
        let rows = self
            .index()
            .map_or_else(Vec::new, |i| i.0.groups.rows(&i.0.tree, place, self.sort));
        Level {
            place,
            rows,
            cursor: 0,
            offset: 0,
        }
    }

    /// Moves the cursor by `delta` rows (clamped), keeping it within `page` rows of the first
    /// row shown.
    fn move_by(&mut self, delta: isize, page: usize) {
        let (cursor, offset, len) = match &mut self.search {
            Some(s) => (&mut s.cursor, &mut s.offset, s.found.len()),
            None => match self.levels.last_mut() {
                Some(l) => (&mut l.cursor, &mut l.offset, l.rows.len()),
                None => return,
            },
        };
        let max = len.saturating_sub(1) as isize;
        *cursor = (*cursor as isize + delta).clamp(0, max.max(0)) as usize;
        keep_visible(*cursor, offset, page);
    }

    /// Goes into the selected row: a group, app or folder (a group of one member, or an app
    /// of one domain, is gone through to its member); on a file, turns the preview on. In a
    /// search, goes to the result.
    fn enter(&mut self, page: usize) {
        if self.search.is_some() {
            return self.go_to_result(page);
        }
        let Some(index) = self.index().cloned() else {
            return;
        };
        let (tree, groups) = (&index.0.tree, &index.0.groups);
        let Some(row) = self.selected() else {
            return;
        };
        let Some(place) = groups.enter(tree, row) else {
            self.preview_on = true;
            return;
        };
        self.levels.push(self.level_at(place));
        if let Some(only) = self.only_member() {
            self.levels.push(self.level_at(only));
        }
    }

    /// The one member of a group or domain of an app the shown level lists, if only one.
    fn only_member(&self) -> Option<Place> {
        let level = self.level()?;
        let index = self.index()?;
        match (level.place, level.rows.as_slice()) {
            (Place::Group(_) | Place::App(..), [Row::Node(id)]) => {
                index.0.groups.enter(&index.0.tree, Row::Node(*id))
            }
            _ => None,
        }
    }

    /// Up one level (past a group of one member, which only led to it).
    fn back(&mut self) {
        if self.levels.len() > 1 {
            self.levels.pop();
        }
        while self.levels.len() > 1 && self.only_member().is_some() {
            self.levels.pop();
        }
    }

    /// The next sort, every level re-sorted with its selection kept.
    fn cycle_sort(&mut self, page: usize) {
        self.sort = match self.sort {
            Sort::Size => Sort::Name,
            Sort::Name => Sort::Date,
            Sort::Date => Sort::Size,
        };
        let Some(index) = self.index().cloned() else {
            return;
        };
        for level in &mut self.levels {
            let selected = level.rows.get(level.cursor).copied();
            level.rows = index.0.groups.rows(&index.0.tree, level.place, self.sort);
            level.cursor = selected
                .and_then(|s| level.rows.iter().position(|r| *r == s))
                .unwrap_or(0);
            keep_visible(level.cursor, &mut level.offset, page);
        }
    }

    /// Starts typing a search (the last query offered again).
    fn start_search(&mut self) {
        let query = match &self.search {
            Some(s) => s.query.clone(),
            None => self.last_query.clone(),
        };
        self.search = Some(Search {
            editing: true,
            ..Search::default()
        });
        self.set_query(query);
    }

    /// Sets the query and runs it.
    fn set_query(&mut self, query: String) {
        let Some(index) = self.index().cloned() else {
            return;
        };
        let Some(search) = &mut self.search else {
            return;
        };
        let found = index.0.tree.search(&query, SEARCH_LIMIT);
        search.found = found.ids;
        search.total = found.total;
        search.cursor = 0;
        search.offset = 0;
        search.query = query;
    }

    fn type_char(&mut self, c: Option<char>) {
        let Some(search) = &self.search else {
            return;
        };
        let mut query = search.query.clone();
        match c {
            Some(c) => query.push(c),
            None => {
                query.pop();
            }
        }
        self.set_query(query);
    }

    /// Leaves the search (typing stops; from the results, back to the folders).
    fn cancel_search(&mut self) {
        if let Some(s) = self.search.take() {
            self.last_query = s.query;
        }
    }

    /// Goes to the selected result: into it when it is a folder, else to its folder with it
    /// selected.
    fn go_to_result(&mut self, page: usize) {
        let (Some(index), Some(Row::Node(id))) = (self.index().cloned(), self.selected()) else {
            return;
        };
        let (tree, groups) = (&index.0.tree, &index.0.groups);
        let places = groups.path_to(tree, id, true);
        let mut levels: Vec<Level> = places.iter().map(|&p| self.level_at(p)).collect();
        // Each level's cursor on the way down: the row that leads to the next place.
        for (i, level) in levels.iter_mut().enumerate() {
            let want = match places.get(i + 1) {
                Some(Place::Group(g)) => Some(Row::Group(*g)),
                Some(Place::App(g, a)) => Some(Row::App(*g, *a)),
                Some(Place::Node(n)) => Some(Row::Node(*n)),
                Some(Place::Top) => None,
                None if tree.node(id).kind().is_container() => None,
                None => Some(Row::Node(id)),
            };
            level.cursor = want
                .and_then(|w| level.rows.iter().position(|r| *r == w))
                .unwrap_or(0);
            keep_visible(level.cursor, &mut level.offset, page);
        }
        self.levels = levels;
        self.cancel_search();
    }

    /// The preview to ask for now, if the pane is on and the selected file has none.
    fn preview_wanted(&mut self) -> Option<Effect> {
        if !self.preview_on {
            return None;
        }
        let Some(node) = self.selected_file() else {
            self.preview = None;
            return None;
        };
        if self.preview.as_ref().is_some_and(|p| p.node == node) {
            return None;
        }
        self.preview = Some(PreviewState {
            node,
            preview: None,
        });
        Some(Effect::Preview(PreviewRequest {
            index: self.index()?.clone(),
            node,
        }))
    }

    /// The breadcrumbs: each level's label below the top.
    pub fn crumbs(&self) -> Vec<String> {
        let Some(index) = self.index() else {
            return Vec::new();
        };
        self.levels
            .iter()
            .skip(1)
            .map(|l| {
                index
                    .0
                    .groups
                    .place_label(&index.0.tree, l.place)
                    .to_string()
            })
            .collect()
    }

    /// The kind of group the shown level is under (for exports of what it shows).
    pub fn group_kind(&self) -> Option<GroupKind> {
        let index = self.index()?;
        self.levels.iter().find_map(|l| match l.place {
            Place::Group(g) => index.0.groups.groups().get(g).map(|g| g.kind),
            _ => None,
        })
    }
}

/// Moves `offset` so that `cursor` is within `page` rows of it.
fn keep_visible(cursor: usize, offset: &mut usize, page: usize) {
    let page = page.max(1);
    if cursor < *offset {
        *offset = cursor;
    } else if cursor >= *offset + page {
        *offset = cursor + 1 - page;
    }
}

impl App {
    /// The open browser.
    pub fn browser(&self) -> Option<&Browser> {
        match self.views.get(ViewKind::Browser) {
            Some(View::Browser(b)) => Some(b),
            _ => None,
        }
    }

    fn browser_mut(&mut self) -> Option<&mut Browser> {
        match self.views.get_mut(ViewKind::Browser) {
            Some(View::Browser(b)) => Some(b),
            _ => None,
        }
    }

    /// Opens the selected version in the browser and asks for it to be loaded; an encrypted
    /// version not unlocked yet asks for its password first.
    pub(super) fn open_browser(&mut self) -> Vec<Effect> {
        if self.selected_locked() {
            return self.open_unlock(super::AfterUnlock::Browse);
        }
        self.browse_selected()
    }

    /// Opens the selected version in the browser, locked or not.
    pub(super) fn browse_selected(&mut self) -> Vec<Effect> {
        let Some(version) = self.version().cloned() else {
            return Vec::new();
        };
        self.views
            .push(View::Browser(Box::new(Browser::new(&version, self.now))));
        vec![Effect::Browse(version.path)]
    }

    /// Rows of the browser's list that fit the screen (a page).
    pub fn browser_page(&self) -> usize {
        let preview = self.browser().is_some_and(|b| b.preview_on);
        crate::ui::layout::browser(self.size, preview).list_rows()
    }

    /// An action for the browser when it takes the keys; `None` when it is not the
    /// browser's (help, quit: the dashboard's own handling).
    pub(super) fn browser_act(&mut self, action: Action) -> Option<Vec<Effect>> {
        if !matches!(self.views.top(), Some(View::Browser(_))) {
            return None;
        }
        let page = self.browser_page();
        let browser = self.browser_mut()?;
        match action {
            Action::Up => browser.move_by(-1, page),
            Action::Down => browser.move_by(1, page),
            Action::PageUp => browser.move_by(-(page as isize), page),
            Action::PageDown => browser.move_by(page as isize, page),
            Action::Top => browser.move_by(isize::MIN / 2, page),
            Action::Bottom => browser.move_by(isize::MAX / 2, page),
            Action::Enter => browser.enter(page),
            Action::Back => browser.back(),
            Action::Sort => browser.cycle_sort(page),
            Action::Search => browser.start_search(),
            Action::SearchKeep => {
                if let Some(s) = &mut browser.search {
                    s.editing = false;
                }
            }
            Action::SearchCancel => browser.cancel_search(),
            Action::FilterBackspace => browser.type_char(None),
            Action::Preview => {
                browser.preview_on = !browser.preview_on;
                if !browser.preview_on {
                    browser.preview = None;
                }
            }
            Action::Export => return Some(self.open_export()),
            Action::CloseBrowser => {
                self.views.close(ViewKind::Browser);
                return Some(Vec::new());
            }
            _ => return None,
        }
        Some(self.browser_mut()?.preview_wanted().into_iter().collect())
    }

    /// A character typed into the browser's search.
    pub(super) fn browser_type(&mut self, c: char) -> Vec<Effect> {
        let Some(browser) = self.browser_mut() else {
            return Vec::new();
        };
        browser.type_char(Some(c));
        browser.preview_wanted().into_iter().collect()
    }

    /// The outcome of the load job of the browser's version.
    pub(super) fn on_browsed(&mut self, version: PathBuf, browsed: Browsed) {
        let Some(browser) = self.browser_mut().filter(|b| b.version == version) else {
            return;
        };
        match browsed {
            Browsed::Ready(index) => browser.ready(index),
            Browsed::Locked(reason) => browser.load = Load::Locked(reason),
            Browsed::Failed(why) => browser.load = Load::Failed(why),
        }
    }

    /// The outcome of a preview job.
    pub(super) fn on_previewed(&mut self, version: PathBuf, node: NodeId, preview: Preview) {
        let Some(browser) = self.browser_mut().filter(|b| b.version == version) else {
            return;
        };
        if let Some(state) = browser.preview.as_mut().filter(|p| p.node == node) {
            state.preview = Some(preview);
        }
    }

    /// A load or preview job failed (its worker panicked).
    pub(super) fn on_browse_failed(&mut self, why: String, preview: bool) {
        let Some(browser) = self.browser_mut() else {
            return;
        };
        if preview {
            if let Some(state) = &mut browser.preview {
                state.preview = Some(Preview::unavailable(format!("the preview failed: {why}")));
            }
        } else if matches!(browser.load, Load::Loading { .. }) {
            browser.load = Load::Failed(why);
        }
    }
}
