//! Journeys through `App::update` while a delete or verify runs: progress in the footer, Esc
//! cancels (once), a second action waits, the dashboard keeps moving, and the end brings a
//! status line and a rescan (delete) or the results dialog (verify).

use crate::support::ui_fixture;

use backtop::actions::verify::{Problem, ProblemKind, VerifyReport};
use backtop::ui::keymap::Scope;
use backtop::ui::task::{TaskEvent, TaskKind};
use backtop::ui::{App, Effect, Msg};
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use ui_fixture::*;

fn task(app: &mut App, event: TaskEvent) -> Vec<Effect> {
    app.update(Msg::Task(event))
}

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
fn a_permanent_delete_streams_progress_and_can_be_cancelled_once() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
    task(
        &mut app,
        TaskEvent::Started {
            kind: TaskKind::Delete { permanent: true },
            total: 2,
        },
    );
    task(
        &mut app,
        TaskEvent::Item {
            path: p("phone-archive"),
        },
    );
    task(
        &mut app,
        TaskEvent::Removed {
            files: 1_200,
            bytes: 3_000_000_000,
        },
    );
    assert_eq!(
        footer(&app),
        " deleting 1/2: 1,200 files, freed 3 GB  Esc cancel",
        "the footer shows the running total and the cancel key"
    );
    assert_eq!(
        app.scopes(),
        [Scope::Versions, Scope::Task, Scope::Global],
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
        Some("wait: a task is running (Esc cancels it)")
    );
    assert_eq!(feed(&mut app, [key(KeyCode::Esc)]), [Effect::CancelTask]);
    assert!(
        feed(&mut app, [key(KeyCode::Esc)]).is_empty(),
        "a second Esc neither cancels again nor quits"
    );
    assert_eq!(
        footer(&app),
        " deleting 1/2: 1,200 files, freed 3 GB  cancelling…"
    );
    task(
        &mut app,
        TaskEvent::Deleted {
            path: p("phone-archive"),
            done: true,
            freed: 5_000_000_000,
            message: "removed".into(),
        },
    );
    let effects = task(&mut app, TaskEvent::Finished { cancelled: true });
    assert_eq!(effects, [Effect::Rescan], "the end asks for a rescan");
    assert!(app.task.is_none());
    assert_eq!(
        app.status.as_deref(),
        Some("deleted 1 version, freed 5 GB (cancelled)")
    );
}

#[test]
fn a_trash_delete_reports_failures_and_the_trash_note() {
    let mut app = scanned(options(true, false, false));
    task(
        &mut app,
        TaskEvent::Started {
            kind: TaskKind::Delete { permanent: false },
            total: 2,
        },
    );
    assert_eq!(footer(&app), " moving 1/2 to the Trash  Esc cancel");
    for (name, done, message) in [
        ("phone-archive", true, "moved to the Trash"),
        (
            "phone-snapshot",
            false,
            "nothing was deleted: cannot move it aside",
        ),
    ] {
        task(
            &mut app,
            TaskEvent::Deleted {
                path: p(name),
                done,
                freed: 0,
                message: message.into(),
            },
        );
    }
    assert_eq!(
        task(&mut app, TaskEvent::Finished { cancelled: false }),
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
fn verify_ends_in_a_results_dialog() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
    assert_eq!(
        feed(&mut app, [ch('v')]),
        [Effect::Verify(vec![p("phone-live")])]
    );
    task(
        &mut app,
        TaskEvent::Started {
            kind: TaskKind::Verify,
            total: 1,
        },
    );
    task(
        &mut app,
        TaskEvent::Item {
            path: p("phone-live"),
        },
    );
    task(
        &mut app,
        TaskEvent::Checked {
            rows: 500,
            total: 2_000,
        },
    );
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
    task(&mut app, TaskEvent::Verified(report.clone()));
    assert!(task(&mut app, TaskEvent::Finished { cancelled: false }).is_empty());
    assert_eq!(
        app.report,
        Some(backtop::ui::app::Report::Verify(vec![report])),
        "the results open in a dialog"
    );
    assert_eq!(app.modal(), Some(Scope::Report));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.report.is_none(), "Enter closes it");
}
