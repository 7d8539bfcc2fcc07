//! Product types (iPhone15,2) → marketing names (iPhone 14 Pro).
