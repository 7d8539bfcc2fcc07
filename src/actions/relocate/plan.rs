//! The move plan: what would be copied where, and every reason to refuse before a byte moves.
//!
//! [`gather`] reads the facts from the disk (one metadata walk of the tree to copy, the
//! destination's state and free space, the library's versions, delete markers, the journal);
//! [`decide`] is the pure, table-tested decision on them. The free-space figure can be given
//! instead of read (tests inject it).

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use humansize::{format_size, DECIMAL};
use serde::Serialize;

use super::journal::{Direction, Journal, Phase};
use super::tree::walker;
use crate::actions::guard::has_dot_dot;
use crate::actions::index::canonical_keep_last;
use crate::actions::marker::find_markers;
use crate::actions::recovery::process_alive;
use crate::library::{BackupState, Library};

/// What a tree to copy holds, from one metadata walk (no file is read).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Survey {
    /// Regular files, each hard link counted.
    pub files: u64,
    /// Folders, the top included.
    pub folders: u64,
    /// Symbolic links.
    pub links: u64,
    /// Apparent bytes, each hard-linked file once.
    pub apparent_bytes: u64,
    /// Bytes the files take on disk (`st_blocks`), each hard-linked file once: what the copy
    /// needs, since it keeps holes and hard links.
    pub disk_bytes: u64,
    /// Files that also have hard links outside the tree (the copy cannot share those).
    pub linked_outside: u64,
    /// Entries that are neither file, folder nor link (sockets, devices), first few.
    pub special: Vec<PathBuf>,
}

impl Survey {
    /// Every entry: what the copy's progress counts to.
    pub fn entries(&self) -> u64 {
        self.files + self.folders + self.links
    }
}

/// Walks `top` (never following a link) and counts what a copy would make; `None` when
/// cancelled or unreadable.
pub fn survey(top: &Path, cancel: &AtomicBool) -> Result<Survey, String> {
    let mut s = Survey::default();
    // (dev, ino) → links not yet seen in the walk.
    let mut links: HashMap<(u64, u64), u64> = HashMap::new();
    for item in walker(top) {
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

/// What the root's path is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RootKind {
    /// A real folder; `mount_point` when another volume is mounted there.
    Folder {
        /// A volume is mounted at it.
        mount_point: bool,
    },
    /// A symbolic link to `target` (as resolved, absolute).
    Link {
        /// Where it points.
        target: PathBuf,
    },
    /// Nothing there.
    Missing,
    /// A file or something else that is not a folder.
    Other,
}

/// What the far folder's path holds now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FarState {
    /// Nothing: backtop creates it.
    Missing,
    /// An empty folder.
    Empty,
    /// A folder with entries.
    NotEmpty,
    /// Something that is not a folder.
    NotFolder,
}

/// A journal found for the root, as far as the decision needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalFacts {
    /// None.
    None,
    /// One backtop can resume or roll back.
    Found {
        /// Its note.
        journal: Journal,
        /// Another backtop works on it now (holds its lock, or its process runs).
        busy: Option<String>,
    },
    /// One backtop must leave alone (unreadable note, another root named).
    Foreign(String),
}

/// Everything [`decide`] looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveFacts {
    /// Away or back.
    pub direction: Direction,
    /// The root's path, absolute (its last component not resolved).
    pub root: PathBuf,
    /// What is at the root's path.
    pub root_kind: RootKind,
    /// The far folder, absolute (DEST, or the link's target for a move back).
    pub far: PathBuf,
    /// What the far path holds.
    pub far_state: FarState,
    /// DEST given with a `..` component.
    pub far_dot_dot: bool,
    /// Versions discovery found in the root.
    pub versions: u64,
    /// Versions a backup is being written into now.
    pub in_progress: Vec<PathBuf>,
    /// Half-done deletes (delete markers) in the root.
    pub half_deletes: Vec<PathBuf>,
    /// Free bytes on the volume the copy goes to, when known.
    pub free: Option<u64>,
    /// The tree to copy, or why it could not be walked.
    pub survey: Result<Survey, String>,
    /// The root's journal.
    pub journal: JournalFacts,
    /// `--read-only`.
    pub read_only: bool,
}

/// Why a move was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalKind {
    /// backtop runs with `--read-only`.
    ReadOnly,
    /// Nothing, or not a folder, at the root's path.
    NotFound,
    /// The root holds no backup backtop found.
    NotARoot,
    /// (move away) The root is a link already.
    Symlink,
    /// (move back) The root is not a link.
    NotALink,
    /// A volume is mounted at the root.
    MountPoint,
    /// A backup is being written into one of its versions.
    InProgress,
    /// A delete in it is half done.
    HalfDelete,
    /// DEST lies inside the root (or is it), or the root inside DEST.
    Nested,
    /// DEST holds something.
    DestNotEmpty,
    /// DEST is a file.
    DestNotFolder,
    /// DEST has a `..` component.
    DotDot,
    /// The destination volume has less free space than the copy needs.
    NoSpace,
    /// The tree holds sockets, devices or pipes, or could not be walked.
    Unreadable,
    /// Another move of this root is recorded, or its journal is not backtop's.
    OtherMove,
    /// Another backtop is moving it now.
    Busy,
}

/// A refused move, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// Machine-readable reason.
    pub kind: RefusalKind,
    /// One or two sentences.
    pub reason: String,
}

/// A move that passed every check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovePlan {
    /// Away or back.
    pub direction: Direction,
    /// The root's path.
    pub root: PathBuf,
    /// The far folder.
    pub far: PathBuf,
    /// Versions in the root.
    pub versions: u64,
    /// What will be copied.
    pub survey: Survey,
    /// Bytes the copy needs on its volume.
    pub needed: u64,
    /// Free bytes there, when known.
    pub free: Option<u64>,
    /// The phase an interrupted move resumes after, when it is one.
    pub resume: Option<Phase>,
    /// backtop creates the far folder (a move away to a path that does not exist yet).
    pub makes_far: bool,
    /// Things to know, one sentence each.
    pub warnings: Vec<String>,
}

fn refuse(kind: RefusalKind, reason: impl Into<String>) -> Refusal {
    Refusal {
        kind,
        reason: reason.into(),
    }
}

/// The pure decision on `facts`.
pub fn decide(facts: &MoveFacts) -> Result<MovePlan, Refusal> {
    use RefusalKind as K;
    if facts.read_only {
        return Err(refuse(K::ReadOnly, "backtop is in read-only mode"));
    }
    let resume = resume_phase(facts)?;
    let switched = resume == Some(Phase::Switched);
    if !switched {
        check_root(facts)?;
    }
    if facts.versions == 0 && !switched {
        return Err(refuse(K::NotARoot, "backtop found no backups in it"));
    }
    if let Some(v) = facts.in_progress.first() {
        return Err(refuse(
            K::InProgress,
            format!(
                "a backup is being written into {} now; move it once it has finished",
                v.display()
            ),
        ));
    }
    if let Some(m) = facts.half_deletes.first() {
        return Err(refuse(
            K::HalfDelete,
            format!(
                "a delete in it is half done ({}); run `backtop rm` or the dashboard once to finish it",
                m.display()
            ),
        ));
    }
    if facts.direction == Direction::Away && !switched {
        check_dest(facts, resume.is_some())?;
    } else if facts.direction == Direction::Back
        && !switched
        && facts.far_state != FarState::NotEmpty
    {
        return Err(refuse(
            K::NotFound,
            format!(
                "it points to {}, which is missing or empty (is the drive connected?)",
                facts.far.display()
            ),
        ));
    }
    let survey = facts
        .survey
        .clone()
        .map_err(|e| refuse(K::Unreadable, format!("cannot read what to copy: {e}")))?;
    if let Some(p) = survey.special.first() {
        return Err(refuse(
            K::Unreadable,
            format!(
                "{} is not a file, folder or link; backtop moves only those",
                p.display()
            ),
        ));
    }
    let needed = survey.disk_bytes;
    if let (Some(free), None) = (facts.free, resume) {
        if needed > free {
            return Err(refuse(
                K::NoSpace,
                format!(
                    "the copy needs {} (space on disk, hard links counted once) and the \
                     destination's volume has {} free",
                    format_size(needed, DECIMAL),
                    format_size(free, DECIMAL)
                ),
            ));
        }
    }
    let mut warnings = Vec::new();
    if survey.linked_outside > 0 {
        warnings.push(format!(
            "{} files are also hard-linked from outside {}; their copies cannot share those links \
             and take space of their own",
            survey.linked_outside,
            facts.root.display()
        ));
    }
    Ok(MovePlan {
        direction: facts.direction,
        root: facts.root.clone(),
        far: facts.far.clone(),
        versions: facts.versions,
        survey,
        needed,
        free: facts.free,
        resume,
        makes_far: facts.direction == Direction::Away && facts.far_state == FarState::Missing,
        warnings,
    })
}

/// The phase to resume from, if the journal records this very move; refuses another move.
fn resume_phase(facts: &MoveFacts) -> Result<Option<Phase>, Refusal> {
    use RefusalKind as K;
    match &facts.journal {
        JournalFacts::None => Ok(None),
        JournalFacts::Foreign(why) => Err(refuse(K::OtherMove, why.clone())),
        JournalFacts::Found {
            busy: Some(why), ..
        } => Err(refuse(K::Busy, why.clone())),
        JournalFacts::Found { journal, .. } => {
            let n = &journal.note;
            if n.direction == facts.direction && n.far == facts.far {
                return Ok(Some(n.phase));
            }
            let how = match n.direction {
                Direction::Away => format!(
                    "`backtop move {} --to {}`",
                    n.root.display(),
                    n.far.display()
                ),
                Direction::Back => format!("`backtop move --back {}`", n.root.display()),
            };
            Err(refuse(
                K::OtherMove,
                format!(
                    "an unfinished move of it (to {}, {} done) is recorded in {}; finish it with \
                     {how} or roll it back with `--abort`",
                    n.far.display(),
                    n.phase.as_str(),
                    journal.dir.display()
                ),
            ))
        }
    }
}

fn check_root(facts: &MoveFacts) -> Result<(), Refusal> {
    use RefusalKind as K;
    match (&facts.root_kind, facts.direction) {
        (RootKind::Missing, _) => Err(refuse(K::NotFound, "no such folder")),
        (RootKind::Other, _) => Err(refuse(K::NotFound, "is not a folder")),
        (RootKind::Folder { mount_point: true }, _) => Err(refuse(
            K::MountPoint,
            "a volume is mounted there; backtop moves folders, not volumes",
        )),
        (RootKind::Link { target }, Direction::Away) => Err(refuse(
            K::Symlink,
            format!(
                "is a symbolic link already (to {}); move it back first with `backtop move --back`",
                target.display()
            ),
        )),
        (RootKind::Folder { .. }, Direction::Back) => Err(refuse(
            K::NotALink,
            "is a folder, not a link to a moved backup folder",
        )),
        _ => Ok(()),
    }
}

fn check_dest(facts: &MoveFacts, resuming: bool) -> Result<(), Refusal> {
    use RefusalKind as K;
    if facts.far_dot_dot {
        return Err(refuse(
            K::DotDot,
            "DEST has a `..` component; give it without `..`",
        ));
    }
    let root = match &facts.root_kind {
        RootKind::Link { target } => target.clone(),
        _ => facts.root.clone(),
    };
    if facts.far.starts_with(&root) {
        return Err(refuse(
            K::Nested,
            format!(
                "DEST {} is inside the folder being moved",
                facts.far.display()
            ),
        ));
    }
    if root.starts_with(&facts.far) {
        return Err(refuse(
            K::Nested,
            format!(
                "the folder being moved is inside DEST {}",
                facts.far.display()
            ),
        ));
    }
    match facts.far_state {
        FarState::NotFolder => Err(refuse(K::DestNotFolder, "DEST is a file, not a folder")),
        FarState::NotEmpty if !resuming => Err(refuse(
            K::DestNotEmpty,
            format!(
                "DEST {} is not empty; give a new or empty folder",
                facts.far.display()
            ),
        )),
        _ => Ok(()),
    }
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

/// Reads the facts for `req` from the disk; `library` is the discovery of the root.
pub fn gather(req: &Request, library: &Library, cancel: &AtomicBool) -> MoveFacts {
    let root = canonical_keep_last(&req.root);
    let root_kind = root_kind(&root);
    let far = match (&req.dest, &root_kind) {
        (Some(dest), _) => absolute(dest),
        (None, RootKind::Link { target }) => target.clone(),
        (None, _) => root.clone(),
    };
    let far_state = far_state(&far);
    let journal = journal_facts(&root);
    let (source, copy_volume) = match req.direction {
        Direction::Away => (root.clone(), far.clone()),
        Direction::Back => (
            far.clone(),
            root.parent().map(Path::to_path_buf).unwrap_or_default(),
        ),
    };
    let switched = matches!(&journal, JournalFacts::Found { journal, .. } if journal.note.phase == Phase::Switched);
    let survey = if switched {
        Ok(Survey::default())
    } else {
        survey(&source, cancel)
    };
    let free = req.free_override.or_else(|| free_space(&copy_volume));
    // Discovery may name versions through another spelling of the root (a link, `..`).
    let inside = |p: &Path| {
        let p = canonical_keep_last(p);
        p.starts_with(&root) || p.starts_with(&source)
    };
    MoveFacts {
        direction: req.direction,
        far_dot_dot: req.dest.as_deref().is_some_and(has_dot_dot),
        root: root.clone(),
        root_kind,
        far,
        far_state,
        versions: library.versions().filter(|v| inside(&v.path)).count() as u64,
        in_progress: library
            .versions()
            .filter(|v| inside(&v.path) && v.state == BackupState::InProgress)
            .map(|v| v.path.clone())
            .collect(),
        half_deletes: find_markers(std::slice::from_ref(&root))
            .into_iter()
            .map(|m| m.dir)
            .collect(),
        free,
        survey,
        journal,
        read_only: req.read_only,
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

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
