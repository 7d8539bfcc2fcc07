//! Running the real `backtop` binary with a home, config, cache and data folder of its own and
//! a time bound: a run that does not finish in time is killed and the test fails saying so.

use std::ffi::OsStr;
use std::fmt::Debug;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `backtop ARGS` with HOME and XDG folders under `home`, killed after `limit`. The
/// arguments may be `&str` or, for paths that are not UTF-8, `&OsStr`. Dates are in UTC
/// (`TZ=UTC`) unless [`run_in_zone`] says otherwise.
pub fn run_within<A: AsRef<OsStr> + Debug>(home: &Path, args: &[A], limit: Duration) -> Output {
    run_in_zone(home, args, limit, "UTC")
}

/// [`run_within`] with `TZ` set to `tz` (a zone name or a POSIX rule such as
/// `CET-1CEST,M3.5.0,M10.5.0/3`).
pub fn run_in_zone<A: AsRef<OsStr> + Debug>(
    home: &Path,
    args: &[A],
    limit: Duration,
    tz: &str,
) -> Output {
    run_with_env(home, args, limit, &[("TZ", tz.as_ref())])
}

/// [`run_within`] with more environment variables (`TZ`, `TMPDIR`, …) set or replaced.
pub fn run_with_env<A: AsRef<OsStr> + Debug>(
    home: &Path,
    args: &[A],
    limit: Duration,
    env: &[(&str, &OsStr)],
) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_backtop"))
        .args(args)
        .env("HOME", home.join("home"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("BACKTOP_ROOTS")
        // Dates in the system's zone (`list`, the dashboard): the same on every machine.
        .env("TZ", "UTC")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("backtop starts");
    let stdout = child.stdout.take().map(drain);
    let stderr = child.stderr.take().map(drain);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for backtop") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("backtop {args:?} did not answer within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let join = |h: Option<std::thread::JoinHandle<Vec<u8>>>| {
        h.map(|h| h.join().unwrap_or_default()).unwrap_or_default()
    };
    Output {
        status,
        stdout: join(stdout),
        stderr: join(stderr),
    }
}

/// Reads a pipe to its end on a thread (so a full pipe never blocks the child).
fn drain(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// Writes the demo library (seed 7, scale 0.05, sparse, dated from now) into `lib`, a home.
pub fn small_demo(lib: &Path) {
    backtop::demo::build_demo(
        lib,
        &backtop::demo::DemoOptions {
            seed: 7,
            scale: 0.05,
            sparse: true,
            now: None,
        },
    )
    .expect("demo library");
}
