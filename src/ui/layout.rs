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

/// From this width the browser puts details and preview beside the list.
pub const BROWSER_WIDE: u16 = 110;

/// The rectangles of the browser: its list (with title, column heads and a status line), the
/// details of the selection, and the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BrowserPanes {
    /// The list, bordered.
    pub list: Rect,
    /// Details of the selection, bordered (none under a preview when narrow).
    pub details: Option<Rect>,
    /// The preview, bordered, when it is on.
    pub preview: Option<Rect>,
}

impl BrowserPanes {
    /// Rows of the list that show entries: the list less its borders, column heads and status.
    pub fn list_rows(&self) -> usize {
        self.list.height.saturating_sub(4).max(1) as usize
    }
}

/// Lays out the browser over a `(columns, rows)` terminal (the last row is the footer).
pub fn browser(size: (u16, u16), preview: bool) -> BrowserPanes {
    let area = Rect::new(0, 0, size.0, size.1.saturating_sub(1));
    if area.width >= BROWSER_WIDE {
        let [list, side] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                .areas(area);
        if !preview {
            return BrowserPanes {
                list,
                details: Some(side),
                preview: None,
            };
        }
        let [details, shown] =
            Layout::vertical([Constraint::Length(10), Constraint::Min(0)]).areas(side);
        return BrowserPanes {
            list,
            details: Some(details),
            preview: Some(shown),
        };
    }
    let bottom = if preview { area.height / 2 } else { 10 };
    let [list, below] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(bottom)]).areas(area);
    if preview {
        BrowserPanes {
            list,
            details: None,
            preview: Some(below),
        }
    } else {
        BrowserPanes {
            list,
            details: Some(below),
            preview: None,
        }
    }
}
