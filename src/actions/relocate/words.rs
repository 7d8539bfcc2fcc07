//! Moves in words, for the CLI and the dashboard alike: the plan ([`plan_text`]) and what an
//! interrupted move left behind ([`interrupted_text`]).

use humansize::{format_size, DECIMAL};

use super::journal::{Direction, MoveNote, Phase};
use super::plan::MovePlan;

/// What the plan says happens to the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Original {
    /// Removed after the switch (`--yes` without `--keep-source`).
    Removed,
    /// Kept (`--keep-source`, or `--yes --keep-source`).
    Kept,
    /// The command asks below the plan.
    AskedBelow,
    /// The dashboard asks once the switch is done.
    AskedAfter,
}

/// The plan in words: what is copied where, the space, what happens to the original (the
/// dry run prints exactly this; the dashboard's move dialog shows it).
pub fn plan_text(plan: &MovePlan, original_fate: Original) -> String {
    let s = &plan.survey;
    let mut out = String::new();
    let (from, to) = match plan.direction {
        Direction::Away => (plan.root.display(), plan.far.display()),
        Direction::Back => (plan.far.display(), plan.root.display()),
    };
    let versions = format!(
        "{} version{}",
        plan.versions,
        if plan.versions == 1 { "" } else { "s" }
    );
    if plan.parts.is_empty() {
        out.push_str(&format!("will move {from} ({versions}) to {to}:\n"));
    } else {
        let base = plan.root.parent().unwrap_or(&plan.root).display();
        let far = plan.far.display();
        out.push_str(&match plan.direction {
            Direction::Away => format!(
                "will move one device's backups ({versions}) in {base} to {far}, its folders \
                 together:\n"
            ),
            Direction::Back => format!(
                "will move one device's backups ({versions}) from {far} back into {base}, its \
                 folders together:\n"
            ),
        });
        for part in &plan.parts {
            out.push_str(&format!("  {}\n", part.display()));
        }
    }
    if let Some(phase) = plan.resume {
        out.push_str(&format!(
            "  resumes the interrupted move ({} done)\n",
            phase.as_str()
        ));
    }
    if plan.resume.is_none_or(|p| p < Phase::Copied) {
        out.push_str(&format!(
            "  copy {} files, {} folders, {} links: {} ({} on disk, hard links counted once and kept)\n",
            s.files,
            s.folders,
            s.links,
            format_size(s.apparent_bytes, DECIMAL),
            format_size(plan.needed, DECIMAL)
        ));
        if let Some(free) = plan.free {
            out.push_str(&format!(
                "  free on the destination's volume: {}\n",
                format_size(free, DECIMAL)
            ));
        }
        out.push_str("  verify: every file read back from the copy and compared by SHA-1\n");
    }
    let switch = match (plan.direction, plan.parts.is_empty()) {
        (Direction::Away, true) => format!(
            "  then {} becomes a link to {}\n",
            plan.root.display(),
            plan.far.display()
        ),
        (Direction::Back, true) => format!(
            "  then the link {} is replaced by the copy\n",
            plan.root.display()
        ),
        (Direction::Away, false) => format!(
            "  then each of these folders becomes a link to its copy in {}\n",
            plan.far.display()
        ),
        (Direction::Back, false) => "  then each of these links is replaced by its copy\n".into(),
    };
    out.push_str(&switch);
    let original = match plan.direction {
        Direction::Away => plan.root.display().to_string(),
        Direction::Back => plan.far.display().to_string(),
    };
    out.push_str(&match original_fate {
        Original::Removed => format!(
            "  the original ({original}) is removed permanently after the verified switch (the \
             trash would keep the space used)\n"
        ),
        Original::Kept => {
            "  the original is kept (run the same move with --yes to remove it)\n".into()
        }
        Original::AskedBelow => "  the original is removed only if you say so below\n".into(),
        Original::AskedAfter => format!(
            "  the original ({original}) stays until you confirm its removal after the verified \
             switch (permanently: the trash would keep the space used)\n"
        ),
    });
    for w in &plan.warnings {
        out.push_str(&format!("  warning: {w}\n"));
    }
    out
}

/// What an interrupted move (its journal's `note`) left, in words, without its paths (the
/// caller shows them): where the original and the copy are and which of them the root's path
/// names now, then what resuming and rolling back would do. True to the phase recorded:
/// nothing is claimed that the journal does not prove.
pub fn interrupted_text(note: &MoveNote) -> String {
    let what = match note.direction {
        Direction::Away => "The move",
        Direction::Back => "The move back",
    };
    let state = match note.phase {
        Phase::Copying => {
            "stopped while copying: the original is untouched and in use; the \
                           partial copy is not in use."
        }
        Phase::Copied => {
            "stopped after the copy, before its verify: the original is \
                          untouched and in use; the copy is whole, not verified, not in use."
        }
        Phase::Verified => {
            "stopped after the verify, before the switch: the original is \
                            untouched and in use; the verified copy is not in use."
        }
        Phase::Switched => {
            "is switched: the verified copy is in use; the original is kept, \
                            whole."
        }
        Phase::Removing => {
            "stopped while removing the original: the verified copy is in use; \
                            the original is partly removed."
        }
    };
    let next = match note.phase {
        Phase::Copying => {
            "Resume copies the rest, verifies and switches; roll back removes \
                           the copy."
        }
        Phase::Copied | Phase::Verified => {
            "Resume verifies and switches; roll back removes \
                                            the copy."
        }
        Phase::Switched => {
            "Resume removes the original permanently; roll back puts it back \
                            and removes the copy."
        }
        Phase::Removing => "Resume finishes removing it; it cannot be rolled back.",
    };
    format!("{what} {state} {next}")
}
