//! The kinds about one device: `stale`, `never_encrypted`, `interrupted`, `damaged`,
//! `low_space`. Each rule is a small function of the device (and, for `low_space`, the
//! figures); `since` is said on each.

use time::OffsetDateTime;

use super::text::{bytes, day, days};
use super::{AlertKind, AlertSettings, Figures, Finding};
use crate::library::{BackupState, Device, Version};

/// Every per-device finding of `device`, in [`AlertKind::ALL`] order.
pub(super) fn device_alerts(
    device: &Device,
    figures: &dyn Figures,
    settings: &AlertSettings,
    now: OffsetDateTime,
) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(stale(device, settings, now));
    out.extend(never_encrypted(device));
    out.extend(interrupted(device));
    out.extend(
        device
            .versions
            .iter()
            .filter(|v| v.state == BackupState::Damaged)
            .map(|v| damaged(Some(device), v)),
    );
    out.extend(low_space(device, figures));
    out
}

/// `stale`: the newest complete backup ([`Device::newest_complete`]; never a damaged or
/// unfinished folder) is older than `max_age`, has no date, or there is none. `since`: its
/// date (the last moment the device was known backed up).
fn stale(device: &Device, settings: &AlertSettings, now: OffsetDateTime) -> Option<Finding> {
    let name = device.display_name();
    let todo = "connect it and back it up (Finder, the Apple Devices app or iMazing)";
    let Some(newest) = device.newest_complete() else {
        let message = format!("{name} has no complete backup: {todo}");
        return Some(Finding::of_device(AlertKind::Stale, device, message));
    };
    let message = match newest.date {
        Some(date) if now - date <= settings.max_age => return None,
        Some(date) => format!(
            "no complete backup of {name} for {} (the newest is from {}; the limit is {}): {todo}",
            days(now - date),
            day(date),
            days(settings.max_age),
        ),
        None => format!("the newest complete backup of {name} has no readable date: {todo}"),
    };
    let found = Finding::of_device(AlertKind::Stale, device, message);
    Some(found.at(&newest.path).since(newest.date))
}

/// `never_encrypted`: no version of the device is encrypted. `since`: its oldest backup.
fn never_encrypted(device: &Device) -> Option<Finding> {
    if device.versions.iter().any(|v| v.encrypted) {
        return None;
    }
    let message = format!(
        "no backup of {} is encrypted, so its Health data, Keychain passwords and call history \
         are not in them: turn on \"Encrypt local backup\" (Finder, Apple Devices or iMazing) \
         and back it up again",
        device.display_name()
    );
    let oldest = device.versions.iter().filter_map(|v| v.date).min();
    let found = Finding::of_device(AlertKind::NeverEncrypted, device, message).since(oldest);
    Some(match device.versions.first() {
        Some(newest) => found.at(&newest.path),
        None => found,
    })
}

/// `interrupted`: the device's newest version (versions are newest first, undated ones last)
/// stopped midway. `since`: its date.
fn interrupted(device: &Device) -> Option<Finding> {
    let newest = device.versions.first()?;
    if newest.state != BackupState::Interrupted {
        return None;
    }
    let name = device.display_name();
    let last = match device.newest_complete().and_then(|v| v.date) {
        Some(date) => format!("the newest complete one is from {}", day(date)),
        None => "there is no complete one".to_string(),
    };
    let when = newest
        .date
        .map(|d| format!(" ({})", day(d)))
        .unwrap_or_default();
    let message = format!(
        "the newest backup of {name}{when} did not finish ({last}): connect it and back it up \
         again; keep the device connected and awake until the backup ends"
    );
    let found = Finding::of_device(AlertKind::Interrupted, device, message);
    Some(found.at(&newest.path).since(newest.date))
}

/// `damaged`: one version is damaged. `since`: its date, when one could be read.
fn damaged(device: Option<&Device>, version: &Version) -> Finding {
    let whose = device.map_or_else(
        || "a backup of an unknown device".to_string(),
        |d| format!("a backup of {}", d.display_name()),
    );
    let problem = version.problem.as_deref().unwrap_or("it could not be read");
    let path = version.path.display();
    let message = format!(
        "{whose} is damaged ({problem}): run `backtop verify {path}`; if it cannot be used, \
         delete it (`backtop rm {path}`) and make a new backup"
    );
    let found = match device {
        Some(d) => Finding::of_device(AlertKind::Damaged, d, message),
        None => Finding::about(AlertKind::Damaged, message),
    };
    found.at(&version.path).since(version.date)
}

/// `damaged` for a version whose device cannot be told.
pub(super) fn orphan_damaged(version: &Version) -> Finding {
    damaged(None, version)
}

/// `low_space`: the device's next backup may not fit on the volume of its newest complete
/// backup, by the rule `du` and the dashboard use ([`Figures::next_backup`]). `since`: unknown.
fn low_space(device: &Device, figures: &dyn Figures) -> Option<Finding> {
    let next = figures.next_backup(device).filter(|n| !n.fits)?;
    let newest = device.newest_complete()?;
    let volume = figures
        .volume_of(&newest.root)
        .map_or_else(|| newest.root.display(), |v| v.path.display());
    let message = format!(
        "the next backup of {} may not fit: it needs about {}, {} is free on {volume}: free \
         space there, or move the backups to a bigger drive (`backtop move`)",
        device.display_name(),
        bytes(next.need),
        bytes(next.free),
    );
    Some(Finding::of_device(AlertKind::LowSpace, device, message).at(&newest.root))
}
