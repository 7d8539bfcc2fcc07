//! Where backup roots are.
//!
//! The rules are pure functions of values: an [`Env`] (OS, home and profile folders, user,
//! volumes; [`Env::current`] reads the real process) and a [`RootSpec`] (what the user asked:
//! `--root`, `--home`, `--only`, `--all-users`, `--users-dir`, config roots, `BACKTOP_ROOTS`).
//! [`candidates`] turns them into roots; [`resolve`] follows links and drops repeats.
//! Reading the config file, the variable and the users folder are small separate functions in
//! [`sources`], called by the command layer (`commands::context`).
//!
//! - `layouts`: the table of per-app folders inside a home, for macOS and Windows.
//! - `env`: the environment value and how it is read.
//! - `sources`: config file, `BACKTOP_ROOTS`, users folder listing.
//! - `resolve`: the order of origins, link following and de-duplication.

mod env;
mod layouts;
mod resolve;
pub mod sources;

#[cfg(unix)]
pub use env::user_name;
pub use env::{mounted_volumes, Env, Os};
pub use layouts::{
    app_for, default_roots, home_roots, named_root, volume_roots, ANY_APP, FINDER, IMAZING,
    VOLUME_FOLDER,
};
pub use resolve::{candidates, dedupe_with, real_path, resolve, strip_verbatim, RootSpec};
