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
use backtop::library::unlock::remember::SharedStore;
use backtop::library::unlock::Password;
use backtop::library::usage::VersionUsage;
use backtop::library::ManifestFormat;
use backtop::scan::cache::SizeCache;
use backtop::scan::{ScanEvent, ScanOptions};
use backtop::tasks::{JobEvent, Outcome, Progress, UnlockOutcome, UnlockRequest, UnlockResult};
use backtop::ui::{Effect, Host, Msg};
use crossbeam_channel::{unbounded, Receiver};

use super::fixture::{self, MapStore};

const WAIT: Duration = Duration::from_secs(60);

/// The dashboard's host on the encrypted test iPad written under `tmp`, its size cache at
/// `cache`: the host, its messages, the version's folder.
fn host_on_the_ipad(
    tmp: &Path,
    cache: &Path,
    remember: Option<SharedStore>,
) -> (DashboardHost, Receiver<Msg>, PathBuf) {
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
    if let Some(store) = remember {
        host = host.with_remember(store);
    }
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
    unlock_outcome(host, rx, version, password).result
}

/// Unlocks `version` with `password`; the job's outcome.
fn unlock_outcome(
    host: &mut DashboardHost,
    rx: &Receiver<Msg>,
    version: &Path,
    password: &str,
) -> UnlockOutcome {
    host.perform(Effect::Unlock(UnlockRequest {
        target: version.to_path_buf(),
        scope: vec![version.to_path_buf()],
        password: Password::from(password),
    }));
    let Some(JobEvent::Done(Outcome::Unlocked(outcome))) = job(rx).pop() else {
        panic!("the unlock job ends with its outcome");
    };
    outcome
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
    let (mut host, rx, version) = host_on_the_ipad(tmp.path(), &cache, None);

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
    let (mut host, rx, version) = host_on_the_ipad(tmp.path(), &tmp.path().join("sizes.bin"), None);
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

/// A host with `--remember` over `store` on the test iPad written under `tmp`, and the
/// outcome of its start-up job (the remembered keys tried).
fn remembering(
    tmp: &Path,
    store: &std::sync::Arc<MapStore>,
) -> (DashboardHost, Receiver<Msg>, PathBuf, UnlockOutcome) {
    let shared: SharedStore = store.clone();
    let (host, rx, version) = host_on_the_ipad(tmp, &tmp.join("sizes.bin"), Some(shared));
    let Some(JobEvent::Done(Outcome::Unlocked(start))) = job(&rx).pop() else {
        panic!("the start-up job ends with its outcome");
    };
    (host, rx, version, start)
}

/// `--remember` in the dashboard: the first run remembers the key its unlock derived; the
/// next one opens the version at start without a password (its breakdown categorized by the
/// next scan). Over an in-memory store (unlock::remember tests the OS keyring).
#[test]
fn with_remember_the_next_dashboard_opens_the_version_without_the_password() {
    let store = std::sync::Arc::new(MapStore::default());
    let first = tempfile::tempdir().unwrap();
    let (mut host, rx, version, start) = remembering(first.path(), &store);
    assert_eq!(
        (start.result, start.opened.len()),
        (UnlockResult::Cancelled, 0)
    );
    let unlocked = unlock_outcome(&mut host, &rx, &version, DEMO_PASSWORD);
    assert_eq!(unlocked.result, UnlockResult::Opened);
    assert_eq!(
        unlocked.remembered.as_deref(),
        Some("the key is remembered in the OS keyring")
    );
    assert_eq!(store.len(), 1);
    host.shutdown();

    // The next run (another copy of the same backup: the same key bag).
    let next = tempfile::tempdir().unwrap();
    let (mut host, rx, version, start) = remembering(next.path(), &store);
    assert_eq!(start.result, UnlockResult::Opened);
    assert_eq!(start.opened, std::slice::from_ref(&version));
    let usage = scan(&mut host, &rx, &version);
    assert!(categories(&usage).contains(&Category::Messages));
    host.shutdown();
}
