//! Rendering tests: the real `draw` into ratatui's `TestBackend`, compared with text snapshots
//! under `tests/snapshots/` (exact; set `UPDATE_SNAPSHOTS=1` to rewrite them after reading the
//! diff), plus cell-level checks for NO_COLOR and ASCII mode.

use crate::support::ui_fixture;
use crate::support::ui_screen;

use backtop::library::volume::VolumeUsage;
use backtop::scan::ScanEvent;
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use ui_fixture::*;
use ui_screen::{render, text};

fn snapshot(name: &str, buf: &Buffer) {
    ui_screen::snapshot(name, &text(buf));
}

#[test]
fn main_screen_at_80x24() {
    let mut app = scanned(options(true, false, false));
    snapshot("main_80x24", &render(&mut app, 80, 24));
}

#[test]
fn main_screen_at_200x60_keeps_every_column() {
    let mut app = scanned(options(true, false, false));
    app.update(ch('j'));
    let buf = render(&mut app, 200, 60);
    let screen = text(&buf);
    let row = screen
        .lines()
        .find(|l| l.contains("2024-05-20 11:30"))
        .expect("the snapshot row");
    assert!(
        row.starts_with(
            "│      2024-05-20 11:30 UTC    3 weeks ago   snapshot iMazing 17.5      43 GB     3 GB complete"
        ),
        "a wide versions pane shows date, age, kind, source, iOS, size, unique and state:\n{row}"
    );
    assert!(
        screen.contains("Photos & videos    ███"),
        "the breakdown has bars:\n{screen}"
    );
    assert!(
        screen.contains("backups 141.1 GB"),
        "the disk gauge has every figure:\n{screen}"
    );
}

#[test]
fn main_screen_at_160x48() {
    let mut app = scanned(options(true, false, false));
    snapshot("main_160x48", &render(&mut app, 160, 48));
}

#[test]
fn phone_versions_with_marks_at_80x24() {
    let mut app = scanned(options(true, false, false));
    for m in [ch('j'), key(KeyCode::Enter), ch(' '), ch(' ')] {
        app.update(m);
    }
    let buf = render(&mut app, 80, 24);
    snapshot("phone_marked_80x24", &buf);
}

#[test]
fn damaged_version_shows_its_reason() {
    let mut app = scanned(options(true, false, false));
    for m in [ch('G'), key(KeyCode::Enter)] {
        app.update(m);
    }
    let buf = render(&mut app, 80, 24);
    let screen = text(&buf);
    assert!(
        screen.contains("damaged: Status.plist is missing"),
        "the detail line tells why:\n{screen}"
    );
    // A narrow pane shows the state as a glyph (the help's legend says which).
    let row = (0..24)
        .find(|y| line(&buf, *y).contains("2019-02-14 ") && line(&buf, *y).contains('\u{2717}'))
        .expect("the damaged row, marked \u{2717}");
    let cell = &buf[(20, row)];
    assert_eq!(cell.fg, Color::Red, "the damaged row is red");
}

#[test]
fn help_overlay_at_80x24() {
    let mut app = scanned(options(true, false, false));
    app.update(ch('?'));
    snapshot("help_80x24", &render(&mut app, 80, 24));
}

#[test]
fn delete_confirmation_at_80x24() {
    let mut app = scanned(options(true, false, false));
    for m in [ch('j'), key(KeyCode::Enter), ch('G'), ch('d')] {
        app.update(m);
    }
    snapshot("confirm_80x24", &render(&mut app, 80, 24));
}

#[test]
fn scanning_shows_progress_and_partial_figures() {
    let mut app = fresh(options(true, false, false));
    app.update(scan_started());
    let (path, usage) = usages().remove(0);
    app.update(scan_event(ScanEvent::Sized { path, usage }));
    app.update(scan_event(ScanEvent::Progress {
        path: p("phone-archive"),
        files: 1_000,
        bytes: 2_000_000_000,
    }));
    snapshot("scanning_80x24", &render(&mut app, 80, 24));
}

#[test]
fn too_small_terminal_gets_a_message() {
    let mut app = scanned(options(true, false, false));
    let buf = render(&mut app, 40, 10);
    let screen = text(&buf);
    assert!(
        screen
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains("backtop needs at least 60\u{d7}16; this terminal is 40\u{d7}10"),
        "the message names both sizes:\n{screen}"
    );
    for (w, h) in [(0, 0), (1, 1), (59, 24), (80, 15), (60, 16)] {
        render(&mut app, w, h); // must not panic at any size
    }
}

#[test]
fn no_color_means_no_colour_in_any_cell() {
    let mut app = scanned(options(false, false, false));
    for m in [ch('j'), key(KeyCode::Enter), ch(' ')] {
        app.update(m);
    }
    for (w, h) in [(80, 24), (160, 48)] {
        let buf = render(&mut app, w, h);
        for cell in buf.content() {
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Reset, Color::Reset),
                "no colour at {w}x{h}: {cell:?}"
            );
        }
    }
    app.update(ch('?'));
    let buf = render(&mut app, 80, 24);
    assert!(
        buf.content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "nor in help"
    );
}

#[test]
fn default_colours_are_the_16_ansi_ones() {
    let mut app = scanned(options(true, false, false));
    let buf = render(&mut app, 160, 48);
    for cell in buf.content() {
        for c in [cell.fg, cell.bg] {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                "only ANSI colours: {cell:?}"
            );
        }
    }
}

#[test]
fn ascii_mode_draws_no_box_or_block_characters() {
    let mut app = scanned(options(true, true, false));
    for m in [ch('j'), key(KeyCode::Enter), ch(' ')] {
        app.update(m);
    }
    let mut screens = vec![render(&mut app, 80, 24), render(&mut app, 160, 48)];
    app.update(ch('?'));
    screens.push(render(&mut app, 80, 24));
    for buf in &screens {
        for cell in buf.content() {
            assert!(
                cell.symbol().is_ascii(),
                "only ASCII in ASCII mode: {:?}",
                cell.symbol()
            );
        }
    }
    snapshot("ascii_80x24", &screens[0]);
}

#[test]
fn odd_volumes_do_not_panic() {
    let mut app = scanned(options(true, false, false));
    let zero = VolumeUsage {
        path: "/Volumes/Empty".into(),
        total: 0,
        free: 0,
        backup_bytes: 0,
        roots: vec![],
    };
    let over = VolumeUsage {
        path: "/Volumes/Odd".into(),
        total: 10,
        free: 50,
        backup_bytes: 900,
        roots: vec![],
    };
    app.update(scan_event(ScanEvent::Volumes(vec![zero, over])));
    let screen = text(&render(&mut app, 80, 24));
    assert!(
        screen.contains("0% used, 0 B free, backups 0 B"),
        "a 0-byte volume shows zeros:\n{screen}"
    );
}

#[test]
fn footer_degrades_on_narrow_terminals() {
    let mut app = scanned(options(true, false, false));
    let wide = text(&render(&mut app, 200, 60));
    let last = wide.lines().last().unwrap_or_default().to_string();
    assert_eq!(
        last,
        " / filter  d delete all  Space mark all  Enter go in  Tab pane  ? help  q quit  s sort  r rescan  a disk usage  p prune  R roots  ! alerts  b shell  i details  M move",
        "a wide footer shows every hint of the devices pane that can act (no back from the first pane)"
    );
    let narrow = text(&render(&mut app, 60, 16));
    let last = narrow.lines().last().unwrap_or_default().to_string();
    assert_eq!(
        last, " / filter  d delete all  Space mark all  ? help  q quit",
        "a narrow one keeps help and quit at its end"
    );
}

fn line(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

#[test]
fn versions_show_each_date_with_the_offset_of_its_season() {
    // Europe/Berlin by jiff's tz API (not the process's TZ): Ben's iPad (selected first) has
    // a June backup, shown at +02:00, and a Christmas archive, shown at +01:00.
    let mut opts = options(true, false, false);
    opts.tz = jiff::tz::TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
    let mut app = scanned(opts);
    let screen = text(&render(&mut app, 120, 30));
    let row = |date: &str| screen.lines().find(|l| l.contains(date)).map(str::trim);
    assert_eq!(
        row("2024-06-09 22:00"),
        Some("│  enc 2024-06-09 22:00 +02:00 live     Finder   12.5 GB complete    ││                                                │"),
        "20:00 UTC is 22:00 CEST:\n{screen}"
    );
    assert!(
        row("2023-12-24 19:00").is_some_and(|r| r.contains("archive")),
        "18:00 UTC is 19:00 CET:\n{screen}"
    );
    let mut utc = scanned(options(true, false, false));
    let utc_screen = text(&render(&mut utc, 120, 30));
    assert!(utc_screen.contains("2024-06-09 20:00") && utc_screen.contains("2023-12-24 18:00"));
}

/// The fixture with CJK, emoji and combining-accent names for devices and apps.
fn wide_names_app() -> backtop::ui::App {
    let names = [
        (PHONE, "小林さんのiPhone 15 Pro Max"),
        (IPAD, "🎉 パーティー iPad"),
        (OLD, "Zoe\u{308}'s old iPhone"),
    ];
    let mut library = library();
    for device in &mut library.devices {
        let name = names
            .iter()
            .find(|(udid, _)| *udid == device.udid)
            .map(|n| n.1);
        if let Some(name) = name {
            device.name = Some(name.to_string());
            for v in &mut device.versions {
                v.device_name = Some(name.to_string());
            }
        }
    }
    let mut app = backtop::ui::App::new(library, options(true, false, false), now());
    for (path, mut usage) in usages() {
        for (app, name) in usage
            .top_apps
            .iter_mut()
            .zip(["微信 WeChat", "📷 カメラ+ Camera Plus Pro Edition"])
        {
            app.name = Some(name.to_string());
        }
        app.update(scan_event(ScanEvent::Sized { path, usage }));
    }
    app.update(scan_event(ScanEvent::Volumes(volumes())));
    app
}

#[test]
fn wide_names_keep_every_column_in_place() {
    let mut app = wide_names_app();
    app.update(ch('j'));
    let buf = render(&mut app, 100, 30);
    snapshot("wide_names_100x30", &buf);
    // Cell by cell: the figures after a wide name end in the same column as the others'.
    let row = |needle: &str| -> u16 {
        (0..30)
            .find(|y| {
                (0..100)
                    .map(|x| buf[(x, *y)].symbol())
                    .collect::<String>()
                    .contains(needle)
            })
            .unwrap_or_else(|| panic!("no row with {needle}:\n{}", text(&buf)))
    };
    let last = |y: u16, symbol: &str| (0..100).rev().find(|x| buf[(*x, y)].symbol() == symbol);
    let size_end = last(row("Size"), "e");
    for name in ["パ", "小", "Zo", "Unidentified"] {
        let y = row(name);
        let end = last(y, "B").or(last(y, "-"));
        assert_eq!(
            end,
            size_end,
            "the size column of {name}'s row:\n{}",
            text(&buf)
        );
    }
    let (wechat, camera) = (row("微"), row("📷"));
    assert_eq!(
        last(wechat, "B"),
        last(camera, "B"),
        "app sizes:\n{}",
        text(&buf)
    );
    // Right-aligned to the pane's edge, where the category rows' percents end.
    assert_eq!(last(wechat, "B"), last(row("Messages"), "%"));
}

#[test]
fn the_disk_pane_says_when_its_volumes_are_simulated() {
    let line_of = |simulated: bool| {
        let mut app = scanned(backtop::ui::AppOptions {
            simulated_disks: simulated,
            ..options(true, false, false)
        });
        let screen = text(&render(&mut app, 80, 24));
        let found = screen.lines().find(|l| l.contains(" Disk"));
        found.unwrap_or_default().to_string()
    };
    assert!(
        line_of(true).contains(" Disk (simulated for the demo) "),
        "{}",
        line_of(true)
    );
    assert!(!line_of(false).contains("simulated"), "{}", line_of(false));
}

#[test]
fn control_characters_from_disk_show_as_replacement_marks() {
    // A crafted Info.plist name: ESC and BEL would set the pane title, a newline forge a row,
    // an RLO reverse the text. ratatui alone would drop them without a trace.
    let evil = "Evil\x1b]2;pwned\x07\nok\u{202E}txt";
    let mut library = library();
    let device = library
        .devices
        .iter_mut()
        .find(|d| d.udid == PHONE)
        .unwrap();
    device.name = Some(evil.to_string());
    for v in &mut device.versions {
        v.device_name = Some(evil.to_string());
    }
    let mut app = backtop::ui::App::new(library, options(true, false, false), now());
    for (path, usage) in usages() {
        app.update(scan_event(ScanEvent::Sized { path, usage }));
    }
    while selected_device(&app) != evil {
        app.update(ch('j'));
    }
    let text = text(&render(&mut app, 120, 30));
    let shown = "Evil\u{FFFD}]2;pwned\u{FFFD}\u{FFFD}ok\u{FFFD}txt";
    // In the devices pane's row and in the versions pane's title.
    assert!(text.contains(&format!("│  {shown}")), "{text}");
    assert!(text.contains(&format!("Versions of {shown}")), "{text}");
}
