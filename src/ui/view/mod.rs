//! Drawing: pure functions of `&App` onto a ratatui [`Frame`]. One file per pane or dialog;
//! [`draw`] lays out the panes (see [`crate::ui::layout`]), then the view stack bottom to top,
//! and is what tests and screenshots call.

pub(crate) mod alerts;
mod breakdown;
mod browser;
mod confirm;
mod devices;
pub(crate) mod diff;
mod disk;
mod export;
mod footer;
mod header;
pub(crate) mod help;
mod legend;
mod loss;
mod more;
mod progress;
mod prune;
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
mod relocate;
mod report;
pub(crate) mod roots;
mod sparkline;
mod too_small;
mod unlock;
mod versions;

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

use super::app::{App, View};
use super::layout;
use super::theme::Theme;

/// Draws the whole dashboard for `app` into `frame`.
pub fn draw(frame: &mut Frame, app: &App) {
    let _cuts = super::fit::AsciiCuts::set(app.options.theme.ascii);
    draw_panes(frame, app);
    crate::sanitize::buffer(frame.buffer_mut());
}

/// Every pane and overlay of the frame (strings from disk included, sanitized by [`draw`]).
fn draw_panes(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if layout::too_small(area) {
        too_small::render(frame, area, &app.options.theme);
        return;
    }
    let panes = layout::panes(area, app.visible_devices().len(), app.results.volumes.len());
    header::render(frame, panes.header, app);
    if app.roots_in_main() && !app.roots_overlay() {
        roots::render(frame, app, false, app.main_roots_scroll);
    } else {
        devices::render(frame, panes.devices, app);
        versions::render(frame, panes.versions, app);
        breakdown::render(frame, panes.breakdown, app);
        disk::render(frame, panes.disk, app);
    }
    footer::render(frame, panes.footer, app);
    for view in app.views.iter() {
        match view {
            View::Browser(b) => browser::render(frame, app, b),
            View::Export(d) => export::render(frame, area, app, view, d),
            View::Roots { scroll } => roots::render(frame, app, true, *scroll),
            View::Alerts { scroll } => alerts::render(frame, app, *scroll),
            View::Diff(view) => diff::render(frame, app, view),
            View::Help { scroll } => help::render(frame, area, app, *scroll),
            // The filter input is the devices pane's title.
            View::Filter => {}
            View::Report(report) => report::render(frame, area, app, view, report),
            View::Confirm(confirm) => confirm::render(frame, area, app, view, confirm),
            View::Unlock(prompt) => unlock::render(frame, area, app, view, prompt),
            #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
            View::Move(d) => relocate::render(frame, area, app, view, d),
        }
    }
}

/// A bordered pane with a bold title; the focused one is highlighted.
fn pane<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .border_style(theme.pane_border(focused))
        .title(title)
}

/// ` Title ` in the title style.
fn title<'a>(text: String, theme: &Theme) -> Line<'a> {
    let text = crate::sanitize::for_display(&text);
    Line::from(Span::styled(format!(" {text} "), theme.title()))
}

/// A rectangle of `width`×`height` centred in `area` (clamped to it).
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
