//! `a` switches every size between apparent bytes and disk usage, as in ncdu and gdu (issue
//! 14 item 8). The fixture's versions allocate exactly half their apparent bytes (the shared
//! 40 GB of photos too), so each figure on disk is computed here by hand.

use backtop::library::usage::Measure;
use backtop::ui::format::size;
use backtop::ui::keymap::Action;
use crossterm::event::KeyCode;

use crate::support::ui_fixture::*;
use crate::support::ui_screen::screen;

fn row_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?}:\n{text}"))
}

/// The versions pane's row of the live backup.
fn live_row(text: &str) -> &str {
    text.lines()
        .find(|l| l.contains("2024-06-08") && l.contains("live"))
        .unwrap_or_else(|| panic!("no live row:\n{text}"))
}

/// The footer's word for `a` now, if it offers it.
fn toggle_hint(app: &backtop::ui::App) -> Option<&'static str> {
    app.hints()
        .into_iter()
        .find(|b| matches!(b.action, Action::SizesOnDisk | Action::SizesApparent))
        .map(|b| b.hint)
}

#[test]
fn a_switches_every_size_between_apparent_and_disk_usage() {
    let mut app = scanned(options(true, false, false));
    // Anna's iPhone: live 64.2 GB and snapshot 43 GB sharing 40 GB of photos, archive 58.1 GB.
    feed(&mut app, [ch('j')]);
    let apparent = screen(&mut app, 120, 36);
    assert!(
        row_with(&apparent, "Anna's iPhone").contains("125.3 GB"),
        "{apparent}"
    );
    assert!(row_with(&apparent, "Name").contains("Size"), "{apparent}");
    assert_eq!(
        toggle_hint(&app),
        Some("disk usage"),
        "the footer offers the other measure"
    );

    feed(&mut app, [ch('a')]);
    assert_eq!(app.measure, Measure::Disk);
    let disk = screen(&mut app, 120, 36);
    let device = 32_100_000_000 + 21_500_000_000 - 20_000_000_000 + 29_050_000_000;
    assert!(
        row_with(&disk, "Anna's iPhone").contains(&size(device)),
        "the device on disk, the shared photos once: {}\n{disk}",
        size(device)
    );
    assert!(row_with(&disk, "Name").contains("On disk"), "{disk}");
    let header = disk.lines().next().unwrap_or_default();
    assert!(
        header.contains(" on disk"),
        "the header says which: {header}"
    );
    // At 80 columns the header gives up the program's name, not the reclaimable figure.
    let narrow = screen(&mut app, 80, 24);
    let header = narrow.lines().next().unwrap_or_default();
    assert!(
        header.ends_with(&format!("on disk  reclaimable {}", size(30_550_000_000)))
            && !header.contains("backtop"),
        "{header}"
    );
    assert_eq!(toggle_hint(&app), Some("apparent"));

    // The versions pane and the breakdown of the live backup.
    feed(&mut app, [key(KeyCode::Enter)]);
    let disk = screen(&mut app, 160, 45);
    assert!(row_with(&disk, "Date").contains("On disk"), "{disk}");
    let live = live_row(&disk);
    assert!(
        live.contains(&size(32_100_000_000)) && live.contains(&size(12_100_000_000)),
        "size and unique on disk: {live}"
    );
    for line in [
        format!("{} on disk in 182,345 files", size(32_100_000_000)),
        format!("{} unique to it", size(12_100_000_000)),
        "64.2 GB apparent, as split below".to_string(),
    ] {
        assert!(disk.contains(&line), "{line}:\n{disk}");
    }

    // What the marked set frees is on disk too: live and snapshot together free their
    // private parts and the shared photos.
    feed(&mut app, [ch(' '), ch(' ')]);
    let marked = screen(&mut app, 120, 36);
    let freed = 12_100_000_000 + 1_500_000_000 + 20_000_000_000;
    assert!(
        marked.contains(&size(freed)),
        "frees {}:\n{marked}",
        size(freed)
    );

    feed(&mut app, [ch('a')]);
    assert_eq!(app.measure, Measure::Apparent);
    let back = screen(&mut app, 160, 45);
    assert!(
        !back.contains("On disk") && !back.contains(" on disk"),
        "{back}"
    );
    assert!(live_row(&back).contains("64.2 GB"), "{back}");
}
