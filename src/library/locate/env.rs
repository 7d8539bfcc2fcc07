//! The environment the root rules read: OS, home and Windows profile folders, the current user,
//! mounted volumes. [`Env::current`] reads the real process; tests build an [`Env`] by hand.

use std::path::{Path, PathBuf};

use crate::library::mounts;

/// The operating system whose layouts apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Os {
    /// macOS: Finder and iMazing under `~/Library/Application Support`.
    MacOs,
    /// Windows: iTunes, Apple Devices and iMazing under the profile and AppData.
    Windows,
    /// Linux and other Unix systems: no default app root, only volumes and given folders.
    Linux,
}

impl Os {
    /// The OS this binary was built for.
    pub fn this() -> Os {
        if cfg!(target_os = "macos") {
            Os::MacOs
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::Linux
        }
    }
}

/// Everything the root rules need to know about the process, as plain values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Env {
    /// Which OS's layouts apply.
    pub os: Os,
    /// The current user's home folder.
    pub home: Option<PathBuf>,
    /// `%APPDATA%` (Windows, `AppData\Roaming`).
    pub appdata: Option<PathBuf>,
    /// `%LOCALAPPDATA%` (Windows, `AppData\Local`).
    pub localappdata: Option<PathBuf>,
    /// `%USERPROFILE%` (Windows).
    pub userprofile: Option<PathBuf>,
    /// The folder holding every user's home (`/Users`, `/home`, `C:\Users`).
    pub users_dir: Option<PathBuf>,
    /// Mount points of removable or extra volumes (not the system volume).
    pub volumes: Vec<PathBuf>,
    /// The current (effective) user's name.
    pub user: Option<String>,
    /// Running as root (effective uid 0 on Unix).
    pub is_root: bool,
    /// Running over SSH (`SSH_CONNECTION` or `SSH_TTY` set).
    pub ssh: bool,
}

impl Env {
    /// An environment for `os` with nothing known; fill in the fields you need.
    pub fn empty(os: Os) -> Env {
        Env {
            os,
            home: None,
            appdata: None,
            localappdata: None,
            userprofile: None,
            users_dir: None,
            volumes: Vec::new(),
            user: None,
            is_root: false,
            ssh: false,
        }
    }

    /// Reads the real process: home and profile folders, user, privileges, SSH, volumes.
    pub fn current() -> Env {
        let os = Os::this();
        let home = dirs::home_dir();
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let (appdata, localappdata, userprofile) = if os == Os::Windows {
            (
                var("APPDATA").map(PathBuf::from).or_else(dirs::config_dir),
                var("LOCALAPPDATA")
                    .map(PathBuf::from)
                    .or_else(dirs::data_local_dir),
                var("USERPROFILE").map(PathBuf::from).or(home.clone()),
            )
        } else {
            (None, None, None)
        };
        let users_dir = match os {
            Os::MacOs => Some(PathBuf::from("/Users")),
            Os::Linux => Some(PathBuf::from("/home")),
            Os::Windows => userprofile
                .as_deref()
                .and_then(Path::parent)
                .map(Path::to_path_buf)
                .or_else(|| Some(PathBuf::from(r"C:\Users"))),
        };
        Env {
            os,
            home,
            appdata,
            localappdata,
            userprofile,
            users_dir,
            volumes: mounted_volumes(os),
            user: current_user(),
            is_root: is_root(),
            ssh: var("SSH_CONNECTION").is_some() || var("SSH_TTY").is_some(),
        }
    }
}

/// Mount points worth looking at for `iMazing.Backups/`: on Linux every real file system of
/// the mount table outside the system's folders ([`mounts::volume_mounts`]); `/Volumes/*` on
/// macOS (where the system mounts every volume; not the boot volume, which is a symbolic link
/// to `/`), drive letters but the system drive on Windows. Nothing is looked into (a stale
/// network mount could block). Only where Linux's table cannot be read are the usual folders
/// guessed from: `/media/*/*`, `/run/media/*/*` and `/mnt/*`.
pub fn mounted_volumes(os: Os) -> Vec<PathBuf> {
    match os {
        Os::MacOs => subdirs(Path::new("/Volumes")),
        Os::Linux => match mounts::current() {
            Some(table) => mounts::volume_mounts(&table),
            None => guessed_linux_volumes(),
        },
        Os::Windows => windows_drives(),
    }
}

/// Linux volumes guessed from folder names, for a system without a readable mount table.
fn guessed_linux_volumes() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for base in ["/media", "/run/media"] {
        for user in subdirs(Path::new(base)) {
            out.extend(subdirs(&user));
        }
    }
    out.extend(subdirs(Path::new("/mnt")));
    out
}

/// Drive letters `C:` to `Z:` that exist, except the system drive (`%SystemDrive%`).
fn windows_drives() -> Vec<PathBuf> {
    let system = std::env::var("SystemDrive")
        .unwrap_or_else(|_| "C:".into())
        .to_ascii_uppercase();
    (b'C'..=b'Z')
        .map(|l| format!("{}:", l as char))
        .filter(|d| *d != system)
        .map(|d| PathBuf::from(format!("{d}\\")))
        .filter(|p| cfg!(windows) && p.is_dir())
        .collect()
}

/// The folders directly inside `dir` by their directory entries (links and dot-names left
/// out, nothing stat'ed), sorted; nothing when it cannot be read.
fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// True when the effective user is root (always false off Unix).
fn is_root() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// The effective user's name: the password database on Unix, else `USER`/`USERNAME`.
fn current_user() -> Option<String> {
    #[cfg(unix)]
    {
        // SAFETY: geteuid has no preconditions and cannot fail.
        let uid = unsafe { libc::geteuid() };
        if let Some(name) = user_name(uid) {
            return Some(name);
        }
    }
    ["USER", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
}

/// The name of the user with id `uid`, from the password database.
#[cfg(unix)]
pub fn user_name(uid: u32) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    // SAFETY: passwd is plain old data; zeroed is a valid value for getpwuid_r to fill.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call, buf outlives the use of pwd's strings.
    let rc = unsafe {
        libc::getpwuid_r(
            uid as libc::uid_t,
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: pw_name points to a NUL-terminated string inside buf, which is still alive.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}
