//! `backtop check`: the alerts of the library, for cron and monitoring (Nagios, Icinga,
//! Prometheus). See `docs/MONITORING.md`.
//!
//! Sizes every version (one scan, the size cache spares unchanged ones), then asks the one pure
//! function [`crate::library::alerts::evaluate`] with the config file's `[alerts]` settings
//! (`--max-age` overrides `max_age`). Text: a first line `STATUS: summary` (what Nagios shows),
//! then one line per alert, `SEVERITY kind: message`, worst first, text from disk sanitized.
//!
//! # JSON (`--json`, stable; see `docs/json.md`)
//!
//! ```text
//! {"schema": 1, "status": "ok" | "warning" | "critical" | "unknown",
//!  "reason": "…",                      // only with "unknown": why nothing could be checked
//!  "alerts": [{"kind": "stale", "severity": "warning" | "critical", "device": "…" | null,
//!              "udid": "…" | null, "path": "…" | null, "message": "…", "since": RFC 3339 | null}]}
//! ```
//!
//! `--prometheus FILE` writes a node-exporter textfile-collector file ([`prometheus`]) before
//! anything is printed, atomically (a temporary file in the same folder, then a rename).
//!
//! Exit codes (Nagios plugin convention): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (no root could
//! be read, or no backup was found). Beyond those, as every command: 4 error (the check could
//! not run: a broken config file, the Prometheus file could not be written), 64 usage error.

mod prometheus;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::commands::{du, json};
use crate::library::alerts::{self, Alert, AlertSettings, Severity, Status};
use crate::library::volume::SimulatedDisk;
use crate::library::Library;
use crate::sanitize::for_display;

/// The arguments of `backtop check`.
#[derive(Debug, Clone, Default, Args)]
pub struct CheckArgs {
    /// A device is stale when its newest complete backup is older than this (e.g. 14d, 2w,
    /// 1m; default: `max_age` of `[alerts]` in the config file, else 14d).
    #[arg(long, value_name = "AGE", value_parser = parse_max_age)]
    pub max_age: Option<Duration>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
    /// Also write the figures and alerts as a Prometheus textfile-collector file (replaced
    /// atomically).
    #[arg(long, value_name = "FILE")]
    pub prometheus: Option<PathBuf>,
}

fn parse_max_age(text: &str) -> Result<Duration, String> {
    crate::actions::duration::parse_age(text)
}

/// Runs `backtop check` over `library`; `settings` are the config file's, `cache` the size
/// cache (`None`: `--no-cache`), `simulated` the made-up volumes `--demo` judges free space
/// against (as `du` and the dashboard do). Returns the Nagios exit code.
pub fn run(
    library: &Library,
    args: &CheckArgs,
    settings: &AlertSettings,
    cache: Option<PathBuf>,
    simulated: Option<Vec<SimulatedDisk>>,
) -> anyhow::Result<i32> {
    let progress = !args.json && std::io::stderr().is_terminal();
    let results = du::scan_library_on(library, cache, progress, simulated);
    let mut settings = settings.clone();
    if let Some(age) = args.max_age {
        settings.max_age = age;
    }
    let now = OffsetDateTime::now_utc();
    let alerts = alerts::evaluate(library, &results, &settings, now);
    let status = alerts::status(library, &alerts);
    if let Some(file) = &args.prometheus {
        let text = prometheus::render(library, &results, &alerts, status, now);
        prometheus::write_atomically(file, &text)?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        json::print(&mut out, &to_json(library, status, &alerts))?;
    } else {
        write!(out, "{}", render_text(library, status, &alerts))?;
    }
    Ok(status.exit_code())
}

/// The text report: `STATUS: summary`, then one line per alert.
pub fn render_text(library: &Library, status: Status, alerts: &[Alert]) -> String {
    let summary = match alerts::unknown_reason(library) {
        Some(reason) => reason.to_string(),
        None => summary(library, alerts),
    };
    let mut s = format!("{}: {summary}\n", status.as_str().to_uppercase());
    for a in alerts {
        let line = format!(
            "{} {}: {}",
            a.severity.as_str().to_uppercase(),
            a.kind.as_str(),
            a.message
        );
        s += &for_display(&line);
        s.push('\n');
    }
    s
}

/// `1 critical, 3 warnings (4 devices, 12 backups)` or `no alerts (…)`.
fn summary(library: &Library, alerts: &[Alert]) -> String {
    let count = |s: Severity| alerts.iter().filter(|a| a.severity == s).count();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if count(Severity::Critical) > 0 {
        parts.push(plural(count(Severity::Critical), "critical", "critical"));
    }
    if count(Severity::Warning) > 0 {
        parts.push(plural(count(Severity::Warning), "warning", "warnings"));
    }
    if parts.is_empty() {
        parts.push("no alerts".to_string());
    }
    format!(
        "{} ({}, {})",
        parts.join(", "),
        plural(library.devices.len(), "device", "devices"),
        plural(library.versions().count(), "backup", "backups"),
    )
}

/// The JSON report (see the module doc).
pub fn to_json(library: &Library, status: Status, alerts: &[Alert]) -> Value {
    let mut doc = json!({
        "status": status.as_str(),
        "alerts": alerts.iter().map(alert_json).collect::<Vec<_>>(),
    });
    if let (Some(reason), Value::Object(map)) = (alerts::unknown_reason(library), &mut doc) {
        map.insert("reason".into(), Value::from(reason));
    }
    doc
}

fn alert_json(a: &Alert) -> Value {
    let mut v = json!({
        "kind": a.kind.as_str(),
        "severity": a.severity.as_str(),
        "device": a.device,
        "udid": a.udid,
        "path": Value::Null,
        "message": a.message,
        "since": a.since.and_then(|d| d.format(&Rfc3339).ok()),
    });
    if let Some(path) = &a.path {
        json::put_path(&mut v, "path", path);
    }
    v
}
