//! verify placeholder
