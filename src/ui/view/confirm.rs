//! The confirmation dialog for delete and prune: what will go, what it frees, and reasons to
//! think twice. The answer keys come from the keymap's confirm rows.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::{centered, pane, title};
use crate::ui::app::{App, Confirm};
use crate::ui::keymap::{self, Scope};
use crate::ui::{format, theme::Theme};

const LISTED: usize = 6;

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let Some(confirm) = &app.confirm else {
        return;
    };
    let theme = &app.options.theme;
    let (head, mut lines) = match confirm {
        Confirm::Delete {
            paths,
            freed,
            warnings,
        } => delete_lines(app, paths, *freed, warnings, theme),
        Confirm::Prune => (
            "Prune".to_string(),
            vec![
                Line::raw("Delete old versions by the prune policy,"),
                Line::raw("never a device's newest complete backup?"),
            ],
        ),
    };
    lines.push(Line::raw(""));
    let answers: Vec<Span> = keymap::rows_for(&[Scope::Confirm])
        .into_iter()
        .flat_map(|r| {
            [
                Span::styled(keymap::keys_label(r), theme.key()),
                Span::raw(format!(" {}   ", r.hint)),
            ]
        })
        .collect();
    lines.push(Line::from(answers));
    let width = 64.min(area.width.saturating_sub(4));
    let rect = centered(area, width, lines.len() as u16 + 2);
    let block = pane(title(head, theme), true, theme);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

fn delete_lines(
    app: &App,
    paths: &[std::path::PathBuf],
    freed: Option<u64>,
    warnings: &[String],
    theme: &Theme,
) -> (String, Vec<Line<'static>>) {
    let head = format!("Delete {}?", format::plural(paths.len() as i64, "version"));
    let home = app.options.home.as_deref();
    let mut lines: Vec<Line> = paths
        .iter()
        .take(LISTED)
        .map(|p| {
            Line::raw(format!(
                "  {}",
                format::shorten_path(&format::path(p, home), 58)
            ))
        })
        .collect();
    if paths.len() > LISTED {
        lines.push(Line::raw(format!("  and {} more", paths.len() - LISTED)));
    }
    lines.push(Line::from(match freed {
        Some(b) => Span::styled(
            format!("Frees {} (once the Trash is emptied).", format::size(b)),
            theme.good(),
        ),
        None => Span::styled("Not every version is sized yet.".to_string(), theme.muted()),
    }));
    lines.extend(
        warnings
            .iter()
            .map(|w| Line::from(Span::styled(format!("Warning: {w}"), theme.warn()))),
    );
    (head, lines)
}
