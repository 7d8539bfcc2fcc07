//! The scan line: while scanning, a gauge of versions sized out of all, with files and bytes
//! counted so far; afterwards, how long the scan took.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::ui::app::App;
use crate::ui::theme::Theme;
use crate::ui::{fit, format};

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let s = &app.scan;
    let line = if s.running {
        let text = format!(
            " {}/{} versions  {} files  {} ",
            s.done,
            s.total,
            format::count(s.files_so_far()),
            format::size(s.bytes_so_far())
        );
        let label = Span::styled(" scanning", theme.warn());
        let room = (area.width as usize).saturating_sub(fit::width(&text) + 10);
        let width = room.min(30);
        let ratio = format::ratio(s.done as u64, s.total as u64);
        let mut spans = vec![label, Span::raw(text)];
        spans.extend(bar(ratio, width, theme));
        Line::from(spans)
    } else {
        let text = match (s.elapsed, s.cancelled) {
            (Some(_), true) => " scan cancelled".to_string(),
            (Some(t), false) => format!(
                " scanned {} in {:.1} s",
                format::plural(s.done as i64, "version"),
                t.as_secs_f64()
            ),
            (None, _) => " not scanned yet".to_string(),
        };
        Line::from(Span::styled(text, theme.muted()))
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// A `width`-cell bar filled to `ratio` (clamped), in the theme's gauge glyphs.
pub(super) fn bar(ratio: f64, width: usize, theme: &Theme) -> Vec<Span<'static>> {
    let filled = ((ratio.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    vec![
        Span::styled(theme.glyph_backup().repeat(filled), theme.gauge_used()),
        Span::styled(
            theme.glyph_free().repeat(width - filled),
            theme.gauge_free(),
        ),
    ]
}
