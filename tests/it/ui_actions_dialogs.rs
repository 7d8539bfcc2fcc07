//! Journeys through `App::update` for the action dialogs: the delete confirmation with the
//! guards' verdicts (typed device name, iMazing warning, refusals, trash or permanent), the
//! prune preview with `+`/`-`, and the copied-path dialog. Pure: keys and messages in, state
//! and effects out.

use crate::support::ui_fixture;

use std::path::PathBuf;

use backtop::tasks::{DeleteRequest, TargetCheck, Verdict};
use backtop::ui::app::ViewKind;
use backtop::ui::keymap::Scope;
use backtop::ui::{App, Confirm, Effect, Msg};
use crossterm::event::KeyCode;
use ui_fixture::*;

fn check(name: &str, verdict: Verdict) -> TargetCheck {
    TargetCheck {
        path: p(name),
        verdict,
    }
}

/// The phone's three versions marked, `d` pressed, and the guards' answer delivered.
fn phone_dialog_with_checks() -> App {
    let mut app = scanned(options(true, false, false));
    feed(
        &mut app,
        [ch('j'), key(KeyCode::Enter), ch(' '), ch(' '), ch(' ')],
    );
    assert_eq!(app.marks.len(), 3, "three phone versions marked");
    feed(&mut app, [ch('d')]);
    app.update(guard_checks(vec![
        check(
            "phone-live",
            Verdict::NeedsTyping {
                reason: "the newest complete backup of Anna's iPhone".into(),
                name: "Anna's iPhone".into(),
            },
        ),
        check(
            "phone-snapshot",
            Verdict::NeedsConfirm {
                reason: "iMazing's Versions.db still lists this snapshot".into(),
            },
        ),
        check(
            "phone-archive",
            Verdict::Refused {
                reason: "no such file or folder".into(),
            },
        ),
    ]));
    app
}

fn dialog(app: &App) -> backtop::ui::app::DeleteDialog {
    match app.confirm() {
        Some(Confirm::Delete(d)) => d.clone(),
        other => panic!("expected the delete dialog, got {other:?}"),
    }
}

#[test]
fn the_newest_backup_goes_only_after_typing_the_device_name() {
    let mut app = phone_dialog_with_checks();
    assert_eq!(
        app.modal(),
        Some(Scope::Typed),
        "a target needing force makes the dialog ask for typing"
    );
    assert_eq!(
        dialog(&app).required_name().as_deref(),
        Some("Anna's iPhone")
    );
    assert!(
        feed(&mut app, [ch('y'), ch('n'), ch('t')]).is_empty(),
        "y, n and t are letters while typing, not answers"
    );
    assert_eq!(dialog(&app).typed, "ynt", "they were typed");
    assert!(
        feed(&mut app, [key(KeyCode::Enter)]).is_empty(),
        "Enter with the wrong name does nothing"
    );
    assert_eq!(
        app.status.as_deref(),
        Some("\"ynt\" is not Anna's iPhone: type the device name exactly as shown")
    );
    feed(&mut app, (0..3).map(|_| key(KeyCode::Backspace)));
    assert_eq!(dialog(&app).typed, "", "Backspace erases");
    feed(&mut app, "Anna's iPhone".chars().map(ch));
    feed(&mut app, [key(KeyCode::Tab)]);
    assert!(dialog(&app).permanent, "Tab switches to permanent here");
    let effects = feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        effects,
        [Effect::Delete(DeleteRequest {
            paths: vec![p("phone-live"), p("phone-snapshot")],
            permanent: true,
            forced: vec![p("phone-live")],
            confirm_imazing: true,
        })],
        "the refused archive is left out; typing forces the typed target only, answering \
         after the warning confirms"
    );
    assert!(app.confirm().is_none(), "the dialog closed");
    assert_eq!(
        app.marks.iter().cloned().collect::<Vec<PathBuf>>(),
        [p("phone-archive")],
        "only the refused version stays marked"
    );
}

#[test]
fn esc_cancels_a_typed_confirmation() {
    let mut app = phone_dialog_with_checks();
    feed(&mut app, "Anna".chars().map(ch));
    assert!(feed(&mut app, [key(KeyCode::Esc)]).is_empty());
    assert!(app.confirm().is_none(), "Esc closes the dialog");
    assert_eq!(app.marks.len(), 3, "nothing was deleted, marks stay");
}

#[test]
fn yes_waits_for_the_guards_and_refused_sets_go_nowhere() {
    let mut app = scanned(options(true, false, false));
    let effects = feed(
        &mut app,
        [ch('j'), key(KeyCode::Enter), key(KeyCode::End), ch('d')],
    );
    assert_eq!(
        effects,
        [
            Effect::PlanDelete(vec![p("phone-archive")]),
            Effect::Loss(vec![p("phone-archive")])
        ]
    );
    assert!(
        feed(&mut app, [ch('y'), ch('t'), ch('n'), key(KeyCode::Enter)]).is_empty(),
        "no verdict yet: y, t, n and Enter do nothing"
    );
    assert_eq!(
        app.status.as_deref(),
        Some("still checking what may be deleted (Esc closes)")
    );
    assert!(
        !dialog(&app).permanent,
        "t typed ahead did not switch to permanent"
    );
    assert!(app.confirm().is_some(), "the dialog stays open");
    app.update(guard_checks(vec![check(
        "phone-live",
        Verdict::Refused { reason: "x".into() },
    )]));
    assert_eq!(
        dialog(&app).checks,
        None,
        "an answer about other paths is ignored"
    );
    app.update(guard_checks(vec![check(
        "phone-archive",
        Verdict::Refused {
            reason: "is a symbolic link".into(),
        },
    )]));
    assert_eq!(app.modal(), Some(Scope::Confirm));
    assert!(feed(&mut app, [ch('y')]).is_empty(), "nothing may go");
    assert_eq!(app.status.as_deref(), Some("nothing here may be deleted"));
    assert!(app.confirm().is_none());
}

#[test]
fn t_toggles_permanent_and_yes_deletes_the_allowed_archive() {
    let mut app = scanned(options(true, false, false));
    feed(
        &mut app,
        [ch('j'), key(KeyCode::Enter), key(KeyCode::End), ch('d')],
    );
    app.update(guard_checks(vec![check(
        "phone-archive",
        Verdict::Allowed { warnings: vec![] },
    )]));
    assert!(!dialog(&app).permanent, "trash by default");
    feed(&mut app, [ch('t'), ch('t'), ch('t')]);
    assert!(dialog(&app).permanent, "t toggles");
    assert_eq!(
        feed(&mut app, [ch('y')]),
        [Effect::Delete(DeleteRequest {
            paths: vec![p("phone-archive")],
            permanent: true,
            forced: vec![],
            confirm_imazing: false,
        })]
    );
}

#[test]
fn prune_preview_follows_plus_and_minus() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('p')]);
    let prune = |app: &App| match app.confirm() {
        Some(Confirm::Prune(p)) => p.clone(),
        other => panic!("expected the prune preview, got {other:?}"),
    };
    assert_eq!(app.modal(), Some(Scope::Prune));
    assert_eq!(prune(&app).keep, 2, "keeps 2 per device by default");
    assert_eq!(prune(&app).remove, [p("phone-archive")]);
    assert_eq!(
        prune(&app).reasons,
        ["Anna's iPhone: number 3 by date, 101 days old"]
    );
    feed(&mut app, [ch('-')]);
    assert_eq!(prune(&app).keep, 1);
    assert_eq!(
        prune(&app).remove,
        [p("phone-snapshot"), p("phone-archive")],
        "keeping 1 also removes the iMazing snapshot"
    );
    assert_eq!(prune(&app).snapshots, 1);
    feed(&mut app, [ch('-')]);
    assert_eq!(prune(&app).keep, 1, "never fewer than 1");
    feed(&mut app, [ch('+'), ch('+')]);
    assert_eq!(prune(&app).keep, 3);
    assert!(prune(&app).remove.is_empty(), "keeping 3 removes nothing");
    assert!(feed(&mut app, [ch('y')]).is_empty());
    assert_eq!(
        app.status.as_deref(),
        Some("nothing to prune when keeping 3")
    );

    feed(&mut app, [ch('p'), ch('-'), ch('t')]);
    assert_eq!(
        feed(&mut app, [key(KeyCode::Enter)]),
        [Effect::Delete(DeleteRequest {
            paths: vec![p("phone-snapshot"), p("phone-archive")],
            permanent: true,
            forced: vec![],
            confirm_imazing: true,
        })],
        "confirming the preview deletes its set; it confirms the iMazing warning too"
    );
}

#[test]
fn a_copied_path_offers_a_shell() {
    let mut app = scanned(options(true, false, false));
    app.update(Msg::Copied(p("phone-live")));
    assert_eq!(app.modal(), Some(Scope::Copied));
    assert_eq!(
        feed(&mut app, [ch('!')]),
        [Effect::Shell(p("phone-live"))],
        "! asks for a shell there"
    );
    assert!(app.report().is_none(), "and closes the dialog");
    assert!(
        feed(&mut app, [ch('!')]).is_empty() && app.views.is_open(ViewKind::Alerts),
        "elsewhere ! opens the alerts"
    );
    feed(&mut app, [ch('!')]);
    app.update(Msg::Copied(p("phone-live")));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(app.report().is_none(), "Esc closes it");
    assert!(
        feed(&mut app, [ch('q')]) == [Effect::Quit],
        "and q quits again afterwards"
    );
}

#[test]
fn dialog_keys_resolve_by_scope() {
    use backtop::ui::keymap::{resolve, Action, Key};
    let k = |code| Key { code, ctrl: false };
    let c = |ch| k(KeyCode::Char(ch));
    let cases: &[(Key, &[Scope], Option<Action>)] = &[
        (c('t'), &[Scope::Confirm], Some(Action::ToggleMode)),
        (c('y'), &[Scope::Typed], None),
        (k(KeyCode::Tab), &[Scope::Typed], Some(Action::ToggleMode)),
        (k(KeyCode::Enter), &[Scope::Typed], Some(Action::Confirm)),
        (
            c('+'),
            &[Scope::Prune, Scope::Confirm],
            Some(Action::KeepMore),
        ),
        (
            c('-'),
            &[Scope::Prune, Scope::Confirm],
            Some(Action::KeepFewer),
        ),
        (
            c('y'),
            &[Scope::Prune, Scope::Confirm],
            Some(Action::Confirm),
        ),
        (c('!'), &[Scope::Copied], Some(Action::Shell)),
        (
            c('!'),
            &[Scope::Versions, Scope::Global],
            Some(Action::Alerts),
        ),
        (
            k(KeyCode::Esc),
            &[Scope::Versions, Scope::Task, Scope::Global],
            Some(Action::CancelTask),
        ),
        (
            k(KeyCode::Esc),
            &[Scope::Versions, Scope::Global],
            Some(Action::Back),
        ),
        (c('q'), &[Scope::Report], Some(Action::Close)),
    ];
    for (key, scopes, want) in cases {
        assert_eq!(
            resolve(*key, scopes),
            *want,
            "{} in {scopes:?}",
            key.label()
        );
    }
}

/// `n` versions marked (any paths: the dialog only shows them), `d`, and their verdicts.
fn dialog_of(verdicts: Vec<(PathBuf, Verdict)>) -> App {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
    app.marks = verdicts.iter().map(|(p, _)| p.clone()).collect();
    let effects = feed(&mut app, [ch('d')]);
    assert!(
        matches!(effects[..], [Effect::PlanDelete(_), Effect::Loss(_)]),
        "{effects:?}"
    );
    let checks = verdicts
        .into_iter()
        .map(|(path, verdict)| TargetCheck { path, verdict })
        .collect();
    app.update(guard_checks(checks));
    app
}

#[test]
fn warned_targets_come_first_and_the_list_scrolls() {
    let path = |i: usize| PathBuf::from(format!("/b/v{i:02}"));
    let plain = || Verdict::Allowed { warnings: vec![] };
    let mut verdicts: Vec<(PathBuf, Verdict)> = (0..12).map(|i| (path(i), plain())).collect();
    verdicts[9].1 = Verdict::Allowed {
        warnings: vec!["it was the device's newest complete backup".into()],
    };
    verdicts[11].1 = Verdict::NeedsConfirm {
        reason: "iMazing may list it".into(),
    };
    let mut app = dialog_of(verdicts);
    let d = dialog(&app);
    assert_eq!(
        d.paths[..3],
        [path(11), path(9), path(0)],
        "flagged first, then in order"
    );
    assert_eq!(d.flagged(), 2);
    feed(&mut app, [ch('j'), key(KeyCode::Down), ch('k')]);
    assert_eq!(dialog(&app).scroll, 1, "j/Down scroll down, k up");
    feed(&mut app, (0..20).map(|_| ch('j')));
    assert_eq!(dialog(&app).scroll, 11, "never past the last target");
    let effects = feed(&mut app, [ch('y')]);
    assert!(
        matches!(&effects[..], [Effect::Delete(r)] if r.paths.len() == 12 && r.forced.is_empty() && r.confirm_imazing),
        "{effects:?}"
    );
}

#[test]
fn a_copied_path_arriving_during_a_dialog_waits_below_it() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('p')]);
    app.update(Msg::Copied(p("phone-live")));
    assert_eq!(
        app.modal(),
        Some(Scope::Prune),
        "the dialog keeps the keys while the copied path waits"
    );
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(
        app.modal(),
        Some(Scope::Copied),
        "closing the dialog shows the copied path"
    );
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.modal(), None);
}

#[test]
fn the_wheel_scrolls_help_but_not_a_dialog_or_the_panes_under_it() {
    let mut app = scanned(options(true, false, false));
    let wheel = Msg::Wheel {
        column: 10,
        row: 5,
        down: true,
    };
    feed(&mut app, [ch('?')]);
    app.update(wheel.clone());
    assert_eq!(
        app.views.top(),
        Some(&backtop::ui::app::View::Help { scroll: 3 }),
        "the wheel scrolls help by three lines"
    );
    feed(&mut app, [ch('?'), ch('j'), key(KeyCode::Enter), ch('d')]);
    let before = app.version().map(|v| v.path.clone());
    app.update(wheel);
    assert_eq!(
        app.version().map(|v| v.path.clone()),
        before,
        "the panes under the dialog do not move"
    );
}
