//! The demo library and fixture builder: realistic backups with real plists, a real Manifest.db, hard-linked iMazing snapshots, sparse files.
