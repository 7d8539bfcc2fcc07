//! `backtop ls VERSION [PREFIX] [--recursive] [--json]`: what a version holds.
//!
//! Without PREFIX the domains are listed; with `DOMAIN` or `DOMAIN/path` the entries of that
//! folder (or that one file); `--recursive` lists everything below instead of one level.
//! Entries come sorted by name.
//!
//! # Human output
//!
//! One line per entry: kind, size (bytes of the files below a folder), newest mtime (UTC),
//! `domain/path` (a folder ends with `/`), and `(missing)` for a file whose contents are not
//! in the backup. Names have their control characters replaced by `�`.
//!
//! ```text
//! dir        220 kB  2024-05-30  CameraRollDomain/
//! file       4.1 kB  2024-04-12  HomeDomain/Library/SMS/sms.db
//! file         77 B  2024-02-01  HomeDomain/Library/Preferences/gone.plist  (missing)
//! ```
//!
//! # JSON (`--json`)
//!
//! ```json
//! {"schema": 1, "version": "/abs/path", "locked": false, "reason": null,
//!  "entries": [{"domain": "HomeDomain", "path": "Library/SMS/sms.db", "kind": "file",
//!               "size": 4096, "files": 1, "file_id": "3d0d…"|null,
//!               "mtime": "RFC 3339"|null, "present": true|false|null}]}
//! ```
//!
//! `kind` is `dir`, `file`, `symlink` or `other`; a folder's `size` is the bytes of the files
//! below it and `present` is null; `mtime` is the newest below a folder. An encrypted version
//! prints `locked: true` with the reason and no entries.
//!
//! Exit codes: 0 listed, 1 locked (encrypted), 4 error (no such version or prefix, a damaged
//! manifest).

use std::io::Write;

use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::OffsetDateTime;

pub use crate::cli::LsArgs;
use crate::commands::password::{unlock_one, OneVersion, PasswordOptions, LOCKED_NO_PASSWORD};
use crate::commands::roots::printable;
use crate::commands::version_arg::find_version;
use crate::library::manifest::{
    open_version_with, NodeId, NodeKind, NodeRef, Opened, Presence, Sort, Tree,
};
use crate::library::unlock::UnlockedVersion;
use crate::library::{Library, Version};
use crate::ui::format::size;

/// Exit code of a locked (encrypted) version.
pub const EXIT_LOCKED: i32 = 1;

/// Runs `backtop ls`, printing to stdout; an encrypted version is unlocked with the password
/// (asked at a prompt on a terminal when none is given).
pub fn run(library: &Library, args: &LsArgs, password: &PasswordOptions) -> anyhow::Result<i32> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let done = run_unlocking(library, args, password, &mut out)
        .and_then(|code| Ok(out.flush().map(|()| code)?));
    match done {
        // The reader went away (`backtop ls … | head`): not an error.
        Err(e) if is_broken_pipe(&e) => Ok(0),
        other => other,
    }
}

/// True when `e` comes from writing to a closed pipe.
pub(crate) fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// [`run`] writing to `out`.
fn run_unlocking(
    library: &Library,
    args: &LsArgs,
    password: &PasswordOptions,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let version = find_version(library, &args.version, OffsetDateTime::now_utc())?;
    let unlocked = match unlock_one(password, &version, args.json, out)? {
        OneVersion::Unlocked(u) => Some(u),
        OneVersion::Exit(code) => return Ok(code),
        OneVersion::Failed(why) => {
            return locked(out, args, &version.path.display().to_string(), &why);
        }
        OneVersion::NoKeys => None,
    };
    list(&version, unlocked.as_deref(), args, out)
}

/// [`run`] writing to `out`, without a password (an encrypted version is locked).
pub fn run_with(library: &Library, args: &LsArgs, out: &mut dyn Write) -> anyhow::Result<i32> {
    let version = find_version(library, &args.version, OffsetDateTime::now_utc())?;
    list(&version, None, args, out)
}

/// Prints that the version at `path` is locked, and why; the exit code.
fn locked(out: &mut dyn Write, args: &LsArgs, path: &str, reason: &str) -> anyhow::Result<i32> {
    if args.json {
        let doc = json!({"version": path, "locked": true, "reason": reason, "entries": []});
        crate::commands::json::print(out, &doc)?;
    } else {
        writeln!(out, "{}: locked: {reason}", printable(path))?;
    }
    Ok(EXIT_LOCKED)
}

/// Lists `version` (with its keys when unlocked).
fn list(
    version: &Version,
    unlocked: Option<&UnlockedVersion>,
    args: &LsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let path = version.path.display().to_string();
    let tree = match open_version_with(version, unlocked)? {
        Opened::Tree(tree) => tree,
        Opened::Locked(_) => return locked(out, args, &path, LOCKED_NO_PASSWORD),
    };
    let ids = entries(&tree, args)?;
    if args.json {
        write!(
            out,
            "{{\"schema\": {}, \"version\": {}, \"locked\": false, \"reason\": null, \"entries\": [",
            crate::commands::json::SCHEMA,
            Value::from(path)
        )?;
        for (i, &id) in ids.iter().enumerate() {
            let sep = if i == 0 { "\n  " } else { ",\n  " };
            write!(out, "{sep}{}", entry_json(tree.node(id)))?;
        }
        writeln!(out, "\n]}}")?;
    } else {
        for &id in &ids {
            writeln!(out, "{}", entry_line(tree.node(id)))?;
        }
    }
    Ok(0)
}

/// The entries to list, in name order.
fn entries(tree: &Tree, args: &LsArgs) -> anyhow::Result<Vec<NodeId>> {
    let start = match &args.prefix {
        None => 0,
        Some(p) => {
            let p = p.trim_end_matches('/');
            tree.find_prefix(p)
                .ok_or_else(|| anyhow::anyhow!("{p}: no such domain or path in this version"))?
        }
    };
    if !tree.node(start).kind().is_container() {
        return Ok(vec![start]);
    }
    Ok(if args.recursive {
        tree.walk(start).skip(1).collect()
    } else {
        tree.children(start, Sort::Name)
    })
}

fn rfc3339(secs: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()?
        .format(&Rfc3339)
        .ok()
}

/// One entry as JSON.
pub fn entry_json(node: NodeRef<'_>) -> Value {
    let present = match node.presence() {
        Presence::Present => json!(true),
        Presence::Missing => json!(false),
        Presence::Unknown => Value::Null,
    };
    json!({
        "domain": node.domain(),
        "path": node.path(),
        "kind": node.kind().name(),
        "size": node.bytes(),
        "files": node.files(),
        "file_id": node.file_id().map(hex::encode),
        "mtime": node.newest().and_then(rfc3339),
        "present": present,
    })
}

/// One entry for people.
fn entry_line(node: NodeRef<'_>) -> String {
    let date = node
        .newest()
        .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
        .and_then(|t| t.format(format_description!("[year]-[month]-[day]")).ok())
        .unwrap_or_else(|| "-".repeat(10));
    let slash = if node.kind().is_container() { "/" } else { "" };
    let missing = if node.presence() == Presence::Missing {
        "  (missing)"
    } else {
        ""
    };
    let kind = match node.kind() {
        NodeKind::Root | NodeKind::Domain => "dir",
        k => k.name(),
    };
    format!(
        "{kind:<7} {:>10}  {date}  {}{slash}{missing}",
        size(node.bytes()),
        printable(node.full_path())
    )
}
