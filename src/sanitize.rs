//! Text from disk made safe for a terminal: the one sanitizer for every string a backup (or a
//! folder name) supplies that backtop shows.
//!
//! A crafted `Info.plist` device name, a folder name or a file name inside a backup may hold
//! escape sequences (`ESC [ 2 J` clears the screen, `ESC ] 2 ;` sets a tmux pane title),
//! newlines that forge extra lines of output, or bidirectional overrides that make text read
//! backwards. [`for_display`] replaces every such character with `�` (U+FFFD), so the attempt
//! stays visible and nothing reaches the terminal as a control:
//!
//! - C0 controls (`\0`–`\x1f`, including ESC, `\n`, `\r`, `\t`), DEL, C1 controls
//!   (`\u{80}`–`\u{9f}`, including the one-byte CSI `\u{9b}`);
//! - bidirectional formatting: LRM/RLM/ALM, the embeddings and overrides U+202A–U+202E and the
//!   isolates U+2066–U+2069.
//!
//! Where it is used, once per output path: the dashboard sanitizes the whole frame after it is
//! drawn ([`buffer`], called by [`crate::ui::view::draw`]), so every string in every pane is
//! covered (ratatui itself drops control characters before they reach the buffer, so the
//! dashboard's text passes through [`for_display`] before ratatui sees it: in `ui::fit`'s
//! truncate, wrap and shorten_path, which every column of text from disk goes through, and in
//! the pane titles; there too they show as `�`); the text outputs of `list`, `roots`, `du`, `verify`, `rm` and `prune` pass each
//! string from disk through [`for_display`] where they format it. JSON output is not
//! sanitized: JSON escapes control characters itself.

use std::borrow::Cow;

use ratatui::buffer::Buffer;

/// What a dangerous character is shown as.
pub const REPLACEMENT: char = '\u{FFFD}';

/// True for a character that must never reach a terminal from disk (see the module doc).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every unsafe character replaced by `�`; borrowed when nothing had to change.
pub fn for_display(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_unsafe(c) { REPLACEMENT } else { c })
            .collect(),
    )
}

/// A path for display: its lossy text (non-UTF-8 bytes become `�`), then [`for_display`].
pub fn path(p: impl AsRef<std::path::Path>) -> String {
    for_display(&p.as_ref().to_string_lossy()).into_owned()
}

/// Sanitizes a drawn frame in place: a cell whose symbol is one unsafe character becomes `�`;
/// unsafe characters joined to a cell's symbol (zero-width, such as a bidi override after a
/// letter) are dropped, so the columns stay where they were drawn.
pub fn buffer(buf: &mut Buffer) {
    for cell in buf.content.iter_mut() {
        let symbol = cell.symbol();
        if !symbol.chars().any(is_unsafe) {
            continue;
        }
        let kept: String = symbol.chars().filter(|&c| !is_unsafe(c)).collect();
        if kept.is_empty() {
            cell.set_char(REPLACEMENT);
        } else {
            cell.set_symbol(&kept);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn escapes_newlines_and_bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(
            for_display("Ann\x1b[2J\nx\u{9b}y\u{7f}"),
            "Ann\u{FFFD}[2J\u{FFFD}x\u{FFFD}y\u{FFFD}"
        );
        assert_eq!(
            for_display("a\u{202E}gpj.exe\u{2066}b\u{200F}"),
            "a\u{FFFD}gpj.exe\u{FFFD}b\u{FFFD}"
        );
        assert_eq!(for_display("\x1b]2;pwned\x07"), "\u{FFFD}]2;pwned\u{FFFD}");
    }

    #[test]
    fn safe_text_is_borrowed_unchanged() {
        for text in ["Anna's iPhone ✓", "日本語のアプリ", "émoji 👍", ""] {
            assert!(matches!(for_display(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn a_drawn_frame_keeps_no_control_character() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
        buf.set_string(0, 0, "ab", ratatui::style::Style::default());
        buf[(2, 0)].set_symbol("\x1b");
        buf[(3, 0)].set_symbol("c\u{202E}");
        buf[(4, 0)].set_symbol("\u{9b}");
        buffer(&mut buf);
        let line: String = buf.content.iter().map(|c| c.symbol()).collect();
        assert_eq!(line, "ab\u{FFFD}c\u{FFFD}       ");
    }
}
