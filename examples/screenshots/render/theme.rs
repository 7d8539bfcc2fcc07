//! The colour table: what `Color::Reset`, the 16 ANSI colours and the 256-colour palette look
//! like in the screenshots.

use ratatui::style::Color;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// Default foreground/background and the 16 ANSI colours (0–7 normal, 8–15 bright).
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// `Color::Reset` as a foreground.
    pub fg: Rgb,
    /// `Color::Reset` as a background.
    pub bg: Rgb,
    /// ANSI 0–15 in order: black, red, green, yellow, blue, magenta, cyan, white (ratatui's
    /// `Gray`), then the bright ones (`DarkGray` … `White`).
    pub ansi: [Rgb; 16],
    /// How much of the foreground a `DIM` cell keeps (the rest is background), 0..=1.
    pub dim: f32,
}

impl Default for Theme {
    /// A dark theme: the palette of VS Code's integrated terminal.
    fn default() -> Self {
        Self {
            fg: Rgb(0xcc, 0xcc, 0xcc),
            bg: Rgb(0x1e, 0x1e, 0x1e),
            ansi: [
                Rgb(0x00, 0x00, 0x00),
                Rgb(0xcd, 0x31, 0x31),
                Rgb(0x0d, 0xbc, 0x79),
                Rgb(0xe5, 0xe5, 0x10),
                Rgb(0x24, 0x72, 0xc8),
                Rgb(0xbc, 0x3f, 0xbc),
                Rgb(0x11, 0xa8, 0xcd),
                Rgb(0xe5, 0xe5, 0xe5),
                Rgb(0x66, 0x66, 0x66),
                Rgb(0xf1, 0x4c, 0x4c),
                Rgb(0x23, 0xd1, 0x8b),
                Rgb(0xf5, 0xf5, 0x43),
                Rgb(0x3b, 0x8e, 0xea),
                Rgb(0xd6, 0x70, 0xd6),
                Rgb(0x29, 0xb8, 0xdb),
                Rgb(0xff, 0xff, 0xff),
            ],
            dim: 0.6,
        }
    }
}

impl Theme {
    /// `color` as a foreground.
    pub fn fg(&self, color: Color) -> Rgb {
        self.resolve(color).unwrap_or(self.fg)
    }

    /// `color` as a background.
    pub fn bg(&self, color: Color) -> Rgb {
        self.resolve(color).unwrap_or(self.bg)
    }

    /// The RGB value of `color`, `None` for `Color::Reset`.
    fn resolve(&self, color: Color) -> Option<Rgb> {
        let ansi = |i: usize| Some(self.ansi[i]);
        match color {
            Color::Reset => None,
            Color::Black => ansi(0),
            Color::Red => ansi(1),
            Color::Green => ansi(2),
            Color::Yellow => ansi(3),
            Color::Blue => ansi(4),
            Color::Magenta => ansi(5),
            Color::Cyan => ansi(6),
            Color::Gray => ansi(7),
            Color::DarkGray => ansi(8),
            Color::LightRed => ansi(9),
            Color::LightGreen => ansi(10),
            Color::LightYellow => ansi(11),
            Color::LightBlue => ansi(12),
            Color::LightMagenta => ansi(13),
            Color::LightCyan => ansi(14),
            Color::White => ansi(15),
            Color::Rgb(r, g, b) => Some(Rgb(r, g, b)),
            Color::Indexed(i) => Some(self.indexed(i)),
        }
    }

    /// xterm's 256-colour palette: 0–15 from the theme, 16–231 the 6×6×6 cube, 232–255 greys.
    pub fn indexed(&self, i: u8) -> Rgb {
        const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
        match i {
            0..=15 => self.ansi[usize::from(i)],
            16..=231 => {
                let n = usize::from(i - 16);
                Rgb(LEVELS[n / 36], LEVELS[(n / 6) % 6], LEVELS[n % 6])
            }
            _ => {
                let v = 8 + 10 * (i - 232);
                Rgb(v, v, v)
            }
        }
    }

    /// `fg` dimmed towards `bg` by [`Theme::dim`].
    pub fn dimmed(&self, fg: Rgb, bg: Rgb) -> Rgb {
        let mix =
            |f: u8, b: u8| (f32::from(b) + (f32::from(f) - f32::from(b)) * self.dim).round() as u8;
        Rgb(mix(fg.0, bg.0), mix(fg.1, bg.1), mix(fg.2, bg.2))
    }
}
