//! Actions on versions: open/reveal, verify, delete (guards, trash or permanent, crash-safe) and prune.
//!
//! Every destructive path goes through [`guard::check_delete`], which alone makes the
//! [`guard::DeletePlanItem`] that [`delete::delete_version`] takes. Nothing here prints or
//! draws: results are data, progress goes to callbacks, cancel is an `AtomicBool`.

pub mod delete;
pub mod duration;
pub mod export;
pub mod guard;
pub mod imazing;
pub mod index;
pub mod marker;
pub mod open;
pub mod prune;
pub mod recheck;
pub mod recovery;
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub mod relocate;
pub mod remove;
#[cfg(unix)]
mod remove_at;
pub mod trash_bin;
pub mod trash_check;
pub mod verify;
mod verify_rows;

#[cfg(test)]
mod test_support;

pub use delete::{delete_version, DeleteOutcome, DeleteStatus};
pub use guard::{
    check_delete, check_delete_in, DeleteOptions, DeletePlanItem, Refusal, RefusalKind, Warning,
};
pub use index::LibraryIndex;
pub use marker::{DeleteMode, DELETE_MARKER_PREFIX};
pub use prune::{plan, PlanEntry, PrunePlan, PrunePolicy, Reason};
pub use recheck::FileId;
pub use recovery::{recover_markers, MarkerRecovery};
pub use remove::DeleteProgress;
