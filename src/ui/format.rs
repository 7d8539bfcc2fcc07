//! Human text for figures: sizes (decimal units via `humansize`), ages ("3 days ago"), counts,
//! paths and percentages (dates: [`local_time`](super::local_time); fitting: [`fit`](super::fit)). Pure functions of their inputs; time is passed in, never read here.

use std::path::Path;

use humansize::{format_size, DECIMAL};
use time::OffsetDateTime;

use crate::library::locate as layouts;
use crate::library::usage::Measure;
use crate::library::{Root, VersionKind};

/// Bytes in decimal units with one decimal: `0 B`, `999 B`, `1.5 kB`, `12.3 GB`.
pub fn size(bytes: u64) -> String {
    format_size(bytes, DECIMAL.decimal_places(1))
}

/// How long ago `then` was, seen from `now`: `just now`, `5 minutes ago`, `yesterday`,
/// `3 days ago`, `2 months ago`, `1 year ago`; `in the future` for clock skew over a minute.
pub fn age(then: OffsetDateTime, now: OffsetDateTime) -> String {
    let secs = (now - then).whole_seconds();
    if secs < -60 {
        return "in the future".into();
    }
    let secs = secs.max(0);
    let (n, unit) = match secs {
        s if s < 60 => return "just now".into(),
        s if s < 3_600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3_600, "hour"),
        s if s < 2 * 86_400 => return "yesterday".into(),
        s if s < 14 * 86_400 => (s / 86_400, "day"),
        s if s < 61 * 86_400 => (s / (7 * 86_400), "week"),
        s if s < 365 * 86_400 => (s / (30 * 86_400), "month"),
        s => (s / (365 * 86_400), "year"),
    };
    plural(n, unit) + " ago"
}

/// A count with thousands separators: `182,345`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 version`, `3 versions`.
pub fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// `part` as a share of `whole`, clamped to `0.0..=1.0`; 0 when `whole` is 0.
pub fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64).clamp(0.0, 1.0)
    }
}

/// A ratio as a whole percentage: `45%`, `<1%` for a non-zero share under one percent.
pub fn percent(r: f64) -> String {
    let p = (r * 100.0).round();
    if p == 0.0 && r > 0.0 {
        "<1%".into()
    } else {
        format!("{p:.0}%")
    }
}

/// A path for display: the home folder as `~`.
pub fn path(p: &Path, home: Option<&Path>) -> String {
    match home.and_then(|h| p.strip_prefix(h).ok()) {
        Some(rest) if rest.as_os_str().is_empty() => "~".into(),
        Some(rest) => format!("~/{}", rest.display()),
        None => p.display().to_string(),
    }
}

/// The heading of a size column: `Size` for apparent bytes, `On disk` for disk usage.
pub fn size_heading(measure: Measure) -> &'static str {
    match measure {
        Measure::Apparent => "Size",
        Measure::Disk => "On disk",
    }
}

/// The app a root's backups come from, in a word: `Finder` (macOS Finder or iTunes), `iTunes`
/// (Windows iTunes or Apple Devices), `iMazing`, else `other` (a folder you named). An iMazing
/// snapshot is always iMazing's.
pub fn source(app: &str, kind: VersionKind) -> &'static str {
    match app {
        _ if kind == VersionKind::ImazingSnapshot => "iMazing",
        layouts::FINDER => "Finder",
        layouts::IMAZING => "iMazing",
        layouts::ANY_APP => "other",
        _ => "iTunes",
    }
}

/// The drive a path is on, by its name, when it is under a mount folder (`/Volumes/NAME`,
/// `/mnt/NAME`, `/media/USER/NAME`, `/run/media/USER/NAME`, a demo's `…/Volumes/NAME`).
pub fn drive_name(p: &Path) -> Option<String> {
    let parts: Vec<String> = p
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let at = |i: usize| parts.get(i).map(String::as_str);
    parts.iter().enumerate().find_map(|(i, part)| {
        let name = match part.as_str() {
            "Volumes" | "mnt" => at(i + 1),
            "media" => at(i + 2),
            _ => None,
        };
        name.map(str::to_string)
    })
}

/// What a root is, for people: its app and whose or which drive it is (`Finder · anna`,
/// `iMazing · Backup Drive`, with `sep` between). Whose: the root's owner, else the user
/// folder in its path (`/Users/anna/…`), else `~` under `home`, else the folder's name.
pub fn root_label(root: &Root, home: Option<&Path>, sep: &str) -> String {
    let source = source(root.app, VersionKind::Live);
    let place = drive_name(&root.path)
        .or_else(|| root.owner.clone())
        .or_else(|| user_in_path(&root.path))
        .or_else(|| {
            home.filter(|h| root.path.starts_with(h))
                .map(|_| "~".to_string())
        })
        .or_else(|| {
            root.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| root.path.display().to_string());
    format!("{source} {sep} {place}")
}

/// The user whose home folder a path is in: `anna` for `/Users/anna/…` or `/home/anna/…`.
fn user_in_path(p: &Path) -> Option<String> {
    let parts: Vec<String> = p
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts
        .windows(2)
        .find(|w| w[0] == "Users" || w[0] == "home")
        .map(|w| w[1].clone())
}

/// A volume's name for its gauge: the drive's name (`Backup Drive`), `/` for the root file
/// system, else its mount point's last folder.
pub fn volume_name(mount: &Path) -> String {
    drive_name(mount)
        .or_else(|| mount.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| mount.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn sizes_are_decimal_with_one_place() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(999), "999 B");
        assert_eq!(size(1_500), "1.5 kB");
        assert_eq!(size(12_345_678_901), "12.3 GB");
    }

    #[test]
    fn ages_read_like_speech() {
        let now = datetime!(2024-06-10 12:00 UTC);
        assert_eq!(age(datetime!(2024-06-10 11:59:30 UTC), now), "just now");
        assert_eq!(age(datetime!(2024-06-10 11:55 UTC), now), "5 minutes ago");
        assert_eq!(age(datetime!(2024-06-10 09:00 UTC), now), "3 hours ago");
        assert_eq!(age(datetime!(2024-06-09 10:00 UTC), now), "yesterday");
        assert_eq!(age(datetime!(2024-06-07 12:00 UTC), now), "3 days ago");
        assert_eq!(age(datetime!(2024-05-01 12:00 UTC), now), "5 weeks ago");
        assert_eq!(age(datetime!(2024-01-01 12:00 UTC), now), "5 months ago");
        assert_eq!(age(datetime!(2022-06-01 12:00 UTC), now), "2 years ago");
        assert_eq!(age(datetime!(2024-06-11 12:00 UTC), now), "in the future");
    }

    #[test]
    fn ratios_clamp_and_survive_zero() {
        assert_eq!(ratio(5, 0), 0.0);
        assert_eq!(ratio(15, 10), 1.0);
        assert_eq!(percent(ratio(1, 1000)), "<1%");
        assert_eq!(percent(ratio(1, 2)), "50%");
        assert_eq!(count(182_345), "182,345");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(
            path(Path::new("/home/a/x"), Some(Path::new("/home/a"))),
            "~/x"
        );
    }

    #[test]
    fn roots_are_labelled_by_app_and_owner_or_drive() {
        use crate::library::RootOrigin;
        let root = |path: &str, app, owner: Option<&str>| Root {
            path: path.into(),
            origin: RootOrigin::Default,
            owner: owner.map(str::to_string),
            app,
        };
        let finder = "/Users/alice/Library/Application Support/MobileSync/Backup";
        assert_eq!(
            root_label(
                &root(finder, layouts::FINDER, Some("alice")),
                None,
                "\u{b7}"
            ),
            "Finder \u{b7} alice"
        );
        let drive = "/Volumes/Backup Drive/iMazing.Backups";
        assert_eq!(
            root_label(&root(drive, layouts::IMAZING, None), None, "\u{b7}"),
            "iMazing \u{b7} Backup Drive"
        );
        assert_eq!(
            root_label(
                &root(
                    "/run/media/ann/USB/iMazing.Backups",
                    layouts::IMAZING,
                    Some("ann")
                ),
                None,
                "\u{b7}"
            ),
            "iMazing \u{b7} USB",
            "the drive says more than the owner"
        );
        assert_eq!(
            root_label(&root("/srv/iphone", layouts::ANY_APP, None), None, "\u{b7}"),
            "other \u{b7} iphone"
        );
        let home_root = root(
            "/home/x/Library/Application Support/MobileSync/Backup",
            layouts::FINDER,
            None,
        );
        assert_eq!(
            root_label(&home_root, None, "-"),
            "Finder - x",
            "the user in the path"
        );
        let demo = root(
            "/tmp/demo/Library/Application Support/MobileSync/Backup",
            layouts::FINDER,
            None,
        );
        assert_eq!(
            root_label(&demo, Some(Path::new("/tmp/demo")), "-"),
            "Finder - ~"
        );
        assert_eq!(
            source(layouts::ANY_APP, VersionKind::ImazingSnapshot),
            "iMazing"
        );
        assert_eq!(
            source("Apple Devices/iTunes (Store)", VersionKind::Live),
            "iTunes"
        );
        assert_eq!(volume_name(Path::new("/")), "/");
        assert_eq!(
            volume_name(Path::new("/Volumes/Backup Drive")),
            "Backup Drive"
        );
        assert_eq!(volume_name(Path::new("/home")), "home");
    }
}
