//! The dashboard's move dialog (`M`) with the real host and jobs on the demo library's iMazing
//! root: one device's backups planned (the dry run's plan), moved and, after the question, its
//! original removed; refusals shown with nothing done; a move left unfinished found at start,
//! then rolled back or resumed from the dialog.

use std::path::{Path, PathBuf};
use std::time::Duration;

use backtop::actions::relocate::journal::journal_dir;
use backtop::cli::RootArgs;
use backtop::commands::context::RunRoots;
use backtop::commands::host::DashboardHost;
use backtop::tasks::relocate::Planned;
use backtop::ui::app::{AppOptions, MovePhase};
use backtop::ui::{App, Effect, Host, Msg};
use crossbeam_channel::{unbounded, Receiver};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::move_root::{assert_same, demo, snapshot, Lib};
use crate::support::ui_screen::screen;

const WAIT: Duration = Duration::from_secs(120);

/// The dashboard over `lib`'s root (as `--only --root ROOT`) with the real host.
struct Dash {
    app: App,
    host: DashboardHost,
    rx: Receiver<Msg>,
}

impl Dash {
    fn new(lib: &Lib, free: Option<u64>) -> Dash {
        let args = RootArgs {
            roots: vec![lib.root.clone()],
            only: true,
            ..RootArgs::default()
        };
        let run = RunRoots::resolve(&args, &[]).expect("roots");
        let library = run.discover();
        let mut host = DashboardHost::new(run, library.clone(), false, DashboardHost::no_sizing())
            .with_move_free(free);
        let (tx, rx) = unbounded();
        host.connect(tx);
        let app = App::new(
            library,
            AppOptions::default(),
            crate::support::ui_fixture::now(),
        );
        Dash { app, host, rx }
    }

    fn feed(&mut self, msg: Msg) {
        for effect in self.app.update(msg) {
            if effect != Effect::Quit {
                self.host.perform(effect);
            }
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.feed(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Feeds the jobs' messages until `done` holds of the dialog's phase.
    fn until(&mut self, what: &str, done: impl Fn(&MovePhase) -> bool) {
        loop {
            if self.app.move_dialog().is_some_and(|d| done(&d.phase)) {
                return;
            }
            let phase = self.app.move_dialog().map(|d| d.phase.clone());
            let msg = self
                .rx
                .recv_timeout(WAIT)
                .unwrap_or_else(|_| panic!("waiting for {what}; the dialog is at {phase:?}"));
            self.feed(msg);
        }
    }

    /// Feeds the jobs' messages until the dialog says the move ended as asked.
    fn until_done_ok(&mut self, what: &str) {
        self.until(what, |p| matches!(p, MovePhase::Done { .. }));
        let phase = &self.app.move_dialog().unwrap().phase;
        assert!(
            matches!(phase, MovePhase::Done { ok: true, .. }),
            "{phase:?}"
        );
    }

    fn screen(&mut self) -> String {
        screen(&mut self.app, 100, 40)
    }
}

impl Drop for Dash {
    fn drop(&mut self) {
        self.host.shutdown();
    }
}

fn link(path: &Path) -> Option<PathBuf> {
    std::fs::read_link(path).ok()
}

#[test]
fn a_device_moves_from_the_dialog_and_its_original_goes_once_confirmed() {
    let lib = demo();
    let mut d = Dash::new(&lib, None);
    let version = d.app.version().expect("a version").clone();
    assert_eq!(version.root, lib.root);
    let udid = d.app.device().unwrap().udid.clone();
    let live = lib.root.join(&udid);
    assert!(live.is_dir(), "{}", live.display());
    let before = snapshot(&live);

    d.key(KeyCode::Char('M'));
    // No DEST yet and the live folder is no link: the dialog asks for the folder.
    d.until("the question for DEST", |p| *p == MovePhase::Asking);
    let dialog = d.app.move_dialog().unwrap();
    assert_eq!(dialog.place(), live);
    assert!(dialog.editing.is_some());
    d.type_text(lib.dest_str());
    d.key(KeyCode::Enter);
    d.until("the plan", |p| matches!(p, MovePhase::Planned(_)));
    let MovePhase::Planned(Planned::Plan { plan, text }) = &d.app.move_dialog().unwrap().phase
    else {
        panic!("{:?}", d.app.move_dialog().unwrap().phase);
    };
    assert_eq!(plan.parts.len(), 2, "{:?}", plan.parts);
    assert_eq!(plan.root, live);
    // The dry run's plan, but for what happens to the original (the dialog asks after the
    // switch, the command line asks below) and the free space (others write to the volume
    // meanwhile).
    let (code, dry, err) = lib.backtop(
        &[
            "move",
            live.to_str().unwrap(),
            "--to",
            lib.dest_str(),
            "--dry-run",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let cut = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.contains("the original") && !l.contains("free on the destination"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(cut(text), cut(&dry));
    assert!(text.contains("stays until you confirm its removal after the verified switch"));
    assert!(
        text.contains("  free on the destination's volume: "),
        "{text}"
    );
    let shown = d.screen();
    assert!(
        shown.contains("will move one device's backups (3 versions)"),
        "{shown}"
    );
    assert!(shown.contains("Enter/y move"), "{shown}");

    d.key(KeyCode::Enter);
    d.until("the switch", |p| !matches!(p, MovePhase::Running { .. }));
    let MovePhase::Switched { message, .. } = &d.app.move_dialog().unwrap().phase else {
        panic!("{:?}", d.app.move_dialog().unwrap().phase);
    };
    assert!(
        message.contains("now points to the verified copy"),
        "{message}"
    );
    assert_eq!(link(&live), Some(lib.dest.join(&udid)));
    let kept = journal_dir(&live).unwrap();
    assert!(
        kept.join("original").is_dir(),
        "the original waits for the answer"
    );
    let shown = d.screen();
    assert!(
        shown.contains("Remove the original now? Permanently"),
        "{shown}"
    );
    assert!(shown.contains("y remove original"), "{shown}");

    d.key(KeyCode::Char('y'));
    d.until("the removal", |p| matches!(p, MovePhase::Done { .. }));
    let MovePhase::Done { message, ok } = &d.app.move_dialog().unwrap().phase else {
        unreachable!()
    };
    assert!(*ok, "{message}");
    assert!(
        message.contains("the original was removed permanently"),
        "{message}"
    );
    assert!(!kept.exists());
    assert_same(&before, &lib.dest.join(&udid));
    assert_eq!(link(&live), Some(lib.dest.join(&udid)));
    d.key(KeyCode::Esc);
    assert!(d.app.move_dialog().is_none());
}

#[test]
fn refusals_are_shown_and_change_nothing() {
    let lib = demo();
    let mut d = Dash::new(&lib, Some(1_000_000));
    let live = lib.root.join(&d.app.device().unwrap().udid);
    d.key(KeyCode::Char('M'));
    d.until("the question for DEST", |p| *p == MovePhase::Asking);
    // The whole root, with too little space on DEST's volume (injected).
    d.key(KeyCode::Enter);
    d.key(KeyCode::Tab);
    d.until("the question for DEST", |p| *p == MovePhase::Asking);
    assert!(d.app.move_dialog().unwrap().editing.is_some());
    d.type_text(lib.dest_str());
    d.key(KeyCode::Enter);
    d.until("the refusal", |p| matches!(p, MovePhase::Planned(_)));
    let dialog = d.app.move_dialog().unwrap();
    assert_eq!(dialog.place(), lib.root);
    let MovePhase::Planned(Planned::Refused(why)) = &dialog.phase else {
        panic!("{:?}", dialog.phase);
    };
    assert_eq!(
        why,
        "the copy needs 5.14 MB (space on disk, hard links counted once) and the destination's \
         volume has 1 MB free"
    );
    let shown = d.screen();
    assert!(shown.contains("refused: the copy needs 5.14 MB"), "{shown}");
    assert!(shown.contains("nothing was moved"), "{shown}");
    // Enter on a refusal plans again (and is refused again): nothing is started.
    d.key(KeyCode::Enter);
    d.until("the refusal again", |p| matches!(p, MovePhase::Planned(_)));

    // DEST inside what moves, then DEST not empty (the device's backups, with room now).
    drop(d);
    let mut d = Dash::new(&lib, None);
    d.key(KeyCode::Char('M'));
    d.until("the question for DEST", |p| *p == MovePhase::Asking);
    d.type_text(&live.join("inside").display().to_string());
    d.key(KeyCode::Enter);
    d.until("the refusal", |p| matches!(p, MovePhase::Planned(_)));
    let phase = d.app.move_dialog().unwrap().phase.clone();
    assert!(
        matches!(&phase, MovePhase::Planned(Planned::Refused(w)) if w.contains("is inside the folder being moved")),
        "{phase:?}"
    );
    std::fs::create_dir_all(&lib.dest).unwrap();
    std::fs::write(lib.dest.join("notes.txt"), b"mine").unwrap();
    d.key(KeyCode::Char('d'));
    d.feed(Msg::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    d.type_text(lib.dest_str());
    d.key(KeyCode::Enter);
    d.until("the refusal", |p| matches!(p, MovePhase::Planned(_)));
    let phase = d.app.move_dialog().unwrap().phase.clone();
    assert!(
        matches!(&phase, MovePhase::Planned(Planned::Refused(w)) if w.contains("is not empty")),
        "{phase:?}"
    );
    assert!(std::fs::symlink_metadata(&live).unwrap().is_dir());
    assert!(!journal_dir(&live).unwrap().exists());
    assert!(!journal_dir(&lib.root).unwrap().exists());
    assert_eq!(
        std::fs::read_dir(&lib.dest).unwrap().count(),
        1,
        "DEST holds only what was there"
    );
}

#[test]
fn a_move_left_unfinished_is_found_at_start_then_rolled_back_or_resumed() {
    let lib = demo();
    let before = snapshot(&lib.root);
    let (r, dest) = (lib.root_str(), lib.dest_str());
    let stop = |phase: &str| {
        let (code, out, err) = lib.backtop(
            &["move", r, "--to", dest, "--yes"],
            &[("BACKTOP_FAULT_AFTER", phase)],
        );
        assert_eq!(code, 1, "{out}{err}");
    };

    // Stopped after the verify: the dashboard asks at start; roll back.
    stop("verify");
    let mut d = Dash::new(&lib, None);
    d.until("the unfinished move", |p| {
        matches!(p, MovePhase::Interrupted { .. })
    });
    let shown = d.screen();
    assert!(
        shown.contains("The move stopped after the verify, before the switch"),
        "{shown}"
    );
    assert!(shown.contains("r resume"), "{shown}");
    assert!(shown.contains("a roll back"), "{shown}");
    d.key(KeyCode::Char('a'));
    d.until_done_ok("the rollback");
    assert!(std::fs::symlink_metadata(&lib.root).unwrap().is_dir());
    assert!(!lib.dest.exists(), "the copy is removed");
    assert!(!journal_dir(&lib.root).unwrap().exists());
    assert_same(&before, &lib.root);
    drop(d);

    // Stopped after the switch: resume removes the original.
    stop("switch");
    let mut d = Dash::new(&lib, None);
    d.until("the unfinished move", |p| {
        matches!(p, MovePhase::Interrupted { .. })
    });
    let shown = d.screen();
    assert!(
        shown.contains("is switched: the verified copy is in use"),
        "{shown}"
    );
    d.key(KeyCode::Char('r'));
    d.until_done_ok("the resumed move");
    assert_eq!(link(&lib.root), Some(lib.dest.clone()));
    assert!(!journal_dir(&lib.root).unwrap().exists());
    assert_same(&before, &lib.dest);
}

/// The real binary in a terminal (`--demo`, 100x40): `M` (Shift, as a terminal sends it) on
/// the first device, DEST typed, the plan, the move's progress to the question about the
/// original, `y`, the result; then the device's live folder in the demo is a link to its copy.
#[test]
fn the_move_dialog_in_a_terminal() {
    use crate::support::keys::Key;
    use crate::support::pty::Pty;
    let dir = tempfile::tempdir().unwrap();
    let [home, tmp] = ["home", "tmp"].map(|d| dir.path().join(d));
    std::fs::create_dir_all(&tmp).unwrap();
    let dest = dir.path().join("Backup Drive/iPhone");
    let env = [
        ("HOME", home.to_str().unwrap()),
        ("XDG_DATA_HOME", home.to_str().unwrap()),
        ("XDG_CONFIG_HOME", home.to_str().unwrap()),
        ("XDG_CACHE_HOME", home.to_str().unwrap()),
        ("TMPDIR", tmp.to_str().unwrap()),
        ("NO_COLOR", "1"),
    ];
    let pty = Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_backtop")),
        &["--demo"],
        &env,
        100,
        40,
    );
    pty.wait_for_text("Devices (", WAIT).expect("dashboard up");
    pty.send_key(Key::Char('M'));
    pty.wait_for_text("Move backups", WAIT).expect("the dialog");
    pty.wait_for_text("Enter plan", WAIT)
        .expect("asks for the folder, typing");
    pty.send_keys(dest.to_str().unwrap().as_bytes());
    pty.send_key(Key::Enter);
    pty.wait_for_text("will move one device's backups", WAIT)
        .expect("the plan");
    pty.send_key(Key::Enter);
    pty.wait_for_text("Remove the original now?", WAIT)
        .expect("the question once the copy is in use");
    pty.send_key(Key::Char('y'));
    pty.wait_for_text("the original was removed permanently", WAIT)
        .expect("the result");
    let demo = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("backtop-demo-"))
        .expect("the demo's folder");
    let links: Vec<PathBuf> = walk_links(&demo);
    assert!(
        links
            .iter()
            .any(|l| link(l).is_some_and(|t| t.starts_with(&dest))),
        "a folder of the demo links into DEST: {links:?}"
    );
    pty.send_key(Key::Esc);
    // Esc alone (followed at once by q, a terminal reads Alt-q).
    pty.wait_for_text_gone("Esc/Enter/q close", WAIT)
        .expect("the dialog closed");
    pty.send_key(Key::Char('q'));
    let status = pty.wait_exit(WAIT).expect("backtop exits after q");
    assert_eq!(status.exit_code(), 0);
    pty.check_restored().expect("terminal restored");
    assert!(dest.is_dir(), "the moved backups stay in DEST");
}

/// Every symbolic link under `top` (not followed).
fn walk_links(top: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![top.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                out.push(entry.path());
            } else if kind.is_dir() {
                todo.push(entry.path());
            }
        }
    }
    out
}

/// A root that a move left as a link (reached through it) moves back from the dialog without
/// a destination: `Tab` for the whole root, the plan of the move back, the move, `y`; the
/// root is a folder again with every file as before, DEST gone.
#[test]
fn a_moved_root_moves_back_from_the_dialog() {
    let lib = demo();
    let before = snapshot(&lib.root);
    let (code, out, err) = lib.backtop(
        &["move", lib.root_str(), "--to", lib.dest_str(), "--yes"],
        &[],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(link(&lib.root), Some(lib.dest.clone()));
    let mut d = Dash::new(&lib, None);
    d.key(KeyCode::Char('M'));
    d.until("the question for DEST", |p| *p == MovePhase::Asking);
    d.key(KeyCode::Enter);
    d.key(KeyCode::Tab);
    d.until("the plan back", |p| matches!(p, MovePhase::Planned(_)));
    let MovePhase::Planned(Planned::Plan { plan, text }) = &d.app.move_dialog().unwrap().phase
    else {
        panic!("{:?}", d.app.move_dialog().unwrap().phase);
    };
    assert_eq!(plan.root, lib.root);
    assert_eq!(plan.far, lib.dest);
    assert!(text.contains("then the link"), "{text}");
    d.key(KeyCode::Enter);
    d.until("the switch back", |p| {
        !matches!(p, MovePhase::Running { .. })
    });
    assert!(
        matches!(
            d.app.move_dialog().unwrap().phase,
            MovePhase::Switched { .. }
        ),
        "{:?}",
        d.app.move_dialog().unwrap().phase
    );
    d.key(KeyCode::Char('y'));
    d.until_done_ok("the removal");
    assert!(std::fs::symlink_metadata(&lib.root).unwrap().is_dir());
    assert!(!lib.dest.exists());
    assert_same(&before, &lib.root);
}

/// A device whose backups a move took to another drive (its live folder and snapshots links
/// into DEST) is still listed, from DEST, and `M` on it offers the move back: the dialog says
/// where to ("move back to" its folder in the root), the plan of the move back, the move, `y`;
/// its folders are folders again with every file as before, DEST's copy gone.
#[test]
fn a_moved_device_moves_back_from_the_dialog() {
    let lib = demo();
    let d = Dash::new(&lib, None);
    let udid = d.app.device().unwrap().udid.clone();
    drop(d);
    let live = lib.root.join(&udid);
    let snaps = lib.root.join("iMazing.Versions/Versions").join(&udid);
    let (before, before_snaps) = (snapshot(&live), snapshot(&snaps));
    let (code, out, err) = lib.backtop(
        &[
            "move",
            live.to_str().unwrap(),
            "--to",
            lib.dest_str(),
            "--yes",
        ],
        &[],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(link(&live), Some(lib.dest.join(&udid)));

    let mut d = Dash::new(&lib, None);
    let device = d
        .app
        .device()
        .expect("the moved device is still listed")
        .clone();
    assert_eq!(device.udid, udid);
    assert!(
        device
            .versions
            .iter()
            .all(|v| v.path.starts_with(&lib.dest)),
        "its versions are read from DEST: {:?}",
        device.versions.iter().map(|v| &v.path).collect::<Vec<_>>()
    );
    assert_eq!(device.versions.len(), 3);
    d.key(KeyCode::Char('M'));
    d.until("the plan back", |p| matches!(p, MovePhase::Planned(_)));
    let MovePhase::Planned(Planned::Plan { plan, text }) = &d.app.move_dialog().unwrap().phase
    else {
        panic!("{:?}", d.app.move_dialog().unwrap().phase);
    };
    assert_eq!(plan.root, live);
    assert_eq!(plan.far, lib.dest);
    assert_eq!(plan.parts.len(), 2, "{:?}", plan.parts);
    assert!(
        text.starts_with(&format!(
            "will move one device's backups (3 versions) from {} back into {}",
            lib.dest_str(),
            lib.root_str()
        )),
        "{text}"
    );
    let shown = d.screen();
    assert!(shown.contains("Move backups back"), "{shown}");
    assert!(shown.contains(" To          move back to "), "{shown}");
    assert!(shown.contains(&udid[..8]), "{shown}");

    d.key(KeyCode::Enter);
    d.until("the switch back", |p| {
        !matches!(p, MovePhase::Running { .. })
    });
    let MovePhase::Switched { message, .. } = &d.app.move_dialog().unwrap().phase else {
        panic!("{:?}", d.app.move_dialog().unwrap().phase);
    };
    assert!(message.contains("is a folder again"), "{message}");
    d.key(KeyCode::Char('y'));
    d.until_done_ok("the removal");
    assert!(std::fs::symlink_metadata(&live).unwrap().is_dir());
    assert!(std::fs::symlink_metadata(&snaps).unwrap().is_dir());
    assert_same(&before, &live);
    assert_same(&before_snaps, &snaps);
    assert!(!lib.dest.join(&udid).exists(), "DEST's copy is gone");
    assert!(!journal_dir(&live).unwrap().exists());
}
