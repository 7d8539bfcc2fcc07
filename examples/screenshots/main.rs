//! Renders the screenshots in `screenshots/*.png` from the real dashboard on the demo library:
//! `cargo run --release --example screenshots`.
//!
//! Each scene ([`scenes`]) draws `backtop::ui::draw` into ratatui's `TestBackend`; the
//! resulting `Buffer` is rasterized by [`render`] (DejaVu Sans Mono, box drawing and blocks
//! drawn as shapes). `tests/it/screenshots.rs` renders the same scenes and compares the committed
//! PNGs pixel by pixel, so they never drift from the UI.

mod render;
mod scenes;

use std::path::Path;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    let theme = render::Theme::default();
    let start = Instant::now();
    let shots = scenes::render_all()?;
    println!("demo library built and scanned in {:.0?}", start.elapsed());
    for (name, buf) in shots {
        let start = Instant::now();
        let path = out_dir.join(format!("{name}.png"));
        render::buffer_to_png(&buf, &path, &theme)?;
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!(
            "{} ({} KB, {:.0?})",
            path.display(),
            size / 1024,
            start.elapsed()
        );
    }
    Ok(())
}
