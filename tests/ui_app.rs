//! Journeys through `App::update`: keys in, state and effects out, a sentence per assert.

#[path = "common/ui_fixture.rs"]
mod ui_fixture;

use std::path::PathBuf;

use backtop::scan::ScanEvent;
use backtop::ui::{App, Confirm, Effect, Msg, Pane, SortKey};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ui_fixture::*;

fn device_names(app: &App) -> Vec<String> {
    app.visible_devices()
        .iter()
        .map(|d| d.display_name().to_string())
        .collect()
}

fn selected_device(app: &App) -> String {
    app.device()
        .map(|d| d.display_name().to_string())
        .unwrap_or_default()
}

fn selected_version(app: &App) -> PathBuf {
    app.version().map(|v| v.path.clone()).unwrap_or_default()
}

#[test]
fn moving_between_devices_versions_and_breakdown() {
    let mut app = scanned(options(true, false, false));
    assert_eq!(app.focus, Pane::Devices, "it starts in the devices pane");
    assert_eq!(
        selected_device(&app),
        "Ben's iPad",
        "the device with the newest backup is first"
    );

    feed(&mut app, [ch('j')]);
    assert_eq!(
        selected_device(&app),
        "Anna's iPhone",
        "j selects the next device"
    );
    assert_eq!(
        selected_version(&app),
        p("phone-live"),
        "its newest version is selected"
    );

    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        app.focus,
        Pane::Versions,
        "Enter goes into the versions pane"
    );
    feed(&mut app, [key(KeyCode::Down)]);
    assert_eq!(
        selected_version(&app),
        p("phone-snapshot"),
        "Down selects the next version"
    );
    feed(&mut app, [ch('G')]);
    assert_eq!(
        selected_version(&app),
        p("phone-archive"),
        "G jumps to the oldest version"
    );
    feed(&mut app, [key(KeyCode::PageDown)]);
    assert_eq!(
        selected_version(&app),
        p("phone-archive"),
        "PgDn past the end stays on the last row"
    );
    feed(&mut app, [ch('g')]);
    assert_eq!(
        selected_version(&app),
        p("phone-live"),
        "g jumps back to the newest"
    );

    feed(&mut app, [ch('l')]);
    assert_eq!(app.focus, Pane::Breakdown, "l goes into the breakdown");
    feed(&mut app, [ch('j'), ch('j')]);
    assert_eq!(app.breakdown_scroll, 2, "j scrolls the breakdown");
    feed(&mut app, [ch('h'), ch('h')]);
    assert_eq!(app.focus, Pane::Devices, "h twice goes back to devices");

    feed(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(app.focus, Pane::Versions, "Tab focuses the next pane");
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    assert_eq!(app.focus, Pane::Devices, "Tab wraps around to devices");
    feed(&mut app, [key(KeyCode::BackTab)]);
    assert_eq!(app.focus, Pane::Breakdown, "Shift-Tab goes backwards");

    feed(
        &mut app,
        [
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            ch('k'),
            ch('k'),
        ],
    );
    assert_eq!(
        selected_device(&app),
        "Ben's iPad",
        "k stops at the first device"
    );
}

#[test]
fn sorting_cycles_and_keeps_the_selection() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('j')]);
    feed(&mut app, [ch('s')]);
    assert_eq!(app.sort, SortKey::Size, "s sorts by size");
    assert_eq!(
        device_names(&app),
        [
            "Anna's iPhone",
            "Ben's iPad",
            "Old iPhone",
            "Unidentified backups"
        ],
        "the largest device comes first, unsized ones last"
    );
    assert_eq!(
        selected_device(&app),
        "Anna's iPhone",
        "the selection follows the device, not the row"
    );

    feed(&mut app, [key(KeyCode::Enter), ch('s')]);
    assert_eq!(
        app.sort,
        SortKey::Reclaimable,
        "s again sorts by reclaimable bytes"
    );
    let versions: Vec<PathBuf> = app
        .visible_versions()
        .iter()
        .map(|v| v.path.clone())
        .collect();
    assert_eq!(
        versions,
        [p("phone-archive"), p("phone-live"), p("phone-snapshot")],
        "versions with most unique bytes come first"
    );

    feed(&mut app, [ch('s')]);
    assert_eq!(app.sort, SortKey::Name, "then by name");
    assert_eq!(
        device_names(&app),
        [
            "Anna's iPhone",
            "Ben's iPad",
            "Old iPhone",
            "Unidentified backups"
        ],
        "devices are in alphabetical order"
    );
    feed(&mut app, [ch('s')]);
    assert_eq!(app.sort, SortKey::Date, "and back to date");
}

#[test]
fn filtering_devices_by_typing() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('/')]);
    assert!(app.filter_editing, "/ starts the filter input");
    feed(&mut app, "IPAD".chars().map(ch));
    assert_eq!(
        app.filter, "IPAD",
        "typed characters go into the filter, not the keymap"
    );
    assert_eq!(
        device_names(&app),
        ["Ben's iPad"],
        "only matching devices are shown, case-insensitively"
    );
    feed(&mut app, [key(KeyCode::Backspace), key(KeyCode::Enter)]);
    assert!(
        !app.filter_editing,
        "Enter keeps the filter and leaves the input"
    );
    assert_eq!(app.filter, "IPA", "Backspace erased one character");

    feed(
        &mut app,
        [
            ch('/'),
            ch('z'),
            ch('z'),
            key(KeyCode::Enter),
            ch('j'),
            key(KeyCode::Enter),
        ],
    );
    assert!(
        device_names(&app).is_empty(),
        "a filter matching nothing leaves an empty list"
    );
    assert!(
        app.version().is_none(),
        "and no version is selected, without a panic"
    );

    let effects = feed(&mut app, [key(KeyCode::Esc)]);
    assert!(
        effects.is_empty(),
        "Esc with a filter set clears it instead of quitting"
    );
    assert_eq!(app.filter, "", "the filter is gone");
    assert_eq!(device_names(&app).len(), 4, "every device is back");
    assert_eq!(
        feed(&mut app, [key(KeyCode::Esc)]),
        [Effect::Quit],
        "a second Esc quits"
    );
}

#[test]
fn help_overlay_opens_scrolls_and_closes() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('?')]);
    assert!(app.help, "? opens the help overlay");
    feed(&mut app, [ch('j'), ch('j'), ch('j')]);
    assert_eq!(app.help_scroll, 3, "j scrolls the help");
    feed(&mut app, (0..100).map(|_| ch('j')));
    let bottom = app.help_scroll;
    feed(&mut app, [ch('k')]);
    assert_eq!(
        app.help_scroll,
        bottom - 1,
        "scrolling stops at the end, so k moves at once"
    );
    assert_eq!(
        selected_device(&app),
        "Ben's iPad",
        "keys under the overlay do not move the selection"
    );
    let effects = feed(&mut app, [ch('q')]);
    assert!(
        effects.is_empty() && !app.help,
        "q closes the overlay rather than quitting"
    );
    feed(&mut app, [ch('?'), key(KeyCode::Esc)]);
    assert!(!app.help, "Esc closes it too");
    assert_eq!(
        feed(&mut app, [ch('q')]),
        [Effect::Quit],
        "q quits once the overlay is closed"
    );
}

#[test]
fn marking_versions_and_deleting_them_after_confirmation() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('j'), key(KeyCode::Enter), ch(' '), ch(' ')]);
    assert_eq!(
        app.marks.iter().cloned().collect::<Vec<_>>(),
        [p("phone-live"), p("phone-snapshot")],
        "Space marks the selected version and moves down"
    );
    assert_eq!(
        app.marked_summary().as_deref(),
        Some("2 marked, frees 67.2 GB"),
        "the marked set frees its own bytes plus the 40 GB hard-linked between them"
    );
    assert!(feed(&mut app, [ch('d')]).is_empty(), "d only asks");
    let Some(Confirm::Delete {
        paths,
        freed,
        warnings,
    }) = app.confirm.clone()
    else {
        panic!("d opens a delete confirmation");
    };
    assert_eq!(paths.len(), 2, "the dialog lists the marked versions");
    assert_eq!(freed, Some(67_200_000_000), "and what deleting them frees");
    assert_eq!(
        warnings.len(),
        2,
        "it warns about the newest complete backup and the iMazing snapshot"
    );
    assert!(
        feed(&mut app, [ch('n')]).is_empty() && app.confirm.is_none(),
        "n closes it and deletes nothing"
    );

    let effects = feed(&mut app, [ch('d'), ch('y')]);
    assert_eq!(
        effects,
        [Effect::Delete(vec![p("phone-live"), p("phone-snapshot")])],
        "y confirms"
    );
    assert!(
        app.marks.is_empty(),
        "deleted versions are no longer marked"
    );

    feed(&mut app, [ch(' ')]);
    assert_eq!(
        app.marks.len(),
        1,
        "Space on the last row marks it and the cursor stays"
    );
    feed(&mut app, [ch(' ')]);
    assert!(app.marks.is_empty(), "Space on a marked version unmarks it");
}

#[test]
fn actions_become_effects() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
    assert_eq!(
        feed(&mut app, [ch('o')]),
        [Effect::Open(p("phone-live"))],
        "o reveals the selected version"
    );
    assert_eq!(
        feed(&mut app, [ch('v')]),
        [Effect::Verify(vec![p("phone-live")])],
        "v verifies it"
    );
    assert_eq!(feed(&mut app, [ch('r')]), [Effect::Rescan], "r rescans");
    assert_eq!(
        feed(&mut app, [ch('p'), key(KeyCode::Enter)]),
        [Effect::Prune],
        "p then Enter prunes"
    );
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(feed(&mut app, [ctrl_c]), [Effect::Quit], "Ctrl-C quits");
}

#[test]
fn read_only_refuses_delete_and_prune() {
    let mut app = scanned(options(true, false, true));
    let effects = feed(&mut app, [ch('j'), key(KeyCode::Enter), ch('d')]);
    assert!(
        effects.is_empty() && app.confirm.is_none(),
        "d opens no dialog in read-only mode"
    );
    assert_eq!(
        app.status.as_deref(),
        Some("read-only: delete is disabled"),
        "it says why"
    );
    feed(&mut app, [ch('p')]);
    assert_eq!(
        app.status.as_deref(),
        Some("read-only: prune is disabled"),
        "prune is refused too"
    );
}

#[test]
fn figures_fill_in_as_the_scan_streams() {
    let mut app = fresh(options(true, false, false));
    app.update(Msg::ScanStarted);
    assert!(app.scan.running, "a started scan is running");
    assert_eq!(app.scan.total, 7, "it has every version to size");
    app.update(Msg::Scan(ScanEvent::Discovered(library())));
    app.update(Msg::Scan(ScanEvent::Progress {
        path: p("ipad-live"),
        files: 100,
        bytes: 5_000,
    }));
    assert_eq!(
        (app.scan.files_so_far(), app.scan.bytes_so_far()),
        (100, 5_000),
        "progress counts in-flight work"
    );
    let (path, usage) = usages()
        .into_iter()
        .find(|(path, _)| *path == p("ipad-live"))
        .unwrap();
    app.update(Msg::Scan(ScanEvent::Sized { path, usage }));
    assert_eq!(app.scan.done, 1, "a sized version counts as done");
    assert_eq!(
        app.scan.files_so_far(),
        40_210,
        "its files replace the in-flight count"
    );
    assert_eq!(app.usage.len(), 1, "its sizes are kept");
    feed(&mut app, [ch('j')]);
    assert_eq!(
        selected_device(&app),
        "Anna's iPhone",
        "keys work while the scan runs"
    );
}

#[test]
fn mouse_focuses_and_selects() {
    let mut app = scanned(options(true, false, false));
    app.update(Msg::Resize(80, 24));
    app.update(Msg::Click { column: 10, row: 5 });
    assert_eq!(
        selected_device(&app),
        "Anna's iPhone",
        "a click on the second device row selects it"
    );
    app.update(Msg::Click { column: 5, row: 12 });
    assert_eq!(
        app.focus,
        Pane::Versions,
        "a click in the versions pane focuses it"
    );
    assert_eq!(
        selected_version(&app),
        p("phone-snapshot"),
        "and selects the clicked row"
    );
    app.update(Msg::Wheel {
        column: 5,
        row: 12,
        down: true,
    });
    assert_eq!(
        selected_version(&app),
        p("phone-archive"),
        "the wheel moves the selection"
    );
    app.update(Msg::Click {
        column: 70,
        row: 22,
    });
    assert_eq!(
        app.focus,
        Pane::Versions,
        "a click outside the panes changes nothing"
    );
}
