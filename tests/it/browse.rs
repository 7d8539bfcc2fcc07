//! Looking inside a version: the listing and search index over demo backups of both manifest
//! formats, the export (`actions::export`) and the `ls` / `export` commands; the browser on an
//! unlocked encrypted version.

mod cli;
mod export;
mod fixture;
mod journey;
mod tree;
mod ui;
mod unlocked;
