//! Where backups are looked for: per-OS defaults from a fake environment, `--home`, users
//! folders and `--only` here; link following and root checks in `locate/disk.rs`; config
//! file, `BACKTOP_ROOTS` and names in `locate/sources.rs`.

mod disk;
#[path = "locate/sources.rs"]
mod source_cases;

use std::path::PathBuf;

use backtop::library::locate::{candidates, default_roots, sources, Env, Os, RootSpec};
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
        "Guest",
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
fn all_users_on_linux_looks_for_mac_and_windows_layouts() {
    let env = Env {
        users_dir: Some(p("/", &["home"])),
        ..Env::empty(Os::Linux)
    };
    let spec = RootSpec {
        all_users: true,
        only: true,
        users: vec!["ann".into()],
        ..RootSpec::default()
    };
    let roots = candidates(&spec, &env);
    assert_eq!(roots.len(), 6, "3 macOS and 3 Windows layouts");
    assert_eq!(roots[0].path, p("/home/ann", MAC_FINDER));
    assert_eq!(
        roots[5].path,
        p("/home/ann", &["AppData", "Local", "iMazing", "Backups"])
    );
    assert!(roots.iter().all(|r| r.origin == RootOrigin::User));
}
