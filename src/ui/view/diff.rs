//! The diff view (`=`): what changed from the version before to the selected one, from the
//! diff core's answer ([`DiffView`]): the totals, the categories largest change first, the
//! largest files with `+ - M` markers as `backtop diff` prints them, and the core's notes.
//! While the job runs it says so; a version that cannot be compared says why.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::Frame;

use super::roots::{area_in, inner_in, push_wrapped, render_scrolled};
use crate::library::diff::{Diff, Tally};
use crate::ui::app::diff::{DiffState, DiffView};
use crate::ui::app::App;
use crate::ui::{fit, format};

/// How many of the largest changed files are listed.
const TOP_FILES: usize = 10;

/// The view's text area (inside the borders) for the app's terminal size.
pub(crate) fn inner(app: &App) -> Rect {
    inner_in(app.size, true)
}

/// The view's lines, wrapped to `width` columns.
pub(crate) fn lines(app: &App, view: &DiffView, width: usize) -> Vec<Line<'static>> {
    let theme = &app.options.theme;
    let mut out = Vec::new();
    match &view.state {
        DiffState::Loading => push_wrapped(
            &mut out,
            "comparing the two manifests...",
            width,
            0,
            theme.muted(),
        ),
        DiffState::Failed(why) => {
            let text = format!("These two versions cannot be compared: {why}");
            push_wrapped(&mut out, &text, width, 0, theme.bad());
        }
        DiffState::Ready(diff) => ready_lines(&mut out, app, diff, width),
    }
    out
}

fn ready_lines(out: &mut Vec<Line<'static>>, app: &App, diff: &Diff, width: usize) {
    let theme = &app.options.theme;
    let plain = Style::default();
    let t = &diff.totals;
    if diff.is_empty() {
        let same = format!(
            "The two versions hold the same {} (same sizes and dates).",
            format::plural(t.unchanged_files as i64, "file")
        );
        push_wrapped(out, &same, width, 0, theme.good());
    } else {
        push_wrapped(out, &summary(t), width, 0, theme.heading());
        out.push(Line::raw(""));
        out.push(Line::styled(
            "By category (net, then files + - M)",
            theme.heading(),
        ));
        for (category, tally) in diff.by_category.iter().filter(|(_, t)| !t.is_empty()) {
            let row = format!(
                "  {} {:>10}  +{} -{} M{}",
                fit::pad(category.label(), 20),
                signed(tally.net_bytes()),
                tally.added_files,
                tally.removed_files,
                tally.changed_files
            );
            out.push(Line::raw(fit::truncate(&row, width)));
        }
        out.push(Line::raw(""));
        out.push(Line::styled("Largest changes", theme.heading()));
        for f in diff.files.iter().take(TOP_FILES) {
            let row = format!(
                "  {} {:>10}  {}/{}",
                f.change.marker(),
                format::size(f.bytes()),
                f.domain,
                f.path
            );
            out.push(Line::raw(fit::truncate(&row, width)));
        }
        if diff.files.len() > TOP_FILES {
            let more = format!(
                "  ... {} more (`backtop diff OLD NEW --files` lists them)",
                diff.files.len() - TOP_FILES
            );
            out.push(Line::styled(fit::truncate(&more, width), theme.muted()));
        }
    }
    for note in &diff.notes {
        out.push(Line::raw(""));
        push_wrapped(out, &format!("Note: {note}"), width, 0, plain);
    }
}

/// `17 added (3.4 GB), 6 removed (18.8 MB), 8 changed, 1,234 unchanged: net +3.5 GB`.
fn summary(t: &Tally) -> String {
    format!(
        "{} added ({}), {} removed ({}), {} changed, {} unchanged: net {}",
        format::count(t.added_files),
        format::size(t.added_bytes),
        format::count(t.removed_files),
        format::size(t.removed_bytes),
        format::count(t.changed_files),
        format::count(t.unchanged_files),
        signed(t.net_bytes())
    )
}

/// `+3.5 GB`, `-8.2 GB`, `0 B`.
fn signed(net: i128) -> String {
    let size = format::size(u64::try_from(net.unsigned_abs()).unwrap_or(u64::MAX));
    match net.signum() {
        1 => format!("+{size}"),
        -1 => format!("-{size}"),
        _ => size,
    }
}

/// Draws the view over the panes, scrolled to its line.
pub(super) fn render(frame: &mut Frame, app: &App, view: &DiffView) {
    let area = area_in(frame.area(), true);
    let body = lines(app, view, area.width.saturating_sub(2) as usize);
    let head = format!("Diff {}", view.title);
    let theme = &app.options.theme;
    render_scrolled(frame, area, (&head, true), body, view.scroll, theme);
}
