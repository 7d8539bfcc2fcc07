//! `=` on a version: the diff with the version before it, a background job whose answer the
//! view shows (TestBackend, exact text): loading, the figures, a version that cannot be
//! compared; the version before is the device's next older one that is not damaged.

use crate::support::ui_fixture::*;
use crate::support::ui_screen::{screen, snapshot};

use backtop::library::category::Category;
use backtop::library::diff::{Change, Diff, FileChange, FileMeta, Tally};
use backtop::tasks::{JobEvent, JobKind, Outcome};
use backtop::ui::app::ViewKind;
use backtop::ui::{App, Effect};
use crossterm::event::KeyCode;

fn phone_versions() -> App {
    let mut app = scanned(options(false, false, false));
    feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
    assert_eq!(selected_device(&app), "Anna's iPhone");
    app
}

fn change(change: Change, path: &str, old: Option<u64>, new: Option<u64>) -> FileChange {
    let meta = |size| FileMeta {
        size,
        mtime: Some(1_717_200_000),
    };
    FileChange {
        change,
        domain: "CameraRollDomain".into(),
        path: path.into(),
        file_id: [0; 20],
        category: Category::Photos,
        app: None,
        old: old.map(meta),
        new: new.map(meta),
    }
}

/// 1 photo added (3 MB), 1 removed (2 MB), 1 database changed (1 MB -> 1.5 MB), 40 unchanged.
fn a_diff(old: std::path::PathBuf, new: std::path::PathBuf) -> Diff {
    let mut totals = Tally::default();
    totals.add(Change::Added, 0, 3_000_000);
    totals.add(Change::Removed, 2_000_000, 0);
    totals.add(Change::Changed, 1_000_000, 1_500_000);
    totals.unchanged_files = 40;
    Diff {
        old,
        new,
        totals,
        by_category: vec![(Category::Photos, totals)],
        by_app: Vec::new(),
        files: vec![
            change(
                Change::Added,
                "Media/DCIM/100APPLE/IMG_0002.HEIC",
                None,
                Some(3_000_000),
            ),
            change(
                Change::Removed,
                "Media/DCIM/100APPLE/IMG_0001.HEIC",
                Some(2_000_000),
                None,
            ),
            change(
                Change::Changed,
                "Media/PhotoData/Photos.sqlite",
                Some(1_000_000),
                Some(1_500_000),
            ),
        ],
        notes: Vec::new(),
    }
}

#[test]
fn equals_compares_the_version_with_the_one_before_in_a_job() {
    let mut app = phone_versions();
    let effects = feed(&mut app, [ch('=')]);
    let [Effect::Diff(old, new)] = effects.as_slice() else {
        panic!("= starts one diff job: {effects:?}");
    };
    assert_eq!(new, &selected_version(&app));
    let versions = &app.device().unwrap().versions;
    let at = versions.iter().position(|v| &v.path == new).unwrap();
    assert_eq!(old, &versions[at + 1].path, "the next older version");
    snapshot("diff_loading_80x24", &screen(&mut app, 80, 24));
    let done = Outcome::Diffed {
        old: old.clone(),
        new: new.clone(),
        diff: Ok(Box::new(a_diff(old.clone(), new.clone()))),
    };
    app.update(job(JobKind::Diff, JobEvent::Done(done)));
    snapshot("diff_80x24", &screen(&mut app, 80, 24));
    feed(&mut app, [ch('=')]);
    assert!(!app.views.is_open(ViewKind::Diff), "= closes it");
}

#[test]
fn a_version_that_cannot_be_compared_says_why_and_the_oldest_has_nothing_before() {
    let mut app = phone_versions();
    let effects = feed(&mut app, [ch('=')]);
    let [Effect::Diff(old, new)] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let failed = Outcome::Diffed {
        old: old.clone(),
        new: new.clone(),
        diff: Err("it is encrypted".into()),
    };
    app.update(job(JobKind::Diff, JobEvent::Done(failed)));
    assert!(
        screen(&mut app, 80, 24).contains("These two versions cannot be compared: it is encrypted"),
        "{}",
        screen(&mut app, 80, 24)
    );
    feed(&mut app, [key(KeyCode::Esc), key(KeyCode::End)]);
    assert!(feed(&mut app, [ch('=')]).is_empty(), "the oldest version");
    assert_eq!(
        app.status.as_deref(),
        Some("no older version of this device to compare it with")
    );
}

/// The job itself: the diff core over two versions written by the demo builder, found in the
/// library by path; a path that is gone says so.
#[test]
fn the_diff_job_compares_the_two_versions_of_the_library() {
    use backtop::demo::{write_backup, BackupSpec, FileSpec};
    use backtop::library::read_version::read_version;
    use backtop::library::{Library, VersionKind};
    let tmp = tempfile::tempdir().unwrap();
    let mut versions = Vec::new();
    for (name, day, size) in [("old", 1, 1000), ("new", 20, 1500)] {
        let mut s = BackupSpec::new(PHONE, "Anna's iPhone", "iPhone15,2");
        s.date = time::macros::datetime!(2024-06-01 12:00 UTC)
            .replace_day(day)
            .unwrap();
        s.files_dated = Some(time::macros::datetime!(2024-05-01 0:00 UTC));
        s.files = vec![
            FileSpec::new("HomeDomain", "Library/SMS/sms.db", size),
            FileSpec::new("HomeDomain", "Library/Notes/notes.db", 42),
        ];
        let dir = tmp.path().join(name);
        write_backup(&dir, &s).unwrap();
        versions.push(read_version(&dir, tmp.path(), VersionKind::Archive, now()));
    }
    let (devices, damaged) = backtop::library::device::group(versions);
    let library = Library {
        devices,
        damaged,
        ..Library::default()
    };
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let Outcome::Diffed { diff, .. } = backtop::tasks::diff::run(old.clone(), new, &library) else {
        panic!("a diff outcome");
    };
    let diff = diff.expect("compared");
    assert_eq!(
        (diff.totals.changed_files, diff.totals.unchanged_files),
        (1, 1)
    );
    let Outcome::Diffed { diff, .. } =
        backtop::tasks::diff::run(old, tmp.path().join("gone"), &library)
    else {
        panic!("a diff outcome");
    };
    assert_eq!(
        diff.unwrap_err(),
        "a version is no longer in the library (rescan?)"
    );
}
