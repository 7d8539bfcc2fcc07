//! Resolution: from what the user asked ([`RootSpec`]) and the environment ([`Env`]) to the
//! ordered list of roots, each folder once.
//!
//! [`candidates`] is pure. [`resolve`] adds the one piece of I/O: each candidate is
//! canonicalized when it exists (following a symlink or junction at the root), made absolute
//! otherwise, and the same folder reached twice is kept once, with its first origin. The order,
//! and so which origin wins, is: `--root`, `--home`, `BACKTOP_ROOTS`, config, defaults, other
//! users, volumes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::env::{Env, Os};
use super::layouts::{default_roots, home_roots, named_root, volume_roots};
use crate::library::{Root, RootOrigin};

/// What the user asked for, with the config file and `BACKTOP_ROOTS` already read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RootSpec {
    /// `--root DIR`, in order.
    pub roots: Vec<PathBuf>,
    /// `--home DIR`: every macOS and Windows layout under each.
    pub homes: Vec<PathBuf>,
    /// `--only`: no defaults, config, env, volumes, nor the all-users implied by root.
    pub only: bool,
    /// `--all-users`.
    pub all_users: bool,
    /// `--users-dir DIR` (implies all users, with both macOS and Windows layouts).
    pub users_dir: Option<PathBuf>,
    /// The user names found in [`RootSpec::users_folder`] (listed by the caller).
    pub users: Vec<String>,
    /// `roots` of the config file.
    pub config_roots: Vec<PathBuf>,
    /// `BACKTOP_ROOTS`.
    pub env_roots: Vec<PathBuf>,
}

impl RootSpec {
    /// True when every user's home is looked at: `--all-users`, `--users-dir`, or running as
    /// root without `--only`.
    pub fn all_users_in_effect(&self, env: &Env) -> bool {
        self.all_users || self.users_dir.is_some() || (env.is_root && !self.only)
    }

    /// The folder whose user homes the caller should list into [`RootSpec::users`], when all
    /// users are looked at.
    pub fn users_folder(&self, env: &Env) -> Option<PathBuf> {
        if !self.all_users_in_effect(env) {
            return None;
        }
        self.users_dir.clone().or_else(|| env.users_dir.clone())
    }

    /// The layouts used in other users' homes: both OSes' for `--users-dir` (another
    /// computer's disk) and on Linux (which has no backup app of its own: its homes are
    /// copies of Mac or Windows homes on a file server), else this OS's.
    fn user_oses(&self, env: &Env) -> Vec<Os> {
        if self.users_dir.is_some() || env.os == Os::Linux {
            vec![Os::MacOs, Os::Windows]
        } else {
            vec![env.os]
        }
    }
}

/// Every root to look at, in order, before following links and removing repeats. Pure.
pub fn candidates(spec: &RootSpec, env: &Env) -> Vec<Root> {
    let mut out: Vec<Root> = spec
        .roots
        .iter()
        .map(|p| named_root(p, RootOrigin::Flag))
        .collect();
    for home in &spec.homes {
        let owner = home.file_name().and_then(|n| n.to_str());
        out.extend(home_roots(
            home,
            &[Os::MacOs, Os::Windows],
            RootOrigin::Home,
            owner,
        ));
    }
    if !spec.only {
        out.extend(
            spec.env_roots
                .iter()
                .map(|p| named_root(p, RootOrigin::Env)),
        );
        out.extend(
            spec.config_roots
                .iter()
                .map(|p| named_root(p, RootOrigin::Config)),
        );
        out.extend(default_roots(env));
    }
    if let Some(folder) = spec.users_folder(env) {
        let oses = spec.user_oses(env);
        for user in &spec.users {
            let home = folder.join(user);
            out.extend(home_roots(&home, &oses, RootOrigin::User, Some(user)));
        }
    }
    if !spec.only {
        out.extend(volume_roots(env));
    }
    out
}

/// Keeps the first root of each folder: `place` gives the path a root is shown and compared
/// by (its canonical path when it exists). Pure given `place`.
pub fn dedupe_with(roots: Vec<Root>, mut place: impl FnMut(&Path) -> PathBuf) -> Vec<Root> {
    let mut seen = HashSet::new();
    roots
        .into_iter()
        .filter_map(|mut root| {
            root.path = place(&root.path);
            seen.insert(root.path.clone()).then_some(root)
        })
        .collect()
}

/// The roots for `spec` in `env`: [`candidates`], each followed to its real folder when it
/// exists (absolute otherwise), each folder once with its first origin.
pub fn resolve(spec: &RootSpec, env: &Env) -> Vec<Root> {
    dedupe_with(candidates(spec, env), real_path)
}

/// The canonical path when `path` exists; otherwise `path` made absolute, with its nearest
/// existing ancestor canonicalized (so a missing root under a linked folder compares equal
/// however it was reached).
pub fn real_path(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = std::fs::canonicalize(cur) {
            let c = strip_verbatim(&c).unwrap_or(c);
            return rest.iter().rev().fold(c, |acc, part| acc.join(part));
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return abs,
        }
    }
}

/// `\\?\C:\x` → `C:\x` and `\\?\UNC\server\share` → `\\server\share` (Windows canonical paths
/// carry this prefix, which many tools and users do not expect). `None` when there is none.
pub fn strip_verbatim(path: &Path) -> Option<PathBuf> {
    let s = path.to_str()?;
    let rest = s.strip_prefix(r"\\?\")?;
    if let Some(unc) = rest.strip_prefix(r"UNC\") {
        return Some(PathBuf::from(format!(r"\\{unc}")));
    }
    let b = rest.as_bytes();
    let drive = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
    drive.then(|| PathBuf::from(rest))
}
