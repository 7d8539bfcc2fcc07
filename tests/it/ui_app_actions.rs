//! Journeys through `App::update` for actions, streaming scans and the mouse: keys in, state
//! and effects out, a sentence per assert.

use crate::support::ui_fixture;

use backtop::scan::ScanEvent;
use backtop::tasks::{DeleteRequest, TargetCheck, Verdict};
use backtop::ui::{Confirm, Effect, Msg, Pane};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ui_fixture::*;

#[test]
fn marking_versions_and_deleting_them_after_confirmation() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('j'), key(KeyCode::Enter), ch(' '), ch(' ')]);
    assert_eq!(
        app.marks.iter().cloned().collect::<Vec<_>>(),
        [p("phone-live"), p("phone-snapshot")],
        "Space marks the selected version and moves down"
    );
    assert_eq!(
        app.marked_summary().as_deref(),
        Some("2 marked, frees 67.2 GB"),
        "the marked set frees its own bytes plus the 40 GB hard-linked between them"
    );
    let both = vec![p("phone-live"), p("phone-snapshot")];
    assert_eq!(
        feed(&mut app, [ch('d')]),
        [Effect::PlanDelete(both.clone()), Effect::Loss(both.clone())],
        "d only asks: it opens the dialog, asks the guards and what only these versions hold"
    );
    let Some(Confirm::Delete(dialog)) = app.confirm().cloned() else {
        panic!("d opens a delete confirmation");
    };
    assert_eq!(dialog.paths, both, "the dialog lists the marked versions");
    assert!(
        feed(&mut app, [ch('n')]).is_empty() && app.confirm().is_some(),
        "before the guards answer, n is not an answer"
    );
    assert!(
        feed(&mut app, [key(KeyCode::Esc)]).is_empty() && app.confirm().is_none(),
        "Esc closes it and deletes nothing"
    );

    feed(&mut app, [ch('d')]);
    app.update(guard_checks(
        both.iter()
            .map(|path| TargetCheck {
                path: path.clone(),
                verdict: Verdict::Allowed { warnings: vec![] },
            })
            .collect(),
    ));
    let effects = feed(&mut app, [ch('y')]);
    assert_eq!(
        effects,
        [Effect::Delete(DeleteRequest {
            paths: both,
            permanent: false,
            forced: vec![],
            confirm_imazing: false,
        })],
        "y confirms, to the trash"
    );
    assert!(
        app.marks.is_empty(),
        "deleted versions are no longer marked"
    );

    feed(&mut app, [ch(' ')]);
    assert_eq!(
        app.marks.len(),
        1,
        "Space on the last row marks it and the cursor stays"
    );
    feed(&mut app, [ch(' ')]);
    assert!(app.marks.is_empty(), "Space on a marked version unmarks it");
}

#[test]
fn actions_become_effects() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
    assert_eq!(
        feed(&mut app, [ch('o')]),
        [Effect::Open(p("phone-live"))],
        "o reveals the selected version"
    );
    assert_eq!(
        feed(&mut app, [ch('v')]),
        [Effect::Verify(vec![p("phone-live")])],
        "v verifies it"
    );
    assert_eq!(feed(&mut app, [ch('r')]), [Effect::Rescan], "r rescans");
    assert_eq!(
        feed(&mut app, [ch('p'), key(KeyCode::Enter)]),
        [
            Effect::Loss(vec![p("phone-archive")]),
            Effect::Delete(DeleteRequest {
                paths: vec![p("phone-archive")],
                permanent: false,
                forced: vec![],
                confirm_imazing: true,
            })
        ],
        "p asks what its plan loses, then Enter prunes what the default policy picks"
    );
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(feed(&mut app, [ctrl_c]), [Effect::Quit], "Ctrl-C quits");
}

#[test]
fn read_only_refuses_delete_and_prune() {
    let mut app = scanned(options(true, false, true));
    let effects = feed(&mut app, [ch('j'), key(KeyCode::Enter), ch('d')]);
    assert!(
        effects.is_empty() && app.confirm().is_none(),
        "d opens no dialog in read-only mode"
    );
    assert_eq!(
        app.status.as_deref(),
        Some("read-only: delete is disabled"),
        "it says why"
    );
    feed(&mut app, [ch('p')]);
    assert_eq!(
        app.status.as_deref(),
        Some("read-only: prune is disabled"),
        "prune is refused too"
    );
}

#[test]
fn figures_fill_in_as_the_scan_streams() {
    let mut app = fresh(options(true, false, false));
    app.update(scan_started());
    assert!(app.scan.running, "a started scan is running");
    assert_eq!(app.scan.total, 7, "it has every version to size");
    app.update(scan_event(ScanEvent::Discovered(library())));
    app.update(scan_event(ScanEvent::Progress {
        path: p("ipad-live"),
        files: 100,
        bytes: 5_000,
    }));
    assert_eq!(
        (app.scan.files_so_far(), app.scan.bytes_so_far()),
        (100, 5_000),
        "progress counts in-flight work"
    );
    let (path, usage) = usages()
        .into_iter()
        .find(|(path, _)| *path == p("ipad-live"))
        .unwrap();
    app.update(scan_event(ScanEvent::Sized { path, usage }));
    assert_eq!(app.scan.done, 1, "a sized version counts as done");
    assert_eq!(
        app.scan.files_so_far(),
        40_210,
        "its files replace the in-flight count"
    );
    assert_eq!(app.results.sized.len(), 1, "its sizes are kept");
    feed(&mut app, [ch('j')]);
    assert_eq!(
        selected_device(&app),
        "Anna's iPhone",
        "keys work while the scan runs"
    );
}

#[test]
fn mouse_focuses_and_selects() {
    let mut app = scanned(options(true, false, false));
    app.update(Msg::Resize(80, 24));
    app.update(Msg::Click { column: 10, row: 5 });
    assert_eq!(
        selected_device(&app),
        "Anna's iPhone",
        "a click on the second device row selects it"
    );
    app.update(Msg::Click { column: 5, row: 12 });
    assert_eq!(
        app.focus,
        Pane::Versions,
        "a click in the versions pane focuses it"
    );
    assert_eq!(
        selected_version(&app),
        p("phone-snapshot"),
        "and selects the clicked row"
    );
    app.update(Msg::Wheel {
        column: 5,
        row: 12,
        down: true,
    });
    assert_eq!(
        selected_version(&app),
        p("phone-archive"),
        "the wheel moves the selection"
    );
    app.update(Msg::Click {
        column: 70,
        row: 22,
    });
    assert_eq!(
        app.focus,
        Pane::Versions,
        "a click outside the panes changes nothing"
    );
}
