//! The fileID → class map of one backup, and the builder that fills it from manifest rows.
//!
//! Rows arrive as (fileID, domain, relativePath). Domains are interned: each distinct domain is
//! reduced once to its [`DomainRules`], and the previous row's domain is remembered, so a row
//! of a run of equal domains costs one byte comparison and, for the few domains whose rules
//! look at paths (`HomeDomain`, `MediaDomain`), a prefix test. Each entry stores one `u32`:
//! the category in the low byte and the domain index above it. App bundles are settled in
//! `IndexBuilder::finish`, once every domain is known: the bundles of `AppDomain-*` domains
//! (of any row, files or not) and the installed apps the caller names are the known apps, and group/plugin domains join the longest known bundle they extend.

use ahash::{AHashMap, AHashSet};

use crate::library::category::{app_bundle_of, group_under, Category, DomainRules};

/// What a file of the manifest is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileClass {
    /// Its category.
    pub category: Category,
    /// For [`Category::Apps`]: index into [`ManifestIndex::app_bundles`].
    pub app: Option<u32>,
}

/// fileID → what the file is, for the files (not directories or symlinks) of one backup.
/// About 25 bytes per file: `[u8; 20]` keys and packed `u32` values in an ahash map.
#[derive(Debug, Default)]
pub struct ManifestIndex {
    map: AHashMap<[u8; 20], u32>,
    domains: Vec<String>,
    domain_apps: Vec<Option<u32>>,
    app_bundles: Vec<String>,
    skipped: usize,
    truncated_at: Option<u64>,
}

/// Most domains an index can hold (the domain index has 24 bits).
const MAX_DOMAINS: usize = 1 << 24;

/// Domains of an app's own container: their bundles are the known apps.
const APP_DOMAIN: &[u8] = b"AppDomain-";

impl ManifestIndex {
    /// What the file `file_id` is; `None` when no file row names it.
    #[inline]
    pub fn get(&self, file_id: &[u8; 20]) -> Option<FileClass> {
        let packed = *self.map.get(file_id)?;
        let domain = (packed >> 8) as usize;
        Some(FileClass {
            category: Category::ALL[(packed & 0xFF) as usize],
            app: self.domain_apps.get(domain).copied().flatten(),
        })
    }

    /// The domain of the file `file_id`.
    pub fn domain_of(&self, file_id: &[u8; 20]) -> Option<&str> {
        let packed = *self.map.get(file_id)?;
        self.domains.get((packed >> 8) as usize).map(String::as_str)
    }

    /// Bundle ids of the apps, indexed by [`FileClass::app`].
    pub fn app_bundles(&self) -> &[String] {
        &self.app_bundles
    }

    /// Files in the index.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when the index holds no file.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The fileIDs of every file row (flags 1 / mode 0x8000), in no particular order.
    pub fn file_ids(&self) -> impl Iterator<Item = &[u8; 20]> {
        self.map.keys()
    }

    /// File rows left out because their fileID was not 40 hex digits.
    pub fn skipped_rows(&self) -> usize {
        self.skipped
    }

    /// For Manifest.mbdb: the byte offset of a truncated last record, when there was one.
    pub fn truncated_at(&self) -> Option<u64> {
        self.truncated_at
    }
}

/// Fills a [`ManifestIndex`] row by row.
#[derive(Debug)]
pub(crate) struct IndexBuilder {
    index: ManifestIndex,
    rules: Vec<DomainRules>,
    ids: AHashMap<Box<[u8]>, u32>,
    last: Option<u32>,
    /// `AppDomain-*` domains seen only on rows that are not files (directories, symlinks).
    app_domains: AHashSet<Box<[u8]>>,
    /// Bundles known from elsewhere (`Info.plist` `Applications`).
    installed: Vec<String>,
}

/// Why a row could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddError {
    /// More distinct domains than the packed value holds.
    TooManyDomains,
}

impl IndexBuilder {
    /// A builder with room for about `files` files.
    pub(crate) fn with_capacity(files: usize) -> Self {
        let mut index = ManifestIndex::default();
        index.map.reserve(files);
        IndexBuilder {
            index,
            rules: Vec::new(),
            ids: AHashMap::default(),
            last: None,
            app_domains: AHashSet::default(),
            installed: Vec::new(),
        }
    }

    /// Adds bundles known to be apps (e.g. `Info.plist` `Applications`) for grouping.
    pub(crate) fn add_installed<'a>(&mut self, bundles: impl IntoIterator<Item = &'a str>) {
        self.installed
            .extend(bundles.into_iter().map(str::to_string));
    }

    /// Adds one file row; a fileID that is not 40 hex digits is counted and skipped.
    #[inline]
    pub(crate) fn add(
        &mut self,
        file_id: &[u8],
        domain: &[u8],
        path: &[u8],
    ) -> Result<(), AddError> {
        let Some(id) = super::parse_file_id(file_id) else {
            self.index.skipped += 1;
            return Ok(());
        };
        self.add_id(id, domain, path)
    }

    /// Adds one file row by its decoded fileID.
    #[inline]
    pub(crate) fn add_id(
        &mut self,
        id: [u8; 20],
        domain: &[u8],
        path: &[u8],
    ) -> Result<(), AddError> {
        let d = self.domain_id(domain)?;
        let category = self.rules[d as usize].category(path);
        self.index.map.insert(id, (d << 8) | category as u32);
        Ok(())
    }

    /// Notes the domain of a row that is not a file: an `AppDomain-*` domain names a known app
    /// even when all its rows are folders, so its groups and plugins still join it.
    #[inline]
    pub(crate) fn add_other(&mut self, domain: &[u8]) {
        if domain.starts_with(APP_DOMAIN) && !self.app_domains.contains(domain) {
            self.app_domains.insert(domain.into());
        }
    }

    /// Notes where a Manifest.mbdb was cut short.
    pub(crate) fn set_truncated_at(&mut self, offset: Option<u64>) {
        self.index.truncated_at = offset;
    }

    fn domain_id(&mut self, domain: &[u8]) -> Result<u32, AddError> {
        if let Some(last) = self.last {
            if self.index.domains[last as usize].as_bytes() == domain {
                return Ok(last);
            }
        }
        let id = match self.ids.get(domain) {
            Some(&id) => id,
            None => self.new_domain(domain)?,
        };
        self.last = Some(id);
        Ok(id)
    }

    fn new_domain(&mut self, domain: &[u8]) -> Result<u32, AddError> {
        if self.index.domains.len() >= MAX_DOMAINS {
            return Err(AddError::TooManyDomains);
        }
        let id = self.index.domains.len() as u32;
        let name = String::from_utf8_lossy(domain).into_owned();
        self.rules.push(DomainRules::for_domain(&name));
        self.index.domains.push(name);
        self.ids.insert(domain.into(), id);
        Ok(id)
    }

    /// Settles app bundles and returns the index.
    pub(crate) fn finish(mut self) -> ManifestIndex {
        let other_domains = self
            .app_domains
            .iter()
            .map(|d| String::from_utf8_lossy(d).into_owned());
        let also_known = other_domains
            .filter_map(|d| app_bundle_of(&d))
            .chain(std::mem::take(&mut self.installed));
        let (domain_apps, app_bundles) =
            settle_apps(&self.index.domains, Some(&self.rules), also_known);
        self.index.domain_apps = domain_apps;
        self.index.app_bundles = app_bundles;
        self.index
    }
}

/// Which app each domain belongs to: the bundles of the `AppDomain-*` domains among `domains`
/// and `also_known` (bundles of other app domains, installed apps) are the known apps; every
/// domain whose files are all [`Category::Apps`] joins the longest known bundle its own bundle
/// extends. Returns, per domain, an index into the bundle list, and that list (in order of
/// first appearance). `rules` are the domains' [`DomainRules`] when the caller has them.
pub fn settle_apps(
    domains: &[String],
    rules: Option<&[DomainRules]>,
    also_known: impl IntoIterator<Item = String>,
) -> (Vec<Option<u32>>, Vec<String>) {
    let known: AHashSet<String> = domains
        .iter()
        .filter(|d| d.as_bytes().starts_with(APP_DOMAIN))
        .filter_map(|d| app_bundle_of(d))
        .chain(also_known)
        .collect();
    let mut app_ids: AHashMap<String, u32> = AHashMap::default();
    let mut app_bundles = Vec::new();
    let domain_apps = domains
        .iter()
        .enumerate()
        .map(|(i, domain)| {
            let own;
            let rules = match rules.and_then(|r| r.get(i)) {
                Some(r) => r,
                None => {
                    own = DomainRules::for_domain(domain);
                    &own
                }
            };
            if rules.depends_on_path() || rules.category(b"") != Category::Apps {
                return None;
            }
            let bundle = app_bundle_of(domain)?;
            let bundle = group_under(&bundle, &known);
            let next = app_ids.len() as u32;
            let id = *app_ids.entry(bundle.to_string()).or_insert(next);
            if id == next {
                app_bundles.push(bundle.to_string());
            }
            Some(id)
        })
        .collect();
    (domain_apps, app_bundles)
}
