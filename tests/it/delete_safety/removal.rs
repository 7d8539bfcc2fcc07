//! Delete safety, permanent removal on real folders: links inside a version are removed, not
//! followed; a permission-denied file midway is reported and the rest goes; cancel before or
//! during removal; what is left behind is finished by the next start.

// Some tests here are Unix-only (links, modes, inodes); their imports are unused elsewhere.
#![cfg_attr(not(unix), allow(unused_imports))]

use super::fixture;

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use backtop::actions::delete::{delete_version_with, recover_markers};
use backtop::actions::marker::{find_markers, MarkerNote, MARKER_NOTE};
use backtop::actions::remove::{Remover, SystemRemover};
use backtop::actions::{DeleteMode, DeleteStatus};
use fixture::*;

#[cfg(unix)]
#[test]
fn links_inside_a_version_are_removed_not_followed() {
    let f = fixture();
    let v = f.archive();
    std::os::unix::fs::symlink(&f.outside, v.join("dir-link")).unwrap();
    std::fs::create_dir_all(v.join("00")).unwrap();
    std::os::unix::fs::symlink(
        f.outside.join("precious.txt"),
        v.join("00").join("file-link"),
    )
    .unwrap();
    let before = listing(&f.outside);
    let item = f.item(&v);
    let never = AtomicBool::new(false);
    let mut last = None;
    let out = delete_version_with(
        &item,
        DeleteMode::Permanent,
        &never,
        &mut SystemRemover,
        &mut |p| last = Some(p),
    );
    assert_eq!(out.status, DeleteStatus::Removed, "{out:?}");
    assert!(!v.exists());
    assert_eq!(listing(&f.outside), before);
    let last = last.unwrap();
    assert_eq!(last.bytes_removed, last.total_bytes);
    assert_eq!(out.bytes_removed, last.total_bytes);
    assert!(find_markers(&f.roots()).is_empty());
    // The other versions are untouched.
    assert!(f.root.join(U).join("Info.plist").is_file());
}

#[test]
fn a_permission_denied_file_is_reported_and_the_rest_goes() {
    let f = fixture();
    let v = f.archive();
    let item = f.item(&v);
    let mut denying = Denying {
        deny: vec!["Manifest.plist".into()],
    };
    let out = delete(&item, DeleteMode::Permanent, &mut denying);
    assert_eq!(out.status, DeleteStatus::Incomplete);
    assert_eq!(out.error_count, 1, "{out:?}");
    assert!(
        out.errors[0].ends_with("Manifest.plist: permission denied"),
        "{:?}",
        out.errors
    );
    let marker = out.marker.clone().unwrap();
    let names = names_under(&marker);
    let want: BTreeSet<String> = [
        "",
        MARKER_NOTE,
        &format!("{U}-20240101-000000"),
        &format!("{U}-20240101-000000/Manifest.plist"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(names, want);
    let note: MarkerNote =
        serde_json::from_slice(&std::fs::read(marker.join(MARKER_NOTE)).unwrap()).unwrap();
    assert!(note
        .stopped
        .unwrap()
        .starts_with("1 entries could not be removed"));
    assert!(f.outside.join("precious.txt").exists());
    // The next start finishes the job, once the process that started it is gone.
    let stuck = marker.join(v.file_name().unwrap()).join("Manifest.plist");
    let size = std::fs::metadata(&stuck).unwrap().len();
    abandon(&marker);
    let rec = recover_markers(&f.roots());
    assert_eq!(rec.len(), 1);
    assert!(rec[0].cleaned, "{rec:?}");
    assert_eq!(
        rec[0].message,
        format!(
            "finished deleting {} (a delete stopped before it ended): removed 1 files ({size} B)",
            v.display()
        )
    );
    assert_eq!(rec[0].original, v);
    assert!(!marker.exists());
}

#[cfg(unix)]
#[test]
fn a_real_unwritable_folder_is_reported_when_not_root() {
    use std::os::unix::fs::PermissionsExt;
    if unsafe { libc::geteuid() } == 0 {
        return; // root ignores permissions; the seam test above covers this case
    }
    let f = fixture();
    let v = f.archive();
    let item = f.item(&v);
    let locked = v.join("00");
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::write(locked.join("stuck"), b"x").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = delete(&item, DeleteMode::Permanent, &mut SystemRemover);
    let marker = out.marker.clone().unwrap();
    let inner = marker.join(v.file_name().unwrap()).join("00");
    std::fs::set_permissions(&inner, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status, DeleteStatus::Incomplete);
    assert_eq!(out.error_count, 1, "{out:?}");
    assert!(inner.join("stuck").exists());
    abandon(&marker);
    let rec = recover_markers(&f.roots());
    assert_eq!(rec.len(), 1);
    assert!(rec[0].cleaned, "{rec:?}");
    assert_eq!(
        rec[0].message,
        format!(
            "finished deleting {} (a delete stopped before it ended): removed 1 files (1 B)",
            v.display()
        )
    );
    assert!(!marker.exists());
}

#[test]
fn cancel_before_removal_puts_the_version_back() {
    let f = fixture();
    let v = f.archive();
    let before = listing(&v);
    let item = f.item(&v);
    let cancel = AtomicBool::new(true);
    let out = delete_version_with(
        &item,
        DeleteMode::Permanent,
        &cancel,
        &mut SystemRemover,
        &mut |_| {},
    );
    assert_eq!(out.status, DeleteStatus::Cancelled { restored: true });
    assert_eq!(listing(&v), before);
    assert!(find_markers(&f.roots()).is_empty());
}

#[test]
fn cancel_midway_leaves_a_marker_that_recovery_finishes() {
    let f = fixture();
    let v = f.archive();
    let item = f.item(&v);
    let cancel = AtomicBool::new(false);
    let out = delete_version_with(
        &item,
        DeleteMode::Permanent,
        &cancel,
        &mut CancelAfterOne(&cancel),
        &mut |_| {},
    );
    assert_eq!(out.status, DeleteStatus::Cancelled { restored: false });
    assert_eq!(out.files_removed, 1);
    let marker = out.marker.clone().unwrap();
    assert!(marker.exists());
    let rec = recover_markers(&f.roots());
    assert!(!rec[0].cleaned, "this process is still running: {rec:?}");
    abandon(&marker);
    let rec = recover_markers(&f.roots());
    assert!(rec[0].cleaned, "{rec:?}");
    assert!(!v.exists());
}

/// At the first unlink, swaps the version's folders `a` and `b` (inside its marker by now)
/// for links to the outside folder, then removes like the system does.
#[cfg(unix)]
struct Swapping {
    outside: PathBuf,
    swapped: bool,
}

/// The version folder inside its marker, from a path below it.
#[cfg(unix)]
fn version_in_marker(path: &Path) -> PathBuf {
    let in_marker = |p: &&Path| {
        p.parent()
            .and_then(Path::file_name)
            .is_some_and(|n| n.to_string_lossy().starts_with(".backtop-deleting-"))
    };
    path.ancestors().find(in_marker).unwrap().to_path_buf()
}

#[cfg(unix)]
impl Remover for Swapping {
    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }
    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir(path)
    }
    fn trash(&mut self, _: &Path) -> Result<(), String> {
        Err("unused".into())
    }
    fn remove_at(
        &mut self,
        parent: std::os::fd::BorrowedFd<'_>,
        name: &std::ffi::CStr,
        path: &Path,
        dir: bool,
    ) -> io::Result<()> {
        if !self.swapped {
            self.swapped = true;
            let version = version_in_marker(path);
            for d in ["a", "b"] {
                let moved = self.outside.join(format!("moved-{d}"));
                std::fs::rename(version.join(d), moved).unwrap();
                std::os::unix::fs::symlink(&self.outside, version.join(d)).unwrap();
            }
        }
        SystemRemover.remove_at(parent, name, path, dir)
    }
}

/// A folder swapped for a link while the delete runs never leads it outside the version.
#[cfg(unix)]
#[test]
fn a_folder_swapped_for_a_link_midway_does_not_lead_outside() {
    let f = fixture();
    let v = f.archive();
    for d in ["a", "b"] {
        std::fs::create_dir(v.join(d)).unwrap();
        std::fs::write(v.join(d).join("precious.txt"), b"version copy").unwrap();
    }
    let item = f.item(&v);
    let mut swapping = Swapping {
        outside: f.outside.clone(),
        swapped: false,
    };
    let out = delete(&item, DeleteMode::Permanent, &mut swapping);
    assert!(swapping.swapped, "the swap happened: {out:?}");
    assert_eq!(
        std::fs::read(f.outside.join("precious.txt")).unwrap(),
        b"keep me",
        "the file outside survives: {out:?}"
    );
}
