//! The jobs of the dashboard's move dialog (`M`): plan a move ([`plan`]: the dry run's plan, or
//! why not), carry it out with progress ([`run`]: the plan is decided again first, on fresh
//! facts, as the delete guards are checked again), roll one back ([`abort`]), and find the
//! moves a crash, a cancel or a quit left unfinished ([`interrupted`], read on a thread of
//! its own at start). They call
//! [`crate::actions::relocate`]; nothing here knows the terminal.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{Ctx, Outcome, Progress, THROTTLE};
use crate::actions::relocate::journal::{interrupted_moves, Journal, MoveNote};
use crate::actions::relocate::words::{interrupted_text, plan_text, Original};
use crate::actions::relocate::{
    decide, discover_for, gather, run_move, Direction, MoveOptions, MoveOutcome, MovePlan,
    MoveProgress, Request,
};

/// What the dialog asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveRequest {
    /// What moves: a backup root, or one device's live folder in it (`ROOT/<UDID>`: its
    /// archives and iMazing snapshots go with it).
    pub place: PathBuf,
    /// DEST of a move away. `None`: a move back, when `place` is a link a move left (or the
    /// folder a root's link points to); otherwise the plan asks for DEST.
    pub dest: Option<PathBuf>,
    /// A move back whatever `place` is now (resuming one: after its switch `place` is a
    /// folder again).
    pub back: bool,
    /// Remove the original once the switch is done (permanently).
    pub remove_original: bool,
}

/// The answer of a plan job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Planned {
    /// The plan, and its words (what the dry run prints).
    Plan {
        /// The plan.
        plan: Box<MovePlan>,
        /// Its words.
        text: String,
    },
    /// Refused (nothing was done), and why.
    Refused(String),
    /// A move away: DEST is needed.
    NeedsDest,
}

/// What a plan job answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanAnswer {
    /// What was asked.
    pub request: MoveRequest,
    /// The answer.
    pub planned: Planned,
}

/// How a move job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveEnd {
    /// How it ended, or why it did not start (or could not roll back).
    pub result: Result<MoveOutcome, String>,
    /// The move's journal as it is now, when one is left (a cancel, a failure, an original
    /// kept).
    pub left: Option<InterruptedMove>,
}

/// A move that no backtop works on now and that did not finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterruptedMove {
    /// Its journal's note.
    pub note: MoveNote,
    /// What it left, and what resuming and rolling back do
    /// ([`crate::actions::relocate::words::interrupted_text`]).
    pub text: String,
}

impl InterruptedMove {
    /// The request that resumes it (the same move again), removing the original when
    /// `remove_original`.
    pub fn resume(&self, remove_original: bool) -> MoveRequest {
        MoveRequest {
            place: self.note.root.clone(),
            dest: (self.note.direction == Direction::Away).then(|| self.note.far.clone()),
            back: self.note.direction == Direction::Back,
            remove_original,
        }
    }
}

/// How the dialog's request reaches the core: which path, which way. `links` are the run's
/// roots that were asked for by a link (`(link, folder)`): a root whose folder is one of them
/// moves back through its link.
fn request(
    req: &MoveRequest,
    links: &[(PathBuf, PathBuf)],
    free: Option<u64>,
    read_only: bool,
) -> Option<Request> {
    let place = links
        .iter()
        .find(|(_, folder)| *folder == req.place)
        .map_or_else(|| req.place.clone(), |(link, _)| link.clone());
    let direction = match &req.dest {
        _ if req.back => Direction::Back,
        Some(_) => Direction::Away,
        None if is_link(&place) => Direction::Back,
        None => return None,
    };
    Some(Request {
        direction,
        root: place,
        dest: req.dest.clone().filter(|_| !req.back),
        free_override: free,
        read_only,
    })
}

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The plan of `req`, or why not (a dry run: nothing is written). `free` replaces the
/// destination's free space (the `BACKTOP_FREE_BYTES` test hook).
pub fn plan(
    ctx: &Ctx,
    req: MoveRequest,
    links: &[(PathBuf, PathBuf)],
    free: Option<u64>,
    read_only: bool,
) -> Outcome {
    let planned = match request(&req, links, free, read_only) {
        None => Planned::NeedsDest,
        Some(r) => {
            let library = discover_for(&r.root);
            match decide(&gather(&r, &library, ctx.cancel_flag())) {
                Ok(plan) => Planned::Plan {
                    text: plan_text(&plan, Original::AskedAfter),
                    plan: Box::new(plan),
                },
                Err(refusal) => Planned::Refused(refusal.reason),
            }
        }
    };
    Outcome::MovePlanned(Box::new(PlanAnswer {
        request: req,
        planned,
    }))
}

/// Carries out `req`: decided again on fresh facts (a refusal now changes nothing), then
/// copied, verified and switched with progress; the original removed only when asked. A
/// cancel stops it between files; the journal says how far it got.
pub fn run(
    ctx: &Ctx,
    req: &MoveRequest,
    links: &[(PathBuf, PathBuf)],
    free: Option<u64>,
    read_only: bool,
) -> Outcome {
    let Some(r) = request(req, links, free, read_only) else {
        return moved(&req.place, Err("give the folder to move it to".into()));
    };
    let library = discover_for(&r.root);
    let plan = match decide(&gather(&r, &library, ctx.cancel_flag())) {
        Ok(plan) => plan,
        Err(refusal) => {
            let why = format!("refused: {}; nothing was done", refusal.reason);
            return moved(&r.root, Err(why));
        }
    };
    let opts = MoveOptions {
        remove_original: req.remove_original,
        stop_after: None,
    };
    let mut meter = Meter::default();
    let outcome = run_move(&plan, &opts, ctx.cancel_flag(), &mut |p| meter.see(ctx, p));
    moved(&plan.root, Ok(outcome))
}

/// Rolls back the recorded move of `root` (`backtop move … --abort`).
pub fn abort(ctx: &Ctx, root: &Path) -> Outcome {
    let result: Result<MoveOutcome, String> =
        crate::actions::relocate::abort(root, ctx.cancel_flag())
            .map_err(|e| format!("not rolled back: {e}"));
    moved(root, result)
}

/// How a run or rollback of the move of `root` ended, with what its journal says now.
fn moved(root: &Path, result: Result<MoveOutcome, String>) -> Outcome {
    let root = crate::actions::index::canonical_keep_last(root);
    let left = Journal::find(&root)
        .ok()
        .flatten()
        .map(|j| InterruptedMove {
            text: interrupted_text(&j.note),
            note: j.note,
        });
    Outcome::Moved(Box::new(MoveEnd { result, left }))
}

/// The moves near `roots` left unfinished (see [`interrupted_moves`]), each in words.
pub fn interrupted(roots: &[PathBuf]) -> Vec<InterruptedMove> {
    interrupted_moves(roots)
        .into_iter()
        .map(|j| InterruptedMove {
            text: interrupted_text(&j.note),
            note: j.note,
        })
        .collect()
}

/// Turns the core's progress into job progress: each stage's elapsed time (for the rate and
/// the time left), at most one message per [`THROTTLE`] except when the stage changes.
#[derive(Default)]
struct Meter {
    stage: Option<crate::actions::relocate::Stage>,
    started: Option<Instant>,
    last: Option<Instant>,
}

impl Meter {
    fn see(&mut self, ctx: &Ctx, p: MoveProgress) {
        let now = Instant::now();
        if self.stage != Some(p.stage) {
            self.stage = Some(p.stage);
            self.started = Some(now);
        } else if self.last.is_some_and(|t| now - t < THROTTLE) {
            return;
        }
        self.last = Some(now);
        let elapsed = self.started.map_or(Duration::ZERO, |s| now - s);
        ctx.progress(Progress::Move {
            progress: p,
            elapsed,
        });
    }
}
