//! The TUI browser on the test phone, driven through `App::update` with the real jobs
//! (`tasks::browse` on a `Jobs` registry) answering its effects: opening, the grouped top
//! level, going in and up, sorting, search, details, preview, an encrypted version unlocked with its password, and the export
//! dialog writing the builder's bytes and mtimes. TestBackend snapshots at 80×24 and wide.

use std::path::PathBuf;
use std::sync::Arc;

use backtop::demo::write_backup;
use backtop::library::discover::discover_library;
use backtop::library::locate::named_root;
use backtop::library::{Library, ManifestFormat, RootOrigin};
use backtop::tasks::{self, JobKind, JobMsg, Jobs};
use backtop::ui::app::{App, AppOptions, Load, Phase};
use backtop::ui::theme::Theme;
use backtop::ui::{Effect, Msg};
use crossbeam_channel::unbounded;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::macros::datetime;
use time::OffsetDateTime;

use super::fixture::{self, UDID};
use crate::support::ui_screen::{screen, snapshot};

const NOW: OffsetDateTime = datetime!(2024-06-10 12:00 UTC);

/// The test phone in `home/Backup`, discovered.
pub(super) struct Stage {
    _tmp: tempfile::TempDir,
    pub home: PathBuf,
    pub library: Library,
    /// The keys of what the stage's dashboard unlocked, as the real host keeps them.
    pub keyring: tasks::Keyring,
}

pub(super) fn stage(encrypted: bool) -> Stage {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().to_path_buf();
    let root = home.join("Backup");
    let mut spec = fixture::spec(ManifestFormat::Db);
    spec.encrypted = encrypted;
    write_backup(&root.join(UDID), &spec).unwrap();
    let library = discover_library(&[named_root(&root, RootOrigin::Demo)], NOW);
    Stage {
        _tmp: tmp,
        home,
        library,
        keyring: tasks::Keyring::default(),
    }
}

/// The dashboard over the stage, no colour, UTC, the stage's folder as home.
pub(super) fn app(stage: &Stage) -> App {
    let options = AppOptions {
        read_only: false,
        theme: Theme::new(false, false),
        tz: jiff::tz::TimeZone::UTC,
        home: Some(stage.home.clone()),
        simulated_disks: false,
    };
    let mut app = App::new(stage.library.clone(), options, NOW);
    app.downloads = stage.home.join("Downloads");
    app
}

/// Presses `code` and carries out what the browser asks of the host with the real jobs,
/// feeding every job message back, until nothing is left to do.
pub(super) fn press(app: &mut App, stage: &Stage, code: KeyCode) {
    let effects = app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    host(app, stage, effects);
}

pub(super) fn press_ctrl(app: &mut App, stage: &Stage, c: char) {
    let effects = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
    host(app, stage, effects);
}

pub(super) fn type_text(app: &mut App, stage: &Stage, text: &str) {
    for c in text.chars() {
        press(app, stage, KeyCode::Char(c));
    }
}

fn host(app: &mut App, stage: &Stage, effects: Vec<Effect>) {
    let (tx, rx) = unbounded::<JobMsg>();
    let mut jobs = Jobs::new(Arc::new(move |m| {
        let _ = tx.send(m);
    }));
    let mut pending = effects;
    while !pending.is_empty() {
        for effect in std::mem::take(&mut pending) {
            let (library, keyring) = (stage.library.clone(), stage.keyring.clone());
            let id = match effect {
                Effect::Browse(path) => jobs.spawn(JobKind::Browse, 1, move |_| {
                    tasks::browse::open(path, &library, &keyring)
                }),
                Effect::Unlock(r) => jobs.spawn(JobKind::Unlock, 1, move |ctx| {
                    tasks::unlock::run(ctx, r, &library, &keyring, None)
                }),
                Effect::Preview(r) => jobs.spawn(JobKind::Preview, 1, move |ctx| {
                    tasks::browse::preview(ctx, &r, &keyring)
                }),
                Effect::Export(r) => jobs.spawn(JobKind::Export, 1, move |ctx| {
                    tasks::browse::export(ctx, &r, &keyring)
                }),
                // The sizing scan after an unlock: not the browser's, nothing to size here.
                Effect::Rescan => continue,
                other => panic!("the browser asked for {other:?}"),
            };
            jobs.wait(id);
        }
        for msg in rx.try_iter() {
            pending.extend(app.update(Msg::Job(msg)));
        }
    }
}

/// The dashboard with the phone's version opened in the browser.
pub(super) fn opened(stage: &Stage) -> App {
    let mut app = app(stage);
    press(&mut app, stage, KeyCode::Enter); // devices → versions
    press(&mut app, stage, KeyCode::Enter); // open the version
    assert!(
        matches!(app.browser().map(|b| &b.load), Some(Load::Ready(_))),
        "{:?}",
        app.browser().map(|b| &b.load)
    );
    app
}

pub(super) fn selected_label(app: &App) -> String {
    let b = app.browser().unwrap();
    let index = b.index().unwrap();
    let level = b.level().unwrap();
    let row = b.selected().unwrap();
    index
        .0
        .groups
        .row_label(&index.0.tree, row, level.place)
        .to_string()
}

/// Moves the cursor down to the row labelled `label`.
pub(super) fn select(app: &mut App, stage: &Stage, label: &str) {
    press(app, stage, KeyCode::Char('g'));
    for _ in 0..40 {
        if selected_label(app) == label {
            return;
        }
        press(app, stage, KeyCode::Char('j'));
    }
    panic!("no row {label}");
}

#[test]
fn enter_on_a_version_opens_it_grouped_as_a_phone() {
    let stage = stage(false);
    let mut app = opened(&stage);
    snapshot("browser_top_80x24", &screen(&mut app, 80, 24));
    snapshot("browser_top_wide", &screen(&mut app, 130, 30));
    // Messages has one member: entering goes straight into it; going up comes back past it.
    select(&mut app, &stage, "Messages");
    press(&mut app, &stage, KeyCode::Enter);
    assert_eq!(
        app.browser().unwrap().crumbs(),
        ["Messages", "HomeDomain/Library/SMS"]
    );
    snapshot("browser_messages_80x24", &screen(&mut app, 80, 24));
    press(&mut app, &stage, KeyCode::Char('h'));
    assert!(app.browser().unwrap().crumbs().is_empty());
    assert_eq!(selected_label(&app), "Messages");
    // Apps: Spotify by its Info.plist name, both of its domains.
    select(&mut app, &stage, "Apps");
    press(&mut app, &stage, KeyCode::Right);
    assert_eq!(selected_label(&app), "Spotify");
    press(&mut app, &stage, KeyCode::Char('l'));
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("AppDomain-com.spotify.client/"), "{text}");
    assert!(
        text.contains("AppDomainGroup-group.com.spotify.client/"),
        "{text}"
    );
    // Esc closes the browser; the dashboard is back.
    press(&mut app, &stage, KeyCode::Esc);
    assert!(app.browser().is_none());
}

#[test]
fn sorting_keeps_the_selection_and_says_so_in_the_title() {
    let stage = stage(false);
    let mut app = opened(&stage);
    select(&mut app, &stage, "Voice memos");
    press(&mut app, &stage, KeyCode::Char('s'));
    assert_eq!(selected_label(&app), "Voice memos");
    let text = screen(&mut app, 80, 24);
    assert!(
        text.lines().next().unwrap().contains("sort: name"),
        "{text}"
    );
    press(&mut app, &stage, KeyCode::Char('s'));
    assert!(screen(&mut app, 80, 24).contains("sort: date"));
    press(&mut app, &stage, KeyCode::Char('s'));
    assert!(screen(&mut app, 80, 24).contains("sort: size"));
    // The wheel moves the cursor too.
    select(&mut app, &stage, "Messages");
    app.update(Msg::Wheel {
        column: 5,
        row: 5,
        down: true,
    });
    assert_ne!(selected_label(&app), "Messages");
}

#[test]
fn search_finds_paths_anywhere_and_goes_to_their_folder() {
    let stage = stage(false);
    let mut app = opened(&stage);
    press(&mut app, &stage, KeyCode::Char('/'));
    type_text(&mut app, &stage, "IMG");
    let search = app.browser().unwrap().search.clone().unwrap();
    assert_eq!(search.total, 3, "two photos and an attachment");
    press(&mut app, &stage, KeyCode::Enter);
    snapshot("browser_search_wide", &screen(&mut app, 130, 30));
    // The attachment, in path order after the camera roll's.
    press(&mut app, &stage, KeyCode::Char('G'));
    press(&mut app, &stage, KeyCode::Enter);
    let b = app.browser().unwrap();
    assert!(b.search.is_none());
    assert_eq!(
        b.crumbs(),
        ["Messages", "HomeDomain/Library/SMS", "Attachments", "ab"]
    );
    assert_eq!(selected_label(&app), "IMG_9.jpg");
    // `/` offers the last query again.
    press(&mut app, &stage, KeyCode::Char('/'));
    assert_eq!(app.browser().unwrap().search.as_ref().unwrap().query, "IMG");
    press(&mut app, &stage, KeyCode::Esc);
    assert!(app.browser().unwrap().search.is_none());
}

#[test]
fn details_and_preview_of_a_file() {
    let stage = stage(false);
    let mut app = opened(&stage);
    select(&mut app, &stage, "Messages");
    press(&mut app, &stage, KeyCode::Enter);
    select(&mut app, &stage, "sms.db");
    let text = screen(&mut app, 130, 30);
    assert!(text.contains("Library/SMS/sms.db"), "{text}");
    assert!(text.contains("4,096 bytes"), "{text}");
    assert!(text.contains("present"), "{text}");
    // The dates on lines of their own; the builder dates a file's creation a day before its
    // modification and gives sms.db protection class C.
    assert!(text.contains("Modified 2024-04-16 04:34"), "{text}");
    assert!(text.contains("Created  2024-04-15 04:34"), "{text}");
    assert!(
        text.contains("Class    C: after the first unlock since boot (3)"),
        "{text}"
    );
    press(&mut app, &stage, KeyCode::Char(' '));
    let b = app.browser().unwrap();
    let preview = b.preview.as_ref().and_then(|p| p.preview.clone()).unwrap();
    assert_eq!(preview.summary, "binary, first 256 bytes");
    snapshot("browser_preview_wide", &screen(&mut app, 130, 30));
    snapshot("browser_preview_80x24", &screen(&mut app, 80, 24));
    // A file missing on disk says so, in the list and in the preview.
    press(&mut app, &stage, KeyCode::Char('h'));
    select(&mut app, &stage, "System");
    press(&mut app, &stage, KeyCode::Enter);
    for _ in 0..3 {
        press(&mut app, &stage, KeyCode::Enter);
    }
    assert_eq!(selected_label(&app), "gone.plist");
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("gone.plist (missing on disk)"), "{text}");
    let p = app
        .browser()
        .unwrap()
        .preview
        .clone()
        .unwrap()
        .preview
        .unwrap();
    assert_eq!(
        p.summary,
        "missing on disk: the backup lists it but has no contents"
    );
}

#[test]
fn an_encrypted_version_asks_for_its_password_then_lists_its_files() {
    let stage = stage(true);
    let mut app = app(&stage);
    press(&mut app, &stage, KeyCode::Enter);
    press(&mut app, &stage, KeyCode::Enter);
    assert!(app.browser().is_none(), "no browser before the password");
    assert!(app.unlock_prompt().is_some());
    type_text(&mut app, &stage, "not-it");
    snapshot("browser_unlock_prompt_80x24", &screen(&mut app, 80, 24));
    press(&mut app, &stage, KeyCode::Enter);
    let prompt = app.unlock_prompt().expect("a wrong password asks again");
    assert!(prompt
        .error
        .as_deref()
        .unwrap_or("")
        .starts_with("wrong password"));
    assert!(app.browser().is_none());

    type_text(&mut app, &stage, backtop::demo::DEMO_PASSWORD);
    press(&mut app, &stage, KeyCode::Enter);
    assert!(app.unlock_prompt().is_none());
    assert!(matches!(
        app.browser().map(|b| &b.load),
        Some(Load::Ready(_))
    ));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Messages"), "{shown}");
    assert!(!shown.contains("Locked"), "{shown}");
}

#[test]
fn the_export_dialog_writes_a_folder_with_the_builders_bytes_and_mtimes() {
    let stage = stage(false);
    let mut app = opened(&stage);
    select(&mut app, &stage, "Messages");
    press(&mut app, &stage, KeyCode::Enter);
    select(&mut app, &stage, "Attachments");
    press(&mut app, &stage, KeyCode::Char('e'));
    let dialog = app.export_dialog().unwrap();
    let want_dest = stage
        .home
        .join("Downloads/backtop-export/Test iPhone 2024-06-01");
    assert_eq!(dialog.dest, want_dest.display().to_string());
    snapshot("browser_export_80x24", &screen(&mut app, 80, 24));
    // A destination of our own, typed.
    let dest = stage.home.join("out");
    press(&mut app, &stage, KeyCode::Char('d'));
    press_ctrl(&mut app, &stage, 'u');
    type_text(&mut app, &stage, &dest.display().to_string());
    press(&mut app, &stage, KeyCode::Enter);
    press(&mut app, &stage, KeyCode::Enter);
    let dialog = app.export_dialog().unwrap();
    let Phase::Done(Ok((summary, _))) = &dialog.phase else {
        panic!("{:?}", dialog.phase);
    };
    assert_eq!((summary.written, summary.bytes_written), (1, 2_000));
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("Wrote 1 file (2 kB"), "{text}");
    let attachment = "Library/SMS/Attachments/ab/IMG_9.jpg";
    let path = dest.join("HomeDomain").join(attachment);
    fixture::assert_exported(&path, "HomeDomain", attachment);
    // Closing the summary is back in the browser, where it was.
    press(&mut app, &stage, KeyCode::Enter);
    assert!(app.export_dialog().is_none());
    assert_eq!(selected_label(&app), "Attachments");
    // Again, renaming: the same file as `IMG_9 (1).jpg`.
    press(&mut app, &stage, KeyCode::Char('e'));
    press(&mut app, &stage, KeyCode::Char('d'));
    press_ctrl(&mut app, &stage, 'u');
    type_text(&mut app, &stage, &dest.display().to_string());
    press(&mut app, &stage, KeyCode::Enter);
    press(&mut app, &stage, KeyCode::Char('c'));
    press(&mut app, &stage, KeyCode::Enter);
    let renamed = dest.join("HomeDomain/Library/SMS/Attachments/ab/IMG_9 (1).jpg");
    let first = std::fs::read(&path).unwrap();
    assert!(std::fs::read(&renamed).unwrap() == first);
}

#[test]
fn a_category_exports_flattened_into_its_own_folder() {
    let stage = stage(false);
    let mut app = opened(&stage);
    select(&mut app, &stage, "Apps");
    press(&mut app, &stage, KeyCode::Enter);
    select(&mut app, &stage, "Spotify");
    press(&mut app, &stage, KeyCode::Char('e'));
    press(&mut app, &stage, KeyCode::Char('f'));
    let dest = stage.home.join("flat");
    press(&mut app, &stage, KeyCode::Char('d'));
    press_ctrl(&mut app, &stage, 'u');
    type_text(&mut app, &stage, &dest.display().to_string());
    press(&mut app, &stage, KeyCode::Enter);
    press(&mut app, &stage, KeyCode::Enter);
    let Phase::Done(Ok((summary, _))) = &app.export_dialog().unwrap().phase else {
        panic!();
    };
    assert_eq!(summary.written, 2, "{summary:?}");
    assert_eq!(
        std::fs::read(dest.join("Spotify/Documents/cache.bin"))
            .unwrap()
            .len(),
        10
    );
    assert!(dest.join("Spotify/Library/x.plist").is_file());
    assert!(!dest.join("AppDomain-com.spotify.client").exists());
}
