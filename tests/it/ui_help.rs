//! Cut marks and the help at 80 columns (issue 14 items 1, 12, 20): a description longer than the
//! overlay goes on under itself instead of being cut, and PgDn pages by the overlay's height.
//! Also a problem line longer than the versions pane and a device name longer than its column
//! end with the cut mark.

use backtop::ui::keymap::BINDINGS;
use backtop::ui::App;
use crossterm::event::KeyCode;

use crate::support::ui_fixture::*;
use crate::support::ui_screen::{render, screen};

/// The overlay's inner lines as drawn at 80×`height` (72 cells wide, centred, one row of
/// margin above and below), trailing spaces cut.
fn help_lines(app: &mut App, height: u16) -> Vec<String> {
    let buf = render(app, 80, height);
    (2..height - 2)
        .map(|y| {
            let line: String = (5..75).map(|x| buf[(x, y)].symbol()).collect();
            line.trim_end().to_string()
        })
        .collect()
}

fn help_open() -> App {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('?')]);
    app
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_description_is_shown_whole_at_80_columns() {
    // Tall enough for the whole overlay on one page, as wide as a small terminal.
    let mut app = help_open();
    let all = help_lines(&mut app, 400);
    let joined = words(&all.join(" "));
    for row in BINDINGS {
        assert!(
            joined.contains(&words(row.help)),
            "{:?} is cut in the help:\n{}",
            row.help,
            all.join("\n")
        );
    }
    let shell = all
        .iter()
        .position(|l| l.contains("a shell in the selected version's folder"))
        .expect("the b row");
    assert!(
        all[shell + 1].starts_with(&" ".repeat(18)) && all[shell + 1].contains("back)"),
        "the rest of a long description goes on under it:\n{}\n{}",
        all[shell],
        all[shell + 1]
    );
}

#[test]
fn page_down_in_the_help_scrolls_by_the_overlays_height() {
    let mut app = help_open();
    let all = help_lines(&mut app, 400);
    let mut app = help_open();
    let first = help_lines(&mut app, 24);
    assert_eq!(first, all[..20], "the first page");
    feed(&mut app, [key(KeyCode::PageDown)]);
    let second = help_lines(&mut app, 24);
    assert_eq!(
        second,
        all[20..40],
        "PgDn shows the next 20 lines, no more, no less"
    );
}

#[test]
fn a_long_problem_line_ends_with_the_cut_mark() {
    let mut app = scanned(options(true, false, false));
    // Ben's iPad's interrupted version: its problem is longer than the pane at 80 columns.
    feed(&mut app, [key(KeyCode::Enter), ch('j')]);
    let text = screen(&mut app, 80, 24);
    let line = text
        .lines()
        .find(|l| l.contains("interrupted: "))
        .unwrap_or_else(|| panic!("no problem line:\n{text}"));
    assert!(line.contains("…│"), "cut with a mark: {line}");
}

#[test]
fn a_device_name_longer_than_its_column_ends_with_the_cut_mark() {
    let mut library = library();
    let long = "Anna's iPhone from the office, the one with the cracked screen";
    for device in &mut library.devices {
        if device.name.as_deref() == Some("Anna's iPhone") {
            device.name = Some(long.into());
        }
    }
    let mut app = App::new(library, options(true, false, false), now());
    for (path, usage) in usages() {
        app.update(scan_event(backtop::scan::ScanEvent::Sized { path, usage }));
    }
    let text = screen(&mut app, 80, 24);
    let row = text
        .lines()
        .find(|l| l.contains("Anna's iPhone from"))
        .unwrap_or_else(|| panic!("no row:\n{text}"));
    assert!(
        row.contains("Anna's iPhone from the of… 17.5"),
        "cut with the mark, the iOS column in place: {row}"
    );
}
