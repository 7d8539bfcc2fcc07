//! `backtop du`: sizes per device and version, categories, top apps, volumes and totals.
//!
//! Runs one scan (the worker of [`crate::scan`]) over an already discovered library and
//! prints the exact figures: walked, or for a version unchanged since the size cache was
//! written, recomputed from it (the provisional `Cached` ones are never printed). A size
//! cache that was ignored (damaged, foreign) is said on stderr. On a terminal, a long scan shows
//! its progress on stderr, one overwritten line; never with `--json`.
//!
//! # JSON contract (`--json`, stable)
//!
//! ```text
//! {
//!   "devices": [{
//!     "udid": "…", "name": "…" | null, "model": "…" | null,
//!     "versions": [VERSION, …],                     // newest first
//!     "totals": TOTALS,                              // every inode once
//!     "next_backup_fits": true | false | null        // advisory; null: unknown
//!   }],
//!   "damaged": [VERSION, …],                         // versions of no known device
//!   "volumes": [{ "path": "…", "total": N, "free": N, "backup_bytes": N, "roots": ["…"] }],
//!   "totals": TOTALS                                 // the whole library, every inode once
//! }
//! VERSION = {
//!   "path": "…", "folder_name": "…", "kind": "live" | "archive" | "imazing_snapshot",
//!   "state": "complete" | "in_progress" | "interrupted" | "damaged",
//!   "date": RFC 3339 | null, "encrypted": bool,
//!   "bytes": N, "allocated_bytes": N, "unique_bytes": N, "files": N,   // null if not sized
//!   "categories": { "photos": N, …, "encrypted": N },   // every category id, 0 for none;
//!                                                        // they sum to "bytes"
//!   "top_apps": [{ "bundle_id": "…", "name": "…" | null, "bytes": N }],  // largest first, ≤ 10
//!   "errors": ["…"],                                  // non-fatal (unreadable subfolders…)
//!   "error": "…" | null                               // why it could not be sized at all
//! }
//! TOTALS = { "bytes": N, "unique_bytes": N, "files": N }
//! ```
//! A path that is not UTF-8 is lossy text with its raw bytes in `path_bytes` (see
//! `docs/json.md`). Bytes are apparent sizes; `allocated_bytes` counts blocks. `unique_bytes` is what deleting
//! the version alone frees (for totals: deleting all of them). The exit code is 0 (versions
//! that failed are reported in the output), or an error from reading the library.

use jiff::tz::TimeZone;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use humansize::{format_size, DECIMAL};
use serde_json::{json, Map, Value};

use crate::commands::password::{self, PasswordOptions, EXIT_WRONG_PASSWORD};
use crate::commands::{json, unread};
use crate::library::category::Category;
use crate::library::unlock::Unlocks;
use crate::library::usage::{Totals, VersionUsage};
use crate::library::volume::SimulatedDisk;
use crate::library::{Library, Version};
use crate::sanitize::{self, for_display};
use crate::scan::{self, ScanEvent, ScanOptions, ScanResults};
use crate::ui::local_time;

/// Runs `backtop du` over `library`; `cache` is the size cache file (`None`: `--no-cache`);
/// `simulated` the made-up volumes `--demo` reports instead of its temporary folder's.
pub fn run(
    library: &Library,
    json: bool,
    cache: Option<PathBuf>,
    password: &PasswordOptions,
    tz: &TimeZone,
    simulated: Option<Vec<SimulatedDisk>>,
) -> anyhow::Result<i32> {
    let show_progress = !json && std::io::stderr().is_terminal();
    let mut out = std::io::stdout().lock();
    let unlocks = password::unlock(password, false, &library.versions().collect::<Vec<_>>())?;
    if unlocks.all_wrong() {
        let message = "wrong password: it opens none of the encrypted backups";
        return crate::commands::json::refuse(&mut out, json, message, EXIT_WRONG_PASSWORD as u8);
    }
    // Figures of unlocked versions are never taken from, nor written to, the size cache.
    let cache = if unlocks.opened() > 0 { None } else { cache };
    let simulated_volumes = simulated.is_some();
    let options = ScanOptions {
        cache,
        threads: 0,
        simulated_disks: simulated,
    };
    let results = scan_with(library, options, show_progress, unlocks.clone());
    if json {
        let mut doc = to_json_with(library, &results, &unlocks);
        if simulated_volumes {
            for volume in doc["volumes"].as_array_mut().into_iter().flatten() {
                volume["simulated"] = true.into();
            }
        }
        crate::commands::json::print(&mut out, &doc)?;
    } else {
        let text = render_text_with(library, &results, &unlocks, tz);
        let text = if simulated_volumes {
            mark_simulated(&text)
        } else {
            text
        };
        write!(out, "{text}")?;
    }
    Ok(0)
}

/// Runs a scan to the end, optionally drawing progress on stderr.
/// Sizes every version of `library` (exact figures; `cache` spares the walk of unchanged
/// versions), showing progress on stderr when `progress`.
pub fn scan_library(library: &Library, cache: Option<PathBuf>, progress: bool) -> ScanResults {
    scan_library_unlocked(library, cache, progress, Unlocks::default())
}

/// [`scan_library`] judging volumes by `simulated` (the demo's made-up disks) when given.
pub fn scan_library_on(
    library: &Library,
    cache: Option<PathBuf>,
    progress: bool,
    simulated: Option<Vec<SimulatedDisk>>,
) -> ScanResults {
    let options = ScanOptions {
        cache,
        threads: 0,
        simulated_disks: simulated,
    };
    scan_with(library, options, progress, Unlocks::default())
}

/// [`scan_library`] with the encrypted versions a password opened.
pub fn scan_library_unlocked(
    library: &Library,
    cache: Option<PathBuf>,
    progress: bool,
    unlocks: Unlocks,
) -> ScanResults {
    let options = ScanOptions {
        cache,
        threads: 0,
        simulated_disks: None,
    };
    scan_with(library, options, progress, unlocks)
}

/// `volume PATH:` lines of the text output marked as the demo's made-up volumes.
fn mark_simulated(text: &str) -> String {
    text.lines()
        .map(|line| match line.strip_prefix("volume ") {
            Some(rest) => match rest.split_once(": ") {
                Some((path, figures)) => {
                    format!("volume {path} (simulated for the demo): {figures}\n")
                }
                None => format!("{line}\n"),
            },
            None => format!("{line}\n"),
        })
        .collect()
}

/// [`scan_library_unlocked`] with every scan option given.
fn scan_with(
    library: &Library,
    options: ScanOptions,
    progress: bool,
    unlocks: Unlocks,
) -> ScanResults {
    let handle = scan::start_unlocked(library.clone(), options, unlocks);
    let mut results = ScanResults::default();
    let mut stderr = std::io::stderr();
    for event in handle.events.iter() {
        if let (true, ScanEvent::Progress { path, files, bytes }) = (progress, &event) {
            let name = sanitize::path(path.file_name().unwrap_or_default());
            let size = format_size(*bytes, DECIMAL);
            let _ = write!(stderr, "\r\x1b[Ksizing {name}: {files} files, {size}");
        }
        if let ScanEvent::Note(note) = &event {
            let clear = if progress { "\r\x1b[K" } else { "" };
            let _ = writeln!(stderr, "{clear}backtop: note: {}", for_display(note));
        }
        results.apply(&event);
    }
    if progress {
        let _ = write!(stderr, "\r\x1b[K");
    }
    handle.join();
    results
}

/// What deleting the versions at `paths` together frees, hard links counted across the set:
/// sizes only those versions (what `rm` and `prune` show before asking), with progress on
/// stderr when `progress`. `None` when one of them is not a discovered version or could not
/// be sized.
pub fn freed_by_deleting(
    library: &Library,
    paths: &[PathBuf],
    cache: Option<PathBuf>,
    progress: bool,
) -> Option<u64> {
    let real = |p: &PathBuf| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
    let wanted: Vec<PathBuf> = paths.iter().map(real).collect();
    let keep = |v: &Version| wanted.contains(&real(&v.path));
    let mut subset = library.clone();
    for device in &mut subset.devices {
        device.versions.retain(|v| keep(v));
    }
    subset.devices.retain(|d| !d.versions.is_empty());
    subset.damaged.retain(|v| keep(v));
    scan_library(&subset, cache, progress).freed_by_deleting(paths)
}

/// The JSON report (see the module doc for the contract).
pub fn to_json(library: &Library, results: &ScanResults) -> Value {
    to_json_with(library, results, &Unlocks::default())
}

/// [`to_json`] saying, for each encrypted version, whether the password opened it.
pub fn to_json_with(library: &Library, results: &ScanResults, unlocks: &Unlocks) -> Value {
    let version_json = |v: &Version, results: &ScanResults| version_json(v, results, unlocks);
    let devices: Vec<Value> = library
        .devices
        .iter()
        .map(|d| {
            json!({
                "udid": d.udid,
                "name": d.name,
                "model": d.model,
                "versions": d.versions.iter().map(|v| version_json(v, results)).collect::<Vec<_>>(),
                "totals": totals_json(results.device_totals(d)),
                "next_backup_fits": results.next_backup_fits(d),
            })
        })
        .collect();
    let damaged: Vec<Value> = library
        .damaged
        .iter()
        .map(|v| version_json(v, results))
        .collect();
    json!({
        "roots": unread::roots_json(library),
        "devices": devices,
        "damaged": damaged,
        "unreadable": unread::folders_json(library),
        "volumes": results.volumes.iter().map(volume_json).collect::<Vec<_>>(),
        "totals": totals_json(results.library_totals(library)),
    })
}

/// One volume: its figures, its path and roots as lossy text (see [`json`]).
fn volume_json(vol: &crate::library::volume::VolumeUsage) -> Value {
    let mut obj = json!({
        "total": vol.total,
        "free": vol.free,
        "backup_bytes": vol.backup_bytes,
        "roots": vol.roots.iter().map(|r| json::path_text(r)).collect::<Vec<_>>(),
    });
    json::put_path(&mut obj, "path", &vol.path);
    obj
}

fn totals_json(t: Totals) -> Value {
    json!({ "bytes": t.bytes, "unique_bytes": t.unique_bytes, "files": t.files })
}

fn version_json(v: &Version, results: &ScanResults, unlocks: &Unlocks) -> Value {
    let usage = results.sized.get(&v.path);
    let date = v.date.and_then(|d| {
        d.format(&time::format_description::well_known::Rfc3339)
            .ok()
    });
    let mut obj = json!({
        "folder_name": v.folder_name,
        "kind": v.kind,
        "state": v.state,
        "date": date,
        "encrypted": v.encrypted,
        "bytes": usage.map(|u| u.bytes),
        "allocated_bytes": usage.map(|u| u.allocated_bytes),
        "unique_bytes": usage.map(|u| u.unique_bytes),
        "files": usage.map(|u| u.files),
        "categories": usage.map(categories_json),
        "top_apps": usage.map(|u| u.top_apps.clone()).unwrap_or_default(),
        "errors": usage.map(|u| u.errors.clone()).unwrap_or_default(),
        "error": results.failed.get(&v.path),
    });
    obj["unlocked"] = json!(v.encrypted.then(|| unlocks.get(&v.path).is_some()));
    obj["locked_reason"] = json!(locked_reason(v, unlocks));
    if usage.is_none() && !results.failed.contains_key(&v.path) {
        obj["error"] = json!("not sized (scan cancelled)");
    }
    json::put_path(&mut obj, "path", &v.path);
    obj
}

/// Every category id, 0 for none.
fn categories_json(u: &VersionUsage) -> Value {
    let map: Map<String, Value> = Category::ALL
        .iter()
        .map(|c| {
            (
                c.id().to_string(),
                json!(u.categories.get(c).copied().unwrap_or(0)),
            )
        })
        .collect();
    Value::Object(map)
}

/// The human report: sizes in decimal units, as Finder shows them; dates in `tz`
/// ([`local_time::stamp`], the dashboard's and `list`'s rule).
pub fn render_text(library: &Library, results: &ScanResults, tz: &TimeZone) -> String {
    render_text_with(library, results, &Unlocks::default(), tz)
}

/// Why an encrypted version is locked: no password given, or what the password did.
fn locked_reason(v: &Version, unlocks: &Unlocks) -> Option<String> {
    if !v.encrypted || unlocks.get(&v.path).is_some() {
        return None;
    }
    Some(match unlocks.locked(&v.path) {
        Some(locked) => locked.reason.clone(),
        None => "no password given".to_string(),
    })
}

/// The hint under a version: what encryption means for what is in it.
fn hint(v: &Version, unlocks: &Unlocks) -> String {
    if !v.encrypted {
        return "    hint: not encrypted, so Health, Keychain, Wi-Fi passwords and call history \
                are not in this backup\n"
            .to_string();
    }
    match locked_reason(v, unlocks) {
        // The password or a key kept with --remember: the report cannot tell which.
        None => {
            "    unlocked this run (by the password, or a key kept with --remember)\n".to_string()
        }
        Some(why) => format!(
            "    locked ({}): file names, categories and apps (and the Health, Keychain, Wi-Fi \
             and call history an encrypted backup holds) need the password: --password-file \
             FILE or --unlock\n",
            for_display(&why)
        ),
    }
}

/// [`render_text`] with a hint under each version saying what encryption hides or leaves out.
pub fn render_text_with(
    library: &Library,
    results: &ScanResults,
    unlocks: &Unlocks,
    tz: &TimeZone,
) -> String {
    let version_text = |v: &Version, results: &ScanResults| {
        let mut text = version_text(v, results, tz);
        if results.sized.contains_key(&v.path) {
            text += &hint(v, unlocks);
        }
        text
    };
    let size = |b: u64| format_size(b, DECIMAL);
    let mut s = String::new();
    for d in &library.devices {
        s += &format!(
            "{} ({})\n",
            for_display(d.display_name()),
            for_display(&d.udid)
        );
        for v in &d.versions {
            s += &version_text(v, results);
        }
        let t = results.device_totals(d);
        s += &format!(
            "  total {} in {} files, {} freed if all were deleted",
            size(t.bytes),
            t.files,
            size(t.unique_bytes)
        );
        s += match results.next_backup_fits(d) {
            Some(true) => "; next backup fits\n",
            Some(false) => "; next backup may NOT fit\n",
            None => "\n",
        };
    }
    if !library.damaged.is_empty() {
        s += "Versions of unknown devices\n";
        for v in &library.damaged {
            s += &version_text(v, results);
        }
    }
    for vol in &results.volumes {
        s += &format!(
            "volume {}: backups {}, free {} of {}\n",
            sanitize::path(&vol.path),
            size(vol.backup_bytes),
            size(vol.free),
            size(vol.total)
        );
    }
    let t = results.library_totals(library);
    s += &format!("library: {} in {} files\n", size(t.bytes), t.files);
    if let Some(block) = unread::folders_block(library, |p| sanitize::path(p)) {
        s += &block;
    }
    s + &unread::roots_block_in(library, tz)
}

/// One version: its line, its largest categories, its errors.
fn version_text(v: &Version, results: &ScanResults, tz: &TimeZone) -> String {
    let size = |b: u64| format_size(b, DECIMAL);
    let date = v
        .date
        .map(|d| local_time::stamp(d, tz))
        .unwrap_or_else(|| "no date".into());
    let head = format!(
        "  {} [{}, {}, {date}]",
        for_display(&v.folder_name),
        v.kind.label(),
        v.state.label()
    );
    let Some(u) = results.sized.get(&v.path) else {
        let why = results
            .failed
            .get(&v.path)
            .map_or("not sized", String::as_str);
        return format!("{head}: {}\n", for_display(why));
    };
    let mut s = format!(
        "{head}: {} ({} allocated), {} reclaimable, {} files\n",
        size(u.bytes),
        size(u.allocated_bytes),
        size(u.unique_bytes),
        u.files
    );
    let mut cats: Vec<(&Category, &u64)> = u.categories.iter().collect();
    cats.sort_by(|a, b| b.1.cmp(a.1));
    let parts: Vec<String> = cats
        .iter()
        .take(5)
        .map(|(c, b)| format!("{} {}", c.label(), size(**b)))
        .collect();
    if !parts.is_empty() {
        s += &format!("    {}\n", parts.join(", "));
    }
    for e in &u.errors {
        s += &format!("    error: {}\n", for_display(e));
    }
    s
}
