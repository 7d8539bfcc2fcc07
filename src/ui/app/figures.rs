//! Every figure the dashboard derives from several versions' sizes, in one place, computed by
//! `crate::library::usage` (`device_totals`, `library_totals`, `freed_by_deleting`).
//!
//! Rules: totals count each shared inode once; what deleting a set of versions frees is the
//! bytes of inodes whose every link lies inside the set (computed for the set, never summed);
//! "reclaimable" is what pruning old versions can free: the versions `backtop prune --keep 1`
//! removes ([`prunable`]: complete archives and snapshots other than each device's newest
//! complete backup; never a live folder, which the backup app writes its next backup into, nor
//! an unfinished, damaged or undated version); "next backup fits" is [`crate::scan::ScanResults::next_backup`], the rule
//! `backtop du` prints.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::App;
use crate::actions::prune::{self, PrunePolicy};
use crate::library::usage::{self, VersionUsage};
use crate::library::{Device, Version};
use crate::scan::NextBackup;

fn usages<'a>(app: &'a App, versions: impl Iterator<Item = &'a Version>) -> Vec<&'a VersionUsage> {
    versions
        .filter_map(|v| app.results.sized.get(&v.path))
        .collect()
}

/// Size of a device's versions (inodes once) in the measure shown ([`App::measure`]);
/// `None` until one is sized.
pub fn device_total(app: &App, device: &Device) -> Option<u64> {
    let u = usages(app, device.versions.iter());
    (!u.is_empty()).then(|| usage::totals_in(&u, app.measure).bytes)
}

/// The versions pruning can remove: what `backtop prune --keep 1` picks (the prune plan's own
/// rule, so the figure is one an action can free).
pub fn prunable(app: &App) -> BTreeSet<PathBuf> {
    let policy = PrunePolicy {
        keep: Some(1),
        older_than: None,
    };
    prune::plan(&app.library, &policy, app.now)
        .remove
        .into_iter()
        .map(|e| e.path)
        .collect()
}

/// What pruning frees from `device` ([`prunable`]); `None` until one of them is sized (and
/// when it has nothing to prune).
pub fn device_reclaimable(app: &App, device: &Device) -> Option<u64> {
    let prunable = prunable(app);
    let u = usages(
        app,
        device
            .versions
            .iter()
            .filter(|v| prunable.contains(&v.path)),
    );
    (!u.is_empty()).then(|| usage::freed_in(&u, app.measure))
}

/// Whole library: bytes (inodes once), and what pruning frees ([`prunable`]), in the
/// measure shown.
pub fn library_totals(app: &App) -> (u64, u64) {
    let all = usages(app, app.all_devices().flat_map(|d| d.versions.iter()));
    let prunable = prunable(app);
    let going = usages(
        app,
        app.all_devices()
            .flat_map(|d| d.versions.iter())
            .filter(|v| prunable.contains(&v.path)),
    );
    (
        usage::totals_in(&all, app.measure).bytes,
        usage::freed_in(&going, app.measure),
    )
}

/// Whether some figures are still the size cache's (a relaunch, until the rescan reaches
/// them). Cached sizes carry the hard-linked inodes as the last scan saw them, so totals over
/// them are that scan's exact figures (each inode once); they are provisional only in that
/// the disk may have changed since (a new snapshot linking to them, a deleted version). The
/// header says so.
pub fn provisional(app: &App) -> bool {
    !app.results.stale.is_empty()
}

/// Whether `device`'s figures include cached ones ([`provisional`]).
pub fn device_provisional(app: &App, device: &Device) -> bool {
    device
        .versions
        .iter()
        .any(|v| app.results.stale.contains(&v.path))
}

/// What deleting these version paths frees, in the measure shown; `None` when one of them is
/// not sized yet.
pub fn freed_by_paths(app: &App, paths: &[&Path]) -> Option<u64> {
    let u: Option<Vec<&VersionUsage>> = paths.iter().map(|p| app.results.sized.get(*p)).collect();
    u.map(|u| usage::freed_in(&u, app.measure))
}

impl App {
    /// Advisory: whether the device's next full backup fits on its volume, with the figures
    /// (`None` without a sized complete version and its volume). The rule is `du`'s:
    /// [`ScanResults::next_backup`](crate::scan::ScanResults::next_backup).
    pub fn next_backup(&self, device: &Device) -> Option<NextBackup> {
        self.results.next_backup(device)
    }
}
