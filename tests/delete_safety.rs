//! Delete safety on real folders: guards, links, permission failures, cancel, crashes,
//! read-only, and the `rm` command's prompt and exit codes.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use backtop::actions::delete::{
    delete_version_with, recover_markers, recover_markers_with, TRASH_NOTE,
};
use backtop::actions::marker::{enter_marker, find_markers, write_note, MarkerNote, MARKER_NOTE};
use backtop::actions::remove::{Remover, SystemRemover};
use backtop::actions::{
    check_delete, DeleteMode, DeleteOptions, DeletePlanItem, DeleteStatus, RefusalKind,
};
use backtop::commands::rm::{run_with, Console, RmOptions};
use backtop::demo::{write_backup, BackupSpec, FileSpec};
use backtop::library::{BackupState, Device, Library, Version, VersionKind};
use time::macros::datetime;
use time::OffsetDateTime;

const U: &str = "00008030-001A2B3C4D5E6F70";

/// A root with the device's live backup (newest), two archives, and an outside folder.
struct Fixture {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
    library: Library,
}

fn write(path: &Path, date: OffsetDateTime) -> Version {
    let mut spec = BackupSpec::new(U, "Anna's iPhone", "iPhone15,2");
    spec.date = date;
    spec.files = vec![
        FileSpec::new("HomeDomain", "Library/SMS/sms.db", 4096),
        FileSpec::new(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            10_000,
        ),
    ];
    write_backup(path, &spec).unwrap();
    let root = path.parent().unwrap();
    let kind = if path.file_name().unwrap() == U {
        VersionKind::Live
    } else {
        VersionKind::Archive
    };
    let mut v = Version::bare(path, root, kind);
    v.state = BackupState::Complete;
    v.date = Some(date);
    v.udid = Some(U.into());
    v.device_name = Some("Anna's iPhone".into());
    v
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let root = base.join("Backup");
    let outside = base.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("precious.txt"), b"keep me").unwrap();
    let versions = vec![
        write(&root.join(U), datetime!(2024-06-01 0:00 UTC)),
        write(
            &root.join(format!("{U}-20240301-000000")),
            datetime!(2024-03-01 0:00 UTC),
        ),
        write(
            &root.join(format!("{U}-20240101-000000")),
            datetime!(2024-01-01 0:00 UTC),
        ),
    ];
    let library = Library {
        roots: Vec::new(),
        devices: vec![Device {
            udid: U.into(),
            name: Some("Anna's iPhone".into()),
            product_type: None,
            model: None,
            ios: None,
            versions,
        }],
        unreadable: Vec::new(),
        damaged: Vec::new(),
    };
    Fixture {
        _tmp: tmp,
        root,
        outside,
        library,
    }
}

impl Fixture {
    fn roots(&self) -> Vec<PathBuf> {
        vec![self.root.clone()]
    }
    fn archive(&self) -> PathBuf {
        self.root.join(format!("{U}-20240101-000000"))
    }
    fn item(&self, path: &Path) -> DeletePlanItem {
        check_delete(path, &self.library, &DeleteOptions::default()).unwrap()
    }
}

/// Every path under `dir` (not following links), with file sizes.
fn listing(dir: &Path) -> BTreeSet<(PathBuf, u64)> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let len = if e.file_type().is_file() {
                e.metadata().unwrap().len()
            } else {
                0
            };
            (e.path().to_path_buf(), len)
        })
        .collect()
}

fn refusal(path: &Path, lib: &Library, opts: DeleteOptions) -> RefusalKind {
    check_delete(path, lib, &opts).unwrap_err().kind
}

#[test]
fn guards_refuse_what_is_not_a_discovered_version() {
    let f = fixture();
    let no = DeleteOptions::default();
    let force = DeleteOptions { force: true, ..no };
    assert_eq!(
        refusal(&f.outside, &f.library, force),
        RefusalKind::OutsideRoots
    );
    assert_eq!(refusal(&f.root, &f.library, force), RefusalKind::Root);
    assert_eq!(
        refusal(&f.root.join(U).join("Info.plist"), &f.library, force),
        RefusalKind::NotAVersion
    );
    assert_eq!(
        refusal(&f.root.join("nope"), &f.library, force),
        RefusalKind::NotFound
    );
    assert_eq!(
        refusal(&f.root.join(U), &f.library, no),
        RefusalKind::NewestComplete
    );
    assert!(check_delete(&f.root.join(U), &f.library, &force).is_ok());
    let ro = DeleteOptions {
        read_only: true,
        force: true,
        confirm_imazing: true,
    };
    assert_eq!(refusal(&f.archive(), &f.library, ro), RefusalKind::ReadOnly);
    // A path spelled with `..` still resolves to the version.
    let dotted = f
        .root
        .join(U)
        .join("..")
        .join(format!("{U}-20240101-000000"));
    assert_eq!(
        check_delete(&dotted, &f.library, &no).unwrap().path,
        f.archive()
    );
}

#[test]
fn an_in_progress_backup_is_refused() {
    let mut f = fixture();
    f.library.devices[0].versions[1].state = BackupState::InProgress;
    let p = f.root.join(format!("{U}-20240301-000000"));
    assert_eq!(
        refusal(&p, &f.library, DeleteOptions::default()),
        RefusalKind::InProgress
    );
}

#[cfg(unix)]
#[test]
fn a_version_that_is_a_symlink_is_refused() {
    let mut f = fixture();
    let link = f.root.join(format!("{U}-20230101-000000"));
    std::os::unix::fs::symlink(&f.outside, &link).unwrap();
    let mut v = f.library.devices[0].versions[2].clone();
    v.path = link.clone();
    v.folder_name = link.file_name().unwrap().to_string_lossy().into();
    f.library.devices[0].versions.push(v);
    let force = DeleteOptions {
        force: true,
        ..Default::default()
    };
    assert_eq!(refusal(&link, &f.library, force), RefusalKind::Symlink);
    assert!(f.outside.join("precious.txt").exists());
}

#[cfg(unix)]
#[test]
fn links_inside_a_version_are_removed_not_followed() {
    let f = fixture();
    let v = f.archive();
    std::os::unix::fs::symlink(&f.outside, v.join("dir-link")).unwrap();
    std::fs::create_dir_all(v.join("00")).unwrap();
    std::os::unix::fs::symlink(
        f.outside.join("precious.txt"),
        v.join("00").join("file-link"),
    )
    .unwrap();
    let before = listing(&f.outside);
    let item = f.item(&v);
    let never = AtomicBool::new(false);
    let mut last = None;
    let out = delete_version_with(
        &item,
        DeleteMode::Permanent,
        &never,
        &mut SystemRemover,
        &mut |p| last = Some(p),
    );
    assert_eq!(out.status, DeleteStatus::Removed, "{out:?}");
    assert!(!v.exists());
    assert_eq!(listing(&f.outside), before);
    let last = last.unwrap();
    assert_eq!(last.bytes_removed, last.total_bytes);
    assert_eq!(out.bytes_removed, last.total_bytes);
    assert!(find_markers(&f.roots()).is_empty());
    // The other versions are untouched.
    assert!(f.root.join(U).join("Info.plist").is_file());
}

/// Fails `remove_file` for names in `deny`, like a file whose folder is not writable.
struct Denying {
    deny: Vec<String>,
}

impl Remover for Denying {
    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        let name = path.file_name().unwrap().to_string_lossy();
        if self.deny.iter().any(|d| *d == name) {
            return Err(io::Error::from(io::ErrorKind::PermissionDenied));
        }
        std::fs::remove_file(path)
    }
    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir(path)
    }
    fn trash(&mut self, _: &Path) -> Result<(), String> {
        Err("no trash here".into())
    }
}

#[test]
fn a_permission_denied_file_is_reported_and_the_rest_goes() {
    let f = fixture();
    let v = f.archive();
    let item = f.item(&v);
    let mut denying = Denying {
        deny: vec!["Manifest.plist".into()],
    };
    let never = AtomicBool::new(false);
    let out = delete_version_with(
        &item,
        DeleteMode::Permanent,
        &never,
        &mut denying,
        &mut |_| {},
    );
    assert_eq!(out.status, DeleteStatus::Incomplete);
    assert_eq!(out.error_count, 1, "{out:?}");
    assert!(
        out.errors[0].ends_with("Manifest.plist: permission denied"),
        "{:?}",
        out.errors
    );
    let marker = out.marker.clone().unwrap();
    let left = listing(&marker);
    let names: BTreeSet<String> = left
        .iter()
        .map(|(p, _)| {
            p.strip_prefix(&marker)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let want: BTreeSet<String> = [
        "",
        MARKER_NOTE,
        &format!("{U}-20240101-000000"),
        &format!("{U}-20240101-000000/Manifest.plist"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(names, want);
    let note: MarkerNote =
        serde_json::from_slice(&std::fs::read(marker.join(MARKER_NOTE)).unwrap()).unwrap();
    assert!(note
        .stopped
        .unwrap()
        .starts_with("1 entries could not be removed"));
    assert!(f.outside.join("precious.txt").exists());
    // The next start finishes the job.
    let rec = recover_markers(&f.roots());
    assert_eq!(rec.len(), 1);
    assert!(rec[0].cleaned, "{rec:?}");
    assert_eq!(rec[0].original, v);
    assert!(!marker.exists());
}

#[cfg(unix)]
#[test]
fn a_real_unwritable_folder_is_reported_when_not_root() {
    use std::os::unix::fs::PermissionsExt;
    if unsafe { libc::geteuid() } == 0 {
        return; // root ignores permissions; the seam test above covers this case
    }
    let f = fixture();
    let v = f.archive();
    let item = f.item(&v);
    let locked = v.join("00");
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::write(locked.join("stuck"), b"x").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let never = AtomicBool::new(false);
    let out = delete_version_with(
        &item,
        DeleteMode::Permanent,
        &never,
        &mut SystemRemover,
        &mut |_| {},
    );
    let marker = out.marker.clone().unwrap();
    let inner = marker.join(v.file_name().unwrap()).join("00");
    std::fs::set_permissions(&inner, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status, DeleteStatus::Incomplete);
    assert_eq!(out.error_count, 1, "{out:?}");
    assert!(inner.join("stuck").exists());
    assert!(!recover_markers(&f.roots()).is_empty());
    assert!(!marker.exists());
}

#[test]
fn a_crash_between_rename_and_removal_is_finished_at_next_start() {
    let f = fixture();
    let v = f.archive();
    let marker = enter_marker(&v, DeleteMode::Permanent).unwrap(); // then "crash"
    assert!(!v.exists());
    assert_eq!(find_markers(&f.roots()).len(), 1);
    let rec = recover_markers(&f.roots());
    assert_eq!(rec.len(), 1);
    assert!(rec[0].cleaned);
    assert!(
        rec[0]
            .message
            .starts_with("finished an interrupted delete: removed "),
        "{}",
        rec[0].message
    );
    assert!(!marker.dir.exists());
    assert!(!v.exists());
    assert!(f.root.join(U).join("Info.plist").is_file());
}

#[test]
fn a_crash_before_the_rename_leaves_the_version_untouched() {
    let f = fixture();
    let v = f.archive();
    let before = listing(&v);
    let dir = f
        .root
        .join(format!(".backtop-deleting-{U}-20240101-000000-1-2"));
    std::fs::create_dir(&dir).unwrap();
    let note = MarkerNote {
        original_path: v.clone(),
        mode: DeleteMode::Permanent,
        started: 2,
        pid: 1,
        stopped: None,
    };
    write_note(&dir, &note).unwrap();
    let rec = recover_markers(&f.roots());
    assert_eq!(
        rec[0].message,
        "removed a marker of a delete that never started; the version is untouched"
    );
    assert!(!dir.exists());
    assert_eq!(listing(&v), before);
}

#[test]
fn cancel_before_removal_puts_the_version_back() {
    let f = fixture();
    let v = f.archive();
    let before = listing(&v);
    let item = f.item(&v);
    let cancel = AtomicBool::new(true);
    let out = delete_version_with(
        &item,
        DeleteMode::Permanent,
        &cancel,
        &mut SystemRemover,
        &mut |_| {},
    );
    assert_eq!(out.status, DeleteStatus::Cancelled { restored: true });
    assert_eq!(listing(&v), before);
    assert!(find_markers(&f.roots()).is_empty());
}

/// Removes for real, raising the cancel flag after the first file.
struct CancelAfterOne<'a>(&'a AtomicBool);

impl Remover for CancelAfterOne<'_> {
    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        self.0.store(true, Ordering::Relaxed);
        std::fs::remove_file(path)
    }
    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir(path)
    }
    fn trash(&mut self, _: &Path) -> Result<(), String> {
        Err("unused".into())
    }
}

#[test]
fn cancel_midway_leaves_a_marker_that_recovery_finishes() {
    let f = fixture();
    let v = f.archive();
    let item = f.item(&v);
    let cancel = AtomicBool::new(false);
    let out = delete_version_with(
        &item,
        DeleteMode::Permanent,
        &cancel,
        &mut CancelAfterOne(&cancel),
        &mut |_| {},
    );
    assert_eq!(out.status, DeleteStatus::Cancelled { restored: false });
    assert_eq!(out.files_removed, 1);
    assert!(out.marker.as_ref().unwrap().exists());
    let rec = recover_markers(&f.roots());
    assert!(rec[0].cleaned, "{rec:?}");
    assert!(!v.exists());
}

/// A trash that moves into a folder of the test.
struct FolderTrash(PathBuf);

impl Remover for FolderTrash {
    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }
    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir(path)
    }
    fn trash(&mut self, path: &Path) -> Result<(), String> {
        std::fs::rename(path, self.0.join(path.file_name().unwrap())).map_err(|e| e.to_string())
    }
}

#[test]
fn trash_keeps_the_real_name_and_says_the_space_is_still_used() {
    let f = fixture();
    let v = f.archive();
    let before: BTreeSet<u64> = listing(&v).into_iter().map(|(_, n)| n).collect();
    let trash = f.outside.join("Trash");
    std::fs::create_dir(&trash).unwrap();
    let never = AtomicBool::new(false);
    let out = delete_version_with(
        &f.item(&v),
        DeleteMode::Trash,
        &never,
        &mut FolderTrash(trash.clone()),
        &mut |_| {},
    );
    assert_eq!(out.status, DeleteStatus::Trashed);
    assert_eq!(out.message, format!("moved to the trash; {TRASH_NOTE}"));
    let trashed = trash.join(v.file_name().unwrap());
    let after: BTreeSet<u64> = listing(&trashed).into_iter().map(|(_, n)| n).collect();
    assert_eq!(after, before);
    assert!(!v.exists());
    assert!(find_markers(&f.roots()).is_empty());
}

#[test]
fn a_refusing_trash_puts_the_version_back() {
    let f = fixture();
    let v = f.archive();
    let before = listing(&v);
    let never = AtomicBool::new(false);
    let mut denying = Denying { deny: vec![] };
    let out = delete_version_with(
        &f.item(&v),
        DeleteMode::Trash,
        &never,
        &mut denying,
        &mut |_| {},
    );
    assert_eq!(out.status, DeleteStatus::Failed);
    assert_eq!(
        out.message,
        "nothing was deleted: the trash refused it (no trash here); try --permanent"
    );
    assert_eq!(listing(&v), before);
    // Recovery of a trash-mode crash uses the trash, and reports when it cannot.
    let m = enter_marker(&v, DeleteMode::Trash).unwrap();
    let rec = recover_markers_with(&f.roots(), &mut denying);
    assert!(!rec[0].cleaned);
    assert!(rec[0]
        .message
        .starts_with("could not finish an interrupted delete: nothing was deleted"));
    assert!(!m.dir.exists());
    assert_eq!(listing(&v), before);
}

fn rm(f: &Fixture, paths: &[PathBuf], opts: RmOptions, input: Option<&str>) -> (i32, String) {
    let mut out = Vec::new();
    let mut bytes = input.map(|s| s.as_bytes());
    let mut console = Console {
        out: &mut out,
        input: bytes.as_mut().map(|b| b as &mut dyn io::BufRead),
        freed: None,
    };
    let code = run_with(&f.library, paths, &opts, &mut console).unwrap();
    (code, String::from_utf8(out).unwrap())
}

#[test]
fn rm_asks_refuses_and_reports_exit_codes() {
    let f = fixture();
    let v = f.archive();
    let perm = RmOptions {
        permanent: true,
        ..Default::default()
    };
    let before = listing(&f.root);

    let (code, text) = rm(&f, std::slice::from_ref(&v), perm, None);
    assert_eq!(code, 2);
    assert!(
        text.ends_with("not a terminal: refusing to delete without --yes; nothing was deleted\n"),
        "{text}"
    );

    let (code, text) = rm(&f, std::slice::from_ref(&v), perm, Some("n\n"));
    assert_eq!(code, 3);
    assert!(text.contains(&format!("will delete permanently:\n  {}  (archive, Anna's iPhone, 2024-01-01, complete)\nDelete 1 version? [y/N] cancelled", v.display())), "{text}");

    let (code, text) = rm(&f, &[v.clone(), f.root.join(U)], perm, Some("y\n"));
    assert_eq!(code, 2);
    assert_eq!(text, format!("refused: {}: it is the device's newest complete backup (use --force to delete anyway)\nnothing was deleted\n", f.root.join(U).display()));

    let ro = RmOptions {
        read_only: true,
        yes: true,
        ..perm
    };
    let (code, text) = rm(&f, std::slice::from_ref(&v), ro, None);
    assert_eq!(
        (code, text),
        (
            2,
            format!(
                "refused: {}: backtop is in read-only mode\nnothing was deleted\n",
                v.display()
            )
        )
    );
    assert_eq!(listing(&f.root), before);

    let (code, text) = rm(
        &f,
        &[v.clone(), v.join("..").join(v.file_name().unwrap())],
        perm,
        Some("y\n"),
    );
    assert_eq!(code, 0, "{text}");
    assert_eq!(text.matches(": removed ").count(), 1, "{text}");
    assert!(
        text.contains(&format!("{}: removed ", v.display())),
        "{text}"
    );
    assert!(!v.exists());
}

/// The whole demo library, discovered for real: prune it, then crash a delete midway.
#[test]
fn journey_prune_the_demo_library_then_recover_a_crashed_delete() {
    use backtop::commands::prune::{run_with as prune, PruneArgs};
    use backtop::demo::{build_demo, DemoOptions};
    use backtop::library::discover::discover_library;
    use backtop::library::{Root, RootOrigin};

    let now = datetime!(2024-07-01 12:00 UTC);
    let tmp = tempfile::tempdir().unwrap();
    let opts = DemoOptions {
        scale: 0.01,
        now: Some(now),
        ..Default::default()
    };
    let demo = build_demo(&tmp.path().canonicalize().unwrap(), &opts).unwrap();
    let roots: Vec<Root> = demo
        .roots
        .iter()
        .map(|p| Root {
            path: p.clone(),
            origin: RootOrigin::Demo,
            owner: None,
            app: "demo",
        })
        .collect();
    let lib = discover_library(&roots, now);
    let newest: Vec<PathBuf> = lib
        .devices
        .iter()
        .filter_map(|d| backtop::actions::guard::newest_complete(&d.versions))
        .map(|v| v.path.clone())
        .collect();
    let plan = backtop::actions::plan(
        &lib,
        &backtop::actions::PrunePolicy {
            keep: Some(1),
            older_than: None,
        },
        now,
    );
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
    };
    let code = prune(&lib, &args, now, &mut console).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(code, 0, "{text}");
    let after = discover_library(&roots, now);
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

    // A crash right after the rename: discovery no longer lists it; the next start finishes it.
    let victim = after
        .versions()
        .find(|v| !newest.contains(&v.path))
        .expect("a version that is not a newest backup remains")
        .path
        .clone();
    enter_marker(&victim, DeleteMode::Permanent).unwrap();
    let hidden = discover_library(&roots, now);
    assert!(hidden.versions().all(|v| v.path != victim));
    assert_eq!(hidden.versions().count(), after.versions().count() - 1);
    let rec = recover_markers(&demo.roots);
    assert_eq!(rec.len(), 1, "{rec:?}");
    assert!(rec[0].cleaned && rec[0].original == victim, "{rec:?}");
    assert!(find_markers(&demo.roots).is_empty());
}
