//! Finding the backup versions inside a root: live folders, archived copies, iMazing snapshots, backups recognised by their contents.
