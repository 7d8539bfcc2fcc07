//! The header: library totals on the first line; the roots in use (abbreviated) and the scan
//! progress below (on one shared line when the terminal is short, while a scan runs).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::progress;
use crate::library::RootStatus;
use crate::ui::app::{figures, App};
use crate::ui::keymap::{self, Action, Scope};
use crate::ui::{fit, format};

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.options.theme;
    let mut rows = area.rows();
    if let Some(r) = rows.next() {
        frame.render_widget(Paragraph::new(totals(app, r.width >= 80)), r);
    }
    let second = rows.next();
    let third = rows.next();
    match (second, third) {
        (Some(a), Some(b)) => {
            frame.render_widget(Paragraph::new(roots(app, a.width)), a);
            progress::render(frame, b, app, theme);
        }
        (Some(a), None) if app.scan.running => progress::render(frame, a, app, theme),
        (Some(a), None) => frame.render_widget(Paragraph::new(roots(app, a.width)), a),
        _ => {}
    }
}

fn totals(app: &App, roomy: bool) -> Line<'static> {
    let theme = &app.options.theme;
    let devices = app.library.devices.len();
    let versions = app.library.versions().count();
    let name = if roomy { " backtop " } else { "" };
    let mut spans = vec![
        Span::styled(name, theme.title()),
        Span::raw(format!(
            " {}  {}",
            format::plural(devices as i64, "device"),
            format::plural(versions as i64, "version")
        )),
    ];
    if versions == 0 {
        // Nothing to size: the roots report says why.
    } else if app.results.sized.is_empty() {
        spans.push(Span::styled("  sizing...", theme.muted()));
    } else {
        let (bytes, reclaimable) = figures::library_totals(app);
        spans.push(Span::raw(format!("  {}", format::size(bytes))));
        spans.push(Span::raw("  reclaimable "));
        spans.push(Span::styled(format::size(reclaimable), theme.good()));
    }
    if !app.library.damaged.is_empty() {
        let n = app.library.damaged.len() as i64;
        spans.push(Span::styled(format!("  {} unidentified", n), theme.bad()));
    }
    if app.options.read_only {
        spans.push(Span::styled("  [read-only]", theme.warn()));
    }
    Line::from(spans)
}

fn roots(app: &App, width: u16) -> Line<'static> {
    let theme = &app.options.theme;
    let home = app.options.home.as_deref();
    let ok: Vec<String> = app
        .library
        .roots
        .iter()
        .filter(|r| matches!(r.status, RootStatus::Ok { .. }))
        .map(|r| format::path(&r.root.path, home))
        .collect();
    let problems = app.library.roots.len() - ok.len();
    let mut spans = vec![Span::styled(" roots: ", theme.muted())];
    let suffix = roots_suffix(app, problems);
    let room = (width as usize).saturating_sub(8 + fit::width(&suffix));
    let each = (room / ok.len().max(1)).saturating_sub(2);
    if ok.is_empty() {
        spans.push(Span::raw("none readable"));
    } else if each >= 20 || ok.len() == 1 {
        let shown: Vec<String> = ok.iter().map(|p| fit::shorten_path(p, each)).collect();
        spans.push(Span::raw(fit::truncate(&shown.join("  "), room)));
    } else {
        let more = format!("  +{} more", ok.len() - 1);
        spans.push(Span::raw(fit::shorten_path(
            &ok[0],
            room.saturating_sub(fit::width(&more)),
        )));
        spans.push(Span::styled(more, theme.muted()));
    }
    if problems > 0 {
        spans.push(Span::styled(suffix, theme.warn()));
    }
    Line::from(spans)
}

/// After the roots: how many need attention and the key that shows why, or else how many
/// could not be read (places that may simply not exist, such as another app's default).
fn roots_suffix(app: &App, problems: usize) -> String {
    let attention = app.roots_needing_attention();
    if attention > 0 {
        let key = keymap::key_for(Action::Roots, Scope::Global)
            .map_or(String::new(), |k| format!(" ({})", k.label()));
        let (noun, verb) = if attention == 1 {
            ("root", "needs")
        } else {
            ("roots", "need")
        };
        format!("  {attention} {noun} {verb} attention{key}")
    } else if problems > 0 {
        format!("  ({problems} not readable)")
    } else {
        String::new()
    }
}
