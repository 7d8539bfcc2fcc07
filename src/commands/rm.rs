//! `backtop rm PATH... [--yes] [--permanent] [--force] [--json]`: delete backup versions.
//!
//! Every path goes through the guards first; if any is refused, nothing is deleted. Then the
//! command shows exactly what will go and asks on a terminal (unless `--yes`; without a
//! terminal and without `--yes` it refuses). Exit codes: 0 all deleted, 1 some deletes failed,
//! 2 refused (nothing done), 3 cancelled at the prompt (and 4 for an error, set by `main`).
//!
//! With `--json` it never asks (`--json` without `--yes` is refused with the error document)
//! and prints one document on stdout instead of the text: what passed the guards, what was
//! refused, what the deletes did (`docs/json.md`).
//!
//! What a delete frees is shown when the caller passes a [`FreedFn`] ([`run_on_terminal`]);
//! [`run`] passes none.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use humansize::{format_size, DECIMAL};
use serde_json::json;

use crate::actions::delete::{delete_version_with, TRASH_NOTE};
use crate::actions::trash_bin::TrashBin;
use crate::actions::{
    check_delete_in, DeleteMode, DeleteOptions, DeleteOutcome, DeletePlanItem, LibraryIndex,
};
use crate::library::Library;
use crate::sanitize::{self, for_display};

/// Exit code: everything asked was done.
pub const EXIT_DONE: i32 = 0;
/// Exit code: some deletes failed or were skipped (the others were done).
pub const EXIT_SOME_FAILED: i32 = 1;
/// Exit code: refused, nothing was done.
pub const EXIT_REFUSED: i32 = 2;
/// Exit code: the user said no at the prompt.
pub const EXIT_CANCELLED: i32 = 3;
/// Exit code `main` should use for an error (a command returning `Err`).
pub const EXIT_ERROR: i32 = 4;

/// What deleting a set of version folders frees, in bytes, when sizes are known (the caller
/// wires `crate::library::usage::freed_by_deleting` here; hard links make sums lie).
pub type FreedFn<'a> = &'a dyn Fn(&[PathBuf]) -> Option<u64>;

/// Where a command writes, reads the answer to its question on a terminal, and learns what a
/// delete frees.
pub struct Console<'a> {
    /// Output.
    pub out: &'a mut dyn Write,
    /// The terminal's input; `None` when stdin is not a terminal.
    pub input: Option<&'a mut dyn BufRead>,
    /// What deleting a set frees, when sizes are available.
    pub freed: Option<FreedFn<'a>>,
    /// Where trash deletes go (the demo's own folder for `--demo`).
    pub trash: TrashBin,
}

impl Console<'_> {
    /// What deleting `paths` frees, if known.
    pub fn freed_by(&self, paths: &[PathBuf]) -> Option<u64> {
        self.freed.and_then(|f| f(paths))
    }
}

impl Console<'_> {
    /// Asks a yes/no question; only `y` or `yes` is yes. `None` without a terminal.
    pub fn ask(&mut self, question: &str) -> anyhow::Result<Option<bool>> {
        let Some(input) = self.input.as_mut() else {
            return Ok(None);
        };
        write!(self.out, "{question} [y/N] ")?;
        self.out.flush()?;
        let mut line = String::new();
        input.read_line(&mut line)?;
        let answer = line.trim().to_ascii_lowercase();
        Ok(Some(answer == "y" || answer == "yes"))
    }
}

/// Runs `backtop rm` on the process's terminal, sizes unknown.
pub fn run(
    library: &Library,
    paths: &[PathBuf],
    yes: bool,
    permanent: bool,
    force: bool,
    read_only: bool,
) -> anyhow::Result<i32> {
    let opts = RmOptions {
        yes,
        permanent,
        force,
        read_only,
        json: false,
    };
    run_on_terminal(library, paths, &opts, None, TrashBin::System)
}

/// Runs `backtop rm` on the process's terminal; `freed` tells what deleting a set frees
/// (the hook for `crate::library::usage::freed_by_deleting` once sizes are scanned), `trash`
/// where trash deletes go ([`TrashBin::of_run`]).
pub fn run_on_terminal(
    library: &Library,
    paths: &[PathBuf],
    opts: &RmOptions,
    freed: Option<FreedFn>,
    trash: TrashBin,
) -> anyhow::Result<i32> {
    with_terminal_trashing(freed, trash, |console| {
        run_with(library, paths, opts, console)
    })
}

/// Runs `f` with a [`Console`] on stdout, reading answers from stdin when it is a terminal;
/// trash deletes go to the system trash.
pub fn with_terminal<R>(freed: Option<FreedFn>, f: impl FnOnce(&mut Console) -> R) -> R {
    with_terminal_trashing(freed, TrashBin::System, f)
}

/// [`with_terminal`] with trash deletes going to `trash`.
pub fn with_terminal_trashing<R>(
    freed: Option<FreedFn>,
    trash: TrashBin,
    f: impl FnOnce(&mut Console) -> R,
) -> R {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut lock = stdin.lock();
    let mut stdout = std::io::stdout();
    let mut console = Console {
        out: &mut stdout,
        input: if interactive { Some(&mut lock) } else { None },
        freed,
        trash,
    };
    f(&mut console)
}

/// The flags of `backtop rm`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RmOptions {
    /// Do not ask.
    pub yes: bool,
    /// Delete for good instead of trashing.
    pub permanent: bool,
    /// Override the newest-backup, in-progress and iMazing guards.
    pub force: bool,
    /// `--read-only`.
    pub read_only: bool,
    /// `--json`: one JSON document on stdout, no prompt (needs `yes`).
    pub json: bool,
}

/// [`run`] with its console given (tests pass buffers).
pub fn run_with(
    library: &Library,
    paths: &[PathBuf],
    opts: &RmOptions,
    console: &mut Console,
) -> anyhow::Result<i32> {
    if opts.json && !opts.yes {
        let message = "--json needs --yes (there is no prompt in JSON mode); nothing was deleted";
        return crate::commands::json::refuse(console.out, true, message, EXIT_REFUSED as u8);
    }
    let guard_opts = DeleteOptions {
        force: opts.force,
        // Confirming at the prompt, after the warning was shown, counts as confirmation.
        confirm_imazing: opts.force || (!opts.yes && console.input.is_some()),
        read_only: opts.read_only,
    };
    let index = LibraryIndex::new(library);
    let mut items = Vec::new();
    let mut refused = Vec::new();
    let mut sink = std::io::sink();
    for path in paths {
        match check_delete_in(path, &index, &guard_opts) {
            // The same version named twice is deleted once.
            Ok(item) if items.iter().any(|i: &DeletePlanItem| i.path == item.path) => {}
            Ok(item) => items.push(item),
            Err(r) => refused.push(r),
        }
    }
    let mode = DeleteMode::from_permanent(opts.permanent);
    let human: &mut dyn Write = if opts.json { &mut sink } else { console.out };
    if !refused.is_empty() {
        for r in &refused {
            writeln!(
                human,
                "refused: {}: {}",
                sanitize::path(&r.path),
                for_display(&r.reason)
            )?;
        }
        writeln!(human, "nothing was deleted")?;
        if opts.json {
            let doc = report(mode, &items, &refused, None, &[]);
            crate::commands::json::print(console.out, &doc)?;
        }
        return Ok(EXIT_REFUSED);
    }
    let paths: Vec<PathBuf> = items.iter().map(|i| i.path.clone()).collect();
    let freed = console.freed_by(&paths);
    let human: &mut dyn Write = if opts.json { &mut sink } else { console.out };
    print_plan(human, &items, mode, freed)?;
    if let Some(code) = confirm(console, opts.yes, items.len())? {
        return Ok(code);
    }
    let human: &mut dyn Write = if opts.json { &mut sink } else { console.out };
    let outcomes = delete_all(&items, mode, &console.trash, human)?;
    if opts.json {
        let doc = report(mode, &items, &refused, freed, &outcomes);
        crate::commands::json::print(console.out, &doc)?;
    }
    Ok(exit_code(&outcomes))
}

/// The `--json` document: the versions that passed the guards, the refusals (any refusal
/// means nothing was deleted), what deleting frees when known, and one result per delete.
fn report(
    mode: DeleteMode,
    items: &[DeletePlanItem],
    refused: &[crate::actions::Refusal],
    freed: Option<u64>,
    outcomes: &[DeleteOutcome],
) -> serde_json::Value {
    let versions: Vec<serde_json::Value> = items
        .iter()
        .map(|item| {
            let v = &item.version;
            let mut entry = json!({
                "udid": v.udid,
                "device": v.device_name,
                "kind": v.kind,
                "state": v.state,
                "date": v.date.and_then(|d| {
                    d.to_offset(time::UtcOffset::UTC)
                        .format(&time::format_description::well_known::Rfc3339)
                        .ok()
                }),
                "warnings": item.warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>(),
            });
            crate::commands::json::put_path(&mut entry, "path", &item.path);
            entry
        })
        .collect();
    json!({
        "mode": mode,
        "versions": versions,
        "refused": refused,
        "freed_bytes": freed,
        "results": outcomes,
    })
}

/// Asks for confirmation unless `yes`; `Some(exit code)` when the command must stop.
pub fn confirm(console: &mut Console, yes: bool, count: usize) -> anyhow::Result<Option<i32>> {
    if yes {
        return Ok(None);
    }
    let question = format!(
        "Delete {count} version{}?",
        if count == 1 { "" } else { "s" }
    );
    match console.ask(&question)? {
        None => {
            writeln!(
                console.out,
                "not a terminal: refusing to delete without --yes; nothing was deleted"
            )?;
            Ok(Some(EXIT_REFUSED))
        }
        Some(false) => {
            writeln!(console.out, "cancelled; nothing was deleted")?;
            Ok(Some(EXIT_CANCELLED))
        }
        Some(true) => Ok(None),
    }
}

/// Lists what will go, with the warnings the user accepts by confirming, and what it frees
/// when known.
pub fn print_plan(
    out: &mut dyn Write,
    items: &[DeletePlanItem],
    mode: DeleteMode,
    freed: Option<u64>,
) -> anyhow::Result<()> {
    let how = match mode {
        DeleteMode::Trash => "to the trash",
        DeleteMode::Permanent => "permanently",
    };
    writeln!(out, "will delete {how}:")?;
    for item in items {
        let v = &item.version;
        let date = v
            .date
            .map(|d| d.date().to_string())
            .unwrap_or_else(|| "date unknown".into());
        let device = v
            .device_name
            .as_deref()
            .or(v.udid.as_deref())
            .unwrap_or("?");
        writeln!(
            out,
            "  {}  ({}, {}, {date}, {})",
            sanitize::path(&item.path),
            v.kind.label(),
            for_display(device),
            v.state.label()
        )?;
        for w in &item.warnings {
            writeln!(out, "    warning: {}", for_display(&w.message))?;
        }
    }
    if let Some(bytes) = freed {
        writeln!(out, "{}", freed_line(bytes, mode))?;
    }
    Ok(())
}

/// "frees 1.2 GB", with the trash caveat in trash mode.
pub fn freed_line(bytes: u64, mode: DeleteMode) -> String {
    let size = format_size(bytes, DECIMAL);
    match mode {
        DeleteMode::Permanent => format!("frees {size} (hard links counted once)"),
        DeleteMode::Trash => format!("frees {size} once the Trash is emptied ({TRASH_NOTE})"),
    }
}

/// Deletes each item in turn, printing each outcome.
pub fn delete_all(
    items: &[DeletePlanItem],
    mode: DeleteMode,
    trash: &TrashBin,
    out: &mut dyn Write,
) -> anyhow::Result<Vec<DeleteOutcome>> {
    let never = AtomicBool::new(false);
    let mut outcomes = Vec::new();
    let mut remover = trash.remover();
    for item in items {
        let outcome = delete_version_with(item, mode, &never, remover.as_mut(), &mut |_| {});
        writeln!(
            out,
            "{}: {}",
            sanitize::path(&outcome.path),
            for_display(&outcome.message)
        )?;
        outcomes.push(outcome);
    }
    if let (TrashBin::Folder(dir), DeleteMode::Trash) = (trash, mode) {
        writeln!(
            out,
            "the demo's trash is {}: it goes away with the demo's temporary folder when \
             backtop exits (the system trash is not used)",
            sanitize::path(dir)
        )?;
    }
    let removed: u64 = outcomes.iter().map(|o| o.bytes_removed).sum();
    if mode == DeleteMode::Permanent && outcomes.len() > 1 {
        writeln!(out, "removed {} in all", format_size(removed, DECIMAL))?;
    }
    Ok(outcomes)
}

/// 0 when every delete was done, else 1.
pub fn exit_code(outcomes: &[DeleteOutcome]) -> i32 {
    if outcomes.iter().all(DeleteOutcome::is_done) {
        EXIT_DONE
    } else {
        EXIT_SOME_FAILED
    }
}
