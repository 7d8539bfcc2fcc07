//! The content hash of a file, computed while it is copied and again when the copy is read
//! back, reading only the parts of the file that hold data (`SEEK_DATA`/`SEEK_HOLE`).
//!
//! The file is seen as [`BLOCK`]-sized blocks at fixed offsets (the last one may be shorter).
//! Each maximal run of blocks that are all zeros (holes, or data that happens to be zeros)
//! feeds SHA-1 the byte `Z` and the run's length in bytes; each other block feeds `D` and its
//! bytes; the file's length ends the stream. So the digest depends only on the bytes, never on
//! where the file system keeps holes: the source's sparse files and their copies (which keep
//! holes where the source has zeros) hash alike, and a 58 GB sparse demo file with a few
//! kilobytes of data costs those kilobytes, not a read (or a hash) of 58 GB of zeros.
//!
//! (Earlier builds cut files into 1 MiB pieces instead; a move journal of theirs resumed now
//! is found not to match in the verify pass and copied again.)

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, Ordering};

use sha1::{Digest as _, Sha1};

/// The most a file is read (and copied) in at once.
pub const CHUNK: u64 = 1 << 20;

/// The unit of the digest's zero runs, and of the holes a copy keeps.
pub const BLOCK: usize = 4096;

/// A block of zeros to compare blocks with (a slice comparison: `memcmp`, fast in every build).
static ZEROS: [u8; BLOCK] = [0; BLOCK];

/// Hashes `file` (of `len` bytes); `sink` gets each run of blocks that are not all zeros with
/// its offset (the copy writes it, one write a run; the verify pass ignores it) and `done` the
/// bytes passed (holes included). Returns the hex digest, or `ErrorKind::Interrupted` when
/// `cancel` was raised. Only a file that may have holes (`sparse`, see [`may_have_holes`]) is
/// asked where its data is: the others are read whole, two system calls fewer per file.
pub fn hash_file(
    file: &File,
    len: u64,
    sparse: bool,
    cancel: &AtomicBool,
    sink: &mut dyn FnMut(u64, &[u8]) -> io::Result<()>,
    done: &mut dyn FnMut(u64),
) -> io::Result<String> {
    let block = BLOCK as u64;
    let mut stream = Stream::default();
    let mut buf = Vec::new();
    let mut pos = 0;
    while pos < len {
        if cancel.load(Ordering::Relaxed) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"));
        }
        // Whole blocks before the next data are zeros: no need to read them.
        let data = if sparse {
            (next_data(file, pos, len).min(len) / block * block).max(pos)
        } else {
            pos
        };
        if data > pos {
            stream.zeros += data - pos;
            done(data - pos);
            pos = data;
        }
        if pos >= len {
            break;
        }
        // Read the blocks up to the one holding the next hole.
        let hole = if sparse {
            next_hole(file, pos, len).min(len)
        } else {
            len
        };
        let end = hole
            .div_ceil(block)
            .saturating_mul(block)
            .max(pos + block)
            .min(len);
        while pos < end {
            if cancel.load(Ordering::Relaxed) {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"));
            }
            let n = (end - pos).min(CHUNK);
            if buf.is_empty() {
                buf = vec![0u8; CHUNK as usize];
            }
            let piece = &mut buf[..n as usize];
            file.read_exact_at(piece, pos)?;
            stream.feed(pos, piece, sink)?;
            done(n);
            pos += n;
        }
    }
    Ok(stream.finish(len))
}

/// The digest's stream: SHA-1 and the length of the run of zeros not yet fed.
#[derive(Default)]
struct Stream {
    hasher: Sha1,
    zeros: u64,
}

impl Stream {
    /// Feeds the blocks of `bytes` (read at `at`, a multiple of [`BLOCK`]); gives `sink` each
    /// run of blocks that are not all zeros.
    fn feed(
        &mut self,
        at: u64,
        bytes: &[u8],
        sink: &mut dyn FnMut(u64, &[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut run: Option<usize> = None;
        for (i, block) in bytes.chunks(BLOCK).enumerate() {
            if block == &ZEROS[..block.len()] {
                if let Some(start) = run.take() {
                    sink(at + start as u64, &bytes[start..i * BLOCK])?;
                }
                self.zeros += block.len() as u64;
            } else {
                self.flush_zeros();
                self.hasher.update(b"D");
                self.hasher.update(block);
                run.get_or_insert(i * BLOCK);
            }
        }
        if let Some(start) = run {
            sink(at + start as u64, &bytes[start..])?;
        }
        Ok(())
    }

    fn flush_zeros(&mut self) {
        if self.zeros > 0 {
            self.hasher.update(b"Z");
            self.hasher.update(self.zeros.to_le_bytes());
            self.zeros = 0;
        }
    }

    fn finish(mut self, len: u64) -> String {
        self.flush_zeros();
        self.hasher.update(len.to_le_bytes());
        hex::encode(self.hasher.finalize())
    }
}

/// True when a file of these metadata may have holes: it takes less room on disk than its
/// length (a compressed file system says so too; then the holes are looked for, no harm).
pub fn may_have_holes(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.blocks().saturating_mul(512) < meta.len()
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
        let sparse = hash_file(
            &f,
            len,
            true,
            &AtomicBool::new(false),
            &mut |_, _| Ok(()),
            &mut |_| {},
        )
        .unwrap();
        // Read whole, without asking where the holes are: the same digest.
        let whole = hash_file(
            &f,
            len,
            false,
            &AtomicBool::new(false),
            &mut |_, _| Ok(()),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(sparse, whole);
        sparse
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
    fn the_sink_gets_each_run_of_data_blocks_once() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("f");
        let mut bytes = vec![0u8; 6 * BLOCK + 100];
        bytes[10] = 1; // block 0
        bytes[BLOCK + 3] = 2; // block 1
        bytes[4 * BLOCK + 7] = 3; // block 4; blocks 2, 3 and 5 are zeros
        bytes[6 * BLOCK + 99] = 4; // the short last block
        std::fs::write(&path, &bytes).unwrap();
        let f = File::open(&path).unwrap();
        let mut got = Vec::new();
        hash_file(
            &f,
            bytes.len() as u64,
            false,
            &AtomicBool::new(false),
            &mut |at, b| {
                got.push((at, b.len()));
                Ok(())
            },
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                (0, 2 * BLOCK),
                (4 * BLOCK as u64, BLOCK),
                (6 * BLOCK as u64, 100)
            ]
        );
    }

    #[test]
    fn the_sink_gets_only_blocks_with_data() {
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
            true,
            &AtomicBool::new(false),
            &mut |at, b| {
                got.push((at, b.len() as u64));
                Ok(())
            },
            &mut |n| passed += n,
        )
        .unwrap();
        assert_eq!(got, vec![(CHUNK, BLOCK as u64)]);
        assert_eq!(passed, 4 * CHUNK);
    }
}
