//! What every command needs first: the roots to look at (from the CLI, config, environment and
//! defaults, or a freshly built demo library).

use std::path::PathBuf;

use crate::cli::RootArgs;
use crate::library::Root;

/// The roots for this run. Holds the demo library's temporary folder alive while it is used.
pub struct RunRoots {
    /// Roots to look at, in order, each once.
    pub roots: Vec<Root>,
    /// The temp folder of `--demo`, removed when dropped.
    pub demo_dir: Option<tempfile::TempDir>,
}

impl RunRoots {
    /// Resolves the roots for `args` (to be implemented by the locate work).
    pub fn resolve(_args: &RootArgs) -> anyhow::Result<Self> {
        Ok(RunRoots {
            roots: Vec::new(),
            demo_dir: None,
        })
    }

    /// Paths of the roots.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.roots.iter().map(|r| r.path.clone()).collect()
    }
}
