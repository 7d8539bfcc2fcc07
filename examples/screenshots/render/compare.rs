//! Pixel comparison of a rendered image against a committed PNG, for the test that keeps the
//! committed screenshots up to date. Pixels are compared, not bytes, so a different encoder
//! version does not fail the test.

use std::path::Path;

use super::canvas::Image;

/// The command that regenerates the committed screenshots.
pub const REGENERATE: &str = "cargo run --release --example screenshots";

/// Decodes the PNG at `path` to RGBA (any colour type and bit depth the `png` crate reads).
pub fn decode_png(path: &Path) -> Result<Image, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("{} is not a PNG: {e}", path.display()))?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| format!("{} is too large to decode", path.display()))?;
    let mut buf = vec![0; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("cannot decode {}: {e}", path.display()))?;
    let data: Vec<u8> = match info.color_type {
        png::ColorType::Rgba => buf[..info.buffer_size()].to_vec(),
        png::ColorType::Rgb => buf[..info.buffer_size()]
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => buf[..info.buffer_size()]
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        png::ColorType::Grayscale => buf[..info.buffer_size()]
            .iter()
            .flat_map(|&g| [g, g, g, 255])
            .collect(),
        png::ColorType::Indexed => {
            return Err(format!("{}: indexed PNG was not expanded", path.display()))
        }
    };
    Ok(Image {
        width: info.width,
        height: info.height,
        data,
    })
}

/// Compares the pixels of the PNG at `expected` with `actual`. On any difference (or a missing
/// or unreadable file) the error says what differs and how to regenerate the screenshots.
pub fn compare_png(expected: &Path, actual: &Image) -> Result<(), String> {
    let hint = format!("regenerate with `{REGENERATE}` and commit the PNGs");
    let want = decode_png(expected).map_err(|e| format!("{e}; {hint}"))?;
    if (want.width, want.height) != (actual.width, actual.height) {
        return Err(format!(
            "{}: size {}x{}, rendered {}x{}; {hint}",
            expected.display(),
            want.width,
            want.height,
            actual.width,
            actual.height
        ));
    }
    let diffs: Vec<usize> = (0..want.data.len() / 4)
        .filter(|&i| want.data[i * 4..i * 4 + 4] != actual.data[i * 4..i * 4 + 4])
        .collect();
    let Some(&first) = diffs.first() else {
        return Ok(());
    };
    let (x, y) = (first as u32 % want.width, first as u32 / want.width);
    Err(format!(
        "{}: {} pixels differ, first at ({x}, {y}) = cell ({}, {}): committed {:?}, rendered {:?}; {hint}",
        expected.display(),
        diffs.len(),
        x / super::CELL_W,
        y / super::CELL_H,
        &want.data[first * 4..first * 4 + 4],
        &actual.data[first * 4..first * 4 + 4],
    ))
}
