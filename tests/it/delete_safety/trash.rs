//! Delete safety, the trash: a version goes to the trash from where it is (so "Put Back"
//! returns it to its real place, never into a hidden marker), a refusing trash leaves it in
//! place, a trash-mode marker left by an older backtop is put back before trashing (never
//! over something), and a trash on another disk (a full copy) is refused.

// Some tests here are Linux-only (the freedesktop trash); their imports are unused elsewhere.
#![cfg_attr(not(target_os = "linux"), allow(unused_imports))]

use super::fixture;

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use backtop::actions::delete::{recover_markers_with, TRASH_NOTE};
use backtop::actions::marker::{enter_marker, find_markers};
use backtop::actions::remove::{Remover, SystemRemover};
use backtop::actions::{DeleteMode, DeleteStatus};
use fixture::*;

/// A trash that moves into a folder of the test and records the paths it was given.
struct RecordingTrash {
    dir: PathBuf,
    given: Vec<PathBuf>,
}

impl Remover for RecordingTrash {
    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }
    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir(path)
    }
    fn trash(&mut self, path: &Path) -> Result<(), String> {
        self.given.push(path.to_path_buf());
        FolderTrash(self.dir.clone()).trash(path)
    }
}

#[test]
fn trash_moves_from_the_original_path_and_says_the_space_is_still_used() {
    let f = fixture();
    let v = f.archive();
    let before: BTreeSet<u64> = listing(&v).into_iter().map(|(_, n)| n).collect();
    let dir = f.outside.join("Trash");
    std::fs::create_dir(&dir).unwrap();
    let mut trash = RecordingTrash {
        dir: dir.clone(),
        given: vec![],
    };
    let out = delete(&f.item(&v), DeleteMode::Trash, &mut trash);
    assert_eq!(out.status, DeleteStatus::Trashed);
    assert_eq!(out.message, format!("moved to the trash; {TRASH_NOTE}"));
    assert_eq!(
        trash.given,
        std::slice::from_ref(&v),
        "trashed from where it is, no marker"
    );
    let trashed = dir.join(v.file_name().unwrap());
    let after: BTreeSet<u64> = listing(&trashed).into_iter().map(|(_, n)| n).collect();
    assert_eq!(after, before);
    assert!(!v.exists());
    assert!(find_markers(&f.roots()).is_empty());
}

#[test]
fn a_refusing_trash_leaves_the_version_in_place() {
    let f = fixture();
    let v = f.archive();
    let before = listing(&f.root);
    let mut denying = Denying { deny: vec![] };
    let out = delete(&f.item(&v), DeleteMode::Trash, &mut denying);
    assert_eq!(out.status, DeleteStatus::Failed);
    assert_eq!(
        out.message,
        "nothing was deleted: the trash refused it (no trash here); try --permanent"
    );
    assert_eq!(listing(&f.root), before);
    // A trash-mode marker of an older backtop: put back, then trashed from its place; when
    // the trash refuses, the version stays in its place, nowhere else.
    let m = enter_marker(&v, DeleteMode::Trash).unwrap();
    abandon_marker(&m);
    let rec = recover_markers_with(&f.roots(), &mut denying);
    assert_eq!(
        rec[0].message,
        format!(
            "could not finish deleting {} (a delete stopped before it ended): nothing was \
             deleted: the trash refused it (no trash here); try --permanent",
            v.display()
        )
    );
    assert!(rec[0].cleaned, "the marker is gone: {rec:?}");
    assert_eq!(listing(&f.root), before);
}

#[test]
fn a_trash_marker_is_never_put_back_over_something() {
    let f = fixture();
    let v = f.archive();
    let m = enter_marker(&v, DeleteMode::Trash).unwrap();
    abandon_marker(&m);
    std::fs::create_dir(&v).unwrap();
    std::fs::write(v.join("newer"), b"x").unwrap();
    let before = listing(&f.root);
    let rec = recover_markers_with(&f.roots(), &mut Denying { deny: vec![] });
    assert!(!rec[0].cleaned);
    assert!(
        rec[0].message.starts_with(&format!(
            "left the half-done delete {} alone: cannot put it back (",
            m.dir.display()
        )),
        "{}",
        rec[0].message
    );
    assert_eq!(listing(&f.root), before, "nothing moved");
}

/// The real freedesktop trash, the home trash on the same disk: the `.trashinfo` records the
/// version's real place, so "Put Back" returns it there (not into a marker).
///
/// `XDG_DATA_HOME` is process-wide, so the test runs itself again as a child process of the
/// test binary with the variable set there (never in this process, whose other tests run
/// beside it).
#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn the_real_trash_records_the_original_place() {
    const CHILD: &str = "BACKTOP_REAL_TRASH_CHILD";
    let Some(data) = std::env::var_os(CHILD).map(PathBuf::from) else {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["delete_safety::trash::the_real_trash_records_the_original_place"])
            .args(["--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD, &data)
            .env("XDG_DATA_HOME", &data)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("1 passed"), "{text}");
        return;
    };
    let f = fixture();
    let v = f.archive();
    let out = delete(&f.item(&v), DeleteMode::Trash, &mut SystemRemover);
    assert_eq!(out.status, DeleteStatus::Trashed, "{out:?}");
    let name = v.file_name().unwrap().to_string_lossy().into_owned();
    let info = std::fs::read_to_string(data.join(format!("Trash/info/{name}.trashinfo"))).unwrap();
    assert!(info.contains(&format!("Path={}\n", v.display())), "{info}");
    assert!(data
        .join("Trash/files")
        .join(&name)
        .join("Info.plist")
        .is_file());
    assert!(find_markers(&f.roots()).is_empty());
}

/// The home trash on tmpfs (`/dev/shm`), the version on the disk of the temp folder, and no
/// usable volume trash: trashing would copy every byte, so it is refused with the size.
#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn a_trash_on_another_disk_is_refused() {
    use backtop::actions::trash_check::{copy_refusal, trash_problem};
    use std::os::unix::fs::MetadataExt;
    let f = fixture();
    let v = f.archive();
    let Ok(shm) = tempfile::tempdir_in("/dev/shm") else {
        return; // no tmpfs here
    };
    let dev = |p: &Path| std::fs::metadata(p).unwrap().dev();
    if dev(shm.path()) == dev(&v) {
        return; // the same disk: nothing to test
    }
    let home = shm.path().join("Trash");
    let bytes: u64 = listing(&v).iter().map(|(_, n)| n).sum();
    assert_eq!(
        trash_problem(&v, Some(&home), |_| false),
        Err(copy_refusal(bytes))
    );
    assert_eq!(
        trash_problem(&v, Some(&home), |_| true),
        Ok(()),
        "a volume trash can be made"
    );
    let same = f.outside.join("Trash");
    assert_eq!(
        trash_problem(&v, Some(&same), |_| false),
        Ok(()),
        "home trash on the same disk"
    );
    assert!(v.join("Info.plist").is_file());
}

/// A folder trash that raises the job's cancel flag once it trashed something (Esc pressed
/// while the first version was moving).
struct CancelAfterTrash<'a> {
    inner: backtop::actions::trash_bin::FolderTrash,
    flag: &'a std::sync::atomic::AtomicBool,
}

impl Remover for CancelAfterTrash<'_> {
    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        self.inner.remove_file(path)
    }
    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        self.inner.remove_dir(path)
    }
    fn trash(&mut self, path: &Path) -> Result<(), String> {
        let done = self.inner.trash(path);
        self.flag.store(true, std::sync::atomic::Ordering::SeqCst);
        done
    }
    fn trash_problem(&self, path: &Path) -> Result<(), String> {
        self.inner.trash_problem(path)
    }
    fn put_back(&mut self, original: &Path) -> Result<(), String> {
        self.inner.put_back(original)
    }
}

#[test]
fn a_cancelled_trash_delete_puts_back_what_it_moved() {
    use backtop::tasks::{DeleteRequest, JobEvent, JobKind, Jobs, Outcome};
    let f = fixture();
    let first = f.archive();
    let second = f.root.join(format!("{U}-20240301-000000"));
    let before = (listing(&first), listing(&second));
    let bin = f.outside.join(".Trash");
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let mut jobs = Jobs::new(std::sync::Arc::new(move |m| {
        let _ = tx.lock().unwrap().send(m);
    }));
    let request = DeleteRequest {
        paths: vec![first.clone(), second.clone()],
        permanent: false,
        forced: vec![],
        confirm_imazing: false,
    };
    let (library, dir) = (f.library.clone(), bin.clone());
    let id = jobs.spawn(JobKind::Delete { permanent: false }, 2, move |ctx| {
        let mut remover = CancelAfterTrash {
            inner: backtop::actions::trash_bin::FolderTrash::new(dir),
            flag: ctx.cancel_flag(),
        };
        backtop::tasks::delete::run_with(ctx, &request, &library, false, &mut remover)
    });
    jobs.wait(id);
    let summary = rx
        .try_iter()
        .find_map(|m| match m.event {
            JobEvent::Done(Outcome::Deleted(s)) => Some(s),
            _ => None,
        })
        .expect("the delete ended with its summary");
    assert_eq!(
        (summary.gone, summary.put_back, summary.cancelled),
        (0, 1, true),
        "the version trashed before the cancel is put back, the next never started: {summary:?}"
    );
    assert!(summary.failures.is_empty(), "{:?}", summary.failures);
    assert_eq!(
        (listing(&first), listing(&second)),
        before,
        "both versions are where they were, every file and size intact"
    );
    assert_eq!(
        std::fs::read_dir(&bin).unwrap().count(),
        0,
        "nothing stays in the trash"
    );
}

#[test]
fn a_folder_trash_never_puts_back_over_something() {
    use backtop::actions::trash_bin::FolderTrash;
    let f = fixture();
    let v = f.archive();
    let mut trash = FolderTrash::new(f.outside.join(".Trash"));
    let out = delete(&f.item(&v), DeleteMode::Trash, &mut trash);
    assert_eq!(out.status, DeleteStatus::Trashed);
    assert!(!v.exists());
    std::fs::create_dir(&v).unwrap();
    let err = trash.put_back(&v).unwrap_err();
    assert!(err.contains("something else is at"), "{err}");
    std::fs::remove_dir(&v).unwrap();
    trash.put_back(&v).expect("put back once the place is free");
    assert!(v.join("Manifest.db").is_file(), "the version is back");
}
