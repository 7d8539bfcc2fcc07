//! Verifying one version: is it finished, do its plists parse, does its manifest open, does
//! every file row have its file (with the right size), and is every file on disk named by a
//! row?
//!
//! The plists are read through [`crate::library::plists::bounded`] (bounded, never through a
//! link, never blocking on a FIFO); `Manifest.db` through
//! [`crate::library::manifest`] (read-only, immutable), streamed row by row; `Manifest.mbdb`
//! through [`crate::library::mbdb`]. An encrypted `Manifest.db` cannot be read without the
//! password: the row checks are skipped and the report says so. Sizes are compared only for
//! unencrypted backups (encrypted contents are padded). A file row whose manifest size is 0 may
//! have no file on disk. The report counts each kind of problem and keeps the first
//! [`EXAMPLES`] examples of each.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::verify_rows::{check_manifest_rows, check_unlisted, RowCheck};
use crate::library::manifest::{probe_db, ManifestError};
use crate::library::plists::bounded;
use crate::library::unlock::UnlockedVersion;
use crate::library::version_state::{file_problem, not_a_dictionary};
use crate::library::{Error, ManifestFormat, Version};

/// How many examples a report keeps per kind of problem.
pub const EXAMPLES: usize = 5;

/// Progress of a verify: manifest rows checked so far, of how many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerifyProgress {
    /// Rows checked.
    pub rows_checked: u64,
    /// Rows in the manifest.
    pub rows_total: u64,
}

/// A kind of problem a verify can find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// `Status.plist` does not say `finished`, or a `Snapshot/` folder is left.
    Unfinished,
    /// A plist is missing or does not parse.
    UnreadablePlist,
    /// The manifest is missing, empty, garbage or truncated.
    UnreadableManifest,
    /// A manifest row whose blob or fileID cannot be read.
    UnreadableRow,
    /// A file row without its file on disk.
    MissingFile,
    /// A file whose size on disk differs from the manifest's.
    SizeMismatch,
    /// A file on disk that no manifest row names.
    UnlistedFile,
    /// A file of an unlocked encrypted backup that does not decrypt (its key, its length, its
    /// padding); `verify --deep` only.
    Undecryptable,
}

impl ProblemKind {
    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            ProblemKind::Unfinished => "unfinished backup",
            ProblemKind::UnreadablePlist => "unreadable plist",
            ProblemKind::UnreadableManifest => "unreadable manifest",
            ProblemKind::UnreadableRow => "unreadable manifest row",
            ProblemKind::MissingFile => "file missing for a manifest row",
            ProblemKind::SizeMismatch => "size differs from the manifest",
            ProblemKind::UnlistedFile => "file no manifest row names",
            ProblemKind::Undecryptable => "file that does not decrypt",
        }
    }
}

/// One kind of problem: how often, and the first examples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The kind.
    pub kind: ProblemKind,
    /// How many times it was found.
    pub count: u64,
    /// The first few occurrences, in words.
    pub examples: Vec<String>,
}

/// What verifying one version found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// The version folder (lossy text in JSON; `verify --json` adds its raw bytes).
    #[serde(serialize_with = "crate::commands::json::lossy_path")]
    pub path: PathBuf,
    /// No problem found.
    pub ok: bool,
    /// Manifest rows checked.
    pub rows_checked: u64,
    /// Content files found on disk.
    pub files_on_disk: u64,
    /// Problems by kind (empty when ok).
    pub problems: Vec<Problem>,
    /// What could not be checked, and why (e.g. encrypted).
    pub notes: Vec<String>,
}

/// The note of an encrypted version whose rows were not checked (no password, or one that
/// did not open it).
pub const NOTE_LOCKED: &str = "Manifest.db is encrypted: file rows were not checked (no password)";

impl VerifyReport {
    /// False for an encrypted version whose rows could not be checked: it is "not checked:
    /// encrypted", not "ok".
    pub fn checked(&self) -> bool {
        !self.notes.iter().any(|n| n == NOTE_LOCKED)
    }
}

/// How to verify: the keys of an unlocked encrypted version, and whether to decrypt every
/// file (`--deep`).
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions<'a> {
    /// The keys, when the password opened the version.
    pub unlocked: Option<&'a UnlockedVersion>,
    /// Decrypt every file, checking its padding and its size against the manifest.
    pub deep: bool,
    /// Why the version stayed locked, when a password was tried on it.
    pub locked_reason: Option<String>,
}

/// Collects problems by kind.
#[derive(Debug, Default)]
pub struct Problems(BTreeMap<ProblemKind, Problem>);

impl Problems {
    /// Records one occurrence.
    pub fn add(&mut self, kind: ProblemKind, example: impl FnOnce() -> String) {
        let p = self.0.entry(kind).or_insert(Problem {
            kind,
            count: 0,
            examples: Vec::new(),
        });
        p.count += 1;
        if p.examples.len() < EXAMPLES {
            p.examples.push(example());
        }
    }
}

/// Verifies `version`, reporting progress as rows are checked.
pub fn verify(version: &Version, progress: impl FnMut(VerifyProgress)) -> VerifyReport {
    verify_with(version, &VerifyOptions::default(), progress)
}

/// [`verify`] with the keys of an unlocked encrypted version: its rows are checked from the
/// decrypted manifest and, with `deep`, every file is decrypted.
pub fn verify_with(
    version: &Version,
    options: &VerifyOptions<'_>,
    mut progress: impl FnMut(VerifyProgress),
) -> VerifyReport {
    let dir = version.path.as_path();
    let mut problems = Problems::default();
    let mut notes = Vec::new();
    let plists = read_plists(dir, &mut problems);
    check_finished(dir, plists.status.as_ref(), &mut problems);
    let said_encrypted = plists
        .manifest
        .as_ref()
        .and_then(|m| m.as_dictionary())
        .and_then(|d| d.get("IsEncrypted"))
        .and_then(|v| v.as_boolean());
    let encrypted = said_encrypted.unwrap_or(version.encrypted);
    let rows = check_rows(
        dir,
        (encrypted, said_encrypted),
        options,
        &mut problems,
        &mut notes,
        &mut progress,
    );
    if encrypted && rows.is_some() && !(options.deep && options.unlocked.is_some()) {
        notes.push("encrypted backup: sizes were not compared (contents are padded)".into());
    }
    if rows.is_none() && notes.iter().any(|n| n == NOTE_LOCKED) {
        if let Some(why) = &options.locked_reason {
            notes.push(format!("not unlocked: {why}"));
        }
    }
    let (rows_checked, files_on_disk) = match rows {
        Some(RowCheck { ids, rows, format }) => {
            let files = check_unlisted(dir, format, &ids, &mut problems);
            (rows, files)
        }
        None => (0, 0),
    };
    let problems: Vec<Problem> = problems.0.into_values().collect();
    VerifyReport {
        path: dir.to_path_buf(),
        ok: problems.is_empty(),
        rows_checked,
        files_on_disk,
        problems,
        notes,
    }
}

/// The row checks of whichever manifest is on disk; `None` when they could not run.
fn check_rows(
    dir: &Path,
    (encrypted, said_encrypted): (bool, Option<bool>),
    options: &VerifyOptions<'_>,
    problems: &mut Problems,
    notes: &mut Vec<String>,
    progress: &mut dyn FnMut(VerifyProgress),
) -> Option<RowCheck> {
    match manifest_format(dir) {
        ManifestFormat::Db => match probe_db(&dir.join("Manifest.db")) {
            Err(Error::Manifest(ManifestError::Encrypted { .. }))
                if said_encrypted == Some(false) =>
            {
                problems.add(ProblemKind::UnreadableManifest, || {
                    "Manifest.db is not an SQLite database, and Manifest.plist says the backup \
                     is not encrypted"
                        .into()
                });
                None
            }
            Err(Error::Manifest(ManifestError::Encrypted { .. })) if options.unlocked.is_none() => {
                notes.push(NOTE_LOCKED.into());
                None
            }
            // Readable, or encrypted and unlocked.
            Ok(()) | Err(Error::Manifest(ManifestError::Encrypted { .. })) => check_manifest_rows(
                dir,
                ManifestFormat::Db,
                encrypted,
                options,
                problems,
                progress,
            ),
            Err(e) => {
                problems.add(ProblemKind::UnreadableManifest, || {
                    file_problem("Manifest.db", &e)
                });
                None
            }
        },
        ManifestFormat::Mbdb => check_manifest_rows(
            dir,
            ManifestFormat::Mbdb,
            encrypted,
            options,
            problems,
            progress,
        ),
        ManifestFormat::None => {
            problems.add(ProblemKind::UnreadableManifest, || {
                "no Manifest.db or Manifest.mbdb".into()
            });
            None
        }
    }
}

/// The three plists, each when it parsed.
struct Plists {
    manifest: Option<plist::Value>,
    status: Option<plist::Value>,
}

fn read_plists(dir: &Path, problems: &mut Problems) -> Plists {
    let mut read = |name: &str| match bounded::value_from_file(&dir.join(name)) {
        Ok(v) if v.as_dictionary().is_some() => Some(v),
        Ok(_) => {
            problems.add(ProblemKind::UnreadablePlist, || not_a_dictionary(name));
            None
        }
        Err(e) => {
            problems.add(ProblemKind::UnreadablePlist, || file_problem(name, &e));
            None
        }
    };
    let _info = read("Info.plist");
    let manifest = read("Manifest.plist");
    let status = read("Status.plist");
    Plists { manifest, status }
}

/// `SnapshotState` must be `finished`, and no `Snapshot/` folder may be left.
fn check_finished(dir: &Path, status: Option<&plist::Value>, problems: &mut Problems) {
    if let Some(status) = status {
        let state = status
            .as_dictionary()
            .and_then(|d| d.get("SnapshotState"))
            .and_then(crate::library::plists::value_string);
        match state.as_deref() {
            Some("finished") => {}
            Some(s) => problems.add(ProblemKind::Unfinished, || {
                format!("Status.plist SnapshotState is {s:?}, not \"finished\"")
            }),
            None => problems.add(ProblemKind::Unfinished, || {
                "Status.plist has no SnapshotState".into()
            }),
        }
    }
    if dir.join("Snapshot").is_dir() {
        problems.add(ProblemKind::Unfinished, || {
            "a Snapshot/ folder is left (restores refuse such a backup)".into()
        });
    }
}

/// Which manifest is on disk (`Manifest.db` wins). A link counts as there (and is then
/// refused by the reader, never followed).
fn manifest_format(dir: &Path) -> ManifestFormat {
    let there = |name: &str| std::fs::symlink_metadata(dir.join(name)).is_ok();
    if there("Manifest.db") {
        ManifestFormat::Db
    } else if there("Manifest.mbdb") {
        ManifestFormat::Mbdb
    } else {
        ManifestFormat::None
    }
}
