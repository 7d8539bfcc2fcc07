//! What an export writes: the nodes of a [`Tree`] below the prefixes asked for, filtered by
//! category or app, as [`ExportItem`]s carrying what the writer needs from the manifest.

use ahash::AHashSet;

use crate::library::category::{Category, DomainRules};
use crate::library::manifest::index::settle_apps;
use crate::library::manifest::{NodeId, NodeKind, Tree};

/// Which part of a version to export. Prefixes select (none: the whole version); the category
/// and the app narrow that down.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// `DOMAIN` or `DOMAIN/path` prefixes.
    pub prefixes: Vec<String>,
    /// Only files of this category.
    pub category: Option<Category>,
    /// Only files of this app (bundle id, its `AppDomain-`, `AppDomainGroup-` and
    /// `AppDomainPlugin-` domains merged).
    pub app: Option<String>,
    /// Bundle ids of the installed apps (`Info.plist`), for grouping plugins and groups.
    pub installed: Vec<String>,
}

/// A selection that names nothing in the version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// A prefix no node has.
    #[error("{0}: no such domain or path in this version")]
    NoSuchPrefix(String),
    /// An app no domain belongs to.
    #[error("{0}: no app with this bundle id in this version")]
    NoSuchApp(String),
}

/// What an item is, for the writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A regular file: its contents are copied.
    File,
    /// A folder the manifest lists: created, dated.
    Dir,
    /// A symbolic link or anything else: never written (reported as skipped).
    NotWritten,
}

/// One entry to export, as the manifest gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportItem {
    /// Domain.
    pub domain: String,
    /// Relative path as the manifest gives it (a leading `/` kept, so it can be refused).
    pub path: String,
    /// The fileID naming its contents.
    pub file_id: Option<[u8; 20]>,
    /// File, folder, or neither.
    pub kind: ItemKind,
    /// Size in bytes (files).
    pub size: u64,
    /// Modification time, Unix seconds.
    pub mtime: Option<i64>,
    /// Unix mode (0 when unknown).
    pub mode: u32,
    /// A folder above it that the manifest lists as a symbolic link (`domain/path`).
    pub through_symlink: Option<String>,
    /// The folder it goes into below the destination instead of its domain's (a flattened
    /// category or app export, see [`flatten`]); `None`: `DEST/<domain>/<path>`.
    pub folder: Option<String>,
}

/// Flattens an export: every item goes to `DEST/<folder>/<relative path>` instead of
/// `DEST/<domain>/<relative path>` (one folder for a category or an app, its domains merged;
/// two files of the same path in two domains then meet, and the collision rule decides). A
/// `/` or `\` in `folder` (an app's display name) becomes `_`; the name is escaped like any.
pub fn flatten(items: &mut [ExportItem], folder: &str) {
    let folder: String = folder
        .chars()
        .map(|c| if matches!(c, '/' | '\\') { '_' } else { c })
        .collect();
    let folder = match folder.as_str() {
        "" | "." | ".." => format!("_{folder}"),
        _ => folder,
    };
    for item in items {
        item.folder = Some(folder.clone());
    }
}

/// The items of `tree` that `selection` names, in path order, each once.
pub fn select(tree: &Tree, selection: &Selection) -> Result<Vec<ExportItem>, SelectError> {
    let starts: Vec<NodeId> = if selection.prefixes.is_empty() {
        vec![0]
    } else {
        selection
            .prefixes
            .iter()
            .map(|p| {
                let p = p.trim_end_matches('/');
                tree.find_prefix(p)
                    .ok_or_else(|| SelectError::NoSuchPrefix(p.to_string()))
            })
            .collect::<Result<_, _>>()?
    };
    let rules: Vec<DomainRules> = tree
        .domains()
        .iter()
        .map(|d| DomainRules::for_domain(d))
        .collect();
    let apps = match &selection.app {
        None => None,
        Some(app) => {
            let (domain_apps, bundles) =
                settle_apps(tree.domains(), Some(&rules), selection.installed.clone());
            let wanted = bundles
                .iter()
                .position(|b| b == app)
                .ok_or_else(|| SelectError::NoSuchApp(app.clone()))?;
            Some((domain_apps, wanted as u32))
        }
    };
    let mut seen = AHashSet::default();
    let mut items = Vec::new();
    for start in starts {
        for id in tree.walk(start) {
            let node = tree.node(id);
            if matches!(node.kind(), NodeKind::Root | NodeKind::Domain) || !seen.insert(id) {
                continue;
            }
            let d = node.domain_index();
            if let Some(c) = selection.category {
                if rules[d].category(node.path().as_bytes()) != c {
                    continue;
                }
            }
            if let Some((domain_apps, wanted)) = &apps {
                if domain_apps[d] != Some(*wanted) {
                    continue;
                }
            }
            items.push(item(tree, id));
        }
    }
    Ok(items)
}

fn item(tree: &Tree, id: NodeId) -> ExportItem {
    let node = tree.node(id);
    let kind = match node.kind() {
        NodeKind::File => ItemKind::File,
        NodeKind::Dir => ItemKind::Dir,
        _ => ItemKind::NotWritten,
    };
    let mut through_symlink = None;
    let mut up = node.parent();
    while let Some(p) = up {
        let parent = tree.node(p);
        if parent.kind() == NodeKind::Symlink {
            through_symlink = Some(parent.full_path().to_string());
        }
        up = parent.parent();
    }
    let path = if node.absolute() {
        format!("/{}", node.path())
    } else {
        node.path().to_string()
    };
    ExportItem {
        domain: node.domain().to_string(),
        path,
        file_id: node.file_id(),
        kind,
        size: node.size(),
        mtime: node.mtime(),
        mode: node.mode(),
        through_symlink,
        folder: None,
    }
}
