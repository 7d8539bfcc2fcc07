//! Issue 14's figures and labels, as a newcomer reads them: the real `draw` into a
//! `TestBackend`, compared with exact text.

use crate::support::ui_fixture::*;
use crate::support::ui_screen::screen;

use crossterm::event::KeyCode;

/// The row of `screen` holding `needle` (panics with the screen when none does).
fn row_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?}:\n{screen}"))
}

/// The versions pane's row of the version made on `date`, of `kind`.
fn version_row<'a>(screen: &'a str, date: &str, kind: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(date) && l.contains(kind))
        .unwrap_or_else(|| panic!("no {kind} row of {date}:\n{screen}"))
}

#[test]
fn cuts_are_marked_with_an_ellipsis_and_tilde_means_only_home() {
    // HOME elsewhere: no path starts at the home, so no `~` may appear anywhere.
    let mut opts = options(true, false, false);
    opts.home = Some("/elsewhere".into());
    let mut app = scanned(opts);
    let text = screen(&mut app, 80, 24);
    assert!(!text.contains('~'), "`~` only for the home folder:\n{text}");
    assert!(
        text.contains("/Users/anna/…/00008103-000A1B2C3D4E5F60"),
        "a path is cut in the middle with `…`, keeping the user and the version:\n{text}"
    );
    // ASCII mode cuts with `...`.
    let mut opts = options(true, true, false);
    opts.home = Some("/elsewhere".into());
    let mut app = scanned(opts);
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("/Users/anna/.../00008103-000A1B2C3D4E5F60"),
        "{text}"
    );
    assert!(!text.contains('~') && !text.contains('…'), "{text}");
}

#[test]
fn every_device_says_when_it_was_last_backed_up_at_every_width() {
    for (w, h) in [(60, 16), (80, 24), (120, 36), (200, 60)] {
        let mut app = scanned(options(true, false, false));
        let text = screen(&mut app, w, h);
        assert!(
            row_with(&text, "Name").contains("Last backup"),
            "{w}x{h}:\n{text}"
        );
        for (device, age) in [
            ("Ben's iPad", "16 hours ago"),
            ("Anna's iPhone", "2 days ago"),
            ("Old iPhone", "5 years ago"),
        ]
        .into_iter()
        .filter(|(device, _)| h > 16 || !device.starts_with("Old"))
        {
            let row = row_with(&text, device);
            assert!(row.contains(age), "{device}: {age} at {w}x{h}:\n{row}");
        }
    }
}

#[test]
fn a_damaged_folder_without_a_readable_date_has_none() {
    use backtop::demo::{write_backup, BackupSpec};
    use backtop::library::read_version::read_version;
    use backtop::library::{BackupState, DateSource, VersionKind};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("00008110-001A2B3C4D5E6F70");
    write_backup(
        &dir,
        &BackupSpec::new("00008110-001A2B3C4D5E6F70", "A", "iPhone15,2"),
    )
    .unwrap();
    for name in ["Info.plist", "Manifest.plist", "Status.plist"] {
        std::fs::remove_file(dir.join(name)).unwrap();
    }
    let v = read_version(&dir, tmp.path(), VersionKind::Live, now());
    assert_eq!(v.state, BackupState::Damaged);
    assert_eq!(
        (v.date, v.date_source),
        (None, DateSource::Unknown),
        "the folder's mtime (today) is not a backup date"
    );
}

#[test]
fn an_undated_damaged_version_says_date_unknown_and_sorts_last() {
    use backtop::library::BackupState;
    let mut lib = library();
    // The phone's archive becomes a damaged folder with no date; the unidentified copy too.
    let archive = &mut lib.devices[0].versions[2];
    archive.state = BackupState::Damaged;
    archive.problem = Some("Status.plist is missing".into());
    archive.date = None;
    lib.damaged[0].date = None;
    for (w, h, unknown) in [(80, 24, "unknown"), (160, 48, "date unknown")] {
        let mut app = fresh(options(true, false, false));
        app.set_library(lib.clone());
        let text = screen(&mut app, w, h);
        assert!(
            row_with(&text, "Unidentified").contains("date unknown"),
            "{text}"
        );
        feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
        let text = screen(&mut app, w, h);
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| {
                [" live ", " snapshot ", " archive "]
                    .iter()
                    .any(|k| l.contains(k))
            })
            .collect();
        assert_eq!(rows.len(), 3, "{text}");
        assert!(
            rows[2].contains(unknown) && rows[2].contains("archive"),
            "the undated version is last:\n{text}"
        );
        assert!(
            rows[0].contains("2024-06-08"),
            "the newest is first:\n{text}"
        );
    }
    assert_eq!(
        lib.devices[0].newest_complete().map(|v| v.date),
        Some(Some(time::macros::datetime!(2024-06-08 09:15 UTC))),
        "never the newest complete backup"
    );
}

#[test]
fn reclaimable_is_what_pruning_can_free_and_the_prune_preview_agrees() {
    let mut app = scanned(options(true, false, false));
    // Before: 64.4 GB, counting the iPad's interrupted archive, which prune never removes.
    let text = screen(&mut app, 100, 30);
    assert!(text.contains("reclaimable 61.1 GB"), "{text}");
    feed(&mut app, [ch('p'), ch('-')]);
    let text = screen(&mut app, 100, 30);
    assert!(
        text.contains("Keep the 1 newest") && text.contains("Together they free 61.1 GB."),
        "prune --keep 1 frees exactly the header's figure:\n{text}"
    );
}

#[test]
fn a_second_live_folder_is_not_reclaimable() {
    // Anna's phone backed up by Finder and by iMazing: two live folders. No prune and no
    // unforced delete removes the older one, so it frees nothing in the header.
    let mut lib = library();
    let imazing_live = &mut lib.devices[0].versions[1];
    imazing_live.kind = backtop::library::VersionKind::Live;
    let mut app = scanned(options(true, false, false));
    app.set_library(lib);
    let text = screen(&mut app, 100, 30);
    assert!(
        text.contains("reclaimable 58.1 GB"),
        "only the archive (58.1 GB) can be pruned:\n{text}"
    );
}

#[test]
fn versions_show_source_and_encryption_at_every_width() {
    for (w, h) in [
        (60, 16),
        (80, 24),
        (100, 30),
        (120, 36),
        (160, 48),
        (200, 60),
    ] {
        // The narrowest pane says encryption as `E`, the kind in four letters and the source
        // as one letter (the help's legend says so), and keeps the size.
        let narrow = w < 80;
        let (enc, short) = if narrow { (" E ", 4) } else { ("enc", 8) };
        let source_of = |s: &'static str| if narrow { &s[..1] } else { s };
        let mut app = scanned(options(true, false, false));
        let text = screen(&mut app, w, h);
        let live = version_row(&text, "2024-06-09", "live");
        assert!(
            live.contains(enc)
                && live.contains("live")
                && live.contains(source_of("Finder"))
                && live.contains("12.5 GB"),
            "the iPad's encrypted Finder backup at {w}x{h}:\n{text}"
        );
        feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
        let text = screen(&mut app, w, h);
        for (date, kind, source) in [
            ("2024-06-08", "live", "Finder"),
            ("2024-05-20", "snapshot", "iMazing"),
            ("2024-03-01", "archive", "Finder"),
        ]
        .into_iter()
        .take(if h > 16 { 3 } else { 1 })
        {
            let kind = &kind[..kind.len().min(short)];
            let row = version_row(&text, date, kind);
            assert!(
                row.contains(source_of(source)) && row.contains(" GB") && !row.contains(enc),
                "{date} at {w}x{h}:\n{text}"
            );
        }
    }
}

#[test]
fn roots_and_volumes_are_labelled_by_what_they_are() {
    use backtop::library::volume::VolumeUsage;
    use backtop::library::RootStatus;
    let mut lib = library();
    lib.roots[2].status = RootStatus::Ok { backups: 0 };
    let mut app = scanned(options(true, false, false));
    app.set_library(lib);
    app.update(scan_event(backtop::scan::ScanEvent::Volumes(vec![
        volumes().remove(0),
        VolumeUsage {
            path: "/Volumes/Backup".into(),
            total: 2_000_000_000_000,
            free: 1_200_000_000_000,
            backup_bytes: 0,
            roots: vec!["/Volumes/Backup/iMazing.Backups".into()],
        },
    ])));
    let text = screen(&mut app, 100, 30);
    assert!(
        text.contains(" roots: Finder \u{b7} anna  iMazing \u{b7} anna  iMazing \u{b7} Backup\n"),
        "{text}"
    );
    let gauge = row_with(&text, "1.2 TB free");
    assert!(
        gauge.contains("│Backup ") && gauge.contains("/Volumes/Backup"),
        "the gauge is named by its volume, with its mount point:\n{text}"
    );
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains(" roots: Finder \u{b7} anna  iMazing \u{b7} anna  iMazing \u{b7} Backup\n"),
        "{text}"
    );
}

#[test]
fn the_help_defines_the_kinds_and_reclaimable() {
    let mut app = scanned(options(true, false, false));
    app.update(ch('?'));
    let text = screen(&mut app, 100, 300);
    for line in [
        "Kinds: live = the folder the backup app writes its next backup into;",
        "Reclaimable (header): what pruning old versions frees, as prune",
        "Narrow state: \u{2713} complete, \u{21bb} in progress, ! interrupted, \u{2717} damaged.",
        "Narrowest: E enc; arch, snap; source F Finder, i iMazing, T iTunes.",
    ] {
        assert!(text.contains(line), "{line}:\n{text}");
    }
}

/// Europe/Berlin's rules as a POSIX TZ string (no zone database needed).
const BERLIN: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

#[test]
fn the_dashboard_shows_each_date_with_the_offset_of_its_own_season() {
    let mut opts = options(true, false, false);
    opts.tz = jiff::tz::TimeZone::posix(BERLIN).unwrap();
    let mut app = scanned(opts);
    let text = screen(&mut app, 160, 48);
    assert!(
        version_row(&text, "2024-06-09", "live").contains("2024-06-09 22:00 +02:00"),
        "summer: CEST:\n{text}"
    );
    assert!(
        version_row(&text, "2023-12-24", "archive").contains("2023-12-24 19:00 +01:00"),
        "winter: CET:\n{text}"
    );
    let mut utc = scanned(options(true, false, false));
    let text = screen(&mut utc, 160, 48);
    assert!(
        version_row(&text, "2024-06-09", "live").contains("2024-06-09 20:00 UTC"),
        "{text}"
    );
}

#[test]
fn list_follows_the_same_time_rule_and_the_config_can_make_it_utc() {
    use crate::support::cli::run_in_zone;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("backups");
    crate::ui_figures_time::two_seasons(&root);
    let home = tmp.path().join("run");
    let root_arg = root.display().to_string();
    let args = ["list", "--only", "--root", root_arg.as_str()];
    let limit = std::time::Duration::from_secs(60);
    let out = run_in_zone(&home, &args, limit, BERLIN);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("  2026-07-15 14:00 +02:00  live ")
            && text.contains("  2026-01-15 13:00 +01:00  archive "),
        "local time, each date with its own offset:\n{text}"
    );
    let config = home.join("config/backtop");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "time = \"utc\"\n").unwrap();
    let out = run_in_zone(&home, &args, limit, BERLIN);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("  2026-07-15 12:00 UTC  live ")
            && text.contains("  2026-01-15 12:00 UTC  archive "),
        "time = \"utc\":\n{text}"
    );
}

#[test]
fn top_apps_without_a_name_in_info_plist_read_as_names_not_bundle_ids() {
    use backtop::library::usage::AppUsage;
    use backtop::scan::ScanEvent;
    let mut app = scanned(options(true, false, false));
    let (path, mut usage) = usages().remove(0);
    usage.top_apps.push(AppUsage {
        bundle_id: "com.google.chrome.ios".into(),
        name: None,
        bytes: 1_000_000_000,
    });
    app.update(scan_event(ScanEvent::Sized { path, usage }));
    feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
    let text = screen(&mut app, 160, 48);
    assert!(row_with(&text, "││Chrome ").ends_with(" 1 GB │"), "{text}");
    assert!(!text.contains("com.google.chrome.ios"), "{text}");
}

#[test]
fn cached_figures_are_marked_provisional_until_the_rescan_reaches_them() {
    use backtop::scan::ScanEvent;
    let mut app = fresh(options(true, false, false));
    app.update(scan_started());
    // A relaunch: every version first from the size cache, whose figures carry the hard-linked
    // inodes as the last scan saw them: the phone's shared photos count once (141.1 GB, not
    // 181.1 GB), and the header says they are the cache's until the rescan reaches them.
    for (path, usage) in usages() {
        app.update(scan_event(ScanEvent::Cached { path, usage }));
    }
    let text = screen(&mut app, 120, 30);
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.contains("141.1 GB") && header.contains("provisional, rescanning"),
        "cached totals are exact and say they are the cache's:\n{text}"
    );
    for (path, usage) in usages() {
        app.update(scan_event(ScanEvent::Sized { path, usage }));
    }
    let text = screen(&mut app, 100, 30);
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.contains("141.1 GB") && !header.contains("provisional"),
        "fresh figures are exact:\n{text}"
    );
}

#[test]
fn the_breakdown_ends_with_what_encryption_means_for_the_version() {
    let mut app = scanned(options(false, false, false));
    // Ben's iPad (the newest backup, first), encrypted and locked: the focused breakdown
    // scrolled to its end.
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab), ch('G')]);
    assert_eq!(selected_device(&app), "Ben's iPad");
    let text = screen(&mut app, 80, 24);
    for line in [
        "Encrypted: files, apps, Health,",
        "Keychain, Wi-Fi, call history",
        "need the password (u).",
    ] {
        assert!(
            row_with(&text, line).contains(&format!("││{line}")),
            "{text}"
        );
    }
    assert!(!text.contains("Not encrypted"), "{text}");
    // Unlocked in this run.
    app.unlocked.insert(selected_version(&app));
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("││Encrypted; unlocked this run."), "{text}");
    assert!(!text.contains("need the password"), "{text}");
    // Anna's iPhone, not encrypted.
    feed(
        &mut app,
        [
            key(KeyCode::Tab),
            ch('j'),
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            ch('G'),
        ],
    );
    assert_eq!(selected_device(&app), "Anna's iPhone");
    let text = screen(&mut app, 80, 24);
    for line in [
        "Not encrypted: no Health,",
        "Keychain, Wi-Fi passwords or",
        "call history in this backup.",
    ] {
        assert!(
            row_with(&text, line).contains(&format!("││{line}")),
            "{text}"
        );
    }
    assert!(!text.contains("need the password"), "{text}");
}
