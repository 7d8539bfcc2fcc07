//! Where a trash delete puts a version ([`TrashBin`]), and putting it back when the delete is
//! cancelled.
//!
//! The system trash is the default. `--demo` gives its own folder instead (a `.Trash` inside
//! the demo's temporary home, like a Mac's `~/.Trash`), so the demo never writes into the real
//! Trash and what it trashed goes away with it ([`FolderTrash`]).
//!
//! Putting back: a folder trash remembers where each version came from and renames it back;
//! the system trash lists its items where the platform allows it (freedesktop, Windows) and
//! restores the newest one that came from the version's path. On macOS the trash cannot be
//! listed, so the version stays there and the caller says to use Put Back.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use super::remove::{Remover, SystemRemover};

/// Where trash deletes go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TrashBin {
    /// The system trash.
    #[default]
    System,
    /// A folder of backtop's own (the demo's), created when first used.
    Folder(PathBuf),
}

impl TrashBin {
    /// The bin of a run: for `--demo` (its temporary folder `demo_dir`) a `.Trash` inside it,
    /// which goes away with it; else the system trash. The dashboard, `rm` and `prune` use it.
    pub fn of_run(demo_dir: Option<&Path>) -> TrashBin {
        match demo_dir {
            Some(dir) => TrashBin::Folder(dir.join(".Trash")),
            None => TrashBin::System,
        }
    }

    /// The remover that deletes into this bin.
    pub fn remover(&self) -> Box<dyn Remover + Send> {
        match self {
            TrashBin::System => Box::new(SystemRemover),
            TrashBin::Folder(dir) => Box::new(FolderTrash::new(dir.clone())),
        }
    }
}

/// A trash that is a plain folder: trashing renames the version into it (under a free name),
/// putting back renames it back (never over something).
#[derive(Debug, Clone)]
pub struct FolderTrash {
    dir: PathBuf,
    /// Where each version trashed by this remover came from, and where it went.
    moved: HashMap<PathBuf, PathBuf>,
}

impl FolderTrash {
    /// A trash in `dir` (made on first use).
    pub fn new(dir: PathBuf) -> Self {
        FolderTrash {
            dir,
            moved: HashMap::new(),
        }
    }

    /// A name in the trash folder not taken yet: the version's own, else with ` 2`, ` 3`, …
    fn free_name(&self, path: &Path) -> io::Result<PathBuf> {
        let name = path
            .file_name()
            .ok_or_else(|| io::Error::other("it has no name"))?;
        for n in 1..10_000u32 {
            let mut candidate = name.to_os_string();
            if n > 1 {
                candidate.push(format!(" {n}"));
            }
            let at = self.dir.join(candidate);
            if std::fs::symlink_metadata(&at).is_err() {
                return Ok(at);
            }
        }
        Err(io::Error::other("no free name in the trash folder"))
    }
}

impl Remover for FolderTrash {
    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        SystemRemover.remove_file(path)
    }

    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        SystemRemover.remove_dir(path)
    }

    #[cfg(unix)]
    fn remove_at(
        &mut self,
        parent: std::os::fd::BorrowedFd<'_>,
        name: &std::ffi::CStr,
        path: &Path,
        dir: bool,
    ) -> io::Result<()> {
        SystemRemover.remove_at(parent, name, path, dir)
    }

    fn trash(&mut self, path: &Path) -> Result<(), String> {
        let moved = std::fs::create_dir_all(&self.dir)
            .and_then(|()| self.free_name(path))
            .and_then(|at| std::fs::rename(path, &at).map(|()| at));
        match moved {
            Ok(at) => {
                self.moved.insert(path.to_path_buf(), at);
                Ok(())
            }
            Err(e) => Err(format!("{} ({e})", self.dir.display())),
        }
    }

    /// A rename inside one folder tree: never a copy, nothing to check.
    fn trash_problem(&self, _path: &Path) -> Result<(), String> {
        Ok(())
    }

    fn put_back(&mut self, original: &Path) -> Result<(), String> {
        let Some(at) = self.moved.get(original).cloned() else {
            return Err("it is not in this trash".into());
        };
        if std::fs::symlink_metadata(original).is_ok() {
            return Err(format!("something else is at {} now", original.display()));
        }
        std::fs::rename(&at, original).map_err(|e| e.to_string())?;
        self.moved.remove(original);
        Ok(())
    }
}

/// Puts back from the system trash the newest item that came from `original`.
#[cfg(any(
    windows,
    all(
        unix,
        not(target_os = "macos"),
        not(target_os = "ios"),
        not(target_os = "android")
    )
))]
pub(crate) fn system_put_back(original: &Path) -> Result<(), String> {
    let items = trash::os_limited::list().map_err(|e| e.to_string())?;
    let newest = items
        .into_iter()
        .filter(|item| item.original_path() == original)
        .max_by_key(|item| item.time_deleted)
        .ok_or_else(|| "it is no longer in the Trash".to_string())?;
    trash::os_limited::restore_all([newest]).map_err(|e| e.to_string())
}

/// The system trash cannot be listed here: the version stays in the Trash.
#[cfg(not(any(
    windows,
    all(
        unix,
        not(target_os = "macos"),
        not(target_os = "ios"),
        not(target_os = "android")
    )
)))]
pub(crate) fn system_put_back(_original: &Path) -> Result<(), String> {
    Err("it is in the Trash: use the Trash's Put Back".into())
}
