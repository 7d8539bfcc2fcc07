//! The browser on an encrypted version unlocked with its password, with the real jobs: the
//! preview decrypts in memory (a database's tables, a binary file's bytes as the plain one
//! shows them), the export writes what the builder encrypted (and says when a file decrypts
//! to another length than its `Size`), nothing decrypted is left anywhere else; and with the
//! keys gone (a locked version), preview and export refuse with the reason.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use backtop::actions::export::{Collision, Selection};
use backtop::demo::{content_bytes, DemoKeys, FileSpec, Scheme, DEMO_PASSWORD};
use backtop::library::browse::{self, Browsed, PreviewKind};
use backtop::library::unlock::cipher::encrypt_all;
use backtop::tasks::{self, ExportRequest, JobKind, JobMsg, Jobs, Outcome, PreviewRequest};
use backtop::ui::app::{App, Load, Phase};
use crossbeam_channel::unbounded;
use crossterm::event::KeyCode;

use super::fixture::{self, UDID};
use super::ui::{app, press, press_ctrl, select, stage, type_text, Stage};
use crate::support::ui_screen::screen;

/// A row only the test's database holds: found anywhere but the export, it leaked.
const SECRET_ROW: &str = "only-in-the-decrypted-sms-db-5b1e9c";

fn sms_id() -> String {
    FileSpec::new("HomeDomain", "Library/SMS/sms.db", 0).file_id()
}

fn version_dir(stage: &Stage) -> PathBuf {
    stage.home.join("Backup").join(UDID)
}

/// A small SQLite database (built in memory, never on disk): one table of three messages.
fn sms_db() -> Vec<u8> {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(&format!(
        "CREATE TABLE message (text TEXT);
         INSERT INTO message VALUES ('{SECRET_ROW}'), ('b'), ('c');"
    ))
    .unwrap();
    conn.serialize(rusqlite::MAIN_DB).unwrap().to_vec()
}

/// The encrypted stage with its sms.db replaced by [`sms_db`], encrypted with the file's key.
fn stage_with_sms_db() -> (Stage, Vec<u8>) {
    let stage = stage(true);
    let id = sms_id();
    let keys = DemoKeys::new(UDID, DEMO_PASSWORD, Scheme::ManifestKey).unwrap();
    let plain = sms_db();
    let at = version_dir(&stage).join(&id[..2]).join(&id);
    std::fs::write(at, encrypt_all(&keys.file_key(&id), &plain)).unwrap();
    (stage, plain)
}

/// The dashboard with the encrypted version unlocked with the demo password and open.
fn unlocked(stage: &Stage) -> App {
    let mut app = app(stage);
    press(&mut app, stage, KeyCode::Enter);
    press(&mut app, stage, KeyCode::Enter);
    type_text(&mut app, stage, DEMO_PASSWORD);
    press(&mut app, stage, KeyCode::Enter);
    assert!(matches!(
        app.browser().map(|b| &b.load),
        Some(Load::Ready(_))
    ));
    app
}

/// The unlocked version open at Messages, sms.db selected and previewed.
fn previewing_sms_db(stage: &Stage) -> App {
    let mut app = unlocked(stage);
    select(&mut app, stage, "Messages");
    press(&mut app, stage, KeyCode::Enter);
    select(&mut app, stage, "sms.db");
    press(&mut app, stage, KeyCode::Char(' '));
    app
}

fn previewed(app: &App) -> browse::Preview {
    let b = app.browser().unwrap();
    b.preview.as_ref().and_then(|p| p.preview.clone()).unwrap()
}

/// Exports the selected row into `dest` through the dialog; the summary.
fn export_to(app: &mut App, stage: &Stage, dest: &Path) -> backtop::actions::export::ExportSummary {
    press(app, stage, KeyCode::Char('e'));
    press(app, stage, KeyCode::Char('d'));
    press_ctrl(app, stage, 'u');
    type_text(app, stage, &dest.display().to_string());
    press(app, stage, KeyCode::Enter);
    press(app, stage, KeyCode::Enter);
    let Phase::Done(Ok((summary, _))) = &app.export_dialog().unwrap().phase else {
        panic!("{:?}", app.export_dialog().unwrap().phase);
    };
    summary.clone()
}

/// A file under `dir` (not under `except`) written since `since` that holds `needle`.
fn leaked(dir: &Path, needle: &[u8], except: &[&Path], since: SystemTime) -> Option<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !except.iter().any(|x| e.path().starts_with(x)))
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.len() < 64 << 20 && m.modified().is_ok_and(|t| t >= since))
        })
        .find(|e| {
            std::fs::read(e.path())
                .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
        })
        .map(|e| e.path().to_path_buf())
}

#[test]
fn an_unlocked_version_previews_its_files_decrypted_in_memory() {
    let (stage, _) = stage_with_sms_db();
    let mut app = previewing_sms_db(&stage);
    let p = previewed(&app);
    assert_eq!(p.kind, PreviewKind::Sqlite, "{p:?}");
    assert_eq!(p.summary, "SQLite database, 1 table");
    assert_eq!(p.lines, ["message  3 rows"]);
    let shown = screen(&mut app, 130, 30);
    assert!(shown.contains("message  3 rows"), "{shown}");

    // A binary file previews as its plain twin does: the same hex dump of its first bytes
    // (the open preview follows the cursor).
    select(&mut app, &stage, "Attachments");
    press(&mut app, &stage, KeyCode::Enter);
    press(&mut app, &stage, KeyCode::Enter);
    select(&mut app, &stage, "IMG_9.jpg");
    let file = FileSpec::new("HomeDomain", "Library/SMS/Attachments/ab/IMG_9.jpg", 2_000);
    let plain_twin = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(plain_twin.path(), content_bytes(&file.file_id(), 2_000)).unwrap();
    let want = browse::preview(plain_twin.path(), "IMG_9.jpg", &AtomicBool::new(false));
    assert_eq!(want.summary, "binary, first 256 bytes");
    assert_eq!(previewed(&app), want);
}

#[test]
fn an_unlocked_version_exports_the_builders_bytes_and_leaves_no_plaintext_behind() {
    let since = SystemTime::now() - Duration::from_secs(2);
    let (stage, plain_db) = stage_with_sms_db();
    let mut app = previewing_sms_db(&stage);
    select(&mut app, &stage, "Attachments");
    let dest = stage.home.join("out");
    let summary = export_to(&mut app, &stage, &dest);
    assert_eq!((summary.written, summary.bytes_written), (1, 2_000));
    assert!(summary.size_mismatch.is_empty(), "{summary:?}");
    let attachment = "Library/SMS/Attachments/ab/IMG_9.jpg";
    fixture::assert_exported(
        &dest.join("HomeDomain").join(attachment),
        "HomeDomain",
        attachment,
    );
    press(&mut app, &stage, KeyCode::Enter);

    // sms.db decrypts to the database, whose length is not the manifest's Size: kept whole,
    // and the summary says so.
    select(&mut app, &stage, "sms.db");
    let dest_db = stage.home.join("out-db");
    let summary = export_to(&mut app, &stage, &dest_db);
    assert_eq!(summary.written, 1, "{summary:?}");
    let got = std::fs::read(dest_db.join("HomeDomain/Library/SMS/sms.db")).unwrap();
    assert!(got == plain_db, "the exported sms.db is the plain database");
    let item = summary.size_mismatch.iter().next().unwrap();
    assert_eq!(item.item, "HomeDomain/Library/SMS/sms.db");
    let shown = screen(&mut app, 100, 30);
    assert!(
        shown.contains("a length other than the manifest's Size"),
        "{shown}"
    );

    // Nothing decrypted anywhere but the two destinations: not in the stage (home, backup),
    // not in a file of the temp folder written meanwhile.
    let needle = SECRET_ROW.as_bytes();
    let exports = [dest.as_path(), dest_db.as_path()];
    assert_eq!(leaked(&stage.home, needle, &exports, since), None);
    assert_eq!(leaked(&std::env::temp_dir(), needle, &exports, since), None);
    let photo = content_bytes(
        &FileSpec::new("HomeDomain", attachment, 2_000).file_id(),
        2_000,
    );
    assert_eq!(
        leaked(&stage.home, &photo[1000..1064], &exports, since),
        None
    );
}

/// Runs one job to its outcome.
fn outcome(kind: JobKind, work: impl FnOnce(&tasks::Ctx) -> Outcome + Send + 'static) -> Outcome {
    let (tx, rx) = unbounded::<JobMsg>();
    let mut jobs = Jobs::new(Arc::new(move |m| {
        let _ = tx.send(m);
    }));
    let id = jobs.spawn(kind, 1, work);
    jobs.wait(id);
    rx.try_iter()
        .find_map(|m| match m.event {
            tasks::JobEvent::Done(o) => Some(o),
            _ => None,
        })
        .unwrap()
}

#[test]
fn without_its_keys_an_encrypted_versions_files_are_refused_with_the_reason() {
    let (stage, _) = stage_with_sms_db();
    // Open it with the keys, then preview and export with a keyring that has none.
    let _ = unlocked(&stage);
    let (path, library, keyring) = (
        version_dir(&stage),
        stage.library.clone(),
        stage.keyring.clone(),
    );
    let Outcome::Browsed {
        browsed: Browsed::Ready(index),
        ..
    } = outcome(JobKind::Browse, move |_| {
        tasks::browse::open(path, &library, &keyring)
    })
    else {
        panic!("the unlocked version opens");
    };
    let node = index
        .0
        .tree
        .find("HomeDomain", "Library/SMS/sms.db")
        .unwrap();
    let request = PreviewRequest {
        index: index.clone(),
        node,
    };
    let none = tasks::Keyring::default();
    let locked = none.clone();
    let Outcome::Previewed { preview, .. } = outcome(JobKind::Preview, move |ctx| {
        tasks::browse::preview(ctx, &request, &locked)
    }) else {
        panic!();
    };
    assert_eq!(preview.kind, PreviewKind::Unavailable);
    assert_eq!(preview.summary, tasks::unlock::LOCKED_CONTENTS);
    let dest = stage.home.join("never");
    let request = ExportRequest {
        index,
        selection: Selection {
            prefixes: vec!["HomeDomain".into()],
            ..Selection::default()
        },
        flatten: None,
        dest: dest.clone(),
        collision: Collision::Skip,
    };
    let exported = outcome(JobKind::Export, move |ctx| {
        tasks::browse::export(ctx, &request, &none)
    });
    assert_eq!(
        exported,
        Outcome::Exported(Err(tasks::unlock::LOCKED_CONTENTS.into()))
    );
    assert!(!dest.exists(), "nothing was written");
}
