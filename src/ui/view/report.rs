//! Result dialogs: verify results (ok, or each problem with its count and first examples) and
//! the copied path (no desktop here), which offers `!` for a shell in that folder.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::confirm::dialog;
use crate::actions::verify::VerifyReport;
use crate::ui::app::{App, Report, View};
use crate::ui::keymap::{self, Action, Scope};
use crate::ui::{fit, format, local_time, theme::Theme};

/// Examples shown per problem.
const EXAMPLES: usize = 2;

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App, view: &View, report: &Report) {
    let theme = &app.options.theme;
    let home = app.options.home.as_deref();
    match report {
        Report::Verify(reports) => {
            let head = verify_title(reports);
            dialog(
                frame,
                area,
                app,
                view,
                head,
                verify_lines(reports, area, app),
            );
        }
        Report::Copied(path) => {
            let lines = vec![
                Line::raw(" No desktop here: the path was sent to your clipboard (OSC 52)."),
                Line::from(Span::styled(
                    format!(" {}", format::path(path, home)),
                    theme.key(),
                )),
            ];
            dialog(frame, area, app, view, "Copied path".into(), lines);
        }
        Report::OpenFailed { path, why } => {
            let lines = vec![
                Line::from(Span::styled(
                    format!(" Could not open it in the file manager: {why}."),
                    theme.bad(),
                )),
                Line::raw(" Its path was sent to your clipboard instead (OSC 52):"),
                Line::from(Span::styled(
                    format!(" {}", format::path(path, home)),
                    theme.key(),
                )),
            ];
            dialog(frame, area, app, view, "Could not open".into(), lines);
        }
        Report::Details(path) => {
            let lines = details_lines(app, path);
            dialog(frame, area, app, view, "Details".into(), lines);
        }
        Report::Messages => {
            let head = format!("Messages (last {})", app.messages.len());
            dialog(frame, area, app, view, head, message_lines(app, area));
        }
    }
}

/// The newest messages that fit, oldest first, each whole (the dialog wraps them).
fn message_lines(app: &App, area: Rect) -> Vec<Line<'static>> {
    let inner = super::confirm::WIDTH
        .min(area.width.saturating_sub(4))
        .saturating_sub(2);
    let inner = inner.max(1) as usize;
    let mut room = (area.height as usize).saturating_sub(8).max(1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for message in app.messages.iter().rev() {
        let text = format!(" {message}");
        let rows = fit::width(&text).max(1).div_ceil(inner);
        if rows > room && !lines.is_empty() {
            break;
        }
        room = room.saturating_sub(rows);
        lines.push(Line::raw(text));
    }
    lines.reverse();
    lines
}

/// Problems first; cut to fit the screen, saying how much was left out.
fn verify_lines(reports: &[VerifyReport], area: Rect, app: &App) -> Vec<Line<'static>> {
    let theme = &app.options.theme;
    let (bad, ok): (Vec<_>, Vec<_>) = reports.iter().partition(|r| !r.ok || !r.checked());
    let mut lines: Vec<Line> = bad
        .into_iter()
        .chain(ok)
        .flat_map(|r| report_lines(r, app, theme))
        .collect();
    let room = (area.height as usize).saturating_sub(8).max(2);
    if lines.len() > room {
        let cut = lines.len() - room + 1;
        lines.truncate(room - 1);
        lines.push(Line::from(Span::styled(
            format!(" … {cut} more lines (`backtop verify` prints everything)"),
            theme.muted(),
        )));
    }
    lines
}

/// `Verified 2 versions: all ok`, or how many have problems and how many could not be
/// checked (encrypted and locked): "all ok" only when every one was checked.
fn verify_title(reports: &[VerifyReport]) -> String {
    let bad = reports.iter().filter(|r| !r.ok).count();
    let unchecked = reports.iter().filter(|r| r.ok && !r.checked()).count();
    let mut verdict = Vec::new();
    if bad > 0 {
        verdict.push(format!("{bad} with problems"));
    }
    if unchecked > 0 {
        verdict.push(format!("{unchecked} not checked (encrypted)"));
    }
    if verdict.is_empty() {
        verdict.push("all ok".into());
    }
    format!(
        "Verified {}: {}",
        format::plural(reports.len() as i64, "version"),
        verdict.join(", ")
    )
}

/// `   u unlocks it, then v checks its rows`, from the keymap.
fn unlock_hint() -> String {
    let key = |a, s| keymap::key_for(a, s).map(|k| k.label());
    match (
        key(Action::Unlock, Scope::Versions),
        key(Action::Verify, Scope::Versions),
    ) {
        (Some(u), Some(v)) => format!("   {u} unlocks it, then {v} checks its rows"),
        _ => String::new(),
    }
}

fn report_lines(r: &VerifyReport, app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let name = super::confirm::place(app, &r.path, 40);
    let unchecked = r.ok && !r.checked();
    let mut lines = vec![if unchecked {
        // Its rows are in the encrypted Manifest.db: nothing was checked, so no "ok".
        Line::from(vec![
            Span::raw(format!(" {name} ")),
            Span::styled("not checked: encrypted", theme.warn()),
        ])
    } else if r.ok {
        Line::from(vec![
            Span::raw(format!(" {name} ")),
            Span::styled("ok", theme.good()),
            Span::styled(
                format!(", {} rows checked", format::count(r.rows_checked)),
                theme.muted(),
            ),
        ])
    } else {
        Line::from(vec![
            Span::raw(format!(" {name} ")),
            Span::styled(
                format::plural(r.problems.len() as i64, "problem"),
                theme.bad(),
            ),
        ])
    }];
    if unchecked {
        lines.push(Line::from(Span::styled(unlock_hint(), theme.muted())));
    }
    for p in &r.problems {
        lines.push(Line::from(Span::styled(
            format!("   {}: {}", p.kind.label(), format::count(p.count)),
            theme.warn(),
        )));
        for e in p.examples.iter().take(EXAMPLES) {
            lines.push(Line::from(Span::styled(format!("     {e}"), theme.muted())));
        }
    }
    lines
}

/// The selected version's facts, each on its own line with its full path (the panes cut it).
fn details_lines(app: &App, path: &std::path::Path) -> Vec<Line<'static>> {
    let theme = &app.options.theme;
    let Some(v) = app
        .all_devices()
        .flat_map(|d| &d.versions)
        .find(|v| v.path == path)
    else {
        return vec![Line::from(Span::styled(
            " It is gone (rescanned).",
            theme.muted(),
        ))];
    };
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!(" {name:<10}"), theme.muted()),
            Span::raw(value),
        ])
    };
    let usage = app.results.sized.get(path);
    let unknown = || "unknown".to_string();
    let device = v.device_name.clone().unwrap_or_else(unknown);
    let model = [
        v.product_type.as_deref(),
        v.ios.as_deref().map(|i| i.trim()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", iOS ");
    let mut lines = vec![
        field(
            "Device",
            format!("{device} ({})", v.udid.clone().unwrap_or_else(unknown)),
        ),
        field("Model", if model.is_empty() { unknown() } else { model }),
        field("Folder", format::path(&v.path, app.options.home.as_deref())),
        field("Kind", v.kind.label().to_string()),
        field(
            "Date",
            v.date
                .map_or_else(unknown, |d| local_time::stamp(d, &app.options.tz)),
        ),
        field("State", v.state.label().to_string()),
        field(
            "Encrypted",
            if v.encrypted { "yes" } else { "no" }.to_string(),
        ),
        field(
            "Size",
            usage.map_or_else(
                || "not sized".into(),
                |u| {
                    format!(
                        "{} ({} unique to it)",
                        format::size(u.bytes),
                        format::size(u.unique_bytes)
                    )
                },
            ),
        ),
    ];
    if let Some(u) = usage.filter(|u| u.allocated_bytes != u.bytes) {
        lines.push(field(
            "On disk",
            format!(
                "{} ({} unique to it)",
                format::size(u.allocated_bytes),
                format::size(u.unique_allocated)
            ),
        ));
    }
    if let Some(owner) = &v.owner {
        lines.push(field("Owner", owner.clone()));
    }
    if let Some(problem) = &v.problem {
        lines.push(Line::from(Span::styled(
            format!(" Problem   {problem}"),
            theme.warn(),
        )));
    }
    lines
}
