//! Building a [`Tree`]: nodes added entry by entry ([`TreeBuilder`]), then totals, children
//! ranges sorted by name, and the arena rewritten in depth-first order.

use ahash::{AHashMap, AHashSet};

use super::{
    name_order, Node, NodeId, NodeKind, Presence, Tree, ABSOLUTE, HAS_ID, HAS_MTIME,
    HAS_PROTECTION, LISTED, NO_TIME, ROOT,
};
use crate::library::manifest::entry::{Entry, Kind};

/// Fills a [`Tree`] entry by entry.
pub(super) struct TreeBuilder {
    pub(super) tree: Tree,
    /// Arena of the build (insertion order); the finished tree's arena is rebuilt in DFS order.
    domain_ids: AHashMap<String, u32>,
    domain_nodes: Vec<NodeId>,
    /// `domain/path` of every node that is not a file → its id.
    dirs: AHashMap<Box<str>, NodeId>,
    scratch: String,
}

impl TreeBuilder {
    pub(super) fn with_capacity(entries: usize) -> Self {
        let mut tree = Tree::default();
        tree.nodes.reserve(entries + 1);
        tree.arena.reserve(entries * 48);
        tree.nodes.push(Node::new(NodeKind::Root, ROOT, 0));
        TreeBuilder {
            tree,
            domain_ids: AHashMap::default(),
            domain_nodes: Vec::new(),
            dirs: AHashMap::default(),
            scratch: String::new(),
        }
    }

    fn domain_node(&mut self, domain: &str) -> (u32, NodeId) {
        if let Some(&d) = self.domain_ids.get(domain) {
            return (d, self.domain_nodes[d as usize]);
        }
        let d = self.tree.domains.len() as u32;
        self.tree.domains.push(domain.to_string());
        self.domain_ids.insert(domain.to_string(), d);
        let id = self.push(NodeKind::Domain, ROOT, d, domain, 0);
        self.domain_nodes.push(id);
        (d, id)
    }

    /// Adds a node whose full path is `full` (name from `name_at`).
    fn push(
        &mut self,
        kind: NodeKind,
        parent: NodeId,
        domain: u32,
        full: &str,
        name_at: usize,
    ) -> NodeId {
        let id = self.tree.nodes.len() as NodeId;
        let mut node = Node::new(kind, parent, domain);
        node.path = self.tree.arena.len() as u32;
        node.path_len = full.len() as u32;
        node.name_at = name_at as u32;
        self.tree.arena.push_str(full);
        self.tree.nodes.push(node);
        // Anything but a file may have entries below it (a link listed with files below it
        // must stay their parent, so the export can refuse them).
        if !matches!(kind, NodeKind::File | NodeKind::Domain | NodeKind::Root) {
            self.dirs.insert(full.into(), id);
        }
        id
    }

    /// The container at `full` (`domain/a/b`), made up with its ancestors when not there yet.
    fn container(&mut self, domain: u32, domain_node: NodeId, full: &str) -> NodeId {
        let prefix = self.tree.domains[domain as usize].len();
        if full.len() <= prefix {
            return domain_node;
        }
        if let Some(&id) = self.dirs.get(full) {
            return id;
        }
        let cut = full.rfind('/').unwrap_or(prefix).max(prefix);
        let parent = self.container(domain, domain_node, &full[..cut]);
        self.push(NodeKind::Dir, parent, domain, full, cut + 1)
    }

    pub(super) fn add(&mut self, entry: &Entry) {
        let (domain, domain_node) = self.domain_node(&entry.domain);
        // domain + "/" + the path's non-empty components.
        let mut full = std::mem::take(&mut self.scratch);
        full.clear();
        full.push_str(&entry.domain);
        for part in entry.path.split('/').filter(|p| !p.is_empty()) {
            full.push('/');
            full.push_str(part);
        }
        let kind = match entry.kind {
            Kind::File => NodeKind::File,
            Kind::Dir => NodeKind::Dir,
            Kind::Symlink { .. } => NodeKind::Symlink,
            Kind::Other => NodeKind::Other,
        };
        let id = if full.len() == entry.domain.len() {
            domain_node
        } else if let Some(&id) = self.dirs.get(full.as_str()) {
            // A folder made up earlier for a child: it is listed after all.
            id
        } else {
            let cut = full.rfind('/').unwrap_or(0);
            let parent = self.container(domain, domain_node, &full[..cut]);
            self.push(kind, parent, domain, &full, cut + 1)
        };
        self.fill(id, kind, entry);
        self.scratch = full;
    }

    fn fill(&mut self, id: NodeId, kind: NodeKind, entry: &Entry) {
        let node = &mut self.tree.nodes[id as usize];
        if node.kind != NodeKind::Domain {
            node.kind = kind;
        }
        node.flags |= LISTED;
        if entry.path.starts_with('/') {
            node.flags |= ABSOLUTE;
        }
        if let Some(fid) = entry.id() {
            node.file_id = fid;
            node.flags |= HAS_ID;
        }
        if let Some(meta) = &entry.meta {
            node.mode = (meta.mode & 0xFFFF) as u16;
            if kind == NodeKind::File {
                node.size = meta.size;
            }
            if let Some(t) = meta.mtime {
                node.mtime = t;
                node.flags |= HAS_MTIME;
            }
            if let Some(t) = meta.birth {
                node.birth = t;
            }
            if let Some(class) = meta
                .protection_class
                .and_then(|c| u8::try_from(c).ok())
                .filter(|&c| c != 0)
            {
                node.protection = class;
                node.flags |= HAS_PROTECTION;
            }
        }
    }

    /// The tree, with the presence of each file from `present` (unknown without it).
    pub(super) fn finish(mut self, present: Option<&AHashSet<[u8; 20]>>) -> Tree {
        let tree = &mut self.tree;
        if let Some(set) = present {
            for node in tree.nodes.iter_mut().filter(|n| n.kind == NodeKind::File) {
                node.presence = if node.flags & HAS_ID != 0 && set.contains(&node.file_id) {
                    Presence::Present
                } else {
                    Presence::Missing
                };
            }
        }
        totals(&mut tree.nodes);
        link_children(tree);
        relayout(tree);
        self.tree
    }
}

/// Bytes, files, missing and newest of every node: one backward pass (parents come first).
fn totals(nodes: &mut [Node]) {
    for n in nodes.iter_mut() {
        if n.kind == NodeKind::File {
            n.bytes = n.size;
            n.files = 1;
            n.missing = u32::from(n.presence == Presence::Missing);
            n.newest = n.mtime;
        }
    }
    for i in (1..nodes.len()).rev() {
        let (bytes, files, missing, newest) = {
            let n = &nodes[i];
            (n.bytes, n.files, n.missing, n.newest)
        };
        if nodes[i].kind.is_container() && newest == NO_TIME {
            nodes[i].newest = nodes[i].mtime;
        }
        let newest = nodes[i].newest;
        let p = &mut nodes[nodes[i].parent as usize];
        p.bytes += bytes;
        p.files += files;
        p.missing += missing;
        p.newest = p.newest.max(newest);
    }
}

/// Children as ranges of one array, each range sorted by name.
fn link_children(tree: &mut Tree) {
    let n = tree.nodes.len();
    let mut counts = vec![0u32; n];
    for node in &tree.nodes[1..] {
        counts[node.parent as usize] += 1;
    }
    let mut start = 0u32;
    for (node, &c) in tree.nodes.iter_mut().zip(&counts) {
        node.first_child = start;
        node.child_count = 0;
        start += c;
    }
    tree.children = vec![0; n.saturating_sub(1)];
    for id in 1..n {
        let p = tree.nodes[id].parent as usize;
        let slot = tree.nodes[p].first_child + tree.nodes[p].child_count;
        tree.children[slot as usize] = id as NodeId;
        tree.nodes[p].child_count += 1;
    }
    let (nodes, arena) = (&tree.nodes, &tree.arena);
    let name = |id: NodeId| {
        let n = &nodes[id as usize];
        &arena[(n.path + n.name_at) as usize..(n.path + n.path_len) as usize]
    };
    for node in nodes {
        let range = node.first_child as usize..(node.first_child + node.child_count) as usize;
        tree.children[range].sort_by(|&a, &b| name_order(name(a), name(b)));
    }
}

/// Rewrites the arena in depth-first by-name order, NUL after each path, and its lowercase copy.
fn relayout(tree: &mut Tree) {
    let old = std::mem::take(&mut tree.arena);
    let mut arena = String::with_capacity(old.len() + tree.nodes.len());
    let mut dfs = Vec::with_capacity(tree.nodes.len());
    let mut starts = Vec::with_capacity(tree.nodes.len());
    let mut stack = vec![ROOT];
    while let Some(id) = stack.pop() {
        let node = &mut tree.nodes[id as usize];
        let path = &old[node.path as usize..(node.path + node.path_len) as usize];
        node.path = arena.len() as u32;
        starts.push(node.path);
        dfs.push(id);
        arena.push_str(path);
        arena.push('\0');
        let range = node.first_child as usize..(node.first_child + node.child_count) as usize;
        stack.extend(tree.children[range].iter().rev());
    }
    tree.lower = arena.as_bytes().to_ascii_lowercase();
    tree.arena = arena;
    tree.dfs = dfs;
    tree.dfs_starts = starts;
}
