//! The `backtop` binary: parse the CLI, resolve the roots, discover the library, then run the
//! dashboard or a subcommand. Errors are printed with their context; the exit code comes from
//! the command (see each command's module doc).

use std::process::ExitCode;

use backtop::cli::{Cli, Command};
use backtop::commands::context::RunRoots;
use backtop::commands::{demo, list, roots, tui};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(err) => {
            eprintln!("backtop: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    if let Some(Command::Demo { dir }) = &cli.command {
        return demo::run(dir);
    }
    let run_roots = RunRoots::resolve(&cli.roots)?;
    match &cli.command {
        Some(Command::Roots(arg)) => roots::run(&run_roots.discover().roots, arg.json),
        Some(Command::List(arg)) => list::run(&run_roots.discover(), arg.json),
        None => {
            let library = run_roots.discover();
            let host = tui::ScanFn(|| crossbeam_channel::unbounded().1);
            tui::run(
                library,
                tui::TuiOptions::new(cli.ascii, cli.read_only, Box::new(host)),
            )
        }
        _ => anyhow::bail!("this command is not available in this build yet"),
    }
}
