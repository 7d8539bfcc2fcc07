//! Encrypted backups unlocked with the password (issue 13): the core on demo backups that
//! are really encrypted ([`core`]), the CLI ([`cli`]), the dashboard's host sizing an
//! unlocked version ([`dashboard`]), `--remember` on the kernel keyring ([`remember`]).

mod cli;
mod core;
mod dashboard;
pub mod fixture;
#[cfg(target_os = "linux")]
mod remember;
