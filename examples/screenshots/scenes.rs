//! The screenshots' scenes: the real dashboard (`backtop::ui::draw`) on the demo library,
//! sized by the real scan and moved into each state through the app's own key handling.
//!
//! What depends on the machine or the clock is frozen so the pictures are the same on every
//! run: the demo is built and dated at a fixed `NOW` with a fixed seed, paths are shown under
//! `~` (the demo folder is the home), the scan's wall time is fixed, and the volumes are two
//! made-up disks (the demo's folders all sit on one temp file system whose free space varies).

use std::path::{Path, PathBuf};
use std::time::Duration;

use backtop::demo::{self, build_demo, DemoOptions, INTERACTIVE_SCALE};
use backtop::library::diff::what_deleting_loses;
use backtop::library::locate::named_root;
use backtop::library::usage::{library_totals, VersionUsage};
use backtop::library::volume::VolumeUsage;
use backtop::library::{discover, Library, RootOrigin};
use backtop::scan::{self, ScanEvent, ScanOptions};
use backtop::tasks::{check_all, JobEvent, JobId, JobKind, JobMsg, Outcome, Progress};
use backtop::ui::app::{App, AppOptions};
use backtop::ui::theme::Theme;
use backtop::ui::{Effect, Msg};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use time::macros::datetime;
use time::OffsetDateTime;

/// The frozen "now" of every scene.
const NOW: OffsetDateTime = datetime!(2026-11-20 10:00 UTC);

/// One scene: its file name (without `.png`), its size in cells, and the keys that lead to it
/// from a freshly scanned dashboard.
pub struct Scene {
    /// File name without `.png`.
    pub name: &'static str,
    /// Columns.
    pub cols: u16,
    /// Rows.
    pub rows: u16,
    /// Keys pressed, in order.
    pub keys: &'static [KeyCode],
}

/// Every scene, in the order they are written. `dashboard` is README's picture (≤ 100
/// columns so GitHub shows it readable).
pub const SCENES: &[Scene] = &[
    Scene {
        name: "dashboard",
        cols: 100,
        rows: 32,
        keys: &[],
    },
    Scene {
        name: "dashboard-wide",
        cols: 160,
        rows: 44,
        keys: &[],
    },
    Scene {
        name: "breakdown",
        cols: 120,
        rows: 36,
        keys: &[KeyCode::Enter, KeyCode::Char('j'), KeyCode::Char('j')],
    },
    Scene {
        name: "help",
        cols: 120,
        rows: 36,
        keys: &[KeyCode::Char('?')],
    },
    Scene {
        name: "delete-confirm",
        cols: 120,
        rows: 36,
        keys: &[
            KeyCode::Enter,
            KeyCode::Char('G'),
            KeyCode::Char(' '),
            KeyCode::Char('k'),
            KeyCode::Char(' '),
            KeyCode::Char('d'),
        ],
    },
    Scene {
        name: "prune-preview",
        cols: 120,
        rows: 36,
        keys: &[KeyCode::Char('p')],
    },
    Scene {
        name: "browser",
        cols: 120,
        rows: 36,
        keys: &[KeyCode::Enter, KeyCode::Enter, KeyCode::Char('j')],
    },
    Scene {
        name: "roots",
        cols: 120,
        rows: 36,
        keys: &[KeyCode::Char('R')],
    },
];

/// The demo library, discovered and sized once for every scene. Keeps its folder alive.
pub struct Stage {
    _dir: tempfile::TempDir,
    home: PathBuf,
    library: Library,
    events: Vec<ScanEvent>,
}

impl Stage {
    /// Builds the demo library, discovers it and runs the real scan to the end.
    pub fn new() -> anyhow::Result<Stage> {
        let dir = tempfile::Builder::new()
            .prefix("backtop-screenshots-")
            .tempdir()?;
        let options = DemoOptions {
            seed: 2024,
            scale: INTERACTIVE_SCALE,
            sparse: true,
            now: Some(NOW),
        };
        let demo = build_demo(dir.path(), &options)?;
        let roots: Vec<_> = demo
            .roots
            .iter()
            .map(|p| named_root(p, RootOrigin::Demo))
            .collect();
        let library = discover::discover_library(&roots, NOW);
        let handle = scan::start(
            library.clone(),
            ScanOptions {
                cache: None,
                threads: 0,
                simulated_disks: None,
            },
        );
        let events: Vec<ScanEvent> = handle.events.iter().collect();
        let events = freeze(events, &library, &demo.home);
        Ok(Stage {
            _dir: dir,
            home: demo.home,
            library,
            events,
        })
    }

    /// The dashboard after the scan, with `scene`'s keys pressed, drawn at its size.
    pub fn render(&self, scene: &Scene) -> anyhow::Result<Buffer> {
        let options = AppOptions {
            read_only: false,
            theme: Theme::new(true, false),
            tz: jiff::tz::TimeZone::UTC,
            home: Some(self.home.clone()),
            simulated_disks: false,
        };
        let mut app = App::new(self.library.clone(), options, NOW);
        app.update(Msg::Resize(scene.cols, scene.rows));
        for event in &self.events {
            let progress = JobEvent::Progress(Progress::Scan(event.clone()));
            app.update(job(JobKind::Scan, progress));
        }
        for code in scene.keys {
            let effects = app.update(Msg::Key(KeyEvent::new(*code, KeyModifiers::NONE)));
            self.answer(&mut app, effects);
        }
        let mut terminal = Terminal::new(TestBackend::new(scene.cols, scene.rows))?;
        terminal.draw(|frame| backtop::ui::draw(frame, &app))?;
        Ok(terminal.backend().buffer().clone())
    }

    /// Does what the dashboard's host would for the effects a scene needs (the delete
    /// dialog's guard checks and what its versions alone hold, opening a version in the
    /// browser); nothing is deleted.
    fn answer(&self, app: &mut App, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::PlanDelete(paths) => {
                    let checks = check_all(&paths, &self.library, false);
                    let more = app.update(job(
                        JobKind::Check,
                        JobEvent::Done(Outcome::Checked(checks)),
                    ));
                    self.answer(app, more);
                }
                Effect::Loss(paths) => {
                    let loss = what_deleting_loses(&self.library, &paths, &|_| None, &|| false);
                    let loss = Box::new(loss);
                    let done = JobEvent::Done(Outcome::Lost { paths, loss });
                    app.update(job(JobKind::Loss, done));
                }
                Effect::Browse(path) => {
                    let opened =
                        backtop::tasks::browse::open(path, &self.library, &Default::default());
                    app.update(job(JobKind::Browse, JobEvent::Done(opened)));
                }
                _ => {}
            }
        }
    }
}

/// A message of the stage's made-up job of `kind` (what the host's jobs would send).
fn job(kind: JobKind, event: JobEvent) -> Msg {
    Msg::Job(JobMsg::new(JobId(1), kind, event))
}

/// Renders every scene: `(name, buffer)` in order.
pub fn render_all() -> anyhow::Result<Vec<(&'static str, Buffer)>> {
    let stage = Stage::new()?;
    SCENES
        .iter()
        .map(|scene| Ok((scene.name, stage.render(scene)?)))
        .collect()
}

/// The scan's events with the machine-dependent parts replaced: a fixed wall time, and two
/// made-up volumes (the Mac's disk holding the Finder and iMazing roots, an external drive
/// holding the rest) with the real backup bytes on each.
fn freeze(events: Vec<ScanEvent>, library: &Library, home: &Path) -> Vec<ScanEvent> {
    let usage: Vec<(PathBuf, VersionUsage)> = events
        .iter()
        .filter_map(|e| match e {
            ScanEvent::Sized { path, usage } => Some((path.clone(), usage.clone())),
            _ => None,
        })
        .collect();
    let on = |inside: bool| -> (Vec<PathBuf>, u64) {
        let roots: Vec<PathBuf> = library
            .roots
            .iter()
            .map(|r| r.root.path.clone())
            .filter(|p| p.starts_with(home.join("Library")) == inside)
            .collect();
        let sized: Vec<&VersionUsage> = usage
            .iter()
            .filter(|(p, _)| roots.iter().any(|r| p.starts_with(r)))
            .map(|(_, u)| u)
            .collect();
        (roots, library_totals(&sized).bytes)
    };
    let ((mac_roots, mac_bytes), (drive_roots, drive_bytes)) = (on(true), on(false));
    let volumes = vec![
        VolumeUsage {
            path: PathBuf::from("/"),
            total: demo::MAC_DISK_TOTAL,
            free: demo::MAC_DISK_FREE,
            backup_bytes: mac_bytes,
            roots: mac_roots,
        },
        VolumeUsage {
            path: home.join(demo::DRIVE_FOLDER),
            total: demo::DRIVE_TOTAL,
            free: demo::DRIVE_FREE,
            backup_bytes: drive_bytes,
            roots: drive_roots,
        },
    ];
    events
        .into_iter()
        .map(|event| match event {
            ScanEvent::Volumes(_) => ScanEvent::Volumes(volumes.clone()),
            ScanEvent::Finished { .. } => ScanEvent::Finished {
                elapsed: Duration::from_millis(420),
                cancelled: false,
            },
            other => other,
        })
        .collect()
}
