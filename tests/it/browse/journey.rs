//! The browser end to end, in a pseudo-terminal on the real binary: open the test phone's
//! version, search, go to a folder, export it to a typed destination, and find the builder's
//! exact bytes and mtimes on disk; then close everything and quit with the terminal restored.

#![cfg(unix)]

use std::path::Path;
use std::time::Duration;

use backtop::library::ManifestFormat;

use super::fixture;
use crate::support::keys::Key;
use crate::support::pty::Pty;

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn open_search_and_export_a_folder_in_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("Backup");
    fixture::write(&root, ManifestFormat::Db);
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let pty = Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_backtop")),
        &["--only", "--root", root.to_str().unwrap()],
        &[("HOME", home.to_str().unwrap()), ("NO_COLOR", "1")],
        100,
        30,
    );
    pty.wait_for_text("1 version", WAIT).expect("dashboard up");
    pty.send_key_seq(&[Key::Enter, Key::Enter]);
    pty.wait_for_text("6 groups", WAIT)
        .expect("Enter on the version opens the browser");
    pty.send_key(Key::Char('/'));
    pty.send_keys(b"attach");
    pty.wait_for_text("3 matches", WAIT)
        .expect("the search finds the folder and what is in it");
    pty.send_key_seq(&[Key::Enter, Key::Enter]);
    let screen = pty
        .wait_for_text("› Attachments ", WAIT)
        .expect("Enter on the result goes into the folder");
    assert!(screen.contains("ab/"), "{screen}");
    pty.send_key(Key::Char('h'));
    pty.send_key(Key::Char('e'));
    pty.wait_for_text("Export the folder HomeDomain/Library/SMS/Attachments", WAIT)
        .expect("e opens the export dialog");
    let dest = tmp.path().join("exported");
    pty.send_key(Key::Char('d'));
    pty.send_key(Key::Ctrl('u'));
    pty.send_keys(dest.to_str().unwrap().as_bytes());
    pty.send_key_seq(&[Key::Enter, Key::Enter]);
    let screen = pty
        .wait_for_text("Export finished", WAIT)
        .expect("the export ends with its summary");
    assert!(screen.contains("Wrote 1 file (2 kB"), "{screen}");
    let file = dest.join("HomeDomain/Library/SMS/Attachments/ab/IMG_9.jpg");
    fixture::assert_exported(&file, "HomeDomain", "Library/SMS/Attachments/ab/IMG_9.jpg");
    pty.send_key(Key::Esc);
    pty.wait_for_text_gone("Export finished", WAIT)
        .expect("Esc closes the summary");
    pty.send_key(Key::Esc);
    pty.wait_for_text("Enter browse", WAIT)
        .expect("Esc closes the browser: the dashboard's footer is back");
    pty.send_key(Key::Char('q'));
    assert_eq!(pty.wait_exit(WAIT).map(|s| s.exit_code()), Some(0));
    pty.check_restored().expect("terminal restored");
}
