//! The fixture the `delete_safety_*` tests share: a root with a device's live backup (its
//! newest) and two archives, an outside folder that must survive, removers that fail or
//! trash into a folder, and a way to make a marker look abandoned (its process gone).
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use backtop::actions::delete::delete_version_with;
use backtop::actions::marker::{write_note, Marker, MarkerNote, MARKER_NOTE};
use backtop::actions::remove::Remover;
use backtop::actions::trash_bin::TrashBin;
use backtop::actions::{
    check_delete, DeleteMode, DeleteOptions, DeleteOutcome, DeletePlanItem, RefusalKind,
};
use backtop::commands::rm::{run_with, Console, RmOptions};
use backtop::demo::{write_backup, BackupSpec, FileSpec};
use backtop::library::{BackupState, Device, Library, Version, VersionKind};
use time::macros::datetime;
use time::OffsetDateTime;

pub const U: &str = "00008030-001A2B3C4D5E6F70";

/// A root with the device's live backup (newest), two archives, and an outside folder.
pub struct Fixture {
    pub _tmp: tempfile::TempDir,
    pub root: PathBuf,
    pub outside: PathBuf,
    pub library: Library,
}

pub fn write(path: &Path, date: OffsetDateTime) -> Version {
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

pub fn fixture() -> Fixture {
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
    pub fn roots(&self) -> Vec<PathBuf> {
        vec![self.root.clone()]
    }
    pub fn archive(&self) -> PathBuf {
        self.root.join(format!("{U}-20240101-000000"))
    }
    pub fn item(&self, path: &Path) -> DeletePlanItem {
        check_delete(path, &self.library, &DeleteOptions::default()).unwrap()
    }
}

/// Every path under `dir` (not following links), with file sizes.
pub fn listing(dir: &Path) -> BTreeSet<(PathBuf, u64)> {
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

/// Every path under `dir` (not following links), relative to it.
pub fn names_under(dir: &Path) -> BTreeSet<String> {
    listing(dir)
        .iter()
        .map(|(p, _)| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect()
}

/// Deletes `item` in `mode` through `remover`, never cancelled, ignoring progress.
pub fn delete(item: &DeletePlanItem, mode: DeleteMode, remover: &mut dyn Remover) -> DeleteOutcome {
    delete_version_with(item, mode, &AtomicBool::new(false), remover, &mut |_| {})
}

pub fn refusal(path: &Path, lib: &Library, opts: DeleteOptions) -> RefusalKind {
    check_delete(path, lib, &opts).unwrap_err().kind
}

/// Fails `remove_file` for names in `deny`, like a file whose folder is not writable.
pub struct Denying {
    pub deny: Vec<String>,
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

/// Removes for real, raising the cancel flag after the first file.
pub struct CancelAfterOne<'a>(pub &'a AtomicBool);

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

/// A trash that moves into a folder of the test.
pub struct FolderTrash(pub PathBuf);

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

/// A pid that names no running process: a child that exited and was reaped.
pub fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// Makes the marker at `dir` look abandoned: its note's pid is a process that is gone.
pub fn abandon(dir: &Path) {
    let mut note: MarkerNote =
        serde_json::from_slice(&std::fs::read(dir.join(MARKER_NOTE)).unwrap()).unwrap();
    note.pid = dead_pid();
    write_note(dir, &note).unwrap();
}

/// [`abandon`] for a marker read from disk.
pub fn abandon_marker(m: &Marker) {
    abandon(&m.dir);
}

pub fn rm(f: &Fixture, paths: &[PathBuf], opts: RmOptions, input: Option<&str>) -> (i32, String) {
    let mut out = Vec::new();
    let mut bytes = input.map(|s| s.as_bytes());
    let mut console = Console {
        out: &mut out,
        input: bytes.as_mut().map(|b| b as &mut dyn io::BufRead),
        freed: None,
        trash: TrashBin::System,
    };
    let code = run_with(&f.library, paths, &opts, &mut console).unwrap();
    (code, String::from_utf8(out).unwrap())
}
