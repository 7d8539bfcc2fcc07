//! Roots named outside the command line: the config file (`backtop/config.toml`, `roots = [..]`),
//! the `BACKTOP_ROOTS` variable, and the user names found in a users folder.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::library::{Error, Result};

/// The config file's name under the config folder.
pub const CONFIG_FILE: &str = "config.toml";
/// The environment variable holding extra roots, separated like `PATH`.
pub const ROOTS_VAR: &str = "BACKTOP_ROOTS";

/// The parts of the config file this module reads; other keys are left to others.
#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    roots: Vec<PathBuf>,
}

/// `backtop/config.toml` under the OS config folder (`~/.config`, `~/Library/Application
/// Support`, `%APPDATA%`), when that folder is known.
pub fn config_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("backtop").join(CONFIG_FILE))
}

/// The `roots` of the config file at `path`, with a leading `~` expanded against `home`.
/// A missing file gives no roots; an unreadable or malformed one is an error naming the file.
pub fn read_config_roots(path: &Path, home: Option<&Path>) -> Result<Vec<PathBuf>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(path, e)),
    };
    parse_config_roots(&text, home).map_err(|message| Error::invalid(path, message))
}

/// Parses the text of a config file; the error is the TOML parser's message.
pub fn parse_config_roots(text: &str, home: Option<&Path>) -> Result<Vec<PathBuf>, String> {
    let config: ConfigFile = toml::from_str(text).map_err(|e| e.to_string())?;
    Ok(config.roots.iter().map(|p| expand_tilde(p, home)).collect())
}

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
