//! `backtop demo DIR`: builds the demo library into DIR and says what it made.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use humansize::{format_size, DECIMAL};

use crate::demo::{build_demo, DemoLibrary, DemoOptions, INTERACTIVE_SCALE};

/// Builds the demo library in `dir` and prints its roots, devices, versions, files and
/// apparent size.
pub fn run(dir: &Path) -> anyhow::Result<i32> {
    let started = Instant::now();
    let lib = build_demo(
        dir,
        &DemoOptions {
            scale: INTERACTIVE_SCALE,
            ..Default::default()
        },
    )
    .with_context(|| format!("building the demo library in {}", dir.display()))?;
    print!("{}", summary(&lib));
    println!("built in {:.1} s", started.elapsed().as_secs_f64());
    Ok(0)
}

/// Writes the damaged corpus ([`crate::demo::damaged`]) in `dir` and prints each case with
/// the reason backtop gives for it.
pub fn run_damaged(dir: &Path) -> anyhow::Result<i32> {
    let lib = crate::demo::damaged::build_damaged(dir)
        .with_context(|| format!("building the damaged corpus in {}", dir.display()))?;
    println!("Damaged corpus in {}", lib.root.display());
    println!(
        "  healthy: {} files, {} bytes",
        lib.healthy.files, lib.healthy.content_bytes
    );
    for case in &lib.cases {
        println!("  {}: {}", case.name, case.reason);
    }
    for odd in &lib.odd {
        let name = odd.path.file_name().unwrap_or_default();
        println!(
            "  {} (whole, odd): {}",
            crate::sanitize::path(name),
            odd.what
        );
    }
    Ok(0)
}

/// The report `run` prints: roots, devices, one line per version, then totals.
pub fn summary(lib: &DemoLibrary) -> String {
    let mut out = format!("Demo library in {}\n\nRoots:\n", lib.home.display());
    for r in &lib.roots {
        let shown = r.strip_prefix(&lib.home).unwrap_or(r);
        out.push_str(&format!("  {}\n", shown.display()));
    }
    out.push_str("\nDevices:\n");
    for d in &lib.devices {
        out.push_str(&format!(
            "  {} ({}) {}: {} versions\n",
            d.name,
            d.product_type,
            d.udid,
            d.versions.len()
        ));
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::demo::{DemoDevice, Written};

    #[test]
    fn summary_lists_roots_versions_and_totals() {
        let home = PathBuf::from("/h");
        let lib = DemoLibrary {
            home: home.clone(),
            roots: vec![home.join("R")],
            versions: vec![
                Written {
                    path: home.join("R/A"),
                    files: 10,
                    content_bytes: 2_000_000,
                    metadata_bytes: 500_000,
                },
                Written {
                    path: home.join("R/B"),
                    files: 5,
                    content_bytes: 1_000_000_000,
                    metadata_bytes: 0,
                },
            ],
            devices: vec![DemoDevice {
                udid: "U1".into(),
                name: "Pat's iPhone".into(),
                product_type: "iPhone15,2".into(),
                versions: vec![0, 1],
            }],
        };
        assert_eq!(
            summary(&lib),
            concat!(
                "Demo library in /h\n\nRoots:\n  R\n\n",
                "Devices:\n  Pat's iPhone (iPhone15,2) U1: 2 versions\n\nVersions:\n",
                "      10 files   2.50 MB  R/A\n",
                "       5 files      1 GB  R/B\n",
                "\n2 versions, 15 files, 1.00 GB apparent (sparse files; hard links counted per link)\n"
            )
        );
    }
}
