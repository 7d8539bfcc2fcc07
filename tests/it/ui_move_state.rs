//! The move dialog's state without a disk (job messages made by hand): progress with rate and
//! time left, what a cancel says it leaves (and that removing the original is not cancelled),
//! and a move found unfinished that the user leaves for later is not asked about again.

use std::path::PathBuf;
use std::time::Duration;

use backtop::actions::relocate::journal::{Direction, MoveNote, Phase};
use backtop::actions::relocate::tree::Counts;
use backtop::actions::relocate::{MoveOutcome, MoveProgress, MoveStatus, Stage};
use backtop::tasks::relocate::{InterruptedMove, MoveEnd, MoveRequest};
use backtop::tasks::{JobEvent, JobId, JobKind, JobMsg, Outcome, Progress};
use backtop::ui::app::MovePhase;
use backtop::ui::{App, Effect, Msg};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::support::ui_fixture::{fresh, options, path, IMAZING, PHONE};
use crate::support::ui_screen::screen;

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn job(app: &mut App, id: u64, kind: JobKind, event: JobEvent) -> Vec<Effect> {
    app.update(Msg::Job(JobMsg::new(JobId(id), kind, event)))
}

fn note(phase: Phase) -> MoveNote {
    MoveNote {
        direction: Direction::Away,
        root: path(IMAZING, PHONE),
        far: PathBuf::from("/Volumes/T7/iMazing"),
        phase,
        made_far: true,
        parts: Vec::new(),
        recopy: false,
        started: 0,
        pid: 1,
        stopped: None,
    }
}

fn left(phase: Phase) -> InterruptedMove {
    let note = note(phase);
    InterruptedMove {
        text: backtop::actions::relocate::words::interrupted_text(&note),
        note,
    }
}

/// An app whose move dialog runs job 7 (the move of the phone's backups in the iMazing root to
/// /Volumes/T7/iMazing), started from a resumed journal.
fn running() -> App {
    let mut app = fresh(options(false, false, false));
    // The first device is the phone; its newest version is in the iMazing root.
    app.update(Msg::UnfinishedMoves(vec![left(Phase::Copying)]));
    let effects = key(&mut app, KeyCode::Char('r'));
    assert_eq!(
        effects,
        vec![Effect::Move(MoveRequest {
            place: path(IMAZING, PHONE),
            dest: Some(PathBuf::from("/Volumes/T7/iMazing")),
            back: false,
            remove_original: false,
        })]
    );
    job(&mut app, 7, JobKind::Move, JobEvent::Started { total: 1 });
    app
}

fn progress(stage: Stage, done: (u64, u64), total: (u64, u64), secs: u64) -> JobEvent {
    JobEvent::Progress(Progress::Move {
        progress: MoveProgress {
            stage,
            done: Counts {
                entries: done.0,
                bytes: done.1,
            },
            total: Counts {
                entries: total.0,
                bytes: total.1,
            },
        },
        elapsed: Duration::from_secs(secs),
    })
}

#[test]
fn progress_shows_rate_and_time_left_and_a_cancel_says_what_it_leaves() {
    let mut app = running();
    job(
        &mut app,
        7,
        JobKind::Move,
        progress(
            Stage::Copying,
            (1_000, 2_000_000_000),
            (4_000, 8_000_000_000),
            10,
        ),
    );
    let shown = screen(&mut app, 100, 30);
    assert!(
        shown.contains("Moves       one device's backups ~/…"),
        "{shown}"
    );
    assert!(
        shown.contains("copying: 1,000 of 4,000 entries, 2 GB of 8 GB"),
        "{shown}"
    );
    assert!(shown.contains("200 MB/s, about 30 s left"), "{shown}");
    assert!(
        shown.contains("Esc stops it: the original stays in place and untouched"),
        "{shown}"
    );
    assert_eq!(key(&mut app, KeyCode::Esc), vec![Effect::Cancel(JobId(7))]);
    assert!(screen(&mut app, 100, 30).contains("stopping…"));
    // A second Esc sends nothing more.
    assert_eq!(key(&mut app, KeyCode::Esc), Vec::new());
    let outcome = MoveOutcome {
        status: MoveStatus::Cancelled,
        root: path(IMAZING, PHONE),
        far: PathBuf::from("/Volumes/T7/iMazing"),
        phase: Some(Phase::Copying),
        kept: None,
        message: "cancelled; the original is in place; run the same move again".into(),
    };
    let effects = job(
        &mut app,
        7,
        JobKind::Move,
        JobEvent::Done(Outcome::Moved(Box::new(MoveEnd {
            result: Ok(outcome),
            left: Some(left(Phase::Copying)),
        }))),
    );
    assert_eq!(effects, vec![Effect::Rescan]);
    let phase = app.move_dialog().unwrap().phase.clone();
    assert!(matches!(phase, MovePhase::Interrupted { said: Some(ref s), .. } if s == "Cancelled."));
    let shown = screen(&mut app, 100, 30);
    assert!(
        shown.contains("The move stopped while copying: the original is untouched and in use"),
        "{shown}"
    );
    assert!(
        shown.contains("r resume   a roll back   Esc/q later"),
        "{shown}"
    );
}

#[test]
fn removing_the_original_is_not_cancelled_and_says_so() {
    let mut app = running();
    job(
        &mut app,
        7,
        JobKind::Move,
        progress(Stage::Removing, (300, 5_000_000), (0, 0), 2),
    );
    let shown = screen(&mut app, 100, 30);
    assert!(
        shown.contains("removing the original: 300 entries, 5 MB"),
        "{shown}"
    );
    assert!(
        shown.contains("Removing the original cannot be stopped: the verified copy is in use."),
        "{shown}"
    );
    assert_eq!(key(&mut app, KeyCode::Esc), Vec::new());
    assert!(app
        .status
        .as_deref()
        .is_some_and(|s| s.starts_with("removing the original cannot be stopped")));
}

#[test]
fn a_move_left_for_later_is_not_asked_again_this_run() {
    let mut app = fresh(options(false, false, false));
    app.update(Msg::UnfinishedMoves(vec![left(Phase::Switched)]));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("A move is unfinished"), "{shown}");
    assert!(
        shown.contains("Resume removes the original permanently"),
        "{shown}"
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.move_dialog().is_none());
    app.update(Msg::UnfinishedMoves(vec![left(Phase::Switched)]));
    assert!(app.move_dialog().is_none());
    // Roll back of one found at start asks the host to abort it.
    let mut app = fresh(options(false, false, false));
    app.update(Msg::UnfinishedMoves(vec![left(Phase::Verified)]));
    assert_eq!(
        key(&mut app, KeyCode::Char('a')),
        vec![Effect::AbortMove(path(IMAZING, PHONE))]
    );
}
