//! Incremental refresh benchmark (issue 15): a generated iMazing history of `--versions`
//! hard-linked snapshots of `--files` content files each, 3 % of the files changed from one
//! version to the next.
//!
//! Run: `cargo run --release --example history_bench -- [--files 20000] [--versions 50]
//! [--runs 3] [--dir DIR]`
//!
//! The history is written with the demo builder (`write_backup` for the oldest version,
//! `write_imazing_snapshot` linked to the previous one for each next; sparse files). With all
//! versions but the newest on disk, a scan writes the size cache; then the newest snapshot is
//! added, and whole processes (this program re-run as the child) measure: a full uncached scan
//! of every version (wall, CPU, peak RSS, against `du -s` in turn), the time from start to exact
//! figures for every version with the cache written before the new snapshot ("one new
//! snapshot"), and with the cache of all of them ("nothing changed"), and the cache file's size.
//! Each child prints a digest of its figures (every version's bytes, unique bytes, files, link
//! counts): the parent says whether the incremental ones equal the full scan's. No time is
//! asserted.

#[path = "bench_support/mod.rs"]
mod bench_support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use backtop::demo::{write_backup, write_imazing_snapshot, BackupSpec, FileSpec};
use backtop::library::{BackupState, Device, Library, ManifestFormat, Version, VersionKind};
use backtop::scan::{self, ScanEvent, ScanOptions};
use bench_support::{load, median, peak_rss_kib, timed};

const UDID: &str = "EEEEEEEE-0000000000000050";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| bench_support::arg(&args, name);
    let files: usize = opt("--files").map_or(Ok(20_000), |s| s.parse())?;
    let versions: usize = opt("--versions").map_or(Ok(50), |s| s.parse())?;
    let runs: usize = opt("--runs").map_or(Ok(3), |s| s.parse())?;
    let tmp = tempfile::tempdir()?;
    let dir = opt("--dir").map_or_else(|| tmp.path().to_path_buf(), PathBuf::from);
    if let Some(mode) = opt("--child") {
        return child(&mode, &dir, opt("--cache").map(PathBuf::from));
    }
    anyhow::ensure!(versions >= 2, "--versions must be at least 2");
    let specs = history(files, versions);
    let folders: Vec<PathBuf> = (0..versions).map(|k| version_dir(&dir, k)).collect();
    let newest = folders[versions - 1].clone();
    if newest.exists() {
        std::fs::remove_dir_all(&newest)?;
    }
    let t = Instant::now();
    for k in 0..versions - 1 {
        if !folders[k].join("Manifest.db").is_file() {
            write_version(&folders, &specs, k)?;
        }
    }
    println!(
        "history of {} versions x {files} files ready in {:.1} s under {}",
        versions - 1,
        t.elapsed().as_secs_f64(),
        dir.display()
    );
    measure(&dir, &folders, &specs, runs)
}

/// Version `k`'s folder.
fn version_dir(dir: &Path, k: usize) -> PathBuf {
    dir.join("Backup/iMazing.Versions/Versions")
        .join(UDID)
        .join(format!("v{k:03}"))
}

/// The spec of every version: the files of the one before, 3 % of them changed.
fn history(files: usize, versions: usize) -> Vec<BackupSpec> {
    let mut spec = BackupSpec::new(UDID, "History iPhone", "iPhone15,2");
    spec.sparse = true;
    spec.apps = (0..10)
        .map(|i| (format!("com.example.app{i}"), format!("App {i}")))
        .collect();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    spec.files = (0..files)
        .map(|i| {
            let domain = match i % 4 {
                0 => "CameraRollDomain".to_string(),
                1 | 2 => format!("AppDomain-com.example.app{}", i % 10),
                _ => "HomeDomain".to_string(),
            };
            FileSpec::new(
                &domain,
                &format!("Library/f{i}"),
                1_000 + next() % 2_000_000,
            )
        })
        .collect();
    let mut specs = vec![spec.clone()];
    for _ in 1..versions {
        for f in &mut spec.files {
            if next() % 100 < 3 {
                f.size = 1_000 + next() % 2_000_000;
            }
        }
        specs.push(spec.clone());
    }
    specs
}

/// Writes version `k`: the oldest in full, each next one hard-linked to the one before.
fn write_version(folders: &[PathBuf], specs: &[BackupSpec], k: usize) -> anyhow::Result<()> {
    if k == 0 {
        write_backup(&folders[0], &specs[0])?;
        return Ok(());
    }
    let changed: Vec<FileSpec> = specs[k]
        .files
        .iter()
        .zip(&specs[k - 1].files)
        .filter(|(now, before)| now.size != before.size)
        .map(|(now, _)| now.clone())
        .collect();
    write_imazing_snapshot(&folders[k - 1], &folders[k], &specs[k - 1], &changed)?;
    Ok(())
}

/// The history as discovery would report it: every version folder there, newest first.
fn library(dir: &Path) -> Library {
    let root = dir.join("Backup");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(version_dir(dir, 0).parent().unwrap())
        .map(|rd| rd.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    folders.sort();
    folders.reverse();
    let versions = folders
        .iter()
        .map(|p| {
            let mut v = Version::bare(p, &root, VersionKind::ImazingSnapshot);
            v.manifest = ManifestFormat::Db;
            v.state = BackupState::Complete;
            v
        })
        .collect();
    Library {
        roots: Vec::new(),
        devices: vec![Device {
            udid: UDID.into(),
            name: None,
            product_type: None,
            model: None,
            ios: None,
            versions,
        }],
        damaged: Vec::new(),
        unreadable: Vec::new(),
    }
}

/// One measured process: a scan until every version has exact figures; prints
/// `elapsed_ms rss_kib digest last_sized_ms`.
fn child(_mode: &str, dir: &Path, cache: Option<PathBuf>) -> anyhow::Result<()> {
    let t = Instant::now();
    let lib = library(dir);
    let options = ScanOptions {
        cache,
        threads: 0,
        simulated_disks: None,
    };
    let handle = scan::start(lib, options);
    let mut digest: u64 = 0;
    let mut exact_at = 0.0;
    for event in handle.events.iter() {
        match event {
            ScanEvent::Sized { path, usage } => {
                exact_at = t.elapsed().as_secs_f64() * 1e3;
                if std::env::var_os("HISTORY_BENCH_LIST").is_some() {
                    let n: u64 = usage.shared.iter().map(|s| s.nlink).sum();
                    eprintln!(
                        "{} bytes {} unique {} files {} shared {} nlinks {n}",
                        path.display(),
                        usage.bytes,
                        usage.unique_bytes,
                        usage.files,
                        usage.shared.len()
                    );
                }
                let links: u64 = usage.shared.iter().map(|s| s.nlink * s.links_here).sum();
                let name = path.file_name().map(|n| n.len() as u64).unwrap_or(0);
                let mix = usage.bytes ^ usage.unique_bytes.rotate_left(21) ^ usage.files << 40;
                digest = digest.wrapping_add(
                    (mix ^ links.rotate_left(7) ^ name)
                        .wrapping_mul(0x9E37_79B9_7F4A_7C15 ^ path.to_string_lossy().len() as u64),
                );
            }
            ScanEvent::Failed { path, error } => eprintln!("{}: {error}", path.display()),
            ScanEvent::Note(note) => eprintln!("note: {note}"),
            _ => {}
        }
    }
    println!(
        "{} {} {digest:016x} {exact_at}",
        t.elapsed().as_secs_f64() * 1e3,
        peak_rss_kib()
    );
    Ok(())
}

/// (ms, rss KiB, digest) of a child's output.
fn parse(out: &str) -> (f64, u64, String) {
    let mut it = out.split_whitespace();
    let ms = it.next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
    let rss = it.next().and_then(|v| v.parse().ok()).unwrap_or(0);
    (ms, rss, it.next().unwrap_or("").to_string())
}

/// When the child had exact figures for every version (its last `Sized`), ms after its start.
fn exact_at(out: &str) -> f64 {
    let last = out.split_whitespace().nth(3);
    last.and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
}

fn measure(
    dir: &Path,
    folders: &[PathBuf],
    specs: &[BackupSpec],
    runs: usize,
) -> anyhow::Result<()> {
    let exe = std::env::current_exe()?;
    let me = |cache: Option<&Path>| {
        let mut c = Command::new(&exe);
        c.args(["--child", "scan", "--dir"]).arg(dir);
        if let Some(p) = cache {
            c.arg("--cache").arg(p);
        }
        c
    };
    let (before, after) = (dir.join("cache-before.bin"), dir.join("cache-after.bin"));
    let work = dir.join("cache-run.bin");
    println!("load before: {}", load());
    let s = timed(&mut me(Some(&before)))?;
    println!(
        "scan of {} versions writing the cache: {:.0} ms",
        folders.len() - 1,
        s.wall
    );
    let n = folders.len() - 1;
    let t = Instant::now();
    write_version(folders, specs, n)?;
    println!(
        "new snapshot {} written in {:.1} s",
        folders[n].display(),
        t.elapsed().as_secs_f64()
    );
    let links = (folders.len() * specs[0].files.len()) as f64;
    timed(Command::new("du").arg("-s").arg(dir))?; // page cache warm
    let (mut full, mut full_cpu, mut du, mut du_cpu, mut rss) = (vec![], vec![], vec![], vec![], 0);
    let mut digest = String::new();
    for i in 0..runs {
        let mut du_cmd = Command::new("du");
        du_cmd.arg("-s").arg(dir);
        let (f, d) = if i % 2 == 0 {
            let f = timed(&mut me(None))?;
            (f, timed(&mut du_cmd)?)
        } else {
            let d = timed(&mut du_cmd)?;
            (timed(&mut me(None))?, d)
        };
        let (_, r, dg) = parse(&f.out);
        println!(
            "run {i}: full scan {:.0} ms ({:.0} cpu, {:.1} MiB), du -s {:.0} ms ({:.0} cpu)",
            f.wall,
            f.cpu,
            r as f64 / 1024.0,
            d.wall,
            d.cpu
        );
        (rss, digest) = (rss.max(r), dg);
        full.push(f.wall);
        full_cpu.push(f.cpu);
        du.push(d.wall);
        du_cpu.push(d.cpu);
    }
    let (mut one_new, mut one_new_cpu, mut one_new_exact) = (Vec::new(), Vec::new(), Vec::new());
    let mut inc_rss = 0;
    let mut exact = true;
    for _ in 0..runs {
        std::fs::copy(&before, &work)?;
        let s = timed(&mut me(Some(&work)))?;
        let (_, r, dg) = parse(&s.out);
        exact &= dg == digest;
        inc_rss = inc_rss.max(r);
        one_new.push(s.wall);
        one_new_cpu.push(s.cpu);
        one_new_exact.push(exact_at(&s.out));
    }
    std::fs::rename(&work, &after)?;
    let (mut unchanged, mut unchanged_cpu, mut unchanged_exact) =
        (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        std::fs::copy(&after, &work)?;
        let s = timed(&mut me(Some(&work)))?;
        let (_, r, dg) = parse(&s.out);
        exact &= dg == digest;
        inc_rss = inc_rss.max(r);
        unchanged.push(s.wall);
        unchanged_cpu.push(s.cpu);
        unchanged_exact.push(exact_at(&s.out));
    }
    let size = std::fs::metadata(&after)?.len();
    let f = median(&full);
    println!(
        "{} versions x {} files = {links:.0} links",
        folders.len(),
        specs[0].files.len()
    );
    println!(
        "full uncached scan: median {f:.0} ms, cpu {:.0} ms; du -s {:.0} ms, cpu {:.0} ms (wall ratio {:.2}, cpu ratio {:.2})",
        median(&full_cpu),
        median(&du),
        median(&du_cpu),
        f / median(&du),
        median(&full_cpu) / median(&du_cpu)
    );
    println!(
        "peak RSS: full scan {:.1} MiB, incremental {:.1} MiB",
        rss as f64 / 1024.0,
        inc_rss as f64 / 1024.0
    );
    println!(
        "cache file: {:.1} MiB ({:.2} bytes per link)",
        size as f64 / 1048576.0,
        size as f64 / links
    );
    let (o, u) = (median(&one_new), median(&unchanged));
    let (oc, uc, fc) = (
        median(&one_new_cpu),
        median(&unchanged_cpu),
        median(&full_cpu),
    );
    println!(
        "exact figures after one new snapshot: median {o:.0} ms = {:.3} x full scan (cpu {oc:.0} ms = {:.3} x)",
        o / f,
        oc / fc
    );
    println!(
        "exact figures when nothing changed:  median {u:.0} ms = {:.3} x full scan (cpu {uc:.0} ms = {:.3} x)",
        u / f,
        uc / fc
    );
    println!(
        "last Sized event (exact figures on screen), median: one new snapshot {:.0} ms, nothing changed {:.0} ms",
        median(&one_new_exact),
        median(&unchanged_exact)
    );
    println!(
        "incremental figures equal the full scan's: {}",
        if exact { "yes" } else { "NO" }
    );
    println!("load after: {}", load());
    Ok(())
}
