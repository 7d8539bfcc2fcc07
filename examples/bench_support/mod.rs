//! What the benchmarks share: option parsing, whole processes timed (wall and CPU), this
//! process's CPU time and peak RSS, medians and the machine's load. Included by `#[path]`
//! (not an example itself). Benchmarks print figures; they never assert a time.

#![allow(dead_code)]

use std::process::Command;
use std::time::Instant;

/// The value after `--name` in `args`.
pub fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// (user + system) CPU seconds of this process and of its waited-for children.
pub fn cpu() -> (f64, f64) {
    #[cfg(unix)]
    {
        let get = |who| {
            // SAFETY: getrusage fills the struct we own.
            let mut u: libc::rusage = unsafe { std::mem::zeroed() };
            unsafe { libc::getrusage(who, &mut u) };
            let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
            t(u.ru_utime) + t(u.ru_stime)
        };
        (get(libc::RUSAGE_SELF), get(libc::RUSAGE_CHILDREN))
    }
    #[cfg(not(unix))]
    (0.0, 0.0)
}

/// Peak resident memory of this process (`VmHWM`), KiB; 0 where unknown.
pub fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// One finished process: wall and CPU (user + system) milliseconds, and its stdout.
pub struct Sample {
    pub wall: f64,
    pub cpu: f64,
    pub out: String,
}

/// Runs a whole process and measures it.
pub fn timed(cmd: &mut Command) -> anyhow::Result<Sample> {
    let cpu0 = children_cpu_ms();
    let t = Instant::now();
    let out = cmd.output()?;
    let wall = t.elapsed().as_secs_f64() * 1e3;
    anyhow::ensure!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = String::from_utf8_lossy(&out.stdout).into_owned();
    let cpu = children_cpu_ms() - cpu0;
    Ok(Sample { wall, cpu, out })
}

/// CPU time of the finished children so far (0 where unknown).
#[cfg(unix)]
pub fn children_cpu_ms() -> f64 {
    // SAFETY: getrusage only writes into the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) } != 0 {
        return 0.0;
    }
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
    ms(ru.ru_utime) + ms(ru.ru_stime)
}

#[cfg(not(unix))]
pub fn children_cpu_ms() -> f64 {
    0.0
}

/// The median of `v` (the upper one of an even count).
pub fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The smallest of `v`.
pub fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

/// `/proc/loadavg`, as text.
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .trim()
        .to_string()
}
