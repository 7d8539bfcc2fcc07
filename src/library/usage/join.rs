//! Attributing a walked version's bytes to categories and apps: each content file's fileID is
//! looked up in the manifest index. Metadata files are `Metadata`; names no row knows are
//! `Unknown`; in an encrypted backup everything but metadata is `Encrypted`.

use std::collections::BTreeMap;

use rayon::prelude::*;

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

/// Bytes per category position and per app index.
#[derive(Clone)]
struct Sums {
    categories: [u64; Category::ALL.len()],
    apps: Vec<u64>,
}

impl Sums {
    fn new(apps: usize) -> Self {
        Sums {
            categories: [0; Category::ALL.len()],
            apps: vec![0; apps],
        }
    }

    fn add(&mut self, key: FileKey, bytes: u64, classes: &Classes) {
        let category = match (key, classes) {
            (FileKey::Metadata, _) => Category::Metadata,
            (_, Classes::Encrypted) => Category::Encrypted,
            (FileKey::Id(id), Classes::Index(index)) => match index.get(&id) {
                Some(class) => {
                    if let Some(slot) = class.app.and_then(|a| self.apps.get_mut(a as usize)) {
                        *slot += bytes;
                    }
                    class.category
                }
                None => Category::Unknown,
            },
            _ => Category::Unknown,
        };
        self.categories[category as usize] += bytes;
    }

    fn merge(mut self, other: Sums) -> Sums {
        for (a, b) in self.categories.iter_mut().zip(other.categories) {
            *a += b;
        }
        for (a, b) in self.apps.iter_mut().zip(other.apps) {
            *a += b;
        }
        self
    }
}

/// Files looked up per task.
const CHUNK: usize = 16_384;

/// Bytes per category (non-zero only; they sum to the walk's distinct-inode bytes) and per
/// app index (`app_bytes[i]` for `ManifestIndex::app_bundles()[i]`). The lookups run in
/// chunks on the current rayon pool.
pub fn categorize(walked: &Walked, classes: &Classes) -> (BTreeMap<Category, u64>, Vec<u64>) {
    let apps = match classes {
        Classes::Index(index) => index.app_bundles().len(),
        _ => 0,
    };
    let named = walked
        .named
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut s = Sums::new(apps);
            for &(id, bytes) in chunk {
                s.add(FileKey::Id(id), bytes, classes);
            }
            s
        })
        .reduce(|| Sums::new(apps), Sums::merge);
    let shared = walked
        .shared
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut s = Sums::new(apps);
            for e in chunk {
                s.add(e.key, e.bytes, classes);
            }
            s
        })
        .reduce(|| Sums::new(apps), Sums::merge);
    let mut sums = named.merge(shared);
    sums.add(FileKey::Metadata, walked.metadata_bytes, classes);
    sums.add(FileKey::Unnamed, walked.unnamed_bytes, classes);
    let cats = Category::ALL
        .iter()
        .zip(sums.categories)
        .filter(|(_, b)| *b > 0)
        .map(|(c, b)| (*c, b))
        .collect();
    (cats, sums.apps)
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
    apps.sort_by(|a, b| {
        b.bytes
            .cmp(&a.bytes)
            .then_with(|| a.bundle_id.cmp(&b.bundle_id))
    });
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
