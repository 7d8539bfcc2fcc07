//! What `rm` and `prune` say a delete frees comes from sizing only the versions being deleted;
//! it must equal the figure from sizing the whole library (hard links are counted by their
//! `st_nlink`, which does not depend on what else was sized).

use backtop::commands::du::{freed_by_deleting, scan_library};
use backtop::demo::{build_demo, DemoOptions};
use backtop::library::locate::named_root;
use backtop::library::{discover, RootOrigin, VersionKind};
use time::macros::datetime;

#[test]
fn sizing_only_the_set_frees_what_sizing_everything_says() {
    let now = datetime!(2026-11-20 10:00 UTC);
    let dir = tempfile::tempdir().unwrap();
    let options = DemoOptions {
        seed: 3,
        scale: 0.01,
        sparse: true,
        now: Some(now),
    };
    let demo = build_demo(dir.path(), &options).unwrap();
    let roots: Vec<_> = demo
        .roots
        .iter()
        .map(|p| named_root(p, RootOrigin::Demo))
        .collect();
    let library = discover::discover_library(&roots, now);
    let whole = scan_library(&library, None, false);
    let snapshots: Vec<_> = library
        .versions()
        .filter(|v| v.kind == VersionKind::ImazingSnapshot)
        .map(|v| v.path.clone())
        .collect();
    let archives: Vec<_> = library
        .versions()
        .filter(|v| v.kind == VersionKind::Archive)
        .map(|v| v.path.clone())
        .collect();
    assert_eq!(snapshots.len(), 2, "the demo has two hard-linked snapshots");
    for set in [&snapshots[..1], &snapshots[..], &archives[..]] {
        let expected = whole.freed_by_deleting(set).expect("sized");
        assert_eq!(
            freed_by_deleting(&library, set, None, false),
            Some(expected)
        );
    }
    assert_eq!(
        freed_by_deleting(&library, &[dir.path().join("nowhere")], None, false),
        None,
        "a path that is no version has no figure"
    );
}
