//! The versions pane: the selected device's versions (`enc` for encrypted, date, age, kind,
//! source app, iOS, size, unique size, state, and the owner when versions have different
//! owners). Columns are dropped by priority on narrow panes; encryption, kind, source, size
//! and state are shown at every width (narrowed on the narrowest panes: the state as one
//! glyph, encryption as `E`, the kind in four letters, the source as one letter). Damaged and interrupted versions stand
//! out, and the bottom line tells the selected version's problem; the bottom border shows the marked set and what deleting it frees.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

use super::{pane, title};
use crate::library::usage::{Measure, VersionUsage};
use crate::library::{BackupState, Version};
use crate::ui::app::{App, Pane};
use crate::ui::theme::Theme;
use crate::ui::{fit, format, layout, local_time};

#[derive(Clone, Copy, PartialEq)]
enum Col {
    Mark,
    Enc,
    Date,
    Age,
    Kind,
    Source,
    Ios,
    Size,
    Unique,
    State,
    Owner,
}

/// Display order, with widths.
const COLS: [(Col, &str, u16); 11] = [
    (Col::Mark, "", 1),
    (Col::Enc, "", 3),
    (Col::Date, "Date", local_time::STAMP_WIDTH as u16),
    (Col::Age, "Age", 13),
    (Col::Kind, "Kind", 8),
    (Col::Source, "Source", 7),
    (Col::Ios, "iOS", 6),
    (Col::Size, "Size", 8),
    (Col::Unique, "Unique", 8),
    (Col::State, "State", 11),
    (Col::Owner, "Owner", 8),
];

/// Which columns to show first when space runs short.
/// The kind and source come early: live, archive or snapshot, and which app's, decide what
/// deleting a version means (a device backed up by Finder and iMazing has two live folders).
/// The owner (only offered when owners differ) comes before the finer figures.
const PRIORITY: [Col; 11] = [
    Col::Mark,
    Col::Enc,
    Col::Date,
    Col::Kind,
    Col::Source,
    Col::Size,
    Col::State,
    Col::Owner,
    Col::Unique,
    Col::Age,
    Col::Ios,
];

/// How many of [`PRIORITY`]'s first columns every width shows (up to the owner, shown when
/// owners differ): the columns get narrower ([`Squeeze`]) until all of them fit.
const ESSENTIAL: usize = 8;

/// How narrow the columns are drawn, least first: what a pane too narrow for every
/// [`ESSENTIAL`] column gives up before it would drop one (the detail line and the help's
/// legend say the rest in words).
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Squeeze {
    /// Every column in words.
    None,
    /// The state as one glyph.
    State,
    /// Also encryption as `E` and the kind in four letters (`live`, `arch`, `snap`).
    Kind,
    /// Also the source as one letter (`F`inder, `i`Mazing, i`T`unes, `?` other).
    Source,
}

impl Squeeze {
    const ALL: [Squeeze; 4] = [
        Squeeze::None,
        Squeeze::State,
        Squeeze::Kind,
        Squeeze::Source,
    ];
}

/// The columns that fit in `width`, in display order; the date (with its time and offset,
/// [`local_time::stamp`]) loses its time under 60 columns, and the columns get narrower
/// ([`Squeeze`]) when they would push out an essential one ([`ESSENTIAL`]). The owner column
/// only with `owners`.
fn fit(width: u16, owners: bool) -> Vec<(Col, &'static str, u16)> {
    let wanted = |c: &Col| owners || *c != Col::Owner;
    let all_there = |cols: &[(Col, &str, u16)]| {
        PRIORITY[..ESSENTIAL]
            .iter()
            .filter(|c| wanted(c))
            .all(|c| cols.iter().any(|w| w.0 == *c))
    };
    let mut cols = Vec::new();
    for squeeze in Squeeze::ALL {
        cols = choose(width, owners, squeeze);
        if all_there(&cols) {
            break;
        }
    }
    cols
}

/// The columns by priority that fit in `width`, drawn as narrow as `squeeze` says.
fn choose(width: u16, owners: bool, squeeze: Squeeze) -> Vec<(Col, &'static str, u16)> {
    let short = width < 60;
    let width_of = |col: Col| match COLS.iter().find(|c| c.0 == col) {
        Some((Col::Date, _, _)) if short => 10,
        Some((Col::State, _, _)) if squeeze >= Squeeze::State => 1,
        Some((Col::Enc, _, _)) if squeeze >= Squeeze::Kind => 1,
        Some((Col::Kind, _, _)) if squeeze >= Squeeze::Kind => 4,
        Some((Col::Source, _, _)) if squeeze >= Squeeze::Source => 1,
        Some((_, _, w)) => *w,
        None => 0,
    };
    let mut used = 0u16;
    let mut chosen = Vec::new();
    for col in PRIORITY.into_iter().filter(|c| owners || *c != Col::Owner) {
        let w = width_of(col) + u16::from(!chosen.is_empty());
        if used + w <= width {
            used += w;
            chosen.push(col);
        }
    }
    COLS.iter()
        .filter(|c| chosen.contains(&c.0))
        .map(|&(col, name, _)| match (col, width_of(col)) {
            (Col::State | Col::Source, 1) => (col, "", 1),
            (_, w) => (col, name, w),
        })
        .collect()
}

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.options.theme;
    let focused = app.focus == Pane::Versions && app.modal().is_none();
    let name = app
        .device()
        .map_or("-".into(), |d| d.display_name().to_string());
    let sort = app.sort_label(Pane::Versions);
    let head = format!("Versions of {name}  sort: {sort}");
    let mut block = pane(title(head, theme), focused, theme);
    if let Some(summary) = app.marked_summary() {
        block = block.title_bottom(Line::from(Span::styled(
            format!(" {summary} "),
            theme.marked(),
        )));
    }
    let (total, rows_shown) = (app.visible_versions().len(), layout::table_rows(area, 1));
    if let Some(more) = super::more::hint(total, app.version_index(), rows_shown, theme) {
        block = block.title_bottom(more);
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [table_area, detail_area] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    let versions = app.visible_versions();
    let cols = fit(inner.width, app.owners_differ());
    let rows: Vec<Row> = versions.iter().map(|v| row(app, v, &cols, theme)).collect();
    let heading = |c: &(Col, &str, u16)| match c.0 {
        Col::Size => format::size_heading(app.measure).to_string(),
        _ => c.1.to_string(),
    };
    let header =
        Row::new(cols.iter().map(|c| Cell::from(align(c.0, heading(c))))).style(theme.heading());
    let widths: Vec<Constraint> = cols.iter().map(|c| Constraint::Length(c.2)).collect();
    let selected = app.version_index();
    let mut state = TableState::default()
        .with_selected((!versions.is_empty()).then_some(selected))
        .with_offset(layout::scroll_offset(selected, layout::table_rows(area, 1)));
    let highlight = if focused {
        theme.selected()
    } else {
        theme.selected_unfocused()
    };
    let table = Table::new(rows, widths)
        .header(header)
        .row_highlight_style(highlight);
    frame.render_stateful_widget(table, table_area, &mut state);
    let detail = detail(app, detail_area.width as usize, theme);
    frame.render_widget(Paragraph::new(detail), detail_area);
}

fn align(col: Col, text: String) -> Line<'static> {
    match col {
        Col::Size | Col::Unique => Line::from(text).right_aligned(),
        _ => Line::from(text),
    }
}

fn row<'a>(app: &App, v: &Version, cols: &[(Col, &str, u16)], theme: &Theme) -> Row<'a> {
    let usage = app.results.sized.get(&v.path);
    let sized = |f: fn(&VersionUsage, Measure) -> u64| match usage {
        Some(u) => format::size(f(u, app.measure)),
        None if app.results.failed.contains_key(&v.path) => "error".into(),
        None => "...".into(),
    };
    let marked = app.marks.contains(&v.path);
    let cells = cols.iter().map(|(col, _, w)| {
        let text = match col {
            Col::Mark => (if marked { theme.glyph_mark() } else { " " }).to_string(),
            Col::Date => match v.date {
                Some(d) if *w < 12 => local_time::date(d, &app.options.tz),
                Some(d) => local_time::stamp(d, &app.options.tz),
                None if *w < 12 => "unknown".into(),
                None => "date unknown".into(),
            },
            Col::Age => v.date.map_or(String::new(), |d| format::age(d, app.now)),
            Col::Kind if *w < 5 => v.kind.label().chars().take(4).collect(),
            Col::Kind => v.kind.label().to_string(),
            Col::Source if *w == 1 => source_letter(source(app, v)).to_string(),
            Col::Source => source(app, v).to_string(),
            Col::Ios => v.ios.clone().unwrap_or_default(),
            Col::Size => sized(VersionUsage::size),
            Col::Unique => sized(VersionUsage::unique),
            Col::Enc if *w == 1 => (if v.encrypted { "E" } else { "" }).to_string(),
            Col::Enc => (if v.encrypted { "enc" } else { "" }).to_string(),
            Col::State if *w == 1 => theme.glyph_state(v.state).to_string(),
            Col::State => v.state.label().to_string(),
            Col::Owner => v.owner.clone().unwrap_or_else(|| "-".into()),
        };
        let cell = Cell::from(align(*col, text));
        match col {
            Col::Mark => cell.style(theme.marked()),
            Col::State => cell.style(state_style(v.state, theme)),
            _ => cell,
        }
    });
    Row::new(cells.collect::<Vec<_>>()).style(match v.state {
        BackupState::Damaged => theme.bad(),
        _ => Style::new(),
    })
}

/// The app the version's root belongs to ([`format::source`]).
fn source(app: &App, v: &Version) -> &'static str {
    let root_app = app
        .library
        .roots
        .iter()
        .find(|r| r.root.path == v.root)
        .map_or(crate::library::locate::ANY_APP, |r| r.root.app);
    format::source(root_app, v.kind)
}

/// The one-letter source of the narrowest panes: `F`inder, `i`Mazing, i`T`unes, `?` other.
fn source_letter(source: &str) -> &'static str {
    match source {
        "Finder" => "F",
        "iMazing" => "i",
        "iTunes" => "T",
        _ => "?",
    }
}

fn state_style(state: BackupState, theme: &Theme) -> Style {
    match state {
        BackupState::Complete => theme.good(),
        BackupState::InProgress | BackupState::Interrupted => theme.warn(),
        BackupState::Damaged => theme.bad(),
    }
}

fn detail(app: &App, width: usize, theme: &Theme) -> Line<'static> {
    let Some(v) = app.version() else {
        return Line::from(Span::styled("no versions", theme.muted()));
    };
    if let Some(problem) = &v.problem {
        // Cut with a mark; the details (`i`) give it whole.
        let text = format!("{}: {problem}", v.state.label());
        let text = fit::truncate(&text, width);
        return Line::from(Span::styled(text, state_style(v.state, theme)));
    }
    if let Some(err) = app.results.failed.get(&v.path) {
        return Line::from(Span::styled(format!("could not size: {err}"), theme.bad()));
    }
    let shown = format::path(&v.path, app.options.home.as_deref());
    Line::from(Span::styled(
        fit::shorten_path(&shown, width),
        theme.muted(),
    ))
}
