//! The browser, full screen above the panes (the footer stays: its hints come from the
//! browser's keymap scope). The list shows name, size, files and newest date per row, with the
//! breadcrumbs and the sort in its title and a status line under it (the level's totals, or
//! the search being typed); beside it (wide) or under it (narrow) the details of the selection
//! and, on `Space`, the preview of the selected file.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;
use time::OffsetDateTime;

use super::{pane, title};
use crate::library::browse::{GroupKind, Place, Row, Totals};
use crate::library::manifest::{
    content_path, file_id_hex, protection_class_name, NodeKind, Presence, Sort,
};
use crate::ui::app::{App, Browser, Load, PreviewState};
use crate::ui::layout::{self, BrowserPanes};
use crate::ui::theme::Theme;
use crate::ui::{fit, format, local_time};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const ASCII_SPINNER: [&str; 4] = ["|", "/", "-", "\\"];

/// Draws the browser over the whole frame but its last row.
pub(super) fn render(frame: &mut Frame, app: &App, browser: &Browser) {
    let panes = layout::browser(app.size, browser.preview_on);
    let area = Rect::new(0, 0, app.size.0, app.size.1.saturating_sub(1));
    frame.render_widget(Clear, area);
    list(frame, app, browser, &panes);
    if let Some(rect) = panes.details {
        details(frame, app, browser, rect);
    }
    if let Some(rect) = panes.preview {
        preview(frame, app, browser, rect);
    }
}

/// The spinner frame for `since` (one step a second: the clock ticks once a second).
pub(super) fn spinner(
    theme: &Theme,
    since: OffsetDateTime,
    now: OffsetDateTime,
) -> (&'static str, i64) {
    let secs = (now - since).whole_seconds().max(0);
    let frames: &[&str] = if theme.ascii {
        &ASCII_SPINNER
    } else {
        &SPINNER
    };
    (frames[secs as usize % frames.len()], secs)
}

fn sort_label(sort: Sort) -> &'static str {
    match sort {
        Sort::Size => "size",
        Sort::Name => "name",
        Sort::Date => "date",
    }
}

fn date_of(app: &App, t: Option<i64>) -> String {
    t.and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
        .map_or_else(|| "-".into(), |t| local_time::date(t, &app.options.tz))
}

/// ` Anna's iPhone 2024-06-10 › Messages › sms ` cut from the left to `room` cells.
fn heading(app: &App, browser: &Browser, room: usize) -> String {
    let date = browser
        .date
        .map(|d| format!(" {}", local_time::date(d, &app.options.tz)))
        .unwrap_or_default();
    let mut parts = vec![format!("{}{date}", browser.device)];
    match &browser.search {
        Some(s) => parts.push(format!("search “{}”", s.query)),
        None => parts.extend(browser.crumbs()),
    }
    let sep = " › ";
    let mut text = parts.join(sep);
    while fit::width(&text) > room && parts.len() > 2 {
        parts.remove(1);
        text = format!("{}{sep}…{sep}{}", parts[0], parts[1..].join(sep));
    }
    fit::truncate(&text, room)
}

fn list(frame: &mut Frame, app: &App, browser: &Browser, panes: &BrowserPanes) {
    let theme = &app.options.theme;
    let rect = panes.list;
    let right = format!(" sort: {} ", sort_label(browser.sort));
    let room = (rect.width as usize).saturating_sub(fit::width(&right) + 6);
    let block = pane(title(heading(app, browser, room), theme), true, theme)
        .title(Line::from(Span::styled(right, theme.muted())).right_aligned());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let index = match &browser.load {
        Load::Ready(index) => index,
        Load::Loading { since } => {
            let (spin, secs) = spinner(theme, *since, app.now);
            let text = format!(" Reading the manifest… {spin} {secs} s");
            frame.render_widget(Paragraph::new(Line::raw(text)), inner);
            return;
        }
        Load::Locked(reason) => {
            let lines = vec![
                Line::from(Span::styled(" Locked", theme.warn())),
                Line::raw(format!(" {reason}")),
            ];
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
            return;
        }
        Load::Failed(why) => {
            let lines = vec![
                Line::from(Span::styled(" Cannot open this version", theme.bad())),
                Line::raw(format!(" {why}")),
            ];
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
            return;
        }
    };
    let (tree, groups) = (&index.0.tree, &index.0.groups);
    let width = inner.width as usize;
    let name_w = width.saturating_sub(9 + 9 + 11 + 2).max(8);
    let head = format!(
        "   {}{:>9}{:>9}{:>11}",
        fit::pad("Name", name_w.saturating_sub(2)),
        "Size",
        "Files",
        "Newest"
    );
    let mut lines = vec![Line::from(Span::styled(head, theme.heading()))];
    let rows_room = panes.list_rows();
    let (rows, cursor, offset, place): (Vec<Row>, usize, usize, Option<Place>) =
        match &browser.search {
            Some(s) => (
                s.found.iter().map(|&id| Row::Node(id)).collect(),
                s.cursor,
                s.offset,
                None,
            ),
            None => match browser.level() {
                Some(l) => (l.rows.clone(), l.cursor, l.offset, Some(l.place)),
                None => (Vec::new(), 0, 0, None),
            },
        };
    for (i, &row) in rows.iter().enumerate().skip(offset).take(rows_room) {
        let mut folder = String::new();
        let (label, totals, container, missing_file) = match (row, place) {
            (Row::Node(id), None) => {
                let n = tree.node(id);
                let t = Totals::of_node(tree, id);
                let miss = n.presence() == Presence::Missing;
                folder = match n.parent().map(|p| tree.node(p)) {
                    Some(p) if p.kind() != NodeKind::Root => format!("  in {}", p.full_path()),
                    _ => String::new(),
                };
                (n.name().to_string(), t, n.kind().is_container(), miss)
            }
            (Row::Node(id), Some(p)) => {
                let n = tree.node(id);
                let miss = n.presence() == Presence::Missing;
                let label = groups.row_label(tree, row, p).to_string();
                (
                    label,
                    groups.totals(tree, id),
                    n.kind().is_container(),
                    miss,
                )
            }
            (_, p) => (
                groups
                    .row_label(tree, row, p.unwrap_or(Place::Top))
                    .to_string(),
                groups.row_totals(tree, row),
                false,
                false,
            ),
        };
        let slash = if container { "/" } else { "" };
        let note = if missing_file {
            " (missing on disk)".to_string()
        } else if totals.missing > 0
            && !matches!(row, Row::Node(id) if tree.node(id).kind() == NodeKind::File)
        {
            format!(" ({} missing)", format::count(totals.missing))
        } else {
            String::new()
        };
        let name_room = name_w.saturating_sub(fit::width(&note) + 2);
        let shown_name = fit::truncate(&format!("{label}{slash}"), name_room);
        let folder = fit::truncate(&folder, name_room.saturating_sub(fit::width(&shown_name)));
        let gap = name_w
            .saturating_sub(2 + fit::width(&shown_name) + fit::width(&folder) + fit::width(&note));
        let size = if missing_file {
            "-".to_string()
        } else {
            format::size(totals.bytes)
        };
        let files = if matches!(row, Row::Node(id) if tree.node(id).kind() != NodeKind::File && !tree.node(id).kind().is_container())
        {
            String::new()
        } else {
            format::count(totals.files)
        };
        let tail = format!(
            "{}{size:>9}{files:>9}{:>11}",
            " ".repeat(gap),
            date_of(app, totals.newest)
        );
        let selected = i == cursor;
        let base = if selected {
            theme.selected()
        } else {
            Style::new()
        };
        let name_style = match row {
            Row::Group(_) | Row::App(..) if !selected => theme.heading(),
            _ => base,
        };
        let note_style = if selected { base } else { theme.bad() };
        let folder_style = if selected { base } else { theme.muted() };
        let marker = match (selected, theme.ascii) {
            (false, _) => "  ",
            (true, true) => "> ",
            (true, false) => "▸ ",
        };
        lines.push(Line::from(vec![
            Span::styled(" ", base),
            Span::styled(marker, base),
            Span::styled(shown_name, name_style),
            Span::styled(folder, folder_style),
            Span::styled(note, note_style),
            Span::styled(tail, base),
        ]));
    }
    if rows.is_empty() {
        let empty = match &browser.search {
            Some(s) if s.query.is_empty() => " Type to search every path of this version",
            Some(_) => " Nothing matches",
            None => " Empty",
        };
        lines.push(Line::from(Span::styled(empty, theme.muted())));
    }
    while lines.len() < rows_room + 1 {
        lines.push(Line::raw(""));
    }
    lines.push(status_line(app, browser, place, &rows));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The line under the list: what the search is, or the level's totals.
fn status_line(app: &App, browser: &Browser, place: Option<Place>, rows: &[Row]) -> Line<'static> {
    let theme = &app.options.theme;
    if let Some(s) = &browser.search {
        if s.editing {
            let cursor = if theme.ascii { "_" } else { "▏" };
            return Line::from(vec![
                Span::styled(" / ", theme.key()),
                Span::raw(s.query.clone()),
                Span::styled(cursor, theme.key()),
                Span::styled(
                    format!("   {}", matches_text(s.total, s.found.len())),
                    theme.muted(),
                ),
            ]);
        }
        return Line::from(Span::styled(
            format!(" “{}”: {}", s.query, matches_text(s.total, s.found.len())),
            theme.muted(),
        ));
    }
    let Some(index) = browser.index() else {
        return Line::raw("");
    };
    let (tree, groups) = (&index.0.tree, &index.0.groups);
    let mut t = Totals::default();
    for &row in rows {
        let r = groups.row_totals(tree, row);
        t.bytes += r.bytes;
        t.files += r.files;
        t.missing += r.missing;
    }
    let what = match place {
        Some(Place::Top) => format::plural(rows.len() as i64, "group"),
        Some(Place::Group(g))
            if groups
                .groups()
                .get(g)
                .is_some_and(|g| g.kind == GroupKind::Apps) =>
        {
            format::plural(rows.len() as i64, "app")
        }
        _ => format::plural(rows.len() as i64, "item"),
    };
    let mut text = format!(
        " {what} · {} · {}",
        format::size(t.bytes),
        format::plural(t.files as i64, "file")
    );
    if t.missing > 0 {
        text.push_str(&format!(" · {} missing on disk", format::count(t.missing)));
    }
    Line::from(Span::styled(text, theme.muted()))
}

fn matches_text(total: usize, shown: usize) -> String {
    match total {
        0 => "no match".into(),
        1 => "1 match".into(),
        n if n > shown => format!(
            "{} matches (first {} shown)",
            format::count(n as u64),
            format::count(shown as u64)
        ),
        n => format!("{} matches", format::count(n as u64)),
    }
}

/// `-rw-r--r--` for a Unix mode.
fn mode_text(mode: u32) -> String {
    let kind = match mode & 0xF000 {
        0x4000 => 'd',
        0xA000 => 'l',
        0x8000 => '-',
        _ => '?',
    };
    let mut s = String::from(kind);
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    format!("{s} ({:04o})", mode & 0o7777)
}

fn field(theme: &Theme, name: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {}", fit::pad(name, 9)), theme.muted()),
        Span::raw(value),
    ])
}

fn details(frame: &mut Frame, app: &App, browser: &Browser, rect: Rect) {
    let theme = &app.options.theme;
    let block = pane(title("Details".into(), theme), false, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let (Some(index), Some(row)) = (browser.index(), browser.selected()) else {
        return;
    };
    let (tree, groups) = (&index.0.tree, &index.0.groups);
    let home = app.options.home.as_deref();
    let contents = |t: Totals| {
        let mut s = format!(
            "{}, {} ({} bytes)",
            format::plural(t.files as i64, "file"),
            format::size(t.bytes),
            format::count(t.bytes)
        );
        if t.missing > 0 {
            s.push_str(&format!(", {} missing on disk", format::count(t.missing)));
        }
        s
    };
    let when = |t: Option<i64>| {
        t.and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
            .map_or_else(
                || "unknown".into(),
                |t| local_time::stamp(t, &app.options.tz),
            )
    };
    let mut lines = Vec::new();
    match row {
        Row::Group(g) => {
            let Some(group) = groups.groups().get(g) else {
                return;
            };
            lines.push(field(theme, "Group", group.kind.label().to_string()));
            let held = match group.kind {
                GroupKind::Apps => format::plural(group.apps.len() as i64, "app"),
                _ => group
                    .members
                    .iter()
                    .map(|&m| tree.node(m).full_path().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            lines.push(field(theme, "Holds", held));
            lines.push(field(theme, "Contents", contents(group.totals)));
            lines.push(field(theme, "Newest", when(group.totals.newest)));
        }
        Row::App(g, a) => {
            let Some(app_row) = groups.groups().get(g).and_then(|g| g.apps.get(a)) else {
                return;
            };
            lines.push(field(theme, "App", app_row.name.clone()));
            lines.push(field(theme, "Bundle", app_row.bundle.clone()));
            let domains: Vec<String> = app_row
                .domains
                .iter()
                .map(|&d| tree.node(d).domain().to_string())
                .collect();
            lines.push(field(theme, "Domains", domains.join(", ")));
            lines.push(field(theme, "Contents", contents(app_row.totals)));
            lines.push(field(theme, "Newest", when(app_row.totals.newest)));
        }
        Row::Node(id) => {
            let n = tree.node(id);
            lines.push(field(theme, "Domain", n.domain().to_string()));
            if n.kind() != NodeKind::Domain {
                lines.push(field(theme, "Path", n.path().to_string()));
            }
            let file = n.kind() == NodeKind::File;
            if file {
                lines.push(field(
                    theme,
                    "Size",
                    format!(
                        "{} ({} bytes)",
                        format::size(n.size()),
                        format::count(n.size())
                    ),
                ));
                lines.push(field(theme, "Modified", when(n.mtime())));
                if n.birth().is_some() {
                    lines.push(field(theme, "Created", when(n.birth())));
                }
            } else {
                let t = if browser.search.is_some() {
                    Totals::of_node(tree, id)
                } else {
                    groups.totals(tree, id)
                };
                lines.push(field(theme, "Contents", contents(t)));
                lines.push(field(theme, "Newest", when(t.newest)));
            }
            let file_id = n.file_id();
            if let (true, Some(fid)) = (file, file_id) {
                let path = content_path(&index.0.dir, index.0.format, &fid);
                let (text, style) = match n.presence() {
                    Presence::Present => ("present", theme.good()),
                    Presence::Missing => ("MISSING (listed, no contents)", theme.bad()),
                    Presence::Unknown => ("not looked at", theme.muted()),
                };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {}", fit::pad("On disk", 9)), theme.muted()),
                    Span::styled(text, style),
                    Span::raw(format!(" {}", format::path(&path, home))),
                ]));
            }
            if n.mode() != 0 {
                lines.push(field(theme, "Mode", mode_text(n.mode())));
            }
            if let Some(class) = n.protection_class() {
                let name = protection_class_name(class).map_or_else(
                    || format!("class {class}"),
                    |name| format!("{name} ({class})"),
                );
                lines.push(field(theme, "Class", name));
            }
            if let Some(fid) = file_id {
                lines.push(field(theme, "fileID", file_id_hex(&fid)));
            } else if !n.listed() {
                lines.push(field(
                    theme,
                    "Listed",
                    "no: implied by the paths below it".into(),
                ));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn preview(frame: &mut Frame, app: &App, browser: &Browser, rect: Rect) {
    let theme = &app.options.theme;
    let name = browser
        .index()
        .zip(browser.selected_file())
        .map(|(i, id)| i.0.tree.node(id).name().to_string());
    let head = match &name {
        Some(n) => format!("Preview: {n}"),
        None => "Preview".into(),
    };
    let block = pane(
        title(
            fit::truncate(&head, rect.width.saturating_sub(6) as usize),
            theme,
        ),
        false,
        theme,
    );
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let lines: Vec<Line> = match (&name, &browser.preview) {
        (None, _) => vec![Line::from(Span::styled(
            " Select a file to preview it",
            theme.muted(),
        ))],
        (
            Some(_),
            Some(PreviewState {
                preview: Some(p), ..
            }),
        ) => {
            let style = match p.kind {
                crate::library::browse::PreviewKind::Unavailable => theme.warn(),
                _ => theme.muted(),
            };
            let mut out = vec![Line::from(Span::styled(format!(" {}", p.summary), style))];
            let room = inner.width.saturating_sub(1) as usize;
            out.extend(
                p.lines
                    .iter()
                    .take(inner.height.saturating_sub(1) as usize)
                    .map(|l| Line::raw(format!(" {}", fit::truncate(l, room)))),
            );
            out
        }
        (Some(_), _) => vec![Line::from(Span::styled(" Reading…", theme.muted()))],
    };
    frame.render_widget(Paragraph::new(lines), inner);
}
