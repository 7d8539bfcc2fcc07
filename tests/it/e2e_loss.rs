//! End to end (issue 16): the real `backtop` binary in an 80x24 pseudo-terminal on three
//! backups of one iPhone. Marking the March archive and pressing `d` opens the delete dialog,
//! which, once the background job has read the manifests, says what only that version holds:
//! its copies of the photo and of sms.db, each dated by its own backup, so kept in another copy
//! by the versions that stay. Nothing is deleted (`n`).

#![cfg(unix)]

use crate::support;
use crate::support::anna_backups;

use std::time::Duration;

use anna_backups::{backup, live, march, UDID};
use support::keys::Key;
use support::pty::Pty;
use time::macros::datetime;

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn the_delete_dialog_says_what_only_the_version_holds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("Backup");
    let versions = [
        live(&root),
        march(&root),
        backup(
            &root,
            &format!("{UDID}-20240105-090000"),
            datetime!(2024-01-05 09:00 UTC),
        ),
    ];
    let [home, data, tmp] = ["home", "data", "tmp"].map(|d| dir.path().join(d));
    std::fs::create_dir_all(&tmp).expect("tmp");
    let pty = Pty::spawn(
        std::path::Path::new(env!("CARGO_BIN_EXE_backtop")),
        &["--only", "--root", root.to_str().expect("utf-8 path")],
        &[
            ("HOME", home.to_str().expect("utf-8")),
            ("XDG_DATA_HOME", data.to_str().expect("utf-8")),
            ("XDG_CONFIG_HOME", home.to_str().expect("utf-8")),
            ("XDG_CACHE_HOME", home.to_str().expect("utf-8")),
            ("TMPDIR", tmp.to_str().expect("utf-8")),
            ("NO_COLOR", "1"),
        ],
        80,
        24,
    );
    pty.wait_for_text("3 versions", WAIT).expect("dashboard up");
    pty.send_key_seq(&[Key::Enter, Key::Char('j'), Key::Char(' '), Key::Char('d')]);
    pty.wait_for_text("Delete 1 version?", WAIT)
        .expect("the dialog opens");
    pty.wait_for_text(
        "Only in this version: 2 files, 5 kB (2 kept in another copy):",
        WAIT,
    )
    .expect("what only the March archive holds");
    pty.wait_for_text("1 Photos & videos (3 kB) · 1 Messages (2 kB)", WAIT)
        .expect("by category");
    pty.send_key(Key::Char('n'));
    pty.wait_for_text_gone("Delete 1 version?", WAIT)
        .expect("n closes it");
    pty.send_key(Key::Char('q'));
    for v in &versions {
        assert!(v.join("Manifest.db").is_file(), "{} is intact", v.display());
    }
}
