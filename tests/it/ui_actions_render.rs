//! Rendering snapshots of the action dialogs: the delete confirmation (sizes, what the set
//! frees, the guards' verdicts, the typed device name, trash or permanent), the prune preview
//! and the verify results. Exact text under `tests/snapshots/` (`UPDATE_SNAPSHOTS=1` rewrites).

use crate::support::ui_fixture;
use crate::support::ui_screen;

use backtop::actions::verify::{Problem, ProblemKind, VerifyReport};
use backtop::tasks::{JobEvent, JobKind, Outcome, TargetCheck, Verdict};
use backtop::ui::{App, Msg};
use crossterm::event::KeyCode;
use ui_fixture::*;
use ui_screen::{screen, snapshot};

/// The phone's live backup and its iMazing snapshot marked, `d`, the guards' verdicts in.
fn delete_dialog() -> App {
    let mut app = scanned(options(true, false, false));
    feed(
        &mut app,
        [ch('j'), key(KeyCode::Enter), ch(' '), ch(' '), ch('d')],
    );
    app.update(guard_checks(vec![
        TargetCheck {
            path: p("phone-live"),
            verdict: Verdict::NeedsTyping {
                reason: "the newest complete backup of Anna's iPhone".into(),
                name: "Anna's iPhone".into(),
            },
        },
        TargetCheck {
            path: p("phone-snapshot"),
            verdict: Verdict::NeedsConfirm {
                reason: "iMazing's Versions.db still lists this snapshot".into(),
            },
        },
    ]));
    feed(&mut app, "Anna".chars().map(ch));
    app
}

#[test]
fn delete_confirmation_with_verdicts_at_100x30() {
    let mut app = delete_dialog();
    let got = screen(&mut app, 100, 30);
    for want in [
        "Delete 2 versions?",
        "125.3 GB",
        "Together they free 67.2 GB.",
        "To the Trash: trashed data still uses the volume until the Trash is",
        "Type Anna's iPhone to confirm: Anna_",
        "Enter yes",
    ] {
        assert!(got.contains(want), "{want:?} missing:\n{got}");
    }
    snapshot("actions_delete_100x30", &got);
}

#[test]
fn permanent_delete_says_so_at_80x24() {
    let mut app = delete_dialog();
    feed(&mut app, [key(KeyCode::Tab)]);
    let got = screen(&mut app, 80, 24);
    assert!(got.contains("Deletes PERMANENTLY"), "{got}");
    snapshot("actions_delete_permanent_80x24", &got);
}

#[test]
fn prune_preview_at_100x30() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('p'), ch('-')]);
    let got = screen(&mut app, 100, 30);
    for want in [
        "Prune: 2 versions to remove",
        "Keep the 1 newest complete versions of each device",
        "Anna's iPhone: number 2 by date, 21 days old",
        "1 iMazing snapshot: iMazing's Versions.db may still list them",
        "+/= keep more",
    ] {
        assert!(got.contains(want), "{want:?} missing:\n{got}");
    }
    snapshot("actions_prune_100x30", &got);
}

#[test]
fn verify_results_at_100x30() {
    let mut app = scanned(options(true, false, false));
    app.update(job(JobKind::Verify, JobEvent::Started { total: 2 }));
    let reports = [
        ("phone-live", vec![]),
        (
            "phone-archive",
            vec![Problem {
                kind: ProblemKind::MissingFile,
                count: 3,
                examples: vec!["CameraRollDomain Media/DCIM/100APPLE/IMG_0001.HEIC".into()],
            }],
        ),
    ]
    .into_iter()
    .map(|(name, problems)| VerifyReport {
        path: p(name),
        ok: problems.is_empty(),
        rows_checked: 41_250,
        files_on_disk: 41_247,
        problems,
        notes: vec![],
    })
    .collect();
    app.update(verified(reports));
    let got = screen(&mut app, 100, 30);
    for want in [
        "Verified 2 versions: 1 with problems",
        "ok, 41,250 rows checked",
        "file missing for a manifest row: 3",
    ] {
        assert!(got.contains(want), "{want:?} missing:\n{got}");
    }
    snapshot("actions_verify_100x30", &got);
}

#[test]
fn many_verify_results_are_cut_to_fit_with_a_note() {
    let mut app = scanned(options(true, false, false));
    app.update(job(JobKind::Verify, JobEvent::Started { total: 30 }));
    let ok = VerifyReport {
        path: p("phone-live"),
        ok: true,
        rows_checked: 10,
        files_on_disk: 10,
        problems: vec![],
        notes: vec![],
    };
    app.update(verified(vec![ok; 30]));
    let got = screen(&mut app, 80, 24);
    assert!(
        got.contains("… 15 more lines (`backtop verify` prints everything)"),
        "{got}"
    );
    assert!(
        got.contains("Esc/Enter/q close"),
        "the close keys still show:\n{got}"
    );
}

/// The fixture's verify job ended with these reports.
fn verified(reports: Vec<VerifyReport>) -> Msg {
    job(
        JobKind::Verify,
        JobEvent::Done(Outcome::Verified {
            reports,
            cancelled: false,
        }),
    )
}
