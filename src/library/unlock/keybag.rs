//! The `BackupKeyBag` of `Manifest.plist`: a run of TLV items (4-byte tag, 4-byte big-endian
//! length, value). Header tags come first (`VERS TYPE UUID HMCK WRAP SALT ITER DPWT DPIC
//! DPSL`); each later `UUID` starts the record of one protection class (`UUID CLAS WRAP KTYP
//! WPKY`). Every length is checked against what is left; class records are found by their
//! `CLAS` number, never by position.

use super::derive::KdfParams;
use super::error::{Result, UnlockError};

/// The `WRAP` bit that means "wrapped with the password-derived key".
pub const WRAP_PASSCODE: u32 = 2;

/// Length of a wrapped 32-byte key (RFC 3394 adds 8 bytes).
pub const WRAPPED_KEY_LEN: usize = 40;

/// Most class records a key bag may hold (real ones have 10 or 11).
const MAX_CLASSES: usize = 64;

/// One protection class's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassRecord {
    /// `CLAS`: the protection class number.
    pub class: u32,
    /// `WRAP`: how the key is wrapped (bit 2: with the password-derived key).
    pub wrap: u32,
    /// `KTYP`: the key type (0 AES).
    pub ktyp: Option<u32>,
    /// `WPKY`: the wrapped class key.
    pub wpky: Vec<u8>,
}

/// A parsed key bag: what derivation needs and the wrapped class keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keybag {
    /// `VERS`.
    pub version: Option<u32>,
    /// `TYPE` (1 = backup).
    pub kind: Option<u32>,
    /// `SALT`/`ITER` and, when present, `DPSL`/`DPIC` (round counts already checked).
    pub kdf: KdfParams,
    /// The class records, in key-bag order.
    pub classes: Vec<ClassRecord>,
}

impl Keybag {
    /// Parses the TLV bytes. Errors: [`UnlockError::Keybag`] for truncation, a length past the
    /// end, a missing `SALT`/`ITER`, a class record without `CLAS` or `WPKY`;
    /// [`UnlockError::TooManyRounds`] for absurd `ITER`/`DPIC` (see [`KdfParams::new`]).
    pub fn parse(bytes: &[u8]) -> Result<Keybag> {
        let mut header = Header::default();
        let mut classes: Vec<Partial> = Vec::new();
        let mut uuids = 0usize;
        for item in Items::new(bytes) {
            let (at, tag, value) = item?;
            if &tag == b"UUID" {
                uuids += 1;
                if uuids >= 2 {
                    if classes.len() >= MAX_CLASSES {
                        return Err(bad(format!("more than {MAX_CLASSES} class records")));
                    }
                    classes.push(Partial::default());
                }
                continue;
            }
            match classes.last_mut() {
                None => header.take(&tag, value, at)?,
                Some(class) => class.take(&tag, value, at)?,
            }
        }
        let salt = header.salt.ok_or_else(|| bad("no SALT".to_string()))?;
        let iter = header.iter.ok_or_else(|| bad("no ITER".to_string()))?;
        let dp = match (header.dpsl, header.dpic) {
            (Some(dpsl), Some(dpic)) => Some((dpsl, dpic)),
            (None, None) => None,
            _ => return Err(bad("DPSL and DPIC must come together".to_string())),
        };
        let kdf = KdfParams::new(salt, iter, dp)?;
        let classes = classes
            .into_iter()
            .enumerate()
            .map(|(i, p)| p.finish(i))
            .collect::<Result<Vec<_>>>()?;
        Ok(Keybag {
            version: header.version,
            kind: header.kind,
            kdf,
            classes,
        })
    }

    /// The record of class `class` (by its `CLAS` number).
    pub fn class(&self, class: u32) -> Option<&ClassRecord> {
        self.classes.iter().find(|c| c.class == class)
    }
}

fn bad(what: String) -> UnlockError {
    UnlockError::Keybag { what }
}

/// A big-endian unsigned integer of 1 to 8 bytes.
fn int(tag: &[u8; 4], value: &[u8], at: usize) -> Result<u64> {
    if value.is_empty() || value.len() > 8 {
        return Err(bad(format!(
            "{} at byte {at} is {} bytes, not an integer",
            tag_name(tag),
            value.len()
        )));
    }
    Ok(value.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b)))
}

/// A 32-bit field (`CLAS`, `WRAP`, …).
fn int32(tag: &[u8; 4], value: &[u8], at: usize) -> Result<u32> {
    let n = int(tag, value, at)?;
    u32::try_from(n).map_err(|_| bad(format!("{} at byte {at} is too large", tag_name(tag))))
}

fn tag_name(tag: &[u8; 4]) -> String {
    tag.iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() {
                char::from(b)
            } else {
                '?'
            }
        })
        .collect()
}

#[derive(Default)]
struct Header {
    version: Option<u32>,
    kind: Option<u32>,
    salt: Option<Vec<u8>>,
    iter: Option<u64>,
    dpsl: Option<Vec<u8>>,
    dpic: Option<u64>,
}

impl Header {
    fn take(&mut self, tag: &[u8; 4], value: &[u8], at: usize) -> Result<()> {
        match tag {
            b"VERS" => self.version = Some(int32(tag, value, at)?),
            b"TYPE" => self.kind = Some(int32(tag, value, at)?),
            b"SALT" => self.salt = Some(value.to_vec()),
            b"ITER" => self.iter = Some(int(tag, value, at)?),
            b"DPSL" => self.dpsl = Some(value.to_vec()),
            b"DPIC" => self.dpic = Some(int(tag, value, at)?),
            _ => {}
        }
        Ok(())
    }
}

#[derive(Default)]
struct Partial {
    class: Option<u32>,
    wrap: Option<u32>,
    ktyp: Option<u32>,
    wpky: Option<Vec<u8>>,
}

impl Partial {
    fn take(&mut self, tag: &[u8; 4], value: &[u8], at: usize) -> Result<()> {
        match tag {
            b"CLAS" => self.class = Some(int32(tag, value, at)?),
            b"WRAP" => self.wrap = Some(int32(tag, value, at)?),
            b"KTYP" => self.ktyp = Some(int32(tag, value, at)?),
            b"WPKY" => self.wpky = Some(value.to_vec()),
            _ => {}
        }
        Ok(())
    }

    fn finish(self, index: usize) -> Result<ClassRecord> {
        let n = index + 1;
        let class = self
            .class
            .ok_or_else(|| bad(format!("class record {n} has no CLAS")))?;
        let wpky = self
            .wpky
            .ok_or_else(|| bad(format!("class {class} has no WPKY")))?;
        Ok(ClassRecord {
            class,
            wrap: self.wrap.unwrap_or(0),
            ktyp: self.ktyp,
            wpky,
        })
    }
}

/// The TLV items of `bytes`: (offset, tag, value), each length checked.
struct Items<'a> {
    bytes: &'a [u8],
    at: usize,
    failed: bool,
}

impl<'a> Items<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Items {
            bytes,
            at: 0,
            failed: false,
        }
    }
}

impl<'a> Iterator for Items<'a> {
    type Item = Result<(usize, [u8; 4], &'a [u8])>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.at >= self.bytes.len() {
            return None;
        }
        let at = self.at;
        let rest = &self.bytes[at..];
        let Some((head, rest)) = rest.split_first_chunk::<8>() else {
            self.failed = true;
            return Some(Err(bad(format!(
                "cut short at byte {at}: {} bytes left, a TLV header needs 8",
                rest.len()
            ))));
        };
        let mut tag = [0u8; 4];
        tag.copy_from_slice(&head[..4]);
        let len = u32::from_be_bytes([head[4], head[5], head[6], head[7]]) as usize;
        if len > rest.len() {
            self.failed = true;
            return Some(Err(bad(format!(
                "{} at byte {at} says {len} bytes but only {} are left",
                tag_name(&tag),
                rest.len()
            ))));
        }
        self.at = at + 8 + len;
        Some(Ok((at, tag, &rest[..len])))
    }
}

#[cfg(test)]
#[path = "keybag_tests.rs"]
mod tests;
