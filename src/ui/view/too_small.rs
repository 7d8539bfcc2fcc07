//! The message shown instead of the dashboard when the terminal is below the minimum size.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::ui::fit;
use crate::ui::layout::{MIN_HEIGHT, MIN_WIDTH};
use crate::ui::theme::Theme;

/// The words of the message for a terminal of `width`×`height`.
pub(crate) fn message(width: u16, height: u16, ascii: bool) -> String {
    let x = if ascii { "x" } else { "\u{d7}" };
    format!(
        "backtop needs at least {MIN_WIDTH}{x}{MIN_HEIGHT}; this terminal is {width}{x}{height}"
    )
}

pub(super) fn render(frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let text = message(area.width, area.height, theme.ascii);
    let lines = (fit::width(&text) as u16).div_ceil(area.width.max(1));
    let top = area.height.saturating_sub(lines) / 2;
    let rect = Rect::new(area.x, area.y + top, area.width, area.height - top);
    let p = Paragraph::new(Line::from(Span::styled(text, theme.warn())))
        .centered()
        .wrap(Wrap { trim: true });
    frame.render_widget(p, rect);
}
