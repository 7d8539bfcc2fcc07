//! "What deleting this loses" in the delete and prune dialogs (issue 16): opening either asks
//! a job for the files only its versions hold; the dialog says it is looking, then the
//! counts by category (TestBackend, exact text at 80x24 and 120x36); an answer about another
//! set is ignored; refused versions and `+`/`-` ask again; the job itself over versions
//! written by the demo builder.

use std::path::PathBuf;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use crate::support::ui_fixture::*;
use crate::support::ui_screen::{screen, snapshot};

use backtop::library::category::Category;
use backtop::library::diff::{Loss, LossTally};
use backtop::tasks::{JobEvent, JobKind, Jobs, Keyring, Outcome, TargetCheck, Verdict};
use backtop::ui::app::{Confirm, LossState};
use backtop::ui::{App, Effect};
use crossterm::event::KeyCode;

fn t(files: u64, bytes: u64, other_copy_files: u64) -> LossTally {
    LossTally {
        files,
        bytes,
        other_copy_files,
    }
}

/// 312 photos (1.2 GB), 4 older copies of sms.db (20 MB), 2 app files, 1 setting, 1 note; one
/// staying version locked.
fn a_loss() -> Loss {
    let by_category = vec![
        (Category::Photos, t(312, 1_200_000_000, 0)),
        (Category::Messages, t(4, 20_000_000, 4)),
        (Category::Apps, t(2, 3_000_000, 0)),
        (Category::System, t(1, 4_000, 0)),
        (Category::Notes, t(1, 2_000, 1)),
    ];
    Loss {
        totals: t(320, 1_223_006_000, 5),
        by_category,
        unread_going: Vec::new(),
        unread_kept: vec![(p("phone-archive"), "encrypted and locked".into())],
        cancelled: false,
    }
}

fn lost(paths: Vec<PathBuf>, loss: Loss) -> backtop::ui::Msg {
    let done = Outcome::Lost {
        paths,
        loss: Box::new(loss),
    };
    job(JobKind::Loss, JobEvent::Done(done))
}

fn loss_state(app: &App) -> LossState {
    match app.confirm() {
        Some(Confirm::Delete(d)) => d.loss.state.clone(),
        Some(Confirm::Prune(p)) => p.loss.state.clone(),
        None => panic!("no dialog"),
    }
}

/// The phone's live backup and snapshot marked, `d`: the guards and the loss are asked.
fn delete_dialog() -> (App, Vec<PathBuf>) {
    let mut app = scanned(options(false, false, false));
    let effects = feed(
        &mut app,
        [ch('j'), key(KeyCode::Enter), ch(' '), ch(' '), ch('d')],
    );
    let both = vec![p("phone-live"), p("phone-snapshot")];
    assert_eq!(
        effects,
        [Effect::PlanDelete(both.clone()), Effect::Loss(both.clone())]
    );
    let allowed = |path: PathBuf| TargetCheck {
        path,
        verdict: Verdict::Allowed {
            warnings: Vec::new(),
        },
    };
    let effects = app.update(guard_checks(both.iter().cloned().map(allowed).collect()));
    assert!(effects.is_empty(), "nothing refused: no second ask");
    (app, both)
}

#[test]
fn the_delete_dialog_says_what_only_its_versions_hold() {
    let (mut app, both) = delete_dialog();
    let got = screen(&mut app, 80, 24);
    assert!(
        got.contains("Looking for the files only these versions hold…"),
        "{got}"
    );
    snapshot("loss_looking_80x24", &got);
    // An answer about another set (an earlier dialog) is ignored.
    app.update(lost(vec![p("phone-live")], Loss::default()));
    assert_eq!(loss_state(&app), LossState::Looking);
    // The answer in the other order of the same set counts.
    app.update(lost(both.into_iter().rev().collect(), a_loss()));
    let got = screen(&mut app, 80, 24);
    for want in [
        "Only in these versions: 320 files, 1.2 GB (5 kept in another copy):",
        "312 Photos & videos (1.2 GB) · 4 Messages (20 MB) · +3 more",
        "1 kept version not read (encrypted and locked): counted as gone.",
    ] {
        assert!(got.contains(want), "{want:?} missing:\n{got}");
    }
    snapshot("loss_delete_80x24", &got);
    let wide = screen(&mut app, 120, 36);
    assert!(
        wide.contains("312 Photos & videos (1.2 GB) · 4 Messages (20 MB) · +3 more"),
        "{wide}"
    );
    snapshot("loss_delete_120x36", &wide);
}

#[test]
fn refused_versions_ask_again_for_the_others_and_nothing_lost_says_so() {
    let mut app = scanned(options(false, false, false));
    feed(
        &mut app,
        [ch('j'), key(KeyCode::Enter), ch(' '), ch(' '), ch('d')],
    );
    let effects = app.update(guard_checks(vec![
        TargetCheck {
            path: p("phone-live"),
            verdict: Verdict::Refused {
                reason: "a backup is being written".into(),
            },
        },
        TargetCheck {
            path: p("phone-snapshot"),
            verdict: Verdict::Allowed {
                warnings: Vec::new(),
            },
        },
    ]));
    assert_eq!(effects, [Effect::Loss(vec![p("phone-snapshot")])]);
    app.update(lost(vec![p("phone-snapshot")], Loss::default()));
    let got = screen(&mut app, 80, 24);
    assert!(
        got.contains("Every file in this version is also in a version that stays."),
        "{got}"
    );
}

#[test]
fn the_prune_dialog_asks_for_its_plan_and_again_after_plus_and_minus() {
    let mut app = scanned(options(false, false, false));
    let effects = feed(&mut app, [ch('p')]);
    let Some(Confirm::Prune(dialog)) = app.confirm().cloned() else {
        panic!("p opens the prune preview");
    };
    assert!(!dialog.remove.is_empty());
    assert_eq!(effects, [Effect::Loss(dialog.remove.clone())]);
    let effects = feed(&mut app, [ch('-')]);
    let Some(Confirm::Prune(fewer)) = app.confirm().cloned() else {
        panic!("- keeps the preview");
    };
    assert_eq!(fewer.keep, 1);
    assert_eq!(effects, [Effect::Loss(fewer.remove.clone())]);
    let mut loss = a_loss();
    loss.unread_kept.clear();
    loss.unread_going = vec![(p("phone-archive"), "encrypted and locked".into())];
    app.update(lost(fewer.remove.clone(), loss));
    let got = screen(&mut app, 80, 24);
    for want in [
        "Only in these versions: 320 files, 1.2 GB (5 kept in another copy):",
        "1 version not looked into (encrypted and locked).",
    ] {
        assert!(got.contains(want), "{want:?} missing:\n{got}");
    }
    snapshot("loss_prune_80x24", &got);
}

/// The job itself, through the registry as the host starts it: deleting the older of two demo
/// builder versions loses its older sms.db (1,000 bytes); notes.db stays in the newer one.
#[test]
fn the_loss_job_counts_what_only_the_deleted_versions_hold() {
    use backtop::demo::{write_backup, BackupSpec, FileSpec};
    use backtop::library::read_version::read_version;
    use backtop::library::{Library, VersionKind};
    let tmp = tempfile::tempdir().unwrap();
    let mut versions = Vec::new();
    for (name, day, size) in [("old", 1, 1000), ("new", 20, 1500)] {
        let mut s = BackupSpec::new(PHONE, "Anna's iPhone", "iPhone15,2");
        s.date = time::macros::datetime!(2024-06-01 12:00 UTC)
            .replace_day(day)
            .unwrap();
        s.files_dated = Some(time::macros::datetime!(2024-05-01 0:00 UTC));
        s.files = vec![
            FileSpec::new("HomeDomain", "Library/SMS/sms.db", size),
            FileSpec::new("HomeDomain", "Library/Notes/notes.db", 42),
        ];
        let dir = tmp.path().join(name);
        write_backup(&dir, &s).unwrap();
        versions.push(read_version(&dir, tmp.path(), VersionKind::Archive, now()));
    }
    let (devices, damaged) = backtop::library::device::group(versions);
    let library = Arc::new(Library {
        devices,
        damaged,
        ..Library::default()
    });
    let (tx, rx) = mpsc::channel();
    let mut jobs = Jobs::new(Arc::new(move |m| {
        let _ = tx.send(m);
    }));
    let old = vec![tmp.path().join("old")];
    let (asked, lib) = (old.clone(), library.clone());
    jobs.spawn(JobKind::Loss, 1, move |ctx| {
        backtop::tasks::loss::run(ctx, asked, &lib, &Keyring::default())
    });
    let outcome = loop {
        let msg = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the job ends");
        if let JobEvent::Done(outcome) = msg.event {
            break outcome;
        }
    };
    let Outcome::Lost { paths, loss } = outcome else {
        panic!("a loss outcome: {outcome:?}");
    };
    assert_eq!(paths, old);
    assert_eq!(loss.totals, t(1, 1000, 1));
    assert_eq!(loss.by_category, vec![(Category::Messages, t(1, 1000, 1))]);
}
