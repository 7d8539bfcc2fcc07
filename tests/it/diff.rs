//! Issue 16: what changed between two versions of a device (the pure diff, and the `diff`
//! command through the binary; what deleting versions loses).

mod cli;
mod core;
mod demo;
mod loss;
