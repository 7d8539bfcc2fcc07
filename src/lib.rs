//! backtop: find, size and prune iPhone/iPad backups.
//!
//! Data flows one way: disk → [`library`] (the pure model) → [`scan`] (workers that stream
//! results) → [`ui`] (app state and drawing). User intent flows back through [`actions`], run
//! off the UI thread as background jobs ([`tasks`]).
//! The CLI (`cli`) and the dashboard consume the same core.

pub mod actions;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod json_path;
pub mod library;
pub mod sanitize;
pub mod scan;
pub mod tasks;
pub mod ui;
