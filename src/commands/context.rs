//! What every command needs first: the roots to look at (from the CLI, config, environment and
//! defaults, or a freshly built demo library), and the environment they were resolved in.
//!
//! This is the I/O edge of `library::locate`: it reads `BACKTOP_ROOTS` and the users folder into
//! a [`RootSpec`] beside the config file's roots, then calls the pure [`locate::resolve`].

use std::path::{Path, PathBuf};

use anyhow::Context;
use time::OffsetDateTime;

use crate::cli::RootArgs;
use crate::library::access;
use crate::library::discover;
use crate::library::locate::{self, sources, Env, RootSpec};
use crate::library::seen::SeenStore;
use crate::library::{Library, Root, RootOrigin};

/// The roots for this run. Holds the demo library's temporary folder alive while it is used.
pub struct RunRoots {
    /// Roots to look at, in order, each once.
    pub roots: Vec<Root>,
    /// The temp folder of `--demo`, removed when dropped.
    pub demo_dir: Option<tempfile::TempDir>,
    /// The environment the roots were resolved in (OS, user, SSH, volumes): needed to check
    /// roots and word advice.
    pub env: Env,
    /// Where remembered removable drives are kept; `None` with `--only` or `--demo`.
    pub seen: Option<SeenStore>,
    /// Roots asked for by a path that is a symbolic link (what `backtop move` leaves): the
    /// link and the folder it resolved to (shown as the root).
    pub links: Vec<(PathBuf, PathBuf)>,
}

impl RunRoots {
    /// Resolves the roots for `args`: adds the config file's `config_roots`, reads
    /// `BACKTOP_ROOTS` and the users folder as needed (none of them with `--only`), then
    /// applies the rules of [`locate::resolve`]. An unreadable `--users-dir` is an error.
    pub fn resolve(args: &RootArgs, config_roots: &[PathBuf]) -> anyhow::Result<Self> {
        let env = Env::current();
        if args.demo {
            let dir = tempfile::Builder::new()
                .prefix("backtop-demo-")
                .tempdir_in(demo_parent())
                .context("creating a temporary folder for the demo library")?;
            let lib = crate::demo::build_demo(
                dir.path(),
                &crate::demo::DemoOptions {
                    scale: crate::demo::INTERACTIVE_SCALE,
                    ..Default::default()
                },
            )
            .context("building the demo library")?;
            return Ok(RunRoots::from_demo(dir, &lib.roots, env));
        }
        let spec = spec_for(args, &env, config_roots)?;
        let links = locate::candidates(&spec, &env)
            .into_iter()
            .filter(|r| {
                std::fs::symlink_metadata(&r.path).is_ok_and(|m| m.file_type().is_symlink())
            })
            .map(|r| {
                let real = locate::real_path(&r.path);
                (r.path, real)
            })
            .collect();
        let roots = locate::resolve(&spec, &env);
        let seen = if args.only {
            None
        } else {
            SeenStore::default_location()
        };
        Ok(RunRoots {
            roots,
            demo_dir: None,
            env,
            seen,
            links,
        })
    }

    /// The run for a demo library built in `dir` with these roots (origin demo, app told by
    /// the path's layout). No remembered drives.
    pub fn from_demo(dir: tempfile::TempDir, roots: &[PathBuf], env: Env) -> Self {
        let roots = roots
            .iter()
            .map(|p| locate::named_root(p, RootOrigin::Demo))
            .collect();
        RunRoots {
            roots,
            demo_dir: Some(dir),
            env,
            seen: None,
            links: Vec::new(),
        }
    }

    /// Paths of the roots (with the folders moved devices' backups are in now, see
    /// [`RunRoots::looked_at`]).
    pub fn paths(&self) -> Vec<PathBuf> {
        self.looked_at().into_iter().map(|r| r.path).collect()
    }

    /// The live folders of devices whose backups a move took elsewhere (`<root>/<UDID>`, a
    /// link to `<far>/<UDID>`) in the run's roots, with the folder each points to, when that
    /// is there (its drive connected). Read now: a move from the dashboard makes them.
    pub fn device_links(&self) -> Vec<(PathBuf, PathBuf)> {
        self.roots
            .iter()
            .flat_map(|r| moved_devices(&r.path))
            .filter(|(_, far)| far.is_dir())
            .collect()
    }

    /// [`RunRoots::links`] and [`RunRoots::device_links`]: every link the run reaches backups
    /// through, with the folder it points to.
    pub fn all_links(&self) -> Vec<(PathBuf, PathBuf)> {
        let mut links = self.links.clone();
        links.extend(self.device_links());
        links
    }

    /// The roots to discover: the run's, then each folder that a moved device's backups are
    /// in now (the parent of its live folder's copy, once, unless it is a root already), with
    /// the origin of the root the device was moved from. Discovery never follows a link
    /// inside a root, so without it a moved device would vanish from every listing.
    pub fn looked_at(&self) -> Vec<Root> {
        let mut roots = self.roots.clone();
        for root in &self.roots {
            for (_, far) in moved_devices(&root.path) {
                let Some(parent) = far.parent().filter(|_| far.is_dir()) else {
                    continue;
                };
                if !roots.iter().any(|r| locate::real_path(&r.path) == parent) {
                    roots.push(Root {
                        path: parent.to_path_buf(),
                        ..root.clone()
                    });
                }
            }
        }
        roots
    }

    /// Discovers every root: versions, devices, and each root's status with advice for this
    /// run's environment. Then, unless `--only`/`--demo`, remembers roots on removable volumes
    /// that hold backups and adds remembered ones whose drive is not connected. Failing to
    /// write that memory (a cache) is not an error.
    pub fn discover(&self) -> Library {
        let now = OffsetDateTime::now_utc();
        let mut library =
            discover::discover_library_with(&self.looked_at(), now, |root, listing| {
                access::status_from_listing(root, listing, &self.env)
            });
        if let Some(store) = &self.seen {
            let volumes = &self.env.volumes;
            let seen = store
                .remember(&library.roots, volumes, now)
                .unwrap_or_else(|_| store.load());
            library.roots = seen.mark_disconnected(std::mem::take(&mut library.roots), volumes);
        }
        library
    }
}

/// The device folders at the top of `root` that are links (a name that is a UDID: what
/// `backtop move ROOT/<UDID>` leaves), each with where it points (absolute, canonical when
/// there). Nothing when `root` cannot be listed.
pub fn moved_devices(root: &Path) -> Vec<(PathBuf, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_symlink()))
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(crate::library::names::looks_like_udid)
        })
        .filter_map(|e| {
            let link = e.path();
            let target = std::fs::read_link(&link).ok()?;
            Some((link, locate::real_path(&root.join(target))))
        })
        .collect();
    out.sort();
    out
}

/// Where `--demo` builds its library: `$TMPDIR` when set, else on Linux the RAM-backed
/// `/dev/shm` when writable (the demo is ~5,600 small or sparse files: creating them costs
/// ~1 ms each on some virtual disks, ~0.04 ms in RAM), else the system's temp folder.
fn demo_parent() -> PathBuf {
    let tmp = std::env::temp_dir();
    if cfg!(target_os = "linux") && std::env::var_os("TMPDIR").is_none() {
        let shm = Path::new("/dev/shm");
        let writable = shm
            .metadata()
            .is_ok_and(|m| m.is_dir() && !m.permissions().readonly());
        if writable {
            return shm.to_path_buf();
        }
    }
    tmp
}

/// Reads everything `args` needs from outside the command line into a [`RootSpec`], with the
/// roots of the config file (read by the caller, see [`crate::config`]).
pub fn spec_for(args: &RootArgs, env: &Env, config_roots: &[PathBuf]) -> anyhow::Result<RootSpec> {
    let mut spec = RootSpec {
        roots: args.roots.clone(),
        homes: args.homes.clone(),
        only: args.only,
        all_users: args.all_users,
        users_dir: args.users_dir.clone(),
        ..RootSpec::default()
    };
    if !args.only {
        spec.config_roots = config_roots.to_vec();
        if let Some(value) = std::env::var_os(sources::ROOTS_VAR) {
            spec.env_roots = sources::parse_env_roots(&value);
        }
    }
    if let Some(folder) = spec.users_folder(env) {
        let asked = args.all_users || args.users_dir.is_some();
        spec.users = users_in(&folder, asked)?;
    }
    Ok(spec)
}

/// The user names in `folder`. An unreadable folder is an error only when the user asked for
/// all users; when implied (running as root) it just gives none.
fn users_in(folder: &Path, asked: bool) -> anyhow::Result<Vec<String>> {
    match sources::list_users(folder) {
        Ok(users) => Ok(users),
        Err(e) if asked => {
            Err(e).with_context(|| format!("listing user homes in {}", folder.display()))
        }
        Err(_) => Ok(Vec::new()),
    }
}
