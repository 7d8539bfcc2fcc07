//! Deletes: guards, crash-safe markers, the remover and the trash (one fixture for all four).

pub(crate) mod fixture;
mod guards;
mod markers;
mod removal;
mod trash;
