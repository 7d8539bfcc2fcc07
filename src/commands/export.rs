//! `backtop export VERSION [PREFIX...] --to DEST [--category C] [--app BUNDLE_ID] [--rename]
//! [--flatten] [--json]`: copy files out of a version.
//!
//! Files land in `DEST/<domain>/<relative path>` with the manifest's names, permission bits and
//! mtimes (see [`crate::actions::export`]). PREFIXes (`DOMAIN` or `DOMAIN/path`) choose what
//! (default: the whole version); `--category` (an id of `du --json`, e.g. `photos`,
//! `voice_memos`) and `--app` narrow it. An existing file is never overwritten: it is skipped,
//! or with `--rename` the new one is written as `name (1).ext`. With `--flatten` (and
//! `--category` or `--app`) files land in `DEST/<category label or app name>/<relative path>`
//! instead, the domains merged (two files of one path meet there, and the collision rule
//! decides).
//!
//! Human output: one line for what was written, then the renamed, escaped, skipped, missing
//! and failed items, each with its reason. Progress goes to stderr when it is a terminal;
//! Ctrl-C stops after the current chunk and removes the half-written file.
//!
//! # JSON (`--json`; nothing else on stdout)
//!
//! ```json
//! {"version": "/abs", "dest": "/abs", "status": "all_written"|"incomplete"|"errors",
//!  "items": 12, "written": 10, "bytes_written": 228316, "folders": 9, "cancelled": false,
//!  "renamed": [{"item": "domain/path", "to": "/abs/…"}],
//!  "escaped": [{"item": "domain/path", "to": "/abs/…"}],
//!  "skipped": [{"item": "domain/path", "reason": "exists", "why": "sentence"}],
//!  "missing": ["domain/path"], "failed": [{"item": "domain/path", "error": "…"}]}
//! ```
//!
//! Exit codes: 0 everything asked for was written, 1 some items were skipped or missing in the
//! backup (or the export was cancelled), 4 errors (an item failed, the version is locked or
//! unknown, a bad prefix, category or app).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{bail, Context};
use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::actions::export::{
    export_decrypting, flatten, select, Collision, ExportOptions, ExportProgress, ExportStatus,
    ExportSummary, NameRules, Noted, Selection, Source,
};
pub use crate::cli::ExportArgs;
use crate::commands::password::{unlock_one, OneVersion, PasswordOptions, LOCKED_NO_PASSWORD};
use crate::commands::roots::printable;
use crate::commands::version_arg::find_version;
use crate::library::category::Category;
use crate::library::manifest::{open_version_with, Opened};
use crate::library::unlock::FileKeys;
use crate::library::Library;
use crate::ui::format::size;

/// Exit code when some items were skipped or missing.
pub const EXIT_INCOMPLETE: i32 = 1;
/// Exit code for errors.
pub const EXIT_ERROR: i32 = 4;

/// Runs `backtop export`, printing to stdout (progress on stderr when it is a terminal).
pub fn run(
    library: &Library,
    args: &ExportArgs,
    password: &PasswordOptions,
) -> anyhow::Result<i32> {
    let cancel = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&cancel)).context("listening for Ctrl-C")?;
    }
    let progress = !args.json && std::io::stderr().is_terminal();
    let code = run_unlocking(
        library,
        args,
        password,
        &cancel,
        progress,
        &mut std::io::stdout(),
    )?;
    Ok(code)
}

/// [`run`] writing to `out`, without a password; `progress` draws a line on stderr.
pub fn run_with(
    library: &Library,
    args: &ExportArgs,
    cancel: &AtomicBool,
    progress: bool,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let password = PasswordOptions::default();
    run_unlocking(library, args, &password, cancel, progress, out)
}

/// [`run`] writing to `out`: an encrypted version is unlocked with the password (asked at a
/// prompt on a terminal when none is given) and its files decrypted as they are written.
pub fn run_unlocking(
    library: &Library,
    args: &ExportArgs,
    password: &PasswordOptions,
    cancel: &AtomicBool,
    progress: bool,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let version = find_version(library, &args.version, OffsetDateTime::now_utc())?;
    let unlocked = match unlock_one(password, &version, args.json, out)? {
        OneVersion::Unlocked(u) => Some(u),
        OneVersion::Exit(code) => return Ok(code),
        OneVersion::Failed(why) => bail!("{}: locked: {why}", version.path.display()),
        OneVersion::NoKeys => None,
    };
    let tree = match open_version_with(&version, unlocked.as_deref())? {
        Opened::Tree(tree) => tree,
        Opened::Locked(_) => bail!("{}: locked: {LOCKED_NO_PASSWORD}", version.path.display()),
    };
    let keys = match unlocked.as_deref() {
        Some(u) => Some(FileKeys::load(u, version.manifest)?),
        None => None,
    };
    let selection = Selection {
        prefixes: args.prefixes.clone(),
        category: args.category.as_deref().map(parse_category).transpose()?,
        app: args.app.clone(),
        installed: version.apps.keys().cloned().collect(),
    };
    let mut items = select(&tree, &selection)?;
    if args.flatten {
        let folder = match (&selection.category, &selection.app) {
            (Some(c), _) => c.label().to_string(),
            (None, Some(app)) => version
                .apps
                .get(app)
                .cloned()
                .unwrap_or_else(|| app.clone()),
            (None, None) => bail!("--flatten needs --category or --app"),
        };
        flatten(&mut items, &folder);
    }
    let options = ExportOptions {
        collision: if args.rename {
            Collision::Rename
        } else {
            Collision::Skip
        },
        rules: NameRules::host(),
    };
    let source = Source {
        dir: &version.path,
        format: version.manifest,
    };
    let mut stderr = std::io::stderr();
    let mut report = |p: &ExportProgress| {
        if progress {
            let _ = write!(
                stderr,
                "\r\x1b[Kexporting: {}/{} files, {} of {}",
                p.files_done,
                p.files_total,
                size(p.bytes_done),
                size(p.bytes_total)
            );
        }
    };
    let summary = export_decrypting(
        source,
        keys.as_ref(),
        &items,
        &args.to,
        options,
        cancel,
        &mut report,
    )
    .with_context(|| format!("creating {}", args.to.display()))?;
    if progress {
        eprint!("\r\x1b[K");
    }
    if args.json {
        let doc = summary_json(&version.path, &summary);
        crate::commands::json::print(out, &doc)?;
    } else {
        write!(out, "{}", summary_text(&summary))?;
    }
    Ok(match summary.status() {
        ExportStatus::AllWritten => 0,
        ExportStatus::Incomplete => EXIT_INCOMPLETE,
        ExportStatus::Errors => EXIT_ERROR,
    })
}

/// A category by its id (`photos`, `voice_memos`) or label, any case.
fn parse_category(text: &str) -> anyhow::Result<Category> {
    let wanted = text.trim().to_ascii_lowercase().replace('-', "_");
    Category::ALL
        .into_iter()
        .filter(|c| {
            !matches!(
                c,
                Category::Metadata | Category::Unknown | Category::Encrypted
            )
        })
        .find(|c| c.id() == wanted || c.label().to_ascii_lowercase() == wanted)
        .ok_or_else(|| {
            let ids: Vec<&str> = Category::ALL[..16].iter().map(|c| c.id()).collect();
            anyhow::anyhow!("{text}: no such category (one of {})", ids.join(", "))
        })
}

fn status_id(status: ExportStatus) -> &'static str {
    match status {
        ExportStatus::AllWritten => "all_written",
        ExportStatus::Incomplete => "incomplete",
        ExportStatus::Errors => "errors",
    }
}

/// The JSON report.
pub fn summary_json(version: &Path, s: &ExportSummary) -> Value {
    let to = |n: &Noted<PathBuf>| json!({"item": n.item, "to": n.what.display().to_string()});
    json!({
        "version": version.display().to_string(),
        "dest": s.dest.display().to_string(),
        "status": status_id(s.status()),
        "items": s.items,
        "written": s.written,
        "bytes_written": s.bytes_written,
        "folders": s.folders,
        "cancelled": s.cancelled,
        "renamed": s.renamed.iter().map(to).collect::<Vec<_>>(),
        "escaped": s.escaped.iter().map(to).collect::<Vec<_>>(),
        "skipped": s.skipped.iter().map(|n| json!({
            "item": n.item, "reason": n.what.id(), "why": n.what.to_string(),
        })).collect::<Vec<_>>(),
        "missing": s.missing,
        "failed": s.failed.iter().map(|n| json!({"item": n.item, "error": n.what}))
            .collect::<Vec<_>>(),
        "size_mismatch": s.size_mismatch.iter().map(|n| json!({"item": n.item, "what": n.what}))
            .collect::<Vec<_>>(),
    })
}

/// The human report (ends with a newline).
pub fn summary_text(s: &ExportSummary) -> String {
    let mut text = format!(
        "Wrote {} {} ({}) to {}",
        s.written,
        if s.written == 1 { "file" } else { "files" },
        size(s.bytes_written),
        printable(&s.dest.display().to_string())
    );
    if s.cancelled {
        text.push_str(" (cancelled)");
    }
    text.push('\n');
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            text.push_str(&format!("{title} ({}):\n", lines.len()));
            for line in lines {
                text.push_str(&format!("  {}\n", printable(&line)));
            }
        }
    };
    let to = |n: &Noted<PathBuf>| format!("{} -> {}", n.item, n.what.display());
    section(
        "Renamed, the name was taken",
        s.renamed.iter().map(to).collect(),
    );
    section(
        "Escaped, the name is not valid here",
        s.escaped.iter().map(to).collect(),
    );
    section(
        "Skipped",
        s.skipped
            .iter()
            .map(|n| format!("{}: {}", n.item, n.what))
            .collect(),
    );
    section("Missing in the backup", s.missing.clone());
    section(
        "Decrypted to another size than the manifest says (kept whole)",
        s.size_mismatch
            .iter()
            .map(|n| format!("{}: {}", n.item, n.what))
            .collect(),
    );
    section(
        "Failed",
        s.failed
            .iter()
            .map(|n| format!("{}: {}", n.item, n.what))
            .collect(),
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_by_id_or_label() {
        assert_eq!(parse_category("photos").unwrap(), Category::Photos);
        assert_eq!(parse_category("Voice-Memos").unwrap(), Category::VoiceMemos);
        assert_eq!(parse_category("voice memos").unwrap(), Category::VoiceMemos);
        let err = parse_category("metadata").unwrap_err().to_string();
        assert!(
            err.starts_with("metadata: no such category (one of photos, messages"),
            "{err}"
        );
    }
}
