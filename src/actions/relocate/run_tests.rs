//! The move on copies of the demo library's iMazing root (live backups with hard-linked
//! snapshots and sparse files): away and back, a stop after every phase then resume or
//! rollback, cancel, and a backup written between the copy and the switch.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use time::macros::datetime;

use super::facts::{gather, Request};
use super::journal::{journal_dir, Direction, Phase};
use super::plan::decide;
use super::rollback::abort;
use super::run::{run_move, MoveOptions, MoveStatus};
use super::tree::{compare, read_tree, Tree};
use crate::demo::{build_demo, imazing_root, DemoOptions, INTERACTIVE_SCALE};
use crate::library::discover::discover_library;
use crate::library::locate::named_root;
use crate::library::{BackupState, Library, RootOrigin};

const NOW: time::OffsetDateTime = datetime!(2026-11-30 12:00 UTC);

struct Fixture {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    dest: PathBuf,
    before: Tree,
    links: BTreeMap<PathBuf, u64>,
    listing: Vec<(PathBuf, BackupState)>,
}

/// A temporary folder in RAM where Linux has one (the demo is thousands of small files).
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().unwrap()
}

/// The demo library built once, for tests that need several fresh copies of its iMazing root.
struct Template {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

fn template() -> Template {
    let tmp = scratch();
    let home = tmp.path().join("home");
    let opts = DemoOptions {
        scale: INTERACTIVE_SCALE,
        now: Some(NOW),
        ..Default::default()
    };
    build_demo(&home, &opts).unwrap();
    Template {
        root: imazing_root(&home),
        _tmp: tmp,
    }
}

/// A fresh demo library's iMazing root to move.
fn fixture() -> Fixture {
    let t = template();
    fixture_from(&t)
}

/// A copy of the template's iMazing root (`cp -a`: links, holes, modes and times kept) to move.
fn fixture_from(t: &Template) -> Fixture {
    let tmp = scratch();
    let root = tmp.path().join("iMazing/Backups");
    std::fs::create_dir_all(root.parent().unwrap()).unwrap();
    let cp = std::process::Command::new("cp")
        .arg("-a")
        .arg(&t.root)
        .arg(&root)
        .status()
        .unwrap();
    assert!(cp.success());
    let dest = tmp.path().join("drive/iMazing Backups");
    let before = read_tree(&root, true, &AtomicBool::new(false), &mut |_| {}).unwrap();
    Fixture {
        links: link_counts(&root),
        listing: listing(&root),
        before,
        root,
        dest,
        _tmp: tmp,
    }
}

fn library(root: &Path) -> Library {
    discover_library(&[named_root(root, RootOrigin::Flag)], NOW)
}

/// Every version's path and state, sorted.
fn listing(root: &Path) -> Vec<(PathBuf, BackupState)> {
    let mut v: Vec<_> = library(root)
        .versions()
        .map(|v| (v.path.clone(), v.state))
        .collect();
    v.sort();
    v
}

/// `st_nlink` of every file, by relative path.
fn link_counts(top: &Path) -> BTreeMap<PathBuf, u64> {
    walkdir::WalkDir::new(top)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(top).unwrap().to_path_buf();
            (rel, e.metadata().unwrap().nlink())
        })
        .collect()
}

fn plan(f: &Fixture, direction: Direction) -> super::plan::MovePlan {
    let req = Request {
        direction,
        root: f.root.clone(),
        dest: (direction == Direction::Away).then(|| f.dest.clone()),
        free_override: None,
        read_only: false,
    };
    let lib = library(&f.root);
    decide(&gather(&req, &lib, &AtomicBool::new(false))).unwrap()
}

fn go(f: &Fixture, direction: Direction, opts: MoveOptions) -> super::run::MoveOutcome {
    run_move(
        &plan(f, direction),
        &opts,
        &AtomicBool::new(false),
        &mut |_| {},
    )
}

fn remove() -> MoveOptions {
    MoveOptions {
        remove_original: true,
        stop_after: None,
    }
}

/// The tree at `top` matches the fixture's original byte for byte (digests), with its hard
/// links, modes and times, and the listing is as before.
fn assert_intact(f: &Fixture, top: &Path) {
    let now = read_tree(top, true, &AtomicBool::new(false), &mut |_| {}).unwrap();
    let diff = compare(&f.before, &now, true);
    assert!(diff.is_empty(), "{:?}", diff.first);
    assert_eq!(link_counts(top), f.links);
    assert_eq!(listing(&f.root), f.listing);
}

#[test]
fn away_and_back_keep_bytes_links_modes_and_times() {
    let f = fixture();
    assert!(
        f.links.values().any(|n| *n > 1),
        "the demo has hard-linked snapshots"
    );
    let p = plan(&f, Direction::Away);
    let out = run_move(&p, &remove(), &AtomicBool::new(false), &mut |_| {});
    assert_eq!(out.status, MoveStatus::Done, "{}", out.message);
    assert_eq!(std::fs::read_link(&f.root).unwrap(), f.dest);
    assert_intact(&f, &f.dest);
    assert!(!journal_dir(&f.root).unwrap().exists());

    let out = go(&f, Direction::Back, remove());
    assert_eq!(out.status, MoveStatus::Done, "{}", out.message);
    assert!(std::fs::symlink_metadata(&f.root).unwrap().is_dir());
    assert_intact(&f, &f.root);
    assert!(!f.dest.exists());
    assert!(!journal_dir(&f.root).unwrap().exists());
}

#[test]
fn a_kept_original_is_removed_by_running_the_move_again() {
    let f = fixture();
    let out = go(&f, Direction::Away, MoveOptions::default());
    assert_eq!(out.status, MoveStatus::Kept, "{}", out.message);
    let kept = out.kept.unwrap();
    assert_eq!(kept, journal_dir(&f.root).unwrap().join("original"));
    assert!(kept.join("iMazing.Versions").is_dir());
    assert_intact(&f, &f.dest);
    let out = go(&f, Direction::Away, remove());
    assert_eq!(out.status, MoveStatus::Done, "{}", out.message);
    assert!(!kept.exists());
    assert_intact(&f, &f.dest);
}

#[test]
fn a_stop_after_each_phase_leaves_every_version_listed_once_then_resume_or_abort_finish() {
    let t = template();
    for phase in [
        Phase::Copying,
        Phase::Copied,
        Phase::Verified,
        Phase::Switched,
    ] {
        for resume in [true, false] {
            let f = fixture_from(&t);
            let stop = MoveOptions {
                remove_original: true,
                stop_after: Some(phase),
            };
            let out = go(&f, Direction::Away, stop);
            assert_eq!(
                out.status,
                MoveStatus::Stopped,
                "{phase:?}: {}",
                out.message
            );
            assert_eq!(out.phase, Some(phase));
            // Wherever it stopped, the root lists every version once, complete as before.
            assert_eq!(listing(&f.root), f.listing, "after {phase:?}");
            let switched = std::fs::symlink_metadata(&f.root)
                .unwrap()
                .file_type()
                .is_symlink();
            assert_eq!(switched, phase == Phase::Switched);
            if resume {
                let plan = plan(&f, Direction::Away);
                assert_eq!(plan.resume, Some(phase));
                let out = go(&f, Direction::Away, remove());
                assert_eq!(out.status, MoveStatus::Done, "{phase:?}: {}", out.message);
                assert_eq!(std::fs::read_link(&f.root).unwrap(), f.dest);
                assert_intact(&f, &f.dest);
            } else {
                let out = abort(&f.root, &AtomicBool::new(false)).unwrap();
                assert_eq!(out.status, MoveStatus::RolledBack, "{phase:?}");
                assert!(std::fs::symlink_metadata(&f.root).unwrap().is_dir());
                assert_intact(&f, &f.root);
                // DEST did not exist before the move: the rollback removes it whole.
                assert!(!f.dest.exists(), "{phase:?}");
            }
            assert!(
                !journal_dir(&f.root).unwrap().exists(),
                "{phase:?} {resume}"
            );
        }
    }
}

#[test]
fn a_stop_during_the_move_back_rolls_back_to_the_link() {
    let f = fixture();
    assert_eq!(go(&f, Direction::Away, remove()).status, MoveStatus::Done);
    for phase in [Phase::Copied, Phase::Switched] {
        let stop = MoveOptions {
            remove_original: true,
            stop_after: Some(phase),
        };
        assert_eq!(go(&f, Direction::Back, stop).status, MoveStatus::Stopped);
        assert_eq!(listing(&f.root), f.listing, "after {phase:?}");
        abort(&f.root, &AtomicBool::new(false)).unwrap();
        assert_eq!(std::fs::read_link(&f.root).unwrap(), f.dest);
        assert_intact(&f, &f.dest);
        assert!(!journal_dir(&f.root).unwrap().exists());
    }
}

#[test]
fn a_cancelled_copy_keeps_the_original_and_resumes() {
    let f = fixture();
    let cancel = AtomicBool::new(false);
    let mut seen = 0;
    let out = run_move(&plan(&f, Direction::Away), &remove(), &cancel, &mut |p| {
        seen += 1;
        if p.done.entries > 100 {
            cancel.store(true, Ordering::Relaxed);
        }
    });
    assert_eq!(out.status, MoveStatus::Cancelled, "{}", out.message);
    assert!(seen > 100);
    assert!(
        out.message.contains("run the same move again"),
        "{}",
        out.message
    );
    assert_intact(&f, &f.root);
    let out = go(&f, Direction::Away, remove());
    assert_eq!(out.status, MoveStatus::Done, "{}", out.message);
    assert_intact(&f, &f.dest);
}

#[test]
fn a_backup_written_between_copy_and_switch_is_copied_again_not_lost() {
    let f = fixture();
    let stop = MoveOptions {
        remove_original: true,
        stop_after: Some(Phase::Verified),
    };
    assert_eq!(go(&f, Direction::Away, stop).status, MoveStatus::Stopped);
    let new_file = f.root.join("new-after-copy.txt");
    std::fs::write(&new_file, b"written meanwhile").unwrap();
    let out = go(&f, Direction::Away, remove());
    assert_eq!(out.status, MoveStatus::Failed, "{}", out.message);
    assert!(
        out.message.contains("changed since it was copied"),
        "{}",
        out.message
    );
    assert!(
        out.message.contains("new-after-copy.txt"),
        "{}",
        out.message
    );
    assert!(std::fs::symlink_metadata(&f.root).unwrap().is_dir());
    let out = go(&f, Direction::Away, remove());
    assert_eq!(out.status, MoveStatus::Done, "{}", out.message);
    assert_eq!(
        std::fs::read(f.dest.join("new-after-copy.txt")).unwrap(),
        b"written meanwhile"
    );
}

#[test]
fn abort_after_the_switch_refuses_when_backups_were_written_to_dest() {
    let f = fixture();
    assert_eq!(
        go(&f, Direction::Away, MoveOptions::default()).status,
        MoveStatus::Kept
    );
    std::fs::write(f.dest.join("newer.txt"), b"x").unwrap();
    let err = abort(&f.root, &AtomicBool::new(false))
        .unwrap_err()
        .to_string();
    assert!(err.contains("changed since the move"), "{err}");
    assert!(err.contains("move --back"), "{err}");
    assert_eq!(std::fs::read_link(&f.root).unwrap(), f.dest);
}
