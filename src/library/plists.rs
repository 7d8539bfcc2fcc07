//! The three plists of a backup (Info, Manifest, Status), XML or binary, read leniently into typed structs.
