//! `=` on a version: the diff with the version before it, a background job whose answer the
//! view shows (TestBackend, exact text): loading, the figures, a version that cannot be
//! compared; the version before is the device's next older one that is not damaged. With two
//! versions marked, `=` compares exactly those two, older first; the job opens encrypted
//! versions with the keys of the dashboard's keyring.

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

#[test]
fn equals_compares_exactly_the_two_marked_versions_older_first() {
    let mut app = phone_versions();
    let versions: Vec<_> = app
        .visible_versions()
        .iter()
        .map(|v| v.path.clone())
        .collect();
    assert!(versions.len() >= 3, "{versions:?}");
    // Mark the third version first, then the newest: the older one is still the old side.
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Down), ch(' ')]);
    assert!(app.marks.contains(&versions[2]));
    let one = feed(&mut app, [ch('=')]);
    assert!(one.is_empty(), "one mark is not a pair: {one:?}");
    assert_eq!(
        app.status.as_deref(),
        Some(
            "= compares two marked versions (1 marked): mark one more, or unmark all to compare \
             the selected one with the one before"
        )
    );
    feed(&mut app, [key(KeyCode::Home), ch(' ')]);
    let effects = feed(&mut app, [key(KeyCode::End), ch('=')]);
    assert_eq!(
        effects,
        vec![Effect::Diff(versions[2].clone(), versions[0].clone())],
        "the marked pair, older first, whatever is selected"
    );
    let title_line = screen(&mut app, 80, 24);
    assert!(
        title_line.contains("Diff 2024-03-01 \u{2192} 2024-06-08"),
        "{title_line}"
    );
    feed(&mut app, [ch('=')]);
    // A third mark: = says to keep two.
    feed(&mut app, [key(KeyCode::Home), key(KeyCode::Down), ch(' ')]);
    assert_eq!(app.marks.len(), 3);
    assert!(feed(&mut app, [ch('=')]).is_empty());
    assert!(
        app.status
            .as_deref()
            .unwrap()
            .starts_with("= compares two marked versions (3 marked): mark only two"),
        "{:?}",
        app.status
    );
}

/// The mark shows at every width the versions pane is drawn at, in Unicode and in ASCII.
#[test]
fn the_mark_shows_at_every_width() {
    for ascii in [false, true] {
        let glyph = if ascii { '*' } else { '\u{25cf}' };
        for (w, h) in [(60, 20), (80, 24), (100, 30), (120, 36), (160, 48)] {
            let mut app = scanned(options(false, ascii, false));
            feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
            let count = |app: &mut App| screen(app, w, h).matches(glyph).count();
            let before = count(&mut app);
            feed(&mut app, [ch(' '), ch(' ')]);
            assert_eq!(app.marks.len(), 2);
            let text = screen(&mut app, w, h);
            assert!(
                count(&mut app) >= before + 2,
                "{w}x{h} ascii={ascii}: two marks, {before} {glyph} before\n{text}"
            );
        }
    }
}

/// The job itself: the diff core over two versions written by the demo builder, found in the
/// library by path; a path that is gone says so.
#[test]
fn the_diff_job_compares_the_two_versions_of_the_library() {
    let (tmp, library) = two_versions(false);
    let keys = backtop::tasks::Keyring::default();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let diff = job_diff(old.clone(), new, &library, &keys);
    let diff = diff.expect("compared");
    assert_eq!(
        (diff.totals.changed_files, diff.totals.unchanged_files),
        (1, 1)
    );
    let diff = job_diff(old, tmp.path().join("gone"), &library, &keys);
    assert_eq!(
        diff.unwrap_err(),
        "a version is no longer in the library (rescan?)"
    );
}

/// Encrypted versions: locked, the job says to unlock them with `u`; once their keys are in
/// the keyring (as the unlock job leaves them), the same figures as unencrypted ones.
#[test]
fn the_diff_job_opens_encrypted_versions_with_the_keyring() {
    use backtop::library::unlock::{Password, Unlocker};
    let (tmp, library) = two_versions(true);
    let keys = backtop::tasks::Keyring::default();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let diff = job_diff(old.clone(), new.clone(), &library, &keys);
    assert_eq!(
        diff.unwrap_err(),
        format!(
            "{}: {}",
            old.display(),
            backtop::tasks::diff::LOCKED_IN_DASHBOARD
        )
    );
    for dir in [&old, &new] {
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let unlocked = Unlocker::new(Password::from("demo"))
            .unlock(dir, &cancel)
            .expect("the demo password");
        keys.insert(dir.to_path_buf(), unlocked);
    }
    let diff = job_diff(old, new, &library, &keys);
    let diff = diff.expect("compared once unlocked");
    assert_eq!(
        (diff.totals.changed_files, diff.totals.unchanged_files),
        (1, 1)
    );
}

/// What the real diff job answers for `old` and `new`.
fn job_diff(
    old: std::path::PathBuf,
    new: std::path::PathBuf,
    library: &backtop::library::Library,
    keys: &backtop::tasks::Keyring,
) -> Result<Box<Diff>, String> {
    match backtop::tasks::diff::run(old, new, library, keys) {
        Outcome::Diffed { diff, .. } => diff,
        other => panic!("a diff outcome: {other:?}"),
    }
}

/// Two versions of the phone written by the demo builder (`old`: sms.db 1,000 bytes; `new`:
/// 1,500; notes.db the same), discovered into a library.
fn two_versions(encrypted: bool) -> (tempfile::TempDir, backtop::library::Library) {
    use backtop::demo::{write_backup, BackupSpec, FileSpec};
    use backtop::library::read_version::read_version;
    use backtop::library::{Library, VersionKind};
    let tmp = tempfile::tempdir().unwrap();
    let mut versions = Vec::new();
    for (name, day, size) in [("old", 1, 1000), ("new", 20, 1500)] {
        let mut s = BackupSpec::new(PHONE, "Anna's iPhone", "iPhone15,2");
        s.encrypted = encrypted;
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
    (tmp, library)
}
