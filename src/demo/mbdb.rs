//! `Manifest.mbdb` writer (iOS 9 and earlier; docs/FORMAT.md §4b): the header `mbdb\x05\x00`
//! then one big-endian record per row. Strings are a u16 length and bytes; `0xFFFF` = absent.

use super::entries::Entry;
use super::rng::Rng;

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

/// The whole `Manifest.mbdb` for `entries`; encrypted backups carry a random key per file.
pub fn mbdb_bytes(entries: &[Entry], encrypted: bool, seed: &str) -> Vec<u8> {
    let mut rng = Rng::from_str_seed(seed, 0xb0);
    let mut out = MAGIC.to_vec();
    for e in entries {
        let key = (encrypted && !e.is_dir()).then(|| {
            let mut k = u32::from(e.protection).to_le_bytes().to_vec();
            k.extend(rng.bytes(40));
            k
        });
        record(&mut out, e, key.as_deref());
    }
    out
}
