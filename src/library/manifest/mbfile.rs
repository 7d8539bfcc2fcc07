//! The `file` blob of a Manifest.db row: an NSKeyedArchiver binary plist whose root object
//! (class `MBFile`) describes the file. UIDs are resolved generically through `$objects`, so
//! any field may be stored inline or by reference.

use plist::{Dictionary, Value};

use super::bplist::{self, Bplist, Obj, Refs};
use crate::library::error::{Error, Result};
use crate::library::plists::bounded;

/// What an `MBFile` blob says about one file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MbFile {
    /// Size of the plain contents in bytes.
    pub size: u64,
    /// Unix mode (`0x8000` file, `0x4000` directory, `0xA000` symlink, plus permissions).
    pub mode: u32,
    /// Modification time, Unix seconds.
    pub last_modified: Option<i64>,
    /// Creation time, Unix seconds.
    pub birth: Option<i64>,
    /// Inode number on the device.
    pub inode: Option<u64>,
    /// Path relative to the domain.
    pub relative_path: Option<String>,
    /// Symlink target.
    pub target: Option<String>,
    /// `Flags` field of the object (not the row's `flags` column).
    pub flags: Option<u64>,
    /// Data protection class.
    pub protection_class: Option<u64>,
    /// Wrapped per-file key (`EncryptionKey` → `NS.data`) of encrypted backups.
    pub encryption_key: Option<Vec<u8>>,
}

impl MbFile {
    /// True for a regular file by its mode.
    pub fn is_file(&self) -> bool {
        self.mode & 0xF000 == 0x8000
    }
}

/// Longest chain of UIDs followed before giving up (a cycle in a hostile blob).
const MAX_UID_HOPS: usize = 32;

/// Decodes an NSKeyedArchiver `MBFile` blob. Errors name `<MBFile blob>`; callers that know
/// the row add their own context. Never panics on malformed input.
///
/// A binary archive of the usual shape is read in place by the lean reader ([`decode_lean`],
/// about ten times faster); anything else, and every blob that reader does not understand or
/// finds wrong, goes through the `plist` crate ([`decode_full`]), which gives the error.
pub fn decode_mbfile(blob: &[u8]) -> Result<MbFile> {
    match decode_lean(blob) {
        Some(file) => Ok(file),
        None => decode_full(blob),
    }
}

/// The fast path of [`decode_mbfile`]: reads only the root object's fields, in place. `None`
/// when the blob is not a binary keyed archive of the usual shape or a field is not what it
/// should be (the slow path then decides, and words the error). Where it answers, it answers
/// as [`decode_full`] does; it does not check objects the archive never refers to.
pub fn decode_lean(blob: &[u8]) -> Option<MbFile> {
    if blob.len() > bounded::MAX_BLOB_BYTES {
        return None;
    }
    let p = Bplist::new(blob)?;
    let Obj::Dict(keys, values) = p.object(p.top())? else {
        return None;
    };
    let Obj::Array(objects) = p.object(p.lookup(keys, values, "$objects")??)? else {
        return None;
    };
    let Obj::Dict(top_keys, top_values) = p.object(p.lookup(keys, values, "$top")??)? else {
        return None;
    };
    let lean = Lean { p: &p, objects };
    let Obj::Dict(root_keys, root_values) =
        lean.resolve(p.lookup(top_keys, top_values, "root")??)?
    else {
        return None;
    };
    let found = p.lookup_many(root_keys, root_values, FIELDS)?;
    let at = |field: Field| lean.value(found[field as usize]);
    let unsigned = |field| match at(field)? {
        None => Some(None),
        Some(Obj::Int(n)) => u64::try_from(n).ok().map(Some),
        Some(_) => None,
    };
    let signed = |field| match at(field)? {
        None => Some(None),
        Some(Obj::Int(n)) => Some(Some(n)),
        Some(_) => None,
    };
    let string = |field| match at(field)? {
        None => Some(None),
        Some(obj) => bplist::text(obj).map(Some),
    };
    let encryption_key = match at(Field::EncryptionKey)? {
        None => None,
        Some(Obj::Dict(k, v)) => match lean.value(p.lookup(k, v, "NS.data")?)? {
            None => None,
            Some(Obj::Data(d)) => Some(d.to_vec()),
            Some(_) => return None,
        },
        Some(Obj::Data(d)) => Some(d.to_vec()),
        Some(_) => return None,
    };
    Some(MbFile {
        size: unsigned(Field::Size)??,
        mode: u32::try_from(unsigned(Field::Mode)??).ok()?,
        last_modified: signed(Field::LastModified)?,
        birth: signed(Field::Birth)?,
        inode: unsigned(Field::InodeNumber)?,
        relative_path: string(Field::RelativePath)?,
        target: string(Field::Target)?,
        flags: unsigned(Field::Flags)?,
        protection_class: unsigned(Field::ProtectionClass)?,
        encryption_key,
    })
}

/// The root object's fields the lean reader reads, in [`FIELDS`] order.
#[derive(Clone, Copy)]
enum Field {
    Size,
    Mode,
    LastModified,
    Birth,
    InodeNumber,
    RelativePath,
    Target,
    Flags,
    ProtectionClass,
    EncryptionKey,
}

/// The keys of [`Field`], in its order.
const FIELDS: [&str; 10] = [
    "Size",
    "Mode",
    "LastModified",
    "Birth",
    "InodeNumber",
    "RelativePath",
    "Target",
    "Flags",
    "ProtectionClass",
    "EncryptionKey",
];

/// A keyed archive seen through [`Bplist`]: UIDs resolve through `$objects`.
struct Lean<'a, 'b> {
    p: &'b Bplist<'a>,
    objects: Refs<'a>,
}

impl<'a> Lean<'a, '_> {
    /// Object `index`, following UIDs into `$objects`; `None` past [`MAX_UID_HOPS`].
    fn resolve(&self, mut index: usize) -> Option<Obj<'a>> {
        for _ in 0..MAX_UID_HOPS {
            match self.p.object(index)? {
                Obj::Uid(uid) => index = self.objects.get(usize::try_from(uid).ok()?)?,
                obj => return Some(obj),
            }
        }
        None
    }

    /// The object a dictionary value refers to (`index`, from a lookup), UIDs followed:
    /// `Some(None)` when the key was absent or the value is `$null`; `None` when the archive
    /// is not understood.
    fn value(&self, index: Option<usize>) -> Option<Option<Obj<'a>>> {
        let Some(index) = index else {
            return Some(None);
        };
        let obj = self.resolve(index)?;
        let null = match obj {
            Obj::Ascii(s) => s == b"$null",
            Obj::Utf16(_) => bplist::text(obj).as_deref() == Some("$null"),
            _ => false,
        };
        Some((!null).then_some(obj))
    }
}

/// The slow path of [`decode_mbfile`]: the whole blob through the `plist` crate (bounded in
/// size and depth), then the root object's fields.
pub fn decode_full(blob: &[u8]) -> Result<MbFile> {
    let value: Value = bounded::from_bytes(blob, std::path::Path::new(BLOB), "the MBFile blob")?;
    let archive = value
        .as_dictionary()
        .ok_or_else(|| bad("not a dictionary"))?;
    let objects = archive
        .get("$objects")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no $objects array"))?;
    let top = archive
        .get("$top")
        .and_then(Value::as_dictionary)
        .ok_or_else(|| bad("no $top dictionary"))?;
    let root = top.get("root").ok_or_else(|| bad("no $top.root"))?;
    let root = resolve(objects, root)?
        .as_dictionary()
        .ok_or_else(|| bad("the root object is not a dictionary"))?;
    let archive = Archive { objects, root };
    Ok(MbFile {
        size: archive.unsigned("Size")?.ok_or_else(|| bad("no Size"))?,
        mode: archive
            .unsigned("Mode")?
            .and_then(|m| u32::try_from(m).ok())
            .ok_or_else(|| bad("no Mode"))?,
        last_modified: archive.signed("LastModified")?,
        birth: archive.signed("Birth")?,
        inode: archive.unsigned("InodeNumber")?,
        relative_path: archive.string("RelativePath")?,
        target: archive.string("Target")?,
        flags: archive.unsigned("Flags")?,
        protection_class: archive.unsigned("ProtectionClass")?,
        encryption_key: archive.encryption_key()?,
    })
}

const BLOB: &str = "<MBFile blob>";

fn bad(what: &str) -> Error {
    Error::invalid(BLOB, format!("not an MBFile archive: {what}"))
}

/// Follows UIDs into `$objects` until a value that is not a UID.
fn resolve<'a>(objects: &'a [Value], mut value: &'a Value) -> Result<&'a Value> {
    for _ in 0..MAX_UID_HOPS {
        let Value::Uid(uid) = value else {
            return Ok(value);
        };
        value = usize::try_from(uid.get())
            .ok()
            .and_then(|i| objects.get(i))
            .ok_or_else(|| bad(&format!("UID {} is outside $objects", uid.get())))?;
    }
    Err(bad("UIDs refer to each other in a loop"))
}

/// The root object of an archive, with its `$objects` to resolve through.
struct Archive<'a> {
    objects: &'a [Value],
    root: &'a Dictionary,
}

impl<'a> Archive<'a> {
    /// The resolved value of a key of `dict`; `None` when absent or `$null`.
    fn field(&self, dict: &'a Dictionary, key: &str) -> Result<Option<&'a Value>> {
        let Some(value) = dict.get(key) else {
            return Ok(None);
        };
        let value = resolve(self.objects, value)?;
        Ok((value.as_string() != Some("$null")).then_some(value))
    }

    fn unsigned(&self, key: &str) -> Result<Option<u64>> {
        match self.field(self.root, key)? {
            None => Ok(None),
            Some(v) => v
                .as_unsigned_integer()
                .map(Some)
                .ok_or_else(|| bad(&format!("{key} is not an unsigned integer"))),
        }
    }

    fn signed(&self, key: &str) -> Result<Option<i64>> {
        match self.field(self.root, key)? {
            None => Ok(None),
            Some(v) => v
                .as_signed_integer()
                .map(Some)
                .ok_or_else(|| bad(&format!("{key} is not an integer"))),
        }
    }

    fn string(&self, key: &str) -> Result<Option<String>> {
        match self.field(self.root, key)? {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(bad(&format!("{key} is not a string"))),
        }
    }

    /// `EncryptionKey`: data inline, or an object whose `NS.data` is data (inline or a UID).
    fn encryption_key(&self) -> Result<Option<Vec<u8>>> {
        let value = match self.field(self.root, "EncryptionKey")? {
            None => return Ok(None),
            Some(Value::Dictionary(object)) => self.field(object, "NS.data")?,
            Some(other) => Some(other),
        };
        match value {
            None => Ok(None),
            Some(Value::Data(data)) => Ok(Some(data.clone())),
            Some(_) => Err(bad("EncryptionKey holds no data")),
        }
    }
}

/// The name of a file's data protection class (`ProtectionClass` of its record): when iOS lets
/// apps read it. `None` for a number no file class uses.
pub fn protection_class_name(class: u8) -> Option<&'static str> {
    Some(match class {
        1 => "A: complete, readable only while unlocked",
        2 => "B: complete unless open",
        3 => "C: after the first unlock since boot",
        4 => "D: none, always readable",
        _ => return None,
    })
}
