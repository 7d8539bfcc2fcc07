//! The move dialog: what moves and where to; the plan a dry run prints, or why the move is
//! refused; the running move's stage, entries, bytes, rate and time left, with what a cancel
//! leaves; the question about the original once the copy is in use; what an unfinished move
//! left; the result.

use std::path::Path;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::confirm::dialog;
use crate::actions::relocate::places::is_device_folder;
use crate::actions::relocate::{Direction, MoveProgress, Stage};
use crate::tasks::relocate::Planned;
use crate::ui::app::{App, MoveDialog, MovePhase, View};
use crate::ui::{fit, format};

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App, view: &View, d: &MoveDialog) {
    let theme = &app.options.theme;
    let home = app.options.home.as_deref();
    // Inside the dialog's borders; a field's value has what its label leaves.
    let inner = (super::confirm::WIDTH.min(area.width.saturating_sub(4)) as usize)
        .saturating_sub(2)
        .max(8);
    let room = inner.saturating_sub(14);
    let field = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!(" {}", fit::pad(label, 12)), theme.muted()),
            Span::raw(fit::truncate(&value, room)),
        ])
    };
    let (words, place) = match (&d.device, d.whole_root) {
        (Some((name, _)), false) => (format!("{name}'s backups in"), &d.root),
        (None, _) if is_device_folder(&d.root) => ("one device's backups".to_string(), &d.root),
        _ => ("the whole root".to_string(), &d.root),
    };
    let shown = format::path(place, home);
    let what = format!(
        "{words} {}",
        fit::shorten_path(&shown, room.saturating_sub(fit::width(&words) + 1).max(8))
    );
    // Wrapped here, so that the dialog's height (counted per line) holds every line and the
    // answer keys below them.
    let para = |text: &str, style: Style| -> Vec<Line<'static>> {
        let indent = text.len() - text.trim_start().len();
        let lead = " ".repeat(indent + 1);
        fit::wrap(text.trim_start(), inner.saturating_sub(lead.len()).max(4))
            .into_iter()
            .map(|l| Line::from(Span::styled(format!("{lead}{l}"), style)))
            .collect()
    };
    let plain = Style::default();
    let mut lines = Vec::new();
    let head = match &d.phase {
        MovePhase::Asking | MovePhase::Planning | MovePhase::Planned(_) => {
            lines.push(field("Moves", what));
            // A move back has no DEST to type: it goes where the backups were.
            let back = match &d.phase {
                MovePhase::Planned(Planned::Plan { plan, .. })
                    if plan.direction == Direction::Back =>
                {
                    Some(&plan.root)
                }
                _ => None,
            };
            let mut dest = vec![
                Span::styled(format!(" {}", fit::pad("To", 12)), theme.muted()),
                Span::raw(match (&d.editing, back, d.dest.is_empty()) {
                    (Some(_), _, _) => fit::shorten_path(&d.dest, room),
                    (None, Some(original), true) => {
                        let words = "move back to ";
                        let room = room.saturating_sub(words.len()).max(8);
                        let original = fit::shorten_path(&format::path(original, home), room);
                        format!("{words}{original}")
                    }
                    (None, None, true) => "(type the folder: d)".to_string(),
                    (None, _, false) => {
                        fit::shorten_path(&format::path(Path::new(&d.dest), home), room)
                    }
                }),
            ];
            if d.editing.is_some() {
                dest.push(Span::styled(
                    if theme.ascii { "_" } else { "▏" },
                    theme.key(),
                ));
            }
            lines.push(Line::from(dest));
            lines.push(Line::raw(""));
            match &d.phase {
                MovePhase::Planning => lines.extend(para("planning…", theme.muted())),
                MovePhase::Planned(Planned::Plan { text, .. }) => {
                    for l in text.lines() {
                        lines.extend(para(l, plain));
                    }
                }
                MovePhase::Planned(Planned::Refused(why)) => {
                    lines.extend(para(&format!("refused: {why}"), theme.bad()));
                    lines.extend(para("nothing was moved", plain));
                }
                _ => lines.extend(para(
                    "The folder it goes to, usually on another drive: it must be empty or new. \
                     The plan is shown before anything is copied.",
                    theme.muted(),
                )),
            }
            match back {
                Some(_) => "Move backups back".to_string(),
                None => "Move backups".to_string(),
            }
        }
        MovePhase::Running {
            progress,
            cancelling,
            rollback,
            ..
        } => {
            lines.push(field("Moves", what));
            match progress {
                Some((p, elapsed)) => {
                    for (text, warn) in progress_lines(p, *elapsed) {
                        lines.extend(para(&text, if warn { theme.warn() } else { plain }));
                    }
                }
                None => lines.extend(para("starting…", theme.muted())),
            }
            lines.push(Line::raw(""));
            let leaves = match progress.as_ref().map(|(p, _)| p.stage) {
                _ if *rollback => "Rolling back: the original's path is put back first.",
                Some(Stage::Removing) => {
                    "Removing the original cannot be stopped: the verified copy is in use."
                }
                Some(Stage::Switching) => {
                    "Esc stops it before the switch: the original stays in place, the copy \
                     waits (resume or roll back later)."
                }
                _ => {
                    "Esc stops it: the original stays in place and untouched; what was \
                     copied waits in DEST until you resume or roll back."
                }
            };
            lines.extend(para(leaves, theme.muted()));
            if *cancelling {
                lines.extend(para("stopping…", theme.warn()));
            }
            if *rollback { "Rolling back" } else { "Moving" }.to_string()
        }
        MovePhase::Switched { message, .. } => {
            lines.extend(para(message, theme.good()));
            lines.push(Line::raw(""));
            lines.extend(para(
                "Remove the original now? Permanently: moving it to the Trash would keep the \
                 space used.",
                plain,
            ));
            "Moved: the copy is verified and in use".to_string()
        }
        MovePhase::Interrupted { said, left } => {
            lines.push(field("Moves", what));
            lines.push(field(
                "To",
                fit::shorten_path(&format::path(&left.note.far, home), room),
            ));
            lines.push(Line::raw(""));
            if let Some(said) = said {
                lines.extend(para(said, theme.warn()));
            }
            lines.extend(para(&left.text, plain));
            "A move is unfinished".to_string()
        }
        MovePhase::Done { message, ok } => {
            let style = if *ok { theme.good() } else { theme.bad() };
            lines.extend(para(message, style));
            "Move".to_string()
        }
    };
    dialog(frame, area, app, view, head, lines);
}

/// The stage with entries and bytes (shown as a warning), then the rate and time left.
fn progress_lines(p: &MoveProgress, elapsed: std::time::Duration) -> Vec<(String, bool)> {
    let stage = match p.stage {
        Stage::Copying => "copying",
        Stage::Verifying => "verifying (reading the copy back)",
        Stage::Switching => "switching",
        Stage::Removing => "removing the original",
    };
    let secs = elapsed.as_secs_f64();
    let rate = p.done.bytes as f64 / secs.max(0.001);
    let mut line = format!(
        "{stage}: {} of {} entries, {} of {}",
        format::count(p.done.entries),
        format::count(p.total.entries),
        format::size(p.done.bytes),
        format::size(p.total.bytes)
    );
    if p.stage == Stage::Removing {
        line = format!(
            "{stage}: {} entries, {}",
            format::count(p.done.entries),
            format::size(p.done.bytes)
        );
    }
    let mut pace = Vec::new();
    if secs > 0.0 && p.done.bytes > 0 {
        pace.push(format!("{}/s", format::size(rate as u64)));
        if p.total.bytes > p.done.bytes && p.stage != Stage::Removing {
            let left = (p.total.bytes - p.done.bytes) as f64 / rate;
            pace.push(format!("about {} left", left_words(left)));
        }
    }
    let mut lines = vec![(line, true)];
    if !pace.is_empty() {
        lines.push((pace.join(", "), false));
    }
    lines
}

/// Seconds left, roughly: `40 s`, `3 min`, `2 h 5 min`.
fn left_words(secs: f64) -> String {
    let s = secs.ceil() as u64;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s.div_ceil(60)),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}
