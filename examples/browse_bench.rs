//! Browse and export benchmark: the listing index of a big version and the export's
//! throughput against `cp -r` of the same files, in the same run.
//!
//! Run: `cargo run --release --example browse_bench -- [--files 300000] [--runs 3] [--dir DIR]
//! [--only-open]` (`--only-open`: the index figures and their parts, no search or export)
//!
//! Builds (or, with `--dir` holding an earlier build, reuses) one version of `--files` files, in
//! `/dev/shm` when there is one (file creation on a virtual disk would dominate),
//! with the demo builder (real bytes, 0–8 KiB each, a phone-like mix of domains and folders).
//! Then it prints, never asserting a time:
//! - **index**: `Manifest::open` + `Tree::load_beside` (`present_ids` on a second thread) + the
//!   sorted top level: wall and
//!   CPU time (best and median of `--runs`), the index's heap bytes, and the process's peak RSS
//!   while loading it (VmHWM after resetting it, Linux);
//! - **search**: wall time per query (median of 20) for a few queries, with their match counts;
//! - **export**: the whole version with `backtop::actions::export` into a fresh folder, and
//!   `cp -r` of the version's `xx/` folders (the same files and bytes), alternating, wall and
//!   CPU time (the child's for `cp`), and the rate ratio export / cp.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use backtop::actions::export::{export, select, ExportOptions, Selection, Source};
use backtop::demo::{write_backup, BackupSpec, FileSpec};
use backtop::library::manifest::{present_ids, Fields, Manifest, Sort, Tree};
use backtop::library::ManifestFormat;

#[path = "bench_support/mod.rs"]
mod bench_support;
use bench_support::{arg, cpu, load, median, min};

const UDID: &str = "00008120-00BE0C4B0E0A0001";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| arg(&args, name);
    let files: usize = opt("--files").map_or(Ok(300_000), |v| v.parse())?;
    let runs: usize = opt("--runs").map_or(Ok(3), |v| v.parse())?;
    let keep = opt("--dir").map(PathBuf::from);
    // In RAM where there is a tmpfs: creating 300k files on a virtual disk costs ~1 ms each.
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        tempfile::tempdir_in(shm)?
    } else {
        tempfile::tempdir()?
    };
    let base = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let dir = base.join(UDID);
    if !dir.join("Manifest.db").exists() {
        let start = Instant::now();
        write_backup(&dir, &spec(files))?;
        println!(
            "built {files} files in {:.1} s",
            start.elapsed().as_secs_f64()
        );
    }
    println!("load: {}", load());
    index(&dir, runs)?;
    parts(&dir)?;
    decoders(&dir)?;
    if args.iter().any(|a| a == "--only-open") {
        return Ok(());
    }
    search(&dir)?;
    export_vs_cp(&dir, &base, runs)?;
    Ok(())
}

/// Where opening spends its time: each step of [`load_tree`] alone, wall and CPU.
fn parts(dir: &Path) -> anyhow::Result<()> {
    let timed = |what: &str, f: &mut dyn FnMut()| {
        let (c0, _) = cpu();
        let start = Instant::now();
        f();
        println!(
            "  {what}: wall {:.0} ms, CPU {:.0} ms",
            start.elapsed().as_secs_f64() * 1000.0,
            (cpu().0 - c0) * 1000.0
        );
    };
    let mut manifest = None;
    timed("Manifest::open", &mut || {
        manifest = Manifest::open(dir).ok()
    });
    let manifest = manifest.ok_or_else(|| anyhow::anyhow!("no manifest"))?;
    let mut present = None;
    timed("present_ids", &mut || {
        present = Some(present_ids(dir, ManifestFormat::Db))
    });
    let present = present.unwrap_or_default();
    timed("the rows, names only (Fields::Names)", &mut || {
        let _ = manifest.for_each(Fields::Names, |_| Ok(()));
    });
    timed("the rows, blobs decoded (Fields::All)", &mut || {
        let _ = manifest.for_each(Fields::All, |_| Ok(()));
    });
    let mut tree = None;
    timed("Tree::load", &mut || {
        tree = Tree::load(&manifest, Some(&present)).ok()
    });
    let tree = tree.ok_or_else(|| anyhow::anyhow!("no tree"))?;
    timed("children of the top, by size", &mut || {
        let _ = tree.children(0, Sort::Size);
    });
    Ok(())
}

/// Every row's `MBFile` blob decoded by the plist crate and by the lean reader, same run.
fn decoders(dir: &Path) -> anyhow::Result<()> {
    use backtop::library::manifest::mbfile::{decode_full, decode_lean};
    let conn = rusqlite::Connection::open(dir.join("Manifest.db"))?;
    let mut stmt = conn.prepare("SELECT file FROM Files")?;
    let blobs: Vec<Vec<u8>> = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))?
        .collect::<Result<_, _>>()?;
    let time = |what: &str, f: &dyn Fn(&[u8]) -> bool| {
        let (c0, _) = cpu();
        let start = Instant::now();
        let ok = blobs.iter().filter(|b| f(b)).count();
        let wall = start.elapsed().as_secs_f64() * 1000.0;
        println!(
            "  decode {} blobs with {what}: wall {wall:.0} ms, CPU {:.0} ms ({ok} read)",
            blobs.len(),
            (cpu().0 - c0) * 1000.0
        );
        wall
    };
    let full = time("the plist crate", &|b| decode_full(b).is_ok());
    let lean = time("the lean reader", &|b| decode_lean(b).is_some());
    println!("  lean / plist crate: {:.2}x the time", lean / full);
    Ok(())
}

/// A phone-like version: 40 % camera roll, attachments, app containers, settings.
fn spec(files: usize) -> BackupSpec {
    let mut spec = BackupSpec::new(UDID, "Bench iPhone", "iPhone15,2");
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        seed >> 16
    };
    spec.files = (0..files)
        .map(|i| {
            let size = next() % 8193;
            let (domain, path) = match i * 100 / files.max(1) {
                0..=39 => (
                    "CameraRollDomain".to_string(),
                    format!("Media/DCIM/{}APPLE/IMG_{i:06}.HEIC", 100 + i / 1000 % 50),
                ),
                40..=54 => (
                    "HomeDomain".to_string(),
                    format!(
                        "Library/SMS/Attachments/{:02x}/{:02}/IMG_{i}.jpg",
                        i % 256,
                        i % 17
                    ),
                ),
                55..=64 => (
                    "MediaDomain".to_string(),
                    format!("Media/Recordings/{:03}/rec_{i}.m4a", i % 300),
                ),
                _ => (
                    format!("AppDomain-com.vendor{}.app", i % 300),
                    format!("Library/Caches/{:02}/blob_{i}.bin", i % 40),
                ),
            };
            FileSpec::new(&domain, &path, size)
        })
        .collect();
    spec
}

/// Peak RSS in MiB since the last reset (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn current_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn load_tree(dir: &Path) -> anyhow::Result<Tree> {
    // As the browser opens a version: the contents folders are listed beside the rows.
    let manifest = Manifest::open(dir)?;
    Ok(Tree::load_beside(&manifest, || {
        present_ids(dir, ManifestFormat::Db)
    })?)
}

fn index(dir: &Path, runs: usize) -> anyhow::Result<()> {
    let (mut walls, mut cpus) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        drop(last.take());
        let before = current_rss_mib();
        // Linux: "5" resets VmHWM to the current RSS.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let (c0, _) = cpu();
        let start = Instant::now();
        let tree = load_tree(dir)?;
        let top = tree.children(0, Sort::Size);
        walls.push(start.elapsed().as_secs_f64() * 1000.0);
        cpus.push((cpu().0 - c0) * 1000.0);
        assert!(!top.is_empty());
        let peak = peak_rss_mib().zip(before).map(|(p, b)| p - b);
        println!(
            "index: {} nodes, heap {:.1} MiB, peak RSS while loading +{} MiB",
            tree.len(),
            tree.heap_bytes() as f64 / (1 << 20) as f64,
            peak.map_or("?".into(), |p| format!("{p:.1}"))
        );
        last = Some(tree);
    }
    println!(
        "open to the top level: wall best {:.0} ms, median {:.0} ms; CPU median {:.0} ms",
        min(&walls),
        median(&walls),
        median(&cpus)
    );
    Ok(())
}

fn search(dir: &Path) -> anyhow::Result<()> {
    let tree = load_tree(dir)?;
    for query in [
        "img_1234",
        "DCIM/120apple",
        "rec_",
        "sms/attachments/7f",
        "a",
        "no such name",
    ] {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..20 {
            let start = Instant::now();
            let found = tree.search(query, 1000);
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            total = found.total;
        }
        println!(
            "search {query:?}: {total} matches, median {:.1} ms, best {:.1} ms",
            median(&times),
            min(&times)
        );
    }
    Ok(())
}

fn export_vs_cp(dir: &Path, base: &Path, runs: usize) -> anyhow::Result<()> {
    let tree = load_tree(dir)?;
    let items = select(&tree, &Selection::default())?;
    let hex: Vec<PathBuf> = (0..=255u8)
        .map(|b| dir.join(format!("{b:02x}")))
        .filter(|p| p.is_dir())
        .collect();
    let (mut export_wall, mut export_cpu, mut cp_wall, mut cp_cpu) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut bytes = 0;
    let mut files = 0;
    for run in 0..runs * 2 {
        let out = base.join("bench-out");
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out)?;
        let (c0, k0) = cpu();
        let start = Instant::now();
        if run % 2 == 0 {
            let summary = export(
                Source {
                    dir,
                    format: ManifestFormat::Db,
                },
                &items,
                &out.join("export"),
                ExportOptions::default(),
                &AtomicBool::new(false),
                &mut |_| {},
            )?;
            export_wall.push(start.elapsed().as_secs_f64());
            export_cpu.push(cpu().0 - c0);
            bytes = summary.bytes_written;
            files = summary.written;
        } else {
            let status = Command::new("cp").arg("-r").args(&hex).arg(&out).status()?;
            anyhow::ensure!(status.success(), "cp -r failed");
            cp_wall.push(start.elapsed().as_secs_f64());
            cp_cpu.push(cpu().1 - k0);
        }
    }
    let _ = std::fs::remove_dir_all(base.join("bench-out"));
    let (ew, cw) = (median(&export_wall), median(&cp_wall));
    let mb = bytes as f64 / 1e6;
    println!(
        "export: {files} files, {mb:.0} MB: wall median {ew:.2} s ({:.0} MB/s, {:.0} files/s), CPU {:.2} s",
        mb / ew,
        files as f64 / ew,
        median(&export_cpu)
    );
    println!(
        "cp -r:  the same files: wall median {cw:.2} s ({:.0} MB/s), CPU {:.2} s",
        mb / cw,
        median(&cp_cpu)
    );
    println!("export rate / cp rate: {:.2}", cw / ew);
    Ok(())
}
