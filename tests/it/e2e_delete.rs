//! End to end: the real `backtop` binary in a pseudo-terminal, on a small library built with
//! the fixture builder. Keys go to the version list, mark an old archived version, delete it
//! through the confirmation dialog, and the test waits for the dashboard to show it gone, quits,
//! checks the terminal was restored, then checks the disk: that folder gone (in the Trash, or
//! removed for good), every other version intact. The last journey deletes a whole device
//! from the devices pane.

#![cfg(unix)]

use crate::support;
use crate::support::anna_backups;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anna_backups::{backup, live, march, UDID};
use support::keys::Key;
use support::pty::Pty;
use time::macros::datetime;

const WAIT: Duration = Duration::from_secs(30);

/// A root with one iPhone: the live backup and two archived copies (March, then January).
struct Fixture {
    dir: tempfile::TempDir,
    root: PathBuf,
    versions: Vec<PathBuf>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("Backup");
    let versions = vec![
        live(&root),
        march(&root),
        backup(
            &root,
            &format!("{UDID}-20240105-090000"),
            datetime!(2024-01-05 09:00 UTC),
        ),
    ];
    Fixture {
        dir,
        root,
        versions,
    }
}

/// The dashboard over the fixture's root only, with home and trash inside the temp dir.
fn start(f: &Fixture, extra: &[&str]) -> Pty {
    let mut args = vec!["--only", "--root", f.root.to_str().expect("utf-8 path")];
    args.extend_from_slice(extra);
    spawn_in(f.dir.path(), &args, 100, 30)
}

/// The binary with `args`, its home (config, cache), data (trash) and temporary folders in
/// `dir/home`, `dir/data` and `dir/tmp`.
fn spawn_in(dir: &Path, args: &[&str], cols: u16, rows: u16) -> Pty {
    let [home, data, tmp] = ["home", "data", "tmp"].map(|d| dir.join(d));
    std::fs::create_dir_all(&tmp).expect("tmp");
    Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_backtop")),
        args,
        &[
            ("HOME", home.to_str().expect("utf-8")),
            ("XDG_DATA_HOME", data.to_str().expect("utf-8")),
            ("XDG_CONFIG_HOME", home.to_str().expect("utf-8")),
            ("XDG_CACHE_HOME", home.to_str().expect("utf-8")),
            ("TMPDIR", tmp.to_str().expect("utf-8")),
            ("NO_COLOR", "1"),
        ],
        cols,
        rows,
    )
}

/// Goes to the versions of the one device, down to the March archive, marks it, presses d.
fn mark_march_archive_and_ask(pty: &Pty) {
    pty.wait_for_text("3 versions", WAIT).expect("dashboard up");
    pty.send_key_seq(&[Key::Enter, Key::Char('j'), Key::Char(' '), Key::Char('d')]);
    pty.wait_for_text("Delete 1 version?", WAIT)
        .expect("the delete dialog");
}

/// Goes to the versions of the one device, presses d on the newest (live) backup.
fn ask_to_delete_the_newest(pty: &Pty) {
    pty.wait_for_text("3 versions", WAIT).expect("dashboard up");
    pty.send_key_seq(&[Key::Enter, Key::Char('d')]);
    pty.wait_for_text("Type Anna's iPhone to confirm", WAIT)
        .expect("the newest complete backup asks for the device name");
}

fn quit_restored(pty: &Pty) {
    pty.send_key(Key::Char('q'));
    let status = pty.wait_exit(WAIT).expect("backtop exits after q");
    assert_eq!(status.exit_code(), 0, "q ends with exit code 0");
    pty.check_restored().expect("terminal restored");
}

fn assert_only_gone(f: &Fixture, gone: usize) {
    for (i, v) in f.versions.iter().enumerate() {
        if i == gone {
            assert!(!v.exists(), "{} was deleted", v.display());
        } else {
            assert!(
                v.join("Manifest.db").is_file() && v.join("Info.plist").is_file(),
                "{} is intact",
                v.display()
            );
        }
    }
    let left: Vec<String> = std::fs::read_dir(&f.root)
        .expect("root readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 2, "no marker folder is left behind: {left:?}");
}

/// Not on macOS: there the system Trash ignores XDG_DATA_HOME and would be the user's own.
#[test]
#[cfg(not(target_os = "macos"))]
fn marks_an_old_archive_and_moves_it_to_the_trash() {
    let f = fixture();
    let pty = start(&f, &[]);
    mark_march_archive_and_ask(&pty);
    pty.wait_for_text("To the Trash", WAIT)
        .expect("trash by default");
    pty.wait_for_text("00008120-001A2B3C4D5E6F70-20240301-101500", WAIT)
        .expect("the dialog names the version");
    pty.wait_for_text("no warnings", WAIT).expect("checked");
    pty.send_key(Key::Char('y'));
    pty.wait_for_text("2 versions", WAIT)
        .expect("the rescan shows the version gone");
    pty.wait_for_text("moved 1 version to the Trash", WAIT)
        .expect("the status line says where it went");
    quit_restored(&pty);
    assert_only_gone(&f, 1);
    let trashed = f.dir.path().join("data/Trash/files");
    let names: Vec<String> = std::fs::read_dir(&trashed)
        .expect("the freedesktop trash in XDG_DATA_HOME")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "one folder in the Trash: {names:?}");
    assert!(
        trashed.join(&names[0]).join("Manifest.db").is_file(),
        "the trashed folder holds the backup"
    );
}

#[test]
fn t_switches_to_permanent_removal() {
    let f = fixture();
    let pty = start(&f, &[]);
    mark_march_archive_and_ask(&pty);
    // Keys typed before the guards answer are ignored (only Esc works): wait for the answer.
    pty.wait_for_text("no warnings", WAIT).expect("checked");
    pty.send_key(Key::Char('t'));
    pty.wait_for_text("PERMANENTLY", WAIT)
        .expect("t switches to permanent");
    pty.send_key(Key::Enter);
    pty.wait_for_text("2 versions", WAIT)
        .expect("the rescan shows the version gone");
    pty.wait_for_text("deleted 1 version", WAIT)
        .expect("the status line says it was deleted");
    quit_restored(&pty);
    assert_only_gone(&f, 1);
    assert!(
        !f.dir.path().join("data/Trash").exists(),
        "nothing went to the Trash"
    );
}

#[test]
fn the_newest_backup_needs_its_device_name_typed() {
    let f = fixture();
    let pty = start(&f, &[]);
    ask_to_delete_the_newest(&pty);
    pty.send_key(Key::Enter);
    pty.wait_for_text("type Anna's iPhone to confirm", WAIT)
        .expect("Enter without the name does nothing");
    pty.send_key(Key::Esc);
    pty.wait_for_text_gone("Delete 1 version?", WAIT)
        .expect("Esc closes the dialog");
    quit_restored(&pty);
    assert!(f.versions.iter().all(|v| v.is_dir()), "nothing was deleted");
}

#[test]
fn typing_the_device_name_deletes_the_newest_backup() {
    let f = fixture();
    let pty = start(&f, &[]);
    ask_to_delete_the_newest(&pty);
    let typed: Vec<Key> = "Anna's iPhone".chars().map(Key::Char).collect();
    pty.send_key_seq(&typed);
    pty.send_key(Key::Char('t'));
    pty.wait_for_text("Anna's iPhonet", WAIT)
        .expect("while typing, t is a letter, not the trash toggle");
    pty.send_key(Key::Backspace);
    pty.send_key(Key::Enter);
    pty.wait_for_text("2 versions", WAIT)
        .expect("the rescan shows the newest backup gone");
    quit_restored(&pty);
    assert_only_gone(&f, 0);
}

#[test]
fn read_only_deletes_nothing() {
    let f = fixture();
    let pty = start(&f, &["--read-only"]);
    pty.wait_for_text("3 versions", WAIT).expect("dashboard up");
    pty.send_key_seq(&[Key::Enter, Key::Char('j'), Key::Char('d')]);
    pty.wait_for_text("read-only: delete is disabled", WAIT)
        .expect("d is refused");
    quit_restored(&pty);
    assert!(f.versions.iter().all(|v| v.is_dir()), "nothing was deleted");
}

#[test]
fn prune_previews_and_removes_beyond_the_two_newest() {
    let f = fixture();
    let pty = start(&f, &[]);
    pty.wait_for_text("3 versions", WAIT).expect("dashboard up");
    pty.send_key(Key::Char('p'));
    pty.wait_for_text("Prune: 1 version to remove", WAIT)
        .expect("the preview keeps the two newest by default");
    pty.wait_for_text("00008120-001A2B3C4D5E6F70-20240105-090000", WAIT)
        .expect("and names the January archive");
    pty.send_key(Key::Char('-'));
    pty.wait_for_text("Prune: 2 versions to remove", WAIT)
        .expect("- keeps one fewer");
    pty.send_key(Key::Char('+'));
    pty.wait_for_text("Prune: 1 version to remove", WAIT)
        .expect("+ keeps one more");
    pty.send_key(Key::Char('y'));
    pty.wait_for_text("2 versions", WAIT)
        .expect("the rescan shows the version gone");
    quit_restored(&pty);
    assert_only_gone(&f, 2);
}

#[test]
fn the_next_launch_says_which_half_done_delete_it_finished() {
    let f = fixture();
    // A permanent delete stopped midway (a cancel at quit, a crash): the version waits in its
    // marker folder, and the backtop that made it is gone.
    let march = &f.versions[1];
    let m = backtop::actions::marker::enter_marker(march, backtop::actions::DeleteMode::Permanent)
        .expect("marker");
    crate::delete_safety::fixture::abandon(&m.dir);
    let pty = start(&f, &[]);
    pty.wait_for_text("finished deleting", WAIT)
        .expect("the dashboard says what start-up finished");
    pty.wait_for_text("2 versions", WAIT)
        .expect("and the version is gone");
    quit_restored(&pty);
    assert_only_gone(&f, 1);
    assert!(!m.dir.exists(), "the marker is gone");
}

#[test]
fn the_demo_trashes_into_its_own_folder_never_the_real_trash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let [home, data, tmp] = ["home", "data", "tmp"].map(|d| dir.path().join(d));
    let pty = spawn_in(dir.path(), &["--demo"], 120, 36);
    pty.wait_for_text("Devices (", WAIT).expect("dashboard up");
    // The oldest version of the first device: never its newest complete backup.
    pty.send_key_seq(&[Key::Enter, Key::Char('G'), Key::Char('d')]);
    pty.wait_for_text("To the Trash", WAIT)
        .expect("the delete dialog, to the trash");
    pty.wait_for_text("Frees", WAIT).ok();
    pty.wait_for("the guards' answer", WAIT, |s| {
        !s.contents().contains("checking")
    })
    .expect("checked");
    pty.send_key(Key::Char('y'));
    pty.wait_for_text("moved 1 version to the Trash", WAIT)
        .expect("the status line says where it went");
    let demo: Vec<PathBuf> = std::fs::read_dir(&tmp)
        .expect("tmp")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("backtop-demo-"))
        })
        .collect();
    assert_eq!(demo.len(), 1, "one demo folder: {demo:?}");
    let trashed = std::fs::read_dir(demo[0].join(".Trash"))
        .expect("the demo's own trash")
        .count();
    assert_eq!(trashed, 1, "the version is in the demo's .Trash");
    for real in [
        data.join("Trash"),
        home.join(".local/share/Trash"),
        home.join(".Trash"),
    ] {
        assert!(!real.exists(), "nothing was written to {}", real.display());
    }
    quit_restored(&pty);
    assert!(
        !demo[0].exists(),
        "the demo folder, its trash with it, is gone after exit"
    );
}

/// Finder's "Delete Backup" (issue 14, item 23): `d` in the devices pane offers every backup of
/// the device, asks for its name even for a trash delete, says what a wrong name is, and on the
/// right one moves all three versions to the Trash (here `XDG_DATA_HOME/Trash`), leaving no
/// marker folder and an empty library on screen.
/// Not on macOS: there the system Trash ignores XDG_DATA_HOME and would be the user's own.
#[test]
#[cfg(not(target_os = "macos"))]
fn d_in_the_devices_pane_deletes_every_backup_of_the_device_after_its_name() {
    let f = fixture();
    let pty = start(&f, &[]);
    pty.wait_for_text("3 versions", WAIT).expect("dashboard up");
    pty.send_key(Key::Char('d'));
    pty.wait_for_text("Delete every backup of Anna's iPhone (3 versions)?", WAIT)
        .expect("the device's delete dialog");
    pty.wait_for_text("Type Anna's iPhone to confirm", WAIT)
        .expect("a whole device always asks for its name");
    let dialog = pty
        .wait_for("the guards' answer", WAIT, |s| {
            !s.contents().contains("checking")
        })
        .expect("checked");
    for line in [
        "3 versions, 1 with warnings or refused (listed first)",
        "the newest complete backup of Anna's iPhone",
        "Together they free 120.5 kB.",
        "To the Trash: trashed data still uses the volume until the Trash is",
    ] {
        assert!(dialog.contains(line), "{line}:\n{dialog}");
    }
    let typed: Vec<Key> = "Anna".chars().map(Key::Char).collect();
    pty.send_key_seq(&typed);
    pty.wait_for_text("confirm: Anna", WAIT)
        .expect("the typed text");
    pty.send_key(Key::Enter);
    pty.wait_for_text(
        "\"Anna\" is not Anna's iPhone: type the device name exactly as shown",
        WAIT,
    )
    .expect("a wrong name says what is expected");
    assert!(f.versions.iter().all(|v| v.is_dir()), "nothing deleted yet");
    let rest: Vec<Key> = "'s iPhone".chars().map(Key::Char).collect();
    pty.send_key_seq(&rest);
    pty.wait_for_text("confirm: Anna's iPhone", WAIT)
        .expect("the whole name");
    pty.send_key(Key::Enter);
    let done = pty
        .wait_for_text("moved 3 versions to the Trash", WAIT)
        .expect("the status line says where they went");
    pty.wait_for_text("0 devices", WAIT)
        .expect("the rescan shows the device gone");
    quit_restored(&pty);
    assert!(
        f.versions.iter().all(|v| !v.exists()),
        "every version is gone:\n{done}"
    );
    let left = std::fs::read_dir(&f.root).expect("root readable").count();
    assert_eq!(left, 0, "no marker folder is left behind");
    let trashed = std::fs::read_dir(f.dir.path().join("data/Trash/files"))
        .expect("the test's trash")
        .count();
    assert_eq!(trashed, 3, "the three versions are in the Trash");
}
