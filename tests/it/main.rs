//! backtop's integration tests, in one binary (one link instead of 32): each module is one
//! area, shared helpers live in [`support`]. Run one area with `cargo test --test it MODULE::`.

mod support;

mod browse;
mod categories;
mod check;
mod completions_man;
mod config_cli;
mod delete_safety;
mod demo_builder;
mod demo_trash;
mod demo_volumes;
mod diff;
mod discovery;
mod discovery_damage;
mod discovery_safety;
mod e2e_dashboard;
mod e2e_delete;
mod e2e_loss;
mod exit_codes;
mod figures_agree;
mod freed_subset;
mod hostile;
mod json_contract;
mod list_cli;
mod locate;
mod manifest;
#[cfg(any(target_os = "linux", target_vendor = "apple"))]
mod move_device;
#[cfg(any(target_os = "linux", target_vendor = "apple"))]
mod move_kill;
#[cfg(any(target_os = "linux", target_vendor = "apple"))]
mod move_root;
mod packaging;
mod prune;
mod pty_harness;
mod scan_cache;
mod scan_incremental;
mod screenshots;
mod sizes;
mod ui_actions_dialogs;
mod ui_actions_host;
mod ui_actions_pty;
mod ui_actions_render;
mod ui_actions_tasks;
mod ui_alerts;
mod ui_app;
mod ui_app_actions;
mod ui_details;
mod ui_diff;
mod ui_disk_usage;
mod ui_figures;
mod ui_figures_narrow;
mod ui_figures_time;
mod ui_help;
mod ui_keys;
mod ui_loop;
mod ui_loss;
#[cfg(any(target_os = "linux", target_vendor = "apple"))]
mod ui_move;
#[cfg(any(target_os = "linux", target_vendor = "apple"))]
mod ui_move_state;
mod ui_pty;
mod ui_render;
mod ui_roots;
mod ui_sparkline;
mod ui_unlock;
mod ui_verify_encrypted;
mod unlock;
mod verify;
