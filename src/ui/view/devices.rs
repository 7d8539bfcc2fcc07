//! The devices pane: one row per device (name, model, iOS, versions, total size), with a
//! warning mark when its next backup may not fit on its volume. The title shows the sort and
//! the filter.

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};
use ratatui::Frame;

use super::{pane, title};
use crate::ui::app::{figures, App, Pane};
use crate::ui::{format, layout};

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.options.theme;
    let focused = app.focus == Pane::Devices && app.modal().is_none() || app.filter_editing;
    let devices = app.visible_devices();
    let mut head = format!("Devices ({})  sort: {}", devices.len(), app.sort.label());
    if app.filter_editing {
        head.push_str(&format!("  filter: {}_", app.filter));
    } else if !app.filter.is_empty() {
        head.push_str(&format!("  filter: {}", app.filter));
    }
    let mut block = pane(title(head, theme), focused, theme);
    if let Some(warning) = fit_warning(app) {
        block = block.title_bottom(Line::from(Span::styled(warning, theme.warn())));
    }
    let wide = area.width >= 70;
    let rows: Vec<Row> = devices
        .iter()
        .map(|d| {
            let warn = figures::next_backup_fits(app, d) == Some(false);
            let pending = if app.scan.running { "..." } else { "-" };
            let size = figures::device_total(app, d).map_or(pending.into(), format::size);
            let mut cells = vec![
                Cell::from(Span::styled(
                    if warn { theme.glyph_warn() } else { " " },
                    theme.warn(),
                )),
                Cell::from(d.display_name().to_string()),
            ];
            if wide {
                cells.push(Cell::from(d.model.clone().unwrap_or_default()));
            }
            cells.push(Cell::from(d.ios.clone().unwrap_or_default()));
            cells.push(Cell::from(
                Line::from(d.versions.len().to_string()).right_aligned(),
            ));
            cells.push(Cell::from(Line::from(size).right_aligned()));
            Row::new(cells)
        })
        .collect();
    let mut widths = vec![Constraint::Length(1), Constraint::Fill(1)];
    let mut header = vec!["", "Name"];
    if wide {
        widths.push(Constraint::Length(if area.width >= 90 { 25 } else { 20 }));
        header.push("Model");
    }
    widths.extend([
        Constraint::Length(7),
        Constraint::Length(8),
        Constraint::Length(9),
    ]);
    header.extend(["iOS", "Versions", "Size"]);
    let header = Row::new(header.into_iter().map(|h| {
        let line = if matches!(h, "Versions" | "Size") {
            Line::from(h).right_aligned()
        } else {
            Line::from(h)
        };
        Cell::from(line)
    }))
    .style(theme.heading());
    let highlight = if focused {
        theme.selected()
    } else {
        theme.selected_unfocused()
    };
    let selected = app.device_index();
    let mut state = TableState::default()
        .with_selected((!devices.is_empty()).then_some(selected))
        .with_offset(layout::scroll_offset(selected, layout::table_rows(area, 0)));
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(highlight)
        .style(Style::new());
    frame.render_stateful_widget(table, area, &mut state);
    if devices.is_empty() && area.height > 3 {
        let msg = if app.filter.is_empty() {
            " no backups found"
        } else {
            " no device matches the filter"
        };
        let r = Rect::new(area.x + 1, area.y + 2, area.width.saturating_sub(2), 1);
        frame.render_widget(Span::styled(msg, theme.muted()), r);
    }
}

/// ` ! next backup of NAME may not fit: 40 GB free, needs 64.2 GB ` for the selected device.
fn fit_warning(app: &App) -> Option<String> {
    let device = app.device()?;
    if figures::next_backup_fits(app, device) != Some(false) {
        return None;
    }
    let newest = device.versions.iter().max_by_key(|v| v.date)?;
    let need = app.usage.get(&newest.path)?.bytes;
    let free = figures::volume_of(&app.volumes, newest)?.free;
    Some(format!(
        " {} next backup may not fit: {} free, needs {} ",
        app.options.theme.glyph_warn(),
        format::size(free),
        format::size(need)
    ))
}
