//! The delete confirmation: every version that will go with its size, what the set frees
//! (computed for the set: hard links shared inside it count), trash or permanent, and for
//! each target what the delete guards said (refused, needs the device name typed, warned).
//! Also the frame every dialog shares, with its answer keys read from the keymap.

use std::path::PathBuf;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::{centered, pane, title};
use crate::actions::delete::TRASH_NOTE;
use crate::tasks::Verdict;
use crate::ui::app::{figures, App, Confirm, DeleteDialog, View};
use crate::ui::keymap::{self, Action, Scope};
use crate::ui::{fit, format, theme::Theme};

/// Versions listed before "and N more".
pub(super) const LISTED: usize = 6;
/// Widest a dialog gets.
pub(super) const WIDTH: u16 = 72;

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App, view: &View, confirm: &Confirm) {
    match confirm {
        Confirm::Delete(d) => {
            let n = format::plural(d.paths.len() as i64, "version");
            let head = match &d.device {
                Some(name) => format!("Delete every backup of {name} ({n})?"),
                None => format!("Delete {n}?"),
            };
            dialog(frame, area, app, view, head, delete_lines(app, d));
        }
        Confirm::Prune(p) => super::prune::render(frame, area, app, view, p),
    }
}

/// Draws a centred dialog titled `head` with `lines`, then the answer keys `view` offers
/// (from the keymap; while the guards have not answered, only the key that closes it).
pub(super) fn dialog(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    view: &View,
    head: String,
    mut lines: Vec<Line<'static>>,
) {
    let theme = &app.options.theme;
    lines.push(Line::raw(""));
    let mut answers = answer_spans(app, view, theme);
    if view.scopes() == [Scope::Checking] {
        answers.push(Span::raw("(waiting for the checks)"));
    }
    lines.push(Line::from(answers));
    let width = WIDTH.min(area.width.saturating_sub(4));
    let inner = width.saturating_sub(2).max(1) as usize;
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let rect = centered(area, width, rows as u16 + 2);
    let block = pane(title(head, theme), true, theme);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

/// The answer keys of `view` that can act now, from the keymap.
fn answer_spans(app: &App, view: &View, theme: &Theme) -> Vec<Span<'static>> {
    app.view_hints(view)
        .into_iter()
        .flat_map(|r| {
            [
                Span::styled(keymap::keys_label(r), theme.key()),
                Span::raw(format!(" {}   ", r.hint)),
            ]
        })
        .collect()
}

/// One line per version: where it is (its root by what it is, `iMazing · Backup Drive`, then
/// its folder inside the root) and its size.
pub(super) fn version_line(app: &App, path: &std::path::Path, style: Style) -> Line<'static> {
    let size = app.results.sized.get(path).map_or_else(
        || "not sized".to_string(),
        |u| format::size(u.size(app.measure)),
    );
    let room = (WIDTH as usize).saturating_sub(fit::width(&size) + 6);
    let shown = place(app, path, room);
    let pad = room.saturating_sub(fit::width(&shown));
    Line::from(vec![
        Span::styled(format!(" {shown}"), style),
        Span::raw(format!("{:pad$} {size}", "")),
    ])
}

/// A version's place in `cells` cells: `iMazing · Backup Drive: 00008120-…-20260508-150415`,
/// the folder inside its root cut in the middle; its whole path (cut) when no root holds it.
/// The details (`i`) give the full path.
pub(super) fn place(app: &App, path: &std::path::Path, cells: usize) -> String {
    let home = app.options.home.as_deref();
    let root = app
        .library
        .roots
        .iter()
        .map(|r| &r.root)
        .filter(|r| path.starts_with(&r.path) && path != r.path)
        .max_by_key(|r| r.path.components().count());
    let Some(root) = root else {
        return fit::shorten_path(&format::path(path, home), cells);
    };
    let label = format::root_label(root, home, app.options.theme.separator());
    let inside = path.strip_prefix(&root.path).unwrap_or(path);
    let inside = inside.display().to_string();
    let rest = cells.saturating_sub(fit::width(&label) + 2);
    if rest < 12 {
        return fit::shorten_path(&format::path(path, home), cells);
    }
    format!("{label}: {}", fit::shorten_path(&inside, rest))
}

fn delete_lines(app: &App, d: &DeleteDialog) -> Vec<Line<'static>> {
    let theme = &app.options.theme;
    let mut lines = vec![summary_line(d, theme)];
    let start = d.scroll.min(d.paths.len().saturating_sub(1));
    if start > 0 {
        lines.push(Line::from(Span::styled(
            format!(" ↑ {} above", start),
            theme.muted(),
        )));
    }
    for (i, path) in d.paths.iter().enumerate().skip(start).take(LISTED) {
        let verdict = d.checks.as_ref().and_then(|c| c.get(i)).map(|c| &c.verdict);
        let refused = matches!(verdict, Some(Verdict::Refused { .. }));
        let style = if refused {
            theme.muted()
        } else {
            Style::default()
        };
        lines.push(version_line(app, path, style));
        lines.extend(verdict_lines(verdict, theme));
    }
    let below = d.paths.len().saturating_sub(start + LISTED);
    if below > 0 {
        lines.push(Line::raw(format!(
            " ↓ {below} more ({} scroll)",
            scroll_keys()
        )));
    }
    let going: Vec<PathBuf> = match &d.checks {
        Some(_) => d.deletable(),
        None => d.paths.clone(),
    };
    lines.push(frees_line(app, &going, theme));
    lines.extend(super::loss::lines(&d.loss, theme));
    lines.push(mode_line(d.permanent, theme));
    if let Some(name) = d.required_name() {
        lines.push(Line::from(vec![
            Span::styled(format!(" Type {name} to confirm: "), theme.warn()),
            Span::styled(format!("{}_", d.typed), theme.key()),
        ]));
        if let Some(typed) = &d.rejected {
            let why = crate::ui::app::wrong_name(typed, &name);
            lines.push(Line::from(Span::styled(format!(" {why}"), theme.bad())));
        }
    }
    lines
}

/// The keys that scroll the dialog's list, from the keymap (`Down/Up`).
fn scroll_keys() -> String {
    let [down, up] = [Action::Down, Action::Up].map(|a| keymap::key_label(a, Scope::Confirm));
    format!("{down}/{up}")
}

/// "12 versions, 3 with warnings or refused" (warned targets are listed first).
fn summary_line(d: &DeleteDialog, theme: &Theme) -> Line<'static> {
    let all = format::plural(d.paths.len() as i64, "version");
    match (&d.checks, d.flagged()) {
        (None, _) => Line::from(Span::styled(format!(" {all}, checking…"), theme.muted())),
        (Some(_), 0) => Line::raw(format!(" {all}, no warnings")),
        (Some(_), n) => Line::from(Span::styled(
            format!(" {all}, {n} with warnings or refused (listed first)"),
            theme.warn(),
        )),
    }
}

fn verdict_lines(verdict: Option<&Verdict>, theme: &Theme) -> Vec<Line<'static>> {
    let warn = |text: String| Line::from(Span::styled(format!("   {text}"), theme.warn()));
    match verdict {
        None => vec![Line::from(Span::styled("   checking…", theme.muted()))],
        Some(Verdict::Allowed { warnings }) => warnings.iter().map(|w| warn(w.clone())).collect(),
        Some(Verdict::NeedsTyping { reason, .. }) => vec![warn(reason.clone())],
        Some(Verdict::NeedsConfirm { reason }) => {
            vec![warn(format!("{reason}; yes deletes it anyway"))]
        }
        Some(Verdict::Refused { reason }) => vec![Line::from(Span::styled(
            format!("   refused: {reason}"),
            theme.bad(),
        ))],
    }
}

/// "Frees X" for the set, or why it is not known.
pub(super) fn frees_line(app: &App, going: &[PathBuf], theme: &Theme) -> Line<'static> {
    let refs: Vec<&std::path::Path> = going.iter().map(PathBuf::as_path).collect();
    let text = match (going.is_empty(), figures::freed_by_paths(app, &refs)) {
        (true, _) => return Line::from(Span::styled(" Nothing here may be deleted.", theme.bad())),
        (false, None) => {
            return Line::from(Span::styled(
                " Not every version is sized yet.",
                theme.muted(),
            ))
        }
        (false, Some(b)) if going.len() == 1 => format!(" Frees {}.", format::size(b)),
        (false, Some(b)) => format!(" Together they free {}.", format::size(b)),
    };
    Line::from(Span::styled(text, theme.good()))
}

/// Trash or permanent, in words.
pub(super) fn mode_line(permanent: bool, theme: &Theme) -> Line<'static> {
    if permanent {
        Line::from(Span::styled(
            " Deletes PERMANENTLY: this cannot be undone.",
            theme.bad(),
        ))
    } else {
        Line::from(Span::raw(format!(" To the Trash: {TRASH_NOTE}.")))
    }
}
