//! The kinds about roots: `unreachable` (a drive seen before is not connected, a root named in
//! the config file, `--root` or `BACKTOP_ROOTS` is missing, or a root cannot be read) and
//! `duplicate` (one device's backups in several roots).

use std::path::{Path, PathBuf};

use super::text::{backups, bytes};
use super::{AlertKind, Figures, Finding};
use crate::library::{Device, RootOrigin, RootReport, RootStatus, Version};

/// `unreachable` for one root, or `None` when it is fine (or a default location that simply
/// does not exist here). `since`: when an unplugged drive was last seen.
pub(super) fn unreachable(report: &RootReport) -> Option<Finding> {
    let root = &report.root.path;
    let shown = root.display();
    let named = matches!(
        report.root.origin,
        RootOrigin::Config | RootOrigin::Flag | RootOrigin::Env
    );
    let (message, since) = match &report.status {
        RootStatus::Ok { .. } => return None,
        RootStatus::Missing | RootStatus::NotAFolder if !named => return None,
        RootStatus::Missing => (
            format!(
                "{shown} (from {}) does not exist: connect the drive it is on, or remove it \
                 from the roots",
                report.root.origin.as_str()
            ),
            None,
        ),
        RootStatus::NotAFolder => (
            format!(
                "{shown} (from {}) is not a folder: fix the path",
                report.root.origin.as_str()
            ),
            None,
        ),
        RootStatus::DriveNotConnected {
            last_seen,
            backups: count,
            bytes: size,
        } => {
            let size = size.map(|b| format!(", {}", bytes(b))).unwrap_or_default();
            (
                format!(
                    "the drive holding {shown} is not connected (it held {}{size}): connect \
                     it so its backups can be checked; they may well be fine",
                    backups(*count)
                ),
                Some(*last_seen),
            )
        }
        RootStatus::PermissionDenied { advice } | RootStatus::PrivacyBlocked { advice } => {
            (format!("{shown} cannot be read: {advice}"), None)
        }
        RootStatus::Error { message } => (
            format!("{shown} cannot be read ({message}): see `backtop roots`"),
            None,
        ),
    };
    Some(
        Finding::about(AlertKind::Unreachable, message)
            .at(root)
            .since(since),
    )
}

/// `duplicate`: one finding per root holding backups of `device` other than the root of its
/// newest complete (else newest) version, with what deleting them frees when sized. `since`:
/// the oldest backup in that root.
pub(super) fn duplicates(device: &Device, figures: &dyn Figures) -> Vec<Finding> {
    let Some(main) = device.newest_complete().or(device.versions.first()) else {
        return Vec::new();
    };
    let mut others: Vec<(&Path, Vec<&Version>)> = Vec::new();
    for v in device.versions.iter().filter(|v| v.root != main.root) {
        match others.iter_mut().find(|(r, _)| *r == v.root) {
            Some((_, list)) => list.push(v),
            None => others.push((&v.root, vec![v])),
        }
    }
    others
        .into_iter()
        .map(|(root, versions)| {
            let paths: Vec<PathBuf> = versions.iter().map(|v| v.path.clone()).collect();
            let frees = figures
                .freed_by_deleting(&paths)
                .map(|b| {
                    let them = if versions.len() == 1 { "it" } else { "them" };
                    format!(" (deleting {them} frees {})", bytes(b))
                })
                .unwrap_or_default();
            let message = format!(
                "{} also has {} in {}{frees}, besides its newest in {}: unless they are a \
                 deliberate second copy, delete the ones you do not need (`backtop rm`, \
                 `backtop prune`)",
                device.display_name(),
                backups(versions.len()),
                root.display(),
                main.root.display(),
            );
            let oldest = versions.iter().filter_map(|v| v.date).min();
            Finding::of_device(AlertKind::Duplicate, device, message)
                .at(root)
                .since(oldest)
        })
        .collect()
}
