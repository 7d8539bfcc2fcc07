//! The header: library totals on the first line; the roots in use, labelled by what they are
//! (`Finder · anna`, `iMazing · Backup Drive`: their paths are in the roots report and each
//! version's detail line), and the scan progress below (on one shared line when the terminal is short, while a scan runs).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::progress;
use crate::library::alerts::Severity;
use crate::library::usage::Measure;
use crate::library::RootStatus;
use crate::ui::app::{figures, App};
use crate::ui::keymap::{self, Action, Scope};
use crate::ui::{fit, format};

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.options.theme;
    let mut rows = area.rows();
    if let Some(r) = rows.next() {
        // The name goes first when the figures need its room.
        let mut line = totals(app, r.width >= 80);
        if line.width() > r.width as usize {
            line = totals(app, false);
        }
        frame.render_widget(Paragraph::new(line), r);
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
    let alerts = alerts_span(app);
    spans.extend(alerts.clone());
    if versions == 0 {
        // Nothing to size: the roots report says why.
    } else if app.results.sized.is_empty() {
        spans.push(Span::styled("  sizing...", theme.muted()));
    } else {
        let (bytes, reclaimable) = figures::library_totals(app);
        let on_disk = match app.measure {
            Measure::Apparent => "",
            Measure::Disk => " on disk",
        };
        spans.push(Span::raw(format!("  {}{on_disk}", format::size(bytes))));
        spans.push(Span::raw("  reclaimable "));
        spans.push(Span::styled(format::size(reclaimable), theme.good()));
        if figures::provisional(app) {
            // Cached figures count hard-linked files once per version until rescanned.
            let why = if app.scan.running {
                "  provisional, rescanning"
            } else {
                "  provisional (cached)"
            };
            spans.push(Span::styled(why, theme.warn()));
        }
    }
    // An unidentified version is a `damaged` alert: the count above includes it.
    if !app.library.damaged.is_empty() && alerts.is_none() {
        let n = app.library.damaged.len() as i64;
        spans.push(Span::styled(format!("  {} unidentified", n), theme.bad()));
    }
    if app.options.read_only {
        spans.push(Span::styled("  [read-only]", theme.warn()));
    }
    Line::from(spans)
}

/// `  3 alerts (!)`, red when one is critical (`None` without alerts): the hook of the alerts
/// list (`crate::ui::view::alerts`).
fn alerts_span(app: &App) -> Option<Span<'static>> {
    let alerts = app.alerts();
    let worst = alerts.iter().map(|a| a.severity).max()?;
    let theme = &app.options.theme;
    let style = match worst {
        Severity::Critical => theme.bad(),
        Severity::Warning => theme.warn(),
    };
    let key = keymap::key_for(Action::Alerts, Scope::Global)
        .map_or(String::new(), |k| format!(" ({})", k.label()));
    let text = format!("  {}{key}", format::plural(alerts.len() as i64, "alert"));
    Some(Span::styled(text, style))
}

fn roots(app: &App, width: u16) -> Line<'static> {
    let theme = &app.options.theme;
    let home = app.options.home.as_deref();
    let ok: Vec<String> = app
        .library
        .roots
        .iter()
        .filter(|r| matches!(r.status, RootStatus::Ok { .. }))
        .map(|r| format::root_label(&r.root, home, theme.separator()))
        .collect();
    let problems = app.library.roots.len() - ok.len();
    let mut spans = vec![Span::styled(" roots: ", theme.muted())];
    let suffix = roots_suffix(app, problems);
    let room = (width as usize).saturating_sub(8 + fit::width(&suffix));
    if ok.is_empty() {
        spans.push(Span::raw("none readable"));
    }
    // As many labels as fit whole, then how many more.
    let mut shown = 0;
    let mut used = 0;
    for (i, label) in ok.iter().enumerate() {
        let more = ok.len() - i - 1;
        let tail = if more > 0 {
            fit::width(&format!("  +{more} more"))
        } else {
            0
        };
        let w = fit::width(label) + if i > 0 { 2 } else { 0 };
        if used + w + tail > room && i > 0 {
            break;
        }
        let text = if i > 0 {
            format!("  {label}")
        } else {
            label.clone()
        };
        spans.push(Span::raw(fit::truncate(
            &text,
            room.saturating_sub(used + tail),
        )));
        used += w;
        shown += 1;
    }
    if shown < ok.len() {
        spans.push(Span::styled(
            format!("  +{} more", ok.len() - shown),
            theme.muted(),
        ));
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
