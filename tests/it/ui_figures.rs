//! Issue 14's figures and labels, as a newcomer reads them: the real `draw` into a
//! `TestBackend`, compared with exact text.

use crate::support::ui_fixture::*;
use crate::support::ui_screen::screen;

/// The row of `screen` holding `needle` (panics with the screen when none does).
fn row_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?}:\n{screen}"))
}

#[test]
fn cuts_are_marked_with_an_ellipsis_and_tilde_means_only_home() {
    // HOME elsewhere: no path starts at the home, so no `~` may appear anywhere.
    let mut opts = options(true, false, false);
    opts.home = Some("/elsewhere".into());
    let mut app = scanned(opts);
    let text = screen(&mut app, 80, 24);
    assert!(!text.contains('~'), "`~` only for the home folder:\n{text}");
    assert!(
        text.contains("/Users/anna/…/00008103-000A1B2C3D4E5F60"),
        "a path is cut in the middle with `…`, keeping the user and the version:\n{text}"
    );
    // ASCII mode cuts with `...`.
    let mut opts = options(true, true, false);
    opts.home = Some("/elsewhere".into());
    let mut app = scanned(opts);
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("/Users/anna/.../00008103-000A1B2C3D4E5F60"),
        "{text}"
    );
    assert!(!text.contains('~') && !text.contains('…'), "{text}");
}

#[test]
fn every_device_says_when_it_was_last_backed_up_at_every_width() {
    for (w, h) in [(60, 16), (80, 24), (120, 36), (200, 60)] {
        let mut app = scanned(options(true, false, false));
        let text = screen(&mut app, w, h);
        assert!(
            row_with(&text, "Name").contains("Last backup"),
            "{w}x{h}:\n{text}"
        );
        for (device, age) in [
            ("Ben's iPad", "16 hours ago"),
            ("Anna's iPhone", "2 days ago"),
            ("Old iPhone", "5 years ago"),
        ]
        .into_iter()
        .filter(|(device, _)| h > 16 || !device.starts_with("Old"))
        {
            let row = row_with(&text, device);
            assert!(row.contains(age), "{device}: {age} at {w}x{h}:\n{row}");
        }
    }
}
