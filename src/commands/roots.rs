//! `backtop roots [--json]`: every place backtop looked for backups, where it came from, what
//! was there, and how to fix access.
//!
//! The caller discovers the roots (`RunRoots::resolve(..)?.discover().roots`) and passes the
//! reports to [`run`]. The exit code is 0 whatever the
//! statuses: the report is the result. [`render_roots_report`] is the human text, reused by
//! other commands when they find nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use humansize::{format_size, FormatSizeOptions, DECIMAL};
use jiff::tz::TimeZone;
use serde::Serialize;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

use crate::library::{RootReport, RootStatus};
use crate::ui::local_time;

/// Width of the status column in the human report.
const STATUS_WIDTH: usize = 14;

/// Prints the report of `reports` (human text, dates in `tz`, or JSON with `json`) to stdout;
/// returns 0.
pub fn run(reports: &[RootReport], json: bool, tz: &TimeZone) -> anyhow::Result<i32> {
    run_with_links(reports, &[], json, tz)
}

/// [`run`] knowing which roots were asked for by a link (`(link, folder)`): those folders are
/// reported as moved there from the link.
pub fn run_with_links(
    reports: &[RootReport],
    links: &[(PathBuf, PathBuf)],
    json: bool,
    tz: &TimeZone,
) -> anyhow::Result<i32> {
    let moved = moved_roots(reports, links);
    let text = if json {
        render_json_with(reports, &moved)?
    } else {
        render_roots_report_with(reports, &moved, tz)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("writing the roots report")?;
    Ok(0)
}

/// The `--json` document: `{"roots": [{"path", "origin", "owner", "app", "status", ..}]}`,
/// where the status's own fields (`backups`, `advice`, `message`, `last_seen`, `bytes`) sit
/// next to `status`. Ends with a newline.
pub fn render_json(reports: &[RootReport]) -> anyhow::Result<String> {
    render_json_with(reports, &[])
}

/// [`render_json`] with the roots that are links left by a move: `"moved": [{"path", "to",
/// "connected", "unfinished"}]` after `"roots"` (left out when there are none).
pub fn render_json_with(reports: &[RootReport], moved: &[MovedRoot]) -> anyhow::Result<String> {
    #[derive(Serialize)]
    struct Doc<'a> {
        roots: &'a [RootReport],
        #[serde(skip_serializing_if = "<[MovedRoot]>::is_empty")]
        moved: &'a [MovedRoot],
    }
    let doc = Doc {
        roots: reports,
        moved,
    };
    crate::commands::json::to_text(&doc).context("encoding the roots")
}

/// The human report: a header, then per root a line with its status and path, a line with its
/// app, origin and owner (and count or last sighting), and a `fix:` line when access failed.
/// Times are in `tz` ([`local_time::stamp`]: the dashboard's and `list`'s rule).
pub fn render_roots_report(reports: &[RootReport], tz: &TimeZone) -> String {
    render_roots_report_with(reports, &[], tz)
}

/// [`render_roots_report`] with a `moved to …` line under each root that is a link left by a
/// move (`drive not connected` when its target is not there), and a line for a move of it
/// that is unfinished.
pub fn render_roots_report_with(
    reports: &[RootReport],
    moved: &[MovedRoot],
    tz: &TimeZone,
) -> String {
    if reports.is_empty() {
        return "backtop had no place to look for backups: give --root DIR or --home DIR.\n"
            .to_owned();
    }
    let places = if reports.len() == 1 {
        "place"
    } else {
        "places"
    };
    let mut out = format!("Looked for backups in {} {places}:\n", reports.len());
    for report in reports {
        out.push('\n');
        out.push_str(&render_one(report, tz));
        if let Some(m) = moved.iter().find(|m| m.path == report.root.path) {
            out.push_str(&render_moved(m));
        }
    }
    out
}

/// A root whose path is a symbolic link (what `backtop move` leaves), a root reached through
/// one, or one with an unfinished move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedRoot {
    /// The root's path.
    #[serde(flatten, serialize_with = "crate::json_path::path::serialize")]
    pub path: PathBuf,
    /// The link the root was asked for by, when it was reached through one (the root's path
    /// is then where the backups are now).
    #[serde(
        flatten,
        serialize_with = "crate::json_path::from::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub from: Option<PathBuf>,
    /// Where the link points (absolute), when it is one.
    #[serde(flatten, serialize_with = "crate::json_path::to::option")]
    pub to: Option<PathBuf>,
    /// The link's target is there (its drive is connected): by the volume's identity when
    /// `backtop move` noted it ([`crate::actions::relocate::moved`]), else by the path.
    pub connected: bool,
    /// The mount point of the volume the root was moved to, when noted.
    #[serde(
        flatten,
        serialize_with = "crate::json_path::volume::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub volume: Option<PathBuf>,
    /// Its volume is mounted at another place now: where the backups are.
    #[serde(
        flatten,
        serialize_with = "crate::json_path::found_at::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub found_at: Option<PathBuf>,
    /// An unfinished move of this root: the phase it got to and where it goes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unfinished: Option<String>,
}

/// The roots among `reports` that are links, were reached through one of `links`, or have a
/// move journal (reads the disk).
pub fn moved_roots(reports: &[RootReport], links: &[(PathBuf, PathBuf)]) -> Vec<MovedRoot> {
    reports
        .iter()
        .filter_map(|r| {
            let from = links
                .iter()
                .find(|(_, real)| *real == r.root.path)
                .map(|(link, _)| link.clone());
            moved_root(&r.root.path, from)
        })
        .collect()
}

fn moved_root(path: &Path, from: Option<PathBuf>) -> Option<MovedRoot> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let to = is_link.then(|| {
        std::fs::read_link(path)
            .map(|t| path.parent().map_or(t.clone(), |p| p.join(&t)))
            .unwrap_or_default()
    });
    let unfinished = from
        .as_deref()
        .and_then(unfinished_move)
        .or_else(|| unfinished_move(path));
    if to.is_none() && unfinished.is_none() && from.is_none() {
        return None;
    }
    let (connected, volume, found_at) = match to.as_ref().and_then(|_| whereabouts(path)) {
        Some((volume, found_at, there)) => (there, Some(volume), found_at),
        None => (to.as_deref().is_some_and(Path::is_dir), None, None),
    };
    Some(MovedRoot {
        path: path.to_path_buf(),
        from,
        connected,
        volume,
        found_at,
        to,
        unfinished,
    })
}

/// What the note of the move says of the root's volume now: its mount point at the move,
/// where it is mounted instead, and whether it is there.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn whereabouts(root: &Path) -> Option<(PathBuf, Option<PathBuf>, bool)> {
    use crate::actions::relocate::moved::{locate, Whereabouts};
    let mounts = crate::library::mounts::current().unwrap_or_default();
    let (note, at) = locate(root, &mounts)?;
    Some(match at {
        Whereabouts::There => (note.mount, None, true),
        Whereabouts::Elsewhere { at } => (note.mount, Some(at), false),
        Whereabouts::NotConnected => (note.mount, None, false),
    })
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn whereabouts(_root: &Path) -> Option<(PathBuf, Option<PathBuf>, bool)> {
    None
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn unfinished_move(root: &Path) -> Option<String> {
    use crate::actions::relocate::journal::Journal;
    let j = Journal::find(root).ok().flatten()?;
    Some(format!(
        "a move to {} stopped after {} (run the same `backtop move` again to finish it, or \
         with --abort to roll it back)",
        j.note.far.display(),
        j.note.phase.as_str()
    ))
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn unfinished_move(_root: &Path) -> Option<String> {
    None
}

/// The lines under a moved root.
fn render_moved(m: &MovedRoot) -> String {
    let pad = " ".repeat(STATUS_WIDTH);
    let mut out = String::new();
    if let Some(from) = &m.from {
        out.push_str(&format!(
            "{pad}moved here from {} (a link to this folder now)\n",
            printable(&from.to_string_lossy())
        ));
    }
    if let Some(to) = &m.to {
        let volume = m
            .volume
            .as_ref()
            .map(|v| format!(" (volume {})", printable(&v.to_string_lossy())))
            .unwrap_or_default();
        let state = match (&m.found_at, m.connected) {
            (Some(at), _) => format!(
                ": its drive is mounted at another place now, the backups are at {} (the link \
                 still names the old path: mount the drive where it was, or give --root with \
                 that folder)",
                printable(&at.to_string_lossy())
            ),
            (None, true) => String::new(),
            (None, false) => ": drive not connected".to_string(),
        };
        out.push_str(&format!(
            "{pad}moved to {}{volume}{state}\n",
            printable(&to.to_string_lossy())
        ));
    }
    if let Some(u) = &m.unfinished {
        out.push_str(&format!("{pad}{}\n", printable(u)));
    }
    out
}

/// The lines of one root.
fn render_one(report: &RootReport, tz: &TimeZone) -> String {
    let root = &report.root;
    let pad = " ".repeat(STATUS_WIDTH);
    let mut about = format!("{}, {}", root.app, root.origin.as_str());
    if let Some(owner) = &root.owner {
        about.push_str(&format!(", user {}", printable(owner)));
    }
    if let Some(figures) = figures(&report.status, tz) {
        about.push_str(&format!(": {figures}"));
    }
    let mut out = format!(
        "{:<w$}{}\n{pad}{about}\n",
        status_word(&report.status),
        printable(&root.path.to_string_lossy()),
        w = STATUS_WIDTH
    );
    match &report.status {
        RootStatus::PermissionDenied { advice } | RootStatus::PrivacyBlocked { advice } => {
            out.push_str(&format!("{pad}fix: {}\n", printable(advice)));
        }
        RootStatus::Error { message } => {
            out.push_str(&format!("{pad}error: {}\n", printable(message)));
        }
        _ => {}
    }
    out
}

/// The status column's word.
fn status_word(status: &RootStatus) -> &'static str {
    match status {
        RootStatus::Ok { .. } => "ok",
        RootStatus::Missing => "missing",
        RootStatus::NotAFolder => "not a folder",
        RootStatus::PermissionDenied { .. } => "denied",
        RootStatus::PrivacyBlocked { .. } => "blocked",
        RootStatus::DriveNotConnected { .. } => "not connected",
        RootStatus::Error { .. } => "error",
    }
}

/// The figures of a status that has some: a backup count, or the last sighting of a drive.
fn figures(status: &RootStatus, tz: &TimeZone) -> Option<String> {
    match status {
        RootStatus::Ok { backups } => Some(count(*backups)),
        RootStatus::DriveNotConnected {
            last_seen,
            backups,
            bytes,
        } => {
            let when = local_time::stamp(*last_seen, tz);
            let size = bytes.map_or(String::new(), |b| {
                let opts = FormatSizeOptions::from(DECIMAL).decimal_places(1);
                format!(" ({})", format_size(b, opts))
            });
            Some(format!("last seen {when} with {}{size}", count(*backups)))
        }
        _ => None,
    }
}

/// `2024-05-02 18:04 UTC` (minutes, in UTC): how `UDID@YYYY-MM-DD` (a UTC day) names a
/// version's time; the reports use [`local_time::stamp`].
pub fn human_utc(date: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    date.to_offset(UtcOffset::UTC)
        .format(&format)
        .unwrap_or_else(|_| date.to_string())
}

/// Text from disk made safe for a terminal ([`crate::sanitize::for_display`]): control
/// characters and bidi overrides become `�`.
pub fn printable(text: &str) -> String {
    crate::sanitize::for_display(text).into_owned()
}

/// "no backups", "1 backup", "3 backups".
fn count(n: usize) -> String {
    match n {
        0 => "no backups".to_owned(),
        1 => "1 backup".to_owned(),
        n => format!("{n} backups"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Root, RootOrigin};
    use std::path::PathBuf;
    use time::macros::datetime;

    fn report(
        path: &str,
        origin: RootOrigin,
        owner: Option<&str>,
        app: &'static str,
        status: RootStatus,
    ) -> RootReport {
        RootReport {
            root: Root {
                path: PathBuf::from(path),
                origin,
                owner: owner.map(str::to_owned),
                app,
            },
            status,
        }
    }

    fn sample() -> Vec<RootReport> {
        vec![
            report(
                "/Users/ann/Library/Application Support/MobileSync/Backup",
                RootOrigin::Default,
                Some("ann"),
                "Finder/iTunes",
                RootStatus::Ok { backups: 3 },
            ),
            report(
                "/Users/bob/Library/Application Support/MobileSync/Backup",
                RootOrigin::User,
                Some("bob"),
                "Finder/iTunes",
                RootStatus::PrivacyBlocked {
                    advice: "grant Full Disk Access".into(),
                },
            ),
            report(
                "/data/ios",
                RootOrigin::Flag,
                None,
                "any",
                RootStatus::Missing,
            ),
            report(
                "/Volumes/T7/iMazing.Backups",
                RootOrigin::Volume,
                None,
                "iMazing",
                RootStatus::DriveNotConnected {
                    last_seen: datetime!(2026-11-20 14:02:09 UTC),
                    backups: 4,
                    bytes: Some(120_340_000_000),
                },
            ),
            report(
                "/srv/x",
                RootOrigin::Env,
                None,
                "any",
                RootStatus::Error {
                    message: "Input/output error".into(),
                },
            ),
        ]
    }

    #[test]
    fn a_moved_root_says_where_it_went_and_whether_its_drive_is_there() {
        let reports = vec![
            report(
                "/media/T7/ios",
                RootOrigin::Flag,
                None,
                "any",
                RootStatus::Ok { backups: 2 },
            ),
            report(
                "/data/old",
                RootOrigin::Flag,
                None,
                "any",
                RootStatus::Missing,
            ),
            report(
                "/data/new",
                RootOrigin::Flag,
                None,
                "any",
                RootStatus::Missing,
            ),
        ];
        let moved = vec![
            MovedRoot {
                path: "/media/T7/ios".into(),
                from: Some("/data/ios".into()),
                to: None,
                connected: true,
                volume: None,
                found_at: None,
                unfinished: None,
            },
            MovedRoot {
                path: "/data/old".into(),
                from: None,
                to: Some("/media/T5/old".into()),
                connected: false,
                volume: Some("/media/T5".into()),
                found_at: None,
                unfinished: Some("a move to /media/T6 stopped after copy".into()),
            },
            MovedRoot {
                path: "/data/new".into(),
                from: None,
                to: Some("/media/T5/new".into()),
                connected: false,
                volume: Some("/media/T5".into()),
                found_at: Some("/media/T5 1/new".into()),
                unfinished: None,
            },
        ];
        let want = "\
Looked for backups in 3 places:

ok            /media/T7/ios
              any, --root: 2 backups
              moved here from /data/ios (a link to this folder now)

missing       /data/old
              any, --root
              moved to /media/T5/old (volume /media/T5): drive not connected
              a move to /media/T6 stopped after copy

missing       /data/new
              any, --root
              moved to /media/T5/new (volume /media/T5): its drive is mounted at another place now, the backups are at /media/T5 1/new (the link still names the old path: mount the drive where it was, or give --root with that folder)
";
        assert_eq!(
            render_roots_report_with(&reports, &moved, &TimeZone::UTC),
            want
        );
        let json: serde_json::Value =
            serde_json::from_str(&render_json_with(&reports, &moved).unwrap()).unwrap();
        assert_eq!(json["moved"][1]["to"], "/media/T5/old");
        assert_eq!(json["moved"][1]["connected"], false);
        assert_eq!(json["moved"][1]["volume"], "/media/T5");
        assert_eq!(json["moved"][2]["found_at"], "/media/T5 1/new");
        assert!(json["moved"][0].get("volume").is_none());
        assert!(render_json(&reports).unwrap().find("moved").is_none());
    }

    #[test]
    fn the_human_report_shows_place_origin_owner_status_and_fix() {
        let want = "\
Looked for backups in 5 places:

ok            /Users/ann/Library/Application Support/MobileSync/Backup
              Finder/iTunes, default, user ann: 3 backups

blocked       /Users/bob/Library/Application Support/MobileSync/Backup
              Finder/iTunes, all users, user bob
              fix: grant Full Disk Access

missing       /data/ios
              any, --root

not connected /Volumes/T7/iMazing.Backups
              iMazing, volume: last seen 2026-11-20 14:02 UTC with 4 backups (120.3 GB)

error         /srv/x
              any, BACKTOP_ROOTS
              error: Input/output error
";
        assert_eq!(render_roots_report(&sample(), &TimeZone::UTC), want);
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(
            printable("Ann\x1b[2J\nx\u{9b}y"),
            "Ann\u{FFFD}[2J\u{FFFD}x\u{FFFD}y"
        );
        assert_eq!(printable("Anna's iPhone ✓"), "Anna's iPhone ✓");
    }

    #[test]
    fn an_empty_report_says_how_to_give_a_root() {
        assert_eq!(
            render_roots_report(&[], &TimeZone::UTC),
            "backtop had no place to look for backups: give --root DIR or --home DIR.\n"
        );
    }

    #[test]
    fn json_puts_status_fields_next_to_the_root() {
        let doc: serde_json::Value =
            serde_json::from_str(&render_json(&sample()).unwrap()).unwrap();
        let want = serde_json::json!({"roots": [
            {"path": "/Users/ann/Library/Application Support/MobileSync/Backup", "origin": "default",
             "owner": "ann", "app": "Finder/iTunes", "status": "ok", "backups": 3},
            {"path": "/Users/bob/Library/Application Support/MobileSync/Backup", "origin": "user",
             "owner": "bob", "app": "Finder/iTunes", "status": "privacy_blocked",
             "advice": "grant Full Disk Access"},
            {"path": "/data/ios", "origin": "root", "owner": null, "app": "any", "status": "missing"},
            {"path": "/Volumes/T7/iMazing.Backups", "origin": "volume", "owner": null, "app": "iMazing",
             "status": "drive_not_connected", "last_seen": "2026-11-20T14:02:09Z", "backups": 4,
             "bytes": 120_340_000_000u64},
            {"path": "/srv/x", "origin": "env", "owner": null, "app": "any", "status": "error",
             "message": "Input/output error"},
        ], "schema": crate::commands::json::SCHEMA});
        assert_eq!(doc, want);
    }
}
