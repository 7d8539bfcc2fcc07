//! Attributing a walked version's bytes to categories and apps: each content file's fileID is
//! looked up in the manifest index. Metadata files are `Metadata`; names no row knows are
//! `Unknown`; in an encrypted backup everything but metadata is `Encrypted`.

use std::collections::{BTreeMap, HashMap};

use super::walk::{FileKey, Walked};
use super::AppUsage;
use crate::library::category::Category;
use crate::library::manifest::ManifestIndex;

/// How many apps `top_apps` keeps.
pub const TOP_APPS: usize = 10;

/// What is known about a version's contents.
pub enum Classes {
    /// The manifest index loaded.
    Index(ManifestIndex),
    /// The backup is encrypted: no names.
    Encrypted,
    /// No index (missing or unreadable manifest).
    Unavailable,
}

/// Bytes per category (non-zero only; they sum to the walk's distinct-inode bytes) and per
/// app index.
pub fn categorize(
    walked: &Walked,
    classes: &Classes,
) -> (BTreeMap<Category, u64>, HashMap<u32, u64>) {
    let mut cats: BTreeMap<Category, u64> = BTreeMap::new();
    let mut apps: HashMap<u32, u64> = HashMap::new();
    let mut add = |key: FileKey, bytes: u64| {
        let category = match (key, classes) {
            (FileKey::Metadata, _) => Category::Metadata,
            (_, Classes::Encrypted) => Category::Encrypted,
            (FileKey::Id(id), Classes::Index(index)) => match index.get(&id) {
                Some(class) => {
                    if let Some(app) = class.app {
                        *apps.entry(app).or_default() += bytes;
                    }
                    class.category
                }
                None => Category::Unknown,
            },
            _ => Category::Unknown,
        };
        *cats.entry(category).or_default() += bytes;
    };
    add(FileKey::Metadata, walked.metadata_bytes);
    add(FileKey::Unnamed, walked.unnamed_bytes);
    for &(id, bytes) in &walked.named {
        add(FileKey::Id(id), bytes);
    }
    for e in walked.shared.values() {
        add(e.key, e.bytes);
    }
    cats.retain(|_, b| *b > 0);
    (cats, apps)
}

/// The largest apps first (ties by bundle id), at most [`TOP_APPS`], named from `Info.plist`.
pub fn top_apps(
    app_bytes: &HashMap<u32, u64>,
    bundles: &[String],
    names: &BTreeMap<String, String>,
) -> Vec<AppUsage> {
    let mut apps: Vec<AppUsage> = app_bytes
        .iter()
        .filter_map(|(&i, &bytes)| {
            let bundle = bundles.get(i as usize)?;
            Some(AppUsage {
                bundle_id: bundle.clone(),
                name: names.get(bundle).cloned(),
                bytes,
            })
        })
        .collect();
    apps.sort_by(|a, b| {
        b.bytes
            .cmp(&a.bytes)
            .then_with(|| a.bundle_id.cmp(&b.bundle_id))
    });
    apps.truncate(TOP_APPS);
    apps
}
