//! DejaVu Sans Mono regular and bold (committed under `tests/fonts/`, Bitstream Vera licence),
//! rasterized with `fontdue`, with a small gamma lift so light text on dark looks like a real
//! terminal's.

use std::collections::HashMap;
use std::sync::OnceLock;

use fontdue::{Font, FontSettings};

/// Width of one terminal cell in pixels.
pub const CELL_W: u32 = 10;
/// Height of one terminal cell in pixels.
pub const CELL_H: u32 = 20;
/// Font size in pixels: DejaVu Sans Mono advances 0.602 em, so 16 px fits a 10 px cell.
pub const FONT_PX: f32 = 16.0;
/// Coverage is raised to this power before blending (thin light-on-dark strokes look fuller).
pub const GAMMA_LIFT: f32 = 0.8;

const REGULAR: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fonts/DejaVuSansMono.ttf"
));
const BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fonts/DejaVuSansMono-Bold.ttf"
));

/// The two faces, parsed once per process.
pub struct Fonts {
    pub regular: Font,
    pub bold: Font,
    /// Baseline offset from the top of a cell, in pixels.
    pub baseline: i32,
}

/// The parsed fonts (parsing takes a few milliseconds, so it happens once).
pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let parse = |bytes: &[u8]| {
            Font::from_bytes(bytes, FontSettings::default())
                .unwrap_or_else(|e| panic!("committed DejaVu font does not parse: {e}"))
        };
        let regular = parse(REGULAR);
        let bold = parse(BOLD);
        let baseline = match regular.horizontal_line_metrics(FONT_PX) {
            Some(m) => {
                let pad = (CELL_H as f32 - (m.ascent - m.descent)) / 2.0;
                (pad + m.ascent).round() as i32
            }
            None => (CELL_H as f32 * 0.78).round() as i32,
        };
        Fonts {
            regular,
            bold,
            baseline,
        }
    })
}

/// One rasterized glyph: bitmap with gamma-lifted coverage and its placement.
pub struct Glyph {
    /// Left edge of the bitmap relative to the pen position.
    pub xmin: i32,
    /// Top edge of the bitmap relative to the baseline (negative is above).
    pub top: i32,
    pub width: usize,
    pub height: usize,
    /// Coverage 0..=1 per pixel, rows top to bottom.
    pub coverage: Vec<f32>,
}

/// A per-render cache of rasterized glyphs, keyed by character and boldness.
#[derive(Default)]
pub struct GlyphCache {
    glyphs: HashMap<(char, bool), Glyph>,
}

impl GlyphCache {
    /// The glyph for `ch` in the regular or bold face.
    pub fn get(&mut self, ch: char, bold: bool) -> &Glyph {
        self.glyphs.entry((ch, bold)).or_insert_with(|| {
            let f = fonts();
            let font = if bold { &f.bold } else { &f.regular };
            let (m, bitmap) = font.rasterize(ch, FONT_PX);
            let coverage = bitmap
                .iter()
                .map(|&c| (f32::from(c) / 255.0).powf(GAMMA_LIFT))
                .collect();
            Glyph {
                xmin: m.xmin,
                top: -(m.ymin + m.height as i32),
                width: m.width,
                height: m.height,
                coverage,
            }
        })
    }
}
