//! Rendering tests: the real `draw` into ratatui's `TestBackend`, compared with text snapshots
//! under `tests/snapshots/` (exact; set `UPDATE_SNAPSHOTS=1` to rewrite them after reading the
//! diff), plus cell-level checks for NO_COLOR and ASCII mode.

#[path = "common/ui_fixture.rs"]
mod ui_fixture;

use backtop::ui::{draw, App, Msg};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use ui_fixture::*;

fn render(app: &mut App, width: u16, height: u16) -> Buffer {
    app.update(Msg::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal.draw(|f| draw(f, app)).expect("draw");
    terminal.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let line: String = (0..area.width).map(|x| buf[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn snapshot(name: &str, buf: &Buffer) {
    let got = text(buf);
    let file = format!("{}/tests/snapshots/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&file, &got).expect("write snapshot");
        return;
    }
    let want = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        got == want,
        "screen {name} differs from {file} (UPDATE_SNAPSHOTS=1 rewrites it)\n--- got ---\n{got}--- want ---\n{want}"
    );
}

#[test]
fn main_screen_at_80x24() {
    let mut app = scanned(options(true, false, false));
    snapshot("main_80x24", &render(&mut app, 80, 24));
}

#[test]
fn main_screen_at_160x48() {
    let mut app = scanned(options(true, false, false));
    snapshot("main_160x48", &render(&mut app, 160, 48));
}
