//! Scan benchmark: backtop's full size scan against `du -s` on a generated library.
//!
//! Run: `cargo run --release --example scan_bench -- [--files 300000] [--runs 5] [--dir DIR]`
//!
//! Builds (or, with `--dir` holding an earlier build, reuses) a library of 8 versions with
//! the demo builder: 6 independent backups and 2 iMazing snapshots hard-linked to one live
//! backup, `--files` content files in all (sparse files: `du -s` then reports few allocated
//! blocks, but it still stats every file, which is what both sides pay for). Then, alternating
//! whole processes with `du -s DIR` (this program re-runs itself as the child), it prints the
//! median wall time of a full uncached scan (sizes + unique bytes + categories), of the walk
//! alone (no manifest read), of `du -s`, their ratios, the time a cached relaunch needs before
//! it shows figures (read the cache, fingerprint every version, emit `Cached`; discovery is
//! not included), the scan's peak RSS (VmHWM) and the machine's load. It never asserts a time.
//!
//! `--cold` (root on Linux) instead drops the page, inode and dentry caches before each process
//! and times a full scan with 1, 2, 4 and 8 walk threads against `du -s`.

#[path = "bench_support/mod.rs"]
mod bench_support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use backtop::demo::{write_backup, write_imazing_snapshot, BackupSpec, FileSpec};
use backtop::library::manifest::ManifestIndex;
use backtop::library::{Device, Library, ManifestFormat, Version, VersionKind};
use backtop::scan::{self, ScanEvent, ScanOptions};
use bench_support::{load, median, min, peak_rss_kib, timed, Sample};

/// Share of the files per version: (udid, folder, kind, share).
const LAYOUT: [(&str, &str, VersionKind, f64); 8] = [
    ("AAAAAAAA-0000000000000001", "live", VersionKind::Live, 0.20),
    (
        "AAAAAAAA-0000000000000001",
        "snap1",
        VersionKind::ImazingSnapshot,
        0.20,
    ),
    (
        "AAAAAAAA-0000000000000001",
        "snap2",
        VersionKind::ImazingSnapshot,
        0.20,
    ),
    (
        "AAAAAAAA-0000000000000001",
        "archive",
        VersionKind::Archive,
        0.15,
    ),
    ("BBBBBBBB-0000000000000002", "live", VersionKind::Live, 0.10),
    (
        "BBBBBBBB-0000000000000002",
        "archive",
        VersionKind::Archive,
        0.08,
    ),
    ("CCCCCCCC-0000000000000003", "live", VersionKind::Live, 0.05),
    ("DDDDDDDD-0000000000000004", "live", VersionKind::Live, 0.02),
];

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| bench_support::arg(&args, name);
    if let Some(mode) = opt("--child") {
        let dir = PathBuf::from(opt("--dir").unwrap_or_default());
        let threads = opt("--threads").map_or(Ok(0), |s| s.parse())?;
        return child(&mode, &dir, opt("--cache").map(PathBuf::from), threads);
    }
    let files: usize = opt("--files").map_or(Ok(300_000), |s| s.parse())?;
    let runs: usize = opt("--runs").map_or(Ok(5), |s| s.parse())?;
    let tmp = tempfile::tempdir()?;
    let dir = opt("--dir").map_or_else(|| tmp.path().to_path_buf(), PathBuf::from);
    if !dir.join("Backup").is_dir() {
        let t = Instant::now();
        build(&dir, files)?;
        println!(
            "built {files} files in {:.1} s under {}",
            t.elapsed().as_secs_f64(),
            dir.display()
        );
    }
    if args.iter().any(|a| a == "--cold") {
        return cold(&dir);
    }
    measure(&dir, runs)
}

/// Cold page, inode and dentry caches (`--cold`, as root on Linux): before every process the
/// caches are dropped, then a full scan with 1, 2, 4 and 8 walk threads and `du -s` are timed.
fn cold(dir: &Path) -> anyhow::Result<()> {
    let drop_caches = || -> std::io::Result<()> {
        // SAFETY: sync takes no arguments and cannot fail.
        #[cfg(unix)]
        unsafe {
            libc::sync()
        };
        std::fs::write("/proc/sys/vm/drop_caches", "3")
    };
    if let Err(e) = drop_caches() {
        println!("cannot drop the caches here ({e}): no cold figures");
        return Ok(());
    }
    let exe = std::env::current_exe()?;
    println!("load before: {}", load());
    for threads in [1, 2, 4, 8] {
        drop_caches()?;
        let mut c = Command::new(&exe);
        c.args(["--child", "scan", "--dir"]).arg(dir);
        c.args(["--threads", &threads.to_string()]);
        let s = timed(&mut c)?;
        drop_caches()?;
        let d = timed(Command::new("du").arg("-s").arg(dir))?;
        println!(
            "cold, {threads} threads: scan {:.0} ms ({:.0} cpu), du -s {:.0} ms ({:.0} cpu): wall ratio {:.2}",
            s.wall,
            s.cpu,
            d.wall,
            d.cpu,
            s.wall / d.wall
        );
    }
    println!("load after: {}", load());
    Ok(())
}

/// Writes the library: per device a live backup, then snapshots and archives.
fn build(dir: &Path, files: usize) -> anyhow::Result<()> {
    let root = dir.join("Backup");
    for (udid, folder, kind, share) in LAYOUT {
        let n = (files as f64 * share) as usize;
        let spec = spec(udid, n);
        let live = root.join(udid);
        match kind {
            VersionKind::Live => {
                write_backup(&live, &spec)?;
            }
            VersionKind::Archive => {
                write_backup(
                    &root.join(format!("{udid}-20240101-12000{}", folder.len())),
                    &spec,
                )?;
            }
            VersionKind::ImazingSnapshot => {
                let snap = root
                    .join("iMazing.Versions/Versions")
                    .join(udid)
                    .join(folder);
                let changed: Vec<FileSpec> = spec
                    .files
                    .iter()
                    .step_by(33)
                    .map(|f| FileSpec {
                        size: f.size / 2 + 1,
                        ..f.clone()
                    })
                    .collect();
                write_imazing_snapshot(&live, &snap, &spec, &changed)?;
            }
        }
    }
    Ok(())
}

/// A backup of `n` files over a realistic mix of domains, sizes 1 kB..4 MB (sparse).
fn spec(udid: &str, n: usize) -> BackupSpec {
    let mut s = BackupSpec::new(udid, "Bench iPhone", "iPhone15,2");
    s.sparse = true;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ n as u64;
    let apps: Vec<String> = (0..20).map(|i| format!("com.example.app{i}")).collect();
    s.apps = apps.iter().map(|b| (b.clone(), b.to_uppercase())).collect();
    s.files = (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let size = 1_000 + x % 4_000_000;
            let (domain, path) = match i % 10 {
                0..=2 => (
                    "CameraRollDomain".to_string(),
                    format!("Media/DCIM/100APPLE/IMG_{i}.HEIC"),
                ),
                3..=6 => (
                    format!("AppDomain-{}", apps[i % 20]),
                    format!("Documents/f{i}"),
                ),
                7 => (
                    "MediaDomain".to_string(),
                    format!("Library/SMS/Attachments/{i}.jpg"),
                ),
                _ => ("HomeDomain".to_string(), format!("Library/Caches/c{i}")),
            };
            FileSpec::new(&domain, &path, size)
        })
        .collect();
    s
}

/// The library as discovery would report it (built by hand from the known layout).
fn library(dir: &Path, walk_only: bool) -> Library {
    let root = dir.join("Backup");
    let mut devices: Vec<Device> = Vec::new();
    for (udid, folder, kind, _) in LAYOUT {
        let path = match kind {
            VersionKind::Live => root.join(udid),
            VersionKind::Archive => root.join(format!("{udid}-20240101-12000{}", folder.len())),
            VersionKind::ImazingSnapshot => root
                .join("iMazing.Versions/Versions")
                .join(udid)
                .join(folder),
        };
        let mut v = Version::bare(&path, &root, kind);
        v.manifest = ManifestFormat::Db;
        v.encrypted = walk_only; // an encrypted backup's manifest is never read
        match devices.iter_mut().find(|d| d.udid == udid) {
            Some(d) => d.versions.push(v),
            None => devices.push(Device {
                udid: udid.into(),
                name: None,
                product_type: None,
                model: None,
                ios: None,
                versions: vec![v],
            }),
        }
    }
    Library {
        roots: Vec::new(),
        devices,
        damaged: Vec::new(),
        unreadable: Vec::new(),
    }
}

/// One measured process: `scan`, `walk` or `relaunch`; prints `elapsed_ms rss_kib`.
fn child(mode: &str, dir: &Path, cache: Option<PathBuf>, threads: usize) -> anyhow::Result<()> {
    let t = Instant::now();
    let lib = library(dir, mode == "walk");
    if mode == "load" {
        for v in lib.versions() {
            let t = Instant::now();
            let n = ManifestIndex::load(&v.path, v.manifest).map_or(0, |i| i.len());
            println!(
                "{} rows in {:.0} ms: {}",
                n,
                t.elapsed().as_secs_f64() * 1e3,
                v.path.display()
            );
        }
        return Ok(());
    }
    let versions = lib.versions().count();
    let handle = scan::start(
        lib,
        ScanOptions {
            cache,
            threads,
            simulated_disks: None,
        },
    );
    let mut hits = 0;
    for event in handle.events.iter() {
        match event {
            ScanEvent::Cached { .. } if mode == "relaunch" => {
                hits += 1;
                if hits == versions {
                    println!("{} {}", t.elapsed().as_secs_f64() * 1e3, peak_rss_kib());
                    std::process::exit(0);
                }
            }
            ScanEvent::Failed { path, error } => eprintln!("{}: {error}", path.display()),
            ScanEvent::Finished { .. } => break,
            _ => {}
        }
    }
    anyhow::ensure!(
        mode != "relaunch",
        "only {hits} of {versions} versions were cached"
    );
    println!("{} {}", t.elapsed().as_secs_f64() * 1e3, peak_rss_kib());
    Ok(())
}

/// Medians and ratios of (scan, walk, du) samples taken in turn.
#[derive(Default)]
struct Table {
    scan: Vec<f64>,
    walk: Vec<f64>,
    du: Vec<f64>,
    scan_ratio: Vec<f64>,
    walk_ratio: Vec<f64>,
    scan_cpu_ratio: Vec<f64>,
    walk_cpu_ratio: Vec<f64>,
    rss_kib: u64,
}

impl Table {
    fn push(&mut self, scan: &Sample, walk: &Sample, du: &Sample) {
        self.scan.push(scan.wall);
        self.walk.push(walk.wall);
        self.du.push(du.wall);
        self.scan_ratio.push(scan.wall / du.wall);
        self.walk_ratio.push(walk.wall / du.wall);
        self.scan_cpu_ratio.push(scan.cpu / du.cpu);
        self.walk_cpu_ratio.push(walk.cpu / du.cpu);
        let rss = scan
            .out
            .split_whitespace()
            .nth(1)
            .and_then(|v| v.parse().ok());
        self.rss_kib = self.rss_kib.max(rss.unwrap_or(0));
    }
}

fn measure(dir: &Path, runs: usize) -> anyhow::Result<()> {
    let exe = std::env::current_exe()?;
    let me = |mode: &str, cache: Option<&Path>| {
        let mut c = Command::new(&exe);
        c.args(["--child", mode, "--dir"]).arg(dir);
        if let Some(p) = cache {
            c.arg("--cache").arg(p);
        }
        c
    };
    let du = || {
        let mut c = Command::new("du");
        c.arg("-s").arg(dir);
        c
    };
    let cores = std::thread::available_parallelism()?;
    println!("load before: {}   cores: {cores}", load());
    timed(&mut du())?; // warm-up: page cache
    timed(&mut me("scan", None))?;
    let mut t = Table::default();
    for i in 0..runs {
        // Alternate who goes first.
        let (scan, du_s) = if i % 2 == 0 {
            let s = timed(&mut me("scan", None))?;
            (s, timed(&mut du())?)
        } else {
            let d = timed(&mut du())?;
            (timed(&mut me("scan", None))?, d)
        };
        let walk = timed(&mut me("walk", None))?;
        println!(
            "run {i}: scan {:.0} ms ({:.0} cpu), walk only {:.0} ms ({:.0} cpu), du -s {:.0} ms ({:.0} cpu)",
            scan.wall, scan.cpu, walk.wall, walk.cpu, du_s.wall, du_s.cpu
        );
        t.push(&scan, &walk, &du_s);
    }
    let cache = dir.join("bench-sizes.bin");
    timed(&mut me("scan", Some(&cache)))?;
    let relaunch: Vec<f64> = (0..runs)
        .map(|_| timed(&mut me("relaunch", Some(&cache))).map(|s| s.wall))
        .collect::<anyhow::Result<_>>()?;
    let (s, d, r) = (median(&t.scan), median(&t.du), median(&relaunch));
    println!("full scan (sizes + unique + categories): median {s:.0} ms");
    println!(
        "walk only (no manifest read):            median {:.0} ms",
        median(&t.walk)
    );
    println!("du -s:                                   median {d:.0} ms");
    println!(
        "scan / du -s, pairwise: median {:.2}, best {:.2}; cpu time ratio {:.2}",
        median(&t.scan_ratio),
        min(&t.scan_ratio),
        median(&t.scan_cpu_ratio)
    );
    println!(
        "walk / du -s, pairwise: median {:.2}, best {:.2}; cpu time ratio {:.2}",
        median(&t.walk_ratio),
        min(&t.walk_ratio),
        median(&t.walk_cpu_ratio)
    );
    println!(
        "cached relaunch: median {r:.1} ms = {:.3} x full scan",
        r / s
    );
    println!(
        "peak RSS of a full scan: {:.1} MiB",
        t.rss_kib as f64 / 1024.0
    );
    println!("load after: {}", load());
    Ok(())
}
