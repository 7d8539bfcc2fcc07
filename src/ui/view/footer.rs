//! The footer: the keys that work now, generated from the keymap (so shown keys are the keys
//! that work), or a status line. When the hints do not fit, the help and quit keys (`? help`,
//! `q quit`) are kept at the end and as many of the others as fit come first; where there is
//! no help key among them (a dialog's own keys) the cut line ends with `more [?]`, `?` being
//! asked of the keymap. Plain cursor movement is left to the help.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tasks::JobKind;
use crate::ui::app::{App, TaskState};
use crate::ui::keymap::{self, Action, Binding, Scope};
use crate::ui::{fit, format};

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.options.theme;
    if let Some(status) = &app.status {
        let line = Line::from(Span::styled(format!(" {status}"), theme.warn()));
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    if let (Some(task @ TaskState { hidden: false, .. }), None) = (&app.task, app.modal()) {
        frame.render_widget(Paragraph::new(task_line(task, app)), area);
        return;
    }
    let modal = app.modal();
    let rows = app.hints();
    let hint = |r: &&Binding| {
        (
            r.keys.first().map(|k| k.label()).unwrap_or_default(),
            r.hint,
        )
    };
    let items: Vec<(String, &str)> = rows.iter().map(hint).collect();
    let width = area.width as usize;
    let len = |(k, h): &(String, &str)| fit::width(k) + fit::width(h) + 3;
    let total: usize = items.iter().map(len).sum::<usize>() + 1;
    let mut spans = vec![Span::raw(" ")];
    let push = |spans: &mut Vec<Span<'static>>, (k, h): &(String, &str)| {
        spans.push(Span::styled(k.clone(), theme.key()));
        spans.push(Span::raw(format!(" {h}  ")));
    };
    if total <= width || modal.is_some() {
        let mut used = 1;
        for item in items.iter().take_while(|i| {
            used += len(i);
            used <= width
        }) {
            push(&mut spans, item);
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    // Cut: the keys that lead to the rest (help) and out (quit) stay, at the end.
    let pinned = |r: &&&Binding| matches!(r.action, Action::Help | Action::Quit);
    let kept: Vec<(String, &str)> = rows.iter().filter(pinned).map(hint).collect();
    let more = if rows.iter().any(|r| r.action == Action::Help) {
        None
    } else {
        keymap::key_for(Action::Help, Scope::Global).map(|k| format!("more [{}]", k.label()))
    };
    let reserved = kept.iter().map(len).sum::<usize>() + more.as_ref().map_or(0, |m| fit::width(m));
    let room = width.saturating_sub(reserved);
    let mut used = 1;
    for item in rows.iter().filter(|r| !pinned(r)).map(hint) {
        if used + len(&item) > room {
            break;
        }
        used += len(&item);
        push(&mut spans, &item);
    }
    for item in &kept {
        push(&mut spans, item);
    }
    if let Some(m) = more {
        spans.push(Span::styled(m, theme.key()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The running delete or verify: which version, how far, what it freed, and the cancel key.
fn task_line(task: &TaskState, app: &App) -> Line<'static> {
    let theme = &app.options.theme;
    let n = format!("{}/{}", (task.done + 1).min(task.total), task.total);
    let what = match task.kind {
        JobKind::Delete { permanent: true } => format!(
            "removing {n}: {} files, freed {}",
            format::count(task.files),
            format::size(task.freed_so_far())
        ),
        JobKind::Delete { permanent: false } => format!("moving {n} to the Trash"),
        JobKind::Scan
        | JobKind::Check
        | JobKind::Browse
        | JobKind::Preview
        | JobKind::Export
        | JobKind::Diff
        | JobKind::Unlock
        | JobKind::MovePlan
        | JobKind::Move
        | JobKind::Loss => {
            format!("{} {n}", task.kind.label())
        }
        JobKind::Verify => format!(
            "verifying {n}: {}/{} rows",
            format::count(task.rows.0),
            format::count(task.rows.1)
        ),
    };
    let (action, says) = if task.unstoppable() {
        (Action::HideTask, " hides this, the delete goes on")
    } else {
        (Action::CancelTask, " cancel")
    };
    let key = keymap::key_for(action, task.scope()).map(|k| k.label());
    let mut spans = vec![Span::styled(format!(" {what}  "), theme.warn())];
    match (task.cancelling, key) {
        (true, _) => spans.push(Span::styled("cancelling…", theme.muted())),
        (false, Some(k)) => {
            spans.push(Span::styled(k, theme.key()));
            spans.push(Span::raw(says));
        }
        (false, None) => {}
    }
    Line::from(spans)
}
