//! `backtop prune [--keep N] [--older-than AGE] [--dry-run] [--yes] [--permanent] [--json]`.
//!
//! Plans with [`crate::actions::prune::plan`], shows what goes and what stays (and why), then
//! deletes after confirmation like `backtop rm`. `--dry-run` prints the plan and touches
//! nothing (also in `--read-only`). Confirming the plan also confirms deleting iMazing
//! snapshots that `Versions.db` may still list (each is marked in the plan). Versions the
//! guards refuse are reported as skipped; when none is left nothing is asked. Exit codes: 0
//! done (or nothing to do, or dry run), 1 some deletes failed or versions were skipped,
//! 2 refused (no policy, bad age, read-only, no terminal without `--yes`), 3 cancelled at the
//! prompt (and 4 for an error, set by `main`).

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;
use time::OffsetDateTime;

use super::rm::{
    confirm, delete_all, exit_code, freed_line, print_plan, with_terminal_trashing, Console,
    FreedFn, EXIT_DONE, EXIT_REFUSED, EXIT_SOME_FAILED,
};
use crate::actions::duration::parse_age;
use crate::actions::trash_bin::TrashBin;
use crate::actions::{
    check_delete_in, plan, DeleteMode, DeleteOptions, DeletePlanItem, LibraryIndex, PrunePlan,
    PrunePolicy, Refusal,
};
use crate::library::diff::{what_deleting_loses, Loss};
use crate::library::Library;
use crate::sanitize::{self, for_display};
use crate::ui::format::size;

/// The flags of `backtop prune`.
#[derive(Debug, Clone, Default)]
pub struct PruneArgs {
    /// `--keep N`.
    pub keep: Option<usize>,
    /// `--older-than AGE`, as typed.
    pub older_than: Option<String>,
    /// `--dry-run`.
    pub dry_run: bool,
    /// `--yes`.
    pub yes: bool,
    /// `--permanent`.
    pub permanent: bool,
    /// `--json`.
    pub json: bool,
    /// `--read-only`.
    pub read_only: bool,
}

/// Runs `backtop prune` on the process's terminal, sizes unknown.
pub fn run(library: &Library, args: &PruneArgs) -> anyhow::Result<i32> {
    run_on_terminal(library, args, None, TrashBin::System)
}

/// Runs `backtop prune` on the process's terminal; `freed` tells what deleting a set frees
/// (the hook for `crate::library::usage::freed_by_deleting` once sizes are scanned), `trash`
/// where trash deletes go.
pub fn run_on_terminal(
    library: &Library,
    args: &PruneArgs,
    freed: Option<FreedFn>,
    trash: TrashBin,
) -> anyhow::Result<i32> {
    with_terminal_trashing(freed, trash, |console| {
        run_with(library, args, OffsetDateTime::now_utc(), console)
    })
}

/// [`EXIT_REFUSED`] as a process exit code.
const REFUSED: u8 = EXIT_REFUSED as u8;

/// [`run`] at time `now` with its console given (tests pass buffers).
pub fn run_with(
    library: &Library,
    args: &PruneArgs,
    now: OffsetDateTime,
    console: &mut Console,
) -> anyhow::Result<i32> {
    let older_than = match args.older_than.as_deref().map(parse_age).transpose() {
        Ok(d) => d,
        Err(e) => {
            let message = format!("--older-than {e}");
            return crate::commands::json::refuse(console.out, args.json, &message, REFUSED);
        }
    };
    if args.keep == Some(0) {
        let message = "--keep 0 would keep nothing, but a device's newest complete backup is \
                       always kept: give --keep 1 or more (nothing was deleted)";
        return crate::commands::json::refuse(console.out, args.json, message, REFUSED);
    }
    if args.keep.is_none() && older_than.is_none() {
        let message =
            "give a policy: --keep N and/or --older-than AGE (e.g. --keep 3 --older-than 90d)";
        return crate::commands::json::refuse(console.out, args.json, message, REFUSED);
    }
    let policy = PrunePolicy {
        keep: args.keep,
        older_than,
    };
    let plan = plan(library, &policy, now);
    if args.dry_run {
        let paths: Vec<PathBuf> = plan.remove.iter().map(|e| e.path.clone()).collect();
        let freed = console.freed_by(&paths);
        let loss = what_deleting_loses(library, &paths, &|_| None, &|| false);
        print(console.out, &plan, args.json, freed, Some(&loss))?;
        return Ok(EXIT_DONE);
    }
    if args.read_only {
        writeln!(
            console.out,
            "backtop is in read-only mode; nothing was deleted"
        )?;
        return Ok(EXIT_REFUSED);
    }
    execute(library, args, &plan, console)
}

/// Guards, confirms and deletes what the plan removes.
fn execute(
    library: &Library,
    args: &PruneArgs,
    plan: &PrunePlan,
    console: &mut Console,
) -> anyhow::Result<i32> {
    if plan.remove.is_empty() {
        print(console.out, plan, args.json, None, None)?;
        return Ok(EXIT_DONE);
    }
    if args.json && !args.yes {
        let message = "--json needs --yes or --dry-run; nothing was deleted";
        return crate::commands::json::refuse(console.out, true, message, REFUSED);
    }
    let (items, skipped) = guard_plan(library, plan, args.read_only);
    let mode = DeleteMode::from_permanent(args.permanent);
    let paths: Vec<PathBuf> = items.iter().map(|i| i.path.clone()).collect();
    let freed = console.freed_by(&paths);
    let mut sink = std::io::sink();
    let human: &mut dyn Write = if args.json { &mut sink } else { console.out };
    for r in &skipped {
        writeln!(
            human,
            "skipped: {}: {}",
            sanitize::path(&r.path),
            for_display(&r.reason)
        )?;
    }
    print_kept(human, plan)?;
    if items.is_empty() {
        writeln!(
            human,
            "every version to prune was skipped; nothing was deleted"
        )?;
        if args.json {
            let doc = json!({
                "remove": plan.remove, "keep": plan.keep, "skipped": skipped, "results": []
            });
            crate::commands::json::print(console.out, &doc)?;
        }
        return Ok(EXIT_SOME_FAILED);
    }
    print_plan(human, &items, mode, freed)?;
    if let Some(code) = confirm(console, args.yes, items.len())? {
        return Ok(code);
    }
    let human: &mut dyn Write = if args.json { &mut sink } else { console.out };
    let outcomes = delete_all(&items, mode, &console.trash, human)?;
    if args.json {
        let doc = json!({
            "remove": plan.remove, "keep": plan.keep, "skipped": skipped, "results": outcomes
        });
        crate::commands::json::print(console.out, &doc)?;
    }
    if !skipped.is_empty() {
        return Ok(EXIT_SOME_FAILED);
    }
    Ok(exit_code(&outcomes))
}

/// Runs the guards on what the plan removes. Confirming the plan also confirms iMazing
/// snapshots that `Versions.db` may list (the plan shows the warning).
fn guard_plan(
    library: &Library,
    plan: &PrunePlan,
    read_only: bool,
) -> (Vec<DeletePlanItem>, Vec<Refusal>) {
    let opts = DeleteOptions {
        force: false,
        confirm_imazing: true,
        read_only,
    };
    let index = LibraryIndex::new(library);
    let mut items = Vec::new();
    let mut skipped = Vec::new();
    for entry in &plan.remove {
        match check_delete_in(&entry.path, &index, &opts) {
            Ok(item) => items.push(item),
            Err(r) => skipped.push(r),
        }
    }
    (items, skipped)
}

/// Prints the plan: JSON `{"remove": [...], "keep": [...], "freed_bytes": n|null,
/// "only_in_removed": {...}}`, or lines for people; with `loss`, the files only the removed
/// versions hold.
fn print(
    out: &mut dyn Write,
    plan: &PrunePlan,
    json: bool,
    freed: Option<u64>,
    loss: Option<&Loss>,
) -> anyhow::Result<()> {
    if json {
        let mut doc = json!({ "remove": plan.remove, "keep": plan.keep, "freed_bytes": freed });
        if let Some(loss) = loss {
            doc["only_in_removed"] = loss_json(loss);
        }
        crate::commands::json::print(out, &doc)?;
        return Ok(());
    }
    print_kept(out, plan)?;
    if plan.remove.is_empty() {
        writeln!(out, "nothing to prune")?;
        return Ok(());
    }
    writeln!(out, "would delete:")?;
    for e in &plan.remove {
        plan_line(out, e)?;
    }
    if let Some(bytes) = freed {
        writeln!(out, "{}", freed_line(bytes, DeleteMode::Permanent))?;
    }
    if let Some(loss) = loss {
        loss_text(out, loss)?;
    }
    Ok(())
}

/// `only in these versions: 3 files (9.0 kB): Photos & videos 3 (9.0 kB), ...`, or that every
/// file stays in a kept version; then the versions not read.
fn loss_text(out: &mut dyn Write, loss: &Loss) -> anyhow::Result<()> {
    let t = &loss.totals;
    if t.files == 0 {
        writeln!(out, "every file in them is also in a version that stays")?;
    } else {
        let by: Vec<String> = loss
            .by_category
            .iter()
            .map(|(c, t)| format!("{} {} ({})", c.label(), t.files, size(t.bytes)))
            .collect();
        writeln!(
            out,
            "only in these versions: {} files ({}), {} of them kept in another copy: {}",
            t.files,
            size(t.bytes),
            t.other_copy_files,
            by.join(", ")
        )?;
    }
    for (path, why) in loss.unread_going.iter().chain(&loss.unread_kept) {
        writeln!(out, "  not read: {} ({why})", sanitize::path(path))?;
    }
    Ok(())
}

/// The `only_in_removed` object of `--dry-run --json`.
fn loss_json(loss: &Loss) -> serde_json::Value {
    let tally = |t: &crate::library::diff::LossTally| json!({"files": t.files, "bytes": t.bytes, "other_copy_files": t.other_copy_files});
    let unread = |list: &[(PathBuf, String)]| -> serde_json::Value {
        list.iter()
            .map(|(path, why)| {
                let mut v = json!({ "reason": why });
                crate::commands::json::put_path(&mut v, "path", path);
                v
            })
            .collect()
    };
    let by_category: serde_json::Map<String, serde_json::Value> = loss
        .by_category
        .iter()
        .map(|(c, t)| (c.id().to_string(), tally(t)))
        .collect();
    let mut doc = tally(&loss.totals);
    doc["by_category"] = serde_json::Value::Object(by_category);
    doc["unread_removed"] = unread(&loss.unread_going);
    doc["unread_kept"] = unread(&loss.unread_kept);
    doc
}

/// One entry of a plan: its path and why, from disk text sanitized.
fn plan_line(out: &mut dyn Write, e: &crate::actions::prune::PlanEntry) -> anyhow::Result<()> {
    writeln!(
        out,
        "  {}  {}",
        sanitize::path(&e.path),
        for_display(&e.reason.text())
    )?;
    Ok(())
}

/// Lists what stays and why.
fn print_kept(out: &mut dyn Write, plan: &PrunePlan) -> anyhow::Result<()> {
    writeln!(out, "keeps:")?;
    for e in &plan.keep {
        plan_line(out, e)?;
    }
    Ok(())
}
