//! One file per subcommand. Each `run` returns the process exit code; errors go to
//! `main`, which prints them with their context.

pub mod check;
pub mod completions;
pub mod context;
pub mod demo;
pub mod diff;
pub mod du;
pub mod export;
pub mod host;
pub mod json;
pub mod list;
pub mod ls;
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub mod move_root;
pub mod password;
pub mod prune;
pub mod rm;
pub mod roots;
pub mod tui;
pub mod unread;
pub mod verify;
pub mod version_arg;
