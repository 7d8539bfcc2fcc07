//! Shared helpers of the integration tests (`crate::support::…` from any module of `tests/it/`).
//!
//! - [`pty`]: drive a real program (the `backtop` binary) in a pseudo-terminal and read its
//!   screen through a VT100 parser.
//! - [`keys`]: the bytes a terminal sends for named keys.
//! - [`ui_fixture`], [`ui_roots_fixture`], [`ui_screen`]: a library for the dashboard's state
//!   and TestBackend snapshots; [`anna_backups`], [`scan_fixtures`]: small versions on disk.
#![allow(dead_code)]

pub mod anna_backups;
pub mod cli;
pub mod keys;
pub mod pty;
mod queries;
pub mod scan_fixtures;
pub mod ui_fixture;
pub mod ui_roots_fixture;
pub mod ui_screen;
