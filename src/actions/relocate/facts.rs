//! The facts a move plan is decided on, read from the disk: one metadata walk of the tree to
//! copy ([`survey`]), the root's and the destination's state, free space, the library's
//! versions, delete markers and the journal ([`gather`]). [`super::plan::decide`] judges them.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::journal::{Direction, Journal, Phase};
use super::places::{device_parts, is_device_folder, places};
use super::plan::{FarState, JournalFacts, MoveFacts, RootKind, Survey};
use super::tree::walker;
use crate::actions::guard::has_dot_dot;
use crate::actions::index::canonical_keep_last;
use crate::actions::marker::find_markers;
use crate::actions::recovery::process_alive;
use crate::library::discover::discover_library;
use crate::library::locate::named_root;
use crate::library::{BackupState, Library, RootOrigin};

/// Walks `top` (never following a link) and counts what a copy would make; `None` when
/// cancelled or unreadable.
pub fn survey(top: &Path, cancel: &AtomicBool) -> Result<Survey, String> {
    survey_all(std::slice::from_ref(&top.to_path_buf()), cancel)
}

/// [`survey`] of several trees copied together (a file hard-linked from two counts once).
pub fn survey_all(tops: &[PathBuf], cancel: &AtomicBool) -> Result<Survey, String> {
    let mut s = Survey::default();
    // (dev, ino) → links not yet seen in the walk.
    let mut links: HashMap<(u64, u64), u64> = HashMap::new();
    for item in tops.iter().flat_map(|top| walker(top)) {
        if cancel.load(Ordering::Relaxed) {
            return Err("cancelled".into());
        }
        let item = item.map_err(|e| e.to_string())?;
        let meta = item
            .path()
            .symlink_metadata()
            .map_err(|e| format!("{}: {e}", item.path().display()))?;
        let t = meta.file_type();
        if t.is_dir() {
            s.folders += 1;
        } else if t.is_symlink() {
            s.links += 1;
        } else if t.is_file() {
            s.files += 1;
            let first = if meta.nlink() > 1 {
                let left = links
                    .entry((meta.dev(), meta.ino()))
                    .or_insert(meta.nlink());
                let first = *left == meta.nlink();
                *left -= 1;
                first
            } else {
                true
            };
            if first {
                s.apparent_bytes += meta.len();
                s.disk_bytes += meta.blocks() * 512;
            }
        } else if s.special.len() < 5 {
            s.special.push(item.path().to_path_buf());
        }
    }
    s.linked_outside = links.values().filter(|left| **left > 0).count() as u64;
    Ok(s)
}

/// The absolute form of `path`: its deepest existing ancestor canonicalized, the rest kept.
pub fn absolute(path: &Path) -> PathBuf {
    let abs = canonical_keep_last(path);
    let mut rest = Vec::new();
    let mut base = abs.as_path();
    loop {
        if let Ok(c) = base.canonicalize() {
            let mut out = c;
            out.extend(rest.iter().rev());
            return out;
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return abs,
        }
    }
}

/// Discovers what [`gather`] needs to count and check the versions of a move of `root`: the
/// root itself, or for one device's folder the backup root it is in (and, once moved, the
/// folder its link points into: discovery never follows links inside a root).
pub fn discover_for(root: &Path) -> Library {
    let canonical = canonical_keep_last(root);
    let mut discovered = vec![canonical.clone()];
    if let (Some(base), true) = (canonical.parent(), is_device_folder(&canonical)) {
        discovered = vec![base.to_path_buf()];
        if let Some(far) = canonical
            .canonicalize()
            .ok()
            .as_deref()
            .and_then(Path::parent)
        {
            if far != base {
                discovered.push(far.to_path_buf());
            }
        }
    }
    let roots: Vec<_> = discovered
        .iter()
        .map(|p| named_root(p, RootOrigin::Flag))
        .collect();
    discover_library(&roots, time::OffsetDateTime::now_utc())
}

/// What the request names, to gather facts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Away or back.
    pub direction: Direction,
    /// The root's path as given.
    pub root: PathBuf,
    /// DEST as given (a move away).
    pub dest: Option<PathBuf>,
    /// Free bytes to assume instead of asking the volume (tests).
    pub free_override: Option<u64>,
    /// `--read-only`.
    pub read_only: bool,
}

/// Reads the facts for `req` from the disk; `library` is the discovery of the root (for one
/// device's folder, of the backup root it is in).
pub fn gather(req: &Request, library: &Library, cancel: &AtomicBool) -> MoveFacts {
    let root = canonical_keep_last(&req.root);
    let journal = journal_facts(&root);
    let parts = if is_device_folder(&root) {
        match &journal {
            JournalFacts::Found { journal, .. } => journal.note.part_paths(),
            _ => device_parts(&root)
                .into_iter()
                .filter(|p| {
                    let near = root.parent().unwrap_or(&root).join(p);
                    let link =
                        std::fs::symlink_metadata(&near).is_ok_and(|m| m.file_type().is_symlink());
                    // Back: only the folders a move left as links; away: all of them.
                    link || req.direction == Direction::Away
                })
                .collect(),
        }
    } else {
        Vec::new()
    };
    let mut root_kind = root_kind(&root);
    let far = match (&req.dest, &root_kind) {
        (Some(dest), _) => absolute(dest),
        // A move back resumed after its switch: the root is a folder again; the far folder
        // (the original, waiting to be removed) is the journal's.
        (None, _) if req.direction == Direction::Back && back_journal(&journal).is_some() => {
            back_journal(&journal).unwrap_or_default()
        }
        // A device's live folder points to `<far>/<UDID>`.
        (None, RootKind::Link { target }) if !parts.is_empty() => {
            target.parent().map(Path::to_path_buf).unwrap_or_default()
        }
        (None, RootKind::Link { target }) => target.clone(),
        (None, _) => root.clone(),
    };
    let places = places(&root, &far, &parts);
    if req.direction == Direction::Away {
        // The first folder of the device that is not a plain folder says why not.
        if let Some(kind) = places
            .iter()
            .map(|p| self::root_kind(&p.near))
            .find(|k| *k != RootKind::Folder { mount_point: false })
        {
            root_kind = kind;
        }
    }
    let far_state = far_state(&far);
    let sources: Vec<PathBuf> = places
        .iter()
        .map(|p| match req.direction {
            Direction::Away => p.near.clone(),
            Direction::Back => p.far.clone(),
        })
        .collect();
    let copy_volume = match req.direction {
        Direction::Away => far.clone(),
        Direction::Back => root.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let switched = matches!(&journal, JournalFacts::Found { journal, .. } if journal.note.phase >= Phase::Switched);
    let survey = if switched {
        Ok(Survey::default())
    } else {
        survey_all(&sources, cancel)
    };
    let free = req.free_override.or_else(|| free_space(&copy_volume));
    // Discovery may name versions through another spelling of the root (a link, `..`).
    let inside = |p: &Path| {
        let p = canonical_keep_last(p);
        places
            .iter()
            .any(|place| p.starts_with(&place.near) || p.starts_with(&place.far))
            || sources.iter().any(|s| p.starts_with(s))
    };
    let marked = match parts.is_empty() {
        true => root.clone(),
        false => root.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    MoveFacts {
        direction: req.direction,
        far_dot_dot: req.dest.as_deref().is_some_and(has_dot_dot),
        root: root.clone(),
        root_kind,
        far,
        parts,
        far_state,
        versions: library.versions().filter(|v| inside(&v.path)).count() as u64,
        in_progress: library
            .versions()
            .filter(|v| inside(&v.path) && v.state == BackupState::InProgress)
            .map(|v| v.path.clone())
            .collect(),
        half_deletes: find_markers(std::slice::from_ref(&marked))
            .into_iter()
            .map(|m| m.dir)
            .collect(),
        free,
        survey,
        journal,
        read_only: req.read_only,
    }
}

/// The far folder of a recorded move back.
fn back_journal(journal: &JournalFacts) -> Option<PathBuf> {
    match journal {
        JournalFacts::Found { journal, .. } if journal.note.direction == Direction::Back => {
            Some(journal.note.far.clone())
        }
        _ => None,
    }
}

fn root_kind(root: &Path) -> RootKind {
    let Ok(meta) = std::fs::symlink_metadata(root) else {
        return RootKind::Missing;
    };
    if meta.file_type().is_symlink() {
        let target = root.canonicalize().unwrap_or_else(|_| {
            let link = std::fs::read_link(root).unwrap_or_default();
            root.parent().map(|p| p.join(&link)).unwrap_or(link)
        });
        return RootKind::Link { target };
    }
    if !meta.is_dir() {
        return RootKind::Other;
    }
    let parent_dev = root
        .parent()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| m.dev());
    RootKind::Folder {
        mount_point: parent_dev.is_none_or(|d| d != meta.dev()),
    }
}

fn far_state(far: &Path) -> FarState {
    match std::fs::symlink_metadata(far) {
        Err(_) => FarState::Missing,
        Ok(m) if !m.is_dir() => FarState::NotFolder,
        Ok(_) => match std::fs::read_dir(far).map(|mut e| e.next().is_none()) {
            Ok(true) => FarState::Empty,
            _ => FarState::NotEmpty,
        },
    }
}

/// Free bytes on the volume that holds `path` (or its deepest existing ancestor).
fn free_space(path: &Path) -> Option<u64> {
    path.ancestors()
        .find(|p| p.exists())
        .and_then(|p| fs4::available_space(p).ok())
}

fn journal_facts(root: &Path) -> JournalFacts {
    match Journal::find(root) {
        Ok(None) => JournalFacts::None,
        Err(e) => JournalFacts::Foreign(e.to_string()),
        Ok(Some(journal)) => {
            let busy = match journal.lock() {
                Ok(None) => Some("another backtop is moving it now".to_string()),
                Err(e) => Some(format!("cannot lock its journal ({e})")),
                Ok(Some(_lock)) => {
                    let pid = journal.note.pid;
                    (pid != std::process::id() && process_alive(pid))
                        .then(|| format!("the backtop that moves it (pid {pid}) is still running"))
                }
            };
            JournalFacts::Found { journal, busy }
        }
    }
}
