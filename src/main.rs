//! The `backtop` binary: parse the CLI, then run the dashboard or a subcommand.

use clap::Parser;

fn main() {
    let _cli = backtop::cli::Cli::parse();
}
