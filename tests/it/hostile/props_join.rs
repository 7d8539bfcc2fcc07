//! Property tests of the two joins issue 11 names besides the parsers: sizing a version joins
//! each content file's fileID with its manifest row to a category and an app, and a diff joins
//! two versions' manifests by fileID. Random manifests of real and arbitrary domains and paths
//! (control characters, slashes, empty strings, prefixes of the rule table) are written with the
//! demo builder; each version is sized and pairs are compared through backtop's own entry
//! points. Each property: no panic, and exact figures against an oracle (the rule table's own
//! `classify` for categories, set arithmetic for the diff).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use proptest::prelude::*;

use backtop::demo::{write_backup, BackupSpec, FileSpec};
use backtop::library::category::{classify, Category};
use backtop::library::diff::diff_versions;
use backtop::library::discover::discover_library;
use backtop::library::usage::{size_version, SizeControl};
use backtop::library::{Root, RootOrigin, Version};
use time::macros::datetime;

use super::props::config;

/// Domains from the rule table, its near misses, and junk; a random tail is appended.
const DOMAINS: &[&str] = &[
    "HomeDomain",
    "CameraRollDomain",
    "MediaDomain",
    "AppDomain-",
    "AppDomainGroup-group.",
    "AppDomainPlugin-",
    "AppDomain-net.whatsapp.",
    "SysContainerDomain-",
    "KeychainDomain",
    "HomeDomainX",
    "",
    "\u{1b}[2J",
];

/// Paths from the rule table and near misses; a random tail is appended.
const PATHS: &[&str] = &[
    "Library/SMS/",
    "Media/DCIM/",
    "Library/SMS/Attachments/",
    "Documents/",
    "Library/Caches/",
    "Library/Application Support/",
    "/",
    "",
    "../../",
];

/// One file: a domain and a path (prefix + tail) and a size.
fn file() -> impl Strategy<Value = FileSpec> {
    (
        0..DOMAINS.len(),
        "[a-zA-Z0-9./\u{0}-\u{1f}é漢-]{0,12}",
        0..PATHS.len(),
        "[a-zA-Z0-9./\u{0}-\u{1f}é漢-]{0,16}",
        0u64..5000,
    )
        .prop_map(|(d, dt, p, pt, size)| {
            FileSpec::new(
                &format!("{}{dt}", DOMAINS[d]),
                &format!("{}{pt}", PATHS[p]),
                size,
            )
        })
}

/// Up to `n` files with distinct fileIDs (the manifest's primary key).
fn files(n: usize) -> impl Strategy<Value = Vec<FileSpec>> {
    proptest::collection::vec(file(), 0..n).prop_map(|files| {
        let mut seen = std::collections::HashSet::new();
        files
            .into_iter()
            .filter(|f| seen.insert(f.file_id()))
            .collect()
    })
}

/// Writes a version of `files` at `dir` and finds it as backtop would.
fn version(dir: &Path, name: &str, files: Vec<FileSpec>) -> (Version, u64) {
    let mut spec = BackupSpec::new(&format!("{:0>40}", name.len()), name, "iPhone15,2");
    spec.files = files;
    let written = write_backup(&dir.join(name), &spec).unwrap();
    let root = Root {
        path: dir.to_path_buf(),
        origin: RootOrigin::Flag,
        owner: None,
        app: "test",
    };
    let library = discover_library(&[root], datetime!(2026-11-20 10:00 UTC));
    let found = library
        .versions()
        .find(|v| v.path == written.path)
        .unwrap_or_else(|| panic!("{name} is found"))
        .clone();
    (found, written.metadata_bytes)
}

proptest! {
    #![proptest_config(config(24))]

    /// Every byte of a sized version lands in exactly the category the rule table gives its
    /// row; the metadata files in Metadata; nothing is lost or counted twice.
    #[test]
    fn the_category_join_gives_every_file_its_rule_s_category(files in files(24)) {
        let tmp = tempfile::tempdir().unwrap();
        let mut expected: BTreeMap<Category, u64> = BTreeMap::new();
        for f in &files {
            *expected.entry(classify(&f.domain, &f.path).0).or_default() += f.size;
        }
        let (v, metadata) = version(tmp.path(), "v", files.clone());
        *expected.entry(Category::Metadata).or_default() += metadata;
        expected.retain(|_, b| *b > 0);
        let cancel = AtomicBool::new(false);
        let usage = size_version(&v, &SizeControl::new(&cancel, &|_, _| {}))
            .unwrap()
            .expect("not cancelled");
        prop_assert_eq!(&usage.categories, &expected);
        prop_assert_eq!(usage.categories.values().sum::<u64>(), usage.bytes);
        let apps: u64 = usage.top_apps.iter().map(|a| a.bytes).sum();
        prop_assert!(apps <= usage.bytes);
    }

    /// Comparing two versions that share some files: what only the new one has is added,
    /// what only the old one has is removed, to the file and the byte; a shared file whose
    /// size differs is changed.
    #[test]
    fn the_diff_of_two_manifests_is_their_set_difference(
        shared in files(12),
        only_old in files(8),
        only_new in files(8),
        grow in proptest::collection::vec(any::<bool>(), 12),
    ) {
        let id = |f: &FileSpec| f.file_id();
        let shared_ids: std::collections::HashSet<String> = shared.iter().map(id).collect();
        let only_old: Vec<FileSpec> =
            only_old.into_iter().filter(|f| !shared_ids.contains(&id(f))).collect();
        let old_ids: std::collections::HashSet<String> = only_old.iter().map(id).collect();
        let only_new: Vec<FileSpec> = only_new
            .into_iter()
            .filter(|f| !shared_ids.contains(&id(f)) && !old_ids.contains(&id(f)))
            .collect();
        let grown: Vec<FileSpec> = shared
            .iter()
            .zip(grow.iter().chain(std::iter::repeat(&false)))
            .map(|(f, &g)| FileSpec { size: f.size + u64::from(g), ..f.clone() })
            .collect();
        let tmp = tempfile::tempdir().unwrap();
        let (old, _) = version(tmp.path(), "old", [shared.clone(), only_old.clone()].concat());
        let (new, _) = version(tmp.path(), "newer", [grown.clone(), only_new.clone()].concat());
        let diff = diff_versions(&old, &new).unwrap();
        let t = &diff.totals;
        prop_assert_eq!(t.added_files, only_new.len() as u64);
        prop_assert_eq!(t.added_bytes, only_new.iter().map(|f| f.size).sum::<u64>());
        prop_assert_eq!(t.removed_files, only_old.len() as u64);
        prop_assert_eq!(t.removed_bytes, only_old.iter().map(|f| f.size).sum::<u64>());
        let resized = shared.iter().zip(&grown).filter(|(a, b)| a.size != b.size).count();
        prop_assert!(t.changed_files >= resized as u64 && t.changed_files <= shared.len() as u64);
        let tallied: u64 = diff.by_category.iter().map(|(_, c)| c.added_files).sum();
        prop_assert_eq!(tallied, t.added_files);
    }
}
