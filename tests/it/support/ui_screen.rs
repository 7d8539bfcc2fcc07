//! Drawing the dashboard into ratatui's `TestBackend` and comparing the text with a snapshot
//! under `tests/snapshots/` (exact; `UPDATE_SNAPSHOTS=1` rewrites it after the diff was read).

#![allow(dead_code)]

use backtop::ui::{draw, App, Msg};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

/// Resizes `app` to `width`×`height` and draws it.
pub fn render(app: &mut App, width: u16, height: u16) -> Buffer {
    app.update(Msg::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal.draw(|f| draw(f, app)).expect("draw");
    terminal.backend().buffer().clone()
}

/// The buffer's text: one line a row, trailing spaces cut.
pub fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let line: String = (0..area.width).map(|x| buf[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The text of `app` drawn at `width`×`height`.
pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    text(&render(app, width, height))
}

/// Asserts that `got` is `tests/snapshots/<name>.txt` (rewrites it under `UPDATE_SNAPSHOTS`).
pub fn snapshot(name: &str, got: &str) {
    let file = format!("{}/tests/snapshots/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&file, got).expect("write snapshot");
        return;
    }
    let want = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        got == want,
        "screen {name} differs from {file} (UPDATE_SNAPSHOTS=1 rewrites it)\n--- got ---\n{got}--- want ---\n{want}"
    );
}
