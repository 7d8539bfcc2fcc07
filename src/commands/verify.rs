//! `backtop verify`.
