//! `backtop verify [PATH...] [--json]`: check versions against their manifests.
//!
//! Without paths every version found is verified; a path that is not a found version is
//! verified as a plain backup folder when it holds one of the files a backup is recognised by,
//! and refused otherwise (`verify /`, a folder outside every backup). `--json` prints
//! `{"schema": 1, "reports": [...]}` (see `docs/json.md`); a refusal is its error object.
//! Without paths, `--json` adds `roots` (each with its `status`) and `unreadable` (folders
//! that could not be read), and the text ends with them, as `list` does.
//! Exit codes: 0 every version is fine, 1 problems were found or something could not be read
//! (a folder, or a root: permission, privacy), 2 a path does not exist or is not a backup
//! folder (nothing was verified), 4 a path could not be read, 5 the password opened none of
//! the encrypted versions. An encrypted version that stays locked is "not checked: encrypted"
//! and exits 1; with the password (`--password-file`, `--unlock`) its rows are checked from
//! the decrypted manifest, and `--deep` decrypts every file (padding, size).

use std::io::Write;
use std::path::PathBuf;

use crate::actions::guard::canonical_keep_last;
use crate::actions::verify::{verify_with, VerifyOptions, VerifyReport};
use crate::commands::password::{self, PasswordOptions, EXIT_WRONG_PASSWORD};
use crate::commands::unread;
use crate::library::discover::{is_backup_folder, BACKUP_MARKERS};
use crate::library::unlock::Unlocks;
use crate::library::{Library, Version, VersionKind};
use crate::sanitize::{self, for_display};

/// Runs `backtop verify` printing to stdout; `deep` decrypts every file of the encrypted
/// versions the password opens.
pub fn run(
    library: &Library,
    paths: &[PathBuf],
    json: bool,
    deep: bool,
    password: &PasswordOptions,
) -> anyhow::Result<i32> {
    let mut out = std::io::stdout();
    let versions = match versions_to_verify(library, paths, json, &mut out)? {
        Ok(versions) => versions,
        Err(code) => return Ok(code),
    };
    let unlocks = password::unlock(password, false, &versions.iter().collect::<Vec<_>>())?;
    if unlocks.all_wrong() {
        let message = "wrong password: it opens none of the encrypted backups";
        return crate::commands::json::refuse(&mut out, json, message, EXIT_WRONG_PASSWORD as u8);
    }
    report(library, paths, &versions, json, deep, &unlocks, &mut out)
}

/// [`run`] writing to `out`, without a password.
pub fn run_with(
    library: &Library,
    paths: &[PathBuf],
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    match versions_to_verify(library, paths, json, out)? {
        Ok(versions) => report(
            library,
            paths,
            &versions,
            json,
            false,
            &Unlocks::default(),
            out,
        ),
        Err(code) => Ok(code),
    }
}

/// The versions `paths` name (every version found when empty), or the exit code of a
/// refusal already printed.
fn versions_to_verify(
    library: &Library,
    paths: &[PathBuf],
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Result<Vec<Version>, i32>> {
    let refuse = |out: &mut dyn Write, message: &str, code: u8| {
        crate::commands::json::refuse(out, json, message, code).map(Err)
    };
    let mut versions = Vec::new();
    for p in paths {
        if !p.is_dir() {
            let message = format!("{}: no such folder", sanitize::path(p));
            return refuse(out, &message, 2);
        }
        if let Err(e) = std::fs::read_dir(p) {
            let message = format!(
                "{}: the folder could not be read ({e}); nothing was verified",
                sanitize::path(p)
            );
            return refuse(out, &message, 4);
        }
        let canonical = canonical_keep_last(p);
        let found = library
            .versions()
            .find(|v| canonical_keep_last(&v.path) == canonical);
        versions.push(match found {
            Some(v) => v.clone(),
            None if !is_backup_folder(p) => {
                let message = format!(
                    "{}: not a backup folder (it holds none of {}); refused",
                    sanitize::path(p),
                    BACKUP_MARKERS.join(", ")
                );
                return refuse(out, &message, 2);
            }
            None => Version::bare(p, p.parent().unwrap_or(p), VersionKind::Archive),
        });
    }
    if paths.is_empty() {
        versions.extend(library.versions().cloned());
    }
    Ok(Ok(versions))
}

/// Verifies `versions` and prints the reports; the exit code.
fn report(
    library: &Library,
    paths: &[PathBuf],
    versions: &[Version],
    json: bool,
    deep: bool,
    unlocks: &Unlocks,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let reports: Vec<VerifyReport> = versions
        .iter()
        .map(|v| {
            let options = VerifyOptions {
                unlocked: unlocks.get(&v.path),
                deep,
                locked_reason: unlocks.locked(&v.path).map(|l| l.reason.clone()),
            };
            verify_with(v, &options, |_| {})
        })
        .collect();
    if json {
        let mut docs = Vec::with_capacity(reports.len());
        for r in &reports {
            let mut doc = serde_json::to_value(r)?;
            doc["checked"] = r.checked().into();
            let encrypted = versions
                .iter()
                .find(|v| v.path == r.path)
                .is_some_and(|v| v.encrypted);
            doc["unlocked"] = encrypted.then(|| unlocks.get(&r.path).is_some()).into();
            crate::commands::json::put_path(&mut doc, "path", &r.path);
            docs.push(doc);
        }
        let mut doc = serde_json::json!({ "reports": docs });
        if paths.is_empty() {
            doc["roots"] = unread::roots_json(library).into();
            doc["unreadable"] = unread::folders_json(library);
        }
        crate::commands::json::print(out, &doc)?;
    } else {
        for r in &reports {
            print_report(out, r)?;
        }
        if paths.is_empty() {
            if let Some(block) = unread::folders_block(library, |p| sanitize::path(p)) {
                writeln!(out, "{block}")?;
            }
            write!(out, "{}", unread::roots_block(library))?;
        }
    }
    let unread = paths.is_empty() && unread::anything_unread(library);
    Ok(if reports.iter().all(|r| r.ok && r.checked()) && !unread {
        0
    } else {
        1
    })
}

/// One report for people.
fn print_report(out: &mut dyn Write, r: &VerifyReport) -> anyhow::Result<()> {
    let verdict = match (r.ok, r.checked()) {
        (true, true) => "ok",
        (true, false) => "not checked: encrypted",
        (false, _) => "PROBLEMS",
    };
    writeln!(
        out,
        "{verdict}  {}  ({} rows, {} files)",
        sanitize::path(&r.path),
        r.rows_checked,
        r.files_on_disk
    )?;
    for p in &r.problems {
        writeln!(out, "  {}: {}", p.kind.label(), p.count)?;
        for e in &p.examples {
            writeln!(out, "    {}", for_display(e))?;
        }
    }
    for n in &r.notes {
        writeln!(out, "  note: {}", for_display(n))?;
    }
    Ok(())
}
