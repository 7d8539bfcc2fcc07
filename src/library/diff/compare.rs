//! The comparison itself: one pass over the old manifest into a map keyed by fileID, one
//! pass over the new manifest against it, then the old files nobody claimed are the removed
//! ones.
//!
//! A file whose fingerprint is equal on both sides is unchanged without decoding anything
//! ([`super::rows`]); a differing one is decoded on both sides and is changed when its size or
//! mtime differs (a blob that differs in other fields only, e.g. its protection class, leaves
//! the file unchanged). Sizes of added, removed and changed files come from their rows.

use std::sync::Arc;

use ahash::AHashMap;
use sha1::{Digest, Sha1};

use super::domains::{DomainId, Domains};
use super::rows::{FileMeta, Row, RowReader};
use super::source::{DiffError, Source};
use super::{AppTally, Change, Diff, FileChange, Tally};
use crate::library::category::Category;
use crate::library::error::Error;
use crate::library::manifest::parse_file_id;

/// A file of the old version, waiting to be claimed by the new one.
#[derive(Debug)]
struct OldFile {
    fingerprint: u64,
    rowid: i64,
    meta: Option<FileMeta>,
    domain: DomainId,
    category: Category,
    path: (u32, u32),
    seen: bool,
}

/// A file in both whose fingerprints differ and whose old metadata is still to be read.
#[derive(Debug)]
struct Pending {
    id: [u8; 20],
    new: Option<FileMeta>,
    domain: DomainId,
    category: Category,
    path: String,
}

/// What a comparison collects before the domains' apps are known.
#[derive(Debug, Default)]
struct Collected {
    files: Vec<(FileChange, DomainId)>,
    unchanged: Vec<u64>,
    unchanged_by_category: [u64; Category::ALL.len()],
    unreadable: u64,
}

/// Compares the manifests of `old` and `new`. `apps` are (bundle id, display name) pairs of
/// the installed apps of either version: they help group app domains and name apps.
pub fn compare<'a>(
    old: &Source,
    new: &Source,
    apps: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> Result<Diff, DiffError> {
    let old_rows = RowReader::new(old);
    let new_rows = RowReader::new(new);
    let same_fingerprints = old_rows.fingerprints_match(&new_rows);
    let unreadable = |source: &Source| {
        let path = source.version_dir().to_path_buf();
        move |e: Error| DiffError::Unreadable { path, source: e }
    };
    let mut domains = Domains::default();
    let mut arena: Vec<u8> = Vec::new();
    let mut olds: AHashMap<[u8; 20], OldFile> = AHashMap::new();
    let old_pass = old_rows
        .for_each(|row| {
            let domain = domains.intern(row.domain);
            if !row.is_file {
                return;
            }
            let start = u32::try_from(arena.len()).unwrap_or(u32::MAX);
            arena.extend_from_slice(row.path);
            let len = u32::try_from(row.path.len()).unwrap_or(u32::MAX);
            olds.insert(
                key(row),
                OldFile {
                    fingerprint: row.fingerprint,
                    rowid: row.rowid,
                    meta: row.meta,
                    domain,
                    category: domains.category(domain, row.path),
                    path: (start, len),
                    seen: false,
                },
            );
        })
        .map_err(unreadable(old))?;
    let mut got = Collected::default();
    let mut pending: Vec<Pending> = Vec::new();
    let new_pass = new_rows
        .for_each(|row| {
            let domain = domains.intern(row.domain);
            if !row.is_file {
                return;
            }
            let id = key(row);
            let category = domains.category(domain, row.path);
            match olds.get_mut(&id) {
                Some(o) if !o.seen => {
                    o.seen = true;
                    if same_fingerprints && o.fingerprint == row.fingerprint {
                        count_unchanged(&mut got, domain, category);
                        return;
                    }
                    let new = row.decode();
                    match o.meta {
                        Some(old) => settle(&mut got, id, domain, category, row, Some(old), new),
                        None => pending.push(Pending {
                            id,
                            new,
                            domain,
                            category,
                            path: lossy(row.path),
                        }),
                    }
                }
                // A fileID listed twice in the new manifest counts once.
                Some(_) => {}
                None => {
                    let new = row.decode();
                    if new.is_none() {
                        got.unreadable += 1;
                    }
                    push(
                        &mut got,
                        Change::Added,
                        id,
                        domain,
                        category,
                        lossy(row.path),
                        None,
                        new,
                    );
                }
            }
        })
        .map_err(unreadable(new))?;
    for p in pending {
        let rowid = olds.get(&p.id).map_or(0, |o| o.rowid);
        let old = old_rows.meta_at(rowid).map_err(unreadable(old))?;
        if p.new.is_none() || old.is_none() {
            got.unreadable += 1;
        }
        if old == p.new {
            count_unchanged(&mut got, p.domain, p.category);
        } else {
            push(
                &mut got,
                Change::Changed,
                p.id,
                p.domain,
                p.category,
                p.path,
                old,
                p.new,
            );
        }
    }
    for (id, o) in &olds {
        if o.seen {
            continue;
        }
        let meta = match o.meta {
            Some(m) => Some(m),
            None => old_rows.meta_at(o.rowid).map_err(unreadable(old))?,
        };
        if meta.is_none() {
            got.unreadable += 1;
        }
        let (start, len) = (o.path.0 as usize, o.path.1 as usize);
        let path = arena.get(start..start + len).map(lossy).unwrap_or_default();
        push(
            &mut got,
            Change::Removed,
            *id,
            o.domain,
            o.category,
            path,
            meta,
            None,
        );
    }
    let names: AHashMap<&str, &str> = apps
        .into_iter()
        .map(|(b, n)| (b.as_str(), n.as_str()))
        .collect();
    let app_of = domains.apps(names.keys().copied());
    let mut diff = finish(got, &domains, &app_of, &names);
    diff.old = old.version_dir().to_path_buf();
    diff.new = new.version_dir().to_path_buf();
    for (source, pass) in [(old, old_pass), (new, new_pass)] {
        if let Some(at) = pass.truncated_at {
            diff.notes.push(format!(
                "{}: Manifest.mbdb is cut short at byte {at}: files listed after it are not \
                 compared",
                source.version_dir().display()
            ));
        }
    }
    Ok(diff)
}

/// The fileID as 20 bytes; a row whose stored fileID is not 40 hex digits is keyed by
/// `sha1(domain-path)`, what the fileID should have been.
pub(super) fn key(row: &Row<'_>) -> [u8; 20] {
    parse_file_id(row.file_id).unwrap_or_else(|| {
        let mut h = Sha1::new();
        h.update(row.domain);
        h.update(b"-");
        h.update(row.path);
        h.finalize().into()
    })
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn count_unchanged(got: &mut Collected, domain: DomainId, category: Category) {
    let d = domain as usize;
    if got.unchanged.len() <= d {
        got.unchanged.resize(d + 1, 0);
    }
    got.unchanged[d] += 1;
    got.unchanged_by_category[category_index(category)] += 1;
}

/// A file in both whose old metadata is known: changed or unchanged.
fn settle(
    got: &mut Collected,
    id: [u8; 20],
    domain: DomainId,
    category: Category,
    row: &Row<'_>,
    old: Option<FileMeta>,
    new: Option<FileMeta>,
) {
    if new.is_none() {
        got.unreadable += 1;
    }
    if old == new {
        count_unchanged(got, domain, category);
    } else {
        let path = lossy(row.path);
        push(got, Change::Changed, id, domain, category, path, old, new);
    }
}

#[allow(clippy::too_many_arguments)]
fn push(
    got: &mut Collected,
    change: Change,
    file_id: [u8; 20],
    domain: DomainId,
    category: Category,
    path: String,
    old: Option<FileMeta>,
    new: Option<FileMeta>,
) {
    let file = FileChange {
        change,
        domain: Arc::from(""),
        path,
        file_id,
        category,
        app: None,
        old,
        new,
    };
    got.files.push((file, domain));
}

fn category_index(category: Category) -> usize {
    Category::ALL
        .iter()
        .position(|c| *c == category)
        .unwrap_or(0)
}

/// Names the domains and apps of the collected changes, tallies them and sorts everything
/// largest first.
fn finish(
    got: Collected,
    domains: &Domains,
    app_of: &[Option<Arc<str>>],
    names: &AHashMap<&str, &str>,
) -> Diff {
    let mut by_category = [Tally::default(); Category::ALL.len()];
    for (i, n) in got.unchanged_by_category.iter().enumerate() {
        by_category[i].unchanged_files = *n;
    }
    let mut apps: AHashMap<Arc<str>, Tally> = AHashMap::new();
    let mut files = Vec::with_capacity(got.files.len());
    for (mut file, domain) in got.files {
        let d = domain as usize;
        file.domain = domains.name(domain);
        let old = file.old.map_or(0, |m| m.size);
        let new = file.new.map_or(0, |m| m.size);
        by_category[category_index(file.category)].add(file.change, old, new);
        if file.category == Category::Apps {
            file.app = app_of.get(d).cloned().flatten();
            if let Some(app) = &file.app {
                apps.entry(app.clone())
                    .or_default()
                    .add(file.change, old, new);
            }
        }
        files.push(file);
    }
    for (d, n) in got.unchanged.iter().enumerate() {
        if *n == 0 || domains.category(d as DomainId, b"") != Category::Apps {
            continue;
        }
        if let Some(Some(app)) = app_of.get(d) {
            apps.entry(app.clone()).or_default().unchanged_files += n;
        }
    }
    let mut totals = Tally::default();
    for t in &by_category {
        totals.merge(t);
    }
    let mut by_category: Vec<(Category, Tally)> = Category::ALL
        .iter()
        .copied()
        .zip(by_category)
        .filter(|(_, t)| t.changed_any() + t.unchanged_files > 0)
        .collect();
    // Stable: equal tallies keep the display order of Category::ALL.
    by_category.sort_by(|(_, a), (_, b)| {
        b.churn_bytes()
            .cmp(&a.churn_bytes())
            .then(b.changed_any().cmp(&a.changed_any()))
    });
    let mut by_app: Vec<AppTally> = apps
        .into_iter()
        .filter(|(_, t)| !t.is_empty())
        .map(|(bundle, tally)| AppTally {
            name: names.get(&*bundle).map(|n| n.to_string()),
            bundle,
            tally,
        })
        .collect();
    by_app.sort_by(|a, b| {
        b.tally
            .churn_bytes()
            .cmp(&a.tally.churn_bytes())
            .then(b.tally.changed_any().cmp(&a.tally.changed_any()))
            .then(a.bundle.cmp(&b.bundle))
    });
    files.sort_by(|a, b| {
        b.bytes()
            .cmp(&a.bytes())
            .then_with(|| a.domain.cmp(&b.domain))
            .then_with(|| a.path.cmp(&b.path))
    });
    let mut notes = Vec::new();
    if got.unreadable > 0 {
        notes.push(format!(
            "{} changed files have a size the manifest does not say (a damaged record): \
             counted as 0 bytes",
            got.unreadable
        ));
    }
    Diff {
        old: Default::default(),
        new: Default::default(),
        totals,
        by_category,
        by_app,
        files,
        notes,
    }
}
