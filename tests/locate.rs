//! Where backups are looked for: per-OS defaults from a fake environment, `--home`, users
//! folders, link following, config file, `BACKTOP_ROOTS`, `--only`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use backtop::library::locate::{
    self, app_for, candidates, dedupe_with, default_roots, sources, strip_verbatim, Env, Os,
    RootSpec,
};
use backtop::library::{Root, RootOrigin};

/// Joins components onto a start, the same way on every OS (so Windows layouts compare
/// component by component on Linux).
fn p(start: &str, parts: &[&str]) -> PathBuf {
    parts
        .iter()
        .fold(PathBuf::from(start), |acc, c| acc.join(c))
}

fn mac_env() -> Env {
    Env {
        home: Some(p("/", &["Users", "ann"])),
        user: Some("ann".into()),
        users_dir: Some(p("/", &["Users"])),
        ..Env::empty(Os::MacOs)
    }
}

fn win_env() -> Env {
    let profile = p("C:", &["Users", "bob"]);
    Env {
        userprofile: Some(profile.clone()),
        appdata: Some(profile.join("AppData").join("Roaming")),
        localappdata: Some(profile.join("AppData").join("Local")),
        home: Some(profile),
        user: Some("bob".into()),
        users_dir: Some(p("C:", &["Users"])),
        ..Env::empty(Os::Windows)
    }
}

/// (path, origin, owner, app) of each root, for exact comparisons.
fn rows(roots: &[Root]) -> Vec<(PathBuf, RootOrigin, Option<String>, &'static str)> {
    roots
        .iter()
        .map(|r| (r.path.clone(), r.origin.clone(), r.owner.clone(), r.app))
        .collect()
}

fn row(
    path: PathBuf,
    origin: RootOrigin,
    owner: Option<&str>,
    app: &'static str,
) -> (PathBuf, RootOrigin, Option<String>, &'static str) {
    (path, origin, owner.map(str::to_owned), app)
}

const MAC_FINDER: &[&str] = &["Library", "Application Support", "MobileSync", "Backup"];
const MAC_IMAZING: &[&str] = &["Library", "Application Support", "iMazing", "Backups"];

#[test]
fn macos_defaults_are_finder_and_imazing_under_the_home() {
    let home = "/Users/ann";
    assert_eq!(
        rows(&default_roots(&mac_env())),
        vec![
            row(
                p(home, MAC_FINDER),
                RootOrigin::Default,
                Some("ann"),
                "Finder/iTunes"
            ),
            row(
                p(home, MAC_IMAZING),
                RootOrigin::Default,
                Some("ann"),
                "iMazing"
            ),
        ]
    );
}

#[test]
fn windows_defaults_cover_both_apple_roots_and_both_imazing_roots() {
    let roaming = p("C:", &["Users", "bob", "AppData", "Roaming"]);
    let local = p("C:", &["Users", "bob", "AppData", "Local"]);
    let profile = p("C:", &["Users", "bob"]);
    let d = RootOrigin::Default;
    let bob = Some("bob");
    assert_eq!(
        rows(&default_roots(&win_env())),
        vec![
            row(
                roaming
                    .join("Apple Computer")
                    .join("MobileSync")
                    .join("Backup"),
                d.clone(),
                bob,
                "iTunes"
            ),
            row(
                profile.join("Apple").join("MobileSync").join("Backup"),
                d.clone(),
                bob,
                "Apple Devices/iTunes (Store)"
            ),
            row(
                roaming.join("iMazing").join("Backups"),
                d.clone(),
                bob,
                "iMazing"
            ),
            row(local.join("iMazing").join("Backups"), d, bob, "iMazing"),
        ]
    );
}

#[test]
fn windows_appdata_falls_back_to_the_profile_folders() {
    let env = Env {
        appdata: None,
        localappdata: None,
        ..win_env()
    };
    let paths: Vec<PathBuf> = default_roots(&env).into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths[0],
        p(
            "C:",
            &[
                "Users",
                "bob",
                "AppData",
                "Roaming",
                "Apple Computer",
                "MobileSync",
                "Backup"
            ]
        )
    );
    assert_eq!(
        paths[3],
        p(
            "C:",
            &["Users", "bob", "AppData", "Local", "iMazing", "Backups"]
        )
    );
}

#[test]
fn linux_has_no_default_app_root_but_volumes() {
    let env = Env {
        home: Some(p("/", &["home", "cy"])),
        volumes: vec![p("/", &["media", "cy", "T7"]), p("/", &["mnt", "nas"])],
        ..Env::empty(Os::Linux)
    };
    assert!(default_roots(&env).is_empty());
    assert_eq!(
        rows(&candidates(&RootSpec::default(), &env)),
        vec![
            row(
                p("/", &["media", "cy", "T7", "iMazing.Backups"]),
                RootOrigin::Volume,
                None,
                "iMazing"
            ),
            row(
                p("/", &["mnt", "nas", "iMazing.Backups"]),
                RootOrigin::Volume,
                None,
                "iMazing"
            ),
        ]
    );
}

#[test]
fn home_flag_adds_every_macos_and_windows_layout() {
    let spec = RootSpec {
        homes: vec![p("/", &["Volumes", "Old", "Users", "dee"])],
        only: true,
        ..RootSpec::default()
    };
    let h = "/Volumes/Old/Users/dee";
    let (o, dee) = (RootOrigin::Home, Some("dee"));
    assert_eq!(
        rows(&candidates(&spec, &mac_env())),
        vec![
            row(p(h, MAC_FINDER), o.clone(), dee, "Finder/iTunes"),
            row(p(h, MAC_IMAZING), o.clone(), dee, "iMazing"),
            row(
                p(
                    h,
                    &[
                        "AppData",
                        "Roaming",
                        "Apple Computer",
                        "MobileSync",
                        "Backup"
                    ]
                ),
                o.clone(),
                dee,
                "iTunes"
            ),
            row(
                p(h, &["Apple", "MobileSync", "Backup"]),
                o.clone(),
                dee,
                "Apple Devices/iTunes (Store)"
            ),
            row(
                p(h, &["AppData", "Roaming", "iMazing", "Backups"]),
                o.clone(),
                dee,
                "iMazing"
            ),
            row(
                p(h, &["AppData", "Local", "iMazing", "Backups"]),
                o,
                dee,
                "iMazing"
            ),
        ]
    );
}

#[test]
fn explicit_roots_come_first_then_env_config_defaults_volumes() {
    let env = Env {
        volumes: vec![p("/", &["Volumes", "T7"])],
        ..mac_env()
    };
    let spec = RootSpec {
        roots: vec![p("/", &["data", "ios"])],
        env_roots: vec![p("/", &["srv", "a"])],
        config_roots: vec![p("/", &["srv", "MobileSync", "Backup"])],
        ..RootSpec::default()
    };
    assert_eq!(
        rows(&candidates(&spec, &env)),
        vec![
            row(p("/", &["data", "ios"]), RootOrigin::Flag, None, "any"),
            row(p("/", &["srv", "a"]), RootOrigin::Env, None, "any"),
            row(
                p("/", &["srv", "MobileSync", "Backup"]),
                RootOrigin::Config,
                None,
                "Finder/iTunes"
            ),
            row(
                p("/Users/ann", MAC_FINDER),
                RootOrigin::Default,
                Some("ann"),
                "Finder/iTunes"
            ),
            row(
                p("/Users/ann", MAC_IMAZING),
                RootOrigin::Default,
                Some("ann"),
                "iMazing"
            ),
            row(
                p("/", &["Volumes", "T7", "iMazing.Backups"]),
                RootOrigin::Volume,
                None,
                "iMazing"
            ),
        ]
    );
}

#[test]
fn only_keeps_just_root_and_home_flags() {
    let env = Env {
        volumes: vec![p("/", &["Volumes", "T7"])],
        is_root: true,
        ..mac_env()
    };
    let spec = RootSpec {
        roots: vec![p("/", &["data", "ios"])],
        only: true,
        users: vec!["zed".into()],
        env_roots: vec![p("/", &["srv", "a"])],
        config_roots: vec![p("/", &["srv", "b"])],
        ..RootSpec::default()
    };
    assert_eq!(spec.users_folder(&env), None);
    assert_eq!(
        rows(&candidates(&spec, &env)),
        vec![row(p("/", &["data", "ios"]), RootOrigin::Flag, None, "any")]
    );
}

#[test]
fn running_as_root_implies_all_users_with_this_os_layouts() {
    let env = Env {
        is_root: true,
        user: Some("root".into()),
        home: Some(p("/", &["var", "root"])),
        ..mac_env()
    };
    let mut spec = RootSpec::default();
    assert_eq!(spec.users_folder(&env), Some(p("/", &["Users"])));
    spec.users = vec!["ann".into()];
    let roots = candidates(&spec, &env);
    let users: Vec<_> = roots
        .iter()
        .filter(|r| r.origin == RootOrigin::User)
        .map(|r| (r.path.clone(), r.owner.clone()))
        .collect();
    assert_eq!(
        users,
        vec![
            (p("/Users/ann", MAC_FINDER), Some("ann".to_owned())),
            (p("/Users/ann", MAC_IMAZING), Some("ann".to_owned())),
        ]
    );
}

#[test]
fn users_dir_lists_real_users_and_uses_both_layouts() {
    let tmp = tempfile::tempdir().unwrap();
    let users = tmp.path().join("Users");
    for name in [
        "ann",
        "bob",
        "Shared",
        "Public",
        "Default",
        "All Users",
        ".localized",
    ] {
        std::fs::create_dir_all(users.join(name)).unwrap();
    }
    std::fs::write(users.join("notes.txt"), "not a home").unwrap();
    let names = sources::list_users(&users).unwrap();
    assert_eq!(names, vec!["ann".to_owned(), "bob".to_owned()]);

    let spec = RootSpec {
        users_dir: Some(users.clone()),
        users: names,
        only: true,
        ..RootSpec::default()
    };
    let env = Env::empty(Os::Linux);
    assert_eq!(spec.users_folder(&env), Some(users.clone()));
    let roots = candidates(&spec, &env);
    assert_eq!(roots.len(), 12, "6 layouts for each of 2 users");
    assert_eq!(
        roots[0].path,
        users
            .join("ann")
            .join(MAC_FINDER.iter().collect::<PathBuf>())
    );
    assert_eq!(roots[0].owner.as_deref(), Some("ann"));
    assert_eq!(
        roots[6].path,
        users
            .join("bob")
            .join(MAC_FINDER.iter().collect::<PathBuf>())
    );
    assert_eq!(
        roots[11].path,
        users
            .join("bob")
            .join(p("AppData", &["Local", "iMazing", "Backups"]))
    );
    assert!(roots.iter().all(|r| r.origin == RootOrigin::User));
}

#[test]
fn the_same_folder_through_a_symlink_is_listed_once_with_its_first_origin() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let link = tmp.path().join("link");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&real, &link).unwrap();
    #[cfg(windows)]
    std::os::windows::fs::symlink_dir(&real, &link).unwrap();
    let missing = tmp.path().join("missing");
    let spec = RootSpec {
        roots: vec![link.clone(), missing.clone(), missing.clone()],
        config_roots: vec![real.clone(), link.join("child"), real.join("child")],
        only: false,
        ..RootSpec::default()
    };
    let roots = locate::resolve(&spec, &Env::empty(Os::Linux));
    let canon = std::fs::canonicalize(&real).unwrap();
    let canon_tmp = std::fs::canonicalize(tmp.path()).unwrap();
    assert_eq!(
        rows(&roots),
        vec![
            row(canon.clone(), RootOrigin::Flag, None, "any"),
            row(canon_tmp.join("missing"), RootOrigin::Flag, None, "any"),
            row(canon.join("child"), RootOrigin::Config, None, "any"),
        ]
    );
}

#[test]
fn dedupe_keeps_the_first_of_equal_places() {
    let a = locate::named_root(Path::new("/a"), RootOrigin::Flag);
    let b = locate::named_root(Path::new("/b"), RootOrigin::Config);
    let a2 = locate::named_root(Path::new("/a"), RootOrigin::Env);
    // Pretend /b is a link to /a.
    let out = dedupe_with(vec![b, a, a2], |p| {
        if p == Path::new("/b") {
            PathBuf::from("/a")
        } else {
            p.to_path_buf()
        }
    });
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].path, PathBuf::from("/a"));
    assert_eq!(out[0].origin, RootOrigin::Config);
}

#[test]
fn relative_roots_become_absolute() {
    let got = locate::real_path(Path::new("no-such-folder-here"));
    assert!(got.is_absolute());
    assert!(got.ends_with("no-such-folder-here"));
}

#[test]
fn windows_verbatim_prefixes_are_stripped() {
    assert_eq!(
        strip_verbatim(Path::new(r"\\?\C:\Users\bob")),
        Some(PathBuf::from(r"C:\Users\bob"))
    );
    assert_eq!(
        strip_verbatim(Path::new(r"\\?\UNC\nas\share")),
        Some(PathBuf::from(r"\\nas\share"))
    );
    assert_eq!(strip_verbatim(Path::new(r"\\?\Volume{x}\a")), None);
    assert_eq!(strip_verbatim(Path::new("/Users/ann")), None);
}

#[test]
fn app_is_told_by_the_layout_a_path_ends_with() {
    assert_eq!(app_for(&p("/x", MAC_FINDER)), "Finder/iTunes");
    assert_eq!(
        app_for(&p("/x", &["AppData", "Local", "iMazing", "Backups"])),
        "iMazing"
    );
    assert_eq!(app_for(&p("/Volumes/T7", &["iMazing.Backups"])), "iMazing");
    assert_eq!(
        app_for(&p("/x", &["Apple", "MobileSync", "Backup"])),
        "Apple Devices/iTunes (Store)"
    );
    assert_eq!(
        app_for(&p("/srv", &["MobileSync", "Backup"])),
        "Finder/iTunes"
    );
    assert_eq!(app_for(Path::new("/data/ios")), "any");
}

#[test]
fn config_file_good_missing_and_broken() {
    let tmp = tempfile::tempdir().unwrap();
    let home = Path::new("/home/cy");
    let good = tmp.path().join("good.toml");
    std::fs::write(
        &good,
        "# my roots\nroots = [\"/srv/backups\", \"~/ios\"]\ntheme = \"dark\"\n",
    )
    .unwrap();
    assert_eq!(
        sources::read_config_roots(&good, Some(home)).unwrap(),
        vec![PathBuf::from("/srv/backups"), PathBuf::from("/home/cy/ios")]
    );

    let missing = tmp.path().join("missing.toml");
    assert_eq!(
        sources::read_config_roots(&missing, Some(home)).unwrap(),
        Vec::<PathBuf>::new()
    );

    let empty = tmp.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    assert!(sources::read_config_roots(&empty, None).unwrap().is_empty());

    let broken = tmp.path().join("broken.toml");
    std::fs::write(&broken, "roots = [\"/srv\"\n").unwrap();
    let err = sources::read_config_roots(&broken, Some(home)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{}: ", broken.display())),
        "{text}"
    );
    assert!(text.contains("line 1"), "{text}");

    let wrong_type = tmp.path().join("wrong.toml");
    std::fs::write(&wrong_type, "roots = \"/srv\"\n").unwrap();
    assert!(sources::read_config_roots(&wrong_type, None).is_err());
}

#[test]
fn backtop_roots_splits_like_path_and_skips_empty_entries() {
    let value = std::env::join_paths(["/srv/a", "/srv/b c"]).unwrap();
    assert_eq!(
        sources::parse_env_roots(&value),
        vec![PathBuf::from("/srv/a"), PathBuf::from("/srv/b c")]
    );
    let sep = if cfg!(windows) { ";" } else { ":" };
    let with_empty = OsString::from(format!("/srv/a{sep}{sep}/srv/b{sep}"));
    assert_eq!(
        sources::parse_env_roots(&with_empty),
        vec![PathBuf::from("/srv/a"), PathBuf::from("/srv/b")]
    );
    assert!(sources::parse_env_roots(&OsString::new()).is_empty());
}

#[test]
fn user_names_skip_system_folders_and_dotfiles() {
    for name in ["ann", "Bob Smith", "admin"] {
        assert!(sources::is_user_name(name), "{name}");
    }
    for name in [
        "Shared",
        "Public",
        "Default",
        "Default User",
        "All Users",
        ".localized",
        ".DS_Store",
        "",
    ] {
        assert!(!sources::is_user_name(name), "{name}");
    }
}

#[test]
fn check_root_tells_missing_not_a_folder_and_counts_backups() {
    use backtop::library::access::check_root;
    use backtop::library::RootStatus;
    let tmp = tempfile::tempdir().unwrap();
    let env = Env::empty(Os::Linux);
    let root = |path: &Path| locate::named_root(path, RootOrigin::Flag);

    assert_eq!(
        check_root(&root(&tmp.path().join("none")), &env),
        RootStatus::Missing
    );
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(check_root(&root(&file), &env), RootStatus::NotAFolder);

    let dir = tmp.path().join("Backup");
    for (name, marker) in [
        ("00008110-000A1B2C3D4E5F60", Some("Info.plist")),
        (
            "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
            Some("Manifest.db"),
        ),
        ("old-copy", Some("Manifest.mbdb")),
        ("_unback_", None),
    ] {
        std::fs::create_dir_all(dir.join(name)).unwrap();
        if let Some(marker) = marker {
            std::fs::write(dir.join(name).join(marker), "").unwrap();
        }
    }
    std::fs::write(dir.join(".DS_Store"), "").unwrap();
    assert_eq!(check_root(&root(&dir), &env), RootStatus::Ok { backups: 3 });
}

#[test]
fn run_roots_with_only_uses_just_the_given_roots_and_reports_them() {
    use backtop::cli::RootArgs;
    use backtop::commands::context::RunRoots;
    use backtop::library::RootStatus;
    let tmp = tempfile::tempdir().unwrap();
    let run = RunRoots::resolve(&RootArgs {
        roots: vec![tmp.path().to_path_buf(), tmp.path().join("gone")],
        only: true,
        ..RootArgs::default()
    })
    .unwrap();
    assert!(run.seen.is_none());
    let canon = std::fs::canonicalize(tmp.path()).unwrap();
    assert_eq!(run.paths(), vec![canon.clone(), canon.join("gone")]);
    let statuses: Vec<RootStatus> = run.report().into_iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        vec![RootStatus::Ok { backups: 0 }, RootStatus::Missing]
    );
}
