//! The prune policy and plan: which versions go, which stay, and why. Pure: no disk access.
//!
//! Per device, complete versions with a date are ranked newest first (live folders count).
//! A version goes when it is an archive or an iMazing snapshot, complete, not the device's
//! newest complete backup, and it is beyond the `keep` newest **and** older than `older_than`
//! (a missing criterion holds for every version; with neither given nothing goes).
//! Never removed: a device's newest complete backup; a live folder (the backup app writes its
//! next backup there; a device backed up by Finder and iMazing has two); versions in
//! progress, interrupted or damaged (reported as skipped: deleting a broken backup is a
//! decision for `backtop rm`, not a policy); versions without a date (their age is unknown;
//! they do not count toward `keep` either). What a plan frees is computed by the caller from
//! sizes, for the whole set (hard links make sums lie).

use std::path::PathBuf;

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::library::device::newest_complete;
use crate::library::{BackupState, Device, Library, Version, VersionKind};

/// What to keep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrunePolicy {
    /// Keep the N newest complete versions of each device.
    pub keep: Option<usize>,
    /// Remove only versions older than this.
    pub older_than: Option<Duration>,
}

/// Why a version goes or stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// Goes: beyond the kept ones and old enough.
    Remove {
        /// Rank among the device's complete versions, newest = 1.
        rank: usize,
        /// Age in whole days.
        age_days: i64,
    },
    /// Stays: the device's newest complete backup.
    NewestComplete,
    /// Stays: a live folder.
    Live,
    /// Stays: among the `keep` newest.
    WithinKeep {
        /// Rank among the device's complete versions, newest = 1.
        rank: usize,
    },
    /// Stays: younger than `older_than`.
    TooYoung {
        /// Age in whole days.
        age_days: i64,
    },
    /// Stays: a backup is being written.
    InProgress,
    /// Stays: an interrupted backup (skipped).
    Interrupted,
    /// Stays: damaged (skipped).
    Damaged,
    /// Stays: no date, so no age.
    NoDate,
    /// Stays: no policy given.
    NoPolicy,
}

impl Reason {
    /// The reason in words.
    pub fn text(&self) -> String {
        match *self {
            Reason::Remove { rank, age_days } => {
                format!("number {rank} by date, {age_days} days old")
            }
            Reason::NewestComplete => "newest complete backup of the device".into(),
            Reason::Live => "live folder (the next backup is written here)".into(),
            Reason::WithinKeep { rank } => format!("number {rank} by date, kept"),
            Reason::TooYoung { age_days } => format!("only {age_days} days old"),
            Reason::InProgress => "skipped: in progress".into(),
            Reason::Interrupted => "skipped: interrupted".into(),
            Reason::Damaged => "skipped: damaged".into(),
            Reason::NoDate => "skipped: date unknown".into(),
            Reason::NoPolicy => "no policy given".into(),
        }
    }
}

/// One version in a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanEntry {
    /// The version folder.
    #[serde(flatten, serialize_with = "crate::json_path::path::serialize")]
    pub path: PathBuf,
    /// Its device's UDID, when known.
    pub udid: Option<String>,
    /// The device's display name, when known.
    pub device: Option<String>,
    /// Live, archive or snapshot.
    pub kind: VersionKind,
    /// Complete, in progress, ...
    pub state: BackupState,
    /// Its date.
    #[serde(with = "time::serde::rfc3339::option")]
    pub date: Option<OffsetDateTime>,
    /// Why it goes or stays.
    #[serde(flatten)]
    pub reason: Reason,
}

/// What a policy removes and keeps, in library order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PrunePlan {
    /// Versions to delete.
    pub remove: Vec<PlanEntry>,
    /// Versions that stay, with why.
    pub keep: Vec<PlanEntry>,
}

/// Plans what `policy` removes from `library` at time `now`.
pub fn plan(library: &Library, policy: &PrunePolicy, now: OffsetDateTime) -> PrunePlan {
    let mut out = PrunePlan::default();
    for device in &library.devices {
        for (version, reason) in plan_device(device, policy, now) {
            let entry = entry(version, Some(device), reason);
            match reason {
                Reason::Remove { .. } => out.remove.push(entry),
                _ => out.keep.push(entry),
            }
        }
    }
    for v in &library.damaged {
        out.keep.push(entry(v, None, state_reason(v.state)));
    }
    out
}

fn entry(v: &Version, device: Option<&Device>, reason: Reason) -> PlanEntry {
    PlanEntry {
        path: v.path.clone(),
        udid: v.udid.clone().or_else(|| device.map(|d| d.udid.clone())),
        device: device.map(|d| d.display_name().to_string()),
        kind: v.kind,
        state: v.state,
        date: v.date,
        reason,
    }
}

/// The reason of a version that is not complete.
fn state_reason(state: BackupState) -> Reason {
    match state {
        BackupState::InProgress => Reason::InProgress,
        BackupState::Interrupted => Reason::Interrupted,
        _ => Reason::Damaged,
    }
}

/// Each version of `device` with its reason.
fn plan_device<'a>(
    device: &'a Device,
    policy: &PrunePolicy,
    now: OffsetDateTime,
) -> Vec<(&'a Version, Reason)> {
    let newest = newest_complete(&device.versions).map(|v| &v.path);
    let mut ranked: Vec<&Version> = device
        .versions
        .iter()
        .filter(|v| v.is_complete() && v.date.is_some())
        .collect();
    ranked.sort_by_key(|v| std::cmp::Reverse(v.date));
    let rank_of = |v: &Version| ranked.iter().position(|r| r.path == v.path).map(|i| i + 1);
    device
        .versions
        .iter()
        .map(|v| {
            let reason = match (v.is_complete(), v.date, rank_of(v)) {
                (false, _, _) => state_reason(v.state),
                _ if Some(&v.path) == newest => Reason::NewestComplete,
                (_, None, _) | (_, _, None) => Reason::NoDate,
                _ if v.kind == VersionKind::Live => Reason::Live,
                (true, Some(date), Some(rank)) => judge(policy, rank, now - date),
            };
            (v, reason)
        })
        .collect()
}

/// The policy's verdict on a complete, dated archive or snapshot.
fn judge(policy: &PrunePolicy, rank: usize, age: Duration) -> Reason {
    let age_days = age.whole_days();
    if policy.keep.is_none() && policy.older_than.is_none() {
        return Reason::NoPolicy;
    }
    if policy.keep.is_some_and(|k| rank <= k) {
        return Reason::WithinKeep { rank };
    }
    if policy.older_than.is_some_and(|d| age <= d) {
        return Reason::TooYoung { age_days };
    }
    Reason::Remove { rank, age_days }
}

#[cfg(test)]
#[path = "prune_tests.rs"]
mod tests;
