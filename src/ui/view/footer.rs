//! The footer: the keys that work now, generated from the keymap (so shown keys are the keys
//! that work), or a status line. When the hints do not fit, as many as fit are shown followed
//! by `more [?]`, `?` being asked of the keymap. Plain cursor movement is left to the help.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tasks::JobKind;
use crate::ui::app::{App, TaskState};
use crate::ui::keymap::{self, Action, Scope};
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
    let items: Vec<(String, &str)> = rows
        .iter()
        .map(|r| {
            (
                r.keys.first().map(|k| k.label()).unwrap_or_default(),
                r.hint,
            )
        })
        .collect();
    let more =
        keymap::key_for(Action::Help, Scope::Global).map(|k| format!("more [{}]", k.label()));
    let width = area.width as usize;
    let len = |(k, h): &(String, &str)| fit::width(k) + fit::width(h) + 3;
    let total: usize = items.iter().map(len).sum::<usize>() + 1;
    let room = if total <= width || modal.is_some() {
        width
    } else {
        width.saturating_sub(more.as_ref().map_or(0, |m| fit::width(m) + 1))
    };
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    let mut cut = false;
    for item in &items {
        if used + len(item) > room {
            cut = true;
            break;
        }
        used += len(item);
        spans.push(Span::styled(item.0.clone(), theme.key()));
        spans.push(Span::raw(format!(" {}  ", item.1)));
    }
    if let (true, Some(m), None) = (cut, more, modal) {
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
        | JobKind::Unlock => {
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
