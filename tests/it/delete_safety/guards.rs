//! Delete safety, the guards on real folders: what is not a discovered version, the newest
//! and in-progress backups, links, `..` through a link, a folder swapped between the check
//! and the delete, and the `rm` command's prompt and exit codes.

use super::fixture;

use std::path::PathBuf;

use backtop::actions::remove::SystemRemover;
use backtop::actions::{check_delete, DeleteMode, DeleteOptions, DeleteStatus, RefusalKind};
use backtop::commands::rm::RmOptions;
use backtop::library::BackupState;
use fixture::*;

#[test]
fn guards_refuse_what_is_not_a_discovered_version() {
    let f = fixture();
    let no = DeleteOptions::default();
    let force = DeleteOptions { force: true, ..no };
    assert_eq!(
        refusal(&f.outside, &f.library, force),
        RefusalKind::OutsideRoots
    );
    assert_eq!(refusal(&f.root, &f.library, force), RefusalKind::Root);
    assert_eq!(
        refusal(&f.root.join(U).join("Info.plist"), &f.library, force),
        RefusalKind::NotAVersion
    );
    assert_eq!(
        refusal(&f.root.join("nope"), &f.library, force),
        RefusalKind::NotFound
    );
    assert_eq!(
        refusal(&f.root.join(U), &f.library, no),
        RefusalKind::NewestComplete
    );
    assert!(check_delete(&f.root.join(U), &f.library, &force).is_ok());
    let ro = DeleteOptions {
        read_only: true,
        force: true,
        confirm_imazing: true,
    };
    assert_eq!(refusal(&f.archive(), &f.library, ro), RefusalKind::ReadOnly);
    // A path spelled with `..` is refused, even when it would lead to a version.
    let dotted = f
        .root
        .join(U)
        .join("..")
        .join(format!("{U}-20240101-000000"));
    assert_eq!(refusal(&dotted, &f.library, no), RefusalKind::DotDot);
}

#[test]
fn an_in_progress_backup_is_refused() {
    let mut f = fixture();
    f.library.devices[0].versions[1].state = BackupState::InProgress;
    let p = f.root.join(format!("{U}-20240301-000000"));
    assert_eq!(
        refusal(&p, &f.library, DeleteOptions::default()),
        RefusalKind::InProgress
    );
}

#[cfg(unix)]
#[test]
fn a_version_that_is_a_symlink_is_refused() {
    let mut f = fixture();
    let link = f.root.join(format!("{U}-20230101-000000"));
    std::os::unix::fs::symlink(&f.outside, &link).unwrap();
    let mut v = f.library.devices[0].versions[2].clone();
    v.path = link.clone();
    v.folder_name = link.file_name().unwrap().to_string_lossy().into();
    f.library.devices[0].versions.push(v);
    let force = DeleteOptions {
        force: true,
        ..Default::default()
    };
    assert_eq!(refusal(&link, &f.library, force), RefusalKind::Symlink);
    assert!(f.outside.join("precious.txt").exists());
}

/// `lnk -> /elsewhere/x` in the root, `/elsewhere/<A>` existing: `lnk/../<A>` is
/// `/elsewhere/<A>` on disk, but `<root>/<A>` by text. It is refused, and nothing moves.
#[cfg(unix)]
#[test]
fn dot_dot_through_a_symlink_is_refused() {
    let f = fixture();
    let name = format!("{U}-20240101-000000");
    let elsewhere = f.outside.join("x");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(f.outside.join(&name)).unwrap();
    std::os::unix::fs::symlink(&elsewhere, f.root.join("lnk")).unwrap();
    let before = listing(&f.root);
    let target = f.root.join("lnk").join("..").join(&name);
    let (code, text) = rm(
        &f,
        std::slice::from_ref(&target),
        RmOptions::default(),
        Some("y\n"),
    );
    assert_eq!(
        (code, text),
        (
            2,
            format!(
                "refused: {}: has a `..` component; give the version folder's path without \
                 `..`\nnothing was deleted\n",
                target.display()
            )
        )
    );
    assert_eq!(listing(&f.root), before);
    assert!(f.outside.join(&name).is_dir());
}

#[test]
fn a_folder_swapped_after_the_check_is_refused() {
    let f = fixture();
    let v = f.archive();
    let item = f.item(&v);
    let moved = f.root.join("moved-away");
    std::fs::rename(&v, &moved).unwrap();
    std::fs::create_dir(&v).unwrap();
    std::fs::write(v.join("other"), b"not the checked backup").unwrap();
    let out = delete(&item, DeleteMode::Permanent, &mut SystemRemover);
    assert_eq!(
        (out.status, out.message.as_str()),
        (
            DeleteStatus::Failed,
            "nothing was deleted: it was replaced by another folder since it was checked"
        )
    );
    assert!(v.join("other").is_file() && moved.join("Info.plist").is_file());
    #[cfg(unix)]
    {
        std::fs::remove_dir_all(&v).unwrap();
        std::os::unix::fs::symlink(&f.outside, &v).unwrap();
        let out = delete(&item, DeleteMode::Trash, &mut SystemRemover);
        assert_eq!(
            out.message,
            "nothing was deleted: it was replaced by a symbolic link since it was checked"
        );
        assert!(f.outside.join("precious.txt").is_file());
    }
}

#[test]
fn rm_asks_refuses_and_reports_exit_codes() {
    let f = fixture();
    let v = f.archive();
    let perm = RmOptions {
        permanent: true,
        ..Default::default()
    };
    let before = listing(&f.root);

    let (code, text) = rm(&f, std::slice::from_ref(&v), perm, None);
    assert_eq!(code, 2);
    assert!(
        text.ends_with("not a terminal: refusing to delete without --yes; nothing was deleted\n"),
        "{text}"
    );

    let (code, text) = rm(&f, std::slice::from_ref(&v), perm, Some("n\n"));
    assert_eq!(code, 3);
    assert!(text.contains(&format!("will delete permanently:\n  {}  (archive, Anna's iPhone, 2024-01-01, complete)\nDelete 1 version? [y/N] cancelled", v.display())), "{text}");

    let (code, text) = rm(&f, &[v.clone(), f.root.join(U)], perm, Some("y\n"));
    assert_eq!(code, 2);
    assert_eq!(text, format!("refused: {}: it is the device's newest complete backup (use --force to delete anyway)\nnothing was deleted\n", f.root.join(U).display()));

    let ro = RmOptions {
        read_only: true,
        yes: true,
        ..perm
    };
    let (code, text) = rm(&f, std::slice::from_ref(&v), ro, None);
    assert_eq!(
        (code, text),
        (
            2,
            format!(
                "refused: {}: backtop is in read-only mode\nnothing was deleted\n",
                v.display()
            )
        )
    );
    assert_eq!(listing(&f.root), before);

    let again: Vec<PathBuf> = vec![v.clone(), f.root.join(".").join(v.file_name().unwrap())];
    let (code, text) = rm(&f, &again, perm, Some("y\n"));
    assert_eq!(code, 0, "{text}");
    assert_eq!(text.matches(": removed ").count(), 1, "{text}");
    assert!(
        text.contains(&format!("{}: removed ", v.display())),
        "{text}"
    );
    assert!(!v.exists());
}

#[test]
fn a_backup_starting_after_the_check_is_refused() {
    let f = fixture();
    let v = f.archive();
    let item = f.item(&v);
    std::fs::create_dir(v.join("Snapshot")).unwrap(); // the backup app starts writing
    let before = listing(&f.root);
    for mode in [DeleteMode::Trash, DeleteMode::Permanent] {
        let out = delete(&item, mode, &mut SystemRemover);
        assert_eq!(
            (out.status, out.message.as_str()),
            (
                DeleteStatus::Failed,
                "nothing was deleted: a backup started writing into it since it was checked"
            )
        );
    }
    assert_eq!(listing(&f.root), before);
}

#[test]
fn rm_json_needs_yes_reports_refusals_and_results_and_prints_only_json() {
    let f = fixture();
    let v = f.archive();
    let newest = f.root.join(U);
    let json = RmOptions {
        json: true,
        permanent: true,
        ..Default::default()
    };
    let before = listing(&f.root);
    let parse = |text: &str| -> serde_json::Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("one JSON document ({e}): {text}"))
    };

    // No prompt in JSON mode: --json without --yes is refused, even at a terminal.
    let (code, text) = rm(&f, std::slice::from_ref(&v), json, Some("y\n"));
    assert_eq!(code, 2);
    assert_eq!(
        parse(&text)["error"],
        serde_json::json!({"message": "--json needs --yes (there is no prompt in JSON mode); nothing was deleted", "exit_code": 2})
    );
    assert_eq!(listing(&f.root), before);

    // One refusal: nothing is deleted, the refusal is listed with its reason id.
    let yes = RmOptions { yes: true, ..json };
    let (code, text) = rm(&f, &[v.clone(), newest.clone()], yes, None);
    assert_eq!(code, 2);
    let doc = parse(&text);
    assert_eq!(doc["refused"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["refused"][0]["path"], newest.to_str().unwrap());
    assert_eq!(doc["refused"][0]["kind"], "newest_complete");
    assert_eq!(doc["results"], serde_json::json!([]));
    assert_eq!(doc["mode"], "permanent");
    assert_eq!(listing(&f.root), before);

    // Done: the version (named twice) is deleted once, and the result says so.
    let (code, text) = rm(&f, &[v.clone(), v.clone()], yes, None);
    assert_eq!(code, 0, "{text}");
    let doc = parse(&text);
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["refused"], serde_json::json!([]));
    assert_eq!(doc["versions"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["versions"][0]["path"], v.to_str().unwrap());
    assert_eq!(doc["versions"][0]["kind"], "archive");
    assert_eq!(doc["versions"][0]["date"], "2024-01-01T00:00:00Z");
    assert_eq!(doc["results"][0]["status"], "removed");
    assert_eq!(doc["results"][0]["path"], v.to_str().unwrap());
    assert!(!v.exists());
}
