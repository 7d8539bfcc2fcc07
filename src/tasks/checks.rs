//! The delete guards' verdicts for a delete dialog, before anything is confirmed: one
//! [`TargetCheck`] per path, saying what the dialog must ask of the user ([`Verdict`]). Run as
//! a [`JobKind::Check`](super::JobKind::Check) job whose outcome is [`check_all`]'s answer.

use std::path::{Path, PathBuf};

use crate::actions::guard::{check_delete_in, DeleteOptions, DeletePlanItem, Refusal, RefusalKind};
use crate::actions::LibraryIndex;
use crate::library::{Library, Version};

/// What the delete guards say about one target, before anything is confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// May go; these warnings are shown.
    Allowed {
        /// Sentences to show.
        warnings: Vec<String>,
    },
    /// May go only after typing `name` (newest complete backup, backup in progress).
    NeedsTyping {
        /// Why.
        reason: String,
        /// The device name to type.
        name: String,
    },
    /// May go after confirming this warning (an iMazing snapshot `Versions.db` may list).
    NeedsConfirm {
        /// The warning.
        reason: String,
    },
    /// Never: not a version backtop found, a root, a link, read-only mode...
    Refused {
        /// Why.
        reason: String,
    },
}

impl Verdict {
    /// Display rank in the dialog: what needs typing or confirming first, then warned, then
    /// refused, then plain targets.
    pub fn rank(&self) -> u8 {
        match self {
            Verdict::NeedsTyping { .. } => 0,
            Verdict::NeedsConfirm { .. } => 1,
            Verdict::Allowed { warnings } if !warnings.is_empty() => 2,
            Verdict::Refused { .. } => 3,
            Verdict::Allowed { .. } => 4,
        }
    }

    /// True when the dialog shows a warning or a refusal for it.
    pub fn is_flagged(&self) -> bool {
        self.rank() < 4
    }
}

/// The guards' answer for one target path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetCheck {
    /// The version folder.
    pub path: PathBuf,
    /// What the guards said.
    pub verdict: Verdict,
}

/// The version at `path` in `library`.
pub(super) fn find<'a>(library: &'a Library, path: &Path) -> Option<&'a Version> {
    library.versions().find(|v| v.path == path)
}

/// The guards' verdict for each path, with nothing forced or confirmed yet.
pub fn check_all(paths: &[PathBuf], library: &Library, read_only: bool) -> Vec<TargetCheck> {
    let opts = DeleteOptions {
        read_only,
        ..DeleteOptions::default()
    };
    let index = LibraryIndex::new(library);
    paths
        .iter()
        .map(|path| TargetCheck {
            path: path.clone(),
            verdict: verdict(check_delete_in(path, &index, &opts), find(library, path)),
        })
        .collect()
}

/// Turns a guard result into what the dialog asks of the user.
fn verdict(result: Result<DeletePlanItem, Refusal>, version: Option<&Version>) -> Verdict {
    let refusal = match result {
        Ok(item) => {
            return Verdict::Allowed {
                warnings: item.warnings.into_iter().map(|w| w.message).collect(),
            }
        }
        Err(r) => r,
    };
    let name = version.map(device_name).unwrap_or_default();
    match refusal.kind {
        RefusalKind::NewestComplete => Verdict::NeedsTyping {
            reason: format!("the newest complete backup of {name}"),
            name,
        },
        RefusalKind::InProgress => Verdict::NeedsTyping {
            reason: format!("a backup of {name} is being written into it now"),
            name,
        },
        RefusalKind::NeedsConfirmation => Verdict::NeedsConfirm {
            reason: refusal.reason,
        },
        _ => Verdict::Refused {
            reason: refusal.reason,
        },
    }
}

/// The name to type: the device's name, else its UDID, else the folder's name.
fn device_name(v: &Version) -> String {
    v.device_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| v.udid.clone())
        .unwrap_or_else(|| v.folder_name.clone())
}
