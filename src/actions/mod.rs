//! Actions on versions: open/reveal, verify, delete (guards, trash or permanent, crash-safe) and prune.
