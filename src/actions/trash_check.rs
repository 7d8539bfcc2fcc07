//! Will moving a version to the trash be a rename, or a full copy?
//!
//! On Linux and other freedesktop systems, the `trash` crate moves a folder into the home
//! trash (`$XDG_DATA_HOME/Trash`, else `~/.local/share/Trash`) when it is on the same file
//! system, else into the volume's trash (`<top>/.Trash/<uid>` or `<top>/.Trash-<uid>`); when
//! neither can be used it falls back to the home trash on another disk, which copies every
//! byte (hard links become full files), shows no progress, and may fill the home disk.
//! [`same_volume_trash`] finds the trash that would be used and refuses when it is on another
//! device. macOS and Windows trash per volume themselves: nothing is checked there.

use std::path::Path;

/// Which trash a freedesktop trash move would use, as seen from the version's device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrashSpot {
    /// The home trash is on the version's device: a rename.
    HomeSameDevice,
    /// The volume's own trash exists or can be made: a rename.
    Volume,
    /// Only the home trash on another device: a full copy.
    HomeOtherDevice,
}

/// The pure decision: the home trash's device (of its nearest existing folder) against the
/// version's, then whether the volume trash is usable.
pub fn trash_spot(version_dev: u64, home_dev: Option<u64>, volume_usable: bool) -> TrashSpot {
    if home_dev == Some(version_dev) {
        TrashSpot::HomeSameDevice
    } else if volume_usable {
        TrashSpot::Volume
    } else {
        TrashSpot::HomeOtherDevice
    }
}

/// The refusal for a move that would copy `bytes`.
pub fn copy_refusal(bytes: u64) -> String {
    format!(
        "the trash is on another disk: moving would copy {}; use permanent delete \
         (--permanent, or Tab in the dialog)",
        humansize::format_size(bytes, humansize::DECIMAL)
    )
}

/// `Err(reason)` when trashing `path` would copy it to another disk.
#[cfg(all(unix, not(target_os = "macos")))]
pub fn same_volume_trash(path: &Path) -> Result<(), String> {
    trash_problem(path, home_trash().as_deref(), writable)
}

/// [`same_volume_trash`] with the home trash folder given and `can_create(top)` telling
/// whether a `.Trash-<uid>` could be made in a volume's top folder (tests pass their own).
#[cfg(all(unix, not(target_os = "macos")))]
pub fn trash_problem(
    path: &Path,
    home_trash: Option<&Path>,
    can_create: impl Fn(&Path) -> bool,
) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot look at it ({e})"))?;
    let dev = meta.dev();
    let home_dev = home_trash.and_then(nearest_existing).map(|m| m.dev());
    if trash_spot(dev, home_dev, false) == TrashSpot::HomeSameDevice {
        return Ok(());
    }
    let volume_usable =
        top_of_device(path, dev).is_some_and(|top| volume_trash_usable(&top, &can_create));
    match trash_spot(dev, home_dev, volume_usable) {
        TrashSpot::HomeOtherDevice => Err(copy_refusal(apparent_bytes(path))),
        _ => Ok(()),
    }
}

/// `Err(reason)` when trashing `path` would copy it to another disk (not checked here).
#[cfg(not(all(unix, not(target_os = "macos"))))]
pub fn same_volume_trash(_path: &Path) -> Result<(), String> {
    Ok(())
}

/// The home trash folder, as the `trash` crate finds it.
#[cfg(all(unix, not(target_os = "macos")))]
fn home_trash() -> Option<std::path::PathBuf> {
    let non_empty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    non_empty("XDG_DATA_HOME")
        .map(|d| Path::new(&d).join("Trash"))
        .or_else(|| non_empty("HOME").map(|h| Path::new(&h).join(".local/share/Trash")))
}

/// Metadata of `path` or of its nearest existing ancestor.
#[cfg(all(unix, not(target_os = "macos")))]
fn nearest_existing(path: &Path) -> Option<std::fs::Metadata> {
    path.ancestors().find_map(|p| std::fs::metadata(p).ok())
}

/// The highest ancestor of `path` still on device `dev` (the mount's top folder).
#[cfg(all(unix, not(target_os = "macos")))]
fn top_of_device(path: &Path, dev: u64) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let abs = path.parent()?.canonicalize().ok()?;
    abs.ancestors()
        .take_while(|p| std::fs::metadata(p).is_ok_and(|m| m.dev() == dev))
        .last()
        .map(Path::to_path_buf)
}

/// The volume trash at `top` exists or can be made: `.Trash/<uid>` in a real, sticky
/// `.Trash`, or `.Trash-<uid>` (existing, or `can_create(top)`).
#[cfg(all(unix, not(target_os = "macos")))]
fn volume_trash_usable(top: &Path, can_create: impl Fn(&Path) -> bool) -> bool {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    let shared = top.join(".Trash");
    let shared_ok = std::fs::symlink_metadata(&shared)
        .is_ok_and(|m| m.is_dir() && m.permissions().mode() & 0o1000 != 0)
        && shared.join(uid.to_string()).is_dir();
    let own = top.join(format!(".Trash-{uid}"));
    let own_ok = std::fs::symlink_metadata(&own).is_ok_and(|m| m.is_dir());
    shared_ok || own_ok || can_create(top)
}

#[cfg(all(unix, not(target_os = "macos")))]
fn writable(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

/// Apparent bytes of the files under `path` (what a copy writes), links not followed.
#[cfg(all(unix, not(target_os = "macos")))]
fn apparent_bytes(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_trash_on_another_device_is_a_copy() {
        assert_eq!(trash_spot(5, Some(5), false), TrashSpot::HomeSameDevice);
        assert_eq!(trash_spot(5, Some(7), true), TrashSpot::Volume);
        assert_eq!(trash_spot(5, Some(7), false), TrashSpot::HomeOtherDevice);
        assert_eq!(trash_spot(5, None, false), TrashSpot::HomeOtherDevice);
        assert_eq!(
            copy_refusal(3_000_000),
            "the trash is on another disk: moving would copy 3 MB; use permanent delete \
             (--permanent, or Tab in the dialog)"
        );
    }
}
