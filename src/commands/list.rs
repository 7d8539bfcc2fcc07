//! `backtop list`: devices and their backup versions.
//!
//! # Human output
//!
//! One block per device, blank lines between blocks (a device without a known name starts
//! with its model):
//!
//! ```text
//! Ana's iPhone  iPhone 14 Pro (iPhone15,2)  iOS 17.5
//!   UDID 00008120-001A2B3C4D5E6F70
//!   2024-05-02 18:04 UTC  live      iOS 17.5     complete     encrypted      /path/to/version
//!   2024-01-15 09:30 UTC  archive   iOS 17.2     damaged      not encrypted  /path/to/other
//!       Manifest.db is empty (0 bytes)
//! ```
//!
//! Dates follow the dashboard's rule ([`local_time::stamp`]): the system's zone with each
//! date's own offset (`2024-05-02 20:04 +02:00`), or UTC with `time = "utc"` in the config
//! (`2024-05-02 18:04 UTC`); `--json` dates are always RFC 3339 UTC.
//! Versions whose device cannot be told follow under
//! `Backups whose device cannot be told:`, each path with its problem indented under it;
//! folders that could not be read and are not backups (never offered for deletion) follow
//! under `Folders that could not be read:`, each path with its reason indented under it.
//! Text read from disk (names, problems, paths) has its control characters replaced by `�`
//! so a crafted `Info.plist` cannot send escape sequences to the terminal.
//! With nothing found at all, the output is `No backups found.` and the roots report of
//! `backtop roots` (every place looked, its status and the fix). Roots that need attention
//! (unreadable, unplugged, or named and missing) are reported after a listing too.
//!
//! # JSON (`--json`, a stable contract)
//!
//! ```json
//! {
//!   "roots":   [{"path": "/abs", "origin": "default|config|root|home|env|volume|user|demo"}],
//!   "devices": [{
//!     "udid": "UPPERCASE", "name": "…"|null, "product_type": "iPhone15,2"|null,
//!     "model": "iPhone 14 Pro"|null, "ios": "17.5"|null,
//!     "versions": [{
//!       "path": "/abs", "kind": "live"|"archive"|"imazing_snapshot",
//!       "date": "RFC 3339"|null, "ios": "17.5"|null, "encrypted": false,
//!       "state": "complete"|"in_progress"|"interrupted"|"damaged",
//!       "problem": "…"|null, "owner": "…"|null, "folder_name": "…"
//!     }]
//!   }],
//!   "damaged": [{"path": "/abs", "problem": "…"|null}],
//!   "unreadable": [{"path": "/abs", "reason": "the folder could not be read (…)"}]
//! }
//! ```
//!
//! Devices come sorted by name, versions newest first. Paths are absolute; a path that is not
//! UTF-8 is lossy text (U+FFFD) with its raw bytes beside it in `path_bytes` (see
//! [`crate::commands::json`] and `docs/json.md`). The exit code is 0 even when some backups are damaged.

use std::path::Path;

use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;

use jiff::tz::TimeZone;

use crate::commands::roots::{self, printable};
use crate::commands::unread;
use crate::library::{Device, Library, Version};
use crate::ui::local_time;

/// Prints the library as text (dates in `tz`) or JSON; returns the exit code (0).
pub fn run(library: &Library, json: bool, tz: &TimeZone) -> anyhow::Result<i32> {
    if json {
        print!("{}", crate::commands::json::to_text(&to_json(library))?);
    } else {
        print!("{}", render_text(library, tz));
    }
    Ok(0)
}

/// The human listing (ends with a newline), dates in `tz` ([`local_time::stamp`]).
pub fn render_text(library: &Library, tz: &TimeZone) -> String {
    if library.devices.is_empty() && library.damaged.is_empty() && library.unreadable.is_empty() {
        return no_backups_report(library, tz);
    }
    let mut blocks: Vec<String> = library
        .devices
        .iter()
        .map(|d| device_block(d, tz))
        .collect();
    if !library.damaged.is_empty() {
        let mut block = String::from("Backups whose device cannot be told:\n");
        for version in &library.damaged {
            block.push_str(&format!("  {}\n", human_path(&version.path)));
            push_problem(&mut block, version);
        }
        blocks.push(block);
    }
    blocks.extend(unread::folders_block(library, human_path));
    blocks.join("\n") + &unread::roots_block_in(library, tz)
}

/// `No backups found.`, then the roots report: every place looked at, its status and the fix.
pub fn no_backups_report(library: &Library, tz: &TimeZone) -> String {
    format!(
        "No backups found.\n\n{}",
        roots::render_roots_report(&library.roots, tz)
    )
}

/// One device: header, UDID, one line per version.
fn device_block(device: &Device, tz: &TimeZone) -> String {
    let model = match (&device.model, &device.product_type) {
        (Some(model), Some(product)) if model != product => format!("{model} ({product})"),
        (Some(model), _) => model.clone(),
        (None, _) => "unknown model".to_string(),
    };
    let ios = device.ios.as_deref().unwrap_or("?");
    let header = match &device.name {
        Some(name) => format!("{name}  {model}  iOS {ios}"),
        None => format!("{model}  iOS {ios}"),
    };
    let mut out = format!("{}\n", printable(&header));
    out.push_str(&format!("  UDID {}\n", printable(&device.udid)));
    for version in &device.versions {
        out.push_str(&version_line(version, tz));
        push_problem(&mut out, version);
    }
    out
}

/// `  date  kind  iOS  state  encryption  path`.
fn version_line(v: &Version, tz: &TimeZone) -> String {
    let encrypted = if v.encrypted {
        "encrypted"
    } else {
        "not encrypted"
    };
    format!(
        "  {:<20}  {:<8}  iOS {:<8} {:<11}  {:<13}  {}\n",
        v.date
            .map_or_else(|| "date unknown".to_string(), |d| local_time::stamp(d, tz)),
        v.kind.label(),
        printable(v.ios.as_deref().unwrap_or("?")),
        v.state.label(),
        encrypted,
        human_path(&v.path)
    )
}

/// The problem, indented under its version.
fn push_problem(out: &mut String, v: &Version) {
    if let Some(problem) = &v.problem {
        out.push_str(&format!("      {}\n", printable(problem)));
    }
}

/// The JSON document described in the module doc.
pub fn to_json(library: &Library) -> Value {
    let roots = unread::roots_json(library);
    let devices: Vec<Value> = library.devices.iter().map(device_json).collect();
    let damaged: Vec<Value> = library
        .damaged
        .iter()
        .map(|v| with_path(json!({"problem": v.problem}), &v.path))
        .collect();
    let unreadable: Vec<Value> = library
        .unreadable
        .iter()
        .map(|u| with_path(json!({"reason": u.reason}), &u.path))
        .collect();
    json!({"roots": roots, "devices": devices, "damaged": damaged, "unreadable": unreadable})
}

/// One device in JSON.
fn device_json(device: &Device) -> Value {
    let versions: Vec<Value> = device.versions.iter().map(version_json).collect();
    json!({
        "udid": device.udid,
        "name": device.name,
        "product_type": device.product_type,
        "model": device.model,
        "ios": device.ios,
        "versions": versions,
    })
}

/// One version in JSON.
fn version_json(v: &Version) -> Value {
    let obj = json!({
        "kind": v.kind,
        "date": v.date.and_then(|d| d.format(&Rfc3339).ok()),
        "ios": v.ios,
        "encrypted": v.encrypted,
        "state": v.state,
        "problem": v.problem,
        "owner": v.owner,
        "folder_name": v.folder_name,
    });
    with_path(obj, &v.path)
}

/// `obj` with `"path"` (absolute, lossy) and, for a non-UTF-8 path, `"path_bytes"`.
fn with_path(mut obj: Value, path: &Path) -> Value {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    crate::commands::json::put_path(&mut obj, "path", &absolute);
    obj
}

/// The absolute form of a path, as text.
fn abs(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// A path for human output: absolute, lossy UTF-8, control characters replaced.
fn human_path(path: &Path) -> String {
    printable(&abs(path))
}
