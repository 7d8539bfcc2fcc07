//! Manifest.mbdb (iOS 9 and earlier): the flat big-endian record format of backup-format.md §4b.
//!
//! The file is the 6 bytes `mbdb\x05\x00`, then records until the end. [`MbdbReader`] streams
//! records from any [`Read`] (a multi-megabyte file never sits in memory whole); [`parse_mbdb`]
//! collects them from a byte slice. A record cut short by the end of the file ends the list:
//! the records before it are kept and its start offset is reported as `truncated_at`.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use sha1::{Digest, Sha1};

use super::error::{Error, Result};

/// The header every Manifest.mbdb starts with.
pub const MBDB_MAGIC: &[u8; 6] = b"mbdb\x05\x00";

/// File type bits of [`MbdbRecord::mode`].
const MODE_TYPE_MASK: u16 = 0xF000;
/// A regular file.
const MODE_FILE: u16 = 0x8000;

/// One record of Manifest.mbdb.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MbdbRecord {
    /// Domain, e.g. `HomeDomain` (empty when absent).
    pub domain: String,
    /// Path relative to the domain (empty when absent).
    pub path: String,
    /// Symlink target.
    pub link_target: Option<String>,
    /// SHA-1 of the contents (often absent).
    pub data_hash: Option<Vec<u8>>,
    /// Wrapped per-file key of encrypted backups.
    pub encryption_key: Option<Vec<u8>>,
    /// Unix mode: `0x8000` file, `0x4000` directory, `0xA000` symlink.
    pub mode: u16,
    /// Inode number on the device.
    pub inode: u64,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Modification time, Unix seconds.
    pub mtime: u32,
    /// Access time, Unix seconds.
    pub atime: u32,
    /// Change time, Unix seconds.
    pub ctime: u32,
    /// Size of the plain contents.
    pub size: u64,
    /// Data protection class.
    pub protection_class: u8,
    /// Extended properties (name, value).
    pub properties: Vec<(Vec<u8>, Vec<u8>)>,
}

impl MbdbRecord {
    /// The name of the file holding the contents: `sha1(domain + "-" + path)`.
    pub fn file_id(&self) -> [u8; 20] {
        let mut hasher = Sha1::new();
        hasher.update(self.domain.as_bytes());
        hasher.update(b"-");
        hasher.update(self.path.as_bytes());
        hasher.finalize().into()
    }

    /// True for a regular file (`mode & 0xF000 == 0x8000`).
    pub fn is_file(&self) -> bool {
        self.mode & MODE_TYPE_MASK == MODE_FILE
    }
}

/// What [`parse_mbdb`] read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MbdbParse {
    /// The complete records, in file order.
    pub records: Vec<MbdbRecord>,
    /// Byte offset where a record cut short by the end of the file starts, if one is.
    pub truncated_at: Option<usize>,
}

/// Parses a whole Manifest.mbdb held in memory. A wrong header is an error (named
/// `Manifest.mbdb`; [`read_mbdb`] names the real path); a truncated last record is not.
pub fn parse_mbdb(bytes: &[u8]) -> Result<MbdbParse> {
    collect(bytes, Path::new("Manifest.mbdb"))
}

/// Reads and parses the Manifest.mbdb at `path`, streaming through a buffer.
pub fn read_mbdb(path: &Path) -> Result<MbdbParse> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    collect(BufReader::with_capacity(1 << 16, file), path)
}

fn collect<R: Read>(reader: R, path: &Path) -> Result<MbdbParse> {
    let mut reader = MbdbReader::new(reader, path)?;
    let mut records = Vec::new();
    while let Some(record) = reader.next_record()? {
        records.push(record);
    }
    Ok(MbdbParse {
        records,
        truncated_at: reader.truncated_at(),
    })
}

/// Streams the records of a Manifest.mbdb.
#[derive(Debug)]
pub struct MbdbReader<R> {
    reader: R,
    path: std::path::PathBuf,
    offset: usize,
    truncated_at: Option<usize>,
    done: bool,
}

impl<R: Read> MbdbReader<R> {
    /// Checks the header; `path` names the file in errors.
    pub fn new(mut reader: R, path: &Path) -> Result<Self> {
        let mut magic = [0u8; 6];
        match reader.read_exact(&mut magic) {
            Ok(()) if &magic == MBDB_MAGIC => {}
            Ok(()) => {
                return Err(Error::invalid(
                    path,
                    format!(
                        "not a Manifest.mbdb: header is {magic:02x?}, expected \"mbdb\\x05\\x00\""
                    ),
                ))
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                return Err(Error::invalid(
                    path,
                    "not a Manifest.mbdb: shorter than its header",
                ))
            }
            Err(e) => return Err(Error::io(path, e)),
        }
        Ok(MbdbReader {
            reader,
            path: path.to_path_buf(),
            offset: MBDB_MAGIC.len(),
            truncated_at: None,
            done: false,
        })
    }

    /// The next complete record; `None` at the end of the file or after a truncated record.
    pub fn next_record(&mut self) -> Result<Option<MbdbRecord>> {
        if self.done {
            return Ok(None);
        }
        let start = self.offset;
        let mut fields = Fields {
            reader: &mut self.reader,
            read: 0,
        };
        let result = read_record(&mut fields);
        let read = fields.read;
        self.offset += read;
        match result {
            Ok(record) => Ok(Some(record)),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                self.done = true;
                if read > 0 {
                    self.truncated_at = Some(start);
                }
                Ok(None)
            }
            Err(e) => {
                self.done = true;
                Err(Error::io(&self.path, e))
            }
        }
    }

    /// Byte offset of the record cut short by the end of the file, once one was met.
    pub fn truncated_at(&self) -> Option<usize> {
        self.truncated_at
    }
}

/// Big-endian field reads that count the bytes consumed.
struct Fields<'a, R> {
    reader: &'a mut R,
    read: usize,
}

impl<R: Read> Fields<'_, R> {
    /// Fills `buf`, counting partial reads too, so a record cut inside a field counts as started.
    fn fill(&mut self, buf: &mut [u8]) -> io::Result<()> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.reader.read(&mut buf[filled..]) {
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => {
                    filled += n;
                    self.read += n;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn bytes<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        let mut buf = [0u8; N];
        self.fill(&mut buf)?;
        Ok(buf)
    }

    fn u8(&mut self) -> io::Result<u8> {
        Ok(self.bytes::<1>()?[0])
    }
    fn u16(&mut self) -> io::Result<u16> {
        Ok(u16::from_be_bytes(self.bytes()?))
    }
    fn u32(&mut self) -> io::Result<u32> {
        Ok(u32::from_be_bytes(self.bytes()?))
    }
    fn u64(&mut self) -> io::Result<u64> {
        Ok(u64::from_be_bytes(self.bytes()?))
    }

    /// A u16-length string; `0xFFFF` (absent) and length 0 give `None`.
    fn string(&mut self) -> io::Result<Option<Vec<u8>>> {
        let len = self.u16()?;
        if len == 0xFFFF || len == 0 {
            return Ok(None);
        }
        let mut buf = vec![0u8; usize::from(len)];
        self.fill(&mut buf)?;
        Ok(Some(buf))
    }

    fn text(&mut self) -> io::Result<Option<String>> {
        Ok(self
            .string()?
            .map(|b| String::from_utf8_lossy(&b).into_owned()))
    }
}

fn read_record<R: Read>(f: &mut Fields<'_, R>) -> io::Result<MbdbRecord> {
    let domain = f.text()?.unwrap_or_default();
    let path = f.text()?.unwrap_or_default();
    let link_target = f.text()?;
    let data_hash = f.string()?;
    let encryption_key = f.string()?;
    let mode = f.u16()?;
    let inode = f.u64()?;
    let (uid, gid) = (f.u32()?, f.u32()?);
    let (mtime, atime, ctime) = (f.u32()?, f.u32()?, f.u32()?);
    let size = f.u64()?;
    let protection_class = f.u8()?;
    let count = f.u8()?;
    let mut properties = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        let name = f.string()?.unwrap_or_default();
        let value = f.string()?.unwrap_or_default();
        properties.push((name, value));
    }
    Ok(MbdbRecord {
        domain,
        path,
        link_target,
        data_hash,
        encryption_key,
        mode,
        inode,
        uid,
        gid,
        mtime,
        atime,
        ctime,
        size,
        protection_class,
        properties,
    })
}

#[cfg(test)]
mod tests;
