//! A lean, read-only view of a binary property list (`bplist00`): objects are read in place,
//! by index, only when asked for. It exists for one hot path, the `MBFile` blob of every
//! `Manifest.db` row (300,000 of them in a big backup), where building a whole `plist::Value`
//! per row was most of the time it took to open a version (docs/PERFORMANCE.md).
//!
//! It is not a general plist parser: it answers "what is object N" for the object kinds an
//! `MBFile` archive uses (integers, strings, data, UIDs, arrays, dictionaries) and says
//! [`Obj::Other`] for the rest. Every read is bounds-checked; nothing recurses, so a hostile
//! blob cannot overflow the stack. Callers fall back to the `plist` crate (which checks the
//! whole document and gives the precise error) whenever this view does not understand a blob.
//!
//! Format: an 8-byte header `bplist00`, the objects, an offset table, and a 32-byte trailer
//! (offset size, reference size, object count, top object, offset table position; big endian).
//! Each object starts with a marker byte whose high nibble is its type and low nibble its
//! length (`0xF`: the length follows as an integer object).

/// A binary plist, checked only as far as its trailer and offset table.
pub struct Bplist<'a> {
    data: &'a [u8],
    offsets: &'a [u8],
    offset_size: usize,
    ref_size: usize,
    count: usize,
    top: usize,
}

/// One object, borrowed from the blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Obj<'a> {
    /// An integer: 1, 2 and 4-byte integers are unsigned, 8-byte ones signed (as Apple writes
    /// and the `plist` crate reads them).
    Int(i64),
    /// An ASCII string (bytes all below 0x80).
    Ascii(&'a [u8]),
    /// A UTF-16 big-endian string: its code units as bytes.
    Utf16(&'a [u8]),
    /// Data bytes.
    Data(&'a [u8]),
    /// A UID (a keyed archive's reference into `$objects`).
    Uid(u64),
    /// An array: its element references.
    Array(Refs<'a>),
    /// A dictionary: key references, then as many value references.
    Dict(Refs<'a>, Refs<'a>),
    /// Anything else (booleans, reals, dates, 16-byte integers, sets, …).
    Other,
}

/// A run of object references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refs<'a> {
    bytes: &'a [u8],
    size: usize,
}

impl<'a> Refs<'a> {
    /// How many.
    pub fn len(&self) -> usize {
        self.bytes.len() / self.size
    }

    /// The `i`-th reference (an object index).
    pub fn get(&self, i: usize) -> Option<usize> {
        let at = i.checked_mul(self.size)?;
        usize::try_from(be(self.bytes.get(at..at + self.size)?)?).ok()
    }
}

/// A big-endian unsigned integer of up to 8 bytes.
fn be(bytes: &[u8]) -> Option<u64> {
    (bytes.len() <= 8).then(|| bytes.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b)))
}

impl<'a> Bplist<'a> {
    /// The view of `data`, or `None` when it is no binary plist this view can read.
    pub fn new(data: &'a [u8]) -> Option<Bplist<'a>> {
        if data.len() < 8 + 32 || !data.starts_with(b"bplist00") {
            return None;
        }
        let trailer = &data[data.len() - 32..];
        let offset_size = usize::from(trailer[6]);
        let ref_size = usize::from(trailer[7]);
        if !(1..=8).contains(&offset_size) || !(1..=8).contains(&ref_size) {
            return None;
        }
        let count = usize::try_from(be(&trailer[8..16])?).ok()?;
        let top = usize::try_from(be(&trailer[16..24])?).ok()?;
        let table = usize::try_from(be(&trailer[24..32])?).ok()?;
        let table_end = table.checked_add(count.checked_mul(offset_size)?)?;
        let offsets = data.get(table..table_end)?;
        if table_end > data.len() - 32 || top >= count {
            return None;
        }
        Some(Bplist {
            data,
            offsets,
            offset_size,
            ref_size,
            count,
            top,
        })
    }

    /// The top object's index.
    pub fn top(&self) -> usize {
        self.top
    }

    /// Object `index`, or `None` when it is out of range or cut short.
    pub fn object(&self, index: usize) -> Option<Obj<'a>> {
        if index >= self.count {
            return None;
        }
        let at = index * self.offset_size;
        let start = usize::try_from(be(self.offsets.get(at..at + self.offset_size)?)?).ok()?;
        let marker = *self.data.get(start)?;
        let low = usize::from(marker & 0x0F);
        let body = start + 1;
        match marker >> 4 {
            0x1 => {
                let bytes = self.data.get(body..body.checked_add(1 << low)?)?;
                match low {
                    0..=2 => Some(Obj::Int(i64::try_from(be(bytes)?).ok()?)),
                    3 => Some(Obj::Int(be(bytes)? as i64)),
                    _ => Some(Obj::Other),
                }
            }
            0x4 => self.bytes(body, low, 1).map(Obj::Data),
            0x5 => self
                .bytes(body, low, 1)
                .filter(|s| s.is_ascii())
                .map(Obj::Ascii),
            0x6 => self.bytes(body, low, 2).map(Obj::Utf16),
            0x8 => Some(Obj::Uid(be(self.data.get(body..body + low + 1)?)?)),
            0xA => self.refs(body, low, 1).map(|(r, _)| Obj::Array(r)),
            0xD => self.refs(body, low, 2).map(|(keys, at)| {
                let n = keys.bytes.len();
                let values = Refs {
                    bytes: &self.data[at - n..at],
                    size: self.ref_size,
                };
                Obj::Dict(keys, values)
            }),
            _ => Some(Obj::Other),
        }
    }

    /// The length of an object from its marker's low nibble, and where its contents start.
    fn length(&self, body: usize, low: usize) -> Option<(usize, usize)> {
        if low != 0x0F {
            return Some((low, body));
        }
        let marker = *self.data.get(body)?;
        if marker >> 4 != 0x1 || marker & 0x0F > 3 {
            return None;
        }
        let width = 1usize << (marker & 0x0F);
        let n = be(self.data.get(body + 1..body + 1 + width)?)?;
        Some((usize::try_from(n).ok()?, body + 1 + width))
    }

    /// `n` units of `unit` bytes after the marker.
    fn bytes(&self, body: usize, low: usize, unit: usize) -> Option<&'a [u8]> {
        let (n, at) = self.length(body, low)?;
        self.data.get(at..at.checked_add(n.checked_mul(unit)?)?)
    }

    /// `groups` runs of `n` references; the first run, and where all of them end.
    fn refs(&self, body: usize, low: usize, groups: usize) -> Option<(Refs<'a>, usize)> {
        let (n, at) = self.length(body, low)?;
        let run = n.checked_mul(self.ref_size)?;
        let end = at.checked_add(run.checked_mul(groups)?)?;
        self.data.get(at..end)?;
        Some((
            Refs {
                bytes: &self.data[at..at + run],
                size: self.ref_size,
            },
            end,
        ))
    }

    /// The value of `key` in a dictionary (the last one, when a key repeats, as the `plist`
    /// crate keeps it); `None` when absent or when a key is no string.
    pub fn lookup(&self, keys: Refs<'a>, values: Refs<'a>, key: &str) -> Option<Option<usize>> {
        let mut found = None;
        for i in 0..keys.len() {
            let matches = match self.object(keys.get(i)?)? {
                Obj::Ascii(s) => s == key.as_bytes(),
                Obj::Utf16(units) => utf16_is(units, key)?,
                _ => return None,
            };
            if matches {
                found = Some(values.get(i)?);
            }
        }
        Some(found)
    }
}

impl<'a> Bplist<'a> {
    /// The values of several keys in one pass over a dictionary's keys (what [`Self::lookup`]
    /// gives for each, without reading every key once per name).
    pub fn lookup_many<const N: usize>(
        &self,
        keys: Refs<'a>,
        values: Refs<'a>,
        names: [&str; N],
    ) -> Option<[Option<usize>; N]> {
        let mut found = [None; N];
        for i in 0..keys.len() {
            let key = self.object(keys.get(i)?)?;
            for (slot, name) in found.iter_mut().zip(names) {
                let matches = match key {
                    Obj::Ascii(s) => s == name.as_bytes(),
                    Obj::Utf16(units) => utf16_is(units, name)?,
                    _ => return None,
                };
                if matches {
                    *slot = Some(values.get(i)?);
                }
            }
        }
        Some(found)
    }
}

/// Whether UTF-16BE `units` spell `key`; `None` for an ill-formed string (the `plist` crate
/// decides what it is).
fn utf16_is(units: &[u8], key: &str) -> Option<bool> {
    let units: Vec<u16> = units
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).ok()?;
    Some(text == key)
}

/// The text of a string object; `None` when it is no string or ill-formed.
pub fn text(obj: Obj<'_>) -> Option<String> {
    match obj {
        Obj::Ascii(s) => Some(String::from_utf8_lossy(s).into_owned()),
        Obj::Utf16(units) => {
            let units: Vec<u16> = units
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(value: plist::Value) -> Vec<u8> {
        let mut out = Vec::new();
        value.to_writer_binary(&mut out).unwrap();
        out
    }

    #[test]
    fn reads_what_the_plist_crate_writes() {
        let mut dict = plist::Dictionary::new();
        dict.insert("n".into(), plist::Value::Integer(300.into()));
        dict.insert("neg".into(), plist::Value::Integer((-5).into()));
        dict.insert("big".into(), plist::Value::Integer(u32::MAX.into()));
        dict.insert("s".into(), "Library/SMS/sms.db".into());
        dict.insert("u".into(), "caf\u{e9}".into());
        dict.insert("d".into(), plist::Value::Data(vec![1, 2, 3]));
        dict.insert("id".into(), plist::Value::Uid(plist::Uid::new(7)));
        dict.insert("a".into(), plist::Value::Array(vec![1.into(), 2.into()]));
        dict.insert("f".into(), plist::Value::Real(1.5));
        let blob = write(plist::Value::Dictionary(dict));
        let p = Bplist::new(&blob).unwrap();
        let Some(Obj::Dict(keys, values)) = p.object(p.top()) else {
            panic!("top is a dictionary");
        };
        let get = |k| {
            p.object(p.lookup(keys, values, k).unwrap().unwrap())
                .unwrap()
        };
        assert_eq!(get("n"), Obj::Int(300));
        assert_eq!(get("neg"), Obj::Int(-5));
        assert_eq!(get("big"), Obj::Int(i64::from(u32::MAX)));
        assert_eq!(text(get("s")).as_deref(), Some("Library/SMS/sms.db"));
        assert_eq!(text(get("u")).as_deref(), Some("caf\u{e9}"));
        assert_eq!(get("d"), Obj::Data(&[1, 2, 3]));
        assert_eq!(get("id"), Obj::Uid(7));
        assert!(matches!(get("a"), Obj::Array(r) if r.len() == 2));
        assert_eq!(get("f"), Obj::Other);
        assert_eq!(p.lookup(keys, values, "absent"), Some(None));
    }

    #[test]
    fn cut_or_garbage_blobs_are_refused_not_read_past_their_end() {
        let mut dict = plist::Dictionary::new();
        dict.insert("s".into(), "x".repeat(40).into());
        let blob = write(plist::Value::Dictionary(dict));
        for cut in 0..blob.len() {
            if let Some(p) = Bplist::new(&blob[..cut]) {
                for i in 0..4 {
                    let _ = p.object(i);
                }
            }
        }
        assert!(Bplist::new(b"bplist00").is_none());
        assert!(Bplist::new(&[0xFF; 64]).is_none());
    }
}
