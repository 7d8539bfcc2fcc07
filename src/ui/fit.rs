//! Fitting text into terminal cells: every pane measures, cuts and pads with these, so a CJK or
//! emoji name (two cells a character) or a combining accent (none) keeps the columns after it in
//! place. Widths are `unicode-width`'s, the measure ratatui draws with.
//!
//! Cut text is marked with `…` (`...` in ASCII mode: [`AsciiCuts`], which [`draw`](super::draw)
//! holds for each frame drawn in ASCII); `~` means only the home folder
//! ([`format::path`](super::format::path)).

use std::cell::Cell;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

thread_local! {
    /// Whether cuts on this thread are marked in ASCII (`...`).
    static ASCII: Cell<bool> = const { Cell::new(false) };
}

/// While alive, text cut on this thread is marked `...` instead of `…` (ASCII mode); the
/// previous marker comes back when it is dropped. The frame is drawn on one thread, so every
/// pane of a frame gets the same marker without each call being told.
#[must_use = "the ASCII marker lasts only while this is alive"]
pub struct AsciiCuts {
    previous: bool,
}

impl AsciiCuts {
    /// Marks cuts in ASCII when `ascii`, else with `…`, until dropped.
    pub fn set(ascii: bool) -> Self {
        AsciiCuts {
            previous: ASCII.with(|a| a.replace(ascii)),
        }
    }
}

impl Drop for AsciiCuts {
    fn drop(&mut self) {
        ASCII.with(|a| a.set(self.previous));
    }
}

/// The marker of cut text: `…`, or `...` in ASCII mode.
pub fn cut_mark() -> &'static str {
    if ASCII.with(Cell::get) {
        "..."
    } else {
        "…"
    }
}

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

/// `s` cut to at most `cells` cells, ending with the [`cut_mark`] when cut (only its start
/// when even the mark does not fit). A wide character that would only half fit before the
/// mark is left out, so the result can be a cell short.
pub fn truncate(s: &str, cells: usize) -> String {
    // Text from disk may hold controls, which ratatui would drop without a trace: they are
    // shown as `�` instead (the one sanitizer, `crate::sanitize`), before anything is measured.
    let s = &*crate::sanitize::for_display(s);
    if width(s) <= cells {
        return s.to_string();
    }
    let mark = cut_mark();
    match cells.checked_sub(width(mark)) {
        Some(room) => format!("{}{mark}", head(s, room).0),
        None => head(mark, cells).0.to_string(),
    }
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
    let text = &*crate::sanitize::for_display(text);
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

/// Shortens a displayed path to `cells` cells from the middle, keeping its start (the home
/// `~`, the user's folder `/Users/ann`, a drive `/Volumes/Backup Drive`, else the first
/// folder) and as many of its last folders as fit: `~/…/MobileSync/Backup`. When even the
/// start and the last folder do not fit, the end is kept (`…/Backup`, then `…ckup`).
pub fn shorten_path(shown: &str, cells: usize) -> String {
    let shown = &*crate::sanitize::for_display(shown);
    if width(shown) <= cells {
        return shown.to_string();
    }
    let mark = cut_mark();
    let parts: Vec<&str> = shown.split('/').collect();
    let start = start_len(&parts);
    let first = parts[..start].join("/");
    // Start, mark, then the most last folders that fit; at least one folder is left out.
    let with_start = (1..parts.len().saturating_sub(start))
        .rev()
        .map(|keep| format!("{first}/{mark}/{}", parts[parts.len() - keep..].join("/")));
    let without = (1..parts.len())
        .rev()
        .map(|keep| format!("{mark}/{}", parts[parts.len() - keep..].join("/")));
    if let Some(fits) = with_start.chain(without).find(|c| width(c) <= cells) {
        return fits;
    }
    match cells.checked_sub(width(mark)) {
        Some(room) => format!("{mark}{}", tail(shown, room)),
        None => head(mark, cells).0.to_string(),
    }
}

/// How many `/`-parts make the start a shortened path keeps: `~`; `/Users/ann`, `/home/ann`;
/// a drive (`/Volumes/NAME`, `/mnt/NAME`, `/media/USER/NAME`, `/run/media/USER/NAME`); else
/// the first folder (`/srv`, `backups`).
fn start_len(parts: &[&str]) -> usize {
    let at = |i: usize| parts.get(i).copied().unwrap_or("");
    let n = match (at(0), at(1), at(2)) {
        ("~", _, _) => 1,
        ("", "Users" | "home" | "Volumes" | "mnt", _) => 3,
        ("", "media", _) => 4,
        ("", "run", "media") => 5,
        ("", _, _) => 2,
        _ => 1,
    };
    n.min(parts.len())
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
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("小林さんのiPhone", 8), "小林さ…");
        // The fourth wide character would straddle the edge: left out, one cell short.
        assert_eq!(truncate("小林さんのiPhone", 7), "小林さ…");
        assert_eq!(width(&truncate("小林さんのiPhone", 7)), 7);
        assert_eq!(truncate("小林さんのiPhone", 6), "小林…");
        assert_eq!(width(&truncate("小林さんのiPhone", 6)), 5);
        assert_eq!(truncate("🎉🎉🎉", 4), "🎉…");
        assert_eq!(truncate("~/x", 2), "~…", "a cut is never marked with ~");
    }

    #[test]
    fn ascii_mode_marks_cuts_with_three_dots_while_set() {
        {
            let _ascii = AsciiCuts::set(true);
            assert_eq!(truncate("abcdef", 5), "ab...");
            assert_eq!(truncate("abcdef", 2), "..");
            assert_eq!(pad("小林さんのiPhone", 6), "小... ");
            assert_eq!(
                shorten_path("~/Library/Application Support/MobileSync", 20),
                "~/.../MobileSync"
            );
        }
        assert_eq!(truncate("abcdef", 5), "abcd…", "the marker comes back");
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
        assert_eq!(pad("写真とビデオ", 5), "写真…");
        assert_eq!(pad("写真とビデオ", 6), "写真… ");
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
    fn paths_shorten_from_the_middle_keeping_the_start_and_the_end() {
        let finder = "~/Library/Application Support/MobileSync/Backup";
        assert_eq!(shorten_path(finder, 60), finder);
        assert_eq!(shorten_path(finder, 24), "~/…/MobileSync/Backup");
        assert_eq!(shorten_path(finder, 12), "~/…/Backup");
        assert_eq!(shorten_path(finder, 9), "…/Backup");
        assert_eq!(shorten_path(finder, 4), "…kup");
        // The user and the app stay, whatever the path's depth.
        let elsewhere =
            "/tmp/b/u/Users/alice/Library/Application Support/MobileSync/Backup/00008120-001A";
        assert_eq!(
            shorten_path(elsewhere, 46),
            "/tmp/…/MobileSync/Backup/00008120-001A"
        );
        let user = "/Users/alice/Library/Application Support/iMazing/Backups";
        assert_eq!(shorten_path(user, 34), "/Users/alice/…/iMazing/Backups");
        let drive = "/Volumes/Backup Drive/iMazing.Backups/iMazing.Versions/Versions/00008120";
        assert_eq!(shorten_path(drive, 40), "/Volumes/Backup Drive/…/00008120");
        // By cells: a wide character that would straddle the cut is left out.
        let shown = shorten_path("/Volumes/写真のディスク/iMazing.Backups", 20);
        assert_eq!(shown, "…/iMazing.Backups");
        let shown = shorten_path("/写真のディスク/写真のディスク", 12);
        assert_eq!(shown, "…のディスク");
        assert_eq!(width(&shown), 11);
        assert_eq!(shorten_path("/a/b", 0), "");
    }
}
