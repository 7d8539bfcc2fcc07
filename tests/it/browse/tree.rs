//! The tree of a demo version: every file where its manifest row says, with the builder's
//! sizes and mtimes, folders' totals, missing files, search; the same for Manifest.mbdb.

use backtop::demo::manifest_rows;
use backtop::library::manifest::{present_ids, Manifest, NodeKind, Presence, Sort, Tree};
use backtop::library::ManifestFormat;

use super::fixture::{self, FILES, MISSING};

fn load(format: ManifestFormat) -> (tempfile::TempDir, Tree) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture::write(tmp.path(), format);
    let manifest = Manifest::open(&dir).unwrap();
    assert_eq!(manifest.format(), format);
    let present = present_ids(&dir, format);
    let tree = Tree::load(&manifest, Some(&present)).unwrap();
    (tmp, tree)
}

#[test]
fn both_formats_list_every_row_with_the_builders_figures() {
    for format in [ManifestFormat::Db, ManifestFormat::Mbdb] {
        let (_tmp, tree) = load(format);
        let rows = manifest_rows(&fixture::spec(format));
        for row in &rows {
            let id = tree
                .find(&row.domain, &row.path)
                .unwrap_or_else(|| panic!("{}", row.path));
            let node = tree.node(id);
            assert!(node.listed());
            assert_eq!(node.mtime(), Some(row.mtime), "{format:?} {}", row.path);
            assert_eq!(node.mode(), row.mode, "{format:?} {}", row.path);
            // Manifest.db records carry a creation date (the builder's: a day before the
            // mtime); Manifest.mbdb records have none. Class 0 (folders) is no class.
            let birth = (format == ManifestFormat::Db).then_some(row.mtime - 86_400);
            assert_eq!(node.birth(), birth, "{format:?} {}", row.path);
            let class = (row.protection != 0).then_some(row.protection);
            assert_eq!(node.protection_class(), class, "{format:?} {}", row.path);
            assert_eq!(hex::encode(node.file_id().unwrap()), row.file_id);
            if row.is_dir() {
                assert_eq!(node.kind(), NodeKind::Dir);
            } else {
                assert_eq!((node.kind(), node.size()), (NodeKind::File, row.size));
            }
        }
        let root = tree.node(0);
        let total: u64 = FILES.iter().map(|f| f.2).sum();
        assert_eq!(
            (root.bytes(), root.files(), root.missing()),
            (total, 10, MISSING as u64)
        );
        let newest = rows.iter().filter(|r| !r.is_dir()).map(|r| r.mtime).max();
        assert_eq!(root.newest(), newest);
        let gone = tree
            .find("MediaDomain", "Media/Recordings/gone.m4a")
            .unwrap();
        assert_eq!(tree.node(gone).presence(), Presence::Missing);
        let here = tree.find("MediaDomain", "Media/Recordings/a.m4a").unwrap();
        assert_eq!(tree.node(here).presence(), Presence::Present);
        let recordings = tree.node(tree.node(here).parent().unwrap());
        assert_eq!(
            (recordings.bytes(), recordings.files(), recordings.missing()),
            (1087, 2, 1)
        );
    }
}

#[test]
fn the_top_level_is_the_domains_biggest_first() {
    let (_tmp, tree) = load(ManifestFormat::Db);
    let top: Vec<_> = tree
        .children(0, Sort::Size)
        .into_iter()
        .map(|id| (tree.node(id).name().to_string(), tree.node(id).bytes()))
        .collect();
    assert_eq!(
        top,
        [
            ("CameraRollDomain".to_string(), 220_000),
            ("HomeDomain".to_string(), 7_407),
            ("MediaDomain".to_string(), 1_087),
            ("AppDomain-com.spotify.client".to_string(), 10),
            ("AppDomainGroup-group.com.spotify.client".to_string(), 0),
        ]
    );
}

#[test]
fn search_finds_paths_in_either_case() {
    for format in [ManifestFormat::Db, ManifestFormat::Mbdb] {
        let (_tmp, tree) = load(format);
        let found = tree.search("img_", 10);
        let paths: Vec<_> = found
            .ids
            .iter()
            .map(|&id| tree.node(id).full_path())
            .collect();
        assert_eq!(
            paths,
            [
                "CameraRollDomain/Media/DCIM/100APPLE/IMG_0001.HEIC",
                "CameraRollDomain/Media/DCIM/100APPLE/IMG_0002.MOV",
                "HomeDomain/Library/SMS/Attachments/ab/IMG_9.jpg",
            ]
        );
    }
}
