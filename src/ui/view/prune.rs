//! The prune preview: the policy (keep the N newest complete versions of each device; `+`/`-`
//! change N), every version it removes with its size and why, and what the whole set frees.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::confirm::{dialog, frees_line, mode_line, version_line, LISTED};
use crate::ui::app::{App, PruneDialog, View};
use crate::ui::format;

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App, view: &View, p: &PruneDialog) {
    let theme = &app.options.theme;
    let mut lines = vec![Line::from(vec![
        Span::raw(" Keep the "),
        Span::styled(p.keep.to_string(), theme.key()),
        Span::raw(" newest complete versions of each device; never a live folder."),
    ])];
    if p.remove.is_empty() {
        lines.push(Line::from(Span::styled(
            " Nothing to remove with this policy.",
            theme.muted(),
        )));
    }
    for (path, why) in p.remove.iter().zip(&p.reasons).take(LISTED) {
        lines.push(version_line(app, path, Style::default()));
        lines.push(Line::from(Span::styled(format!("   {why}"), theme.muted())));
    }
    if p.remove.len() > LISTED {
        lines.push(Line::raw(format!(" and {} more", p.remove.len() - LISTED)));
    }
    if !p.remove.is_empty() {
        lines.push(frees_line(app, &p.remove, theme));
        lines.extend(super::loss::lines(&p.loss, theme));
        lines.push(mode_line(p.permanent, theme));
    }
    if p.snapshots > 0 {
        lines.push(Line::from(Span::styled(
            format!(
                " {}: iMazing's Versions.db may still list them; yes deletes them anyway.",
                format::plural(p.snapshots as i64, "iMazing snapshot")
            ),
            theme.warn(),
        )));
    }
    let head = format!(
        "Prune: {} to remove",
        format::plural(p.remove.len() as i64, "version")
    );
    dialog(frame, area, app, view, head, lines);
}
