//! The `backtop` binary: parse the CLI, resolve the roots, finish deletes a previous run left
//! half done, discover the library, then run the dashboard or a subcommand. Errors are printed
//! with their context; the exit code comes from the command (see each command's module doc).

use std::process::ExitCode;

use clap::Parser;

use backtop::actions::delete::recover_markers;
use backtop::actions::marker::find_markers;
use backtop::cli::{Cli, Command};
use backtop::commands::context::RunRoots;
use backtop::commands::prune::PruneArgs;
use backtop::commands::{demo, list, prune, rm, roots, tui, verify};

/// Exit code when backtop itself fails (bad arguments are clap's 2): distinct from a command's
/// own "some deletes failed" or "problems found" (1).
const EXIT_ERROR: u8 = 4;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(err) => {
            eprintln!("backtop: {err:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// A crash or a cancel between a delete's rename and its removal leaves a marker folder
/// (never shown as a backup). The commands that delete anyway (the dashboard, `rm`, `prune`)
/// finish such deletes first; the others (and `--read-only`) only say they are there.
fn finish_or_report_half_deletes(cli: &Cli, run_roots: &RunRoots) {
    let deletes = matches!(
        cli.command,
        None | Some(Command::Rm { .. }) | Some(Command::Prune { dry_run: false, .. })
    );
    let roots = run_roots.paths();
    if deletes && !cli.read_only {
        for recovery in recover_markers(&roots) {
            eprintln!("backtop: {}", recovery.message);
        }
        return;
    }
    for marker in find_markers(&roots) {
        eprintln!(
            "backtop: {} was being deleted when backtop stopped; it is hidden from listings \
             and is finished by the next `backtop rm`, `prune` or dashboard run ({})",
            marker.original_path().display(),
            marker.dir.display()
        );
    }
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    if let Some(Command::Demo { dir }) = &cli.command {
        return demo::run(dir);
    }
    let run_roots = RunRoots::resolve(&cli.roots)?;
    finish_or_report_half_deletes(&cli, &run_roots);
    let library = run_roots.discover();
    match cli.command {
        None => {
            let host = backtop::commands::host::DashboardHost::new(
                run_roots,
                library.clone(),
                cli.read_only,
                backtop::commands::host::DashboardHost::no_sizing(),
            );
            tui::run(
                library,
                tui::TuiOptions::new(cli.ascii, cli.read_only, Box::new(host)),
            )
        }
        Some(Command::Roots(arg)) => roots::run(&library.roots, arg.json),
        Some(Command::List(arg)) => list::run(&library, arg.json),
        Some(Command::Verify { paths, json }) => verify::run(&library, &paths, json),
        Some(Command::Rm {
            paths,
            yes,
            permanent,
            force,
        }) => rm::run(&library, &paths, yes, permanent, force, cli.read_only),
        Some(Command::Prune {
            keep,
            older_than,
            dry_run,
            yes,
            permanent,
            json,
        }) => prune::run(
            &library,
            &PruneArgs {
                keep,
                older_than,
                dry_run,
                yes,
                permanent,
                json,
                read_only: cli.read_only,
            },
        ),
        Some(Command::Du(_)) => anyhow::bail!("`du` is not available in this build yet"),
        Some(Command::Demo { .. }) => unreachable!("handled above"),
    }
}
