//! The `backtop` binary: parse the CLI, resolve the roots, finish deletes a previous run left
//! half done, discover the library, then run the dashboard or a subcommand. Errors are printed
//! with their context; the exit code comes from the command (see each command's module doc).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use backtop::actions::delete::recover_markers;
use backtop::actions::marker::find_markers;
use backtop::actions::trash_bin::TrashBin;
use backtop::cli::{Cli, Command};
use backtop::commands::context::RunRoots;
use backtop::commands::host::DashboardHost;
use backtop::commands::prune::PruneArgs;
use backtop::commands::{
    check, completions, demo, diff, du, export, list, ls, prune, rm, roots, tui, verify,
};
use backtop::config::{self, Config, ConfigDirs};
use backtop::library::locate::Os;
use backtop::library::Library;
use backtop::sanitize::{self, for_display};
use backtop::scan::ScanOptions;
use backtop::ui::local_time;

fn main() -> ExitCode {
    let mut cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version are "errors" on stdout that end with 0.
            let code = if err.use_stderr() {
                backtop::cli::EXIT_USAGE
            } else {
                0
            };
            let _ = err.print();
            if code != 0 && std::env::args_os().any(|a| a == "--json") {
                let message = backtop::cli::usage_message(&err.render().to_string());
                print_json_error(&message, code);
            }
            return ExitCode::from(code);
        }
    };
    let json = cli.command.as_ref().is_some_and(Command::json);
    let result = read_config(&mut cli).and_then(|config| run(cli, &config));
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(err) => {
            let message = for_display(&error_text(&err)).into_owned();
            let code = u8::try_from(rm::EXIT_ERROR).unwrap_or(4);
            eprintln!("backtop: {message}");
            if json {
                print_json_error(&message, code);
            }
            ExitCode::from(code)
        }
    }
}

/// `err` and its causes joined by ": ", leaving out a cause the text so far already ends with:
/// the core's errors print their source themselves (`…/Manifest.db: is a symbolic link (not
/// followed)`), and anyhow's `{:#}` would say it twice.
fn error_text(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let said = cause.to_string();
        if text.ends_with(&said) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&said);
    }
    text
}

/// In JSON mode an error also goes to stdout, as the documented error object, so that a
/// program reading stdout always gets one JSON document.
fn print_json_error(message: &str, code: u8) {
    let doc = backtop::commands::json::error_document(message, code);
    if let Ok(text) = backtop::commands::json::to_text(&doc) {
        print!("{text}");
    }
}

/// A crash or a cancel between a delete's rename and its removal leaves a marker folder
/// (never shown as a backup). The commands that delete anyway (the dashboard, `rm`, `prune`)
/// finish such deletes first; the others (and `--read-only`) only say they are there. Returns
/// what was finished, for the dashboard to show (the other commands print it on stderr).
fn finish_or_report_half_deletes(cli: &Cli, run_roots: &RunRoots) -> Vec<String> {
    let deletes = matches!(
        cli.command,
        None | Some(Command::Rm { .. }) | Some(Command::Prune { dry_run: false, .. })
    );
    let roots = run_roots.paths();
    if deletes && !cli.read_only {
        let said: Vec<String> = recover_markers(&roots)
            .into_iter()
            .map(|recovery| recovery.message)
            .collect();
        if cli.command.is_some() {
            for message in &said {
                eprintln!("backtop: {}", for_display(message));
            }
        }
        return said;
    }
    for marker in find_markers(&roots) {
        eprintln!(
            "backtop: {} was being deleted when backtop stopped; it is hidden from listings \
             and is finished by the next `backtop rm`, `prune` or dashboard run ({})",
            sanitize::path(marker.original_path()),
            sanitize::path(&marker.dir)
        );
    }
    Vec::new()
}

/// Scan options for this run: the size cache in the platform cache folder unless `--no-cache`
/// (and never for `--demo`, whose library is new each time).
fn scan_options(cli: &Cli) -> ScanOptions {
    let mut options = ScanOptions::default();
    if cli.no_cache || cli.roots.demo {
        options.cache = None;
    }
    options
}

/// What `rm` and `prune` say deleting a set frees: only the versions of the set are sized
/// (progress on stderr when it is a terminal and `progress`).
fn freed_by_deleting(
    library: &Library,
    cache: Option<PathBuf>,
    progress: bool,
) -> impl Fn(&[PathBuf]) -> Option<u64> + '_ {
    let progress = progress && std::io::stderr().is_terminal();
    move |set| du::freed_by_deleting(library, set, cache.clone(), progress)
}

/// Reads the config file (not for `--demo`, whose library is its own), says its unknown keys
/// on stderr, and folds its switches into `cli`: a flag only ever adds to the file.
fn read_config(cli: &mut Cli) -> anyhow::Result<Config> {
    if cli.roots.demo || cli.command.as_ref().is_some_and(Command::is_standalone) {
        return Ok(Config::default());
    }
    let dirs = ConfigDirs::current();
    let loaded = config::load(&config::candidates(Os::this(), &dirs), dirs.home.as_deref())
        .context("reading the config file")?;
    for warning in &loaded.warnings {
        eprintln!("backtop: {warning}");
    }
    let config = loaded.config;
    cli.read_only |= config.read_only;
    cli.ascii |= config.ascii;
    cli.no_cache |= !config.cache;
    Ok(config)
}

/// The made-up volumes (the Mac's disk, the external drive) `--demo` shows instead of its
/// temporary folder's volume, for the dashboard and `du` alike.
fn demo_disks(run_roots: &RunRoots) -> Option<Vec<backtop::library::volume::SimulatedDisk>> {
    run_roots
        .demo_dir
        .as_ref()
        .map(|dir| backtop::demo::simulated_disks(dir.path()))
}

/// Where this run's trash deletes go: `--demo`'s own `.Trash`, else the system trash.
fn trash_bin(run_roots: &RunRoots) -> TrashBin {
    TrashBin::of_run(run_roots.demo_dir.as_ref().map(|d| d.path()))
}

/// `backtop move` where the atomic swap it needs exists (Linux, macOS).
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn move_command(args: &backtop::cli::MoveArgs, read_only: bool) -> anyhow::Result<i32> {
    backtop::commands::move_root::run(args, read_only)
}

/// `backtop move` elsewhere: not yet (Windows needs a directory junction).
#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn move_command(_args: &backtop::cli::MoveArgs, _read_only: bool) -> anyhow::Result<i32> {
    anyhow::bail!("`backtop move` is not available on this system yet")
}

fn run(cli: Cli, config: &Config) -> anyhow::Result<i32> {
    match &cli.command {
        Some(Command::Demo { dir, damaged: true }) => return demo::run_damaged(dir),
        Some(Command::Demo { dir, .. }) => return demo::run(dir),
        Some(Command::Completions { shell }) => return completions::run_completions(*shell),
        Some(Command::Man) => return completions::run_man(),
        _ => {}
    }
    let run_roots = RunRoots::resolve(&cli.roots, &config.roots)?;
    let finished = finish_or_report_half_deletes(&cli, &run_roots);
    let library = run_roots.discover();
    let cache = scan_options(&cli).cache;
    let password = cli.password_options();
    match cli.command {
        None if cli.forget => anyhow::bail!(
            "--forget works with a command (e.g. backtop du --forget), not with the dashboard"
        ),
        None => {
            let mut sizing = scan_options(&cli);
            // The demo's library is on a temporary folder's volume: show the Mac's disk and
            // the external drive it stands for instead, and say they are simulated.
            sizing.simulated_disks = demo_disks(&run_roots);
            let simulated_disks = sizing.simulated_disks.is_some();
            let host = DashboardHost::new(
                run_roots,
                library.clone(),
                cli.read_only,
                DashboardHost::sizing(sizing),
            )
            .with_notes(finished);
            #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
            let host =
                host.with_move_free(backtop::commands::move_root::TestHooks::from_env().free);
            let host = if cli.remember {
                host.with_remember(std::sync::Arc::new(backtop::library::unlock::OsKeyring))
            } else {
                host
            };
            let mut options = tui::TuiOptions::new(cli.ascii, cli.read_only, Box::new(host));
            options.no_color |= !config.color;
            options.alerts = config.alerts.clone();
            options.utc = config.utc;
            options.simulated_disks = simulated_disks;
            tui::run(library, options)
        }
        Some(Command::Roots(arg)) => roots::run_with_links(
            &library.roots,
            &run_roots.links,
            arg.json,
            &local_time::zone(config.utc),
        ),
        Some(Command::List(arg)) => list::run(&library, arg.json, &local_time::zone(config.utc)),
        Some(Command::Verify { paths, json, deep }) => {
            verify::run(&library, &paths, json, deep, &password)
        }
        Some(Command::Rm {
            paths,
            yes,
            permanent,
            force,
            json,
        }) => {
            let freed = freed_by_deleting(&library, cache, true);
            let opts = rm::RmOptions {
                yes,
                permanent,
                force,
                read_only: cli.read_only,
                json,
            };
            rm::run_on_terminal(&library, &paths, &opts, Some(&freed), trash_bin(&run_roots))
        }
        Some(Command::Prune {
            keep,
            older_than,
            dry_run,
            yes,
            permanent,
            json,
        }) => {
            let freed = freed_by_deleting(&library, cache, !json);
            let args = PruneArgs {
                keep,
                older_than,
                dry_run,
                yes,
                permanent,
                json,
                read_only: cli.read_only,
            };
            prune::run_on_terminal(&library, &args, Some(&freed), trash_bin(&run_roots))
        }
        Some(Command::Du(arg)) => du::run(
            &library,
            arg.json,
            cache,
            &password,
            &local_time::zone(config.utc),
            demo_disks(&run_roots),
        ),
        Some(Command::Move(args)) => move_command(&args, cli.read_only),
        Some(Command::Ls(args)) => ls::run(&library, &args, &password),
        Some(Command::Export(args)) => export::run(&library, &args, &password),
        Some(Command::Diff(args)) => {
            diff::run(&library, &args, &password, &local_time::zone(config.utc))
        }
        Some(Command::Check(args)) => check::run(
            &library,
            &args,
            &config.alerts,
            cache,
            demo_disks(&run_roots),
        ),
        Some(Command::Demo { .. } | Command::Completions { .. } | Command::Man) => {
            unreachable!("handled above")
        }
    }
}
