//! Where each pane goes for a terminal size. Pure, so the views and the mouse handling in
//! `App` agree on the same rectangles.
//!
//! Below [`MIN_WIDTH`]×[`MIN_HEIGHT`] nothing but a message is drawn. Under 120 columns the
//! devices pane spans the width above versions | breakdown; from 120 columns the left column
//! holds devices over versions and the right one breakdown over the disk gauges.

use ratatui::layout::{Constraint, Layout, Rect};

/// Smallest usable width.
pub const MIN_WIDTH: u16 = 60;
/// Smallest usable height.
pub const MIN_HEIGHT: u16 = 16;
/// From this width the two-column layout is used.
pub const WIDE: u16 = 120;

/// The rectangles of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    /// Totals, roots, scan progress.
    pub header: Rect,
    /// Devices table.
    pub devices: Rect,
    /// Versions of the selected device.
    pub versions: Rect,
    /// Categories and apps of the selected version.
    pub breakdown: Rect,
    /// One gauge per volume.
    pub disk: Rect,
    /// Key hints or status.
    pub footer: Rect,
}

/// True when `area` is below the minimum size.
pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// Header height for a terminal height: 3 lines (totals, roots, scan) when tall, else 2.
pub fn header_height(height: u16) -> u16 {
    if height >= 40 {
        3
    } else {
        2
    }
}

/// Lays out the panes for `devices` device rows and `volumes` volumes.
pub fn panes(area: Rect, devices: usize, volumes: usize) -> Panes {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(header_height(area.height)),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let devices_h = (devices as u16 + 3).clamp(5, (body.height / 3).max(5));
    let disk_h = (volumes.max(1) as u16 + 2).min(if area.width >= WIDE { 8 } else { 5 });
    let (devices, versions, breakdown, disk) = if area.width >= WIDE {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                .areas(body);
        let [devices, versions] =
            Layout::vertical([Constraint::Length(devices_h), Constraint::Min(0)]).areas(left);
        let [breakdown, disk] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(disk_h)]).areas(right);
        (devices, versions, breakdown, disk)
    } else {
        let [devices, middle, disk] = Layout::vertical([
            Constraint::Length(devices_h),
            Constraint::Min(0),
            Constraint::Length(disk_h),
        ])
        .areas(body);
        let [versions, breakdown] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                .areas(middle);
        (devices, versions, breakdown, disk)
    };
    Panes {
        header,
        devices,
        versions,
        breakdown,
        disk,
        footer,
    }
}

/// Rows of data a table pane shows: its height minus borders, the column header and
/// `extra` reserved lines.
pub fn table_rows(pane: Rect, extra: u16) -> usize {
    pane.height.saturating_sub(3 + extra) as usize
}

/// First row shown so that row `selected` is visible in `rows` rows (selection kept at the
/// bottom edge when past the first page).
pub fn scroll_offset(selected: usize, rows: usize) -> usize {
    if rows == 0 {
        selected
    } else {
        (selected + 1).saturating_sub(rows)
    }
}
