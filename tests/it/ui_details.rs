//! The details dialog (`i`) dates a version by the dashboard's one time rule (issue 14 item
//! 19): the wall-clock time with that date's own offset, never a bare local time.

use crossterm::event::KeyCode;

use crate::support::ui_fixture::*;
use crate::support::ui_screen::screen;

/// Europe/Berlin's rules as a POSIX TZ string (no zone database needed).
const BERLIN: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

fn date_line(text: &str) -> &str {
    text.lines()
        .find(|l| l.contains(" Date      2"))
        .unwrap_or_else(|| panic!("no date line:\n{text}"))
}

#[test]
fn details_date_a_version_with_its_offset() {
    let mut opts = options(true, false, false);
    opts.tz = jiff::tz::TimeZone::posix(BERLIN).unwrap();
    let mut app = scanned(opts);
    // Ben's iPad: its live backup (summer), then its interrupted one (winter).
    feed(&mut app, [key(KeyCode::Enter), ch('i')]);
    let text = screen(&mut app, 100, 30);
    assert!(
        date_line(&text).contains("2024-06-09 22:00 +02:00"),
        "{text}"
    );
    feed(&mut app, [key(KeyCode::Esc), ch('j'), ch('i')]);
    let text = screen(&mut app, 100, 30);
    assert!(
        date_line(&text).contains("2023-12-24 19:00 +01:00"),
        "{text}"
    );

    let mut utc = scanned(options(true, false, false));
    feed(&mut utc, [key(KeyCode::Enter), ch('i')]);
    let text = screen(&mut utc, 100, 30);
    assert!(date_line(&text).contains("2024-06-09 20:00 UTC"), "{text}");
}
