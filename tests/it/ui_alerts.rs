//! The alerts in the dashboard: the count in the header and the `!` list, drawn into
//! TestBackend and compared with exact text; the same alerts `backtop check` computes
//! (`App::alerts` is `library::alerts::evaluate` over the app's state).

use crate::support::ui_fixture::*;
use crate::support::ui_screen::{screen, snapshot};

use backtop::library::alerts::{AlertKind, Severity};
use crossterm::event::KeyCode;

#[test]
fn the_header_counts_the_alerts_and_bang_lists_them_with_what_to_do() {
    let mut app = scanned(options(false, false, false));
    let kinds: Vec<(AlertKind, Severity)> =
        app.alerts().iter().map(|a| (a.kind, a.severity)).collect();
    assert!(!kinds.is_empty(), "the fixture has alerts");
    let main = screen(&mut app, 80, 24);
    let header = main.lines().next().unwrap();
    assert!(
        header.contains(&format!("  {} alerts (!)", kinds.len())),
        "{header}"
    );
    app.update(ch('!'));
    snapshot("alerts_80x24", &screen(&mut app, 80, 24));
    // It scrolls, and `!` (or Esc) closes it.
    app.update(key(KeyCode::PageDown));
    snapshot("alerts_80x24_page2", &screen(&mut app, 80, 24));
    app.update(ch('!'));
    assert_eq!(screen(&mut app, 80, 24), main);
    app.update(ch('!'));
    app.update(key(KeyCode::Esc));
    assert_eq!(screen(&mut app, 80, 24), main);
}

#[test]
fn the_settings_turn_kinds_off_and_with_none_left_the_list_says_so() {
    let mut app = scanned(options(false, false, false));
    for kind in AlertKind::ALL {
        app.alert_settings.set_severity(kind, None);
    }
    let main = screen(&mut app, 80, 24);
    assert!(!main.lines().next().unwrap().contains("alert"));
    app.update(ch('!'));
    let list = screen(&mut app, 80, 24);
    assert!(
        list.contains("No alerts: every device has a recent complete, encrypted backup and"),
        "{list}"
    );
}
