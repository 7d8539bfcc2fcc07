//! The domains seen on both sides of a diff, each reduced once to its category rules, and the
//! app each app domain belongs to (grouped as the size breakdown groups them).

use std::collections::HashSet;
use std::sync::Arc;

use ahash::AHashMap;

use crate::library::category::{app_bundle_of, group_under, Category, DomainRules};

/// Index of a domain in [`Domains`].
pub(super) type DomainId = u32;

/// Every distinct domain of both manifests.
#[derive(Debug, Default)]
pub(super) struct Domains {
    names: Vec<Arc<str>>,
    rules: Vec<DomainRules>,
    ids: AHashMap<Box<[u8]>, DomainId>,
    last: Option<(Box<[u8]>, DomainId)>,
}

impl Domains {
    /// The id of `domain`, interned on first sight. A run of rows of one domain costs one
    /// comparison each.
    pub fn intern(&mut self, domain: &[u8]) -> DomainId {
        if let Some((bytes, id)) = &self.last {
            if **bytes == *domain {
                return *id;
            }
        }
        let id = match self.ids.get(domain) {
            Some(&id) => id,
            None => {
                let id = DomainId::try_from(self.names.len()).unwrap_or(DomainId::MAX);
                let name: Arc<str> = String::from_utf8_lossy(domain).into();
                self.rules.push(DomainRules::for_domain(&name));
                self.names.push(name);
                self.ids.insert(domain.into(), id);
                id
            }
        };
        self.last = Some((domain.into(), id));
        id
    }

    /// The category of a file of domain `id` at `path`.
    pub fn category(&self, id: DomainId, path: &[u8]) -> Category {
        self.rules
            .get(id as usize)
            .map_or(Category::System, |r| r.category(path))
    }

    /// The domain's name (lossy UTF-8).
    pub fn name(&self, id: DomainId) -> Arc<str> {
        self.names
            .get(id as usize)
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    /// The app each domain's files count for: the bundle id of an app domain, joined to the
    /// longest known app it extends (`com.foo.widget` → `com.foo`). Known apps are the bundles
    /// of `AppDomain-*` domains and the `installed` bundle ids. `None` for other domains.
    pub fn apps<'a>(&self, installed: impl IntoIterator<Item = &'a str>) -> Vec<Option<Arc<str>>> {
        let mut known: HashSet<String> = installed.into_iter().map(str::to_string).collect();
        for name in &self.names {
            if name.starts_with("AppDomain-") {
                if let Some(bundle) = app_bundle_of(name) {
                    known.insert(bundle);
                }
            }
        }
        let mut interned: AHashMap<String, Arc<str>> = AHashMap::new();
        self.names
            .iter()
            .map(|name| {
                let bundle = app_bundle_of(name)?;
                let grouped = group_under(&bundle, &known).to_string();
                Some(
                    interned
                        .entry(grouped.clone())
                        .or_insert_with(|| Arc::from(grouped))
                        .clone(),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_intern_once_and_classify_by_path() {
        let mut d = Domains::default();
        let home = d.intern(b"HomeDomain");
        assert_eq!(d.intern(b"HomeDomain"), home);
        let app = d.intern(b"AppDomain-com.spotify.client");
        let plugin = d.intern(b"AppDomainPlugin-com.spotify.client.widget");
        assert_eq!(d.intern(b"HomeDomain"), home);
        assert_eq!(d.names.len(), 3);
        assert_eq!(d.category(home, b"Library/SMS/sms.db"), Category::Messages);
        assert_eq!(d.category(home, b"Library/Preferences/x"), Category::System);
        assert_eq!(d.category(app, b"Documents/x"), Category::Apps);
        let apps = d.apps([]);
        assert_eq!(apps[home as usize], None);
        assert_eq!(apps[app as usize].as_deref(), Some("com.spotify.client"));
        assert_eq!(apps[plugin as usize].as_deref(), Some("com.spotify.client"));
    }
}
