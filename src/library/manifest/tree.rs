//! The listing and search index of one version: every manifest entry as a node of a tree
//! (root → domains → folders → files), with the bytes, file count, missing count and newest
//! mtime below each node, children sorted by name, and a case-insensitive substring search
//! over the paths. Pure: built from [`Entry`] values (and, optionally, the set of contents
//! present on disk); no I/O of its own beyond [`Tree::load`].
//!
//! How it is laid out, for a 300k-entry version in well under 100 MiB:
//! - Nodes are one `Vec` of small fixed-size records (~96 bytes); a node's parent always has a
//!   smaller id (parents are created first, folders a manifest lists late are found again by
//!   path), so the totals are one backward pass.
//! - Paths live in one arena, `domain/relative path` per node in depth-first, by-name order, each
//!   followed by a NUL; a node's name is the tail of its path. Children are ranges of one id
//!   array (sorted by name once; by size or date on demand).
//! - The search runs [`memchr::memmem`] over an ASCII-lowercased copy of the arena and maps
//!   each hit back to its node by binary search, so results come out in path order ([`search`]).
//!
//! Folders the manifest does not list but that its paths imply are made up ("implicit") so
//! every entry has a parent. Empty path components and a leading `/` are ignored for placing a
//! node (the export refuses such paths: see `actions::export`).

pub mod search;

use ahash::{AHashMap, AHashSet};

use super::entry::{Entry, Kind};
use super::{Fields, Manifest};
use crate::library::error::Result;

/// Index of a node in a [`Tree`].
pub type NodeId = u32;

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// The version itself (the parent of the domains).
    Root,
    /// A domain, e.g. `HomeDomain`.
    Domain,
    /// A folder (listed by the manifest or implied by its paths).
    Dir,
    /// A regular file.
    File,
    /// A symbolic link.
    Symlink,
    /// Anything else the manifest lists.
    Other,
}

impl NodeKind {
    /// `dir`, `file`, `symlink`, `other` (`dir` for the root and domains too), as JSON names kinds.
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Root | NodeKind::Domain | NodeKind::Dir => "dir",
            NodeKind::File => "file",
            NodeKind::Symlink => "symlink",
            NodeKind::Other => "other",
        }
    }

    /// True for nodes that hold others: the root, domains, folders.
    pub fn is_container(self) -> bool {
        matches!(self, NodeKind::Root | NodeKind::Domain | NodeKind::Dir)
    }
}

/// Whether a file's contents are on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// The contents file is there.
    Present,
    /// Listed by the manifest, but no contents file.
    Missing,
    /// Not looked at (no presence set given), or not a file.
    Unknown,
}

/// How to order the children of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Biggest first (bytes below), then by name.
    #[default]
    Size,
    /// By name, case-insensitively (ASCII), then by bytes.
    Name,
    /// Newest first (newest mtime below), then by name.
    Date,
}

const HAS_ID: u8 = 1;
const LISTED: u8 = 2;
const HAS_MTIME: u8 = 4;
/// The manifest's path started with `/` (placed without it; the export refuses it).
const ABSOLUTE: u8 = 8;
const NO_TIME: i64 = i64::MIN;

#[derive(Debug, Clone)]
struct Node {
    path: u32,
    path_len: u32,
    name_at: u32,
    parent: NodeId,
    first_child: u32,
    child_count: u32,
    domain: u32,
    kind: NodeKind,
    presence: Presence,
    flags: u8,
    mode: u16,
    size: u64,
    mtime: i64,
    bytes: u64,
    files: u32,
    missing: u32,
    newest: i64,
    file_id: [u8; 20],
}

impl Node {
    fn new(kind: NodeKind, parent: NodeId, domain: u32) -> Node {
        Node {
            path: 0,
            path_len: 0,
            name_at: 0,
            parent,
            first_child: 0,
            child_count: 0,
            domain,
            kind,
            presence: Presence::Unknown,
            flags: 0,
            mode: 0,
            size: 0,
            mtime: NO_TIME,
            bytes: 0,
            files: 0,
            missing: 0,
            newest: NO_TIME,
            file_id: [0; 20],
        }
    }
}

/// The listing and search index of one version.
#[derive(Debug, Default)]
pub struct Tree {
    nodes: Vec<Node>,
    /// `domain/path` of every node, NUL after each, in depth-first by-name order.
    arena: String,
    /// The arena, ASCII-lowercased (same offsets).
    lower: Vec<u8>,
    /// Node ids in depth-first order, and where each one's path starts in the arena.
    dfs: Vec<NodeId>,
    dfs_starts: Vec<u32>,
    children: Vec<NodeId>,
    domains: Vec<String>,
    truncated_at: Option<u64>,
}

/// The root's id.
pub const ROOT: NodeId = 0;

impl Tree {
    /// Reads every entry of `manifest` (metadata included) into a tree; `present` is the set
    /// of fileIDs whose contents are on disk (see [`super::content::present_ids`]), `None` to
    /// leave presence unknown.
    pub fn load(manifest: &Manifest, present: Option<&AHashSet<[u8; 20]>>) -> Result<Tree> {
        let builder = Self::read(manifest)?;
        Ok(builder.finish(present))
    }

    /// [`Tree::load`] with the presence set computed by `present` on a second thread while
    /// the manifest is read (listing the contents folders and reading the rows take about as
    /// long as each other on a big version).
    pub fn load_beside(
        manifest: &Manifest,
        present: impl FnOnce() -> AHashSet<[u8; 20]> + Send,
    ) -> Result<Tree> {
        std::thread::scope(|scope| {
            let lister = scope.spawn(present);
            let builder = Self::read(manifest);
            let present = lister
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok(builder?.finish(Some(&present)))
        })
    }

    fn read(manifest: &Manifest) -> Result<TreeBuilder> {
        let hint = usize::try_from(manifest.len_hint()).unwrap_or(0);
        let mut builder = TreeBuilder::with_capacity(hint.min(20_000_000));
        let pass = manifest.for_each(Fields::All, |entry| {
            builder.add(entry);
            Ok(())
        })?;
        builder.tree.truncated_at = pass.truncated_at;
        Ok(builder)
    }

    /// Builds a tree from entries in any order.
    pub fn from_entries<'a>(
        entries: impl IntoIterator<Item = &'a Entry>,
        present: Option<&AHashSet<[u8; 20]>>,
    ) -> Tree {
        let mut builder = TreeBuilder::with_capacity(0);
        for entry in entries {
            builder.add(entry);
        }
        builder.finish(present)
    }

    /// Nodes in the tree, the root included.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the manifest listed nothing (only the root).
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// For Manifest.mbdb: where a truncated record cut the manifest short.
    pub fn truncated_at(&self) -> Option<u64> {
        self.truncated_at
    }

    /// The distinct domains, indexed by [`NodeRef::domain_index`].
    pub fn domains(&self) -> &[String] {
        &self.domains
    }

    /// One node.
    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        NodeRef { tree: self, id }
    }

    /// The children of `id`, ordered by `sort`.
    pub fn children(&self, id: NodeId, sort: Sort) -> Vec<NodeId> {
        let mut ids = self.children_by_name(id).to_vec();
        let by = |a: &NodeId, b: &NodeId, key: &dyn Fn(&Node) -> i128| {
            let (na, nb) = (&self.nodes[*a as usize], &self.nodes[*b as usize]);
            key(nb).cmp(&key(na))
        };
        match sort {
            Sort::Name => {}
            // A stable sort keeps names in order among equal keys.
            Sort::Size => ids.sort_by(|a, b| by(a, b, &|n| i128::from(n.bytes))),
            Sort::Date => ids.sort_by(|a, b| by(a, b, &|n| i128::from(n.newest))),
        }
        ids
    }

    /// The children of `id` in name order (no copy).
    pub fn children_by_name(&self, id: NodeId) -> &[NodeId] {
        let n = &self.nodes[id as usize];
        let start = n.first_child as usize;
        &self.children[start..start + n.child_count as usize]
    }

    /// The node at `domain` and `path` (`""` for the domain itself); empty components ignored.
    pub fn find(&self, domain: &str, path: &str) -> Option<NodeId> {
        let mut at = self.child_named(ROOT, domain)?;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            at = self.child_named(at, part)?;
        }
        Some(at)
    }

    /// The node a `DOMAIN` or `DOMAIN/path` prefix names.
    pub fn find_prefix(&self, prefix: &str) -> Option<NodeId> {
        let (domain, path) = prefix.split_once('/').unwrap_or((prefix, ""));
        self.find(domain, path)
    }

    fn child_named(&self, id: NodeId, name: &str) -> Option<NodeId> {
        let kids = self.children_by_name(id);
        kids.binary_search_by(|&k| name_order(self.node(k).name(), name))
            .ok()
            .map(|i| kids[i])
    }

    /// `id` and every node below it, depth first, children by name.
    pub fn walk(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut stack = vec![id];
        std::iter::from_fn(move || {
            let next = stack.pop()?;
            stack.extend(self.children_by_name(next).iter().rev());
            Some(next)
        })
    }

    /// Bytes the index holds on the heap (nodes, arenas, arrays), for the benchmark.
    pub fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.arena.capacity()
            + self.lower.capacity()
            + (self.dfs.capacity() + self.dfs_starts.capacity() + self.children.capacity()) * 4
            + self
                .domains
                .iter()
                .map(|d| d.capacity() + 24)
                .sum::<usize>()
    }
}

/// Name order: ASCII case-insensitive, then by bytes (so the order is total).
pub fn name_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn fold(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes().map(|c| c.to_ascii_lowercase())
    }
    fold(a).cmp(fold(b)).then_with(|| a.cmp(b))
}

/// One node of a [`Tree`], with its fields.
#[derive(Debug, Clone, Copy)]
pub struct NodeRef<'a> {
    tree: &'a Tree,
    /// Its id.
    pub id: NodeId,
}

impl<'a> NodeRef<'a> {
    fn raw(&self) -> &'a Node {
        &self.tree.nodes[self.id as usize]
    }

    fn full(&self) -> &'a str {
        let n = self.raw();
        &self.tree.arena[n.path as usize..(n.path + n.path_len) as usize]
    }

    /// The last component of its path (the domain for a domain node, `""` for the root).
    pub fn name(&self) -> &'a str {
        &self.full()[self.raw().name_at as usize..]
    }

    /// Index of its domain in [`Tree::domains`] (0 for the root).
    pub fn domain_index(&self) -> usize {
        self.raw().domain as usize
    }

    /// True when the manifest gave its path with a leading `/` (placed here without it).
    pub fn absolute(&self) -> bool {
        self.raw().flags & ABSOLUTE != 0
    }

    /// Its domain (`""` for the root).
    pub fn domain(&self) -> &'a str {
        match self.raw().kind {
            NodeKind::Root => "",
            _ => &self.tree.domains[self.raw().domain as usize],
        }
    }

    /// Its path relative to the domain (`""` for a domain and the root).
    pub fn path(&self) -> &'a str {
        match self.raw().kind {
            NodeKind::Root | NodeKind::Domain => "",
            _ => &self.full()[self.domain().len() + 1..],
        }
    }

    /// `domain/path` (`domain` for a domain node).
    pub fn full_path(&self) -> &'a str {
        self.full()
    }

    /// What it is.
    pub fn kind(&self) -> NodeKind {
        self.raw().kind
    }

    /// Its parent (`None` for the root).
    pub fn parent(&self) -> Option<NodeId> {
        (self.id != ROOT).then_some(self.raw().parent)
    }

    /// The manifest's size of a file (0 for others).
    pub fn size(&self) -> u64 {
        self.raw().size
    }

    /// Bytes of the files at or below it.
    pub fn bytes(&self) -> u64 {
        self.raw().bytes
    }

    /// Files at or below it.
    pub fn files(&self) -> u64 {
        u64::from(self.raw().files)
    }

    /// Files at or below it listed but missing on disk.
    pub fn missing(&self) -> u64 {
        u64::from(self.raw().missing)
    }

    /// Its own mtime from the manifest (Unix seconds).
    pub fn mtime(&self) -> Option<i64> {
        let n = self.raw();
        (n.flags & HAS_MTIME != 0).then_some(n.mtime)
    }

    /// The newest mtime at or below it.
    pub fn newest(&self) -> Option<i64> {
        let n = self.raw().newest;
        (n != NO_TIME).then_some(n)
    }

    /// Unix permission bits and type, as the manifest gives them (0 when unknown).
    pub fn mode(&self) -> u32 {
        u32::from(self.raw().mode)
    }

    /// Its fileID, when the manifest lists it with one.
    pub fn file_id(&self) -> Option<[u8; 20]> {
        let n = self.raw();
        (n.flags & HAS_ID != 0).then_some(n.file_id)
    }

    /// False for folders only implied by the paths below them.
    pub fn listed(&self) -> bool {
        self.raw().flags & LISTED != 0
    }

    /// Whether a file's contents are on disk.
    pub fn presence(&self) -> Presence {
        self.raw().presence
    }
}

/// Fills a [`Tree`] entry by entry.
struct TreeBuilder {
    tree: Tree,
    /// Arena of the build (insertion order); the finished tree's arena is rebuilt in DFS order.
    domain_ids: AHashMap<String, u32>,
    domain_nodes: Vec<NodeId>,
    /// `domain/path` of every node that is not a file → its id.
    dirs: AHashMap<Box<str>, NodeId>,
    scratch: String,
}

impl TreeBuilder {
    fn with_capacity(entries: usize) -> Self {
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

    fn add(&mut self, entry: &Entry) {
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
        }
    }

    /// The tree, with the presence of each file from `present` (unknown without it).
    fn finish(mut self, present: Option<&AHashSet<[u8; 20]>>) -> Tree {
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

#[cfg(test)]
mod tests;
