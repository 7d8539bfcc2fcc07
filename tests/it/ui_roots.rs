//! The dashboard side of the roots report and of owners: App-level journeys (open and close
//! the report, scroll it, the empty library's report, the owner filter) and `TestBackend`
//! snapshots under `tests/snapshots/` (exact; `UPDATE_SNAPSHOTS=1` rewrites them after the
//! diff was read), on hand-made libraries with every root status.

use crate::support::ui_fixture;
use crate::support::ui_roots_fixture;
use crate::support::ui_screen;

use backtop::ui::keymap::Scope;
use backtop::ui::{App, Effect, Msg, Pane};
use crossterm::event::KeyCode;
use ui_fixture::*;
use ui_roots_fixture::*;
use ui_screen::{screen, snapshot};

fn colour() -> backtop::ui::AppOptions {
    options(true, false, false)
}

fn type_filter(app: &mut App, text: &str) {
    feed(app, [ch('/')]);
    feed(app, text.chars().map(ch));
    feed(app, [key(KeyCode::Enter)]);
}

#[test]
fn roots_key_opens_and_closes_the_report() {
    let mut app = owned_app(colour());
    assert!(feed(&mut app, [ch('R')]).is_empty());
    assert!(app.roots_overlay());
    assert_eq!(app.modal(), Some(Scope::Roots));
    let shown = screen(&mut app, 120, 36);
    assert!(shown.contains("Roots: where backtop looked"), "{shown}");
    assert!(
        shown
            .lines()
            .last()
            .unwrap_or_default()
            .starts_with(" R close  j scroll"),
        "{shown}"
    );
    // Esc and q close the report; neither quits.
    assert!(feed(&mut app, [key(KeyCode::Esc)]).is_empty());
    assert!(!app.roots_overlay());
    feed(&mut app, [ch('R')]);
    assert!(feed(&mut app, [ch('q')]).is_empty());
    assert!(!app.roots_overlay());
    assert_eq!(app.modal(), None);
    // With the report closed, q quits again.
    assert_eq!(feed(&mut app, [ch('q')]), vec![Effect::Quit]);
}

#[test]
fn report_scrolls_within_its_lines() {
    let mut app = owned_app(colour());
    app.update(Msg::Resize(80, 24));
    feed(&mut app, [ch('R'), ch('j'), ch('j'), ch('j')]);
    assert_eq!(app.roots_scroll(), 3);
    feed(&mut app, [ch('k'), ch('k'), ch('k'), ch('k')]);
    assert_eq!(app.roots_scroll(), 0, "stops at the top");
    // 80x16: the overlay is 76x14, so 12 of its 36 lines show; a page is 12 lines.
    app.update(Msg::Resize(80, 16));
    feed(&mut app, [key(KeyCode::PageDown)]);
    assert_eq!(app.roots_scroll(), 12);
    feed(&mut app, [ch('G')]);
    let bottom = app.roots_scroll();
    assert_eq!(bottom, 36 - 12);
    let shown = screen(&mut app, 80, 16);
    assert!(shown.contains("25-36/36"), "{shown}");
    assert!(
        shown.contains("permission denied (os error 13)"),
        "the end shows:\n{shown}"
    );
    feed(&mut app, [ch('j')]);
    assert_eq!(app.roots_scroll(), bottom, "stops at the end");
    feed(&mut app, [ch('g')]);
    assert_eq!(app.roots_scroll(), 0);
    // Closing and opening again starts at the top; the panes kept their selection.
    feed(&mut app, [ch('G'), ch('R'), ch('R')]);
    assert_eq!(app.roots_scroll(), 0);
    assert_eq!(app.focus, Pane::Devices);
}

#[test]
fn report_names_every_status_with_its_figures_and_fix() {
    let mut app = owned_app(colour());
    feed(&mut app, [ch('R')]);
    let shown = screen(&mut app, 200, 60);
    for want in [
        "ok            ~/Library/Application Support/MobileSync/Backup",
        "Finder/iTunes, all users, user anna: 6 backups",
        "blocked       /Users/bob/Library/Application Support/MobileSync/Backup",
        "fix: grant Full Disk Access to your terminal app",
        "denied        /Users/carl/Library/Application Support/MobileSync/Backup",
        "fix: the folder belongs to carl: run backtop as carl, or with sudo",
        "not connected /Volumes/Backup/iMazing.Backups",
        "iMazing, volume: last seen 2024-05-01 (5 weeks ago) with 3 backups, 120.4 GB",
        "missing       /srv/iphone-backups",
        "fix: nothing is at this path; check the path you gave",
        "not a folder  ~/backups.zip",
        "error         /mnt/nas/iphone",
        "error: Input/output error (os error 5)",
        "Folders that could not be read (1):",
        "~/Library/Application Support/MobileSync/Backup/Old backups",
    ] {
        assert!(shown.contains(want), "missing {want:?} in\n{shown}");
    }
}

#[test]
fn header_counts_roots_that_need_attention() {
    let mut app = owned_app(colour());
    let shown = screen(&mut app, 120, 36);
    let header = shown.lines().nth(1).unwrap_or_default().to_string();
    assert!(
        header.ends_with(&format!("{ATTENTION} roots need attention (R)")),
        "{header}"
    );
    // The plain fixture's only problem is a default place that does not exist: no mark.
    let mut plain = scanned(colour());
    let shown = screen(&mut plain, 120, 36);
    assert!(!shown.contains("attention"), "{shown}");
}

#[test]
fn empty_library_shows_the_report_not_empty_panes() {
    let mut app = empty_app(colour());
    assert!(app.roots_in_main());
    let shown = screen(&mut app, 80, 24);
    assert!(
        shown.contains("No backups found. backtop looked in 8 places:"),
        "{shown}"
    );
    assert!(!shown.contains("no backups found"), "{shown}");
    assert!(!shown.contains("Versions of"), "{shown}");
    // j scrolls the report; no overlay is involved.
    feed(&mut app, [ch('j'), ch('j')]);
    assert_eq!(app.roots_scroll(), 2);
    assert_eq!(app.modal(), None);
    // The report key still opens (and closes) the overlay over it.
    feed(&mut app, [ch('R')]);
    assert_eq!(app.roots_scroll(), 0);
    assert_eq!(app.modal(), Some(Scope::Roots));
    feed(&mut app, [ch('R')]);
    assert_eq!(app.modal(), None);
}

#[test]
fn owner_filter_picks_devices_with_a_version_of_that_owner() {
    let mut app = owned_app(colour());
    assert_eq!(
        device_names(&app),
        [
            "Ben's iPad",
            "Anna's iPhone",
            "Unidentified backups",
            "Old iPhone"
        ]
    );
    type_filter(&mut app, "@bob");
    assert_eq!(device_names(&app), ["Ben's iPad", "Anna's iPhone"]);
    feed(&mut app, [key(KeyCode::Esc)]);
    type_filter(&mut app, "owner:ANNA");
    assert_eq!(device_names(&app), ["Anna's iPhone", "Old iPhone"]);
    feed(&mut app, [key(KeyCode::Esc)]);
    type_filter(&mut app, "@bob iphone");
    assert_eq!(device_names(&app), ["Anna's iPhone"]);
    feed(&mut app, [key(KeyCode::Esc)]);
    type_filter(&mut app, "@zed");
    assert!(device_names(&app).is_empty());
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("no device matches the filter"), "{shown}");
}

#[test]
fn owners_show_only_when_they_differ() {
    let mut app = owned_app(colour());
    assert!(app.owners_differ());
    let shown = screen(&mut app, 120, 36);
    let row = |name: &str| {
        let line = shown.lines().find(|l| l.contains(name)).unwrap_or_default();
        line.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert!(
        row("Ben's iPad").contains("Ben's iPad bob 16.7 16 hours ago 2"),
        "{shown}"
    );
    assert!(
        row("Anna's iPhone").contains("Anna's iPhone anna, bob 17.5 2 days ago 3"),
        "{shown}"
    );
    assert!(
        row("Old iPhone").contains("Old iPhone anna 9.3.5 5 years ago 1"),
        "{shown}"
    );
    // The selected device's versions (the iPad, newest) get an owner column too.
    assert!(row("Date").contains("Kind Source Size Owner │"), "{shown}");
    let mut plain = scanned(colour());
    assert!(!plain.owners_differ());
    let shown = screen(&mut plain, 120, 36);
    assert!(!shown.contains("Owner"), "{shown}");
}

#[test]
fn roots_report_at_80x24() {
    let mut app = owned_app(colour());
    feed(&mut app, [ch('R')]);
    snapshot("roots_80x24", &screen(&mut app, 80, 24));
}

#[test]
fn roots_report_at_120x36() {
    let mut app = owned_app(colour());
    feed(&mut app, [ch('R')]);
    snapshot("roots_120x36", &screen(&mut app, 120, 36));
}

#[test]
fn empty_library_at_80x24() {
    let mut app = empty_app(colour());
    snapshot("roots_empty_80x24", &screen(&mut app, 80, 24));
}

#[test]
fn owner_column_at_120x36() {
    let mut app = owned_app(colour());
    feed(&mut app, [ch('j'), key(KeyCode::Tab)]);
    snapshot("owners_120x36", &screen(&mut app, 120, 36));
}

#[test]
fn wheel_scrolls_the_report_and_odd_names_stay_on_their_line() {
    let mut library = owned_library();
    library.unreadable[0].path = format!("{FINDER}/Old\nbackups").into();
    let mut app = owned_app(colour());
    app.set_library(library);
    app.update(Msg::Resize(80, 24));
    feed(&mut app, [ch('R')]);
    app.update(Msg::Wheel {
        column: 40,
        row: 10,
        down: true,
    });
    assert_eq!(app.roots_scroll(), 3);
    feed(&mut app, [ch('G')]);
    let shown = screen(&mut app, 80, 24);
    assert!(
        shown.contains("MobileSync/Backup/Old\u{FFFD}backups"),
        "{shown}"
    );
}
