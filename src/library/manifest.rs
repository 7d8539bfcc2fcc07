//! Manifest.db (iOS 10+): fileID → domain, relativePath via rusqlite; MBFile blobs decoded only on demand.
