//! The tree on hand-made entries: placement, made-up folders, totals, sorting, search.

use super::*;
use crate::library::manifest::entry::Kind;
use crate::library::manifest::Meta;

fn entry(domain: &str, path: &str, kind: Kind, size: u64, mtime: i64) -> Entry {
    let id = crate::demo::file_id(domain, path);
    Entry {
        file_id: id,
        domain: domain.into(),
        path: path.into(),
        kind,
        meta: Some(Meta {
            size,
            mode: 0o100644,
            mtime: Some(mtime),
            ..Meta::default()
        }),
        meta_error: None,
    }
}

fn file(domain: &str, path: &str, size: u64, mtime: i64) -> Entry {
    entry(domain, path, Kind::File, size, mtime)
}

fn sample() -> Vec<Entry> {
    vec![
        file("HomeDomain", "Library/SMS/sms.db", 300, 50),
        entry("HomeDomain", "Library", Kind::Dir, 0, 10),
        file("HomeDomain", "Library/Notes/notes.sqlite", 100, 70),
        file("HomeDomain", "Library/sms/Drafts.plist", 5, 20),
        file(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            2000,
            60,
        ),
        file(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/img_0002.heic",
            1000,
            80,
        ),
        entry("MediaDomain", "", Kind::Dir, 0, 5),
        entry(
            "MediaDomain",
            "Media/link",
            Kind::Symlink { target: None },
            0,
            5,
        ),
    ]
}

fn names(tree: &Tree, ids: &[NodeId]) -> Vec<String> {
    ids.iter()
        .map(|&i| tree.node(i).full_path().to_string())
        .collect()
}

#[test]
fn entries_are_placed_under_listed_and_made_up_folders() {
    let tree = Tree::from_entries(&sample(), None);
    let top = tree.children(ROOT, Sort::Name);
    assert_eq!(
        names(&tree, &top),
        ["CameraRollDomain", "HomeDomain", "MediaDomain"]
    );
    let library = tree.find("HomeDomain", "Library").unwrap();
    let lib = tree.node(library);
    assert!(lib.listed());
    assert_eq!(
        (lib.kind(), lib.mtime(), lib.path()),
        (NodeKind::Dir, Some(10), "Library")
    );
    assert_eq!(
        names(&tree, &tree.children(library, Sort::Name)),
        [
            "HomeDomain/Library/Notes",
            "HomeDomain/Library/SMS",
            "HomeDomain/Library/sms"
        ]
    );
    let dcim = tree.find_prefix("CameraRollDomain/Media/DCIM").unwrap();
    assert!(!tree.node(dcim).listed());
    assert_eq!(
        tree.node(dcim).parent(),
        tree.find("CameraRollDomain", "Media")
    );
    let media = tree.find("MediaDomain", "").unwrap();
    assert_eq!(
        (tree.node(media).kind(), tree.node(media).mtime()),
        (NodeKind::Domain, Some(5))
    );
    assert_eq!(tree.find("HomeDomain", "Library/Nope"), None);
    assert_eq!(tree.find("NoDomain", ""), None);
    // Root, 3 domains, 8 entries (one is MediaDomain itself), 7 made-up folders.
    assert_eq!(tree.len(), 1 + 3 + 7 + 7);
}

#[test]
fn totals_add_up_below_each_node() {
    let present: AHashSet<[u8; 20]> = sample()
        .iter()
        .filter(|e| e.path != "Library/SMS/sms.db")
        .filter_map(Entry::id)
        .collect();
    let tree = Tree::from_entries(&sample(), Some(&present));
    let root = tree.node(ROOT);
    assert_eq!(
        (root.bytes(), root.files(), root.missing(), root.newest()),
        (3405, 5, 1, Some(80))
    );
    let home = tree.node(tree.find("HomeDomain", "").unwrap());
    assert_eq!(
        (home.bytes(), home.files(), home.missing(), home.newest()),
        (405, 3, 1, Some(70))
    );
    let sms = tree.node(tree.find("HomeDomain", "Library/SMS/sms.db").unwrap());
    assert_eq!(sms.presence(), Presence::Missing);
    assert_eq!(sms.file_id(), sms_id());
    let notes = tree.node(
        tree.find("HomeDomain", "Library/Notes/notes.sqlite")
            .unwrap(),
    );
    assert_eq!(
        (notes.presence(), notes.size(), notes.mode()),
        (Presence::Present, 100, 0o100644)
    );
    // An empty folder's newest is its own mtime.
    let media = tree.node(tree.find("MediaDomain", "").unwrap());
    assert_eq!(
        (media.bytes(), media.files(), media.newest()),
        (0, 0, Some(5))
    );
}

fn sms_id() -> Option<[u8; 20]> {
    crate::library::manifest::parse_file_id(
        crate::demo::file_id("HomeDomain", "Library/SMS/sms.db").as_bytes(),
    )
}

#[test]
fn children_sort_by_size_name_and_date() {
    let tree = Tree::from_entries(&sample(), None);
    let by = |sort| names(&tree, &tree.children(ROOT, sort));
    assert_eq!(
        by(Sort::Size),
        ["CameraRollDomain", "HomeDomain", "MediaDomain"]
    );
    assert_eq!(
        by(Sort::Date),
        ["CameraRollDomain", "HomeDomain", "MediaDomain"]
    );
    let shots = tree
        .find("CameraRollDomain", "Media/DCIM/100APPLE")
        .unwrap();
    let by = |sort| names(&tree, &tree.children(shots, sort));
    let (big, small) = (
        "CameraRollDomain/Media/DCIM/100APPLE/IMG_0001.HEIC",
        "CameraRollDomain/Media/DCIM/100APPLE/img_0002.heic",
    );
    assert_eq!(by(Sort::Size), [big, small]);
    assert_eq!(by(Sort::Name), [big, small]);
    assert_eq!(by(Sort::Date), [small, big]);
}

#[test]
fn search_ignores_ascii_case_and_the_domain_prefix() {
    let tree = Tree::from_entries(&sample(), None);
    let found = tree.search("SMS", 10);
    assert_eq!(
        names(&tree, &found.ids),
        [
            "HomeDomain/Library/SMS",
            "HomeDomain/Library/SMS/sms.db",
            "HomeDomain/Library/sms",
            "HomeDomain/Library/sms/Drafts.plist",
        ]
    );
    assert_eq!(found.total, 4);
    let limited = tree.search("sms", 1);
    assert_eq!((limited.ids.len(), limited.total), (1, 4));
    // "media" finds MediaDomain and what has Media in its path, not every file of a domain
    // whose name holds it (CameraRollDomain's only by their paths).
    let media = tree.search("media", 10);
    assert_eq!(media.total, 8);
    assert_eq!(
        names(&tree, &media.ids[4..]),
        [
            "CameraRollDomain/Media/DCIM/100APPLE/img_0002.heic",
            "MediaDomain",
            "MediaDomain/Media",
            "MediaDomain/Media/link"
        ]
    );
    let entries = [
        file("MediaDomain", "a.txt", 1, 1),
        file("HomeDomain", "Media.txt", 1, 1),
    ];
    let small = Tree::from_entries(&entries, None);
    assert_eq!(
        names(&small, &small.search("media", 10).ids),
        ["HomeDomain/Media.txt", "MediaDomain"]
    );
    assert_eq!(
        names(&tree, &tree.search("dcim/100apple/img", 10).ids).len(),
        2
    );
    assert_eq!(tree.search("", 10), search::Found::default());
    assert_eq!(tree.search("nothing like it", 10).total, 0);
}

#[test]
fn odd_paths_are_placed_without_empty_components() {
    let entries = vec![
        file("HomeDomain", "/abs/file", 1, 1),
        file("HomeDomain", "a//b/", 2, 2),
        file("", "nodomain.txt", 3, 3),
    ];
    let tree = Tree::from_entries(&entries, None);
    let abs = tree.node(tree.find("HomeDomain", "abs/file").unwrap());
    assert!(abs.absolute());
    assert!(!tree
        .node(tree.find("HomeDomain", "a/b").unwrap())
        .absolute());
    let b = tree.node(tree.find("HomeDomain", "a/b").unwrap());
    assert_eq!((b.name(), b.path(), b.size()), ("b", "a/b", 2));
    let odd = tree.node(tree.find("", "nodomain.txt").unwrap());
    assert_eq!((odd.domain(), odd.path()), ("", "nodomain.txt"));
    assert_eq!(tree.walk(ROOT).count(), tree.len());
}
