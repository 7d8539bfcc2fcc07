//! Roots named outside the command line, and how paths are told apart.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use backtop::config;
use backtop::library::locate::{app_for, sources, strip_verbatim};

use super::{p, MAC_FINDER};

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
        config::load(std::slice::from_ref(&good), Some(home))
            .unwrap()
            .config
            .roots,
        vec![PathBuf::from("/srv/backups"), PathBuf::from("/home/cy/ios")]
    );

    let missing = tmp.path().join("missing.toml");
    assert_eq!(
        config::load(&[missing], Some(home)).unwrap().config.roots,
        Vec::<PathBuf>::new()
    );

    let empty = tmp.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    assert!(config::load(&[empty], None)
        .unwrap()
        .config
        .roots
        .is_empty());

    let broken = tmp.path().join("broken.toml");
    std::fs::write(&broken, "roots = [\"/srv\"\n").unwrap();
    let err = config::load(std::slice::from_ref(&broken), Some(home)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{}: ", broken.display())),
        "{text}"
    );
    assert!(text.contains("line 1"), "{text}");

    let wrong_type = tmp.path().join("wrong.toml");
    std::fs::write(&wrong_type, "roots = \"/srv\"\n").unwrap();
    assert!(config::load(&[wrong_type], None).is_err());
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
