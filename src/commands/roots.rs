//! `backtop roots`.
