//! `backtop demo DIR`: builds the demo library into DIR and says what it made.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use humansize::{format_size, DECIMAL};

use crate::demo::{build_demo, DemoLibrary, DemoOptions};

/// Builds the demo library in `dir` and prints its roots, versions, files and apparent size.
pub fn run(dir: &Path) -> anyhow::Result<i32> {
    let started = Instant::now();
    let lib = build_demo(dir, &DemoOptions::default())
        .with_context(|| format!("building the demo library in {}", dir.display()))?;
    print!("{}", summary(&lib));
    println!("built in {:.1} s", started.elapsed().as_secs_f64());
    Ok(0)
}

/// The report `run` prints: roots, then one line per version, then totals.
pub fn summary(lib: &DemoLibrary) -> String {
    let mut out = format!("Demo library in {}\n\nRoots:\n", lib.home.display());
    for r in &lib.roots {
        let shown = r.strip_prefix(&lib.home).unwrap_or(r);
        out.push_str(&format!("  {}\n", shown.display()));
    }
    out.push_str("\nVersions:\n");
    let (mut files, mut bytes) = (0u64, 0u64);
    for v in &lib.versions {
        let shown = v.path.strip_prefix(&lib.home).unwrap_or(&v.path);
        let size = v.content_bytes + v.metadata_bytes;
        out.push_str(&format!(
            "  {:>6} files {:>9}  {}\n",
            v.files,
            format_size(size, DECIMAL),
            shown.display()
        ));
        files += v.files;
        bytes += size;
    }
    out.push_str(&format!(
        "\n{} versions, {} files, {} apparent (sparse files; hard links counted per link)\n",
        lib.versions.len(),
        files,
        format_size(bytes, DECIMAL)
    ));
    out
}
