//! Journeys through `App::update` while a delete or verify runs: progress in the footer, Esc
//! cancels (once), a second action waits, the dashboard keeps moving, and the end brings a
//! status line and a rescan (delete) or the results dialog (verify).

use crate::support::ui_fixture;

use backtop::actions::verify::{Problem, ProblemKind, VerifyReport};
use backtop::scan::ScanEvent;
use backtop::tasks::{DeleteSummary, JobEvent, JobId, JobKind, JobMsg, Outcome, Progress};
use backtop::ui::keymap::Scope;
use backtop::ui::{App, Effect, Msg};
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use ui_fixture::*;

/// Feeds an event of the fixture's delete or verify job of `kind`.
fn task(app: &mut App, kind: JobKind, event: JobEvent) -> Vec<Effect> {
    app.update(job(kind, event))
}

fn progress(app: &mut App, kind: JobKind, progress: Progress) {
    task(app, kind, JobEvent::Progress(progress));
}

const PERMANENT: JobKind = JobKind::Delete { permanent: true };
const TRASH: JobKind = JobKind::Delete { permanent: false };

fn footer(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("test terminal");
    terminal.draw(|f| backtop::ui::draw(f, app)).expect("draw");
    let buf = terminal.backend().buffer();
    (0..100)
        .map(|x| buf[(x, 29)].symbol().to_string())
        .collect::<String>()
        .trim_end()
        .to_string()
}

#[test]
fn a_permanent_delete_streams_progress_and_esc_only_hides_it() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
    task(&mut app, PERMANENT, JobEvent::Started { total: 2 });
    let path = p("phone-archive");
    progress(&mut app, PERMANENT, Progress::Item { path });
    let (files, bytes) = (1_200, 3_000_000_000);
    progress(&mut app, PERMANENT, Progress::Removed { files, bytes });
    assert_eq!(
        footer(&app),
        " removing 1/2: 1,200 files, freed 3 GB  Esc hides this, the delete goes on",
        "the footer shows the running total and says Esc does not stop it"
    );
    assert_eq!(
        app.scopes(),
        [Scope::Versions, Scope::Removing, Scope::Global],
        "the task's keys join the pane's"
    );
    let before = app.version().map(|v| v.path.clone());
    feed(&mut app, [ch('j')]);
    assert_ne!(
        app.version().map(|v| v.path.clone()),
        before,
        "the dashboard still moves while deleting"
    );
    assert!(
        feed(&mut app, [ch('d')]).is_empty(),
        "a second delete waits"
    );
    assert_eq!(
        app.status.as_deref(),
        Some("wait: a permanent delete is running (it cannot be stopped once started)")
    );
    assert!(
        feed(&mut app, [key(KeyCode::Esc)]).is_empty(),
        "Esc asks for no cancel: a started permanent delete goes on"
    );
    assert!(app.task.as_ref().is_some_and(|t| t.hidden && !t.cancelling));
    assert!(
        footer(&app).starts_with(" Enter browse"),
        "the progress is hidden, the pane's keys are back: {}",
        footer(&app)
    );
    assert_eq!(app.scopes(), [Scope::Versions, Scope::Global]);
    assert!(
        feed(&mut app, [key(KeyCode::Esc)]).is_empty(),
        "a second Esc goes back, it neither cancels nor quits"
    );
    assert_eq!(app.focus, backtop::ui::Pane::Devices);
    let freed = 5_000_000_000;
    progress(&mut app, PERMANENT, Progress::ItemDone { freed });
    progress(&mut app, PERMANENT, Progress::ItemDone { freed });
    let summary = DeleteSummary {
        gone: 2,
        freed: 2 * freed,
        failures: vec![],
        cancelled: false,
        put_back: 0,
    };
    let effects = task(
        &mut app,
        PERMANENT,
        JobEvent::Done(Outcome::Deleted(summary)),
    );
    assert_eq!(effects, [Effect::Rescan], "the end asks for a rescan");
    assert!(app.task.is_none());
    assert_eq!(
        app.status.as_deref(),
        Some("deleted 2 versions, freed 10 GB")
    );
}

#[test]
fn a_trash_delete_reports_failures_and_the_trash_note() {
    let mut app = scanned(options(true, false, false));
    task(&mut app, TRASH, JobEvent::Started { total: 2 });
    assert_eq!(footer(&app), " moving 1/2 to the Trash  Esc cancel");
    for _ in 0..2 {
        progress(&mut app, TRASH, Progress::ItemDone { freed: 0 });
    }
    let summary = DeleteSummary {
        gone: 1,
        freed: 0,
        failures: vec!["nothing was deleted: cannot move it aside".into()],
        cancelled: false,
        put_back: 0,
    };
    assert_eq!(
        task(&mut app, TRASH, JobEvent::Done(Outcome::Deleted(summary))),
        [Effect::Rescan]
    );
    assert_eq!(
        app.status.as_deref(),
        Some(
            "moved 1 version to the Trash; trashed data still uses the volume until the Trash \
             is emptied; 1 failed: nothing was deleted: cannot move it aside"
        )
    );
}

#[test]
fn a_cancelled_trash_delete_says_what_it_put_back() {
    let mut app = scanned(options(true, false, false));
    task(&mut app, TRASH, JobEvent::Started { total: 3 });
    assert_eq!(feed(&mut app, [key(KeyCode::Esc)]), [Effect::Cancel(JOB)]);
    assert_eq!(footer(&app), " moving 1/3 to the Trash  cancelling…");
    let summary = DeleteSummary {
        gone: 0,
        freed: 0,
        failures: vec![],
        cancelled: true,
        put_back: 2,
    };
    task(&mut app, TRASH, JobEvent::Done(Outcome::Deleted(summary)));
    assert_eq!(
        app.status.as_deref(),
        Some("cancelled: nothing is in the Trash (2 versions put back)")
    );
}

#[test]
fn verify_ends_in_a_results_dialog() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
    assert_eq!(
        feed(&mut app, [ch('v')]),
        [Effect::Verify(vec![p("phone-live")])]
    );
    let verify = JobKind::Verify;
    task(&mut app, verify, JobEvent::Started { total: 1 });
    let path = p("phone-live");
    progress(&mut app, verify, Progress::Item { path });
    let (rows, total) = (500, 2_000);
    progress(&mut app, verify, Progress::Checked { rows, total });
    assert_eq!(footer(&app), " verifying 1/1: 500/2,000 rows  Esc cancel");
    let report = VerifyReport {
        path: p("phone-live"),
        ok: false,
        rows_checked: 2_000,
        files_on_disk: 1_998,
        problems: vec![Problem {
            kind: ProblemKind::MissingFile,
            count: 2,
            examples: vec!["HomeDomain Library/SMS/sms.db".into()],
        }],
        notes: vec![],
    };
    let outcome = Outcome::Verified {
        reports: vec![report.clone()],
        cancelled: false,
    };
    assert!(task(&mut app, verify, JobEvent::Done(outcome)).is_empty());
    assert_eq!(
        app.report(),
        Some(&backtop::ui::app::Report::Verify(vec![report])),
        "the results open in a dialog"
    );
    assert_eq!(app.modal(), Some(Scope::Report));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.report().is_none(), "Enter closes it");
}

#[test]
fn a_worker_that_panicked_ends_its_job_with_a_status_line() {
    let mut app = scanned(options(true, false, false));
    task(&mut app, PERMANENT, JobEvent::Started { total: 1 });
    let why = "panicked at src/actions/remove.rs:1:1:\nodd inode".to_string();
    let effects = task(&mut app, PERMANENT, JobEvent::Failed(why.clone()));
    assert!(
        app.task.is_none(),
        "the footer no longer shows a running delete"
    );
    assert_eq!(
        effects,
        [Effect::Rescan],
        "a failed delete may have removed something: rescan"
    );
    assert_eq!(app.status, Some(format!("delete failed: {why}")));
    assert!(
        feed(&mut app, [ch('q')]) == [Effect::Quit],
        "the dashboard goes on and still answers keys"
    );
}

#[test]
fn the_newest_scan_wins_and_a_superseded_one_is_ignored() {
    let mut app = fresh(options(true, false, false));
    let scan = |id, event| Msg::Job(JobMsg::new(JobId(id), JobKind::Scan, event));
    let sized = |name: &str| {
        let (path, usage) = usages().into_iter().find(|(p0, _)| *p0 == p(name)).unwrap();
        JobEvent::Progress(Progress::Scan(ScanEvent::Sized { path, usage }))
    };
    app.update(scan(1, JobEvent::Started { total: 0 }));
    app.update(scan(2, JobEvent::Started { total: 0 }));
    app.update(scan(1, sized("ipad-live")));
    assert!(
        app.results.sized.is_empty(),
        "the first scan's late sizes are dropped"
    );
    app.update(scan(2, sized("phone-live")));
    assert_eq!(app.results.sized.len(), 1, "the newest scan's count");
    let done = |cancelled| {
        JobEvent::Done(Outcome::Scanned {
            elapsed: std::time::Duration::from_secs(1),
            cancelled,
        })
    };
    app.update(scan(1, done(true)));
    assert!(
        app.scan.running,
        "the old scan's end does not end the new one"
    );
    app.update(scan(2, done(false)));
    assert!(!app.scan.running && !app.scan.cancelled);
}
