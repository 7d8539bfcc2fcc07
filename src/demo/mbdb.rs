//! `Manifest.mbdb` writer (iOS 9 and earlier; docs/FORMAT.md §4b): the header `mbdb\x05\x00`
//! then one big-endian record per row. Strings are a u16 length and bytes; `0xFFFF` = absent.

use super::crypto::DemoKeys;
use super::entries::Entry;

/// The six header bytes.
pub const MAGIC: &[u8; 6] = b"mbdb\x05\x00";

fn string(out: &mut Vec<u8>, s: Option<&[u8]>) {
    match s {
        Some(b) => {
            out.extend_from_slice(&(b.len().min(0xfffe) as u16).to_be_bytes());
            out.extend_from_slice(&b[..b.len().min(0xfffe)]);
        }
        None => out.extend_from_slice(&0xffffu16.to_be_bytes()),
    }
}

/// Appends one record: domain, path, link target (absent), data hash (absent), encryption key
/// (44 bytes when `key` is given), mode, inode, uid, gid, mtime, atime, ctime, size, protection
/// class, and no properties.
pub fn record(out: &mut Vec<u8>, e: &Entry, key: Option<&[u8]>) {
    string(out, Some(e.domain.as_bytes()));
    string(out, Some(e.path.as_bytes()));
    string(out, None);
    string(out, None);
    string(out, key);
    out.extend_from_slice(&((e.mode & 0xffff) as u16).to_be_bytes());
    out.extend_from_slice(&e.inode.to_be_bytes());
    out.extend_from_slice(&501u32.to_be_bytes());
    out.extend_from_slice(&501u32.to_be_bytes());
    let t = e.mtime.clamp(0, i64::from(u32::MAX)) as u32;
    for _ in 0..3 {
        out.extend_from_slice(&t.to_be_bytes());
    }
    out.extend_from_slice(&e.size.to_be_bytes());
    out.push(e.protection);
    out.push(0);
}

/// The whole `Manifest.mbdb` for `entries`; encrypted backups carry a real key per file,
/// wrapped for the demo password ([`super::DEMO_PASSWORD`]) of the device `seed`.
pub fn mbdb_bytes(entries: &[Entry], encrypted: bool, seed: &str) -> Vec<u8> {
    let keys = encrypted
        .then(|| DemoKeys::new(seed, super::DEMO_PASSWORD, super::Scheme::NoManifestKey).ok())
        .flatten();
    mbdb_bytes_with(entries, keys.as_ref())
}

/// [`mbdb_bytes`] with the keys of an encrypted backup (`None`: not encrypted).
pub fn mbdb_bytes_with(entries: &[Entry], keys: Option<&DemoKeys>) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for e in entries {
        let key = keys
            .filter(|_| !e.is_dir())
            .map(|k| k.encryption_key(&e.file_id, e.protection));
        record(&mut out, e, key.as_deref());
    }
    out
}
