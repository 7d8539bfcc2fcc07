//! The hint a list pane puts on its bottom border when it has more rows than fit: "↓ 2 more",
//! "↑ 3 more", or both (ASCII: `v 2 more`, `^ 3 more`), computed with the same scroll offset
//! the table is drawn with ([`layout::scroll_offset`]).

use ratatui::text::{Line, Span};

use crate::ui::layout;
use crate::ui::theme::Theme;

/// Rows hidden above and below a list of `total` rows showing `rows` of them with `selected`
/// in view.
pub fn hidden(total: usize, selected: usize, rows: usize) -> (usize, usize) {
    if rows == 0 || total <= rows {
        return (0, 0);
    }
    let offset = layout::scroll_offset(selected.min(total - 1), rows);
    (offset, total.saturating_sub(offset + rows))
}

/// The right-aligned bottom-border hint, when rows are hidden.
pub(super) fn hint(
    total: usize,
    selected: usize,
    rows: usize,
    theme: &Theme,
) -> Option<Line<'static>> {
    let (up, down) = if theme.ascii {
        ("^", "v")
    } else {
        ("↑", "↓")
    };
    let text = match hidden(total, selected, rows) {
        (0, 0) => return None,
        (0, below) => format!(" {down} {below} more "),
        (above, 0) => format!(" {up} {above} more "),
        (above, below) => format!(" {up} {above} {down} {below} more "),
    };
    Some(Line::from(Span::styled(text, theme.muted())).right_aligned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_above_and_below() {
        assert_eq!(hidden(4, 0, 4), (0, 0), "everything fits");
        assert_eq!(hidden(5, 0, 4), (0, 1), "the 5th row is below");
        assert_eq!(hidden(5, 4, 4), (1, 0), "at the end, one above");
        assert_eq!(hidden(9, 4, 3), (2, 4));
        assert_eq!(hidden(3, 0, 0), (0, 0), "no room: no hint");
    }
}
