//! The dashboard's host with the real sizing scan on the encrypted test iPad: before the
//! password its breakdown is "encrypted"; the unlock job keeps the keys, and the next scan
//! categorizes the version from its decrypted manifest (categories, top apps), again at every
//! later scan; the size cache keeps it only as it is without the password (no category but
//! encrypted and metadata, no app). A verify of a version a wrong password left locked says so.

use std::path::{Path, PathBuf};
use std::time::Duration;

use backtop::actions::verify::{VerifyReport, NOTE_LOCKED};
use backtop::cli::RootArgs;
use backtop::commands::context::RunRoots;
use backtop::commands::host::DashboardHost;
use backtop::demo::DEMO_PASSWORD;
use backtop::library::category::Category;
use backtop::library::unlock::Password;
use backtop::library::usage::VersionUsage;
use backtop::library::ManifestFormat;
use backtop::scan::cache::SizeCache;
use backtop::scan::{ScanEvent, ScanOptions};
use backtop::tasks::{JobEvent, Outcome, Progress, UnlockRequest, UnlockResult};
use backtop::ui::{Effect, Host, Msg};
use crossbeam_channel::{unbounded, Receiver};

use super::fixture;

const WAIT: Duration = Duration::from_secs(60);

/// The dashboard's host on the encrypted test iPad written under `tmp`, its size cache at
/// `cache`: the host, its messages, the version's folder.
fn host_on_the_ipad(tmp: &Path, cache: &Path) -> (DashboardHost, Receiver<Msg>, PathBuf) {
    let root = tmp.join("root");
    let version = fixture::write(&root, &fixture::spec(ManifestFormat::Db));
    let args = RootArgs {
        roots: vec![root],
        only: true,
        ..RootArgs::default()
    };
    let run = RunRoots::resolve(&args, &[]).expect("roots");
    let library = run.discover();
    let sizing = DashboardHost::sizing(ScanOptions {
        cache: Some(cache.to_path_buf()),
        threads: 1,
        simulated_disks: None,
    });
    let mut host = DashboardHost::new(run, library, false, sizing);
    let (tx, rx) = unbounded();
    host.connect(tx);
    (host, rx, version)
}

/// The messages of the next job, to its end.
fn job(rx: &Receiver<Msg>) -> Vec<JobEvent> {
    let mut events = Vec::new();
    loop {
        let Msg::Job(m) = rx.recv_timeout(WAIT).expect("a job message") else {
            continue;
        };
        let end = matches!(m.event, JobEvent::Done(_) | JobEvent::Failed(_));
        events.push(m.event);
        if end {
            return events;
        }
    }
}

/// Rescans; the usage the scan gave `version` (its last `Sized`).
fn scan(host: &mut DashboardHost, rx: &Receiver<Msg>, version: &Path) -> VersionUsage {
    host.perform(Effect::Rescan);
    job(rx)
        .into_iter()
        .filter_map(|e| match e {
            JobEvent::Progress(Progress::Scan(ScanEvent::Sized { path, usage }))
                if path == version =>
            {
                Some(usage)
            }
            _ => None,
        })
        .last()
        .expect("the version was sized")
}

/// Unlocks `version` with `password`; the job's result.
fn unlock(
    host: &mut DashboardHost,
    rx: &Receiver<Msg>,
    version: &Path,
    password: &str,
) -> UnlockResult {
    host.perform(Effect::Unlock(UnlockRequest {
        target: version.to_path_buf(),
        scope: vec![version.to_path_buf()],
        password: Password::from(password),
    }));
    let Some(JobEvent::Done(Outcome::Unlocked(outcome))) = job(rx).pop() else {
        panic!("the unlock job ends with its outcome");
    };
    outcome.result
}

/// The dashboard's verify of `version` (its `v`), through the host's job.
fn verify(host: &mut DashboardHost, rx: &Receiver<Msg>, version: &Path) -> VerifyReport {
    host.perform(Effect::Verify(vec![version.to_path_buf()]));
    let Some(JobEvent::Done(Outcome::Verified {
        mut reports,
        cancelled: false,
    })) = job(rx).pop()
    else {
        panic!("the verify job ends with its reports");
    };
    assert_eq!(reports.len(), 1);
    reports.remove(0)
}

fn categories(usage: &VersionUsage) -> Vec<Category> {
    usage.categories.keys().copied().collect()
}

#[test]
fn the_scan_after_an_unlock_categorizes_the_version_and_the_cache_learns_nothing_of_it() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("sizes.bin");
    let (mut host, rx, version) = host_on_the_ipad(tmp.path(), &cache);

    let locked = scan(&mut host, &rx, &version);
    assert_eq!(
        categories(&locked),
        [Category::Metadata, Category::Encrypted]
    );
    assert!(locked.top_apps.is_empty());

    assert_eq!(
        unlock(&mut host, &rx, &version, DEMO_PASSWORD),
        UnlockResult::Opened
    );

    for _ in 0..2 {
        // Every scan while the keys are held categorizes it afresh (never from the cache).
        let unlocked = scan(&mut host, &rx, &version);
        let cats = categories(&unlocked);
        assert!(!cats.contains(&Category::Encrypted), "{cats:?}");
        assert!(cats.contains(&Category::Messages), "{cats:?}");
        assert!(cats.contains(&Category::Health), "{cats:?}");
        let apps: Vec<&str> = unlocked
            .top_apps
            .iter()
            .map(|a| a.bundle_id.as_str())
            .collect();
        assert_eq!(apps, ["com.spotify.client"]);
        assert_eq!(
            unlocked.categories.values().sum::<u64>(),
            locked.categories.values().sum::<u64>(),
            "the same bytes, now named"
        );
        assert_eq!(
            (unlocked.bytes, unlocked.unique_bytes),
            (locked.bytes, locked.unique_bytes)
        );

        // The cache holds the version as the scan without the password sized it.
        let entry = SizeCache::load(&cache);
        let cached = &entry.entry(&version).expect("a cache entry").usage;
        assert_eq!(cached.categories, locked.categories);
        assert!(cached.top_apps.is_empty());
        let raw = std::fs::read(&cache).unwrap();
        assert!(
            !raw.windows(7).any(|w| w.eq_ignore_ascii_case(b"spotify")),
            "no app name in the cache"
        );
    }
    host.shutdown();
}

/// (ui_verify_encrypted checks the rows of an unlocked version; this, the reason of one that
/// a wrong password left locked.)
#[test]
fn a_verify_after_a_wrong_password_says_why_the_version_stays_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut host, rx, version) = host_on_the_ipad(tmp.path(), &tmp.path().join("sizes.bin"));
    let locked = verify(&mut host, &rx, &version);
    assert!(!locked.checked());
    assert_eq!((locked.rows_checked, locked.files_on_disk), (0, 0));
    assert_eq!(locked.notes, [NOTE_LOCKED]);

    assert_eq!(
        unlock(&mut host, &rx, &version, "not-the-password"),
        UnlockResult::WrongPassword
    );
    let wrong = verify(&mut host, &rx, &version);
    assert!(!wrong.checked());
    assert_eq!(wrong.notes.len(), 2, "{:?}", wrong.notes);
    assert_eq!(wrong.notes[0], NOTE_LOCKED);
    assert!(
        wrong.notes[1].starts_with("not unlocked: wrong password"),
        "{:?}",
        wrong.notes
    );
    assert!(!wrong.notes[1].contains("not-the-password"));
    host.shutdown();
}
