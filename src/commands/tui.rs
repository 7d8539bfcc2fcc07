//! The dashboard (no subcommand).
