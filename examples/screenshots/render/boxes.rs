//! Box drawing (U+2500–U+257F) drawn as rectangles, arcs and anti-aliased diagonals, so borders
//! join across cells at any cell size (font glyphs for these leave gaps).
//!
//! Each "arm" of a character (up, right, down, left) is none, light, heavy or double. Arms are
//! drawn from the cell edge towards the centre and stop where they meet the perpendicular arms,
//! so corners, tees and crosses close without overlaps that show.

use super::canvas::{Image, PxRect};
use super::theme::Rgb;

const NONE: u8 = 0;
const LIGHT: u8 = 1;
const HEAVY: u8 = 2;
const DOUBLE: u8 = 3;

/// Arms as "URDL" digits (0 none, 1 light, 2 heavy, 3 double) for U+2500..=U+257F; "" marks
/// dashes, arcs and diagonals, drawn by [`draw_special`].
#[rustfmt::skip]
const ARMS: [&str; 128] = [
    // 2500
    "0101", "0202", "1010", "2020", "", "", "", "", "", "", "", "", "0110", "0210", "0120", "0220",
    // 2510
    "0011", "0012", "0021", "0022", "1100", "1200", "2100", "2200", "1001", "1002", "2001", "2002",
    "1110", "1210", "2110", "1120",
    // 2520
    "2120", "2210", "1220", "2220", "1011", "1012", "2011", "1021", "2021", "2012", "1022", "2022",
    "0111", "0112", "0211", "0212",
    // 2530
    "0121", "0122", "0221", "0222", "1101", "1102", "1201", "1202", "2101", "2102", "2201", "2202",
    "1111", "1112", "1211", "1212",
    // 2540
    "2111", "1121", "2121", "2112", "2211", "1122", "1221", "2212", "1222", "2122", "2221", "2222",
    "", "", "", "",
    // 2550
    "0303", "3030", "0310", "0130", "0330", "0013", "0031", "0033", "1300", "3100", "3300", "1003",
    "3001", "3003", "1310", "3130",
    // 2560
    "3330", "1013", "3031", "3033", "0313", "0131", "0333", "1303", "3101", "3303", "1313", "3131",
    "3333", "", "", "",
    // 2570
    "", "", "", "", "0001", "1000", "0100", "0010", "0002", "2000", "0200", "0020", "0201", "1020",
    "0102", "2010",
];

/// Stroke widths in pixels for a cell `w` pixels wide.
struct Widths {
    light: i32,
    heavy: i32,
    /// Distance from the centre line to each stroke of a double line.
    gap: i32,
}

impl Widths {
    fn new(w: i32) -> Self {
        let light = (w / 10).max(1);
        Self {
            light,
            heavy: light * 3,
            gap: light * 2,
        }
    }

    /// Pixel ranges `[a, b)` across a line of weight `weight` in a span `len` pixels long.
    fn strokes(&self, len: i32, weight: u8) -> Vec<(i32, i32)> {
        let c = (len - self.light) / 2;
        match weight {
            NONE => vec![],
            HEAVY => {
                let a = (len - self.heavy) / 2;
                vec![(a, a + self.heavy)]
            }
            DOUBLE => vec![
                (c - self.gap, c - self.gap + self.light),
                (c + self.gap, c + self.gap + self.light),
            ],
            _ => vec![(c, c + self.light)],
        }
    }
}

/// Draws `ch` if it is in U+2500..=U+257F; returns whether it did.
pub fn draw(img: &mut Image, cell: PxRect, ch: char, fg: Rgb) -> bool {
    let code = ch as u32;
    if !(0x2500..=0x257f).contains(&code) {
        return false;
    }
    let arms = ARMS[(code - 0x2500) as usize].as_bytes();
    if arms.is_empty() {
        draw_special(img, cell, code, fg);
        return true;
    }
    let [u, r, d, l] = [
        arms[0] - b'0',
        arms[1] - b'0',
        arms[2] - b'0',
        arms[3] - b'0',
    ];
    let wd = Widths::new(cell.w);
    // Horizontal arms: along x, across y; the perpendicular arms are up and down.
    for (along, across) in arm_spans(&wd, cell.w, cell.h, l, r, u, d) {
        img.fill(
            cell,
            cell.sub(along.0, along.1, across.0, across.1),
            fg,
            1.0,
        );
    }
    for (along, across) in arm_spans(&wd, cell.h, cell.w, u, d, l, r) {
        img.fill(
            cell,
            cell.sub(across.0, across.1, along.0, along.1),
            fg,
            1.0,
        );
    }
    true
}

/// Spans `(along, across)` of the arms towards the start (`neg`) and end (`pos`) of an axis
/// `len` long, given the perpendicular arms `pneg` (towards the start of the cross axis) and
/// `ppos`, in a cell `cross` pixels wide across.
fn arm_spans(
    wd: &Widths,
    len: i32,
    cross: i32,
    neg: u8,
    pos: u8,
    pneg: u8,
    ppos: u8,
) -> Vec<((i32, i32), (i32, i32))> {
    let centre = wd.strokes(len, LIGHT)[0];
    let perp = |p: u8| wd.strokes(len, p);
    let mut out = Vec::new();
    for (weight, forward, opposite) in [(neg, true, pos), (pos, false, neg)] {
        if weight == NONE {
            continue;
        }
        let strokes = wd.strokes(cross, weight);
        for (i, &across) in strokes.iter().enumerate() {
            // Where the stroke meets the centre: its end (going forward) or start (backward).
            let meet = if weight == DOUBLE {
                let (near, far) = if i == 0 { (pneg, ppos) } else { (ppos, pneg) };
                double_meet(&perp(near), &perp(far), centre, forward)
            } else if opposite != NONE {
                if forward {
                    centre.1
                } else {
                    centre.0
                }
            } else {
                single_meet(&perp(pneg), &perp(ppos), centre, forward)
            };
            let along = if forward { (0, meet) } else { (meet, len) };
            out.push((along, across));
        }
    }
    out
}

fn own_end(s: &[(i32, i32)]) -> i32 {
    s.last().map_or(0, |r| r.1)
}

fn own_start(s: &[(i32, i32)]) -> i32 {
    s.first().map_or(0, |r| r.0)
}

/// A stroke of a double arm stops at the near stroke of the perpendicular arm on its side, or
/// runs to the far side of the perpendicular arm on the other side (an outer corner).
fn double_meet(near: &[(i32, i32)], far: &[(i32, i32)], centre: (i32, i32), forward: bool) -> i32 {
    match (near.is_empty(), far.is_empty(), forward) {
        (false, _, true) => near[0].1,
        (false, _, false) => near[near.len() - 1].0,
        (true, false, true) => own_end(far),
        (true, false, false) => own_start(far),
        (true, true, true) => centre.1,
        (true, true, false) => centre.0,
    }
}

/// A light or heavy arm with no opposite arm stops at the near stroke when perpendicular arms
/// go both ways (a tee), runs to the far side when only one does (a corner), else to its centre.
fn single_meet(pneg: &[(i32, i32)], ppos: &[(i32, i32)], centre: (i32, i32), forward: bool) -> i32 {
    let both = !pneg.is_empty() && !ppos.is_empty();
    let all: Vec<(i32, i32)> = pneg.iter().chain(ppos).copied().collect();
    if all.is_empty() {
        return if forward { centre.1 } else { centre.0 };
    }
    match (both, forward) {
        (true, true) => pneg[0].1.min(ppos[0].1),
        (true, false) => pneg[pneg.len() - 1].0.max(ppos[ppos.len() - 1].0),
        (false, true) => all.iter().map(|r| r.1).max().unwrap_or(0),
        (false, false) => all.iter().map(|r| r.0).min().unwrap_or(0),
    }
}

/// Dashed lines, rounded corners and diagonals.
fn draw_special(img: &mut Image, cell: PxRect, code: u32, fg: Rgb) {
    let wd = Widths::new(cell.w);
    match code {
        0x2504..=0x250b | 0x254c..=0x254f => {
            let (dashes, heavy, vertical) = match code {
                0x254c..=0x254f => (2, code & 1 == 1, code >= 0x254e),
                _ => (
                    if code < 0x2508 { 3 } else { 4 },
                    code & 1 == 1,
                    code & 2 == 2,
                ),
            };
            let weight = if heavy { HEAVY } else { LIGHT };
            let (len, cross) = if vertical {
                (cell.h, cell.w)
            } else {
                (cell.w, cell.h)
            };
            let across = wd.strokes(cross, weight)[0];
            let gap = (len / dashes / 3).max(1);
            for i in 0..dashes {
                let (a, b) = (i * len / dashes, (i + 1) * len / dashes - gap);
                let r = if vertical {
                    cell.sub(across.0, across.1, a, b)
                } else {
                    cell.sub(a, b, across.0, across.1)
                };
                img.fill(cell, r, fg, 1.0);
            }
        }
        0x256d..=0x2570 => {
            // ╭ down+right, ╮ down+left, ╯ up+left, ╰ up+right
            let (sx, sy) = match code {
                0x256d => (1, 1),
                0x256e => (-1, 1),
                0x256f => (-1, -1),
                _ => (1, -1),
            };
            draw_arc(img, cell, &wd, sx, sy, fg);
        }
        _ => {
            let w = cell.w as f32;
            let h = cell.h as f32;
            if code != 0x2572 {
                draw_segment(img, cell, (w, 0.0), (0.0, h), wd.light as f32, fg);
            }
            if code != 0x2571 {
                draw_segment(img, cell, (0.0, 0.0), (w, h), wd.light as f32, fg);
            }
        }
    }
}

/// A rounded corner: a quarter circle joining the centre lines, plus straight runs to the edges
/// in directions `sx` (1 right, -1 left) and `sy` (1 down, -1 up).
fn draw_arc(img: &mut Image, cell: PxRect, wd: &Widths, sx: i32, sy: i32, fg: Rgb) {
    let vx = wd.strokes(cell.w, LIGHT)[0];
    let hy = wd.strokes(cell.h, LIGHT)[0];
    let (cx, cy) = ((vx.0 + vx.1) as f32 / 2.0, (hy.0 + hy.1) as f32 / 2.0);
    let r = cx.min(cell.w as f32 - cx).min(cy).min(cell.h as f32 - cy);
    let (ax, ay) = (cx + sx as f32 * r, cy + sy as f32 * r);
    let half = wd.light as f32 / 2.0;
    for py in 0..cell.h {
        for px in 0..cell.w {
            let (fx, fy) = (px as f32 + 0.5, py as f32 + 0.5);
            if (fx - ax) * sx as f32 > 0.0 || (fy - ay) * sy as f32 > 0.0 {
                continue;
            }
            let d = ((fx - ax).powi(2) + (fy - ay).powi(2)).sqrt();
            let cov = (half + 0.5 - (d - r).abs()).clamp(0.0, 1.0);
            img.blend(cell, cell.x + px, cell.y + py, fg, cov);
        }
    }
    let (x0, x1) = if sx > 0 {
        (ax.ceil() as i32, cell.w)
    } else {
        (0, ax.floor() as i32)
    };
    img.fill(cell, cell.sub(x0, x1, hy.0, hy.1), fg, 1.0);
    let (y0, y1) = if sy > 0 {
        (ay.ceil() as i32, cell.h)
    } else {
        (0, ay.floor() as i32)
    };
    img.fill(cell, cell.sub(vx.0, vx.1, y0, y1), fg, 1.0);
}

/// An anti-aliased line `width` pixels thick from `a` to `b` (cell-relative coordinates).
fn draw_segment(img: &mut Image, cell: PxRect, a: (f32, f32), b: (f32, f32), width: f32, fg: Rgb) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    for py in 0..cell.h {
        for px in 0..cell.w {
            let (fx, fy) = (px as f32 + 0.5, py as f32 + 0.5);
            let dist = ((fx - a.0) * dy - (fy - a.1) * dx).abs() / len;
            let cov = (width / 2.0 + 0.5 - dist).clamp(0.0, 1.0);
            img.blend(cell, cell.x + px, cell.y + py, fg, cov);
        }
    }
}
