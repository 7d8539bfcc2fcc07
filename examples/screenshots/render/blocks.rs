//! Block elements (U+2580–U+259F) as exact rectangles and braille (U+2800–U+28FF) as round
//! dots, so gauges and bars are solid and charts show (DejaVu Sans Mono has no braille).

use super::canvas::{Image, PxRect};
use super::theme::Rgb;

/// Draws `ch` if it is a block element or braille pattern; returns whether it did.
pub fn draw(img: &mut Image, cell: PxRect, ch: char, fg: Rgb) -> bool {
    match ch as u32 {
        code @ 0x2580..=0x259f => {
            draw_block(img, cell, code, fg);
            true
        }
        code @ 0x2800..=0x28ff => {
            draw_braille(img, cell, (code - 0x2800) as u8, fg);
            true
        }
        _ => false,
    }
}

/// `n` eighths of `len`, rounded to whole pixels.
fn eighths(len: i32, n: i32) -> i32 {
    (len * n + 4) / 8
}

fn draw_block(img: &mut Image, cell: PxRect, code: u32, fg: Rgb) {
    let (w, h) = (cell.w, cell.h);
    let mut fill = |x0: i32, x1: i32, y0: i32, y1: i32, cov: f32| {
        img.fill(cell, cell.sub(x0, x1, y0, y1), fg, cov)
    };
    match code {
        0x2580 => fill(0, w, 0, h / 2, 1.0),
        0x2581..=0x2588 => {
            let n = (code - 0x2580) as i32;
            fill(0, w, h - eighths(h, n), h, 1.0);
        }
        0x2589..=0x258f => {
            let n = (0x2590 - code) as i32;
            fill(0, eighths(w, n), 0, h, 1.0);
        }
        0x2590 => fill(w / 2, w, 0, h, 1.0),
        0x2591..=0x2593 => fill(0, w, 0, h, (code - 0x2590) as f32 / 4.0),
        0x2594 => fill(0, w, 0, eighths(h, 1), 1.0),
        0x2595 => fill(w - eighths(w, 1), w, 0, h, 1.0),
        _ => {
            // Quadrants: bits upper-left, upper-right, lower-left, lower-right.
            let bits: u8 = match code {
                0x2596 => 0b0010,
                0x2597 => 0b0001,
                0x2598 => 0b1000,
                0x2599 => 0b1011,
                0x259a => 0b1001,
                0x259b => 0b1110,
                0x259c => 0b1101,
                0x259d => 0b0100,
                0x259e => 0b0110,
                _ => 0b0111,
            };
            let (mx, my) = (w / 2, h / 2);
            let quads = [
                (0, mx, 0, my),
                (mx, w, 0, my),
                (0, mx, my, h),
                (mx, w, my, h),
            ];
            for (i, q) in quads.iter().enumerate() {
                if bits & (0b1000 >> i) != 0 {
                    fill(q.0, q.1, q.2, q.3, 1.0);
                }
            }
        }
    }
}

/// Braille: dots 1–3 and 7 down the left column, 4–6 and 8 down the right (bits 0–7).
fn draw_braille(img: &mut Image, cell: PxRect, bits: u8, fg: Rgb) {
    const DOTS: [(i32, i32); 8] = [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1, 1),
        (1, 2),
        (0, 3),
        (1, 3),
    ];
    let (w, h) = (cell.w as f32, cell.h as f32);
    let radius = (w / 4.0).min(h / 8.0) * 0.6;
    for (bit, (col, row)) in DOTS.iter().enumerate() {
        if bits & (1 << bit) == 0 {
            continue;
        }
        let cx = w * (2 * col + 1) as f32 / 4.0;
        let cy = h * (2 * row + 1) as f32 / 8.0;
        for py in (cy - radius - 1.0).floor() as i32..=(cy + radius + 1.0).ceil() as i32 {
            for px in (cx - radius - 1.0).floor() as i32..=(cx + radius + 1.0).ceil() as i32 {
                let d = ((px as f32 + 0.5 - cx).powi(2) + (py as f32 + 0.5 - cy).powi(2)).sqrt();
                let cov = (radius + 0.5 - d).clamp(0.0, 1.0);
                img.blend(cell, cell.x + px, cell.y + py, fg, cov);
            }
        }
    }
}
