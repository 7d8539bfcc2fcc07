//! [`NodeRef`]: one node of a [`Tree`] and the accessors of its fields.

use super::{
    Node, NodeId, NodeKind, Presence, Tree, ABSOLUTE, HAS_ID, HAS_MTIME, HAS_PROTECTION, LISTED,
    NO_TIME, ROOT,
};

/// One node of a [`Tree`], with its fields.
#[derive(Debug, Clone, Copy)]
pub struct NodeRef<'a> {
    pub(super) tree: &'a Tree,
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

    /// Its creation time from the manifest (Unix seconds; Manifest.db only).
    pub fn birth(&self) -> Option<i64> {
        let n = self.raw().birth;
        (n != NO_TIME).then_some(n)
    }

    /// Its data protection class from the manifest, when it gives one other than 0 (see
    /// [`protection_class_name`](crate::library::manifest::protection_class_name)).
    pub fn protection_class(&self) -> Option<u8> {
        let n = self.raw();
        (n.flags & HAS_PROTECTION != 0).then_some(n.protection)
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
