//! The decision table of [`decide`], and [`gather`] on real folders.

use super::*;
use crate::actions::relocate::facts::{gather, Request};
use crate::actions::relocate::journal::MoveNote;
use crate::library::Library;
use std::sync::atomic::AtomicBool;

fn survey() -> Survey {
    Survey {
        files: 10,
        folders: 3,
        links: 1,
        apparent_bytes: 60_000_000_000,
        disk_bytes: 2_000_000_000,
        linked_outside: 0,
        special: Vec::new(),
    }
}

fn facts() -> MoveFacts {
    MoveFacts {
        direction: Direction::Away,
        root: "/home/a/Backup".into(),
        root_kind: RootKind::Folder { mount_point: false },
        far: "/media/drive/Backup".into(),
        parts: Vec::new(),
        far_state: FarState::Missing,
        far_dot_dot: false,
        versions: 3,
        in_progress: Vec::new(),
        half_deletes: Vec::new(),
        free: Some(5_000_000_000),
        survey: Ok(survey()),
        journal: JournalFacts::None,
        read_only: false,
    }
}

fn journal(far: &str, phase: Phase) -> JournalFacts {
    JournalFacts::Found {
        journal: Journal {
            dir: "/home/a/.backtop-move-Backup".into(),
            note: MoveNote {
                direction: Direction::Away,
                root: "/home/a/Backup".into(),
                far: far.into(),
                phase,
                made_far: true,
                parts: Vec::new(),
                recopy: false,
                started: 0,
                pid: 1,
                stopped: None,
            },
        },
        busy: None,
    }
}

fn refusal(f: &MoveFacts) -> (RefusalKind, String) {
    let r = decide(f).unwrap_err();
    (r.kind, r.reason)
}

#[test]
fn a_plain_move_is_planned_with_the_space_it_needs() {
    let plan = decide(&facts()).unwrap();
    assert_eq!(plan.needed, 2_000_000_000);
    assert_eq!(plan.resume, None);
    assert!(plan.makes_far);
    assert!(plan.warnings.is_empty());
}

#[test]
fn every_refusal_says_why() {
    use RefusalKind as K;
    type Case = (&'static str, fn(&mut MoveFacts), RefusalKind, &'static str);
    let cases: Vec<Case> = vec![
        ("read-only", |f| f.read_only = true, K::ReadOnly, "read-only"),
        ("missing", |f| f.root_kind = RootKind::Missing, K::NotFound, "no such folder"),
        ("no backups", |f| f.versions = 0, K::NotARoot, "no backups"),
        (
            "symlink",
            |f| f.root_kind = RootKind::Link { target: "/media/old/Backup".into() },
            K::Symlink,
            "symbolic link already (to /media/old/Backup)",
        ),
        (
            "mount point",
            |f| f.root_kind = RootKind::Folder { mount_point: true },
            K::MountPoint,
            "a volume is mounted there",
        ),
        (
            "in progress",
            |f| f.in_progress = vec!["/home/a/Backup/U1".into()],
            K::InProgress,
            "being written into /home/a/Backup/U1",
        ),
        (
            "half delete",
            |f| f.half_deletes = vec!["/home/a/Backup/.backtop-deleting-U1-1-2".into()],
            K::HalfDelete,
            "half done",
        ),
        ("dest inside", |f| f.far = "/home/a/Backup/sub".into(), K::Nested, "inside the folder being moved"),
        ("dest is source", |f| f.far = "/home/a/Backup".into(), K::Nested, "inside the folder"),
        ("source inside dest", |f| f.far = "/home/a".into(), K::Nested, "inside DEST"),
        ("not empty", |f| f.far_state = FarState::NotEmpty, K::DestNotEmpty, "is not empty"),
        ("a file", |f| f.far_state = FarState::NotFolder, K::DestNotFolder, "is a file"),
        ("dot dot", |f| f.far_dot_dot = true, K::DotDot, "`..`"),
        (
            "no space",
            |f| f.free = Some(1_500_000_000),
            K::NoSpace,
            "needs 2 GB (space on disk, hard links counted once) and the destination's volume has 1.50 GB free",
        ),
        (
            "special",
            |f| f.survey = Ok(Survey { special: vec!["/home/a/Backup/fifo".into()], ..survey() }),
            K::Unreadable,
            "fifo is not a file, folder or link",
        ),
        (
            "another move",
            |f| f.journal = journal("/media/other", Phase::Copied),
            K::OtherMove,
            "unfinished move of it (to /media/other, copy done)",
        ),
        (
            "busy",
            |f| {
                if let JournalFacts::Found { journal, .. } = journal("/media/drive/Backup", Phase::Copying) {
                    f.journal = JournalFacts::Found {
                        journal,
                        busy: Some("another backtop is moving it now".into()),
                    };
                }
            },
            K::Busy,
            "another backtop",
        ),
    ];
    for (name, change, kind, words) in cases {
        let mut f = facts();
        change(&mut f);
        let (k, reason) = refusal(&f);
        assert_eq!(k, kind, "{name}: {reason}");
        assert!(reason.contains(words), "{name}: {reason}");
    }
}

#[test]
fn an_interrupted_move_of_the_same_source_resumes_into_its_non_empty_dest() {
    let mut f = facts();
    f.far_state = FarState::NotEmpty;
    f.free = Some(0);
    f.journal = journal("/media/drive/Backup", Phase::Copied);
    let plan = decide(&f).unwrap();
    assert_eq!(plan.resume, Some(Phase::Copied));
    // After the switch the root is a link: that is the move's own, so it goes on.
    f.root_kind = RootKind::Link {
        target: "/media/drive/Backup".into(),
    };
    f.journal = journal("/media/drive/Backup", Phase::Switched);
    assert_eq!(decide(&f).unwrap().resume, Some(Phase::Switched));
    // Cut short while removing the original (a kill -9 there): it can only be finished.
    f.journal = journal("/media/drive/Backup", Phase::Removing);
    assert_eq!(decide(&f).unwrap().resume, Some(Phase::Removing));
}

#[test]
fn files_linked_from_outside_are_a_warning() {
    let mut f = facts();
    f.survey = Ok(Survey {
        linked_outside: 4,
        ..survey()
    });
    let plan = decide(&f).unwrap();
    assert_eq!(plan.warnings.len(), 1);
    assert!(plan.warnings[0].starts_with("4 files are also hard-linked from outside"));
}

#[test]
fn a_move_back_needs_a_link_to_a_folder_that_is_there() {
    let mut f = facts();
    f.direction = Direction::Back;
    let (k, r) = refusal(&f);
    assert_eq!(k, RefusalKind::NotALink, "{r}");
    f.root_kind = RootKind::Link {
        target: "/media/drive/Backup".into(),
    };
    let (k, r) = refusal(&f);
    assert_eq!(k, RefusalKind::NotFound);
    assert!(r.contains("is the drive connected?"), "{r}");
    f.far_state = FarState::NotEmpty;
    assert_eq!(decide(&f).unwrap().direction, Direction::Back);
}

#[test]
fn gather_reads_the_tree_the_dest_and_an_injected_free_figure() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("Backup");
    std::fs::create_dir_all(root.join("U1")).unwrap();
    std::fs::write(root.join("U1/a"), vec![1u8; 5000]).unwrap();
    std::fs::hard_link(root.join("U1/a"), root.join("U1/b")).unwrap();
    std::os::unix::fs::symlink("a", root.join("U1/c")).unwrap();
    let req = Request {
        direction: Direction::Away,
        root: root.clone(),
        dest: Some(root.join("U1/inside")),
        free_override: Some(7),
        read_only: false,
    };
    let f = gather(&req, &Library::default(), &AtomicBool::new(false));
    assert_eq!(f.free, Some(7));
    assert_eq!(f.far_state, FarState::Missing);
    let s = f.survey.clone().unwrap();
    assert_eq!((s.files, s.folders, s.links), (2, 2, 1));
    assert_eq!(s.apparent_bytes, 5000, "the hard link counts once");
    assert_eq!(s.linked_outside, 0);
    assert_eq!(refusal(&f).0, RefusalKind::NotARoot);
    let f = MoveFacts { versions: 1, ..f };
    assert_eq!(refusal(&f).0, RefusalKind::Nested);
}

#[test]
fn versions_named_through_another_spelling_of_the_root_count() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("Backup");
    std::fs::create_dir_all(root.join("U1")).unwrap();
    std::fs::create_dir_all(tmp.path().join("x")).unwrap();
    let spelled = tmp.path().join("x/../Backup");
    let mut lib = Library::default();
    lib.damaged.push(crate::library::Version::bare(
        &spelled.join("U1"),
        &spelled,
        crate::library::VersionKind::Live,
    ));
    let req = Request {
        direction: Direction::Away,
        root: root.clone(),
        dest: Some(tmp.path().join("far")),
        free_override: None,
        read_only: false,
    };
    assert_eq!(gather(&req, &lib, &AtomicBool::new(false)).versions, 1);
}
