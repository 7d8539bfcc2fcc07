//! Manifest.mbdb (iOS 9 and earlier): the flat big-endian record format of docs/FORMAT.md §4b,
//! read into [`Entry`] values.
//!
//! The file is the 6 bytes `mbdb\x05\x00`, then records until the end. [`MbdbReader`] streams
//! records from any [`Read`] (a multi-megabyte file never sits in memory whole), refilling one
//! [`Entry`] so a pass allocates nothing per record. A record cut short by the end of the file
//! ends the list: the records before it are kept and its start offset is reported as
//! [`MbdbReader::truncated_at`]. The fileID is `sha1(domain + "-" + path)`, computed.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sha1::{Digest, Sha1};

use super::entry::{Entry, Kind, Meta};
use super::probe::{check_mbdb_magic, MBDB_MAGIC};
use super::Entries;
use crate::library::error::{Error, Result};

/// Streams the records of a Manifest.mbdb as entries.
#[derive(Debug)]
pub struct MbdbReader<R> {
    reader: R,
    path: PathBuf,
    offset: u64,
    truncated_at: Option<u64>,
    done: bool,
    scratch: Vec<u8>,
}

impl<R: Read> MbdbReader<R> {
    /// Checks the header; `path` names the file in errors.
    pub fn new(mut reader: R, path: &Path) -> Result<Self> {
        let mut magic = Vec::with_capacity(MBDB_MAGIC.len());
        (&mut reader)
            .take(MBDB_MAGIC.len() as u64)
            .read_to_end(&mut magic)
            .map_err(|e| Error::io(path, e))?;
        check_mbdb_magic(path, &magic)?;
        Ok(MbdbReader {
            reader,
            path: path.to_path_buf(),
            offset: MBDB_MAGIC.len() as u64,
            truncated_at: None,
            done: false,
            scratch: Vec::new(),
        })
    }

    /// Reads the next complete record into `entry` (all fields: mbdb records carry their
    /// metadata inline); `false` at the end of the file or after a truncated record.
    pub fn next_into(&mut self, entry: &mut Entry) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        let start = self.offset;
        let mut fields = Fields {
            reader: &mut self.reader,
            read: 0,
            scratch: &mut self.scratch,
        };
        let result = read_record(&mut fields, entry);
        let read = fields.read;
        self.offset += read;
        match result {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                self.done = true;
                if read > 0 {
                    self.truncated_at = Some(start);
                }
                Ok(false)
            }
            Err(e) => {
                self.done = true;
                Err(Error::io(&self.path, e))
            }
        }
    }

    /// Byte offset of the record cut short by the end of the file, once one was met.
    pub fn truncated_at(&self) -> Option<u64> {
        self.truncated_at
    }
}

/// Reads every record of a Manifest.mbdb held in memory (errors name `Manifest.mbdb`); a
/// wrong header is an error, a truncated last record is not ([`Entries::truncated_at`]).
pub fn parse_mbdb(bytes: &[u8]) -> Result<Entries> {
    let mut reader = MbdbReader::new(bytes, Path::new("Manifest.mbdb"))?;
    let mut all = Entries::default();
    let mut entry = Entry::default();
    while reader.next_into(&mut entry)? {
        all.entries.push(entry.clone());
    }
    all.truncated_at = reader.truncated_at();
    Ok(all)
}

/// Big-endian field reads that count the bytes consumed.
struct Fields<'a, R> {
    reader: &'a mut R,
    read: u64,
    scratch: &'a mut Vec<u8>,
}

impl<R: Read> Fields<'_, R> {
    /// Fills `buf`, counting partial reads too, so a record cut inside a field counts as started.
    fn fill(reader: &mut R, read: &mut u64, buf: &mut [u8]) -> io::Result<()> {
        let mut filled = 0;
        while filled < buf.len() {
            match reader.read(&mut buf[filled..]) {
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => {
                    filled += n;
                    *read += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn bytes<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        let mut buf = [0u8; N];
        Self::fill(self.reader, &mut self.read, &mut buf)?;
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

    /// A u16-length string into the scratch buffer; `0xFFFF` (absent) and length 0 give `false`.
    fn string(&mut self) -> io::Result<bool> {
        let len = self.u16()?;
        self.scratch.clear();
        if len == 0xFFFF || len == 0 {
            return Ok(false);
        }
        self.scratch.resize(usize::from(len), 0);
        Self::fill(self.reader, &mut self.read, self.scratch)?;
        Ok(true)
    }

    /// A string into `out` (cleared first; left empty when absent).
    fn text_into(&mut self, out: &mut String) -> io::Result<()> {
        out.clear();
        if self.string()? {
            out.push_str(&String::from_utf8_lossy(self.scratch));
        }
        Ok(())
    }

    fn optional_text(&mut self) -> io::Result<Option<String>> {
        Ok(self
            .string()?
            .then(|| String::from_utf8_lossy(self.scratch).into_owned()))
    }

    fn optional_bytes(&mut self) -> io::Result<Option<Vec<u8>>> {
        Ok(self.string()?.then(|| self.scratch.clone()))
    }
}

fn read_record<R: Read>(f: &mut Fields<'_, R>, entry: &mut Entry) -> io::Result<()> {
    f.text_into(&mut entry.domain)?;
    f.text_into(&mut entry.path)?;
    let target = f.optional_text()?;
    let _data_hash = f.string()?;
    let encryption_key = f.optional_bytes()?;
    let mode = f.u16()?;
    let inode = f.u64()?;
    let (_uid, _gid) = (f.u32()?, f.u32()?);
    let (mtime, _atime, _ctime) = (f.u32()?, f.u32()?, f.u32()?);
    let size = f.u64()?;
    let protection_class = f.u8()?;
    for _ in 0..f.u8()? {
        f.string()?;
        f.string()?;
    }
    entry.kind = match Kind::from_mode(u32::from(mode)) {
        Kind::Symlink { .. } => Kind::Symlink { target },
        kind => kind,
    };
    entry.meta = Some(Meta {
        size,
        mode: u32::from(mode),
        mtime: Some(i64::from(mtime)),
        birth: None,
        inode: Some(inode),
        flags: None,
        protection_class: Some(u64::from(protection_class)),
        encryption_key,
    });
    entry.meta_error = None;
    let mut hasher = Sha1::new();
    hasher.update(entry.domain.as_bytes());
    hasher.update(b"-");
    hasher.update(entry.path.as_bytes());
    let id: [u8; 20] = hasher.finalize().into();
    entry.file_id.clear();
    entry.file_id.push_str(&hex::encode(id));
    Ok(())
}

#[cfg(test)]
mod tests;
