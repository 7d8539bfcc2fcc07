//! `backtop list`.
