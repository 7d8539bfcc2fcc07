//! Delete safety, start-up recovery of half-done deletes: a crash after or before the rename is
//! finished; a marker backtop cannot prove is its own and abandoned (no note, a note naming
//! another place, another owner, a live process, a held lock) is reported and left alone.

use super::fixture;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use backtop::actions::delete::recover_markers;
use backtop::actions::marker::{
    enter_marker, find_markers, try_lock, write_note, MarkerNote, MARKER_NOTE,
};
use backtop::actions::trash_bin::TrashBin;
use backtop::actions::{DeleteMode, MarkerRecovery, PrunePolicy};
use backtop::commands::prune::{run_with as prune, PruneArgs};
use backtop::commands::rm::Console;
use backtop::demo::{build_demo, DemoOptions};
use backtop::library::device::newest_complete;
use backtop::library::discover::discover_library;
use backtop::library::{Library, Root, RootOrigin, VersionKind};
use fixture::*;
use time::macros::datetime;
use time::OffsetDateTime;

#[test]
fn a_crash_between_rename_and_removal_is_finished_at_next_start() {
    let f = fixture();
    let v = f.archive();
    let marker = enter_marker(&v, DeleteMode::Permanent).unwrap(); // then "crash"
    abandon_marker(&marker);
    assert!(!v.exists());
    assert_eq!(find_markers(&f.roots()).len(), 1);
    let rec = recover_markers(&f.roots());
    assert_eq!(rec.len(), 1);
    assert!(rec[0].cleaned);
    assert!(
        rec[0].message.starts_with(&format!(
            "finished deleting {} (a delete stopped",
            v.display()
        )),
        "{}",
        rec[0].message
    );
    assert!(!marker.dir.exists());
    assert!(!v.exists());
    assert!(f.root.join(U).join("Info.plist").is_file());
}

/// A marker folder for the archive as a crashed backtop (pid `pid`) would have left it.
fn hand_made_marker(f: &Fixture, original: &Path, pid: u32) -> PathBuf {
    let dir = f
        .root
        .join(format!(".backtop-deleting-{U}-20240101-000000-{pid}-2"));
    std::fs::create_dir(&dir).unwrap();
    let note = MarkerNote {
        original_path: original.to_path_buf(),
        mode: DeleteMode::Permanent,
        started: 2,
        pid,
        stopped: None,
    };
    write_note(&dir, &note).unwrap();
    dir
}

#[test]
fn a_crash_before_the_rename_leaves_the_version_untouched() {
    let f = fixture();
    let v = f.archive();
    let before = listing(&v);
    let dir = hand_made_marker(&f, &v, dead_pid());
    let rec = recover_markers(&f.roots());
    assert_eq!(
        rec[0].message,
        "removed a marker of a delete that never started; the version is untouched"
    );
    assert!(!dir.exists());
    assert_eq!(listing(&v), before);
}

/// Recovery leaves the marker at `dir` and everything in the root alone, saying `why`.
fn left_alone(f: &Fixture, dir: &Path, why: &str) {
    let before = listing(&f.root);
    let rec = recover_markers(&f.roots());
    let want = MarkerRecovery {
        marker: dir.to_path_buf(),
        original: f.archive(),
        cleaned: false,
        message: format!("left the half-done delete {} alone: {why}", dir.display()),
    };
    assert_eq!(rec, [want]);
    assert_eq!(listing(&f.root), before, "nothing moved");
}

/// The archive moved into a hand-made marker whose process is gone.
fn moved_in(f: &Fixture) -> PathBuf {
    let v = f.archive();
    let dir = hand_made_marker(f, &v, dead_pid());
    std::fs::rename(&v, dir.join(v.file_name().unwrap())).unwrap();
    dir
}

#[test]
fn a_marker_without_a_note_is_left_alone() {
    let f = fixture();
    let dir = moved_in(&f);
    std::fs::remove_file(dir.join(MARKER_NOTE)).unwrap();
    left_alone(
        &f,
        &dir,
        "it has no readable note, so backtop cannot tell it made it",
    );
}

#[test]
fn a_note_naming_another_place_is_left_alone() {
    let f = fixture();
    let dir = moved_in(&f);
    let mut note: MarkerNote =
        serde_json::from_slice(&std::fs::read(dir.join(MARKER_NOTE)).unwrap()).unwrap();
    note.original_path = f.outside.join(format!("{U}-20240101-000000"));
    write_note(&dir, &note).unwrap();
    let why = format!(
        "its note names another place ({})",
        note.original_path.display()
    );
    left_alone(&f, &dir, &why);
}

#[test]
fn a_marker_of_a_running_backtop_is_left_alone() {
    let f = fixture();
    let v = f.archive();
    let dir = hand_made_marker(&f, &v, std::process::id());
    std::fs::rename(&v, dir.join(v.file_name().unwrap())).unwrap();
    let why = format!(
        "the backtop that started it (pid {}) is still running",
        std::process::id()
    );
    left_alone(&f, &dir, &why);
}

#[test]
fn a_locked_marker_is_left_alone() {
    let f = fixture();
    let dir = moved_in(&f);
    let _held = try_lock(&dir).unwrap().expect("the lock is free");
    left_alone(&f, &dir, "another backtop is deleting it now");
}

#[cfg(unix)]
#[test]
fn a_marker_of_another_user_is_left_alone() {
    let f = fixture();
    let dir = moved_in(&f);
    if std::os::unix::fs::chown(&dir, Some(54_321), None).is_err() {
        return; // only root can give a folder away; then backtop as root is what is tested
    }
    left_alone(&f, &dir, "it belongs to another user (uid 54321)");
}

/// The demo library written at `now`, with its roots.
fn demo_roots(tmp: &Path, now: OffsetDateTime) -> Vec<Root> {
    let opts = DemoOptions {
        scale: 0.01,
        now: Some(now),
        ..Default::default()
    };
    let demo = build_demo(&tmp.canonicalize().unwrap(), &opts).unwrap();
    demo.roots
        .iter()
        .map(|p| Root {
            path: p.clone(),
            origin: RootOrigin::Demo,
            owner: None,
            app: "demo",
        })
        .collect()
}

/// Prunes `lib` keeping one version per device, for good, without asking; checks exactly
/// the plan went and every newest complete backup stayed. Returns the library after.
fn prune_keep_one(
    lib: &Library,
    roots: &[Root],
    newest: &[PathBuf],
    now: OffsetDateTime,
) -> Library {
    let policy = PrunePolicy {
        keep: Some(1),
        older_than: None,
    };
    let plan = backtop::actions::plan(lib, &policy, now);
    assert!(
        !plan.remove.is_empty(),
        "the demo has old versions to prune"
    );
    assert!(plan
        .remove
        .iter()
        .all(|e| e.kind != VersionKind::Live && !newest.contains(&e.path)));
    let args = PruneArgs {
        keep: Some(1),
        yes: true,
        permanent: true,
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut console = Console {
        out: &mut out,
        input: None,
        freed: None,
        trash: TrashBin::System,
    };
    let code = prune(lib, &args, now, &mut console).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(code, 0, "{text}");
    let after = discover_library(roots, now);
    let left: BTreeSet<PathBuf> = after.versions().map(|v| v.path.clone()).collect();
    for e in &plan.remove {
        assert!(
            !e.path.exists() && !left.contains(&e.path),
            "{} survived",
            e.path.display()
        );
    }
    assert!(
        newest.iter().all(|p| left.contains(p)),
        "a newest complete backup went"
    );
    assert_eq!(
        after.versions().count(),
        lib.versions().count() - plan.remove.len()
    );
    after
}

/// The whole demo library, discovered for real: prune it, then crash a delete midway.
#[test]
fn journey_prune_the_demo_library_then_recover_a_crashed_delete() {
    let now = datetime!(2024-07-01 12:00 UTC);
    let tmp = tempfile::tempdir().unwrap();
    let roots = demo_roots(tmp.path(), now);
    let paths: Vec<PathBuf> = roots.iter().map(|r| r.path.clone()).collect();
    let lib = discover_library(&roots, now);
    let newest: Vec<PathBuf> = lib
        .devices
        .iter()
        .filter_map(|d| newest_complete(&d.versions))
        .map(|v| v.path.clone())
        .collect();
    let after = prune_keep_one(&lib, &roots, &newest, now);

    // A crash right after the rename: discovery no longer lists it; the next start finishes it.
    let victim = after
        .versions()
        .find(|v| !newest.contains(&v.path))
        .expect("a version that is not a newest backup remains")
        .path
        .clone();
    let m = enter_marker(&victim, DeleteMode::Permanent).unwrap();
    abandon_marker(&m);
    let hidden = discover_library(&roots, now);
    assert!(hidden.versions().all(|v| v.path != victim));
    assert_eq!(hidden.versions().count(), after.versions().count() - 1);
    let rec = recover_markers(&paths);
    assert_eq!(rec.len(), 1, "{rec:?}");
    assert!(rec[0].cleaned && rec[0].original == victim, "{rec:?}");
    assert!(find_markers(&paths).is_empty());
}
