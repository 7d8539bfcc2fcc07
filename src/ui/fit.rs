//! Fitting text into terminal cells: every pane measures, cuts and pads with these, so a CJK or
//! emoji name (two cells a character) or a combining accent (none) keeps the columns after it in
//! place. Widths are `unicode-width`'s, the measure ratatui draws with.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The marker ending cut text.
const CUT: char = '~';

/// How many terminal cells `s` takes.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// The longest start of `s` that takes at most `cells` cells (a wide character that would
/// straddle the edge is left out), and the cells it takes.
fn head(s: &str, cells: usize) -> (&str, usize) {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = char_width(c);
        if used + w > cells {
            return (&s[..i], used);
        }
        used += w;
    }
    (s, used)
}

/// The longest end of `s` that takes at most `cells` cells.
fn tail(s: &str, cells: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices().rev() {
        let w = char_width(c);
        if used + w > cells {
            return &s[i + c.len_utf8()..];
        }
        used += w;
    }
    s
}

/// `s` cut to at most `cells` cells, ending with `~` when cut. A wide character that would
/// only half fit before the `~` is left out, so the result can be a cell short.
pub fn truncate(s: &str, cells: usize) -> String {
    if width(s) <= cells {
        return s.to_string();
    }
    if cells == 0 {
        return String::new();
    }
    let (kept, _) = head(s, cells - 1);
    format!("{kept}{CUT}")
}

/// `s` cut as [`truncate`] does, then padded with spaces on the right to exactly `cells` cells.
pub fn pad(s: &str, cells: usize) -> String {
    let cut = truncate(s, cells);
    let fill = cells - width(&cut);
    format!("{cut}{}", " ".repeat(fill))
}

/// `s` cut as [`truncate`] does, then padded with spaces on the left to exactly `cells` cells
/// (right-aligned).
pub fn pad_left(s: &str, cells: usize) -> String {
    let cut = truncate(s, cells);
    let fill = cells - width(&cut);
    format!("{}{cut}", " ".repeat(fill))
}

/// `text` broken into lines of at most `cells` cells at spaces (a word longer than a line is
/// cut). Always at least one line.
pub fn wrap(text: &str, cells: usize) -> Vec<String> {
    let cells = cells.max(1);
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let mut word = word;
        loop {
            let line = lines.last_mut().expect("wrap starts with one line");
            let used = width(line);
            let gap = usize::from(used > 0);
            if used + gap + width(word) <= cells {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                break;
            }
            if used == 0 {
                let (part, taken) = head(word, cells);
                // A wide character in a one-cell line still has to go somewhere.
                let part = if taken == 0 {
                    let first = word.chars().next().map_or(0, char::len_utf8);
                    &word[..first]
                } else {
                    part
                };
                line.push_str(part);
                word = &word[part.len()..];
                if word.is_empty() {
                    break;
                }
            }
            lines.push(String::new());
        }
    }
    lines
}

/// Shortens a displayed path to `cells` cells: first leading folders become their first letter
/// (`~/L/A/MobileSync/Backup`), then the start is cut (`~Sync/Backup`).
pub fn shorten_path(shown: &str, cells: usize) -> String {
    if width(shown) <= cells {
        return shown.to_string();
    }
    let parts: Vec<&str> = shown.split('/').collect();
    let mut out: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
    for i in 0..parts.len().saturating_sub(2) {
        if let Some(c) = parts[i].chars().next() {
            out[i] = c.to_string();
        }
        let joined = out.join("/");
        if width(&joined) <= cells {
            return joined;
        }
    }
    if cells == 0 {
        return String::new();
    }
    format!("{CUT}{}", tail(&out.join("/"), cells - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cells_not_characters() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("写真"), 4);
        assert_eq!(width("📷 Photos"), 9);
        assert_eq!(width("e\u{301}"), 1, "a combining accent takes no cell");
    }

    #[test]
    fn truncate_cuts_by_cells_and_marks_the_cut() {
        assert_eq!(truncate("abcdef", 4), "abc~");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("小林さんのiPhone", 8), "小林さ~");
        // The fourth wide character would straddle the edge: left out, one cell short.
        assert_eq!(truncate("小林さんのiPhone", 7), "小林さ~");
        assert_eq!(width(&truncate("小林さんのiPhone", 7)), 7);
        assert_eq!(truncate("小林さんのiPhone", 6), "小林~");
        assert_eq!(width(&truncate("小林さんのiPhone", 6)), 5);
        assert_eq!(truncate("🎉🎉🎉", 4), "🎉~");
    }

    #[test]
    fn pad_gives_exactly_the_cells_asked_for() {
        for s in ["abc", "写真とビデオ", "🎉 Party", "e\u{301}te\u{301}", ""] {
            for cells in 0..12 {
                assert_eq!(width(&pad(s, cells)), cells, "{s:?} in {cells}");
                assert_eq!(width(&pad_left(s, cells)), cells, "{s:?} in {cells}");
            }
        }
        assert_eq!(pad("写真", 6), "写真  ");
        assert_eq!(pad_left("写真", 6), "  写真");
        assert_eq!(pad("写真とビデオ", 5), "写真~");
        assert_eq!(pad("写真とビデオ", 6), "写真~ ");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words_by_cells() {
        assert_eq!(
            wrap("grant Full Disk Access to it", 12),
            ["grant Full", "Disk Access", "to it"]
        );
        assert_eq!(wrap("abcdefghij xy", 4), ["abcd", "efgh", "ij", "xy"]);
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("one  two", 0), ["o", "n", "e", "t", "w", "o"]);
        assert_eq!(wrap("写真とビデオ", 5), ["写真", "とビ", "デオ"]);
        assert_eq!(wrap("写真", 1), ["写", "真"]);
    }

    #[test]
    fn paths_shorten_by_cells() {
        assert_eq!(
            shorten_path("~/Library/Application Support/MobileSync/Backup", 24),
            "~/L/A/MobileSync/Backup"
        );
        // A wide character that would straddle the cut is left out: one cell short.
        let shown = shorten_path("/Volumes/写真のディスク/iMazing.Backups", 20);
        assert_eq!(shown, "~ク/iMazing.Backups");
        assert_eq!(width(&shown), 19);
        assert_eq!(shorten_path("/a/b", 0), "");
    }
}
