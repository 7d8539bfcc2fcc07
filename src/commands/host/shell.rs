//! `!` after a copied path: suspend the dashboard, run the user's shell in that folder with
//! the terminal's own input and output, and come back when it exits.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use crate::ui::terminal;

/// Runs the shell in `dir` with the dashboard suspended; returns a status line.
pub(super) fn run_shell(dir: &Path) -> String {
    let program = shell_program();
    let ran = terminal::suspend(|| {
        println!(
            "backtop: a shell in {}; exit it to return to the dashboard.",
            dir.display()
        );
        Command::new(&program).current_dir(dir).status()
    });
    let name = Path::new(&program).display().to_string();
    match ran {
        Ok(Ok(_)) => format!("back from {name}"),
        Ok(Err(e)) => format!("could not start {name}: {e}"),
        Err(e) => format!("could not take the terminal back: {e}"),
    }
}

/// `$SHELL` (else `/bin/sh`); on Windows `%COMSPEC%` (else `cmd.exe`).
fn shell_program() -> OsString {
    let (var, fallback) = if cfg!(windows) {
        ("COMSPEC", "cmd.exe")
    } else {
        ("SHELL", "/bin/sh")
    };
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| fallback.into())
}
