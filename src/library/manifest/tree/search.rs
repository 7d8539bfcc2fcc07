//! Case-insensitive substring search over the paths of a [`Tree`].
//!
//! The tree keeps an ASCII-lowercased copy of its path arena (`domain/path`, NUL after each, in
//! depth-first by-name order); a query is lowercased the same way and found with
//! [`memchr::memmem`]. Each hit is mapped to its node by binary search over where each path
//! starts; a hit inside the domain prefix of a node that is not a domain does not count (a
//! query `media` should not find every file of `MediaDomain`), and after a match the scan jumps
//! to the next path, so each node is reported once. Non-ASCII letters match only in the case
//! typed.

use memchr::memmem::Finder;

use super::{NodeId, NodeKind, Tree};

/// What a search found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    /// The first matches (at most the limit asked for), in path order.
    pub ids: Vec<NodeId>,
    /// How many nodes match in all.
    pub total: usize,
}

impl Tree {
    /// Nodes whose relative path (or, for a domain, its name) contains `query`, ignoring ASCII
    /// case; at most `limit` ids, with the total count. An empty query (or one holding a NUL)
    /// finds nothing.
    pub fn search(&self, query: &str, limit: usize) -> Found {
        let mut found = Found::default();
        if query.is_empty() || query.contains('\0') {
            return found;
        }
        let needle = query.as_bytes().to_ascii_lowercase();
        let finder = Finder::new(&needle);
        let hay = self.lower.as_slice();
        let mut pos = 0;
        while let Some(hit) = finder.find(&hay[pos..]) {
            let at = pos + hit;
            // The path holding the hit: the last one starting at or before it.
            let k = self.dfs_starts.partition_point(|&s| s as usize <= at) - 1;
            let id = self.dfs[k];
            let node = self.node(id);
            let start = self.dfs_starts[k] as usize;
            let rel_at = match node.kind() {
                NodeKind::Root | NodeKind::Domain => start,
                _ => start + node.domain().len() + 1,
            };
            if at < rel_at {
                pos = at + 1;
                continue;
            }
            found.total += 1;
            if found.ids.len() < limit {
                found.ids.push(id);
            }
            // Past this path and its NUL.
            pos = start + node.full_path().len() + 1;
            if pos >= hay.len() {
                break;
            }
        }
        found
    }
}
