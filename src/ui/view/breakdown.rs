//! The breakdown pane for the selected version: a summary line, then one bar per non-zero
//! category (largest first) with bytes and share, then the largest apps by name (from
//! `Info.plist`, else a readable form of the bundle id: [`app_names`]), and last what encryption
//! means for what is in it. Scrolls when focused.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{pane, title};
use crate::library::app_names;
use crate::library::category::Category;
use crate::library::usage::{Measure, VersionUsage};
use crate::ui::app::{App, Pane};
use crate::ui::theme::Theme;
use crate::ui::{fit, format, local_time};

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.options.theme;
    let focused = app.focus == Pane::Breakdown && app.modal().is_none();
    let version = app.version();
    let head = match version.and_then(|v| v.date) {
        Some(d) => format!("Breakdown {}", local_time::date(d, &app.options.tz)),
        None => "Breakdown".to_string(),
    };

    let block = pane(title(head, theme), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let Some(v) = version else {
        frame.render_widget(Span::styled("no version selected", theme.muted()), inner);
        return;
    };
    let Some(usage) = app.results.sized.get(&v.path) else {
        let text = match (
            app.results.failed.get(&v.path),
            app.scan.in_flight.get(&v.path),
        ) {
            (Some(err), _) => format!("could not size: {err}"),
            (None, Some((files, bytes))) => {
                format!("sizing: {files} files, {} so far", format::size(*bytes))
            }
            (None, None) => "not sized yet".to_string(),
        };
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(text, theme.muted()))),
            inner,
        );
        return;
    };
    let m = app.measure;
    let width = inner.width as usize;
    let cut = |text: String| fit::truncate(&text, width);
    let mut summary = vec![
        Line::from(vec![
            Span::styled(format::size(usage.size(m)), theme.title()),
            Span::raw(cut(format!(
                "{} in {} files",
                if m == Measure::Disk { " on disk" } else { "" },
                format::count(usage.files)
            ))),
        ]),
        Line::from(vec![
            Span::styled(format::size(usage.unique(m)), theme.good()),
            Span::raw(" unique to it"),
        ]),
    ];
    if m == Measure::Disk {
        // The walk attributes apparent bytes to categories and apps: say so above them.
        summary.push(Line::from(Span::styled(
            cut(format!(
                "{} apparent, as split below",
                format::size(usage.bytes)
            )),
            theme.muted(),
        )));
    }
    let [top, rest] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(summary.len() as u16),
        ratatui::layout::Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(summary), top);
    let mut body = lines(usage, rest.width as usize, theme);
    if !body.is_empty() {
        body.push(Line::raw(""));
    }
    body.extend(app.breakdown_hint().iter().map(|l| {
        Line::from(Span::styled(
            fit::truncate(l, rest.width as usize),
            theme.muted(),
        ))
    }));
    // The selected line, highlighted when focused, kept in view.
    let cursor = app.breakdown_scroll.min(body.len().saturating_sub(1));
    if let (true, Some(line)) = (focused, body.get_mut(cursor)) {
        *line = std::mem::take(line).patch_style(theme.selected());
    }
    let scroll = crate::ui::layout::scroll_offset(cursor, rest.height as usize) as u16;
    frame.render_widget(Paragraph::new(body).scroll((scroll, 0)), rest);
}

/// Category bars, then the apps.
fn lines(usage: &VersionUsage, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut cats: Vec<(Category, u64)> = usage
        .categories
        .iter()
        .filter(|(_, b)| **b > 0)
        .map(|(c, b)| (*c, *b))
        .collect();
    cats.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let label_w = 18.min(width.saturating_sub(15));
    let bar_w = width.saturating_sub(label_w + 16);
    let mut out: Vec<Line> = cats
        .iter()
        .map(|(cat, bytes)| {
            let r = format::ratio(*bytes, usage.bytes);
            let mut spans = vec![Span::raw(fit::pad(cat.label(), label_w))];
            if bar_w >= 4 {
                spans.push(Span::raw(" "));
                let n = filled(r, bar_w);
                spans.push(Span::styled(theme.glyph_backup().repeat(n), theme.bar()));
                spans.push(Span::raw(" ".repeat(bar_w - n)));
            }
            spans.push(Span::raw(fit::pad_left(&format::size(*bytes), 9)));
            spans.push(Span::styled(
                fit::pad_left(&format::percent(r), 5),
                theme.muted(),
            ));
            Line::from(spans)
        })
        .collect();
    if !usage.top_apps.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::from(Span::styled("Top apps", theme.heading())));
        let name_w = width.saturating_sub(10);
        for app in &usage.top_apps {
            let name = app
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| app_names::readable_bundle_id(&app.bundle_id));
            out.push(Line::from(vec![
                Span::raw(fit::pad(&name, name_w)),
                Span::raw(fit::pad_left(&format::size(app.bytes), 9)),
            ]));
        }
    }
    out
}

fn filled(ratio: f64, width: usize) -> usize {
    ((ratio.clamp(0.0, 1.0) * width as f64).round() as usize).min(width)
}
