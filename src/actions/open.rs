//! Open/reveal a version folder: in the local file manager when there is a desktop, else
//! (over SSH, or Linux without a display) copy the path to the user's local clipboard with
//! an OSC 52 escape sequence, which most terminals honour even over SSH.
//!
//! [`open_target`] is pure (it decides from an [`OpenEnv`]); [`execute`] performs a local
//! open; the caller writes the OSC 52 sequence to the terminal.

use std::path::{Path, PathBuf};

use base64::Engine;

/// What is known about the session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenEnv {
    /// `SSH_CONNECTION` or `SSH_TTY` is set.
    pub ssh: bool,
    /// Linux/BSD only: `DISPLAY` or `WAYLAND_DISPLAY` is set.
    pub display: bool,
    /// The OS always has a desktop when local (macOS, Windows).
    pub desktop_os: bool,
}

impl OpenEnv {
    /// Reads the environment of this process.
    pub fn from_process() -> Self {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        OpenEnv {
            ssh: set("SSH_CONNECTION") || set("SSH_TTY"),
            display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            desktop_os: cfg!(any(target_os = "macos", windows)),
        }
    }
}

/// How to show a folder to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenPlan {
    /// Open the folder in Finder, Explorer or the desktop's file manager.
    Local {
        /// The folder.
        path: PathBuf,
    },
    /// No desktop here: copy the path to the local clipboard.
    Remote {
        /// The OSC 52 sequence that puts `path` on the terminal's clipboard.
        osc52: String,
        /// The folder.
        path: PathBuf,
    },
}

/// Decides how to show `path` in `env`.
pub fn open_target(path: &Path, env: &OpenEnv) -> OpenPlan {
    let local = !env.ssh && (env.desktop_os || env.display);
    if local {
        OpenPlan::Local {
            path: path.to_path_buf(),
        }
    } else {
        OpenPlan::Remote {
            osc52: osc52(&path.to_string_lossy()),
            path: path.to_path_buf(),
        }
    }
}

/// The OSC 52 sequence that sets the clipboard to `text`.
pub fn osc52(text: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{b64}\x07")
}

/// Opens a [`OpenPlan::Local`] folder without waiting for the file manager; does nothing for
/// a remote plan (the caller writes its sequence to the terminal).
pub fn execute(plan: &OpenPlan) -> std::io::Result<()> {
    match plan {
        OpenPlan::Local { path } => open::that_detached(path),
        OpenPlan::Remote { .. } => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_local_or_remote() {
        let p = Path::new("/b/U1");
        let env = |ssh, display, desktop_os| OpenEnv {
            ssh,
            display,
            desktop_os,
        };
        let remote = OpenPlan::Remote {
            osc52: "\x1b]52;c;L2IvVTE=\x07".into(),
            path: p.into(),
        };
        let local = OpenPlan::Local { path: p.into() };
        let cases = [
            (env(false, false, true), &local),   // macOS/Windows at the desk
            (env(false, true, false), &local),   // Linux desktop
            (env(false, false, false), &remote), // Linux console
            (env(true, false, true), &remote),   // SSH into a Mac
            (env(true, true, false), &remote),   // SSH with X forwarding: still remote
        ];
        for (e, want) in cases {
            assert_eq!(&open_target(p, &e), want, "{e:?}");
        }
    }

    #[test]
    fn osc52_encodes_utf8() {
        assert_eq!(osc52("é"), "\x1b]52;c;w6k=\x07");
    }
}
