//! The byte-level pieces of the cache file: LEB128 varints, length-prefixed byte strings, and a
//! checksum over the body, read back with a bounds-checked [`Reader`] (a damaged file gives an
//! error, never a panic).

/// Appends `v` as an unsigned LEB128 varint (1 byte below 128).
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a length-prefixed byte string.
pub fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// A 64-bit checksum of `bytes` (8 bytes at a time; stable across builds and machines).
pub fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0xCBF2_9CE4_8422_2325 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(K).rotate_left(29);
    }
    h ^ (h >> 32)
}

/// Why a cache file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The file ends before a field does.
    #[error("the file is cut short")]
    Truncated,
    /// A varint runs past 64 bits.
    #[error("a number is malformed")]
    BadNumber,
    /// A field holds a value that cannot be.
    #[error("{0}")]
    Invalid(&'static str),
}

/// Reads the fields written by the `put_*` functions, checking every bound.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// True when every byte was read.
    pub fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).ok_or(DecodeError::Truncated)?;
        let s = self
            .bytes
            .get(self.pos..end)
            .ok_or(DecodeError::Truncated)?;
        self.pos = end;
        Ok(s)
    }

    /// A little-endian u64.
    pub fn u64_le(&mut self) -> Result<u64, DecodeError> {
        let mut w = [0u8; 8];
        w.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(w))
    }

    /// An unsigned LEB128 varint.
    pub fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.pos).ok_or(DecodeError::Truncated)?;
            self.pos += 1;
            let part = u64::from(b & 0x7F);
            if shift == 63 && part > 1 {
                return Err(DecodeError::BadNumber);
            }
            v |= part << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(DecodeError::BadNumber)
    }

    /// A varint that must fit in `usize` and be at most `limit` (counts and lengths).
    pub fn count(&mut self, limit: usize) -> Result<usize, DecodeError> {
        let v = usize::try_from(self.varint()?).map_err(|_| DecodeError::BadNumber)?;
        if v > limit {
            return Err(DecodeError::Invalid("a count is larger than the file"));
        }
        Ok(v)
    }

    /// A length-prefixed byte string.
    pub fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.count(self.bytes.len() - self.pos)?;
        self.take(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_bad_ones_are_refused() {
        let values = [0, 1, 127, 128, 300, u32::MAX as u64, u64::MAX];
        let mut out = Vec::new();
        for v in values {
            put_varint(&mut out, v);
        }
        assert_eq!(out[..3], [0, 1, 127]);
        let mut r = Reader::new(&out);
        for v in values {
            assert_eq!(r.varint(), Ok(v));
        }
        assert!(r.at_end());
        assert_eq!(Reader::new(&[0x80]).varint(), Err(DecodeError::Truncated));
        let eleven = [0xFF; 11];
        assert_eq!(Reader::new(&eleven).varint(), Err(DecodeError::BadNumber));
    }

    #[test]
    fn a_length_past_the_end_is_refused() {
        let mut out = Vec::new();
        put_bytes(&mut out, b"abc");
        out.truncate(3);
        assert!(Reader::new(&out).bytes().is_err());
    }

    #[test]
    fn checksum_sees_one_flipped_bit() {
        let a = vec![7u8; 1001];
        let mut b = a.clone();
        b[500] ^= 1;
        assert_ne!(checksum(&a), checksum(&b));
        assert_eq!(checksum(&a), checksum(&a.clone()));
    }
}
