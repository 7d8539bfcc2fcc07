//! Helpers the benchmarks share (`#[path = "support/bench.rs"] mod bench;`): option parsing,
//! CPU time, medians, the machine's load. Benchmarks print figures; they never assert a time.

#![allow(dead_code)]

/// The value after `--name` in `args`, if any.
pub fn opt(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
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

/// The median of `v` (the upper one of an even count).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The smallest of `v`.
pub fn best(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

/// The 1, 5 and 15 minute load averages (Linux), or `unknown`.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
