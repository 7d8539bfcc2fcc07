//! `backtop completions SHELL` and `backtop man`: the shell completion script and the man page,
//! generated from the same clap definition the binary parses, printed to stdout.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// The completion script for `shell`, as bytes (what `backtop completions SHELL` prints).
pub fn completion_script(shell: Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "backtop", &mut out);
    out
}

/// The man page in roff (what `backtop man` prints): name, synopsis, description, the global
/// options and the list of subcommands, then one section per subcommand with its synopsis,
/// options and exit codes (one page, so nothing needs installing besides `backtop.1`).
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let command = Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut out)?;
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = format!("backtop {}", sub.get_name());
        let man = clap_mangen::Man::new(sub.clone().bin_name(&name));
        let mut part = Vec::new();
        man.render_description_section(&mut part)?;
        man.render_synopsis_section(&mut part)?;
        man.render_options_section(&mut part)?;
        if sub.get_after_help().is_some() {
            man.render_extra_section(&mut part)?;
        }
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        out.extend(demote_sections(&String::from_utf8_lossy(&part)).into_bytes());
    }
    Ok(out)
}

/// A subcommand's part of the page: its `.SH` headings become `.SS` under the subcommand's own
/// `.SH`, the quote-string preamble each render repeats is dropped, and the after-help text (the
/// exit codes) keeps its line breaks.
fn demote_sections(roff: &str) -> String {
    let mut out = String::new();
    let mut unfilled = false;
    for line in roff.lines() {
        if line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq") {
            continue;
        }
        match line.strip_prefix(".SH ") {
            Some("EXTRA") => {
                out.push_str(".SS NOTES\n.nf\n");
                unfilled = true;
            }
            Some(heading) => out.push_str(&format!(".SS {heading}\n")),
            None => out.push_str(&format!("{line}\n")),
        }
    }
    if unfilled {
        out.push_str(".fi\n");
    }
    out
}

/// Prints the completion script for `shell` on stdout.
pub fn run_completions(shell: Shell) -> anyhow::Result<i32> {
    std::io::stdout().write_all(&completion_script(shell))?;
    Ok(0)
}

/// Prints the man page on stdout.
pub fn run_man() -> anyhow::Result<i32> {
    std::io::stdout().write_all(&man_page()?)?;
    Ok(0)
}
