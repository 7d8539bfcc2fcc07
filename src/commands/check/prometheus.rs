//! The Prometheus textfile-collector file of `backtop check --prometheus FILE`, in the text
//! exposition format: `# HELP` and `# TYPE` before each metric's samples, label values escaped
//! (`\\`, `\"`, `\n`), no timestamps (the collector stamps the file's mtime), a final newline.
//!
//! ```text
//! backtop_check_status 2                                   # 0 ok, 1 warning, 2 critical, 3 unknown
//! backtop_alerts{kind="stale"} 1                           # every kind, 0 included
//! backtop_last_backup_age_seconds{udid="…",device="…"} 86400   # newest complete backup; none: left out
//! backtop_device_bytes{udid="…",device="…"} 58000000000    # every inode once; unsized: left out
//! backtop_root_bytes{root="/…"} 60000000000                # each readable root
//! ```
//!
//! The file is written next to FILE under a name starting with `.` and ending in `.tmp`
//! (which the collector ignores), made readable by all (0644), synced, then renamed over FILE:
//! a reader sees the old file or the new one, never a part.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::Context;
use time::OffsetDateTime;

use crate::library::alerts::{Alert, AlertKind, Status};
use crate::library::{Library, RootStatus};
use crate::scan::ScanResults;

/// The file's text (see the module doc).
pub fn render(
    library: &Library,
    results: &ScanResults,
    alerts: &[Alert],
    status: Status,
    now: OffsetDateTime,
) -> String {
    let mut out = String::new();
    let mut metric = |name: &str, help: &str, samples: Vec<(String, i128)>| {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} gauge");
        for (labels, value) in samples {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    };
    metric(
        "backtop_check_status",
        "The verdict of backtop check: 0 ok, 1 warning, 2 critical, 3 unknown.",
        vec![(String::new(), i128::from(status.exit_code()))],
    );
    let by_kind = AlertKind::ALL
        .iter()
        .map(|k| {
            let n = alerts.iter().filter(|a| a.kind == *k).count();
            (labels(&[("kind", k.as_str())]), n as i128)
        })
        .collect();
    metric(
        "backtop_alerts",
        "Alerts of backtop check, by kind.",
        by_kind,
    );
    let device_labels =
        |d: &crate::library::Device| labels(&[("udid", &d.udid), ("device", d.display_name())]);
    let ages = library
        .devices
        .iter()
        .filter_map(|d| {
            let date = d.newest_complete()?.date?;
            Some((device_labels(d), i128::from((now - date).whole_seconds())))
        })
        .collect();
    metric(
        "backtop_last_backup_age_seconds",
        "Seconds since the device's newest complete backup.",
        ages,
    );
    let device_bytes = library
        .devices
        .iter()
        .filter(|d| !results.of_device(d).is_empty())
        .map(|d| {
            let bytes = results.device_totals(d).bytes;
            (device_labels(d), i128::from(bytes))
        })
        .collect();
    metric(
        "backtop_device_bytes",
        "Bytes of the device's backups, every hard-linked file once.",
        device_bytes,
    );
    let root_bytes = library
        .roots
        .iter()
        .filter(|r| matches!(r.status, RootStatus::Ok { .. }))
        .map(|r| {
            let bytes = results.root_totals(library, &r.root.path).bytes;
            let path = r.root.path.to_string_lossy();
            (labels(&[("root", &path)]), i128::from(bytes))
        })
        .collect();
    metric(
        "backtop_root_bytes",
        "Bytes of the backups in the root, every hard-linked file once.",
        root_bytes,
    );
    out
}

/// `{a="x",b="y"}` with the values escaped by the format's rules; control characters other
/// than a newline (which the format escapes) become U+FFFD.
fn labels(pairs: &[(&str, &str)]) -> String {
    let mut s = String::from("{");
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "{name}=\"");
        for c in value.chars() {
            match c {
                '\\' => s.push_str("\\\\"),
                '"' => s.push_str("\\\""),
                '\n' => s.push_str("\\n"),
                c if c.is_control() => s.push('\u{FFFD}'),
                c => s.push(c),
            }
        }
        s.push('"');
    }
    s.push('}');
    s
}

/// Replaces `file` with `text` atomically: a temporary file in the same folder (ignored by the
/// collector), 0644, synced, renamed over `file`.
pub fn write_atomically(file: &Path, text: &str) -> anyhow::Result<()> {
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let context = || format!("writing the Prometheus file {}", file.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(".backtop-check-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(context)?;
    tmp.write_all(text.as_bytes()).with_context(context)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let all_read = std::fs::Permissions::from_mode(0o644);
        tmp.as_file()
            .set_permissions(all_read)
            .with_context(context)?;
    }
    tmp.as_file().sync_all().with_context(context)?;
    tmp.persist(file)
        .map_err(|e| e.error)
        .with_context(context)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(
            labels(&[("device", "Cy's \"Pro\"\\\n\x1b"), ("udid", "U")]),
            "{device=\"Cy's \\\"Pro\\\"\\\\\\n\u{FFFD}\",udid=\"U\"}"
        );
    }
}
