//! Size over time: a device's versions' sizes by date as a row of block glyphs
//! (`▁▃▅█`, oldest on the left, the newest at the right edge), for the devices pane when it
//! has room. Each bar is the version's size against the largest shown (0 is a blank, any
//! other size at least the lowest bar); a version not sized yet is `·`. ASCII terminals get
//! `_.-=#`.

use crate::library::Device;
use crate::ui::app::App;

/// Versions shown, and the column's width.
pub(super) const WIDTH: u16 = 8;
/// The least room the devices pane's name column keeps beside the history.
const NAME_ROOM: u16 = 20;
/// The devices pane's other columns: mark, iOS, last backup, versions, size.
const FIXED: [u16; 5] = [1, 7, 13, 8, 9];

/// True when a devices pane `width` wide, with the owner and model columns of these widths,
/// keeps [`NAME_ROOM`] for the names beside the history column.
pub(super) fn fits(width: u16, optional: [Option<u16>; 2]) -> bool {
    let columns = FIXED.iter().copied().chain(optional.into_iter().flatten());
    let (count, used) = columns.fold((1u16, 0u16), |(n, w), c| (n + 1, w + c));
    // Borders, one space between columns, the history and its space.
    let taken = 2 + used + count + WIDTH;
    width.saturating_sub(taken) >= NAME_ROOM
}

const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ASCII: [char; 5] = ['_', '.', '-', '=', '#'];

/// The glyphs for `sizes` (oldest first; `None`: not sized), right-aligned in [`WIDTH`].
pub fn bars(sizes: &[Option<u64>], ascii: bool) -> String {
    let levels: &[char] = if ascii { &ASCII } else { &BLOCKS };
    let unknown = if ascii { '?' } else { '·' };
    let shown = &sizes[sizes.len().saturating_sub(WIDTH as usize)..];
    let max = shown.iter().flatten().copied().max().unwrap_or(0);
    let mut out = " ".repeat(WIDTH as usize - shown.len());
    for size in shown {
        out.push(match size {
            None => unknown,
            Some(0) => ' ',
            Some(s) => {
                let top = levels.len() as u128 - 1;
                let at = u128::from(*s) * top / u128::from(max.max(1));
                levels[at.min(top) as usize]
            }
        });
    }
    out
}

/// The device's dated versions' sizes, oldest first, as the dashboard's figures give them.
pub(super) fn history(app: &App, device: &Device) -> String {
    let mut dated: Vec<_> = device
        .versions
        .iter()
        .filter(|v| v.date.is_some())
        .collect();
    dated.sort_by_key(|v| v.date);
    let sizes: Vec<Option<u64>> = dated
        .iter()
        .map(|v| app.results.sized.get(&v.path).map(|u| u.bytes))
        .collect();
    bars(&sizes, app.options.theme.ascii)
}

#[cfg(test)]
mod tests {
    use super::bars;

    #[test]
    fn bars_scale_to_the_largest_and_keep_the_newest_at_the_right() {
        let gb = 1_000_000_000;
        let sizes = [Some(gb), Some(4 * gb), None, Some(7 * gb), Some(0)];
        assert_eq!(bars(&sizes, false), "   ▂▅·█ ");
        assert_eq!(bars(&sizes, true), "   _-?# ");
        // Nine versions: the eight newest; the smallest non-zero still shows.
        let many: Vec<Option<u64>> = (1..=9).map(|i| Some(i * 1000)).collect();
        assert_eq!(bars(&many, false), "▂▃▄▄▅▆▇█");
        assert_eq!(bars(&[Some(1), Some(1_000_000)], false), "      ▁█");
        assert_eq!(bars(&[], false), "        ");
    }

    #[test]
    fn the_column_shows_where_the_names_keep_20_cells() {
        use super::fits;
        // 80 columns: names get 35 cells, 26 beside the history.
        assert!(fits(80, [None, None]));
        assert!(fits(74, [None, None]) && !fits(73, [None, None]));
        // With the model column (25 wide) from 100 columns; an owner column takes its share.
        assert!(!fits(99, [None, Some(25)]));
        assert!(fits(100, [None, Some(25)]));
        assert!(!fits(100, [Some(12), Some(25)]));
    }
}
