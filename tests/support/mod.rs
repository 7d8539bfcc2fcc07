//! Shared helpers for integration tests; include with `mod support;` from a file in `tests/`.
//!
//! - [`pty`]: drive a real program (the `backtop` binary) in a pseudo-terminal and read its
//!   screen through a VT100 parser.
//! - [`keys`]: the bytes a terminal sends for named keys.
#![allow(dead_code)]

pub mod keys;
pub mod pty;
mod queries;
