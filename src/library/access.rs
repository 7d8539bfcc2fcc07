//! Whether a root can be read, and if not, why and what to do about it.
//!
//! The discovery lists each root ([`crate::library::discover::versions_in_root`]);
//! [`status_from_listing`] turns that result into a [`RootStatus`]. The mapping from an error
//! to a status with advice is pure: [`classify`] names the failure from the error,
//! [`status_for`] turns it into a status and words, knowing the OS, the path, whether we run
//! over SSH or as root, and who owns the folder.

use std::io;
use std::path::{Component, Path};

use crate::library::locate::{Env, Os};
use crate::library::{Root, RootOrigin, RootReport, RootStatus};

/// Why looking at a root failed, in the terms the advice needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Nothing at the path.
    NotFound,
    /// `EACCES` (Windows: access denied): an ordinary permission problem.
    AccessDenied,
    /// `EPERM`: refused by policy (on macOS, the privacy wall).
    NotPermitted,
    /// A component of the path is not a folder.
    NotADirectory,
    /// Anything else, in words.
    Other(String),
}

/// Names the failure an I/O error stands for.
pub fn classify(err: &io::Error) -> Failure {
    #[cfg(unix)]
    match err.raw_os_error() {
        Some(libc::EPERM) => return Failure::NotPermitted,
        Some(libc::EACCES) => return Failure::AccessDenied,
        Some(libc::ENOTDIR) => return Failure::NotADirectory,
        _ => {}
    }
    match err.kind() {
        io::ErrorKind::NotFound => Failure::NotFound,
        io::ErrorKind::PermissionDenied => Failure::AccessDenied,
        _ => Failure::Other(err.to_string()),
    }
}

/// Advice for the macOS privacy wall when working at the Mac itself.
pub const FULL_DISK_ACCESS: &str = "grant Full Disk Access to your terminal app in System \
Settings → Privacy & Security → Full Disk Access";
/// Advice for the macOS privacy wall over SSH.
pub const REMOTE_FULL_DISK_ACCESS: &str = "turn on 'Allow full disk access for remote users' \
in System Settings → General → Sharing → Remote Login (i)";

/// The status and advice for `failure` on `path`. `owner` is the folder's owner's user name
/// when known. Pure.
pub fn status_for(failure: Failure, path: &Path, env: &Env, owner: Option<&str>) -> RootStatus {
    match failure {
        Failure::NotFound => RootStatus::Missing,
        Failure::NotADirectory => RootStatus::NotAFolder,
        Failure::NotPermitted if env.os == Os::MacOs && privacy_protected(path) => {
            let advice = if env.ssh {
                REMOTE_FULL_DISK_ACCESS
            } else {
                FULL_DISK_ACCESS
            };
            RootStatus::PrivacyBlocked {
                advice: advice.to_owned(),
            }
        }
        Failure::NotPermitted | Failure::AccessDenied => RootStatus::PermissionDenied {
            advice: permission_advice(env, owner),
        },
        Failure::Other(message) => RootStatus::Error { message },
    }
}

/// True where macOS's privacy rules apply: under a `Library` folder, or on another volume.
fn privacy_protected(path: &Path) -> bool {
    let mut parts = path.components();
    let on_volume = matches!(
        (parts.next(), parts.next()),
        (Some(Component::RootDir), Some(Component::Normal(v))) if v == "Volumes"
    );
    on_volume || path.components().any(|c| c.as_os_str() == "Library")
}

/// What to do about an ordinary permission refusal.
fn permission_advice(env: &Env, owner: Option<&str>) -> String {
    let who = owner.unwrap_or("the owner");
    match env.os {
        Os::Windows => format!("run from an administrator terminal, or as {who}"),
        _ if env.is_root => {
            format!("even root is refused here (a network share?): run as {who}")
        }
        _ => format!("run with sudo, or as {who}"),
    }
}

/// The status of `root` from the result of listing it for versions
/// ([`crate::library::discover::versions_in_root`]): the number of versions found, or the
/// error that kept the root from being listed, turned into advice by [`status_for`]. A root
/// that is a link to nothing (a drive unplugged, its link left behind) is an
/// [`RootStatus::Error`] saying so.
pub fn status_from_listing(root: &Root, listing: &io::Result<usize>, env: &Env) -> RootStatus {
    let path = root.path.as_path();
    match listing {
        Ok(backups) => RootStatus::Ok { backups: *backups },
        Err(_) if std::fs::metadata(path).is_ok_and(|m| !m.is_dir()) => RootStatus::NotAFolder,
        Err(e) => match dangling_link(path) {
            Some(message) => RootStatus::Error { message },
            None => status_for(classify(e), path, env, folder_owner(path).as_deref()),
        },
    }
}

/// When `path` is a symbolic link whose target does not exist: the sentence saying so.
fn dangling_link(path: &Path) -> Option<String> {
    let link = std::fs::symlink_metadata(path).ok()?;
    if !link.file_type().is_symlink() || std::fs::metadata(path).is_ok() {
        return None;
    }
    let target = std::fs::read_link(path).ok()?;
    Some(format!(
        "a link to {}, which does not exist (drive not connected?)",
        target.display()
    ))
}

/// True when a report deserves a word in a listing: access failed, the path is not a folder,
/// a remembered drive is unplugged, or a root the user named (`--root`, config,
/// `BACKTOP_ROOTS`) is missing. Missing default, `--home`, all-users and volume layouts are
/// expected (most people use one app) and stay quiet; `backtop roots` still shows them.
pub fn needs_attention(report: &RootReport) -> bool {
    match report.status {
        RootStatus::Ok { .. } => false,
        RootStatus::Missing => matches!(
            report.root.origin,
            RootOrigin::Flag | RootOrigin::Config | RootOrigin::Env
        ),
        _ => true,
    }
}

/// The user name of the folder's owner, when it can be told (Unix only).
fn folder_owner(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path)
            .ok()
            .or_else(|| std::fs::metadata(path.parent()?).ok())?;
        crate::library::locate::user_name(meta.uid())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn env(os: Os, ssh: bool, is_root: bool) -> Env {
        Env {
            ssh,
            is_root,
            ..Env::empty(os)
        }
    }

    fn denied(advice: &str) -> RootStatus {
        RootStatus::PermissionDenied {
            advice: advice.into(),
        }
    }

    fn blocked(advice: &str) -> RootStatus {
        RootStatus::PrivacyBlocked {
            advice: advice.into(),
        }
    }

    /// failure, os, path, ssh, root, owner → status
    type Row = (
        Failure,
        Os,
        &'static str,
        bool,
        bool,
        Option<&'static str>,
        RootStatus,
    );

    const MAC_ROOT: &str = "/Users/ann/Library/Application Support/MobileSync/Backup";
    const FDA: &str = "grant Full Disk Access to your terminal app in System Settings → \
Privacy & Security → Full Disk Access";
    const FDA_SSH: &str = "turn on 'Allow full disk access for remote users' in System \
Settings → General → Sharing → Remote Login (i)";

    #[test]
    fn advice_mapping_row_by_row() {
        use Failure::*;
        use Os::*;
        #[rustfmt::skip]
        let rows: Vec<Row> = vec![
            // failure, os, path, ssh, root, owner → status
            (NotFound, MacOs, MAC_ROOT, false, false, None, RootStatus::Missing),
            (NotADirectory, Linux, "/srv/x", false, false, None, RootStatus::NotAFolder),
            (AccessDenied, Linux, "/home/ann/ios", false, false, Some("ann"), denied("run with sudo, or as ann")),
            (AccessDenied, Linux, "/home/ann/ios", false, false, None, denied("run with sudo, or as the owner")),
            (AccessDenied, Linux, "/mnt/nas/ios", false, true, Some("ann"), denied("even root is refused here (a network share?): run as ann")),
            (AccessDenied, MacOs, MAC_ROOT, false, false, Some("bob"), denied("run with sudo, or as bob")),
            (AccessDenied, Windows, r"C:\Users\bob\Apple", false, false, None, denied("run from an administrator terminal, or as the owner")),
            (NotPermitted, MacOs, MAC_ROOT, false, false, Some("ann"), blocked(FDA)),
            (NotPermitted, MacOs, MAC_ROOT, true, false, Some("ann"), blocked(FDA_SSH)),
            (NotPermitted, MacOs, MAC_ROOT, true, true, None, blocked(FDA_SSH)),
            (NotPermitted, MacOs, "/Volumes/T7/iMazing.Backups", false, false, None, blocked(FDA)),
            (NotPermitted, MacOs, "/data/ios", false, false, Some("ann"), denied("run with sudo, or as ann")),
            (NotPermitted, Linux, "/home/ann/Library/x", false, false, None, denied("run with sudo, or as the owner")),
            (Other("Input/output error".into()), Linux, "/srv/x", false, false, None, RootStatus::Error { message: "Input/output error".into() }),
        ];
        for (i, (failure, os, path, ssh, root, owner, want)) in rows.into_iter().enumerate() {
            let got = status_for(failure, &PathBuf::from(path), &env(os, ssh, root), owner);
            assert_eq!(got, want, "row {i}");
        }
    }

    #[test]
    fn only_named_roots_are_worth_a_word_when_missing() {
        let at = |origin: RootOrigin, status: RootStatus| {
            let root = crate::library::locate::named_root(Path::new("/x"), origin);
            needs_attention(&RootReport { root, status })
        };
        assert!(at(RootOrigin::Flag, RootStatus::Missing));
        assert!(at(RootOrigin::Config, RootStatus::Missing));
        assert!(at(RootOrigin::Env, RootStatus::Missing));
        assert!(!at(RootOrigin::Home, RootStatus::Missing));
        assert!(!at(RootOrigin::Default, RootStatus::Missing));
        assert!(!at(RootOrigin::User, RootStatus::Missing));
        assert!(!at(RootOrigin::Volume, RootStatus::Missing));
        assert!(!at(RootOrigin::Flag, RootStatus::Ok { backups: 0 }));
        assert!(at(RootOrigin::Default, RootStatus::NotAFolder));
        assert!(at(RootOrigin::Home, blocked("x")));
        assert!(at(RootOrigin::User, denied("x")));
    }

    #[test]
    fn classify_tells_errors_apart() {
        let kind = |k: io::ErrorKind| classify(&io::Error::new(k, "x"));
        assert_eq!(kind(io::ErrorKind::NotFound), Failure::NotFound);
        assert_eq!(kind(io::ErrorKind::PermissionDenied), Failure::AccessDenied);
        assert_eq!(kind(io::ErrorKind::Other), Failure::Other("x".into()));
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_root_says_where_it_points() {
        let tmp = tempfile::tempdir().unwrap();
        let link = tmp.path().join("Backups");
        let target = tmp.path().join("T7").join("iMazing.Backups");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let root = crate::library::locate::named_root(&link, RootOrigin::Flag);
        let (_, listing) =
            crate::library::discover::versions_in_root(&root, time::OffsetDateTime::UNIX_EPOCH);
        let status = status_from_listing(&root, &listing, &Env::empty(Os::Linux));
        let message = format!(
            "a link to {}, which does not exist (drive not connected?)",
            target.display()
        );
        assert_eq!(status, RootStatus::Error { message });
    }

    #[cfg(unix)]
    #[test]
    fn classify_tells_eperm_from_eacces() {
        let raw = |n: i32| classify(&io::Error::from_raw_os_error(n));
        assert_eq!(raw(libc::EPERM), Failure::NotPermitted);
        assert_eq!(raw(libc::EACCES), Failure::AccessDenied);
        assert_eq!(raw(libc::ENOENT), Failure::NotFound);
        assert_eq!(raw(libc::ENOTDIR), Failure::NotADirectory);
        let eio = io::Error::from_raw_os_error(libc::EIO);
        assert_eq!(classify(&eio), Failure::Other(eio.to_string()));
    }
}
