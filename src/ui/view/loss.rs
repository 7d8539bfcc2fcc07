//! The delete and prune dialogs' "what deleting this loses" lines, under what the set frees:
//! the files only the versions that go hold, by category ("Only in these versions: 312
//! Photos & videos (1.2 GB) · 4 Messages (20 kB)"), or that every file stays elsewhere, and
//! the versions that could not be looked into.

use ratatui::text::{Line, Span};

use crate::library::diff::Loss;
use crate::ui::app::{LossState, LossView};
use crate::ui::{fit, format, theme::Theme};

/// The widest the category line gets (the dialog's inner width): categories that do not
/// fit are "+N more".
const ROOM: usize = super::confirm::WIDTH as usize - 2;

/// The lines for `view` (about `going` versions).
pub(super) fn lines(view: &LossView, theme: &Theme) -> Vec<Line<'static>> {
    let these = if view.paths.len() == 1 {
        "this version"
    } else {
        "these versions"
    };
    match &view.state {
        LossState::Looking => vec![Line::from(Span::styled(
            format!(" Looking for the files only {these} hold…"),
            theme.muted(),
        ))],
        LossState::Failed(why) => vec![Line::from(Span::styled(
            format!(" What only {these} hold is not known: {why}"),
            theme.muted(),
        ))],
        LossState::Ready(loss) => ready(loss, these, theme),
    }
}

fn ready(loss: &Loss, these: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let t = &loss.totals;
    let cut = if loss.cancelled { " (cut short)" } else { "" };
    if t.files == 0 {
        if loss.unread_going.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(" Every file in {these} is also in a version that stays{cut}."),
                theme.good(),
            )));
        }
    } else {
        let copies = match t.other_copy_files {
            0 => String::new(),
            n => format!(" ({} kept in another copy)", format::count(n)),
        };
        lines.push(Line::from(Span::styled(
            format!(
                " Only in {these}{cut}: {}, {}{copies}:",
                files(t.files),
                format::size(t.bytes)
            ),
            theme.warn(),
        )));
        lines.push(Line::from(Span::styled(categories(loss), theme.warn())));
    }
    if let Some((_, why)) = loss.unread_going.first() {
        lines.push(Line::from(Span::styled(
            format!(
                " {} not looked into ({why}).",
                format::plural(loss.unread_going.len() as i64, "version")
            ),
            theme.muted(),
        )));
    }
    if let Some((_, why)) = loss.unread_kept.first() {
        lines.push(Line::from(Span::styled(
            format!(
                " {} not read ({why}): counted as gone.",
                format::plural(loss.unread_kept.len() as i64, "kept version")
            ),
            theme.muted(),
        )));
    }
    lines
}

/// `1 file`, `1,204 files`.
fn files(n: u64) -> String {
    let unit = if n == 1 { "file" } else { "files" };
    format!("{} {unit}", format::count(n))
}

/// `   312 Photos & videos (1.2 GB) · 4 Messages (20 MB) · +2 more`, within [`ROOM`].
fn categories(loss: &Loss) -> String {
    let mut line = String::from("  ");
    for (i, (c, t)) in loss.by_category.iter().enumerate() {
        let item = format!(
            " {} {} ({})",
            format::count(t.files),
            c.label(),
            format::size(t.bytes)
        );
        let left = loss.by_category.len() - i;
        let more = if left > 1 {
            format!(" · +{} more", left - 1)
        } else {
            String::new()
        };
        let sep = if i == 0 { "" } else { " ·" };
        if i > 0
            && fit::width(&line) + fit::width(sep) + fit::width(&item) + fit::width(&more) > ROOM
        {
            line.push_str(&format!(" · +{left} more"));
            return line;
        }
        line.push_str(sep);
        line.push_str(&item);
    }
    line
}
