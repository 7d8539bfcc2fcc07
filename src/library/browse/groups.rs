//! The browser's top level, as people think of a phone: the content categories (Photos,
//! Messages, WhatsApp, Notes, …), then **Apps** (one row per app, its `AppDomain-`,
//! `AppDomainGroup-` and `AppDomainPlugin-` domains merged under its display name), then
//! **System** (every other domain). Below a group are its members, the real nodes of the
//! [`Tree`]: a whole domain (`CameraRollDomain`) or a folder a category rule names
//! (`HomeDomain/Library/SMS`).
//!
//! The rule table of [`crate::library::category`] decides, as it does for the dashboard's
//! breakdown, so the figures agree: a domain whose rules look at folders (`HomeDomain`,
//! `MediaDomain`) gives each named folder to its category ("claimed") and the rest of the
//! domain to its fallback (`HomeDomain` to System, `MediaDomain` to Other media). A claimed
//! folder is not listed again in the remainder, and the remainder's folders above it count
//! without it ([`Groups::totals`]), so no byte is shown twice and each group's total is what
//! the breakdown says.
//!
//! Pure: built from a [`Tree`] and the installed apps' names; navigation is by [`Place`] and
//! [`Row`].

use std::collections::BTreeMap;

use ahash::{AHashMap, AHashSet};

use crate::library::category::{Category, DomainRules};
use crate::library::manifest::index::settle_apps;
use crate::library::manifest::tree::{name_order, ROOT};
use crate::library::manifest::{NodeId, NodeKind, Sort, Tree};

/// Bytes, files, missing files and newest mtime below a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    /// Bytes of the files below (the manifest's sizes).
    pub bytes: u64,
    /// Files below.
    pub files: u64,
    /// Files below listed but missing on disk.
    pub missing: u64,
    /// Newest mtime below (Unix seconds).
    pub newest: Option<i64>,
}

impl Totals {
    fn add(&mut self, other: Totals) {
        self.bytes += other.bytes;
        self.files += other.files;
        self.missing += other.missing;
        self.newest = self.newest.max(other.newest);
    }

    /// A node's own totals from the tree (claimed folders below it included).
    pub fn of_node(tree: &Tree, id: NodeId) -> Totals {
        let n = tree.node(id);
        Totals {
            bytes: n.bytes(),
            files: n.files(),
            missing: n.missing(),
            newest: n.newest(),
        }
    }
}

/// What a top-level group is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKind {
    /// A content category (never `Apps`, `System`, or the scan-only ones).
    Category(Category),
    /// The third-party apps, one row each.
    Apps,
    /// Every other domain.
    System,
}

impl GroupKind {
    /// The label shown ("Messages", "Apps", "System").
    pub fn label(self) -> &'static str {
        match self {
            GroupKind::Category(c) => c.label(),
            GroupKind::Apps => "Apps",
            GroupKind::System => "System",
        }
    }
}

/// One app: its display name and its domains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRow {
    /// Bundle id (`com.spotify.client`).
    pub bundle: String,
    /// Display name from `Info.plist` (the bundle id when it names none).
    pub name: String,
    /// Its domain nodes (`AppDomain-…`, `AppDomainGroup-…`, `AppDomainPlugin-…`), by name.
    pub domains: Vec<NodeId>,
    /// What is below them.
    pub totals: Totals,
}

/// One top-level group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// What it is.
    pub kind: GroupKind,
    /// Its nodes (domains or claimed folders), by name; empty for Apps.
    pub members: Vec<NodeId>,
    /// For Apps: the apps.
    pub apps: Vec<AppRow>,
    /// What is below it.
    pub totals: Totals,
}

/// Where the browser is: the top level, a group's list, an app's domains, or a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// The groups.
    Top,
    /// The members (or apps) of group `.0`.
    Group(usize),
    /// The domains of app `.1` of group `.0`.
    App(usize, usize),
    /// The children of a node.
    Node(NodeId),
}

/// One row of a place's listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Row {
    /// A group (at the top).
    Group(usize),
    /// An app (in Apps).
    App(usize, usize),
    /// A node of the tree.
    Node(NodeId),
}

/// The grouping of one version's tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Groups {
    groups: Vec<Group>,
    /// Folders a category takes from their domain (hidden in the domain's remainder).
    claimed: AHashSet<NodeId>,
    /// Totals of the nodes above claimed folders, without them.
    adjusted: AHashMap<NodeId, Totals>,
    /// Each member: its group and, in Apps, its app.
    owner: AHashMap<NodeId, (usize, Option<usize>)>,
}

impl Groups {
    /// Groups `tree`; `apps` maps installed bundle ids to display names (`Info.plist`).
    pub fn build(tree: &Tree, apps: &BTreeMap<String, String>) -> Groups {
        let domains: Vec<NodeId> = tree.children_by_name(ROOT).to_vec();
        let (domain_apps, bundles) = settle_apps(tree.domains(), None, apps.keys().cloned());
        let mut claims: Vec<(NodeId, Category)> = Vec::new();
        // Remainders: (domain node, where it goes).
        let mut homes: Vec<(NodeId, Home)> = Vec::new();
        for &d in &domains {
            let node = tree.node(d);
            let rules = DomainRules::for_domain(node.domain());
            let mut taken: Vec<&str> = Vec::new();
            for &(dir, category) in rules.folders() {
                // A folder inside one taken before never gets its rule (the first rule wins).
                if taken.iter().any(|t| is_under(dir, t)) {
                    continue;
                }
                taken.push(dir);
                if let Some(id) = tree.find(node.domain(), dir) {
                    if id != d && tree.node(id).kind().is_container() {
                        claims.push((id, category));
                    }
                }
            }
            let home = match rules.otherwise() {
                Category::Apps => match domain_apps.get(node.domain_index()).copied().flatten() {
                    Some(app) => Home::App(app as usize),
                    None => Home::Group(GroupKind::System),
                },
                Category::System => Home::Group(GroupKind::System),
                c => Home::Group(GroupKind::Category(c)),
            };
            homes.push((d, home));
        }
        let mut groups = Groups {
            claimed: claims.iter().map(|c| c.0).collect(),
            ..Groups::default()
        };
        groups.adjust(tree);
        let mut by_kind: AHashMap<GroupKind, usize> = AHashMap::default();
        let mut app_rows: Vec<Option<AppRow>> = vec![None; bundles.len()];
        let members = claims
            .iter()
            .map(|&(id, c)| (id, Home::Group(GroupKind::Category(c))))
            .chain(homes);
        for (id, home) in members {
            if groups.emptied(id) {
                continue;
            }
            let totals = groups.totals(tree, id);
            match home {
                Home::Group(kind) => {
                    let g = *by_kind.entry(kind).or_insert_with(|| {
                        groups.groups.push(Group {
                            kind,
                            members: Vec::new(),
                            apps: Vec::new(),
                            totals: Totals::default(),
                        });
                        groups.groups.len() - 1
                    });
                    groups.groups[g].members.push(id);
                    groups.groups[g].totals.add(totals);
                }
                Home::App(a) => {
                    let row = app_rows[a].get_or_insert_with(|| AppRow {
                        bundle: bundles[a].clone(),
                        name: crate::library::app_names::display_name(&bundles[a], apps),
                        domains: Vec::new(),
                        totals: Totals::default(),
                    });
                    row.domains.push(id);
                    row.totals.add(totals);
                }
            }
        }
        let mut app_rows: Vec<AppRow> = app_rows.into_iter().flatten().collect();
        if !app_rows.is_empty() {
            app_rows.sort_by(|a, b| name_order(&a.name, &b.name));
            let mut totals = Totals::default();
            for row in &app_rows {
                totals.add(row.totals);
            }
            groups.groups.push(Group {
                kind: GroupKind::Apps,
                members: Vec::new(),
                apps: app_rows,
                totals,
            });
        }
        // Categories in the table's order, then Apps, then System.
        groups.groups.sort_by_key(|g| match g.kind {
            GroupKind::Category(c) => (0, c as usize),
            GroupKind::Apps => (1, 0),
            GroupKind::System => (2, 0),
        });
        for (g, group) in groups.groups.iter_mut().enumerate() {
            group
                .members
                .sort_by(|&a, &b| name_order(tree.node(a).full_path(), tree.node(b).full_path()));
            for &m in &group.members {
                groups.owner.insert(m, (g, None));
            }
            for (a, app) in group.apps.iter().enumerate() {
                for &d in &app.domains {
                    groups.owner.insert(d, (g, Some(a)));
                }
            }
        }
        groups
    }

    /// Totals of the nodes that have claimed folders below them, without those folders.
    fn adjust(&mut self, tree: &Tree) {
        let mut dirty: AHashSet<NodeId> = AHashSet::default();
        for &c in &self.claimed {
            let mut up = tree.node(c).parent();
            while let Some(p) = up.filter(|&p| p != ROOT) {
                if !dirty.insert(p) {
                    break;
                }
                up = tree.node(p).parent();
            }
        }
        // Deepest first, so a node's dirty children are done before it.
        let mut order: Vec<NodeId> = dirty.iter().copied().collect();
        order.sort_by_key(|&id| std::cmp::Reverse(depth(tree, id)));
        for id in order {
            let mut totals = Totals {
                newest: tree.node(id).mtime(),
                ..Totals::default()
            };
            for &c in tree.children_by_name(id) {
                if !self.claimed.contains(&c) {
                    totals.add(self.totals(tree, c));
                }
            }
            self.adjusted.insert(id, totals);
        }
    }

    /// True for a folder left with no file once the claimed folders below it are taken out:
    /// an empty shell, not listed.
    fn emptied(&self, id: NodeId) -> bool {
        self.adjusted.get(&id).is_some_and(|t| t.files == 0)
    }

    /// The groups, in display order (categories, Apps, System); empty ones are left out.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// True when `id` is a folder a category takes from its domain.
    pub fn is_claimed(&self, id: NodeId) -> bool {
        self.claimed.contains(&id)
    }

    /// What is below node `id`, claimed folders below it left out.
    pub fn totals(&self, tree: &Tree, id: NodeId) -> Totals {
        self.adjusted
            .get(&id)
            .copied()
            .unwrap_or_else(|| Totals::of_node(tree, id))
    }

    /// What is below a row.
    pub fn row_totals(&self, tree: &Tree, row: Row) -> Totals {
        match row {
            Row::Group(g) => self.groups.get(g).map(|g| g.totals).unwrap_or_default(),
            Row::App(g, a) => self.app(g, a).map(|a| a.totals).unwrap_or_default(),
            Row::Node(id) => self.totals(tree, id),
        }
    }

    fn app(&self, g: usize, a: usize) -> Option<&AppRow> {
        self.groups.get(g)?.apps.get(a)
    }

    /// The label of a row: a group's or app's name, a member's `domain/path` in a group's
    /// list, a node's name elsewhere.
    pub fn row_label<'a>(&'a self, tree: &'a Tree, row: Row, place: Place) -> &'a str {
        match row {
            Row::Group(g) => self.groups.get(g).map_or("", |g| g.kind.label()),
            Row::App(g, a) => self.app(g, a).map_or("", |a| a.name.as_str()),
            Row::Node(id) => match place {
                Place::Group(_) | Place::App(..) => tree.node(id).full_path(),
                _ => tree.node(id).name(),
            },
        }
    }

    /// The label of a place, for breadcrumbs (empty for the top).
    pub fn place_label<'a>(&'a self, tree: &'a Tree, place: Place) -> &'a str {
        match place {
            Place::Top => "",
            Place::Group(g) => self.row_label(tree, Row::Group(g), place),
            Place::App(g, a) => self.row_label(tree, Row::App(g, a), place),
            Place::Node(id) if self.owner.contains_key(&id) => tree.node(id).full_path(),
            Place::Node(id) => tree.node(id).name(),
        }
    }

    /// The rows of `place`, ordered by `sort` (at the top, categories are sorted among
    /// themselves; Apps and System stay last).
    pub fn rows(&self, tree: &Tree, place: Place, sort: Sort) -> Vec<Row> {
        let mut rows: Vec<Row> = match place {
            Place::Top => (0..self.groups.len()).map(Row::Group).collect(),
            Place::Group(g) => match self.groups.get(g) {
                Some(group) if group.kind == GroupKind::Apps => {
                    (0..group.apps.len()).map(|a| Row::App(g, a)).collect()
                }
                Some(group) => group.members.iter().map(|&m| Row::Node(m)).collect(),
                None => Vec::new(),
            },
            Place::App(g, a) => self
                .app(g, a)
                .map(|app| app.domains.iter().map(|&d| Row::Node(d)).collect())
                .unwrap_or_default(),
            Place::Node(id) => tree
                .children_by_name(id)
                .iter()
                .filter(|&&c| !self.claimed.contains(&c) && !self.emptied(c))
                .map(|&c| Row::Node(c))
                .collect(),
        };
        let fixed = |row: &Row| match row {
            Row::Group(g) => !matches!(self.groups[*g].kind, GroupKind::Category(_)),
            _ => false,
        };
        let sortable = rows.iter().take_while(|r| !fixed(r)).count();
        let head = &mut rows[..sortable];
        head.sort_by(|&a, &b| {
            let name = || {
                name_order(
                    self.row_label(tree, a, place),
                    self.row_label(tree, b, place),
                )
            };
            let (ta, tb) = (self.row_totals(tree, a), self.row_totals(tree, b));
            match sort {
                Sort::Name => name(),
                Sort::Size => tb.bytes.cmp(&ta.bytes).then_with(name),
                Sort::Date => tb.newest.cmp(&ta.newest).then_with(name),
            }
        });
        rows
    }

    /// Where entering `row` leads: a group's list, an app's domains, a container node's
    /// children; `None` for a file or link.
    pub fn enter(&self, tree: &Tree, row: Row) -> Option<Place> {
        match row {
            Row::Group(g) => Some(Place::Group(g)),
            Row::App(g, a) => Some(Place::App(g, a)),
            Row::Node(id) => tree
                .node(id)
                .kind()
                .is_container()
                .then_some(Place::Node(id)),
        }
    }

    /// The places from the top down to the folder holding `id` (the node itself last when it
    /// is a container and `into`), through its group and app: where a search result is.
    pub fn path_to(&self, tree: &Tree, id: NodeId, into: bool) -> Vec<Place> {
        let mut chain = Vec::new();
        let mut at = Some(id);
        while let Some(n) = at.filter(|&n| n != ROOT) {
            chain.push(n);
            at = tree.node(n).parent();
        }
        chain.reverse();
        // The deepest member on the way: a claimed folder wins over its domain.
        let Some(m) = chain.iter().rposition(|n| self.owner.contains_key(n)) else {
            return vec![Place::Top];
        };
        let (g, app) = self.owner[&chain[m]];
        let mut places = vec![Place::Top, Place::Group(g)];
        if let Some(a) = app {
            places.push(Place::App(g, a));
        }
        let last = if into && tree.node(id).kind().is_container() {
            chain.len()
        } else {
            chain.len() - 1
        };
        places.extend(chain[m..last].iter().map(|&n| Place::Node(n)));
        places
    }

    /// The group and app a member node belongs to.
    pub fn owner(&self, id: NodeId) -> Option<(usize, Option<usize>)> {
        self.owner.get(&id).copied()
    }
}

/// Where a domain's remainder goes.
#[derive(Debug, Clone, Copy)]
enum Home {
    Group(GroupKind),
    App(usize),
}

/// True when folder `dir` is `top` or lies below it.
fn is_under(dir: &str, top: &str) -> bool {
    dir.strip_prefix(top)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn depth(tree: &Tree, id: NodeId) -> usize {
    let mut d = 0;
    let mut up = tree.node(id).parent();
    while let Some(p) = up {
        d += 1;
        up = tree.node(p).parent();
    }
    d
}

/// True for rows that can be entered without looking at the tree (groups, apps) or that are
/// containers.
pub fn is_container(tree: &Tree, row: Row) -> bool {
    match row {
        Row::Group(_) | Row::App(..) => true,
        Row::Node(id) => tree.node(id).kind().is_container(),
    }
}

/// True for a node that is a file.
pub fn is_file(tree: &Tree, row: Row) -> bool {
    matches!(row, Row::Node(id) if tree.node(id).kind() == NodeKind::File)
}

#[cfg(test)]
#[path = "groups_tests.rs"]
mod tests;
