//! Disk gauges: one line per volume, labelled by the volume's name (`Backup Drive`, `/`), with
//! a bar split into the backups' share, other used space and free space, then the figures and,
//! when there is room, the mount point. Ratios are clamped, so a 0-byte or over-full volume
//! draws an empty or full bar instead of panicking.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{pane, title};
use crate::library::volume::VolumeUsage;
use crate::ui::app::App;
use crate::ui::theme::Theme;
use crate::ui::{fit, format};

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.options.theme;
    let name = if app.options.simulated_disks {
        "Disk (simulated for the demo)"
    } else {
        "Disk"
    };
    let block = pane(title(name.into(), theme), false, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.results.volumes.is_empty() {
        let text = if app.scan.running {
            "volume figures after the scan"
        } else {
            "no volume figures"
        };
        frame.render_widget(Span::styled(text, theme.muted()), inner);
        return;
    }
    let home = app.options.home.as_deref();
    let lines: Vec<Line> = app
        .results
        .volumes
        .iter()
        .map(|v| gauge(v, &format::path(&v.path, home), inner.width as usize, theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Cells of the bar: (backups, other used, free), summing to `width`.
pub fn split(volume: &VolumeUsage, width: usize) -> (usize, usize, usize) {
    let used = volume.total.saturating_sub(volume.free);
    let used_cells = cells(format::ratio(used, volume.total), width);
    let backup_cells =
        cells(format::ratio(volume.backup_bytes, volume.total), width).min(used_cells);
    (backup_cells, used_cells - backup_cells, width - used_cells)
}

fn cells(ratio: f64, width: usize) -> usize {
    ((ratio * width as f64).round() as usize).min(width)
}

/// One gauge; `mount` is the volume's mount point as shown (`~` for the home).
fn gauge(v: &VolumeUsage, mount: &str, width: usize, theme: &Theme) -> Line<'static> {
    let used = format::percent(format::ratio(v.total.saturating_sub(v.free), v.total));
    let name = format::volume_name(&v.path);
    let full = format!(
        " {used} used, {} free, backups {}",
        format::size(v.free),
        format::size(v.backup_bytes)
    );
    let with_mount = format!("{full}  {mount}");
    let short = format!(" {used}, {} free", format::size(v.free));
    let label_w = 16.min(width / 4);
    let room = width.saturating_sub(label_w + 1);
    // The longest figures that leave a bar of 10 cells; the mount point only when it says
    // more than the name.
    let figures = [(name != mount).then_some(with_mount), Some(full)]
        .into_iter()
        .flatten()
        .find(|f| room >= fit::width(f) + 10)
        .unwrap_or(short);
    let bar_w = room.saturating_sub(fit::width(&figures)).min(40);
    let (b, u, f) = split(v, bar_w);
    let label = format!("{} ", fit::pad(&name, label_w));
    Line::from(vec![
        Span::raw(label),
        Span::styled(theme.glyph_backup().repeat(b), theme.gauge_backup()),
        Span::styled(theme.glyph_used().repeat(u), theme.gauge_used()),
        Span::styled(theme.glyph_free().repeat(f), theme.gauge_free()),
        Span::raw(figures),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vol(total: u64, free: u64, backup_bytes: u64) -> VolumeUsage {
        VolumeUsage {
            path: "/".into(),
            total,
            free,
            backup_bytes,
            roots: vec![],
        }
    }

    #[test]
    fn gauges_clamp_odd_volumes() {
        assert_eq!(
            split(&vol(0, 0, 0), 10),
            (0, 0, 10),
            "a 0-byte volume draws an empty bar"
        );
        assert_eq!(
            split(&vol(100, 0, 500), 10),
            (10, 0, 0),
            "backups larger than the disk fill it"
        );
        assert_eq!(
            split(&vol(100, 200, 0), 10),
            (0, 0, 10),
            "free beyond total means nothing used"
        );
        assert_eq!(
            split(&vol(100, 50, 25), 8),
            (2, 2, 4),
            "a quarter backups, a quarter other"
        );
        assert_eq!(
            split(&vol(100, 50, 25), 0),
            (0, 0, 0),
            "a zero-width bar has no cells"
        );
    }
}
