//! The password of encrypted backups, for a command: `--password-file FILE` (its first line,
//! the newline stripped), else `BACKTOP_PASSWORD` (less safe: other programs of the same user
//! can read a process's environment), else a prompt without echo when stdin is a terminal and
//! the command may ask. Never a command-line argument (it would show in `ps` and
//! `/proc/*/cmdline`). The password is then tried on every encrypted version in scope.
//! With `--remember`, keys remembered in the OS keyring are tried first and the keys the
//! password opened something with are remembered ([`crate::library::unlock::remember`]);
//! `--forget` removes them. What the keyring did is said on stderr.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use anyhow::Context;

use crate::library::unlock::remember::{self, KeyStore, OsKeyring};
use crate::library::unlock::{Password, UnlockedVersion, Unlocker, Unlocks};
use crate::library::Version;

/// Exit code when the password opened none of the encrypted versions it was tried on.
pub const EXIT_WRONG_PASSWORD: i32 = 5;

/// The environment variable that may hold the password (documented as less safe).
pub const PASSWORD_ENV: &str = "BACKTOP_PASSWORD";

/// Why an encrypted version is locked when no password was given, in the CLI's words.
pub const LOCKED_NO_PASSWORD: &str = "the backup is encrypted: its file names and contents \
     need the password (--password-file FILE, or run on a terminal to be asked)";

/// Where the password comes from (the global options).
#[derive(Debug, Clone, Default)]
pub struct PasswordOptions {
    /// `--password-file FILE`.
    pub file: Option<PathBuf>,
    /// `--unlock`: ask at a prompt even for commands that work without the password.
    pub ask: bool,
    /// `--remember`: try the keys remembered in the OS keyring, remember those that open.
    pub remember: bool,
    /// `--forget`: remove the remembered keys of the versions in scope first.
    pub forget: bool,
}

/// Reads the first line of `path` (without its `\n` or `\r\n`). The error names the file,
/// never its contents.
pub fn read_password_file(path: &Path) -> anyhow::Result<Password> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read the password file {}", path.display()))?;
    let mut line = Vec::new();
    std::io::BufReader::new(file)
        .read_until(b'\n', &mut line)
        .with_context(|| format!("cannot read the password file {}", path.display()))?;
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    }
    Ok(Password::new(line))
}

/// The password for this run: the file, the environment, or (when `may_ask` or `--unlock`,
/// and stdin is a terminal) a prompt without echo. `None`: no password.
pub fn password(options: &PasswordOptions, may_ask: bool) -> anyhow::Result<Option<Password>> {
    if let Some(file) = &options.file {
        return read_password_file(file).map(Some);
    }
    if let Some(value) = std::env::var_os(PASSWORD_ENV) {
        return Ok(Some(Password::new(value.into_encoded_bytes())));
    }
    if (may_ask || options.ask) && std::io::stdin().is_terminal() {
        let typed = rpassword::prompt_password("Password of the encrypted backup: ")
            .context("cannot read the password at the prompt")?;
        return Ok(Some(Password::new(typed.into_bytes())));
    }
    Ok(None)
}

/// Tries the password (if any, see [`password`]) on every encrypted version of `versions`;
/// asks only when one is encrypted (and no remembered key opened it). Without a password
/// nothing more is unlocked.
pub fn unlock(
    options: &PasswordOptions,
    may_ask: bool,
    versions: &[&Version],
) -> anyhow::Result<Unlocks> {
    unlock_with(options, may_ask, versions, &OsKeyring)
}

/// [`unlock`] with `store` for `--remember` and `--forget`.
pub fn unlock_with(
    options: &PasswordOptions,
    may_ask: bool,
    versions: &[&Version],
    store: &dyn KeyStore,
) -> anyhow::Result<Unlocks> {
    let encrypted: Vec<&Version> = versions.iter().copied().filter(|v| v.encrypted).collect();
    if encrypted.is_empty() {
        return Ok(Unlocks::default());
    }
    let cancel = AtomicBool::new(false);
    let paths: Vec<&Path> = encrypted.iter().map(|v| v.path.as_path()).collect();
    if options.forget {
        match remember::forget(store, &paths) {
            Ok(n) => eprintln!(
                "forgot {} remembered in the OS keyring",
                crate::ui::format::plural(n as i64, "key")
            ),
            Err(e) => eprintln!("backtop: --forget: {e}"),
        }
    }
    let mut unlocks = Unlocks::default();
    let mut rest = encrypted;
    if options.remember {
        let (recalled, errors) = remember::recall(store, &paths);
        for e in errors {
            eprintln!("backtop: --remember: {e}");
        }
        let found = Unlocks::try_all(&recalled, rest.iter().copied(), &cancel);
        if found.opened() > 0 {
            eprintln!(
                "opened {} with the key remembered in the OS keyring",
                crate::ui::format::plural(found.opened() as i64, "encrypted version")
            );
        }
        unlocks.merge_opened(&found);
        rest.retain(|v| found.get(&v.path).is_none());
    }
    if rest.is_empty() {
        return Ok(unlocks);
    }
    let Some(password) = password(options, may_ask)? else {
        return Ok(unlocks);
    };
    let unlocker = Unlocker::new(password);
    let tried = Unlocks::try_all(&unlocker, rest, &cancel);
    if options.remember && tried.opened() > 0 {
        match remember::remember(store, &unlocker, &tried.opened_paths()) {
            Ok(n) => eprintln!(
                "remembered {} in the OS keyring (--forget removes it)",
                crate::ui::format::plural(n as i64, "derived key")
            ),
            Err(e) => eprintln!("backtop: --remember: {e}"),
        }
    }
    unlocks.merge(&tried);
    Ok(unlocks)
}

/// The sentence for a version the password did not open, e.g. "wrong password".
pub fn wrong_password_message(version: &Path) -> String {
    format!(
        "{}: wrong password (it opens none of the encrypted versions it was tried on)",
        crate::sanitize::path(version)
    )
}

/// What the password did to one version.
#[derive(Debug)]
pub enum OneVersion {
    /// Not encrypted, or no password was given (an encrypted one then stays locked).
    NoKeys,
    /// The password opened it.
    Unlocked(Box<UnlockedVersion>),
    /// The password was wrong: that was printed (the error document in JSON mode), and the
    /// command ends with this exit code ([`EXIT_WRONG_PASSWORD`]).
    Exit(i32),
    /// It could not be unlocked for another reason (a damaged key bag, …), in words.
    Failed(String),
}

/// Unlocks `version` for a command that needs its contents (ls, export): asks at a prompt
/// when no password was given and stdin is a terminal; a wrong password is said on `out` (as
/// JSON when `json`).
pub fn unlock_one(
    options: &PasswordOptions,
    version: &Version,
    json: bool,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<OneVersion> {
    if !version.encrypted {
        return Ok(OneVersion::NoKeys);
    }
    let unlocks = unlock(options, true, &[version])?;
    if let Some(keys) = unlocks.get(&version.path) {
        return Ok(OneVersion::Unlocked(Box::new(keys.clone())));
    }
    Ok(match unlocks.locked(&version.path) {
        None => OneVersion::NoKeys,
        Some(locked) if locked.wrong_password => {
            let message = wrong_password_message(&version.path);
            let code = EXIT_WRONG_PASSWORD as u8;
            OneVersion::Exit(crate::commands::json::refuse(out, json, &message, code)?)
        }
        Some(locked) => OneVersion::Failed(locked.reason.clone()),
    })
}
