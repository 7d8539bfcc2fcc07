//! The job registry on its own: messages in order, latest wins without waiting for the old
//! job, cancel by id, several jobs at once, and a panicking worker reported as a failed job.

use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use super::*;

const WAIT: Duration = Duration::from_secs(30);

fn registry() -> (Jobs, Receiver<JobMsg>) {
    let (tx, rx) = channel();
    let tx = std::sync::Mutex::new(tx);
    let sink: Sink = Arc::new(move |m| {
        let _ = tx.lock().expect("sink").send(m);
    });
    (Jobs::new(sink), rx)
}

/// Messages until job `id` ended (Done or Failed), every job's, in arrival order.
fn until_end(rx: &Receiver<JobMsg>, id: JobId) -> Vec<JobMsg> {
    let mut out = Vec::new();
    loop {
        let m = rx.recv_timeout(WAIT).expect("a job message");
        let end = m.id == id && matches!(m.event, JobEvent::Done(_) | JobEvent::Failed(_));
        out.push(m);
        if end {
            return out;
        }
    }
}

fn verified(cancelled: bool) -> Outcome {
    Outcome::Verified {
        reports: Vec::new(),
        cancelled,
    }
}

#[test]
fn a_job_reports_started_progress_and_its_outcome_in_order() {
    let (mut jobs, rx) = registry();
    let id = jobs.spawn(JobKind::Verify, 3, |ctx| {
        ctx.progress(Progress::ItemDone { freed: 7 });
        verified(false)
    });
    let msgs = until_end(&rx, id);
    assert!(msgs.iter().all(|m| m.id == id && m.kind == JobKind::Verify));
    assert!(matches!(msgs[0].event, JobEvent::Started { total: 3 }));
    assert!(matches!(
        msgs[1].event,
        JobEvent::Progress(Progress::ItemDone { freed: 7 })
    ));
    assert!(matches!(&msgs[2].event, JobEvent::Done(o) if *o == verified(false)));
    assert_eq!(msgs.len(), 3);
}

#[test]
fn a_newer_scan_cancels_the_running_one_without_waiting_for_it() {
    let (mut jobs, rx) = registry();
    // The first scan cannot end before the test lets it: spawning the second must not wait.
    let gate = Arc::new(Barrier::new(2));
    let hold = gate.clone();
    let first = jobs.spawn(JobKind::Scan, 0, move |ctx| {
        hold.wait();
        Outcome::Scanned {
            elapsed: Duration::ZERO,
            cancelled: ctx.cancelled(),
        }
    });
    // A job of another kind is not touched by the newer scan.
    let verify = jobs.spawn(JobKind::Verify, 0, |ctx| {
        while !ctx.cancelled() {
            std::thread::sleep(Duration::from_millis(1));
        }
        verified(true)
    });
    let second = jobs.spawn(JobKind::Scan, 0, |_| Outcome::Scanned {
        elapsed: Duration::ZERO,
        cancelled: false,
    });
    assert!(first < second, "ids grow");
    gate.wait();
    let msgs = until_end(&rx, first);
    let end = msgs.last().expect("first scan's end");
    assert!(
        matches!(
            &end.event,
            JobEvent::Done(Outcome::Scanned {
                cancelled: true,
                ..
            })
        ),
        "the superseded scan saw its cancel: {:?}",
        end.event
    );
    assert!(jobs.running().contains(&verify), "the verify still runs");
    jobs.cancel(verify);
    let msgs = until_end(&rx, verify);
    assert!(matches!(
        &msgs.last().expect("end").event,
        JobEvent::Done(o) if *o == verified(true)
    ));
}

#[test]
fn the_receiver_drops_what_a_superseded_job_still_sends() {
    let mut latest = Latest::default();
    assert!(latest.admit(JobId(4)));
    assert!(latest.admit(JobId(4)), "the same job keeps counting");
    assert!(latest.admit(JobId(6)), "a newer job takes over");
    assert!(
        !latest.admit(JobId(5)),
        "an older job's late message is dropped"
    );
    assert_eq!(latest.newest(), Some(JobId(6)));
}

#[test]
fn a_panicking_worker_becomes_a_failed_job_and_the_rest_go_on() {
    let (mut jobs, rx) = registry();
    let bad = jobs.spawn(JobKind::Verify, 1, |_| panic!("manifest row 12 is odd"));
    let msgs = until_end(&rx, bad);
    match &msgs.last().expect("an end").event {
        JobEvent::Failed(why) => assert!(why.contains("manifest row 12 is odd"), "{why}"),
        other => panic!("expected a failed job, got {other:?}"),
    }
    let good = jobs.spawn(JobKind::Verify, 0, |_| verified(false));
    let msgs = until_end(&rx, good);
    assert!(matches!(
        &msgs.last().expect("end").event,
        JobEvent::Done(_)
    ));
}

#[test]
fn shutdown_cancels_everything_and_waits_for_a_delete() {
    let (mut jobs, rx) = registry();
    let delete = jobs.spawn(JobKind::Delete { permanent: true }, 1, |ctx| {
        while !ctx.cancelled() {
            std::thread::sleep(Duration::from_millis(1));
        }
        Outcome::Deleted(DeleteSummary {
            cancelled: true,
            ..DeleteSummary::default()
        })
    });
    jobs.shutdown();
    assert!(jobs.running().is_empty());
    let msgs: Vec<JobMsg> = rx.try_iter().collect();
    assert!(
        msgs.iter()
            .any(|m| m.id == delete && matches!(m.event, JobEvent::Done(_))),
        "the delete ended before shutdown returned: {msgs:?}"
    );
}
