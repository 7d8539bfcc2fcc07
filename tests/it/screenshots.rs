//! Pixel facts about the screenshot rasterizer (`examples/screenshots/render/`): colours,
//! drawn box/block/braille glyphs, bold, reverse, wide characters, determinism and the PNG
//! comparison used to keep committed screenshots up to date.

#[path = "../../examples/screenshots/render/mod.rs"]
mod render;
#[path = "../../examples/screenshots/scenes.rs"]
mod scenes;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use render::{buffer_to_rgba, compare_png, Image, Rgb, Theme, CELL_H, CELL_W};

/// Every pixel of cell (`cx`, `cy`).
fn cell_pixels(img: &Image, cx: u32, cy: u32) -> Vec<Rgb> {
    let mut out = Vec::new();
    for y in cy * CELL_H..(cy + 1) * CELL_H {
        for x in cx * CELL_W..(cx + 1) * CELL_W {
            out.push(img.pixel(x, y));
        }
    }
    out
}

/// Total distance from the background over a cell: how much "ink" it has.
fn ink(img: &Image, cx: u32, cy: u32, bg: Rgb) -> u32 {
    cell_pixels(img, cx, cy)
        .iter()
        .map(|p| {
            u32::from(p.0.abs_diff(bg.0))
                + u32::from(p.1.abs_diff(bg.1))
                + u32::from(p.2.abs_diff(bg.2))
        })
        .sum()
}

fn sample() -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, 8, 3));
    buf.set_string(0, 0, "┌─", Style::new());
    buf.set_string(2, 0, "█", Style::new().fg(Color::Red));
    buf.set_string(3, 0, "M", Style::new());
    buf.set_string(4, 0, "M", Style::new().add_modifier(Modifier::BOLD));
    buf.set_string(5, 0, "x", Style::new().add_modifier(Modifier::REVERSED));
    buf.set_string(6, 0, "⣿", Style::new());
    buf.set_string(0, 1, "│", Style::new());
    buf.set_string(1, 1, " ", Style::new().bg(Color::Indexed(196)));
    buf.set_string(2, 1, " ", Style::new().bg(Color::Indexed(244)));
    buf.set_string(3, 1, " ", Style::new().bg(Color::Rgb(1, 2, 3)));
    buf.set_string(4, 1, " ", Style::new().add_modifier(Modifier::UNDERLINED));
    buf.set_string(5, 1, "日", Style::new().bg(Color::Blue));
    buf.set_string(
        0,
        2,
        "└",
        Style::new().fg(Color::Green).add_modifier(Modifier::DIM),
    );
    buf
}

#[test]
fn image_is_ten_by_twenty_pixels_per_cell() {
    let img = buffer_to_rgba(&sample(), &Theme::default());
    assert_eq!((img.width, img.height), (80, 60));
    assert_eq!(img.data.len(), 80 * 60 * 4);
}

#[test]
fn reset_background_is_the_theme_background() {
    let theme = Theme::default();
    let img = buffer_to_rgba(&sample(), &theme);
    assert_eq!(img.pixel(0, 0), theme.bg);
    assert_eq!(img.pixel(79, 59), theme.bg);
    assert_eq!(theme.bg, Rgb(0x1e, 0x1e, 0x1e));
}

#[test]
fn box_corner_has_its_arms_on_the_centre_lines() {
    let theme = Theme::default();
    let img = buffer_to_rgba(&sample(), &theme);
    // ┌ in cell (0, 0): light strokes are 1 px, centred at x = 4 and y = 9.
    for x in 4..10 {
        assert_eq!(img.pixel(x, 9), theme.fg, "right arm at x={x}");
    }
    for y in 9..20 {
        assert_eq!(img.pixel(4, y), theme.fg, "down arm at y={y}");
    }
    for x in 0..4 {
        assert_eq!(
            img.pixel(x, 9),
            theme.bg,
            "nothing left of the corner at x={x}"
        );
    }
    for y in 0..9 {
        assert_eq!(
            img.pixel(4, y),
            theme.bg,
            "nothing above the corner at y={y}"
        );
    }
    let lit = cell_pixels(&img, 0, 0)
        .iter()
        .filter(|&&p| p == theme.fg)
        .count();
    assert_eq!(lit, 6 + 11 - 1, "exactly the two arms are lit");
}

#[test]
fn borders_join_across_cells() {
    let theme = Theme::default();
    let img = buffer_to_rgba(&sample(), &theme);
    // ┌ then ─: the horizontal line runs unbroken over the cell edge.
    for x in 4..20 {
        assert_eq!(img.pixel(x, 9), theme.fg, "top line at x={x}");
    }
    // ┌ above │ above └: the vertical line runs unbroken down to └'s corner.
    for y in 9..40 {
        assert_eq!(img.pixel(4, y), theme.fg, "left line at y={y}");
    }
}

#[test]
fn full_block_fills_its_cell() {
    let theme = Theme::default();
    let img = buffer_to_rgba(&sample(), &theme);
    let pixels = cell_pixels(&img, 2, 0);
    assert_eq!(pixels.len(), 200);
    assert!(
        pixels.iter().all(|&p| p == theme.ansi[1]),
        "█ in red covers all 200 pixels"
    );
}

#[test]
fn bold_is_the_bold_face() {
    let theme = Theme::default();
    let img = buffer_to_rgba(&sample(), &theme);
    assert_ne!(cell_pixels(&img, 3, 0), cell_pixels(&img, 4, 0));
    let (regular, bold) = (ink(&img, 3, 0, theme.bg), ink(&img, 4, 0, theme.bg));
    assert!(
        bold > regular * 11 / 10,
        "bold M has more ink: {bold} vs {regular}"
    );
    assert!(regular > 0);
}

#[test]
fn reversed_swaps_foreground_and_background() {
    let theme = Theme::default();
    let img = buffer_to_rgba(&sample(), &theme);
    assert_eq!(
        img.pixel(50, 0),
        theme.fg,
        "reversed cell's corner is the default foreground"
    );
    assert!(
        cell_pixels(&img, 5, 0).contains(&theme.bg),
        "its glyph is in the default background"
    );
}

#[test]
fn braille_draws_eight_round_dots() {
    let theme = Theme::default();
    let img = buffer_to_rgba(&sample(), &theme);
    let (x0, y0) = (60, 0);
    for (dx, dy) in [
        (2, 2),
        (7, 2),
        (2, 7),
        (7, 7),
        (2, 12),
        (7, 12),
        (2, 17),
        (7, 17),
    ] {
        assert_eq!(
            img.pixel(x0 + dx, y0 + dy),
            theme.fg,
            "dot centre at ({dx}, {dy})"
        );
    }
    for (dx, dy) in [(5, 5), (0, 0), (9, 19), (5, 10)] {
        assert_eq!(img.pixel(x0 + dx, y0 + dy), theme.bg, "gap at ({dx}, {dy})");
    }
}

#[test]
fn indexed_and_rgb_backgrounds() {
    let img = buffer_to_rgba(&sample(), &Theme::default());
    assert_eq!(
        img.pixel(10, 20),
        Rgb(255, 0, 0),
        "Indexed(196) is cube red"
    );
    assert_eq!(
        img.pixel(20, 20),
        Rgb(128, 128, 128),
        "Indexed(244) is grey 8 + 10 * 12"
    );
    assert_eq!(img.pixel(39, 39), Rgb(1, 2, 3));
}

#[test]
fn underline_is_one_full_row() {
    let theme = Theme::default();
    let img = buffer_to_rgba(&sample(), &theme);
    let rows: Vec<u32> = (20..40)
        .filter(|&y| (40..50).all(|x| img.pixel(x, y) == theme.fg))
        .collect();
    assert_eq!(rows.len(), 1, "one underline row, got {rows:?}");
    let lit = cell_pixels(&img, 4, 1)
        .iter()
        .filter(|&&p| p != theme.bg)
        .count();
    assert_eq!(lit, 10);
}

#[test]
fn wide_character_background_covers_both_cells() {
    let theme = Theme::default();
    let img = buffer_to_rgba(&sample(), &theme);
    assert_eq!(img.pixel(50, 20), theme.ansi[4]);
    assert_eq!(
        img.pixel(69, 39),
        theme.ansi[4],
        "trailing cell painted with the wide symbol's background"
    );
    assert_eq!(img.pixel(70, 20), theme.bg);
}

#[test]
fn dim_mixes_foreground_towards_background() {
    let theme = Theme::default();
    let img = buffer_to_rgba(&sample(), &theme);
    let green = theme.ansi[2];
    let want = theme.dimmed(green, theme.bg);
    assert_eq!(img.pixel(4, 49), want, "└'s corner in dim green");
    assert_ne!(want, green);
}

#[test]
fn png_output_is_deterministic_and_round_trips() {
    let theme = Theme::default();
    let img = buffer_to_rgba(&sample(), &theme);
    let a = render::encode_png(&img).expect("encode");
    let b = render::encode_png(&buffer_to_rgba(&sample(), &theme)).expect("encode");
    assert_eq!(a, b);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sub/sample.png");
    render::buffer_to_png(&sample(), &path, &theme).expect("write");
    assert_eq!(std::fs::read(&path).expect("read"), a);
    assert_eq!(render::decode_png(&path).expect("decode"), img);
}

#[test]
fn compare_png_accepts_equal_pixels_and_names_the_first_difference() {
    let theme = Theme::default();
    let img = buffer_to_rgba(&sample(), &theme);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sample.png");
    render::write_png(&img, &path).expect("write");
    assert_eq!(compare_png(&path, &img), Ok(()));

    let mut changed = img.clone();
    let i = ((25 * img.width + 13) * 4) as usize;
    changed.data[i] ^= 0xff;
    let err = compare_png(&path, &changed).expect_err("one pixel differs");
    assert!(
        err.contains("1 pixels differ, first at (13, 25) = cell (1, 1)"),
        "{err}"
    );
    assert!(
        err.contains("cargo run --release --example screenshots"),
        "{err}"
    );

    let small = buffer_to_rgba(&Buffer::empty(Rect::new(0, 0, 2, 1)), &theme);
    let err = compare_png(&path, &small).expect_err("size differs");
    assert!(err.contains("size 80x60, rendered 20x20"), "{err}");

    let err = compare_png(&dir.path().join("missing.png"), &img).expect_err("missing file");
    assert!(
        err.contains("cannot open") && err.contains("--example screenshots"),
        "{err}"
    );
}

/// The committed `screenshots/*.png` are what the scenes render now (pixels, not bytes): the
/// real dashboard on the demo library, so a UI change that is not re-rendered fails here with
/// the command that regenerates them.
#[test]
fn committed_screenshots_are_up_to_date() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    let theme = Theme::default();
    let mut failures = Vec::new();
    for (name, buf) in scenes::render_all().expect("the scenes render") {
        if let Err(e) = compare_png(
            &dir.join(format!("{name}.png")),
            &buffer_to_rgba(&buf, &theme),
        ) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
