//! Size over time in the devices pane (issue 16): a History column of block glyphs, each
//! version's size by date against the device's largest, oldest on the left, where the names
//! keep 20 cells beside it (80x24 yes, 100x30 beside the model, the 120-column two-pane layout
//! no); `_.-=#` in ASCII; `·` for a version not sized yet. TestBackend, exact rows.

use crate::support::ui_fixture::*;
use crate::support::ui_screen::screen;

fn row<'a>(got: &'a str, name: &str) -> &'a str {
    got.lines()
        .find(|l| l.contains(name))
        .unwrap_or_else(|| panic!("{name} missing:\n{got}"))
}

#[test]
fn the_devices_pane_draws_each_devices_sizes_over_time_where_there_is_room() {
    let mut app = scanned(options(false, false, false));
    let got = screen(&mut app, 80, 24);
    assert!(
        row(&got, "Name").ends_with("Size History │"),
        "{}",
        row(&got, "Name")
    );
    // The phone: archive 58.1 GB (March), snapshot 43 GB (May), live 64.2 GB (June).
    assert_eq!(
        row(&got, "Anna's iPhone"),
        "│⚠ Anna's iPhone              17.5    2 days ago           3  125.3 GB      ▇▅█│"
    );
    assert_eq!(
        row(&got, "Ben's iPad"),
        "│  Ben's iPad                 16.7    16 hours ago         2   15.8 GB       ▂█│"
    );
    let wide = screen(&mut app, 100, 30);
    assert!(
        row(&wide, "Anna's iPhone").ends_with(
            "iPhone 14 Pro             17.5    2 days ago           3  125.3 GB      ▇▅█│"
        ),
        "{wide}"
    );
    let two_panes = screen(&mut app, 120, 36);
    assert!(!two_panes.contains("History"), "{two_panes}");
    let mut ascii = scanned(options(false, true, false));
    let got = screen(&mut ascii, 80, 24);
    assert!(
        row(&got, "Anna's iPhone").ends_with("125.3 GB      =-#|"),
        "{got}"
    );
}
