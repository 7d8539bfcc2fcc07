//! The verify job: each version checked in turn against its manifest, rows counted as
//! progress (at most every [`THROTTLE`]), the cancel flag looked at between versions. An
//! encrypted version unlocked in this run is checked with its keys (its rows from the
//! decrypted manifest); a locked one is "not checked: encrypted", with the reason when a
//! password was tried on it.

use std::path::PathBuf;
use std::time::Instant;

use super::checks::find;
use super::{Ctx, Outcome, Progress, THROTTLE};
use crate::actions::verify::{verify_with, VerifyOptions};
use crate::library::unlock::Unlocks;
use crate::library::Library;

/// Verifies each version of `paths` found in `library`; an encrypted one `unlocks` holds the
/// keys of has its rows checked from its decrypted manifest (else it is "not checked").
pub fn run(ctx: &Ctx, paths: &[PathBuf], library: &Library, unlocks: &Unlocks) -> Outcome {
    let mut reports = Vec::new();
    for path in paths {
        if ctx.cancelled() {
            break;
        }
        let Some(version) = find(library, path) else {
            continue;
        };
        ctx.progress(Progress::Item { path: path.clone() });
        let mut last = Instant::now();
        let options = VerifyOptions {
            unlocked: unlocks.get(path),
            deep: false,
            locked_reason: unlocks.locked(path).map(|l| l.reason.clone()),
        };
        let report = verify_with(version, &options, |p| {
            if last.elapsed() >= THROTTLE {
                last = Instant::now();
                ctx.progress(Progress::Checked {
                    rows: p.rows_checked,
                    total: p.rows_total,
                });
            }
        });
        reports.push(report);
        ctx.progress(Progress::ItemDone { freed: 0 });
    }
    Outcome::Verified {
        reports,
        cancelled: ctx.cancelled(),
    }
}
