//! Where each backup app keeps its backups inside one user's home, per OS, as one table.
//! [`default_roots`] applies it to the current user; [`home_roots`] to any folder taken as a home.

use std::path::{Path, PathBuf};

use super::env::{Env, Os};
use crate::library::{Root, RootOrigin};

/// App name shown for the macOS Apple root (and any other `MobileSync/Backup`).
pub const FINDER: &str = "Finder/iTunes";
/// App name shown for iMazing's roots.
pub const IMAZING: &str = "iMazing";
/// App name shown for roots the user named (`--root`, config, `BACKTOP_ROOTS`).
pub const ANY_APP: &str = "any";
/// The folder iMazing keeps at the top of an external drive.
pub const VOLUME_FOLDER: &str = "iMazing.Backups";

/// Which folder of a home a layout starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    /// The home (`~` on macOS, `%USERPROFILE%` on Windows).
    Home,
    /// `%APPDATA%` (`AppData\Roaming` in the profile).
    AppData,
    /// `%LOCALAPPDATA%` (`AppData\Local` in the profile).
    LocalAppData,
}

/// One app's backup folder inside a home.
struct Layout {
    os: Os,
    base: Base,
    rel: &'static [&'static str],
    app: &'static str,
}

/// Every known layout, in the order roots are listed.
const LAYOUTS: &[Layout] = &[
    Layout {
        os: Os::MacOs,
        base: Base::Home,
        rel: &["Library", "Application Support", "MobileSync", "Backup"],
        app: FINDER,
    },
    Layout {
        os: Os::MacOs,
        base: Base::Home,
        rel: &["Library", "Application Support", "iMazing", "Backups"],
        app: IMAZING,
    },
    Layout {
        os: Os::Windows,
        base: Base::AppData,
        rel: &["Apple Computer", "MobileSync", "Backup"],
        app: "iTunes",
    },
    Layout {
        os: Os::Windows,
        base: Base::Home,
        rel: &["Apple", "MobileSync", "Backup"],
        app: "Apple Devices/iTunes (Store)",
    },
    Layout {
        os: Os::Windows,
        base: Base::AppData,
        rel: &["iMazing", "Backups"],
        app: IMAZING,
    },
    Layout {
        os: Os::Windows,
        base: Base::LocalAppData,
        rel: &["iMazing", "Backups"],
        app: IMAZING,
    },
];

/// The base folders of one home: home, AppData (Roaming), LocalAppData.
struct Bases {
    home: Option<PathBuf>,
    appdata: Option<PathBuf>,
    localappdata: Option<PathBuf>,
}

impl Bases {
    /// A folder taken as a home, with the standard Windows profile subfolders.
    fn of_home(home: &Path) -> Bases {
        let appdata = home.join("AppData");
        Bases {
            home: Some(home.to_path_buf()),
            localappdata: Some(appdata.join("Local")),
            appdata: Some(appdata.join("Roaming")),
        }
    }

    /// The current user's folders; on Windows from the profile variables.
    fn of_env(env: &Env) -> Bases {
        if env.os != Os::Windows {
            return Bases {
                home: env.home.clone(),
                appdata: None,
                localappdata: None,
            };
        }
        let home = env.userprofile.clone().or(env.home.clone());
        let std = home.as_deref().map(Bases::of_home);
        let (std_roaming, std_local) = std.map_or((None, None), |b| (b.appdata, b.localappdata));
        Bases {
            appdata: env.appdata.clone().or(std_roaming),
            localappdata: env.localappdata.clone().or(std_local),
            home,
        }
    }

    fn get(&self, base: Base) -> Option<&Path> {
        match base {
            Base::Home => self.home.as_deref(),
            Base::AppData => self.appdata.as_deref(),
            Base::LocalAppData => self.localappdata.as_deref(),
        }
    }
}

/// Applies the layouts of the OSes in `oses` to `bases`.
fn apply(bases: &Bases, oses: &[Os], origin: &RootOrigin, owner: Option<&str>) -> Vec<Root> {
    LAYOUTS
        .iter()
        .filter(|l| oses.contains(&l.os))
        .filter_map(|l| {
            let path = l
                .rel
                .iter()
                .fold(bases.get(l.base)?.to_path_buf(), |p, c| p.join(c));
            Some(Root {
                path,
                origin: origin.clone(),
                owner: owner.map(str::to_owned),
                app: l.app,
            })
        })
        .collect()
}

/// The current user's default app roots for `env.os` (none on Linux), owned by `env.user`.
/// Volumes are separate: see [`volume_roots`].
pub fn default_roots(env: &Env) -> Vec<Root> {
    let bases = Bases::of_env(env);
    apply(&bases, &[env.os], &RootOrigin::Default, env.user.as_deref())
}

/// Every layout of the OSes in `oses` under `home`, with `origin` and `owner`.
pub fn home_roots(home: &Path, oses: &[Os], origin: RootOrigin, owner: Option<&str>) -> Vec<Root> {
    apply(&Bases::of_home(home), oses, &origin, owner)
}

/// `<volume>/iMazing.Backups` for every volume of `env`.
pub fn volume_roots(env: &Env) -> Vec<Root> {
    env.volumes
        .iter()
        .map(|v| Root {
            path: v.join(VOLUME_FOLDER),
            origin: RootOrigin::Volume,
            owner: None,
            app: IMAZING,
        })
        .collect()
}

/// The app whose layout `path` ends with (`.../Apple/MobileSync/Backup` → "Apple
/// Devices/iTunes (Store)", `.../iMazing.Backups` → "iMazing"); any other `MobileSync/Backup`
/// is "Finder/iTunes"; else [`ANY_APP`].
pub fn app_for(path: &Path) -> &'static str {
    if path.ends_with(VOLUME_FOLDER) {
        return IMAZING;
    }
    let layout = LAYOUTS
        .iter()
        .find(|l| path.ends_with(l.rel.iter().collect::<PathBuf>()));
    match layout {
        Some(l) => l.app,
        None if path.ends_with(Path::new("MobileSync").join("Backup")) => FINDER,
        None => ANY_APP,
    }
}

/// A root the user named, with the app its path suggests ([`app_for`]).
pub fn named_root(path: &Path, origin: RootOrigin) -> Root {
    Root {
        path: path.to_path_buf(),
        origin,
        owner: None,
        app: app_for(path),
    }
}
