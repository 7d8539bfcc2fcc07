//! The roots report: every place backtop looked for backups, where the place came from (and
//! whose home it is), which app writes there, what looking gave (a backup count; for a drive
//! that is not connected, when it was last seen and what it held) and, for a place that could
//! not be read, the fix on its own line; then the folders inside roots that could not be read,
//! with the reason. The dashboard's text counterpart of `backtop roots`.
//!
//! Drawn as an overlay (roots key), or as the whole main area when the library holds no
//! backups, so an empty result always says what was looked at and why nothing was found.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::{centered, pane, title};
use crate::library::{RootReport, RootStatus};
use crate::ui::app::App;
use crate::ui::layout;
use crate::ui::theme::Theme;
use crate::ui::{fit, format, local_time};

/// Width of the status column; the lines below a root are indented by it.
const STATUS_W: usize = 14;

/// Where the report goes in `full` (the terminal): centred over the panes as an `overlay`
/// (opened with the key), else (an empty library) the area between header and footer.
pub(crate) fn area_in(full: Rect, overlay: bool) -> Rect {
    if overlay {
        centered(
            full,
            100.min(full.width.saturating_sub(4)),
            full.height.saturating_sub(2),
        )
    } else {
        let top = layout::header_height(full.height).min(full.height);
        Rect::new(
            full.x,
            full.y + top,
            full.width,
            full.height.saturating_sub(top + 1),
        )
    }
}

/// The report's text area (inside the borders) for the app's terminal size.
pub(crate) fn inner(app: &App) -> Rect {
    inner_in(app.size, app.roots_overlay())
}

/// The text area (inside the borders) of [`area_in`] a terminal of `size` (columns, rows).
pub(super) fn inner_in(size: (u16, u16), overlay: bool) -> Rect {
    let area = area_in(Rect::new(0, 0, size.0, size.1), overlay);
    Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    )
}

/// The report's lines, wrapped to `width` columns.
pub(crate) fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let theme = &app.options.theme;
    let reports = &app.library.roots;
    let mut out = Vec::new();
    let places = format::plural(reports.len() as i64, "place");
    let intro = match (app.roots_in_main(), reports.is_empty()) {
        (_, true) => {
            "backtop had no place to look for backups: give --root DIR or --home DIR.".to_string()
        }
        (true, false) => format!("No backups found. backtop looked in {places}:"),
        (false, false) => format!("backtop looked for backups in {places}:"),
    };
    push_wrapped(&mut out, &intro, width, 0, theme.heading());
    for report in reports {
        out.push(Line::raw(""));
        root_lines(&mut out, app, report, width);
    }
    unreadable_lines(&mut out, app, width);
    out
}

/// The lines of one root: status and path; app, origin, owner and figures; the fix.
fn root_lines(out: &mut Vec<Line<'static>>, app: &App, report: &RootReport, width: usize) {
    let theme = &app.options.theme;
    let root = &report.root;
    let (word, style) = status_word(&report.status, theme);
    let shown = printable(&format::path(&root.path, app.options.home.as_deref()));
    let path = fit::shorten_path(&shown, width.saturating_sub(STATUS_W));
    out.push(Line::from(vec![
        Span::styled(fit::pad(word, STATUS_W), style),
        Span::raw(path),
    ]));
    let mut about = format!("{}, {}", root.app, root.origin.as_str());
    if let Some(owner) = &root.owner {
        about.push_str(&format!(", user {owner}"));
    }
    if let Some(figures) = figures(app, &report.status) {
        about.push_str(&format!(": {figures}"));
    }
    push_wrapped(out, &about, width, STATUS_W, theme.muted());
    let fix = match &report.status {
        RootStatus::PermissionDenied { advice } | RootStatus::PrivacyBlocked { advice } => {
            Some(format!("fix: {advice}"))
        }
        RootStatus::Error { message } => Some(format!("error: {message}")),
        RootStatus::Missing if crate::library::access::needs_attention(report) => {
            Some("fix: nothing is at this path; check the path you gave".to_string())
        }
        _ => None,
    };
    if let Some(fix) = fix {
        push_wrapped(out, &fix, width, STATUS_W, theme.warn());
    }
}

/// The folders inside roots that could not be read, each with its reason.
fn unreadable_lines(out: &mut Vec<Line<'static>>, app: &App, width: usize) {
    let theme = &app.options.theme;
    if app.library.unreadable.is_empty() {
        return;
    }
    out.push(Line::raw(""));
    let n = app.library.unreadable.len() as i64;
    let head = format!("Folders that could not be read ({n}):");
    push_wrapped(out, &head, width, 0, theme.heading());
    for u in &app.library.unreadable {
        let shown = printable(&format::path(&u.path, app.options.home.as_deref()));
        out.push(Line::from(Span::styled(
            format!("  {}", fit::shorten_path(&shown, width.saturating_sub(2))),
            theme.bad(),
        )));
        push_wrapped(out, &u.reason, width, STATUS_W, theme.muted());
    }
}

/// Appends `text` wrapped to `width`, every line indented by `indent` spaces.
pub(super) fn push_wrapped(
    out: &mut Vec<Line<'static>>,
    text: &str,
    width: usize,
    indent: usize,
    style: Style,
) {
    let pad = " ".repeat(indent);
    for line in fit::wrap(&printable(text), width.saturating_sub(indent)) {
        out.push(Line::from(Span::styled(format!("{pad}{line}"), style)));
    }
}

/// `text` with control characters (a newline in a folder name) shown as `�` before it is
/// wrapped (the frame is sanitized again as a whole).
fn printable(text: &str) -> String {
    crate::sanitize::for_display(text).into_owned()
}

/// The status column's word and its style.
fn status_word(status: &RootStatus, theme: &Theme) -> (&'static str, Style) {
    match status {
        RootStatus::Ok { .. } => ("ok", theme.good()),
        RootStatus::Missing => ("missing", theme.muted()),
        RootStatus::NotAFolder => ("not a folder", theme.bad()),
        RootStatus::PermissionDenied { .. } => ("denied", theme.bad()),
        RootStatus::PrivacyBlocked { .. } => ("blocked", theme.bad()),
        RootStatus::DriveNotConnected { .. } => ("not connected", theme.warn()),
        RootStatus::Error { .. } => ("error", theme.bad()),
    }
}

/// The figures of a status that has some: a backup count, or a drive's last sighting.
fn figures(app: &App, status: &RootStatus) -> Option<String> {
    match status {
        RootStatus::Ok { backups } => Some(format::plural(*backups as i64, "backup")),
        RootStatus::DriveNotConnected {
            last_seen,
            backups,
            bytes,
        } => {
            let mut held = format::plural(*backups as i64, "backup");
            if let Some(bytes) = bytes {
                held.push_str(&format!(", {}", format::size(*bytes)));
            }
            let when = local_time::date(*last_seen, &app.options.tz);
            let ago = format::age(*last_seen, app.now);
            Some(format!("last seen {when} ({ago}) with {held}"))
        }
        _ => None,
    }
}

/// Draws the report in its area (see [`area_in`]), as an `overlay` or not, from line `scroll`.
pub(super) fn render(frame: &mut Frame, app: &App, overlay: bool, scroll: usize) {
    let theme = &app.options.theme;
    let area = area_in(frame.area(), overlay);
    let body = lines(app, area.width.saturating_sub(2) as usize);
    let focused = overlay || app.modal().is_none();
    let head = "Roots: where backtop looked";
    render_scrolled(frame, area, (head, focused), body, scroll, theme);
}

/// Draws `body` in a bordered pane titled `head` (with the lines shown, `3-20/44`, when it does
/// not fit) over whatever is at `area`, scrolled to `scroll` (clamped).
pub(super) fn render_scrolled(
    frame: &mut Frame,
    area: Rect,
    (head, focused): (&str, bool),
    body: Vec<Line<'static>>,
    scroll: usize,
    theme: &Theme,
) {
    let inner_h = area.height.saturating_sub(2) as usize;
    let scroll = scroll.min(body.len().saturating_sub(inner_h));
    let mut head = head.to_string();
    if body.len() > inner_h {
        head.push_str(&format!(
            "  {}-{}/{}",
            scroll + 1,
            (scroll + inner_h).min(body.len()),
            body.len()
        ));
    }
    let block = pane(title(head, theme), focused, theme);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(body).block(block).scroll((scroll as u16, 0)),
        area,
    );
}
