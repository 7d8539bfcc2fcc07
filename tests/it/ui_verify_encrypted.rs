//! `v` on an encrypted version (issue 14 item 21): without the password its rows cannot be
//! checked, so the dashboard says "not checked: encrypted", never "ok"; once the keyring holds
//! its keys the verify job checks its rows from the decrypted manifest, as `backtop verify
//! --password-file` does.

use std::time::Duration;

use backtop::actions::verify::{ProblemKind, VerifyReport, NOTE_LOCKED};
use backtop::cli::RootArgs;
use backtop::commands::context::RunRoots;
use backtop::commands::host::DashboardHost;
use backtop::demo::{manifest_rows, DEMO_PASSWORD};
use backtop::library::unlock::Password;
use backtop::library::ManifestFormat;
use backtop::tasks::{JobEvent, JobKind, Outcome, UnlockRequest, UnlockResult};
use backtop::ui::{Effect, Host, Msg};
use crossbeam_channel::{unbounded, Receiver};

use crate::support::ui_fixture::*;
use crate::support::ui_screen::screen;
use crate::unlock::fixture;

const WAIT: Duration = Duration::from_secs(60);

/// The outcome of the next job to end.
fn outcome(rx: &Receiver<Msg>) -> Outcome {
    loop {
        if let Msg::Job(m) = rx.recv_timeout(WAIT).expect("a job message") {
            match m.event {
                JobEvent::Done(outcome) => return outcome,
                JobEvent::Failed(why) => panic!("the job failed: {why}"),
                _ => {}
            }
        }
    }
}

fn verified(outcome: Outcome) -> VerifyReport {
    let Outcome::Verified { mut reports, .. } = outcome else {
        panic!("a verify outcome: {outcome:?}");
    };
    assert_eq!(reports.len(), 1);
    reports.remove(0)
}

#[test]
fn the_verify_job_checks_an_encrypted_version_only_once_it_is_unlocked() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let version = fixture::write(&root, &fixture::spec(ManifestFormat::Db));
    let args = RootArgs {
        roots: vec![root],
        only: true,
        ..RootArgs::default()
    };
    let run = RunRoots::resolve(&args, &[]).expect("roots");
    let library = run.discover();
    let mut host = DashboardHost::new(run, library, false, DashboardHost::no_sizing());
    let (tx, rx) = unbounded();
    host.connect(tx);

    host.perform(Effect::Verify(vec![version.clone()]));
    let locked = verified(outcome(&rx));
    assert!(!locked.checked(), "locked: not checked: {locked:?}");
    assert_eq!(locked.rows_checked, 0);
    assert!(locked.notes.iter().any(|n| n == NOTE_LOCKED), "{locked:?}");

    host.perform(Effect::Unlock(UnlockRequest {
        target: version.clone(),
        scope: vec![version.clone()],
        password: Password::from(DEMO_PASSWORD),
    }));
    let Outcome::Unlocked(unlocked) = outcome(&rx) else {
        panic!("the unlock job ends with its outcome");
    };
    assert_eq!(unlocked.result, UnlockResult::Opened);

    host.perform(Effect::Verify(vec![version.clone()]));
    let report = verified(outcome(&rx));
    assert!(
        report.checked(),
        "unlocked: its rows are checked: {report:?}"
    );
    let spec = fixture::spec(ManifestFormat::Db);
    assert_eq!(
        report.rows_checked,
        manifest_rows(&spec).len() as u64,
        "every row of the decrypted manifest, folders included: {report:?}"
    );
    let problems: Vec<(ProblemKind, u64)> =
        report.problems.iter().map(|p| (p.kind, p.count)).collect();
    assert_eq!(
        problems,
        [(ProblemKind::MissingFile, 1)],
        "the fixture's one file missing on disk is found"
    );
    host.shutdown();
}

#[test]
fn an_unchecked_encrypted_version_is_never_called_ok() {
    let mut app = scanned(options(true, false, false));
    app.update(job(JobKind::Verify, JobEvent::Started { total: 2 }));
    let report = |name: &str, notes: Vec<String>, rows| VerifyReport {
        path: p(name),
        ok: true,
        rows_checked: rows,
        files_on_disk: 12,
        problems: vec![],
        notes,
    };
    app.update(job(
        JobKind::Verify,
        JobEvent::Done(Outcome::Verified {
            reports: vec![
                report("phone-live", vec![], 41_250),
                report("phone-archive", vec![NOTE_LOCKED.into()], 0),
            ],
            cancelled: false,
        }),
    ));
    let text = screen(&mut app, 100, 30);
    assert!(
        text.contains("Verified 2 versions: 1 not checked (encrypted)"),
        "{text}"
    );
    assert!(!text.contains("all ok"), "{text}");
    let row = text
        .lines()
        .find(|l| l.contains("not checked: encrypted"))
        .unwrap_or_else(|| panic!("no unchecked row:\n{text}"));
    assert!(
        row.contains("Finder · anna: ") && !row.contains("rows"),
        "its root by what it is, no row count: {row}"
    );
    assert!(
        text.contains("   u unlocks it, then v checks its rows"),
        "{text}"
    );
    assert!(text.contains("ok, 41,250 rows checked"), "{text}");
    // The unchecked one comes first, with the problems.
    let at = |needle: &str| text.find(needle).expect(needle);
    assert!(at("not checked: encrypted") < at("ok, 41,250"), "{text}");
}
