//! Roots named outside the command line: the `BACKTOP_ROOTS` variable and the user names found
//! in a users folder (the config file's `roots` are read by `crate::config`).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::library::{Error, Result};

/// The environment variable holding extra roots, separated like `PATH`.
pub const ROOTS_VAR: &str = "BACKTOP_ROOTS";

/// The paths in a `BACKTOP_ROOTS` value (split like `PATH`), empty entries skipped.
pub fn parse_env_roots(value: &OsStr) -> Vec<PathBuf> {
    std::env::split_paths(value)
        .filter(|p| !p.as_os_str().is_empty())
        .collect()
}

/// Replaces a leading `~` component with `home`, when known.
pub fn expand_tilde(path: &Path, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

/// True for a folder name in a users folder that is a real user's home: not `Shared`, `Public`,
/// `Default`, `Default User`, `All Users`, `Guest`, `desktop.ini`, `lost+found`, nor a dotfile.
pub fn is_user_name(name: &str) -> bool {
    const SKIP: &[&str] = &[
        "Shared",
        "Public",
        "Default",
        "Default User",
        "All Users",
        "Guest",
        "desktop.ini",
        "lost+found",
    ];
    !name.is_empty() && !name.starts_with('.') && !SKIP.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// The names of the user homes in `users_dir` (folders only, system entries skipped), sorted.
pub fn list_users(users_dir: &Path) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(users_dir).map_err(|e| Error::io(users_dir, e))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| is_user_name(n))
        .collect();
    names.sort();
    Ok(names)
}
