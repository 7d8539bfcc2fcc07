//! The content hash of a file, computed while it is copied and again when the copy is read
//! back, walking only the parts of the file that hold data (`SEEK_DATA`/`SEEK_HOLE`).
//!
//! The file is cut into [`CHUNK`]-sized pieces at fixed offsets. A piece that is all zeros (a
//! hole, or data that happens to be zeros) feeds SHA-1 the byte `Z` and its length; any other
//! piece feeds `D` and its bytes; the file's length ends the stream. So the digest depends
//! only on the bytes, never on where the file system keeps holes: the source's sparse files
//! and their copies (which keep holes where the source has zeros) hash alike, and a 58 GB
//! sparse demo file is hashed without reading 58 GB of zeros.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, Ordering};

use sha1::{Digest as _, Sha1};

/// The size of the pieces a file is hashed (and copied) in.
pub const CHUNK: u64 = 1 << 20;

/// Hashes `file` (of `len` bytes) piece by piece; `sink` gets each piece that is not all
/// zeros with its offset (the copy writes it; the verify pass ignores it) and `done` the
/// bytes of each piece passed (holes included). Returns the hex digest, or
/// `ErrorKind::Interrupted` when `cancel` was raised.
pub fn hash_file(
    file: &File,
    len: u64,
    cancel: &AtomicBool,
    sink: &mut dyn FnMut(u64, &[u8]) -> io::Result<()>,
    done: &mut dyn FnMut(u64),
) -> io::Result<String> {
    let mut hasher = Sha1::new();
    let mut buf = Vec::new();
    let mut pos = 0;
    while pos < len {
        if cancel.load(Ordering::Relaxed) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"));
        }
        // Whole pieces before the next data are zeros: no need to read them.
        let data = next_data(file, pos, len).min(len);
        let zeros_end = if data >= len {
            len
        } else {
            (data / CHUNK * CHUNK).max(pos)
        };
        while pos < zeros_end {
            let n = (zeros_end - pos).min(CHUNK);
            zero_piece(&mut hasher, n);
            done(n);
            pos += n;
        }
        if pos >= len {
            break;
        }
        // Read pieces up to the piece holding the next hole.
        let hole = next_hole(file, data, len).min(len);
        let read_end = hole
            .div_ceil(CHUNK)
            .saturating_mul(CHUNK)
            .min(len)
            .max(pos + 1);
        while pos < read_end {
            let n = (read_end - pos).min(CHUNK - pos % CHUNK);
            if buf.is_empty() {
                buf = vec![0u8; CHUNK as usize];
            }
            let piece = &mut buf[..n as usize];
            file.read_exact_at(piece, pos)?;
            if is_zero(piece) {
                zero_piece(&mut hasher, n);
            } else {
                hasher.update(b"D");
                hasher.update(&*piece);
                sink(pos, piece)?;
            }
            done(n);
            pos += n;
        }
    }
    hasher.update(len.to_le_bytes());
    Ok(hex::encode(hasher.finalize()))
}

fn zero_piece(hasher: &mut Sha1, n: u64) {
    hasher.update(b"Z");
    hasher.update(n.to_le_bytes());
}

/// True when every byte is zero (checked 4 KiB at a time, so random data stops early).
fn is_zero(bytes: &[u8]) -> bool {
    bytes
        .chunks(4096)
        .all(|c| c.iter().fold(0u8, |acc, b| acc | b) == 0)
}

/// Where the next data at or after `pos` starts (`len` when only a hole follows; `pos` when
/// the system cannot tell).
fn next_data(file: &File, pos: u64, len: u64) -> u64 {
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    {
        use rustix::fs::{seek, SeekFrom};
        match seek(file, SeekFrom::Data(pos)) {
            Ok(at) => at,
            Err(rustix::io::Errno::NXIO) => len,
            Err(_) => pos,
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
    {
        let _ = (file, len);
        pos
    }
}

/// Where the next hole at or after `pos` starts (`len` when the system cannot tell).
fn next_hole(file: &File, pos: u64, len: u64) -> u64 {
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    {
        use rustix::fs::{seek, SeekFrom};
        seek(file, SeekFrom::Hole(pos)).unwrap_or(len)
    }
    #[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
    {
        let _ = (file, pos);
        len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(path: &std::path::Path) -> String {
        let f = File::open(path).unwrap();
        let len = f.metadata().unwrap().len();
        hash_file(
            &f,
            len,
            &AtomicBool::new(false),
            &mut |_, _| Ok(()),
            &mut |_| {},
        )
        .unwrap()
    }

    #[test]
    fn holes_and_written_zeros_hash_alike_and_data_differs() {
        let tmp = tempfile::tempdir().unwrap();
        let sparse = tmp.path().join("sparse");
        let dense = tmp.path().join("dense");
        let other = tmp.path().join("other");
        let len = 3 * CHUNK + 123;
        File::create(&sparse).unwrap().set_len(len).unwrap();
        std::fs::write(&dense, vec![0u8; len as usize]).unwrap();
        let mut bytes = vec![0u8; len as usize];
        bytes[(2 * CHUNK + 5) as usize] = 1;
        std::fs::write(&other, &bytes).unwrap();
        assert_eq!(digest(&sparse), digest(&dense));
        assert_ne!(digest(&sparse), digest(&other));
        // A sparse file with data in its middle hashes like the same bytes written densely.
        let mixed = tmp.path().join("mixed");
        let f = File::create(&mixed).unwrap();
        f.set_len(len).unwrap();
        f.write_all_at(&[1], 2 * CHUNK + 5).unwrap();
        assert_eq!(digest(&mixed), digest(&other));
        // The length counts: a shorter run of zeros is another file.
        File::create(&dense).unwrap().set_len(len - 1).unwrap();
        assert_ne!(digest(&sparse), digest(&dense));
    }

    #[test]
    fn the_sink_gets_only_pieces_with_data() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("f");
        let f = File::create(&path).unwrap();
        f.set_len(4 * CHUNK).unwrap();
        f.write_all_at(b"abc", CHUNK + 10).unwrap();
        let f = File::open(&path).unwrap();
        let mut got = Vec::new();
        let mut passed = 0;
        hash_file(
            &f,
            4 * CHUNK,
            &AtomicBool::new(false),
            &mut |at, b| {
                got.push((at, b.len() as u64));
                Ok(())
            },
            &mut |n| passed += n,
        )
        .unwrap();
        assert_eq!(got, vec![(CHUNK, CHUNK)]);
        assert_eq!(passed, 4 * CHUNK);
    }
}
