//! `--demo` deletes into the demo's own trash, never the system's (issue 14, item 24): the
//! dashboard did already; `prune` and `rm` (one `delete_all`, one `TrashBin::of_run`) do too.
//! HOME, XDG and TMPDIR point into a temporary folder, so the system trash the run would use
//! is `$XDG_DATA_HOME/Trash` on the same volume: it must not appear, and the demo's folder (with
//! its trash) must be gone after the run.

use std::time::Duration;

use crate::support::cli::run_with_env;

#[test]
fn demo_prune_trashes_into_the_demo_folder_and_leaves_the_system_trash_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir_all(&tmpdir).unwrap();
    let out = run_with_env(
        tmp.path(),
        &["--demo", "--no-cache", "prune", "--keep", "1", "--yes"],
        Duration::from_secs(120),
        &[("TMPDIR", tmpdir.as_os_str())],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(text.matches(": moved to the trash").count(), 5, "{text}");
    assert!(
        text.contains("/.Trash: it goes away with the demo's temporary folder when backtop exits"),
        "{text}"
    );
    for trash in [
        tmp.path().join("data/Trash"),
        tmp.path().join("home/.local/share/Trash"),
        tmp.path().join("home/.Trash"),
    ] {
        assert!(
            std::fs::symlink_metadata(&trash).is_err(),
            "{} was written",
            trash.display()
        );
    }
    let left: Vec<_> = std::fs::read_dir(&tmpdir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "the demo left {left:?}");
}
