//! Journeys through `App::update`: keys in, state and effects out, a sentence per assert.

use crate::support::ui_fixture;

use std::path::PathBuf;

use backtop::ui::app::{View, ViewKind};
use backtop::ui::{App, Effect, Pane, SortKey};
use crossterm::event::KeyCode;
use ui_fixture::*;

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
    assert_eq!(app.sort, SortKey::Size, "s sorts the devices by size");
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
    assert_eq!(
        app.version_sort,
        SortKey::Date,
        "the versions keep their own sort"
    );

    feed(&mut app, [key(KeyCode::Enter), ch('s'), ch('s')]);
    assert_eq!(
        app.version_sort,
        SortKey::Reclaimable,
        "s twice in the versions pane: by unique bytes"
    );
    assert_eq!(app.sort, SortKey::Size, "the devices' sort is untouched");
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
    assert_eq!(app.version_sort, SortKey::Date, "and back to date");

    feed(&mut app, [ch('h'), ch('s')]);
    assert_eq!(app.sort, SortKey::Name, "devices: then by name");
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
    assert_eq!(app.sort, SortKey::Date, "and back to the last backup");
}

#[test]
fn filtering_devices_by_typing() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('/')]);
    assert!(app.filter_editing(), "/ starts the filter input");
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
        !app.filter_editing(),
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
    assert!(
        feed(&mut app, [key(KeyCode::Esc)]).is_empty(),
        "a second Esc in the devices pane does nothing: Esc never quits"
    );
}

#[test]
fn help_overlay_opens_scrolls_and_closes() {
    let mut app = scanned(options(true, false, false));
    let help = |app: &App| match app.views.get(ViewKind::Help) {
        Some(View::Help { scroll }) => Some(*scroll),
        _ => None,
    };
    feed(&mut app, [ch('?')]);
    assert_eq!(help(&app), Some(0), "? opens the help overlay");
    feed(&mut app, [ch('j'), ch('j'), ch('j')]);
    assert_eq!(help(&app), Some(3), "j scrolls the help");
    feed(&mut app, (0..100).map(|_| ch('j')));
    let bottom = help(&app).expect("open");
    feed(&mut app, [ch('k')]);
    assert_eq!(
        help(&app),
        Some(bottom - 1),
        "scrolling stops at the end, so k moves at once"
    );
    assert_eq!(
        selected_device(&app),
        "Ben's iPad",
        "keys under the overlay do not move the selection"
    );
    let effects = feed(&mut app, [ch('q')]);
    assert!(
        effects.is_empty() && help(&app).is_none(),
        "q closes the overlay rather than quitting"
    );
    feed(&mut app, [ch('?'), key(KeyCode::Esc)]);
    assert!(help(&app).is_none(), "Esc closes it too");
    assert_eq!(
        feed(&mut app, [ch('q')]),
        [Effect::Quit],
        "q quits once the overlay is closed"
    );
}
