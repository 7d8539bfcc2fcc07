//! `backtop rm`.
