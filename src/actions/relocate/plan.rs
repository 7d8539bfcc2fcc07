//! The move plan: what would be copied where, and every reason to refuse before a byte moves.
//!
//! [`gather`](super::facts::gather) reads the facts from the disk (one metadata walk of the tree to copy, the
//! destination's state and free space, the library's versions, delete markers, the journal);
//! [`decide`] is the pure, table-tested decision on them. The free-space figure can be given
//! instead of read (tests inject it).

use std::path::PathBuf;

use humansize::{format_size, DECIMAL};
use serde::Serialize;

use super::journal::{Direction, Journal, Phase};

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
    #[serde(flatten, serialize_with = "crate::json_path::special::list")]
    pub special: Vec<PathBuf>,
}

impl Survey {
    /// Every entry: what the copy's progress counts to.
    pub fn entries(&self) -> u64 {
        self.files + self.folders + self.links
    }
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
        #[serde(flatten, serialize_with = "crate::json_path::target::serialize")]
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
    /// A move of one device's backups: its folders, relative to the backup root
    /// ([`super::places::device_parts`]); empty for a whole root. `root_kind` is then the
    /// first of them that is not a plain folder (else a folder).
    pub parts: Vec<PathBuf>,
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
    #[serde(flatten, serialize_with = "crate::json_path::root::serialize")]
    pub root: PathBuf,
    /// The far folder.
    #[serde(flatten, serialize_with = "crate::json_path::far::serialize")]
    pub far: PathBuf,
    /// A move of one device's backups: its folders (relative to the backup root, the root's
    /// parent), each moved to the same path under the far folder; empty for a whole root.
    #[serde(flatten, serialize_with = "crate::json_path::parts::list")]
    pub parts: Vec<PathBuf>,
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
    let switched = resume >= Some(Phase::Switched);
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
        parts: facts.parts.clone(),
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
    let moved: Vec<PathBuf> = match (&facts.root_kind, facts.parts.as_slice()) {
        (RootKind::Link { target }, []) => vec![target.clone()],
        (_, []) => vec![facts.root.clone()],
        (_, parts) => super::places::places(&facts.root, &facts.far, parts)
            .into_iter()
            .map(|p| p.near)
            .collect(),
    };
    for root in &moved {
        if facts.far.starts_with(root) {
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

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
