//! Renders screenshots to `screenshots/*.png`: `cargo run --release --example screenshots`.
//!
//! Each scene draws into ratatui's `TestBackend`; the resulting `Buffer` is rasterized by
//! [`render`] (also included by tests via `#[path]`). For now the scenes are widget demos
//! ([`scenes`]); the real app's scenes replace them once `backtop::ui::draw` exists.

mod render;
mod scenes;

use std::path::Path;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    let theme = render::Theme::default();
    for (name, scene) in scenes::SCENES {
        let start = Instant::now();
        let buf = scene()?;
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
