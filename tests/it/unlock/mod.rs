//! Encrypted backups unlocked with the password (issue 13): the core on demo backups that
//! are really encrypted ([`core`]).

mod cli;
mod core;
pub mod fixture;
