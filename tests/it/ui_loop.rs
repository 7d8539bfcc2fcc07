//! The run loop on a `TestBackend` with a fake host: scan jobs' events and keys are both
//! answered, `r` starts another scan, effects reach the host, and a closed input quits.

use crate::support::ui_fixture;

use std::time::Duration;

use backtop::scan::ScanEvent;
use backtop::tasks::{JobKind, Jobs, Outcome, Progress};
use backtop::ui::{job_sink, run_loop, Effect, Host, Msg};
use crossbeam_channel::{unbounded, Receiver, Sender};
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use ui_fixture::*;

/// Scans are jobs that replay the fixture's sizes; reports every other effect it is asked.
struct FakeHost {
    scans: usize,
    jobs: Jobs,
    performed: Sender<Effect>,
}

impl Host for FakeHost {
    fn connect(&mut self, messages: Sender<Msg>) {
        self.jobs = Jobs::new(job_sink(messages));
    }
    fn perform(&mut self, effect: Effect) -> Option<String> {
        if effect != Effect::Rescan {
            self.performed.send(effect).unwrap();
            return Some("done".into());
        }
        self.scans += 1;
        self.jobs.spawn(JobKind::Scan, 0, |ctx| {
            let send = |ev| ctx.progress(Progress::Scan(ev));
            send(ScanEvent::Discovered(library()));
            for (path, usage) in usages() {
                send(ScanEvent::Sized { path, usage });
            }
            send(ScanEvent::Volumes(volumes()));
            Outcome::Scanned {
                elapsed: Duration::from_secs(1),
                cancelled: false,
            }
        });
        None
    }
}

fn host() -> (FakeHost, Receiver<Effect>) {
    let (tx, rx) = unbounded();
    (
        FakeHost {
            scans: 0,
            jobs: Jobs::detached(),
            performed: tx,
        },
        rx,
    )
}

fn send(tx: &Sender<Msg>, msgs: impl IntoIterator<Item = Msg>) {
    for m in msgs {
        tx.send(m).unwrap();
    }
}

#[test]
fn the_loop_feeds_scan_events_and_keys_and_runs_effects() {
    let (mut host, performed) = host();
    let (tx, rx) = unbounded();
    host.connect(tx.clone());
    let looping = std::thread::spawn(move || {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let mut app = fresh(options(true, false, false));
        run_loop(&mut terminal, &mut app, &mut host, &rx, now).unwrap();
        (app, host, terminal)
    });
    send(&tx, [ch('j'), key(KeyCode::Enter), ch('o')]);
    let effect = performed
        .recv_timeout(Duration::from_secs(30))
        .expect("the host is asked to open");
    assert_eq!(
        effect,
        Effect::Open(p("phone-live")),
        "o reaches the host as an effect"
    );
    send(&tx, [ch('r'), Msg::Quit]);
    let (app, host, terminal) = looping.join().expect("the loop ends");

    assert_eq!(
        host.scans, 2,
        "a scan starts at launch and r starts another"
    );
    assert_eq!(
        app.results.sized.len(),
        5,
        "sizes from the scan were folded in"
    );
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        screen.contains("Devices (4)"),
        "frames were drawn while the loop ran"
    );
    assert_eq!(
        app.focus,
        backtop::ui::Pane::Versions,
        "the keys moved the focus"
    );
}

#[test]
fn a_closed_input_ends_the_loop() {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut app = fresh(options(true, false, false));
    let (mut host, _performed) = host();
    let (tx, rx) = unbounded::<Msg>();
    drop(tx);
    run_loop(&mut terminal, &mut app, &mut host, &rx, now).unwrap();
    assert_eq!(
        host.scans, 1,
        "the loop ran and returned once its input was gone"
    );
}
