//! `backtop prune`.
