//! The alerts list (`!`): every alert of [`App::alerts`] (the answer `backtop check` gives),
//! worst first, each as a line `SEVERITY  kind  device` and what to do below it, wrapped.
//! An overlay over the panes, scrolled like the roots report.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::roots::{area_in, inner_in, push_wrapped, render_scrolled};
use crate::library::alerts::{Alert, Severity};
use crate::ui::app::App;
use crate::ui::format;

/// The list's text area (inside the borders) for the app's terminal size.
pub(crate) fn inner(app: &App) -> Rect {
    inner_in(app.size, true)
}

/// The list's lines, wrapped to `width` columns.
pub(crate) fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let theme = &app.options.theme;
    let alerts = app.alerts();
    let mut out = Vec::new();
    let intro = if alerts.is_empty() {
        "No alerts: every device has a recent complete, encrypted backup and every root is \
         here."
            .to_string()
    } else {
        format!(
            "{}, worst first (`backtop check` says the same, for cron and monitoring):",
            format::plural(alerts.len() as i64, "alert")
        )
    };
    push_wrapped(&mut out, &intro, width, 0, theme.heading());
    for alert in &alerts {
        out.push(Line::raw(""));
        out.push(head_line(app, alert));
        push_wrapped(
            &mut out,
            &alert.message,
            width,
            2,
            ratatui::style::Style::default(),
        );
    }
    out
}

/// `CRITICAL  stale  Anna's iPhone`.
fn head_line(app: &App, alert: &Alert) -> Line<'static> {
    let theme = &app.options.theme;
    let style = match alert.severity {
        Severity::Critical => theme.bad(),
        Severity::Warning => theme.warn(),
    };
    let mut spans = vec![
        Span::styled(alert.severity.as_str().to_uppercase(), style),
        Span::raw("  "),
        Span::styled(alert.kind.as_str(), theme.heading()),
    ];
    if let Some(device) = &alert.device {
        spans.push(Span::raw(format!(
            "  {}",
            crate::sanitize::for_display(device)
        )));
    }
    Line::from(spans)
}

/// Draws the list over the panes, scrolled to `scroll`.
pub(super) fn render(frame: &mut Frame, app: &App, scroll: usize) {
    let area = area_in(frame.area(), true);
    let body = lines(app, area.width.saturating_sub(2) as usize);
    let theme = &app.options.theme;
    render_scrolled(frame, area, ("Alerts", true), body, scroll, theme);
}
