//! Open/reveal a version folder: in the local file manager when there is a desktop, else
//! (over SSH, or Linux without a display) copy the path to the user's local clipboard with
//! an OSC 52 escape sequence, which most terminals honour even over SSH. Inside tmux or GNU
//! screen (`$TMUX`, `$STY`) the sequence is wrapped for the multiplexer's passthrough, which
//! would otherwise swallow it; the terminal never answers a copy, so there it is reported as
//! sent but not confirmed.
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
    /// The multiplexer backtop runs in, if any (`$TMUX`, else `$STY`).
    pub multiplexer: Option<Multiplexer>,
}

/// A terminal multiplexer between backtop and the user's terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Multiplexer {
    /// tmux: passes a wrapped sequence on only with `allow-passthrough on` (tmux 3.3+).
    Tmux,
    /// GNU screen: passes DCS strings of up to 768 bytes on.
    Screen,
}

impl Multiplexer {
    /// What the status line says after a copy through it: sent, but not confirmed.
    pub fn unconfirmed_note(self) -> &'static str {
        match self {
            Multiplexer::Tmux => {
                "copy sent through tmux, not confirmed (needs allow-passthrough on)"
            }
            Multiplexer::Screen => "copy sent through screen, not confirmed",
        }
    }
}

impl OpenEnv {
    /// Reads the environment of this process.
    pub fn from_process() -> Self {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        OpenEnv {
            ssh: set("SSH_CONNECTION") || set("SSH_TTY"),
            display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            desktop_os: cfg!(any(target_os = "macos", windows)),
            multiplexer: if set("TMUX") {
                Some(Multiplexer::Tmux)
            } else if set("STY") {
                Some(Multiplexer::Screen)
            } else {
                None
            },
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
        /// The OSC 52 sequence that puts `path` on the terminal's clipboard, wrapped for
        /// `through`.
        osc52: String,
        /// The folder.
        path: PathBuf,
        /// The multiplexer the sequence must pass; the copy cannot be confirmed then.
        through: Option<Multiplexer>,
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
            osc52: passthrough(&osc52(&path.to_string_lossy()), env.multiplexer),
            path: path.to_path_buf(),
            through: env.multiplexer,
        }
    }
}

/// The OSC 52 sequence that sets the clipboard to `text`.
pub fn osc52(text: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{b64}\x07")
}

/// Bytes of one screen passthrough string: screen's limit is 768, the usual split 76.
const SCREEN_CHUNK: usize = 76;

/// `sequence` wrapped so that `multiplexer` passes it on to the outer terminal: for tmux one
/// DCS `tmux;` string with every ESC doubled, for screen DCS strings of [`SCREEN_CHUNK`] bytes
/// (the outer terminal sees them joined); unchanged without one.
pub fn passthrough(sequence: &str, multiplexer: Option<Multiplexer>) -> String {
    match multiplexer {
        None => sequence.to_string(),
        Some(Multiplexer::Tmux) => {
            format!("\x1bPtmux;{}\x1b\\", sequence.replace('\x1b', "\x1b\x1b"))
        }
        Some(Multiplexer::Screen) => sequence
            .as_bytes()
            .chunks(SCREEN_CHUNK)
            .map(|chunk| format!("\x1bP{}\x1b\\", String::from_utf8_lossy(chunk)))
            .collect(),
    }
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
            multiplexer: None,
        };
        let remote = OpenPlan::Remote {
            osc52: "\x1b]52;c;L2IvVTE=\x07".into(),
            path: p.into(),
            through: None,
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

    #[test]
    fn passthrough_wraps_for_tmux_and_screen() {
        let seq = osc52("/b/U1");
        assert_eq!(passthrough(&seq, None), seq);
        assert_eq!(
            passthrough(&seq, Some(Multiplexer::Tmux)),
            "\x1bPtmux;\x1b\x1b]52;c;L2IvVTE=\x07\x1b\\"
        );
        assert_eq!(
            passthrough(&seq, Some(Multiplexer::Screen)),
            "\x1bP\x1b]52;c;L2IvVTE=\x07\x1b\\"
        );
        // A long path: screen gets 76-byte pieces that join back into the sequence.
        let long = osc52(&"/Volumes/Backup/iMazing.Backups/".repeat(6));
        let wrapped = passthrough(&long, Some(Multiplexer::Screen));
        let pieces: Vec<&str> = wrapped
            .split_terminator("\x1b\\")
            .map(|p| p.strip_prefix("\x1bP").expect("each piece is a DCS string"))
            .collect();
        assert_eq!(pieces.len(), long.len().div_ceil(SCREEN_CHUNK));
        assert!(pieces.iter().all(|p| p.len() <= SCREEN_CHUNK));
        assert_eq!(pieces.concat(), long);
    }

    #[test]
    fn a_copy_through_a_multiplexer_carries_it_in_the_plan() {
        let env = OpenEnv {
            ssh: true,
            multiplexer: Some(Multiplexer::Tmux),
            ..OpenEnv::default()
        };
        match open_target(Path::new("/b/U1"), &env) {
            OpenPlan::Remote { osc52, through, .. } => {
                assert!(osc52.starts_with("\x1bPtmux;\x1b\x1b]52;c;"), "{osc52:?}");
                assert_eq!(through, Some(Multiplexer::Tmux));
            }
            plan => panic!("{plan:?}"),
        }
    }
}
