//! `backtop demo`.
