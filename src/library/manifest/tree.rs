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

mod build;
mod node_ref;
pub mod search;

use build::TreeBuilder;
pub use node_ref::NodeRef;

use ahash::AHashSet;

use super::entry::Entry;
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
/// The manifest gave a data protection class.
const HAS_PROTECTION: u8 = 16;
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
    birth: i64,
    protection: u8,
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
            birth: NO_TIME,
            protection: 0,
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

#[cfg(test)]
mod tests;
