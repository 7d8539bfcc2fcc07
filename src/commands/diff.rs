//! `backtop diff OLD NEW [--json] [--files]`: what changed between two versions of a device.
//!
//! OLD and NEW are `VERSION` arguments as `ls` takes them (a version folder, or
//! `UDID@YYYY-MM-DD`). Files are compared by fileID (domain + relative path) with the size
//! and mtime their manifest rows give ([`crate::library::diff`]).
//!
//! # Human output
//!
//! A header naming both versions, with `--files` one line per file that differs (restic's
//! markers: `+` added, `-` removed, `M` changed; largest first), else the ten largest; then
//! the categories and apps, largest changes first, and the totals:
//!
//! ```text
//! old: /b/UDID-20240601-120000  (2024-06-01 12:00 UTC, iOS 17.4)
//! new: /b/UDID  (2024-06-20 12:00 UTC, iOS 17.5)
//!
//! +     4.0 kB  AppDomainPlugin-com.foo.app.widget/Library/b.bin
//! -     3.0 kB  CameraRollDomain/Media/DCIM/100APPLE/IMG_0003.HEIC
//! M      700 B  HomeDomain/Library/SMS/sms.db  (was 500 B)
//!
//! by category            net       added         removed       changed
//!   Photos & videos      -5.0 kB                 2 (5.0 kB)
//!   ...
//! 2 added (4.1 kB), 2 removed (5.0 kB), 1 changed, 3 unchanged; net -677 B
//! ```
//!
//! # JSON (`--json`)
//!
//! ```json
//! {"schema": 1, "old": "/abs/old", "new": "/abs/new", "locked": false, "reason": null,
//!  "added": {"files": 2, "bytes": 4123}, "removed": {"files": 2, "bytes": 5000},
//!  "changed": {"files": 1, "bytes": 700, "old_bytes": 500}, "unchanged": {"files": 3},
//!  "net_bytes": -677,
//!  "by_category": {"photos": {"added_files": 0, "added_bytes": 0, "removed_files": 2,
//!      "removed_bytes": 5000, "changed_files": 0, "changed_bytes": 0,
//!      "changed_old_bytes": 0, "unchanged_files": 1, "net_bytes": -5000}, ...},
//!  "by_app": [{"bundle": "com.foo.app", "name": "Foo", ...the same fields}],
//!  "files": [{"change": "added", "marker": "+", "domain": "...", "path": "...",
//!      "file_id": "40 hex", "category": "apps", "app": "com.foo.app"|null,
//!      "old_size": null, "new_size": 4000, "old_mtime": null, "new_mtime": "RFC 3339"}],
//!  "notes": []}
//! ```
//!
//! `by_category` holds every category with a file in either version; `by_app` only apps with
//! a change, largest first; `files` only with `--files` (largest first). A version that
//! cannot be compared (encrypted) prints `locked: true` with the reason and no figures.
//!
//! Exit codes: 0 compared (whether or not anything changed), 1 a version cannot be compared
//! (encrypted), 4 error (no such version, a damaged manifest).

use std::io::Write;

use serde_json::{json, Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::commands::json::{print, put_path, SCHEMA};
use crate::commands::password::{PasswordOptions, EXIT_WRONG_PASSWORD};
use crate::commands::roots::printable;
use crate::commands::version_arg::find_version;
use crate::library::diff::{diff_versions_with, Diff, DiffError, FileChange, Tally};
use crate::library::{Library, Version};
use crate::ui::format::size;
use crate::ui::local_time;
use jiff::tz::TimeZone;

/// Exit code when a version cannot be compared (encrypted).
pub const EXIT_LOCKED: i32 = 1;

/// How many files the text output shows without `--files`.
const PREVIEW: usize = 10;

/// What `backtop diff` compares and prints.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DiffArgs {
    /// The older version: its folder, or UDID@YYYY-MM-DD.
    pub old: String,
    /// The newer version: its folder, or UDID@YYYY-MM-DD.
    pub new: String,
    /// List every file that differs (JSON: the `files` array).
    #[arg(long)]
    pub files: bool,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// Runs `backtop diff`, printing to stdout.
pub fn run(
    library: &Library,
    args: &DiffArgs,
    password: &PasswordOptions,
    tz: &TimeZone,
) -> anyhow::Result<i32> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let done = run_unlocking(library, args, password, tz, &mut out)
        .and_then(|code| Ok(out.flush().map(|()| code)?));
    match done {
        // The reader went away (`backtop diff … | head`): not an error.
        Err(e) if super::ls::is_broken_pipe(&e) => Ok(0),
        other => other,
    }
}

/// [`run`] writing to `out`, without a password (encrypted versions are locked), dates in UTC.
pub fn run_with(library: &Library, args: &DiffArgs, out: &mut dyn Write) -> anyhow::Result<i32> {
    run_unlocking(
        library,
        args,
        &PasswordOptions::default(),
        &TimeZone::UTC,
        out,
    )
}

/// [`run`] writing to `out`: the password (asked at a prompt on a terminal when none is
/// given) is tried on both versions when one is encrypted; text dates in `tz`.
pub fn run_unlocking(
    library: &Library,
    args: &DiffArgs,
    password: &PasswordOptions,
    tz: &TimeZone,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let now = OffsetDateTime::now_utc();
    let old = find_version(library, &args.old, now)?;
    let new = find_version(library, &args.new, now)?;
    let unlocks = crate::commands::password::unlock(password, true, &[&old, &new])?;
    if unlocks.all_wrong() {
        let message = "wrong password: it opens neither encrypted version";
        return crate::commands::json::refuse(out, args.json, message, EXIT_WRONG_PASSWORD as u8);
    }
    let diff = match diff_versions_with(&old, &new, &unlocks) {
        Ok(diff) => diff,
        Err(err @ DiffError::Locked { .. }) => {
            if args.json {
                let mut doc = json!({"schema": SCHEMA, "locked": true, "reason": err.to_string()});
                put_path(&mut doc, "old", &old.path);
                put_path(&mut doc, "new", &new.path);
                print(out, &doc)?;
            } else {
                writeln!(out, "{}", printable(&err.to_string()))?;
            }
            return Ok(EXIT_LOCKED);
        }
        Err(err) => return Err(err.into()),
    };
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&diff_json(&diff, args.files))?
        )?;
    } else {
        write_text(out, &old, &new, &diff, args.files, tz)?;
    }
    Ok(0)
}

/// The `--json` document of a diff.
pub fn diff_json(diff: &Diff, with_files: bool) -> Value {
    let t = &diff.totals;
    let mut doc = json!({
        "schema": SCHEMA,
        "locked": false,
        "reason": null,
        "added": {"files": t.added_files, "bytes": t.added_bytes},
        "removed": {"files": t.removed_files, "bytes": t.removed_bytes},
        "changed": {"files": t.changed_files, "bytes": t.changed_bytes,
                    "old_bytes": t.changed_old_bytes},
        "unchanged": {"files": t.unchanged_files},
        "net_bytes": net(t),
        "notes": diff.notes,
    });
    put_path(&mut doc, "old", &diff.old);
    put_path(&mut doc, "new", &diff.new);
    let by_category: Map<String, Value> = diff
        .by_category
        .iter()
        .map(|(c, t)| (c.id().to_string(), tally_json(t)))
        .collect();
    doc["by_category"] = Value::Object(by_category);
    doc["by_app"] = diff
        .by_app
        .iter()
        .map(|a| {
            let mut v = tally_json(&a.tally);
            v["bundle"] = json!(&*a.bundle);
            v["name"] = json!(a.name);
            v
        })
        .collect();
    if with_files {
        doc["files"] = diff.files.iter().map(file_json).collect();
    }
    doc
}

fn net(t: &Tally) -> Value {
    // i128 does not fit serde_json's numbers; every real figure fits i64.
    i64::try_from(t.net_bytes()).map_or(Value::Null, Value::from)
}

fn tally_json(t: &Tally) -> Value {
    json!({
        "added_files": t.added_files, "added_bytes": t.added_bytes,
        "removed_files": t.removed_files, "removed_bytes": t.removed_bytes,
        "changed_files": t.changed_files, "changed_bytes": t.changed_bytes,
        "changed_old_bytes": t.changed_old_bytes,
        "unchanged_files": t.unchanged_files,
        "net_bytes": net(t),
    })
}

fn rfc3339(secs: Option<i64>) -> Value {
    secs.and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| t.format(&Rfc3339).ok())
        .map_or(Value::Null, Value::from)
}

fn file_json(f: &FileChange) -> Value {
    json!({
        "change": match f.change {
            crate::library::diff::Change::Added => "added",
            crate::library::diff::Change::Removed => "removed",
            crate::library::diff::Change::Changed => "changed",
        },
        "marker": f.change.marker().to_string(),
        "domain": &*f.domain,
        "path": f.path,
        "file_id": hex::encode(f.file_id),
        "category": f.category.id(),
        "app": f.app.as_deref(),
        "old_size": f.old.map(|m| m.size),
        "new_size": f.new.map(|m| m.size),
        "old_mtime": rfc3339(f.old.and_then(|m| m.mtime)),
        "new_mtime": rfc3339(f.new.and_then(|m| m.mtime)),
    })
}

/// `+4.0 kB`, `-677 B`, `0 B`.
pub fn signed_size(bytes: i128) -> String {
    let magnitude = u64::try_from(bytes.unsigned_abs()).unwrap_or(u64::MAX);
    match bytes {
        0 => "0 B".to_string(),
        b if b > 0 => format!("+{}", size(magnitude)),
        _ => format!("-{}", size(magnitude)),
    }
}

fn version_line(v: &Version, tz: &TimeZone) -> String {
    let mut facts = Vec::new();
    if let Some(d) = v.date {
        facts.push(local_time::stamp(d, tz));
    }
    if let Some(ios) = &v.ios {
        facts.push(format!("iOS {}", printable(ios)));
    }
    let facts = if facts.is_empty() {
        String::new()
    } else {
        format!("  ({})", facts.join(", "))
    };
    format!("{}{facts}", printable(&v.path.display().to_string()))
}

/// One file for people: marker, size, domain/path, and the old size of a changed file.
pub fn file_line(f: &FileChange) -> String {
    let was = match (f.change, f.old) {
        (crate::library::diff::Change::Changed, Some(old)) => {
            format!("  (was {})", size(old.size))
        }
        _ => String::new(),
    };
    format!(
        "{} {:>10}  {}/{}{was}",
        f.change.marker(),
        size(f.bytes()),
        printable(&f.domain),
        printable(&f.path)
    )
}

/// `2 (5.0 kB)` or empty for none.
fn count_bytes(files: u64, bytes: u64) -> String {
    if files == 0 {
        String::new()
    } else {
        format!("{files} ({})", size(bytes))
    }
}

fn tally_row(label: &str, t: &Tally) -> String {
    let changed = if t.changed_files == 0 {
        String::new()
    } else {
        format!(
            "{} ({} -> {})",
            t.changed_files,
            size(t.changed_old_bytes),
            size(t.changed_bytes)
        )
    };
    format!(
        "  {label:<24} {:>10}  {:<16} {:<16} {changed}",
        signed_size(t.net_bytes()),
        count_bytes(t.added_files, t.added_bytes),
        count_bytes(t.removed_files, t.removed_bytes),
    )
    .trim_end()
    .to_string()
}

fn write_text(
    out: &mut dyn Write,
    old: &Version,
    new: &Version,
    diff: &Diff,
    all_files: bool,
    tz: &TimeZone,
) -> anyhow::Result<()> {
    writeln!(out, "old: {}", version_line(old, tz))?;
    writeln!(out, "new: {}", version_line(new, tz))?;
    writeln!(out)?;
    if diff.is_empty() {
        writeln!(
            out,
            "no differences: {} files, each the same size and date in both",
            diff.totals.unchanged_files
        )?;
    } else {
        let shown = if all_files {
            diff.files.len()
        } else {
            PREVIEW.min(diff.files.len())
        };
        for f in &diff.files[..shown] {
            writeln!(out, "{}", file_line(f))?;
        }
        if shown < diff.files.len() {
            writeln!(
                out,
                "  … {} more (--files lists every one)",
                diff.files.len() - shown
            )?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "  {:<24} {:>10}  {:<16} {:<16} changed",
            "by category", "net", "added", "removed"
        )?;
        for (c, t) in diff.by_category.iter().filter(|(_, t)| !t.is_empty()) {
            writeln!(out, "{}", tally_row(c.label(), t))?;
        }
        if !diff.by_app.is_empty() {
            writeln!(out, "  by app")?;
            for a in &diff.by_app {
                let label = match &a.name {
                    Some(name) => printable(name),
                    None => printable(&a.bundle),
                };
                writeln!(out, "{}", tally_row(&label, &a.tally))?;
            }
        }
        writeln!(out)?;
    }
    let t = &diff.totals;
    writeln!(
        out,
        "{} added ({}), {} removed ({}), {} changed ({} -> {}), {} unchanged; net {}",
        t.added_files,
        size(t.added_bytes),
        t.removed_files,
        size(t.removed_bytes),
        t.changed_files,
        size(t.changed_old_bytes),
        size(t.changed_bytes),
        t.unchanged_files,
        signed_size(t.net_bytes())
    )?;
    for note in &diff.notes {
        writeln!(out, "note: {}", printable(note))?;
    }
    Ok(())
}
