//! `backtop move SOURCE --to DEST` and `backtop move --back ROOT`: move a backup root to
//! another folder or drive (leaving a link at its old path) and back.
//!
//! The plan is checked first ([`crate::actions::relocate::plan`]); a refused move changes
//! nothing. `--dry-run` prints exactly the plan. Otherwise, on a terminal and without `--yes`,
//! the command asks to move and then whether to remove the original once the switch is done;
//! without a terminal it needs `--yes` (which removes the original unless `--keep-source`).
//! Running the same move again resumes an interrupted one; `--abort` rolls it back.
//!
//! Exit codes: 0 moved (or rolled back, or the dry run), 1 the move stopped (failed,
//! cancelled, or stopped by `BACKTOP_FAULT_AFTER`: the journal says how far it got), 2
//! refused (nothing done), 3 cancelled at the prompt, 4 error.
//!
//! Test hooks, read only in [`TestHooks::from_env`]: `BACKTOP_FAULT_AFTER=start|copy|verify|
//! switch` stops the move right after recording that phase, as a crash would;
//! `BACKTOP_FREE_BYTES=N` is the destination's free space instead of the volume's figure.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use humansize::{format_size, DECIMAL};
use serde_json::{json, Value};

use super::rm::{Console, EXIT_CANCELLED, EXIT_DONE, EXIT_REFUSED, EXIT_SOME_FAILED};
use crate::actions::relocate::words::{plan_text, Original};
use crate::actions::relocate::{
    abort, decide, discover_for, gather, run_move, Direction, MoveOptions, MoveOutcome, MovePlan,
    MoveProgress, MoveStatus, Phase, Request, Stage,
};
use crate::cli::MoveArgs;

/// The test hooks of `move` (see the module doc).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TestHooks {
    /// Stop right after recording this phase.
    pub stop_after: Option<Phase>,
    /// The destination's free bytes.
    pub free: Option<u64>,
}

impl TestHooks {
    /// Reads `BACKTOP_FAULT_AFTER` and `BACKTOP_FREE_BYTES` (the only place they are read).
    pub fn from_env() -> Self {
        let stop_after = std::env::var("BACKTOP_FAULT_AFTER").ok().and_then(|v| {
            [
                Phase::Copying,
                Phase::Copied,
                Phase::Verified,
                Phase::Switched,
            ]
            .into_iter()
            .find(|p| p.as_str() == v)
        });
        let free = std::env::var("BACKTOP_FREE_BYTES")
            .ok()
            .and_then(|v| v.parse().ok());
        TestHooks { stop_after, free }
    }
}

/// Runs `backtop move` on the process's terminal.
pub fn run(args: &MoveArgs, read_only: bool) -> anyhow::Result<i32> {
    let hooks = TestHooks::from_env();
    let cancel = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    {
        let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&cancel));
    }
    super::rm::with_terminal(None, |console| {
        run_with(args, read_only, hooks, &cancel, console)
    })
}

/// [`run`] with its console, hooks and cancel flag given (tests pass buffers).
pub fn run_with(
    args: &MoveArgs,
    read_only: bool,
    hooks: TestHooks,
    cancel: &AtomicBool,
    console: &mut Console,
) -> anyhow::Result<i32> {
    let (direction, root) = match (&args.back, &args.source) {
        (Some(root), _) => (Direction::Back, root.clone()),
        (None, Some(source)) => (Direction::Away, source.clone()),
        (None, None) => anyhow::bail!("give SOURCE --to DEST, or --back ROOT"),
    };
    if args.abort {
        return roll_back(&root, read_only, args.json, cancel, console);
    }
    let req = Request {
        direction,
        root: root.clone(),
        dest: args.to.clone(),
        free_override: hooks.free,
        read_only,
    };
    let library = discover_for(&root);
    let plan = match decide(&gather(&req, &library, cancel)) {
        Ok(plan) => plan,
        Err(r) => {
            if args.json {
                refused_json(console.out, &root, &r.reason, Some(&r))?;
            } else {
                writeln!(console.out, "refused: {}: {}", root.display(), r.reason)?;
                writeln!(console.out, "nothing was moved")?;
            }
            return Ok(EXIT_REFUSED);
        }
    };
    let remove_original = match decide_removal(args, &plan, console)? {
        Ok(remove) => remove,
        Err(code) => return Ok(code),
    };
    let opts = MoveOptions {
        remove_original,
        stop_after: hooks.stop_after,
    };
    let show_progress = !args.json && std::io::stderr().is_terminal();
    let mut meter = Meter::new(show_progress);
    let outcome = run_move(&plan, &opts, cancel, &mut |p| meter.show(&p));
    meter.clear();
    report(console.out, args.json, Some(&plan), &outcome)?;
    Ok(exit_code(&outcome))
}

/// Prints the plan and asks what is to be asked: `Ok(remove the original)`, or `Err(exit
/// code)` when the command stops here (dry run, refused without a terminal, said no).
fn decide_removal(
    args: &MoveArgs,
    plan: &MovePlan,
    console: &mut Console,
) -> anyhow::Result<Result<bool, i32>> {
    let keep = args.keep_source;
    if args.json && args.dry_run {
        let v = json!({"plan": plan, "remove_original": args.yes && !keep});
        crate::commands::json::print(console.out, &v)?;
        return Ok(Err(EXIT_DONE));
    }
    if args.json && !args.yes {
        // JSON mode asks nothing: stdout holds only the document.
        let why = "refusing to move without --yes in JSON mode; nothing was moved";
        refused_json(console.out, &plan.root, why, None)?;
        return Ok(Err(EXIT_REFUSED));
    }
    if !args.json {
        write!(
            console.out,
            "{}",
            plan_text(plan, fate(args.yes && !keep, args.yes || keep))
        )?;
    }
    if args.dry_run {
        return Ok(Err(EXIT_DONE));
    }
    if args.yes {
        return Ok(Ok(!keep));
    }
    match console.ask("Move?")? {
        None => {
            writeln!(
                console.out,
                "not a terminal: refusing to move without --yes; nothing was moved"
            )?;
            Ok(Err(EXIT_REFUSED))
        }
        Some(false) => {
            writeln!(console.out, "cancelled; nothing was moved")?;
            Ok(Err(EXIT_CANCELLED))
        }
        Some(true) if keep => Ok(Ok(false)),
        Some(true) => {
            let q = "Once the copy is verified and in place, remove the original permanently?";
            Ok(Ok(console.ask(q)?.unwrap_or(false)))
        }
    }
}

/// What the plan says of the original: `removes` it after the switch, or keeps it when that is
/// `decided` by the flags, else asks below.
fn fate(removes: bool, decided: bool) -> Original {
    match (removes, decided) {
        (true, _) => Original::Removed,
        (false, true) => Original::Kept,
        (false, false) => Original::AskedBelow,
    }
}

fn roll_back(
    root: &Path,
    read_only: bool,
    json: bool,
    cancel: &AtomicBool,
    console: &mut Console,
) -> anyhow::Result<i32> {
    if read_only {
        let why = "backtop is in read-only mode; nothing was rolled back";
        if json {
            refused_json(console.out, root, why, None)?;
        } else {
            writeln!(console.out, "refused: {why}")?;
        }
        return Ok(EXIT_REFUSED);
    }
    match abort(root, cancel) {
        Ok(outcome) => {
            report(console.out, json, None, &outcome)?;
            Ok(EXIT_DONE)
        }
        Err(e) => {
            if json {
                let message = format!("not rolled back: {e}");
                eprintln!("backtop: {message}");
                let mut v = crate::commands::json::error_document(&message, EXIT_SOME_FAILED as u8);
                crate::commands::json::put_path(&mut v, "root", root);
                crate::commands::json::print(console.out, &v)?;
            } else {
                writeln!(console.out, "not rolled back: {e}")?;
            }
            Ok(EXIT_SOME_FAILED)
        }
    }
}

/// A refusal in JSON mode, as docs/json.md has every command say it: the error document
/// (exit code 2) with the root and, when the plan refused, its reason's kind; the text on
/// stderr.
fn refused_json(
    out: &mut dyn Write,
    root: &Path,
    why: &str,
    refusal: Option<&crate::actions::relocate::Refusal>,
) -> anyhow::Result<()> {
    let message = format!("refused: {}: {why}", root.display());
    eprintln!("backtop: {message}");
    let mut v = crate::commands::json::error_document(&message, EXIT_REFUSED as u8);
    crate::commands::json::put_path(&mut v, "root", root);
    if let (Some(r), Value::Object(map)) = (refusal, &mut v) {
        map.insert("refused".into(), serde_json::to_value(r)?);
    }
    crate::commands::json::print(out, &v)
}

fn report(
    out: &mut dyn Write,
    json: bool,
    plan: Option<&MovePlan>,
    outcome: &MoveOutcome,
) -> anyhow::Result<()> {
    if json {
        let v = json!({"plan": plan, "outcome": outcome});
        crate::commands::json::print(out, &v)?;
    } else {
        writeln!(out, "{}", outcome.message)?;
    }
    Ok(())
}

/// 0 when the move or rollback finished, else 1.
pub fn exit_code(outcome: &MoveOutcome) -> i32 {
    match outcome.status {
        MoveStatus::Done | MoveStatus::Kept | MoveStatus::RolledBack => EXIT_DONE,
        _ => EXIT_SOME_FAILED,
    }
}

/// Progress on stderr: stage, files, bytes, rate, ETA (only on a terminal).
struct Meter {
    on: bool,
    stage: Option<Stage>,
    started: Instant,
    last: Option<Instant>,
}

impl Meter {
    fn new(on: bool) -> Self {
        Meter {
            on,
            stage: None,
            started: Instant::now(),
            last: None,
        }
    }

    fn show(&mut self, p: &MoveProgress) {
        if !self.on {
            return;
        }
        if self.stage != Some(p.stage) {
            self.stage = Some(p.stage);
            self.started = Instant::now();
        } else if self.last.is_some_and(|t| t.elapsed().as_millis() < 200) {
            return;
        }
        self.last = Some(Instant::now());
        let stage = match p.stage {
            Stage::Copying => "copying",
            Stage::Verifying => "verifying",
            Stage::Switching => "switching",
            Stage::Removing => "removing the original",
        };
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = p.done.bytes as f64 / secs;
        let eta = if rate > 0.0 && p.total.bytes > p.done.bytes {
            format!(
                ", about {:.0} s left",
                (p.total.bytes - p.done.bytes) as f64 / rate
            )
        } else {
            String::new()
        };
        eprint!(
            "\r\x1b[K{stage}: {}/{} entries, {} of {} ({}/s{eta})",
            p.done.entries,
            p.total.entries,
            format_size(p.done.bytes, DECIMAL),
            format_size(p.total.bytes, DECIMAL),
            format_size(rate as u64, DECIMAL)
        );
    }

    fn clear(&self) {
        if self.on && self.last.is_some() {
            eprint!("\r\x1b[K");
        }
    }
}
