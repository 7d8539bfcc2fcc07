//! Attributing a walked version's bytes to categories and apps: each content file's fileID is
//! looked up in the manifest index. Metadata files are `Metadata`; names no row knows are
//! `Unknown`; in an encrypted backup everything but metadata is `Encrypted`.

use std::collections::BTreeMap;

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
/// app index (`app_bytes[i]` for `ManifestIndex::app_bundles()[i]`).
pub fn categorize(walked: &Walked, classes: &Classes) -> (BTreeMap<Category, u64>, Vec<u64>) {
    let mut sums = [0u64; Category::ALL.len()];
    let mut apps: Vec<u64> = match classes {
        Classes::Index(index) => vec![0; index.app_bundles().len()],
        _ => Vec::new(),
    };
    let mut add = |key: FileKey, bytes: u64| {
        let category = match (key, classes) {
            (FileKey::Metadata, _) => Category::Metadata,
            (_, Classes::Encrypted) => Category::Encrypted,
            (FileKey::Id(id), Classes::Index(index)) => match index.get(&id) {
                Some(class) => {
                    if let Some(slot) = class.app.and_then(|a| apps.get_mut(a as usize)) {
                        *slot += bytes;
                    }
                    class.category
                }
                None => Category::Unknown,
            },
            _ => Category::Unknown,
        };
        sums[category as usize] += bytes;
    };
    add(FileKey::Metadata, walked.metadata_bytes);
    add(FileKey::Unnamed, walked.unnamed_bytes);
    for &(id, bytes) in &walked.named {
        add(FileKey::Id(id), bytes);
    }
    for e in &walked.shared {
        add(e.key, e.bytes);
    }
    let cats = Category::ALL
        .iter()
        .zip(sums)
        .filter(|(_, b)| *b > 0)
        .map(|(c, b)| (*c, b))
        .collect();
    (cats, apps)
}

/// The largest apps first (ties by bundle id), at most [`TOP_APPS`], named from `Info.plist`.
pub fn top_apps(
    app_bytes: &[u64],
    bundles: &[String],
    names: &BTreeMap<String, String>,
) -> Vec<AppUsage> {
    let mut apps: Vec<AppUsage> = app_bytes
        .iter()
        .zip(bundles)
        .filter(|(b, _)| **b > 0)
        .map(|(&bytes, bundle)| AppUsage {
            bundle_id: bundle.clone(),
            name: names.get(bundle).cloned(),
            bytes,
        })
        .collect();
    apps.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.bundle_id.cmp(&b.bundle_id)));
    apps.truncate(TOP_APPS);
    apps
}

#[cfg(test)]
mod tests {
    use crate::library::category::Category;

    #[test]
    fn category_positions_match_all() {
        for (i, c) in Category::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i, "{c:?}");
        }
    }
}
