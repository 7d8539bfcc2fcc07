//! The class keys of an unlocked key bag, and unwrapping the keys that name a class:
//! `ManifestKey` and each file's `EncryptionKey` (a 4-byte little-endian class, then a
//! 40-byte wrapped key).

use std::fmt;

use super::derive::Key;
use super::error::{Result, UnlockError};
use super::keybag::{Keybag, WRAPPED_KEY_LEN, WRAP_PASSCODE};
use super::wrap::{unwrap_key32, UnwrapError};

/// The unwrapped class keys of one key bag, by class number; zeroized on drop, `Debug` shows
/// the class numbers only.
#[derive(Clone)]
pub struct ClassKeys {
    keys: Vec<(u32, Key)>,
}

impl fmt::Debug for ClassKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let classes: Vec<u32> = self.keys.iter().map(|(c, _)| *c).collect();
        f.debug_struct("ClassKeys")
            .field("classes", &classes)
            .finish()
    }
}

impl ClassKeys {
    /// Unwraps every class key of `keybag` whose `WRAP` has the passcode bit with `derived`
    /// (from [`super::derive`]). An integrity failure is [`UnlockError::WrongPassword`]; a
    /// `WPKY` that is not 40 bytes, or a key bag with no such class, is
    /// [`UnlockError::Keybag`].
    pub fn unlock(keybag: &Keybag, derived: &Key) -> Result<ClassKeys> {
        let mut keys = Vec::with_capacity(keybag.classes.len());
        for record in keybag
            .classes
            .iter()
            .filter(|c| c.wrap & WRAP_PASSCODE != 0)
        {
            match unwrap_key32(derived, &record.wpky) {
                Ok(key) => keys.push((record.class, key)),
                Err(UnwrapError::Integrity) => return Err(UnlockError::WrongPassword),
                Err(UnwrapError::Shape) => {
                    return Err(UnlockError::Keybag {
                        what: format!(
                            "the WPKY of class {} is {} bytes, not {WRAPPED_KEY_LEN}",
                            record.class,
                            record.wpky.len()
                        ),
                    })
                }
            }
        }
        if keys.is_empty() {
            return Err(UnlockError::Keybag {
                what: "no class key is wrapped with the password (no WRAP with bit 2)".into(),
            });
        }
        Ok(ClassKeys { keys })
    }

    /// The key of class `class`, or [`UnlockError::MissingClass`].
    pub fn get(&self, class: u32) -> Result<&Key> {
        self.keys
            .iter()
            .find(|(c, _)| *c == class)
            .map(|(_, k)| k)
            .ok_or(UnlockError::MissingClass { class })
    }

    /// The classes held, in key-bag order.
    pub fn classes(&self) -> impl Iterator<Item = u32> + '_ {
        self.keys.iter().map(|(c, _)| *c)
    }

    /// Unwraps a class-tagged key (`which`: `ManifestKey` or `EncryptionKey`): 4 bytes of
    /// little-endian class, then 40 bytes of wrapped key. A shape error or an unknown class
    /// is typed; an integrity failure is [`UnlockError::UnwrapFailed`] (the class key is
    /// right, so the bytes are damaged).
    pub fn unwrap_tagged(&self, which: &'static str, blob: &[u8]) -> Result<Key> {
        let shape = |what: String| UnlockError::WrappedKey { which, what };
        let Some((class, wrapped)) = blob.split_first_chunk::<4>() else {
            return Err(shape(format!("{} bytes, fewer than 4", blob.len())));
        };
        if wrapped.len() != WRAPPED_KEY_LEN {
            return Err(shape(format!(
                "the wrapped key is {} bytes, not {WRAPPED_KEY_LEN}",
                wrapped.len()
            )));
        }
        let class = u32::from_le_bytes(*class);
        let kek = self.get(class)?;
        unwrap_key32(kek, wrapped).map_err(|_| UnlockError::UnwrapFailed { which })
    }
}
