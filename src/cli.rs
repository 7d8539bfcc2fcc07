//! Command-line interface: global options that pick the roots, and the subcommands.
//! `backtop` with no subcommand opens the dashboard.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Exit code of a usage error (an unknown flag, a missing or malformed argument): sysexits'
/// `EX_USAGE`, so that it never reads as 2, "refused".
pub const EXIT_USAGE: u8 = 64;

/// The exit codes every command keeps to, as `backtop --help` and the README list them.
pub const EXIT_CODES: &str = "Exit codes (each command's --help says which it uses; `check` uses
the Nagios codes 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN instead of 0-3 below):
  0       done
  1       partly done: some versions failed, were skipped or are missing
  2       refused: a guard said no, nothing was changed
  3       cancelled at the prompt
  4       error
  5       wrong password: it opened none of the encrypted backups it was tried on
  64      usage error: an unknown flag, a missing or malformed argument
  128+N   ended by signal N (129: the terminal hung up)";

/// The whole of a usage error as one line, for the JSON error document: clap's rendered
/// message (`err.render()`) without its `error: ` prefix, the usage and the pointer to
/// `--help`, each paragraph's lines joined by spaces and the paragraphs by `; ` (`the
/// following required arguments were not provided: <OLD> <NEW>`).
pub fn usage_message(rendered: &str) -> String {
    let said: Vec<String> = rendered
        .split("\n\n")
        .map(|paragraph| {
            let lines: Vec<&str> = paragraph.lines().map(str::trim).collect();
            lines.join(" ").trim().to_string()
        })
        .filter(|p| !p.is_empty() && !p.starts_with("Usage:") && !p.starts_with("For more"))
        .collect();
    let text = said.join("; ");
    match text.strip_prefix("error: ") {
        Some(rest) => rest.to_string(),
        None if text.is_empty() => "invalid command line".to_string(),
        None => text,
    }
}

/// `--older-than`'s value checked by [`crate::actions::duration::parse_age`] while the command
/// line is parsed, so a malformed age is a usage error (64) like any malformed argument.
fn an_age(text: &str) -> Result<String, String> {
    crate::actions::duration::parse_age(text).map(|_| text.to_string())
}

/// A terminal dashboard for iPhone and iPad backups: find every backup, see what is in it,
/// and free space by deleting old versions safely.
#[derive(Debug, Parser)]
#[command(name = "backtop", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// Where to look for backups.
    #[command(flatten)]
    pub roots: RootArgs,

    /// Disable every destructive key and command (delete, prune).
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Do not read or write the size cache.
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// Draw gauges and borders with ASCII only (automatic when the locale is not UTF-8 or
    /// TERM=dumb).
    #[arg(long, global = true)]
    pub ascii: bool,

    /// The password of encrypted backups: the first line of FILE (never give it on the
    /// command line). Also read from BACKTOP_PASSWORD (less safe: the environment can be read
    /// by the user's other programs). ls, export and diff ask at a prompt otherwise.
    #[arg(long, value_name = "FILE", global = true)]
    pub password_file: Option<PathBuf>,

    /// Ask for the password of encrypted backups at a prompt (no echo) for du and verify too,
    /// which otherwise report them as locked.
    #[arg(long, global = true)]
    pub unlock: bool,

    /// Keep the key derived from the password in the OS keyring (Linux: the kernel keyring,
    /// in memory, until reboot or a few days after logout; macOS: Keychain; Windows:
    /// Credential Manager), and use keys kept there: later runs with --remember open those
    /// backups without the password. Off by default; never written to disk by backtop.
    #[arg(long, global = true, conflicts_with = "forget")]
    pub remember: bool,

    /// Remove from the OS keyring the keys --remember kept for the encrypted backups in scope.
    #[arg(long, global = true)]
    pub forget: bool,

    /// What to do; without one, the dashboard opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Where the password of encrypted backups comes from.
    pub fn password_options(&self) -> crate::commands::password::PasswordOptions {
        crate::commands::password::PasswordOptions {
            file: self.password_file.clone(),
            ask: self.unlock,
            remember: self.remember,
            forget: self.forget,
        }
    }
}

/// Options that choose the backup roots; shared by every command.
#[derive(Debug, Clone, Default, Args)]
pub struct RootArgs {
    /// A folder holding backups (repeatable). Adds to the default roots unless --only.
    #[arg(long = "root", value_name = "DIR", global = true)]
    pub roots: Vec<PathBuf>,

    /// Treat DIR as a user's home and look for every known macOS and Windows layout under it
    /// (repeatable).
    #[arg(long = "home", value_name = "DIR", global = true)]
    pub homes: Vec<PathBuf>,

    /// Use only the roots given by --root/--home/--demo (no defaults, config, env or volumes).
    #[arg(long, global = true)]
    pub only: bool,

    /// Look in the home of every user (under /Users, /home or C:\Users).
    #[arg(long, global = true)]
    pub all_users: bool,

    /// The folder holding users' homes, e.g. /Volumes/OldMac/Users (implies --all-users).
    #[arg(long, value_name = "DIR", global = true)]
    pub users_dir: Option<PathBuf>,

    /// Build a realistic demo library in a temporary folder and use it as the only root.
    #[arg(long, global = true)]
    pub demo: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List devices and their backup versions.
    List(JsonArg),
    /// Sizes per device and version: bytes, reclaimable bytes, categories, volumes.
    ///
    /// Hard links are counted once per inode (on Windows: per volume serial number and file
    /// index, asked of each file). Copy-on-write clones (APFS `cp -c`, btrfs or ReFS reflinks)
    /// share blocks without sharing an inode, so they are counted twice.
    ///
    /// Versions unchanged since the last scan are not walked again: their figures come
    /// exactly from the size cache (--no-cache walks everything).
    Du(JsonArg),
    /// Every place backtop looked for backups, and what it found there or how to fix access.
    Roots(JsonArg),
    /// Check that versions are complete and consistent with their manifest.
    #[command(
        after_help = "Exit codes:\n  0  every version is ok\n  1  some version has \
                            problems, or an encrypted one was not checked (locked)\n  2  a \
                            path is not a folder\n  4  error\n  5  wrong password"
    )]
    Verify {
        /// Version folders to verify (default: every version found).
        paths: Vec<PathBuf>,
        /// For unlocked encrypted versions: decrypt every file, checking its padding and its
        /// size against the manifest.
        #[arg(long)]
        deep: bool,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Delete backup versions (to the trash unless --permanent).
    #[command(
        after_help = "Exit codes:\n  0  every version was deleted\n  1  some deletes \
                            failed (the others were done)\n  2  refused: nothing was deleted \
                            (a guard, --read-only, no terminal without --yes, --json without \
                            --yes)\n  3  cancelled at the prompt\n  4  error"
    )]
    Rm {
        /// Version folders to delete.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Delete for good instead of moving to the trash.
        #[arg(long)]
        permanent: bool,
        /// Allow deleting a device's newest complete backup, a backup in progress, or a
        /// snapshot iMazing still lists.
        #[arg(long)]
        force: bool,
        /// Machine-readable output (needs --yes: there is no prompt in JSON mode).
        #[arg(long)]
        json: bool,
    },
    /// Delete old versions by a policy, never a device's newest complete backup.
    #[command(
        after_help = "Exit codes:\n  0  done, nothing to prune, or --dry-run\n  1  some \
                            deletes failed or versions were skipped by a guard\n  2  refused: \
                            no policy, --keep 0, --read-only, no terminal without --yes\n  \
                            3  cancelled at the prompt\n  4  error\n  64 usage error (a \
                            malformed --keep or --older-than)"
    )]
    Prune {
        /// Keep the N newest complete versions of each device (live ones count).
        #[arg(long, value_name = "N")]
        keep: Option<usize>,
        /// Remove only versions older than this (e.g. 90d, 12w, 6m, 1y).
        #[arg(long, value_name = "AGE", value_parser = an_age)]
        older_than: Option<String>,
        /// Show the plan, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Delete for good instead of moving to the trash.
        #[arg(long)]
        permanent: bool,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Move a backup root to another folder or drive, leaving a link at its old path (or
    /// back with --back).
    #[command(
        after_help = "Exit codes:\n  0  moved, rolled back, or --dry-run\n  1  the move \
                            stopped (run it again to resume, or --abort)\n  2  refused: nothing \
                            was moved\n  3  cancelled at the prompt\n  4  error"
    )]
    Move(MoveArgs),
    /// List what a version holds: its domains, or the entries below DOMAIN[/path].
    #[command(
        after_help = "VERSION is a version folder (as `list` prints it) or UDID@YYYY-MM-DD \
                            (the one version of that device dated that day, UTC).\n\nExit \
                            codes:\n  0  listed\n  1  locked (an encrypted backup)\n  4  \
                            error (no such version or path, a damaged manifest)"
    )]
    Ls(LsArgs),
    /// Copy files out of a version into DEST/<domain>/<path>, never overwriting.
    #[command(
        after_help = "VERSION is a version folder (as `list` prints it) or UDID@YYYY-MM-DD.\n\n\
                            Exit codes:\n  0  everything asked for was written\n  1  some \
                            files were skipped or missing in the backup\n  4  error"
    )]
    Export(ExportArgs),
    /// What changed between two versions of a device: files added (+), removed (-) and
    /// changed (M), by category and app, largest first.
    #[command(
        after_help = "OLD and NEW are version folders (as `list` prints them) or \
                            UDID@YYYY-MM-DD.\n\nExit codes:\n  0  compared\n  1  a version \
                            cannot be compared (encrypted)\n  4  error (no such version, a \
                            damaged manifest)"
    )]
    Diff(crate::commands::diff::DiffArgs),
    /// The library's alerts for cron and monitoring: stale, never encrypted, interrupted,
    /// damaged, low space, unreachable, duplicate (see docs/MONITORING.md).
    #[command(
        after_help = "Exit codes (Nagios plugin convention; they do not mean what they \
                            mean for the other commands):\n  0  OK: no alert\n  1  WARNING: \
                            some warning, no critical alert\n  2  CRITICAL: some critical \
                            alert\n  3  UNKNOWN: no root could be read, or no backup was \
                            found\n  4  error: the check could not run (config file, \
                            --prometheus FILE not writable)\n  64 usage error"
    )]
    Check(crate::commands::check::CheckArgs),
    /// Write a realistic demo library into DIR.
    Demo {
        /// Where to write it (created if missing).
        dir: PathBuf,
        /// Write the damaged corpus instead: one healthy version beside many damaged ones
        /// (deep plists, FIFOs, links, truncated and garbage files), for trying backtop on.
        #[arg(long)]
        damaged: bool,
    },
    /// Print the shell completion script for SHELL on stdout.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout.
    Man,
}

impl Command {
    /// Whether the command only prints something about backtop itself (completions, man page,
    /// the demo writer): it reads no config and looks for no backups.
    pub fn is_standalone(&self) -> bool {
        matches!(
            self,
            Self::Demo { .. } | Self::Completions { .. } | Self::Man
        )
    }

    /// Whether it prints JSON (`--json` given): then stdout holds only JSON, and an error that
    /// ends it early is printed there as a JSON error object too (see `docs/json.md`).
    pub fn json(&self) -> bool {
        match self {
            Self::List(a) | Self::Du(a) | Self::Roots(a) => a.json,
            Self::Verify { json, .. } | Self::Prune { json, .. } | Self::Rm { json, .. } => *json,
            Self::Move(a) => a.json,
            Self::Ls(a) => a.json,
            Self::Export(a) => a.json,
            Self::Diff(a) => a.json,
            Self::Check(a) => a.json,
            Self::Demo { .. } | Self::Completions { .. } | Self::Man => false,
        }
    }
}

/// The arguments of `backtop move`.
#[derive(Debug, Clone, Default, Args)]
pub struct MoveArgs {
    /// The root to move (a folder holding backups).
    #[arg(
        value_name = "SOURCE",
        required_unless_present = "back",
        conflicts_with = "back"
    )]
    pub source: Option<PathBuf>,
    /// Where to move it: a new or empty folder, usually on another drive.
    #[arg(long, value_name = "DEST", required_unless_present_any = ["back", "abort"])]
    pub to: Option<PathBuf>,
    /// Move back the root that a move left as a link at ROOT.
    #[arg(long, value_name = "ROOT", conflicts_with = "to")]
    pub back: Option<PathBuf>,
    /// Show the plan, change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask; remove the original after the verified switch unless --keep-source.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Keep the original after the switch (run the same move with --yes later to remove it).
    #[arg(long)]
    pub keep_source: bool,
    /// Roll back an interrupted (or kept) move of SOURCE (or of --back ROOT).
    #[arg(long)]
    pub abort: bool,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// `--json` for commands that print a report.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct JsonArg {
    /// Machine-readable output (a documented, stable contract).
    #[arg(long)]
    pub json: bool,
}

/// What `backtop ls` lists.
#[derive(Debug, Clone, Default, Args)]
pub struct LsArgs {
    /// The version: its folder, or UDID@YYYY-MM-DD.
    pub version: String,
    /// DOMAIN or DOMAIN/path to list (default: the domains).
    pub prefix: Option<String>,
    /// Everything below, not only one level.
    #[arg(long, short = 'r')]
    pub recursive: bool,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// What `backtop export` copies, and where.
#[derive(Debug, Clone, Default, Args)]
pub struct ExportArgs {
    /// The version: its folder, or UDID@YYYY-MM-DD.
    pub version: String,
    /// DOMAIN or DOMAIN/path prefixes to export (default: the whole version).
    pub prefixes: Vec<String>,
    /// The destination folder (created when missing).
    #[arg(long, value_name = "DEST", required = true)]
    pub to: PathBuf,
    /// Only files of this category: an id as `du --json` gives it (photos, messages, whatsapp,
    /// notes, voice_memos, apps, other_media and the others).
    #[arg(long, value_name = "C")]
    pub category: Option<String>,
    /// Only files of this app (its bundle id, e.g. com.spotify.client).
    #[arg(long, value_name = "BUNDLE_ID")]
    pub app: Option<String>,
    /// When a file of that name exists, write `name (1).ext` instead of skipping.
    #[arg(long)]
    pub rename: bool,
    /// With --category or --app: write into DEST/<category or app name>/<path>, the domains
    /// merged, instead of DEST/<domain>/<path>.
    #[arg(long)]
    pub flatten: bool,
    /// Machine-readable output (nothing else on stdout).
    #[arg(long)]
    pub json: bool,
}
