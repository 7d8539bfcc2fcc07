//! The bytes an xterm-compatible terminal sends for keys, as crossterm parses them.

/// A key to send with [`super::pty::Pty::send_key`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Tab,
    /// Shift+Tab.
    BackTab,
    Enter,
    Esc,
    Backspace,
    Delete,
    /// A printable character.
    Char(char),
    /// Ctrl + a letter, e.g. `Ctrl('c')`.
    Ctrl(char),
}

impl Key {
    /// The byte sequence for this key (normal cursor-key mode; crossterm accepts both modes).
    pub fn bytes(self) -> Vec<u8> {
        let s: &[u8] = match self {
            Key::Up => b"\x1b[A",
            Key::Down => b"\x1b[B",
            Key::Right => b"\x1b[C",
            Key::Left => b"\x1b[D",
            Key::Home => b"\x1b[H",
            Key::End => b"\x1b[F",
            Key::PageUp => b"\x1b[5~",
            Key::PageDown => b"\x1b[6~",
            Key::Tab => b"\t",
            Key::BackTab => b"\x1b[Z",
            Key::Enter => b"\r",
            Key::Esc => b"\x1b",
            Key::Backspace => b"\x7f",
            Key::Delete => b"\x1b[3~",
            Key::Char(c) => return c.to_string().into_bytes(),
            Key::Ctrl(c) => return vec![(c.to_ascii_lowercase() as u8) & 0x1f],
        };
        s.to_vec()
    }
}
