//! Narrow terminals (issue 14): at 60 columns the versions pane had no room for the size
//! column, and at 80 columns the devices pane's footer cut `? help` off behind `more [?]`.
//! The real `draw` into a `TestBackend`, compared with exact text.

use crossterm::event::KeyCode;

use crate::support::ui_fixture::*;
use crate::support::ui_screen::screen;

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

#[test]
fn at_60_columns_the_versions_pane_keeps_size_source_kind_and_lock() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [key(KeyCode::Enter)]);
    let text = screen(&mut app, 60, 20);
    // Encryption as E, the kind in four letters, the source as one letter, the state a glyph.
    for row in [
        "│  E 2024-06-09 live F  12.5 GB ✓ │",
        "│  E 2023-12-24 arch F   3.3 GB ! │",
    ] {
        assert!(text.contains(row), "{row}:\n{text}");
    }
    assert!(
        text.contains("│    Date       Kind       Size   │"),
        "{text}"
    );
    assert_eq!(
        last_line(&text),
        " Enter browse  Space mark  d delete  ? help  q quit",
        "{text}"
    );
    // At 80 the same pane has the words back.
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("│  enc 2024-06-09 live     Finder   12.5 GB ✓│"),
        "{text}"
    );
}

#[test]
fn a_cut_footer_keeps_help_and_quit_at_its_end() {
    let mut app = scanned(options(true, false, false));
    let text = screen(&mut app, 80, 24);
    assert_eq!(
        last_line(&text),
        " / filter  d delete all  Space mark all  Enter go in  Tab pane  ? help  q quit",
        "{text}"
    );
    let text = screen(&mut app, 60, 20);
    assert_eq!(
        last_line(&text),
        " / filter  d delete all  Space mark all  ? help  q quit",
        "{text}"
    );
}
