//! The dashboard over the damaged corpus ([`backtop::demo::damaged`]), in a pseudo-terminal as
//! a user would meet it: it starts and answers within a time bound (a FIFO `Manifest.db` once
//! kept its sizing at "scanning 0/2" forever), every damaged version, selected in turn with
//! `j`, shows its reason, the healthy one is complete and sized exactly, and `q` quits with the
//! terminal restored.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use backtop::demo::damaged::build_damaged;
use backtop::ui::format;

use crate::support::keys::Key;
use crate::support::pty::Pty;

/// Generous for a debug build on a busy machine; a hang is forever.
const WAIT: Duration = Duration::from_secs(90);

/// The healthy version's device name (`build_damaged`).
const HEALTHY: &str = "Healthy iPhone";

/// The device whose versions the screen shows ("Versions of NAME").
fn shown_device(screen: &str) -> Option<String> {
    let rest = screen.split("Versions of ").nth(1)?;
    let end = rest.find(['─', '│', '\n']).unwrap_or(rest.len());
    // The title ends with the pane's sort ("  sort: date").
    let name = rest[..end].split("  sort:").next().unwrap_or_default();
    Some(name.trim().to_string())
}

#[test]
fn the_dashboard_gives_every_damaged_version_its_reason_and_sizes_the_healthy_one() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = build_damaged(&tmp.path().join("lib")).unwrap();
    let (home, cache) = (tmp.path().join("home"), tmp.path().join("cache"));
    let utf8 = |p: &Path| p.to_str().expect("a UTF-8 temp path").to_string();
    let root = utf8(&lib.root);
    let pty = Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_backtop")),
        &["--only", "--root", &root, "--no-cache"],
        &[
            ("HOME", &utf8(&home)),
            ("XDG_CACHE_HOME", &utf8(&cache)),
            ("XDG_CONFIG_HOME", &utf8(&cache)),
            ("XDG_DATA_HOME", &utf8(&cache)),
        ],
        220,
        60,
    );
    let healthy_size = format::size(lib.healthy.content_bytes + lib.healthy.metadata_bytes);
    let devices = lib.cases.len() + 1;
    pty.wait_for_text(&format!("Devices ({devices})"), WAIT)
        .unwrap();

    // What each device's screen must come to say while it is selected.
    let mut expected: BTreeMap<&str, &str> = lib.cases.iter().map(|c| (c.name, c.reason)).collect();
    expected.insert(HEALTHY, &healthy_size);

    // Every device in turn, down the list with `j`.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut current = String::new();
    for step in 0..devices {
        let screen = pty
            // A frame caught half drawn can show a title mixing two names: wait for a whole one.
            .wait_for("the next device's versions", WAIT, |s| {
                shown_device(&s.contents())
                    .is_some_and(|d| d != current && expected.contains_key(d.as_str()))
            })
            .unwrap();
        current = shown_device(&screen).unwrap_or_default();
        let Some(&says) = expected.get(current.as_str()) else {
            panic!("an unexpected device {current:?}:\n{screen}");
        };
        let screen = pty
            .wait_for(&format!("{current}: {says:?}"), WAIT, |s| {
                s.contents().contains(says)
            })
            .unwrap();
        seen.insert(current.clone(), screen);
        if step + 1 < devices {
            pty.send_key(Key::Char('j'));
        }
    }

    let shown: Vec<&str> = seen.keys().map(String::as_str).collect();
    let all: Vec<&str> = expected.keys().copied().collect();
    assert_eq!(shown, all);
    let healthy = &seen[HEALTHY];
    assert!(healthy.contains("complete"), "{healthy}");
    assert!(!healthy.contains("damaged:"), "{healthy}");

    pty.send_key(Key::Char('q'));
    assert!(pty.wait_exit(WAIT).is_some_and(|s| s.success()));
    pty.check_restored().unwrap();
}
