//! The grouping on hand-made entries: which group each domain and folder lands in, apps merged
//! by bundle under their display names, remainders without their claimed folders, totals that
//! add up, sorting, and the way to a search result.

use super::*;
use crate::library::manifest::{Entry, Kind, Meta};

fn file(domain: &str, path: &str, size: u64, mtime: i64) -> Entry {
    Entry {
        file_id: crate::demo::file_id(domain, path),
        domain: domain.into(),
        path: path.into(),
        kind: Kind::File,
        meta: Some(Meta {
            size,
            mode: 0o100644,
            mtime: Some(mtime),
            ..Meta::default()
        }),
        meta_error: None,
    }
}

fn sample() -> Tree {
    let entries = vec![
        file(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            2000,
            60,
        ),
        file("HomeDomain", "Library/SMS/sms.db", 300, 50),
        file("HomeDomain", "Library/Notes/notes.sqlite", 100, 70),
        file("HomeDomain", "Library/Preferences/p.plist", 7, 90),
        file("MediaDomain", "Library/SMS/Attachments/ab/a.jpg", 40, 30),
        file("MediaDomain", "Media/Recordings/r.m4a", 11, 20),
        file("MediaDomain", "Media/Other/o.bin", 3, 10),
        file("AppDomain-com.spotify.client", "Documents/c.bin", 1000, 5),
        file(
            "AppDomainGroup-group.com.spotify.client",
            "Library/x.plist",
            20,
            6,
        ),
        file("AppDomainPlugin-com.spotify.client.widget", "y.bin", 2, 7),
        file("AppDomain-com.example.noname", "z.bin", 1, 8),
        file("AppDomain-net.whatsapp.WhatsApp", "Documents/w.db", 500, 9),
        file(
            "AppDomainGroup-group.com.apple.notes",
            "NoteStore.sqlite",
            60,
            80,
        ),
        file("KeychainDomain", "keychain-backup.plist", 9, 4),
        file("WirelessDomain", "Library/Preferences/w.plist", 4, 3),
    ];
    Tree::from_entries(&entries, None)
}

fn apps() -> BTreeMap<String, String> {
    BTreeMap::from([("com.spotify.client".to_string(), "Spotify".to_string())])
}

fn labels(groups: &Groups, tree: &Tree, place: Place, sort: Sort) -> Vec<String> {
    groups
        .rows(tree, place, sort)
        .into_iter()
        .map(|r| groups.row_label(tree, r, place).to_string())
        .collect()
}

fn group_index(groups: &Groups, kind: GroupKind) -> usize {
    groups.groups().iter().position(|g| g.kind == kind).unwrap()
}

#[test]
fn categories_then_apps_then_system_in_table_order_by_name() {
    let tree = sample();
    let groups = Groups::build(&tree, &apps());
    assert_eq!(
        labels(&groups, &tree, Place::Top, Sort::Name),
        [
            "Keychain",
            "Messages",
            "Notes",
            "Other media",
            "Photos & videos",
            "Voice memos",
            "WhatsApp",
            "Apps",
            "System",
        ]
    );
    // By size: the categories among themselves, Apps and System stay last.
    assert_eq!(
        labels(&groups, &tree, Place::Top, Sort::Size),
        [
            "Photos & videos",
            "WhatsApp",
            "Messages",
            "Notes",
            "Voice memos",
            "Keychain",
            "Other media",
            "Apps",
            "System",
        ]
    );
    let kinds: Vec<GroupKind> = groups.groups().iter().map(|g| g.kind).collect();
    assert_eq!(kinds.last(), Some(&GroupKind::System));
}

#[test]
fn claimed_folders_join_their_category_and_leave_the_remainder() {
    let tree = sample();
    let groups = Groups::build(&tree, &apps());
    let messages = group_index(&groups, GroupKind::Category(Category::Messages));
    assert_eq!(
        labels(&groups, &tree, Place::Group(messages), Sort::Name),
        [
            "HomeDomain/Library/SMS",
            "MediaDomain/Library/SMS/Attachments"
        ]
    );
    assert_eq!(groups.groups()[messages].totals.bytes, 340);
    assert_eq!(groups.groups()[messages].totals.files, 2);
    let notes = group_index(&groups, GroupKind::Category(Category::Notes));
    assert_eq!(
        labels(&groups, &tree, Place::Group(notes), Sort::Name),
        [
            "AppDomainGroup-group.com.apple.notes",
            "HomeDomain/Library/Notes"
        ]
    );
    // HomeDomain's remainder is in System, without SMS and Notes.
    let system = group_index(&groups, GroupKind::System);
    assert_eq!(
        labels(&groups, &tree, Place::Group(system), Sort::Name),
        ["HomeDomain", "WirelessDomain"]
    );
    let home = tree.find("HomeDomain", "").unwrap();
    let library = tree.find("HomeDomain", "Library").unwrap();
    assert_eq!(
        labels(&groups, &tree, Place::Node(library), Sort::Name),
        ["Preferences"]
    );
    let t = groups.totals(&tree, home);
    assert_eq!((t.bytes, t.files, t.newest), (7, 1, Some(90)));
    assert_eq!(groups.totals(&tree, library).bytes, 7);
    assert!(groups.is_claimed(tree.find("HomeDomain", "Library/SMS").unwrap()));
    // MediaDomain's remainder is Other media; the recordings are Voice memos.
    let other = group_index(&groups, GroupKind::Category(Category::OtherMedia));
    let media = tree.find("MediaDomain", "").unwrap();
    assert_eq!(groups.groups()[other].members, [media]);
    let t = groups.totals(&tree, media);
    assert_eq!((t.bytes, t.files, t.newest), (3, 1, Some(10)));
    assert_eq!(
        labels(&groups, &tree, Place::Node(media), Sort::Name),
        ["Media"]
    );
    let media_media = tree.find("MediaDomain", "Media").unwrap();
    assert_eq!(
        labels(&groups, &tree, Place::Node(media_media), Sort::Name),
        ["Other"]
    );
}

#[test]
fn every_byte_is_in_exactly_one_group() {
    let tree = sample();
    let groups = Groups::build(&tree, &apps());
    let sum: u64 = groups.groups().iter().map(|g| g.totals.bytes).sum();
    let files: u64 = groups.groups().iter().map(|g| g.totals.files).sum();
    assert_eq!(sum, tree.node(ROOT).bytes());
    assert_eq!(files, tree.node(ROOT).files());
    assert_eq!(sum, 4057);
}

#[test]
fn apps_merge_their_domains_under_the_display_name() {
    let tree = sample();
    let groups = Groups::build(&tree, &apps());
    let g = group_index(&groups, GroupKind::Apps);
    // An app Info.plist does not name gets a readable form of its bundle id.
    assert_eq!(
        labels(&groups, &tree, Place::Group(g), Sort::Name),
        ["Noname", "Spotify"]
    );
    assert_eq!(
        labels(&groups, &tree, Place::Group(g), Sort::Size),
        ["Spotify", "Noname"]
    );
    let spotify = groups.groups()[g]
        .apps
        .iter()
        .position(|a| a.name == "Spotify")
        .unwrap();
    let app = &groups.groups()[g].apps[spotify];
    assert_eq!(app.bundle, "com.spotify.client");
    assert_eq!((app.totals.bytes, app.totals.files), (1022, 3));
    assert_eq!(
        labels(&groups, &tree, Place::App(g, spotify), Sort::Name),
        [
            "AppDomain-com.spotify.client",
            "AppDomainGroup-group.com.spotify.client",
            "AppDomainPlugin-com.spotify.client.widget"
        ]
    );
    // WhatsApp is its own category, not an app row.
    assert!(groups.groups()[g]
        .apps
        .iter()
        .all(|a| !a.bundle.contains("whatsapp")));
}

#[test]
fn the_way_to_a_node_goes_through_its_group_and_app() {
    let tree = sample();
    let groups = Groups::build(&tree, &apps());
    let messages = group_index(&groups, GroupKind::Category(Category::Messages));
    let sms = tree.find("HomeDomain", "Library/SMS").unwrap();
    let db = tree.find("HomeDomain", "Library/SMS/sms.db").unwrap();
    assert_eq!(
        groups.path_to(&tree, db, true),
        [Place::Top, Place::Group(messages), Place::Node(sms)]
    );
    let system = group_index(&groups, GroupKind::System);
    let prefs = tree.find("HomeDomain", "Library/Preferences").unwrap();
    let home = tree.find("HomeDomain", "").unwrap();
    let library = tree.find("HomeDomain", "Library").unwrap();
    assert_eq!(
        groups.path_to(&tree, prefs, true),
        [
            Place::Top,
            Place::Group(system),
            Place::Node(home),
            Place::Node(library),
            Place::Node(prefs)
        ]
    );
    assert_eq!(
        groups.path_to(&tree, prefs, false),
        [
            Place::Top,
            Place::Group(system),
            Place::Node(home),
            Place::Node(library)
        ]
    );
    let apps_g = group_index(&groups, GroupKind::Apps);
    let x = tree
        .find("AppDomainGroup-group.com.spotify.client", "Library/x.plist")
        .unwrap();
    let group_domain = tree
        .find("AppDomainGroup-group.com.spotify.client", "")
        .unwrap();
    let lib = tree
        .find("AppDomainGroup-group.com.spotify.client", "Library")
        .unwrap();
    let path = groups.path_to(&tree, x, true);
    assert!(
        matches!(path[2], Place::App(g, _) if g == apps_g),
        "{path:?}"
    );
    assert_eq!(path[3..], [Place::Node(group_domain), Place::Node(lib)]);
    assert_eq!(
        groups.place_label(&tree, Place::Node(sms)),
        "HomeDomain/Library/SMS"
    );
    assert_eq!(groups.place_label(&tree, path[2]), "Spotify");
}

#[test]
fn an_empty_tree_has_no_groups() {
    let tree = Tree::from_entries(&[], None);
    let groups = Groups::build(&tree, &BTreeMap::new());
    assert!(groups.groups().is_empty());
    assert!(groups.rows(&tree, Place::Top, Sort::Size).is_empty());
}
