//! The devices pane: one row per device (name, model, iOS, how long ago its last backup was,
//! versions, total size), with a warning mark when its next backup may not fit on its volume. The title shows the sort and
//! the filter. When versions have different owners, an owner column lists each device's.
//! When the pane is wide, a last column draws the size over time ([`super::sparkline`]).

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};
use ratatui::Frame;

use super::{pane, title};
use crate::library::usage::Measure;
use crate::library::Device;
use crate::ui::app::owners::device_owners;
use crate::ui::app::{figures, App, Pane};
use crate::ui::{fit, format, layout};

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.options.theme;
    let focused = app.focus == Pane::Devices && app.modal().is_none() || app.filter_editing();
    let devices = app.visible_devices();
    let sort = app.sort_label(Pane::Devices);
    let mut head = format!("Devices ({})  sort: {sort}", devices.len());
    if app.filter_editing() {
        head.push_str(&format!("  filter: {}_", app.filter));
    } else if !app.filter.is_empty() {
        head.push_str(&format!("  filter: {}", app.filter));
    }
    let mut block = pane(title(head, theme), focused, theme);
    if let Some(warning) = fit_warning(app) {
        block = block.title_bottom(Line::from(Span::styled(warning, theme.warn())));
    }
    let owner_w = app.owners_differ().then(|| owner_width(&devices));
    // The owners, when they tell devices apart, matter more than the model.
    let model_w = match area.width.saturating_sub(owner_w.map_or(0, |w| w + 1)) {
        w if w >= 90 => Some(25),
        w if w >= 84 => Some(20),
        _ => None,
    };
    let history = super::sparkline::fits(area.width, [owner_w, model_w]);
    // The name takes what the other columns leave (one cell between columns); a longer one
    // is cut with the mark, not mid-letter by the table.
    let fixed = [
        Some(1),
        owner_w,
        model_w,
        Some(7),
        Some(LAST_BACKUP_W),
        Some(8),
        Some(9),
        history.then_some(super::sparkline::WIDTH),
    ];
    let others: u16 = fixed.iter().flatten().sum();
    let gaps = fixed.iter().flatten().count() as u16;
    let name_w = area.width.saturating_sub(2 + others + gaps) as usize;
    let rows: Vec<Row> = devices
        .iter()
        .map(|d| row(app, d, (name_w, model_w), owner_w, history))
        .collect();
    let (header, widths) = columns(model_w, owner_w, app.measure, history);
    let highlight = if focused {
        theme.selected()
    } else {
        theme.selected_unfocused()
    };
    let selected = app.device_index();
    let rows_shown = layout::table_rows(area, 0);
    if let Some(more) = super::more::hint(devices.len(), selected, rows_shown, theme) {
        block = block.title_bottom(more);
    }
    let mut state = TableState::default()
        .with_selected((!devices.is_empty()).then_some(selected))
        .with_offset(layout::scroll_offset(selected, layout::table_rows(area, 0)));
    let table = Table::new(rows, widths)
        .header(header.style(theme.heading()))
        .block(block)
        .row_highlight_style(highlight);
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

/// The header row and column widths; the owner and model columns only when their widths
/// are given; the size column says `On disk` when sizes are disk usage; the size over time
/// with `history`.
fn columns(
    model_w: Option<u16>,
    owner_w: Option<u16>,
    measure: Measure,
    history: bool,
) -> (Row<'static>, Vec<Constraint>) {
    let mut widths = vec![Constraint::Length(1), Constraint::Fill(1)];
    let mut names = vec!["", "Name"];
    if let Some(w) = owner_w {
        widths.push(Constraint::Length(w));
        names.push("Owner");
    }
    if let Some(w) = model_w {
        widths.push(Constraint::Length(w));
        names.push("Model");
    }
    widths.extend([
        Constraint::Length(7),
        Constraint::Length(LAST_BACKUP_W),
        Constraint::Length(8),
        Constraint::Length(9),
    ]);
    names.extend([
        "iOS",
        "Last backup",
        "Versions",
        format::size_heading(measure),
    ]);
    if history {
        widths.push(Constraint::Length(super::sparkline::WIDTH));
        names.push("History");
    }
    let cells = names.into_iter().map(|h| match h {
        "Versions" | "Size" | "On disk" => Cell::from(Line::from(h).right_aligned()),
        _ => Cell::from(h),
    });
    (Row::new(cells), widths)
}

/// One device's row, its name cut to `name_w` and, with `model_w`, its model to that; with
/// `owner_w`, the owners of its versions (`ann, bob`) in that width; with `history`, its size
/// over time.
fn row(
    app: &App,
    d: &Device,
    (name_w, model_w): (usize, Option<u16>),
    owner_w: Option<u16>,
    history: bool,
) -> Row<'static> {
    let theme = &app.options.theme;
    let warn = app.next_backup(d).is_some_and(|n| !n.fits);
    let pending = if app.scan.running { "..." } else { "-" };
    let size = figures::device_total(app, d).map_or(pending.into(), format::size);
    let mark = if warn { theme.glyph_warn() } else { " " };
    let mut cells = vec![
        Cell::from(Span::styled(mark, theme.warn())),
        Cell::from(fit::truncate(d.display_name(), name_w)),
    ];
    if let Some(w) = owner_w {
        let owners = fit::truncate(&owners_label(d), w as usize);
        cells.push(Cell::from(Span::styled(owners, theme.muted())));
    }
    if let Some(w) = model_w {
        let model = d.model.clone().unwrap_or_default();
        cells.push(Cell::from(fit::truncate(&model, w as usize)));
    }
    cells.push(Cell::from(d.ios.clone().unwrap_or_default()));
    cells.push(Cell::from(last_backup(app, d)));
    cells.push(Cell::from(
        Line::from(d.versions.len().to_string()).right_aligned(),
    ));
    let size = Line::from(size).right_aligned();
    // A size from the cache is provisional (the header says so): muted until rescanned.
    cells.push(Cell::from(if figures::device_provisional(app, d) {
        size.style(theme.muted())
    } else {
        size
    }));
    if history {
        let bars = super::sparkline::history(app, d);
        cells.push(Cell::from(Span::styled(bars, theme.muted())));
    }
    Row::new(cells)
}

/// Width of the "Last backup" column: the longest age (`in the future`) or heading.
const LAST_BACKUP_W: u16 = 13;

/// How long ago the device's newest dated version was made (`3 days ago`), or `date unknown`.
fn last_backup(app: &App, d: &Device) -> String {
    d.versions
        .iter()
        .filter_map(|v| v.date)
        .max()
        .map_or_else(|| "date unknown".into(), |t| format::age(t, app.now))
}

/// The owners of a device's versions, for its owner column: `ann` or `ann, bob`.
fn owners_label(d: &Device) -> String {
    device_owners(d).join(", ")
}

/// Width of the owner column: the longest label, between 5 ("Owner") and 12 columns.
fn owner_width(devices: &[&Device]) -> u16 {
    let longest = devices
        .iter()
        .map(|d| fit::width(&owners_label(d)))
        .max()
        .unwrap_or(0);
    longest.clamp(5, 12) as u16
}

/// ` ! next backup of NAME may not fit: 40 GB free, needs 64.2 GB ` for the selected device.
fn fit_warning(app: &App) -> Option<String> {
    let device = app.device()?;
    let next = app.next_backup(device).filter(|n| !n.fits)?;
    Some(format!(
        " {} next backup may not fit: {} free, needs {} ",
        app.options.theme.glyph_warn(),
        format::size(next.free),
        format::size(next.need)
    ))
}
