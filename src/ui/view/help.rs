//! The help overlay: every keymap row, grouped by where it works, plus what the figures mean.
//! Generated from [`keymap::BINDINGS`], never kept by hand.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::{centered, pane, title};
use crate::ui::app::App;
use crate::ui::fit;
use crate::ui::keymap::{self, Action, Scope};
use crate::ui::theme::Theme;

const ORDER: [Scope; 31] = [
    Scope::Global,
    Scope::Devices,
    Scope::Versions,
    Scope::Breakdown,
    Scope::Filter,
    Scope::Task,
    Scope::Removing,
    Scope::Confirm,
    Scope::Typed,
    Scope::Checking,
    Scope::Prune,
    Scope::Report,
    Scope::Copied,
    Scope::Roots,
    Scope::Alerts,
    Scope::Diff,
    Scope::Browser,
    Scope::Results,
    Scope::Search,
    Scope::Export,
    Scope::Destination,
    Scope::Exporting,
    Scope::Exported,
    Scope::Password,
    Scope::Move,
    Scope::MoveDest,
    Scope::Moving,
    Scope::MoveOriginal,
    Scope::MoveResume,
    Scope::MoveDone,
    Scope::Help,
];

/// How the dashboard behaves beyond single keys: the mouse, SSH and the clipboard, the
/// shell, dialogs and long text.
const USAGE: [&str; 10] = [
    "Mouse: a click focuses the pane under it and selects the row; the",
    "wheel scrolls the pane (or the help, the roots report, the browser).",
    "Over SSH or with no desktop, o copies the version's path to your",
    "clipboard with OSC 52 (through tmux it needs allow-passthrough on);",
    "a failed open does the same and says why. In that dialog ! starts a",
    "shell in the folder (b does from any pane); exit it to come back.",
    "Dialogs show their own keys on their last line: Tab switches a",
    "delete between the Trash and permanent; typing a device name, every",
    "letter is text (Enter checks it). A started permanent delete cannot",
    "be stopped: Esc hides it. m shows the messages the footer cut.",
];

const NOTES: [&str; 5] = [
    "Warning mark: the device's next full backup may not fit.",
    "Sizes count each hard-linked file once. a switches them between",
    "apparent bytes and disk usage (blocks, what the Disk gauges count).",
    "Unique: what deleting that version alone frees.",
    "Marked sets are computed together.",
];

/// How many lines the overlay has in a terminal `width` cells wide: a heading and a blank
/// line per scope, a line per binding (more when its description wraps), and the notes.
pub fn line_count(width: u16, read_only: bool) -> usize {
    lines_for(inner_width(width), &Theme::new(false, false), read_only).len()
}

/// Height of the overlay in a terminal `height` rows tall.
pub fn height(height: u16) -> u16 {
    height.saturating_sub(2)
}

/// Width of the overlay in a terminal `width` cells wide.
fn width(width: u16) -> u16 {
    72.min(width.saturating_sub(4))
}

/// Cells inside the overlay's border.
fn inner_width(terminal: u16) -> usize {
    width(terminal).saturating_sub(2) as usize
}

/// Cells before a binding's description: two of indent and the keys.
const KEYS_W: usize = 18;

/// The overlay's lines, for a terminal `terminal` cells wide.
pub(crate) fn lines(app: &App, theme: &Theme, terminal: u16) -> Vec<Line<'static>> {
    lines_for(inner_width(terminal), theme, app.options.read_only)
}

/// The overlay's lines `inner` cells wide: a description longer than its room goes on under
/// itself instead of being cut.
fn lines_for(inner: usize, theme: &Theme, read_only: bool) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let room = inner.saturating_sub(KEYS_W).max(16);
    for scope in ORDER {
        let rows: Vec<_> = keymap::BINDINGS
            .iter()
            .filter(|r| r.scope == scope)
            .collect();
        if rows.is_empty() {
            continue;
        }
        out.push(Line::from(Span::styled(
            scope.title().to_string(),
            theme.heading(),
        )));
        for row in rows {
            let off = read_only && matches!(row.action, Action::Delete | Action::Prune);
            let text = if off {
                format!("{} (off: read-only)", row.help)
            } else {
                row.help.to_string()
            };
            for (i, part) in fit::wrap(&text, room).into_iter().enumerate() {
                let keys = if i == 0 {
                    format!("  {}", fit::pad(&keymap::keys_label(row), KEYS_W - 2))
                } else {
                    " ".repeat(KEYS_W)
                };
                let style = if off { theme.warn() } else { Style::new() };
                out.push(Line::from(vec![
                    Span::styled(keys, theme.key()),
                    Span::styled(part, style),
                ]));
            }
        }
        out.push(Line::raw(""));
    }
    out.extend(USAGE.iter().map(|n| Line::raw(n.to_string())));
    out.push(Line::raw(""));
    out.extend(
        NOTES
            .iter()
            .map(|n| Line::from(Span::styled(n.to_string(), theme.muted()))),
    );
    out.extend(super::legend::lines(theme));
    out
}

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App, scroll: usize) {
    let theme = &app.options.theme;
    let rect = centered(area, width(area.width), area.height.saturating_sub(2));
    let body = lines(app, theme, area.width);
    let block = pane(title("Help: keys".into(), theme), true, theme);
    debug_assert_eq!(body.len(), line_count(area.width, app.options.read_only));
    let inner_h = rect.height.saturating_sub(2) as usize;
    let scroll = scroll.min(body.len().saturating_sub(inner_h)) as u16;
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(body).block(block).scroll((scroll, 0)), rect);
}
