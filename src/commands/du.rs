//! `backtop du`.
