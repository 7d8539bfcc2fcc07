//! Move benchmark: `backtop move`'s copy + verify (the core, in this process) against
//! `cp -a` of the same tree, in the same run, on the same volume.
//!
//! Run: `cargo run --release --example move_bench -- [--scale 4] [--dense-mb 256] [--dir DIR]
//! [--root ROOT]`
//!
//! Two trees: the demo library's iMazing root at `--scale` (hard-linked snapshots, sparse
//! files: what costs is per-entry work) and a dense tree of `--dense-mb` MB of pseudo-random
//! files of 64 KB to 8 MB (what costs is bytes; `--dense-mb 0` leaves it out). `--root ROOT`
//! adds an existing root, such as the 300k-file library `scan_bench --dir DIR` builds
//! (`--root DIR/Backup`): it is moved and rolled back, so it ends as it was. For each tree it
//! prints the wall and CPU time of `cp -a` and of the move (plan, copy while hashing,
//! `syncfs`, verify: every file re-read from the disk with the page cache dropped, hashed and
//! compared; the switch), each stage's wall time, the ratios, and the machine's load. `cp -a`
//! does not sync or verify, so the ratio includes all that on backtop's side. It never
//! asserts a time.

#[cfg(any(target_os = "linux", target_vendor = "apple"))]
fn main() -> anyhow::Result<()> {
    bench::main()
}

#[cfg(not(any(target_os = "linux", target_vendor = "apple")))]
fn main() {
    eprintln!("move_bench needs Linux or macOS (the move's atomic swap)");
}

#[cfg(any(target_os = "linux", target_vendor = "apple"))]
#[path = "bench_support/mod.rs"]
mod bench_support;

#[cfg(any(target_os = "linux", target_vendor = "apple"))]
mod bench {
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use std::sync::atomic::AtomicBool;
    use std::time::{Duration, Instant};

    use super::bench_support::{arg, load};
    use backtop::actions::relocate::{
        decide, gather, run_move, Direction, MoveOptions, Request, Stage,
    };
    use backtop::demo::{build_demo, imazing_root, DemoOptions, Rng};
    use backtop::library::discover::discover_library;
    use backtop::library::locate::named_root;
    use backtop::library::RootOrigin;

    pub fn main() -> anyhow::Result<()> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let opt = |name: &str| arg(&args, name);
        let scale: f64 = opt("--scale").map_or(Ok(4.0), |s| s.parse())?;
        let dense_mb: u64 = opt("--dense-mb").map_or(Ok(256), |s| s.parse())?;
        let base = opt("--dir").map_or_else(std::env::temp_dir, PathBuf::from);
        let tmp = tempfile::tempdir_in(base.canonicalize()?)?;
        println!(
            "move benchmark in {} (load {})",
            tmp.path().display(),
            load()
        );

        let home = tmp.path().join("home");
        let opts = DemoOptions {
            scale,
            ..Default::default()
        };
        build_demo(&home, &opts)?;
        compare_with_cp(
            "demo iMazing root (sparse, hard links)",
            &imazing_root(&home),
            tmp.path(),
        )?;

        if dense_mb > 0 {
            let dense = tmp.path().join("dense/Backup");
            write_dense(&dense, dense_mb << 20)?;
            compare_with_cp(&format!("dense tree ({dense_mb} MB)"), &dense, tmp.path())?;
        }
        if let Some(root) = opt("--root") {
            let root = PathBuf::from(root).canonicalize()?;
            compare_with_cp(&format!("{}", root.display()), &root, tmp.path())?;
        }
        Ok(())
    }

    /// Pseudo-random files of 64 KB to 8 MB in a version-like layout, `bytes` in all.
    fn write_dense(root: &Path, bytes: u64) -> anyhow::Result<()> {
        let version = root.join("00008120-AAAAAAAAAAAAAAAA");
        let mut rng = Rng::new(7);
        let mut left = bytes;
        let mut i = 0u64;
        while left > 0 {
            let len = rng.range(64 << 10, 8 << 20).min(left);
            let dir = version.join(format!("{:02x}", i % 256));
            std::fs::create_dir_all(&dir)?;
            std::fs::write(dir.join(format!("{i:040x}")), rng.bytes(len as usize))?;
            left -= len;
            i += 1;
        }
        std::fs::write(version.join("Info.plist"), b"<plist/>")?;
        Ok(())
    }

    fn compare_with_cp(what: &str, root: &Path, scratch: &Path) -> anyhow::Result<()> {
        let files = walkdir::WalkDir::new(root).into_iter().count();
        println!("\n{what}: {files} entries");
        drop_caches();
        let cp_dest = scratch.join("cp-copy");
        let cpu0 = cpu(libc::RUSAGE_CHILDREN);
        let t = Instant::now();
        let status = Command::new("cp")
            .arg("-a")
            .arg(root)
            .arg(&cp_dest)
            .status()?;
        anyhow::ensure!(status.success(), "cp -a failed");
        let cp_wall = t.elapsed();
        let cp_cpu = cpu(libc::RUSAGE_CHILDREN) - cpu0;
        std::fs::remove_dir_all(&cp_dest)?;

        drop_caches();
        let dest = scratch.join("moved");
        let req = Request {
            direction: Direction::Away,
            root: root.to_path_buf(),
            dest: Some(dest.clone()),
            free_override: None,
            read_only: false,
        };
        let library = discover_library(
            &[named_root(root, RootOrigin::Flag)],
            time::OffsetDateTime::now_utc(),
        );
        let cancel = AtomicBool::new(false);
        let cpu0 = cpu(libc::RUSAGE_SELF);
        let t = Instant::now();
        let plan =
            decide(&gather(&req, &library, &cancel)).map_err(|r| anyhow::anyhow!(r.reason))?;
        let planned = t.elapsed();
        // When each stage began.
        let mut stages: Vec<(Stage, Duration)> = Vec::new();
        let outcome = run_move(&plan, &MoveOptions::default(), &cancel, &mut |p| {
            if stages.last().is_none_or(|(s, _)| *s != p.stage) {
                stages.push((p.stage, t.elapsed()));
            }
        });
        let wall = t.elapsed();
        let used = cpu(libc::RUSAGE_SELF) - cpu0;
        anyhow::ensure!(outcome.kept.is_some(), "move failed: {}", outcome.message);
        // Undo: the original back in place, the copy gone (not timed).
        backtop::actions::relocate::abort(root, &cancel)?;

        println!(
            "  cp -a:                 wall {:>8.3} s  cpu {:>8.3} s",
            secs(cp_wall),
            secs(cp_cpu)
        );
        println!(
            "  move (plan+copy+verify+switch): wall {:>8.3} s  cpu {:>8.3} s",
            secs(wall),
            secs(used)
        );
        let mut line = format!("  stages: plan {:.3} s", secs(planned));
        for (i, (stage, at)) in stages.iter().enumerate() {
            let end = stages.get(i + 1).map_or(wall, |(_, next)| *next);
            line.push_str(&format!(", {stage:?} {:.3} s", secs(end - *at)));
        }
        println!("{line}");
        println!(
            "  ratio move / cp -a:    wall {:>8.2}×   cpu {:>8.2}×",
            secs(wall) / secs(cp_wall).max(1e-9),
            secs(used) / secs(cp_cpu).max(1e-9)
        );
        Ok(())
    }

    fn secs(d: Duration) -> f64 {
        d.as_secs_f64()
    }

    /// User + system CPU time of this process or its waited-for children.
    fn cpu(who: libc::c_int) -> Duration {
        // SAFETY: getrusage fills the struct it is given; `who` is RUSAGE_SELF or RUSAGE_CHILDREN.
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(who, &mut u) };
        let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, (t.tv_usec as u32) * 1000);
        tv(u.ru_utime) + tv(u.ru_stime)
    }

    /// Flushes dirty pages so that neither side pays for the other's writes (best effort).
    fn drop_caches() {
        // SAFETY: sync has no preconditions.
        unsafe { libc::sync() };
    }
}
