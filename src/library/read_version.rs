//! Reading one backup version folder into a [`Version`].
//!
//! [`read_version`] reads the three plists, checks the manifest file, looks for signs of a
//! backup being written, and fills every field. It never fails and never panics: whatever is
//! wrong ends up in [`Version::state`] and [`Version::problem`].
//!
//! # Identity
//!
//! Name, product type, iOS, build and serial come from `Info.plist`, else from the `Lockdown`
//! dictionary of `Manifest.plist`. The UDID comes from `Info.plist` (`Unique Identifier`, else
//! `Target Identifier`), else `Lockdown` `UniqueDeviceID`, else the folder's name (a UDID, or
//! `UDID-YYYYMMDD-HHMMSS`; for an iMazing snapshot, its parent folder's name). UDIDs are
//! uppercased. The date follows the order documented on [`DateSource`].
//!
//! # State
//!
//! | state | when |
//! |---|---|
//! | `InProgress` | a `Snapshot/` folder exists or `SnapshotState` is not `finished`, and something was written within [`IN_PROGRESS_WINDOW`] (mtime of the folder, `Snapshot/`, `Status.plist`, `Manifest.db`, `Manifest.db-wal`) |
//! | `Damaged` | otherwise, when a required file is missing or unreadable: `Info.plist`, `Manifest.plist`, `Status.plist`, and a manifest (`Manifest.db`: non-empty, SQLite with a `Files` table unless encrypted; else `Manifest.mbdb` starting with `mbdb` with every record whole) |
//! | `Interrupted` | otherwise, when `SnapshotState` is not `finished` or a `Snapshot/` folder is left |
//! | `Complete` | otherwise |
//!
//! # Problems
//!
//! `problem` is `None` for a complete version; otherwise it joins these sentences with `"; "`,
//! in this order (`<plist>` is `Info.plist`, `Manifest.plist` or `Status.plist`; `<age>` is
//! `less than a minute`, `N minutes`, `N hours` under 48 hours, else `N days`):
//!
//! | sentence | meaning |
//! |---|---|
//! | `<plist> is missing` | no such file |
//! | `<plist> could not be read (<io error>)` | the file exists but reading failed (permissions) |
//! | `<plist> is a symbolic link (not followed)` | links inside a backup are never followed |
//! | `<plist> is not a regular file` | a folder, FIFO, socket or device of that name (never opened) |
//! | `<plist> is not a readable plist (truncated or corrupt)` | neither XML nor binary plist |
//! | `<plist> is not a dictionary plist` | an XML or binary plist whose top level is not a dictionary |
//! | `<plist> nests deeper than 64 levels` / `<plist> holds more values than its size allows …` | refused before parsing (see `plists::bounded`) |
//! | `Manifest.db is empty (0 bytes)` | |
//! | `Manifest.db is not an SQLite database` | wrong header, and `Manifest.plist` says not encrypted |
//! | `Manifest.db is a damaged SQLite database (<sqlite error>)` | right header, but SQLite cannot read it |
//! | `Manifest.db has no Files table` | |
//! | `Manifest.db is not a regular file (a folder)` / same for `Manifest.mbdb` | a folder of that name |
//! | `Manifest.db is a symbolic link (not followed)` / `… is not a regular file` | a link, a FIFO (same for `Manifest.mbdb`) |
//! | `Manifest.db could not be read (<io error>)` / same for `Manifest.mbdb` | |
//! | `Manifest.mbdb is empty (0 bytes)` | |
//! | `Manifest.mbdb does not start with "mbdb"` | |
//! | `Manifest.mbdb is not readable (<why>)` | a wrong header version or a malformed record |
//! | `Manifest.mbdb is truncated: its record at byte N is cut short (K whole records before it)` | the file ends inside a record |
//! | `Manifest.mbdb holds no records (only its header)` | a valid header and nothing after it |
//! | `no Manifest.db or Manifest.mbdb` | |
//! | `Status.plist has no SnapshotState` | |
//! | `backup did not finish (SnapshotState = <state>) and nothing has been written for <age>` | unfinished and stale |
//! | `a Snapshot/ folder is left from an unfinished backup` | finished (or unknown) state, stale `Snapshot/` |
//! | `last write <age> ago; may still be running` | the only sentence of an `InProgress` version (recent writes suggest a backup is under way; nothing tells for sure) |
//!
//! Folders that cannot be listed get their sentence from [`discover`](super::discover).

use std::path::Path;

use time::OffsetDateTime;

use super::backup::{BackupState, DateSource, Version, VersionKind};
use super::names;
use super::plists::{self, InfoPlist, ManifestPlist, StatusPlist};
use super::version_state::{check_manifest, decide, plist_problem, Activity};

pub use super::version_state::IN_PROGRESS_WINDOW;

/// Reads the version folder at `path`, found in `root` as a `kind`, judging activity against
/// `now`. Never fails: problems are reported in the returned version.
pub fn read_version(path: &Path, root: &Path, kind: VersionKind, now: OffsetDateTime) -> Version {
    let mut version = Version::bare(path, root, kind);
    let mut problems = Vec::new();
    let info = load(path, "Info.plist", plists::read_info, &mut problems);
    let manifest = load(path, "Manifest.plist", plists::read_manifest, &mut problems);
    let status = load(path, "Status.plist", plists::read_status, &mut problems);

    let encrypted = manifest.as_ref().map(|m| m.is_encrypted);
    version.encrypted = encrypted.unwrap_or(false);
    let (format, manifest_problem) = check_manifest(path, encrypted);
    version.manifest = format;
    problems.extend(manifest_problem);

    fill_identity(&mut version, info.as_ref(), manifest.as_ref());
    let dir_mtime = std::fs::metadata(path)
        .ok()
        .and_then(|m| super::safe_fs::mtime_of(&m));
    let plists = (info.as_ref(), manifest.as_ref(), status.as_ref());
    fill_date(&mut version, plists, dir_mtime);
    if let Some(info) = info {
        version.apps = info.applications;
    }
    let activity = Activity::of_with_dir_mtime(path, dir_mtime);
    let (state, problem) = decide(problems, status.as_ref(), activity, now);
    version.state = state;
    version.problem = problem;
    if state == BackupState::Damaged && version.date_source == DateSource::FolderMtime {
        // A damaged folder's mtime says when it was last touched, not when a backup was made:
        // dated by it, it would read as today's and sort as the newest.
        version.date = None;
        version.date_source = DateSource::Unknown;
    }
    version
}

/// Reads one plist of `dir`, pushing the sentence for its failure onto `problems`.
fn load<T>(
    dir: &Path,
    name: &str,
    read: fn(&Path) -> super::Result<T>,
    problems: &mut Vec<String>,
) -> Option<T> {
    match read(&dir.join(name)) {
        Ok(value) => Some(value),
        Err(e) => {
            problems.push(plist_problem(name, &e));
            None
        }
    }
}

/// Name, product, iOS, build, serial and UDID from the plists, then the folder name.
fn fill_identity(v: &mut Version, info: Option<&InfoPlist>, manifest: Option<&ManifestPlist>) {
    let lockdown = manifest.map(|m| &m.lockdown);
    let pick = |from_info: Option<&str>, from_lockdown: Option<&str>| {
        from_info.or(from_lockdown).map(str::to_string)
    };
    v.device_name = pick(
        info.and_then(InfoPlist::name),
        lockdown.and_then(|l| l.device_name.as_deref()),
    );
    v.product_type = pick(
        info.and_then(|i| i.product_type.as_deref()),
        lockdown.and_then(|l| l.product_type.as_deref()),
    );
    v.ios = pick(
        info.and_then(|i| i.product_version.as_deref()),
        lockdown.and_then(|l| l.product_version.as_deref()),
    );
    v.build = pick(
        info.and_then(|i| i.build_version.as_deref()),
        lockdown.and_then(|l| l.build_version.as_deref()),
    );
    v.serial = pick(
        info.and_then(|i| i.serial_number.as_deref()),
        lockdown.and_then(|l| l.serial_number.as_deref()),
    );
    v.udid = pick(
        info.and_then(InfoPlist::udid),
        lockdown.and_then(|l| l.unique_device_id.as_deref()),
    )
    .map(|u| u.to_ascii_uppercase())
    .or_else(|| udid_from_location(&v.path, v.kind));
}

/// The UDID the folder's place tells: its own name, or for a snapshot its parent's name.
pub fn udid_from_location(path: &Path, kind: VersionKind) -> Option<String> {
    let folder = match kind {
        VersionKind::ImazingSnapshot => path.parent()?,
        VersionKind::Live | VersionKind::Archive => path,
    };
    names::udid_from_name(folder.file_name()?.to_str()?)
}

/// The three plists as read (Info, Manifest, Status).
type Plists<'a> = (
    Option<&'a InfoPlist>,
    Option<&'a ManifestPlist>,
    Option<&'a StatusPlist>,
);

/// The date, in the order of [`DateSource`]; `mtime` is the folder's.
fn fill_date(v: &mut Version, (info, manifest, status): Plists<'_>, mtime: Option<OffsetDateTime>) {
    let name = v.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let from_name = names::parse_archive_name(name)
        .map(|(_, date)| date)
        .or_else(|| names::parse_snapshot_name(name));
    let candidates = [
        (status.and_then(|s| s.date), DateSource::StatusPlist),
        (manifest.and_then(|m| m.date), DateSource::ManifestPlist),
        (info.and_then(|i| i.last_backup_date), DateSource::InfoPlist),
        (from_name, DateSource::FolderName),
        (mtime, DateSource::FolderMtime),
    ];
    if let Some((date, source)) = candidates.into_iter().find(|(d, _)| d.is_some()) {
        v.date = date;
        v.date_source = source;
    }
}
