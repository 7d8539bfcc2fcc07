//! Rasterizes a ratatui [`Buffer`] to an RGBA image or PNG file, the way a terminal would show
//! it: dev-only tooling for the README screenshots and the tests that keep them honest.
//!
//! Shared by the `screenshots` example (`mod render;`) and integration tests
//! (`#[path = "../examples/screenshots/render/mod.rs"] mod render;`). Text goes through
//! DejaVu Sans Mono ([`font`]); box drawing, block elements and braille are drawn as shapes
//! ([`boxes`], [`blocks`]) so borders join and gauges are solid. Colours come from a
//! [`Theme`]. Output is deterministic: the same buffer gives byte-identical PNGs.
#![allow(dead_code, unused_imports)]

mod blocks;
mod boxes;
mod canvas;
mod compare;
mod font;
mod theme;

use std::path::Path;

use anyhow::Context;
use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

pub use canvas::{Image, PxRect};
pub use compare::{compare_png, decode_png, REGENERATE};
pub use font::{CELL_H, CELL_W};
pub use theme::{Rgb, Theme};

/// Renders `buf` to an RGBA image of `CELL_W`×`CELL_H` pixels per cell.
pub fn buffer_to_rgba(buf: &Buffer, theme: &Theme) -> Image {
    let area = buf.area;
    let mut img = Image::new(
        u32::from(area.width) * CELL_W,
        u32::from(area.height) * CELL_H,
        theme.bg,
    );
    let mut glyphs = font::GlyphCache::default();
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let cell = &buf[(area.x + x, area.y + y)];
            let wide = cell.symbol().width() >= 2 && x + 1 < area.width;
            let span = if wide { 2 } else { 1 };
            let rect = PxRect {
                x: i32::from(x) * CELL_W as i32,
                y: i32::from(y) * CELL_H as i32,
                w: span * CELL_W as i32,
                h: CELL_H as i32,
            };
            draw_cell(&mut img, rect, cell, theme, &mut glyphs);
            x += span as u16;
        }
    }
    img
}

/// Renders `buf` and writes it to `path` as an 8-bit RGB PNG (zlib level 6, like the `png`
/// crate's later `Balanced`), creating the parent directory.
pub fn buffer_to_png(buf: &Buffer, path: &Path, theme: &Theme) -> anyhow::Result<()> {
    let img = buffer_to_rgba(buf, theme);
    write_png(&img, path)
}

/// Writes `img` to `path` as an 8-bit RGB PNG.
pub fn write_png(img: &Image, path: &Path) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let bytes = encode_png(img).with_context(|| format!("encoding {}", path.display()))?;
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// `img` as PNG bytes (RGB, no alpha: every pixel is opaque).
pub fn encode_png(img: &Image) -> anyhow::Result<Vec<u8>> {
    let rgb: Vec<u8> = img
        .data
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, img.width, img.height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Balanced);
    enc.set_filter(png::Filter::Paeth);
    let mut writer = enc.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

/// Paints one cell (or two, for a wide character) into `rect`.
fn draw_cell(
    img: &mut Image,
    rect: PxRect,
    cell: &Cell,
    theme: &Theme,
    glyphs: &mut font::GlyphCache,
) {
    let m = cell.modifier;
    let (mut fg, mut bg) = (theme.fg(cell.fg), theme.bg(cell.bg));
    if m.contains(Modifier::REVERSED) {
        std::mem::swap(&mut fg, &mut bg);
    }
    if m.contains(Modifier::DIM) {
        fg = theme.dimmed(fg, bg);
    }
    img.fill(rect, rect, bg, 1.0);
    if m.contains(Modifier::HIDDEN) {
        return;
    }
    let mut chars = cell.symbol().chars();
    let Some(first) = chars.next() else { return };
    if !boxes::draw(img, rect, first, fg) && !blocks::draw(img, rect, first, fg) {
        let bold = m.contains(Modifier::BOLD);
        draw_glyph(img, rect, first, bold, fg, glyphs);
        // Combining marks of the same grapheme land on the same pen position.
        for ch in chars.filter(|c| unicode_width::UnicodeWidthChar::width(*c) == Some(0)) {
            draw_glyph(img, rect, ch, bold, fg, glyphs);
        }
    }
    let baseline = font::fonts().baseline;
    if m.contains(Modifier::UNDERLINED) {
        let color = match cell.underline_color {
            Color::Reset => fg,
            c => theme.fg(c),
        };
        let y = (baseline + 2).min(rect.h - 1);
        img.fill(rect, rect.sub(0, rect.w, y, y + 1), color, 1.0);
    }
    if m.contains(Modifier::CROSSED_OUT) {
        let y = baseline - (CELL_H as i32) * 3 / 10;
        img.fill(rect, rect.sub(0, rect.w, y, y + 1), fg, 1.0);
    }
}

/// Blends the font glyph for `ch` into `rect`, clipped to it, centred in the cell.
fn draw_glyph(
    img: &mut Image,
    rect: PxRect,
    ch: char,
    bold: bool,
    fg: Rgb,
    glyphs: &mut font::GlyphCache,
) {
    let g = glyphs.get(ch, bold);
    let advance = (font::FONT_PX * 0.602).round() as i32;
    let pen_x = rect.x + (CELL_W as i32 - advance) / 2;
    let top = rect.y + font::fonts().baseline + g.top;
    for gy in 0..g.height {
        for gx in 0..g.width {
            let cov = g.coverage[gy * g.width + gx];
            img.blend(rect, pen_x + g.xmin + gx as i32, top + gy as i32, fg, cov);
        }
    }
}
