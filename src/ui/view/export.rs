//! The export dialog: what will be written and where, the collision rule and the layout; then
//! the running export's files, bytes and rate; then the summary (written, renamed, skipped,
//! missing in the backup, failed, decrypted to another length than the manifest says), each
//! with its first examples.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::confirm::dialog;
use crate::actions::export::{Collision, ExportSummary};
use crate::ui::app::{App, ExportDialog, Phase, View};
use crate::ui::{fit, format};

/// Examples listed per kind of problem in the summary.
const EXAMPLES: usize = 3;

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App, view: &View, d: &ExportDialog) {
    let theme = &app.options.theme;
    let room =
        (super::confirm::WIDTH.min(area.width.saturating_sub(4)) as usize).saturating_sub(14);
    let home = app.options.home.as_deref();
    let dest_line = |label: &str| {
        let shown = match d.editing {
            Some(_) => d.dest.clone(),
            None => format::path(std::path::Path::new(&d.dest), home),
        };
        let mut spans = vec![
            Span::styled(format!(" {}", fit::pad(label, 12)), theme.muted()),
            Span::raw(fit::shorten_path(&shown, room)),
        ];
        if d.editing.is_some() {
            spans.push(Span::styled(
                if theme.ascii { "_" } else { "▏" },
                theme.key(),
            ));
        }
        Line::from(spans)
    };
    let field = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!(" {}", fit::pad(label, 12)), theme.muted()),
            Span::raw(value),
        ])
    };
    let layout = if !d.can_flatten {
        "DEST/<domain>/<path> (the backup's structure)".to_string()
    } else if d.flatten {
        format!("flattened: DEST/{}/<path>", d.label)
    } else {
        "DEST/<domain>/<path> (the backup's structure)".to_string()
    };
    let collision = match d.collision {
        Collision::Skip => "skip a file whose name is taken".to_string(),
        Collision::Rename => "write it as name (1).ext".to_string(),
    };
    let mut lines = vec![Line::raw(format!(" Export {}", d.what))];
    let mut what = format!(
        "{}, {}",
        format::plural(d.totals.files as i64, "file"),
        format::size(d.totals.bytes)
    );
    if d.totals.missing > 0 {
        what.push_str(&format!(
            " ({} missing on disk: listed, not written)",
            format::count(d.totals.missing)
        ));
    }
    lines.push(field("Writes", what));
    lines.push(dest_line("To"));
    lines.push(field("Layout", layout));
    lines.push(field("Names taken", collision));
    let head = match &d.phase {
        Phase::Asking => "Export".to_string(),
        Phase::Running { .. } => "Exporting".to_string(),
        Phase::Done(_) => "Export finished".to_string(),
    };
    match &d.phase {
        Phase::Asking => {
            lines.push(Line::from(Span::styled(
                " Nothing is ever overwritten; names, modes and dates come from the manifest.",
                theme.muted(),
            )));
        }
        Phase::Running {
            progress,
            cancelling,
            ..
        } => {
            let p = &progress.done;
            let secs = progress.elapsed.as_secs_f64();
            let rate = if secs > 0.0 {
                format!("{}/s", format::size((p.bytes_done as f64 / secs) as u64))
            } else {
                "-".into()
            };
            lines.push(Line::raw(""));
            lines.push(Line::from(Span::styled(
                format!(
                    " {} of {} files, {} of {}, {rate}",
                    format::count(p.files_done),
                    format::count(p.files_total),
                    format::size(p.bytes_done),
                    format::size(p.bytes_total)
                ),
                theme.warn(),
            )));
            if *cancelling {
                lines.push(Line::from(Span::styled(" cancelling…", theme.muted())));
            }
        }
        Phase::Done(Ok((summary, elapsed))) => {
            lines.push(Line::raw(""));
            lines.extend(summary_lines(app, summary, *elapsed));
        }
        Phase::Done(Err(why)) => {
            lines.push(Line::raw(""));
            lines.push(Line::from(Span::styled(format!(" {why}"), theme.bad())));
        }
    }
    dialog(frame, area, app, view, head, lines);
}

fn summary_lines(app: &App, s: &ExportSummary, elapsed: std::time::Duration) -> Vec<Line<'static>> {
    let theme = &app.options.theme;
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        format!(
            ", {}/s",
            format::size((s.bytes_written as f64 / secs) as u64)
        )
    } else {
        String::new()
    };
    let style = if !s.failed.is_empty() {
        theme.bad()
    } else if s.skipped.is_empty() && s.missing.is_empty() && !s.cancelled {
        theme.good()
    } else {
        theme.warn()
    };
    let mut head = format!(
        " Wrote {} ({}{rate})",
        format::plural(s.written as i64, "file"),
        format::size(s.bytes_written)
    );
    if s.cancelled {
        head.push_str(", cancelled");
    }
    let mut lines = vec![Line::from(Span::styled(head, style))];
    let mut section = |title: String, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        lines.push(Line::from(Span::styled(
            format!(" {title}: {}", format::count(items.len() as u64)),
            theme.warn(),
        )));
        for item in items.iter().take(EXAMPLES) {
            lines.push(Line::from(Span::styled(
                format!("   {item}"),
                theme.muted(),
            )));
        }
        if items.len() > EXAMPLES {
            lines.push(Line::from(Span::styled(
                format!("   … {} more", items.len() - EXAMPLES),
                theme.muted(),
            )));
        }
    };
    section(
        "Renamed, the name was taken".into(),
        s.renamed
            .iter()
            .map(|n| format!("{} -> {}", n.item, n.what.display()))
            .collect(),
    );
    section(
        "Skipped".into(),
        s.skipped
            .iter()
            .map(|n| format!("{}: {}", n.item, n.what))
            .collect(),
    );
    section("Missing in the backup".into(), s.missing.clone());
    section(
        "Failed".into(),
        s.failed
            .iter()
            .map(|n| format!("{}: {}", n.item, n.what))
            .collect(),
    );
    section(
        "Decrypted, a length other than the manifest's Size (kept whole)".into(),
        s.size_mismatch
            .iter()
            .map(|n| format!("{}: {}", n.item, n.what))
            .collect(),
    );
    section(
        "Escaped, the name is not valid here".into(),
        s.escaped
            .iter()
            .map(|n| format!("{} -> {}", n.item, n.what.display()))
            .collect(),
    );
    lines
}
