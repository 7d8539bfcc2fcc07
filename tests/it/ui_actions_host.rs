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
use backtop::ui::task::{DeleteRequest, TaskEvent, TaskKind, Verdict};
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

/// Every event of one scan, up to `Finished`.
fn scan(host: &mut DashboardHost) -> Vec<ScanEvent> {
    let rx = host.start_scan();
    let mut out = Vec::new();
    while let Ok(ev) = rx.recv_timeout(WAIT) {
        let done = matches!(ev, ScanEvent::Finished { .. });
        out.push(ev);
        if done {
            break;
        }
    }
    out
}

/// Task events until `Finished`.
fn task_events(rx: &Receiver<Msg>) -> Vec<TaskEvent> {
    let mut out = Vec::new();
    loop {
        match rx.recv_timeout(WAIT).expect("a task event") {
            Msg::Task(ev) => {
                let done = matches!(ev, TaskEvent::Finished { .. });
                out.push(ev);
                if done {
                    return out;
                }
            }
            other => panic!("unexpected message {other:?}"),
        }
    }
}

#[test]
fn rescans_rediscover_the_disk_off_the_ui_thread() {
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("Backup");
    live(&root);
    let (mut host, _rx) = host(std::slice::from_ref(&root));
    let events = scan(&mut host);
    let ScanEvent::Discovered(lib) = &events[0] else {
        panic!("a scan starts with the discovered library: {events:?}");
    };
    assert_eq!(lib.versions().count(), 1);
    assert!(
        matches!(
            events.last(),
            Some(ScanEvent::Finished {
                cancelled: false,
                ..
            })
        ),
        "the scan ends even when the sizing scan sends nothing"
    );
    march(&root);
    let events = scan(&mut host);
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
    let Ok(Msg::DeleteChecks(checks)) = rx.recv_timeout(WAIT) else {
        panic!("the guards answer");
    };
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
    let events = task_events(&rx);
    assert_eq!(
        events[0],
        TaskEvent::Started {
            kind: TaskKind::Delete { permanent: true },
            total: 1
        }
    );
    assert_eq!(events[1], TaskEvent::Item { path: old.clone() });
    let deleted = events
        .iter()
        .find_map(|e| match e {
            TaskEvent::Deleted { done, freed, .. } => Some((*done, *freed)),
            _ => None,
        })
        .expect("a Deleted event");
    assert!(deleted.0, "the archive is gone");
    assert!(
        deleted.1 >= 5_000,
        "it freed at least its file contents: {}",
        deleted.1
    );
    assert_eq!(
        events.last(),
        Some(&TaskEvent::Finished { cancelled: false })
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
    let refused_live = |events: &[TaskEvent]| {
        events
            .iter()
            .any(|e| matches!(e, TaskEvent::Deleted { path, done: false, .. } if path == &live))
    };
    host.perform(Effect::Delete(request(vec![])));
    let refused = task_events(&rx);
    assert!(
        refused_live(&refused),
        "without force the worker's guard refuses: {refused:?}"
    );
    // Typing confirmed another target: the newest backup is not forced with it.
    host.perform(Effect::Delete(DeleteRequest {
        paths: vec![old.clone(), live.clone()],
        forced: vec![old.clone()],
        ..request(vec![])
    }));
    let events = task_events(&rx);
    assert!(
        refused_live(&events),
        "only typed paths are forced: {events:?}"
    );
    assert!(!old.exists(), "the archive went");
    assert!(live.is_dir(), "still there");
    host.perform(Effect::Delete(request(vec![live.clone()])));
    task_events(&rx);
    assert!(!live.exists(), "typed confirmation (force) deletes it");
}

#[test]
fn verify_runs_on_a_worker_and_reports() {
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("Backup");
    let live = live(&root);
    let (mut host, rx) = host(&[root]);
    host.perform(Effect::Verify(vec![live.clone()]));
    let events = task_events(&rx);
    let report = events
        .iter()
        .find_map(|e| match e {
            TaskEvent::Verified(r) => Some(r.clone()),
            _ => None,
        })
        .expect("a report");
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
    let Ok(Msg::DeleteChecks(checks)) = rx.recv_timeout(WAIT) else {
        panic!("the guards answer");
    };
    for c in &checks {
        assert!(
            matches!(&c.verdict, Verdict::NeedsConfirm { reason } if reason.contains("Versions.db")),
            "{}: listed snapshots need confirming: {:?}",
            c.path.display(),
            c.verdict
        );
    }
}
