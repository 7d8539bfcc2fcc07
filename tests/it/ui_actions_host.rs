//! The dashboard's real host on real folders: rescans re-discover the disk on a thread, the
//! delete guards' verdicts (typed name, iMazing warning, refusal), deletes and verifies on
//! worker threads streaming task events, and open over SSH copying the path.

use crate::support::anna_backups;

use std::path::PathBuf;
use std::time::Duration;

use anna_backups::{live, march};
use backtop::actions::open::OpenEnv;
use backtop::cli::RootArgs;
use backtop::commands::context::RunRoots;
use backtop::commands::host::DashboardHost;
use backtop::demo::{build_demo, DemoOptions};
use backtop::library::VersionKind;
use backtop::scan::ScanEvent;
use backtop::tasks::{
    DeleteRequest, DeleteSummary, JobEvent, JobKind, JobMsg, Outcome, Progress, TargetCheck,
    Verdict,
};
use backtop::ui::{Effect, Host, Msg};
use crossbeam_channel::{unbounded, Receiver};
use time::macros::datetime;

const WAIT: Duration = Duration::from_secs(30);

/// A host over `roots` only (as `--only --root ...`), connected to a channel.
fn host(roots: &[PathBuf]) -> (DashboardHost, Receiver<Msg>) {
    let args = RootArgs {
        roots: roots.to_vec(),
        only: true,
        ..RootArgs::default()
    };
    let run = RunRoots::resolve(&args, &[]).expect("roots");
    let library = run.discover();
    let mut host = DashboardHost::new(run, library, false, DashboardHost::no_sizing());
    let (tx, rx) = unbounded();
    host.connect(tx);
    (host, rx)
}

/// The next job message.
fn next(rx: &Receiver<Msg>) -> JobMsg {
    match rx.recv_timeout(WAIT).expect("a job message") {
        Msg::Job(m) => m,
        other => panic!("unexpected message {other:?}"),
    }
}

/// One job's messages from `Started` to its end.
fn job_messages(rx: &Receiver<Msg>) -> Vec<JobMsg> {
    let mut out = Vec::new();
    loop {
        let m = next(rx);
        let end = matches!(m.event, JobEvent::Done(_) | JobEvent::Failed(_));
        out.push(m);
        if end {
            return out;
        }
    }
}

/// The scan events of one scan job, and how it ended.
fn scan(host: &mut DashboardHost, rx: &Receiver<Msg>) -> (Vec<ScanEvent>, Outcome) {
    host.perform(Effect::Rescan);
    let msgs = job_messages(rx);
    assert!(msgs.iter().all(|m| m.kind == JobKind::Scan));
    let mut events = Vec::new();
    for m in msgs {
        match m.event {
            JobEvent::Progress(Progress::Scan(ev)) => events.push(ev),
            JobEvent::Done(outcome) => return (events, outcome),
            _ => {}
        }
    }
    unreachable!("job_messages ends with Done or Failed")
}

/// A delete or verify job's progress, and its outcome.
fn task(rx: &Receiver<Msg>) -> (Vec<Progress>, Outcome) {
    let mut progress = Vec::new();
    for m in job_messages(rx) {
        match m.event {
            JobEvent::Progress(p) => progress.push(p),
            JobEvent::Done(outcome) => return (progress, outcome),
            JobEvent::Failed(why) => panic!("the job failed: {why}"),
            JobEvent::Started { .. } => {}
        }
    }
    unreachable!("job_messages ends with Done or Failed")
}

/// The guards' verdicts from a check job.
fn checks(rx: &Receiver<Msg>) -> Vec<TargetCheck> {
    match task(rx).1 {
        Outcome::Checked(checks) => checks,
        other => panic!("not a check: {other:?}"),
    }
}

fn deleted(outcome: Outcome) -> DeleteSummary {
    match outcome {
        Outcome::Deleted(summary) => summary,
        other => panic!("not a delete: {other:?}"),
    }
}

#[test]
fn rescans_rediscover_the_disk_off_the_ui_thread() {
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("Backup");
    live(&root);
    let (mut host, rx) = host(std::slice::from_ref(&root));
    let (events, outcome) = scan(&mut host, &rx);
    let ScanEvent::Discovered(lib) = &events[0] else {
        panic!("a scan starts with the discovered library: {events:?}");
    };
    assert_eq!(lib.versions().count(), 1);
    assert!(
        matches!(
            outcome,
            Outcome::Scanned {
                cancelled: false,
                ..
            }
        ),
        "the scan ends even when the sizing scan sends nothing"
    );
    march(&root);
    let (events, _) = scan(&mut host, &rx);
    let ScanEvent::Discovered(lib) = &events[0] else {
        panic!("discovered first");
    };
    assert_eq!(lib.versions().count(), 2, "r finds a new backup");
    assert_eq!(
        host.library().versions().count(),
        2,
        "the host keeps it for the guards"
    );
}

#[test]
fn the_guards_answer_for_each_target() {
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("Backup");
    let live = live(&root);
    let old = march(&root);
    let (mut host, rx) = host(std::slice::from_ref(&root));
    let outside = dir.path().join("elsewhere");
    std::fs::create_dir(&outside).expect("mkdir");
    host.perform(Effect::PlanDelete(vec![
        old.clone(),
        live.clone(),
        root.clone(),
        outside,
    ]));
    let checks = checks(&rx);
    let verdicts: Vec<&Verdict> = checks.iter().map(|c| &c.verdict).collect();
    assert_eq!(
        verdicts[0],
        &Verdict::Allowed { warnings: vec![] },
        "the archive may go"
    );
    assert_eq!(
        verdicts[1],
        &Verdict::NeedsTyping {
            reason: "the newest complete backup of Anna's iPhone".into(),
            name: "Anna's iPhone".into(),
        },
        "the newest complete backup needs the device name"
    );
    assert!(
        matches!(verdicts[2], Verdict::Refused { reason } if reason.contains("backup root")),
        "the root itself is refused: {:?}",
        verdicts[2]
    );
    assert!(
        matches!(verdicts[3], Verdict::Refused { .. }),
        "a folder outside every root is refused"
    );
}

#[test]
fn a_permanent_delete_streams_progress_and_leaves_the_rest() {
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("Backup");
    let live = live(&root);
    let old = march(&root);
    let (mut host, rx) = host(std::slice::from_ref(&root));
    host.perform(Effect::Delete(DeleteRequest {
        paths: vec![old.clone()],
        permanent: true,
        forced: vec![],
        confirm_imazing: false,
    }));
    let msgs = job_messages(&rx);
    let kind = JobKind::Delete { permanent: true };
    assert!(
        msgs.iter().all(|m| m.kind == kind),
        "one permanent delete job"
    );
    assert!(matches!(msgs[0].event, JobEvent::Started { total: 1 }));
    assert!(
        matches!(&msgs[1].event, JobEvent::Progress(Progress::Item { path }) if *path == old),
        "{:?}",
        msgs[1].event
    );
    let Some(JobEvent::Done(outcome)) = msgs.last().map(|m| m.event.clone()) else {
        panic!("the delete ends with its outcome");
    };
    let summary = deleted(outcome);
    assert_eq!(
        (summary.gone, summary.cancelled),
        (1, false),
        "the archive is gone"
    );
    assert!(
        summary.freed >= 5_000,
        "it freed at least its file contents: {}",
        summary.freed
    );
    assert!(!old.exists(), "the folder is gone");
    assert!(
        live.join("Manifest.db").is_file(),
        "the live backup is intact"
    );
    assert_eq!(
        std::fs::read_dir(&root).expect("root").count(),
        1,
        "no marker left"
    );
}

#[test]
fn forcing_is_what_lets_the_newest_backup_go() {
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("Backup");
    let live = live(&root);
    let old = march(&root);
    let (mut host, rx) = host(std::slice::from_ref(&root));
    let request = |forced: Vec<PathBuf>| DeleteRequest {
        paths: vec![live.clone()],
        permanent: true,
        forced,
        confirm_imazing: false,
    };
    let refused_live = |s: &DeleteSummary| {
        s.failures
            .iter()
            .any(|f| f.starts_with(&live.display().to_string()))
    };
    host.perform(Effect::Delete(request(vec![])));
    let refused = deleted(task(&rx).1);
    assert!(
        refused_live(&refused) && refused.gone == 0,
        "without force the worker's guard refuses: {refused:?}"
    );
    // Typing confirmed another target: the newest backup is not forced with it.
    host.perform(Effect::Delete(DeleteRequest {
        paths: vec![old.clone(), live.clone()],
        forced: vec![old.clone()],
        ..request(vec![])
    }));
    let summary = deleted(task(&rx).1);
    assert!(
        refused_live(&summary) && summary.gone == 1,
        "only typed paths are forced: {summary:?}"
    );
    assert!(!old.exists(), "the archive went");
    assert!(live.is_dir(), "still there");
    host.perform(Effect::Delete(request(vec![live.clone()])));
    task(&rx);
    assert!(!live.exists(), "typed confirmation (force) deletes it");
}

#[test]
fn verify_runs_on_a_worker_and_reports() {
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("Backup");
    let live = live(&root);
    let (mut host, rx) = host(&[root]);
    host.perform(Effect::Verify(vec![live.clone()]));
    let Outcome::Verified { reports, .. } = task(&rx).1 else {
        panic!("a verify outcome");
    };
    let report = reports.first().expect("a report").clone();
    assert!(report.ok, "a fresh backup verifies: {report:?}");
    assert_eq!(report.path, live);
    assert_eq!(
        report.rows_checked, 7,
        "every manifest row: two files and the five folders above them"
    );
}

#[test]
fn open_over_ssh_copies_the_path_and_says_so() {
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("Backup");
    let live = live(&root);
    let (host, rx) = host(&[root]);
    let mut host = host.with_open_env(OpenEnv {
        ssh: true,
        display: false,
        desktop_os: false,
        multiplexer: None,
    });
    assert_eq!(host.perform(Effect::Open(live.clone())), None);
    assert!(
        matches!(rx.recv_timeout(WAIT), Ok(Msg::Copied(p)) if p == live),
        "the dashboard is told to show the copied path"
    );
}

#[test]
fn demo_library_snapshots_need_confirming_and_newest_backups_typing() {
    let dir = tempfile::tempdir().expect("temp");
    let opts = DemoOptions {
        scale: 0.02,
        now: Some(datetime!(2024-06-10 12:00 UTC)),
        ..DemoOptions::default()
    };
    let demo = build_demo(dir.path(), &opts).expect("demo");
    let (mut host, rx) = host(&demo.roots);
    let library = host.library();
    let snapshots: Vec<PathBuf> = library
        .versions()
        .filter(|v| v.kind == VersionKind::ImazingSnapshot)
        .map(|v| v.path.clone())
        .collect();
    assert_eq!(snapshots.len(), 2, "the demo has two iMazing snapshots");
    host.perform(Effect::PlanDelete(snapshots));
    let checks = checks(&rx);
    for c in &checks {
        assert!(
            matches!(&c.verdict, Verdict::NeedsConfirm { reason } if reason.contains("Versions.db")),
            "{}: listed snapshots need confirming: {:?}",
            c.path.display(),
            c.verdict
        );
    }
}
