//! The password → key derivation of encrypted backups: PBKDF2-HMAC-SHA256 over the password
//! with `DPSL`/`DPIC` (iOS 10.2 and later), then PBKDF2-HMAC-SHA1 over that result with
//! `SALT`/`ITER`. Key bags without `DPSL`/`DPIC` (iOS 10.1 and earlier) run the SHA-1 stage
//! alone, over the password. Round counts are capped ([`MAX_DPIC`], [`MAX_ITER`]).

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use sha1::Sha1;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::error::{Result, UnlockError};

/// Most `DPIC` (SHA-256) rounds run: five times what devices use (10,000,000, ~2 s), so a
/// crafted 2^32 costs an error, not an hour of CPU.
pub const MAX_DPIC: u32 = 50_000_000;

/// Most `ITER` (SHA-1) rounds run: devices use 10,000 after the SHA-256 stage (and about as
/// many before iOS 10.2, alone); the cap leaves room for both and still ends in seconds.
pub const MAX_ITER: u32 = 10_000_000;

/// A password, zeroized on drop; its `Debug` shows nothing of it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Password(Vec<u8>);

impl Password {
    /// The password from its bytes (UTF-8 as typed; no trimming).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Password {
        Password(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<&str> for Password {
    fn from(s: &str) -> Password {
        Password::new(s.as_bytes())
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A 32-byte AES-256 key, zeroized on drop; its `Debug` shows nothing of it.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct Key(pub(super) [u8; 32]);

impl Key {
    /// The key's bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A key from its bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Key {
        Key(bytes)
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

/// What derivation needs from a key bag (not secret): the SHA-1 stage's salt and rounds and,
/// when present, the SHA-256 stage's. Equal parameters give equal keys for one password, so
/// this is the key of [`super::Unlocker`]'s cache.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KdfParams {
    salt: Vec<u8>,
    iter: u32,
    dp: Option<(Vec<u8>, u32)>,
}

impl KdfParams {
    /// Checks the round counts: 0 is [`UnlockError::Keybag`], above [`MAX_ITER`] /
    /// [`MAX_DPIC`] is [`UnlockError::TooManyRounds`].
    pub fn new(salt: Vec<u8>, iter: u64, dp: Option<(Vec<u8>, u64)>) -> Result<KdfParams> {
        let iter = rounds("ITER", iter, MAX_ITER)?;
        let dp = match dp {
            Some((dpsl, dpic)) => Some((dpsl, rounds("DPIC", dpic, MAX_DPIC)?)),
            None => None,
        };
        Ok(KdfParams { salt, iter, dp })
    }

    /// `ITER`.
    pub fn iter(&self) -> u32 {
        self.iter
    }

    /// `DPIC`, when the key bag has the SHA-256 stage.
    pub fn dpic(&self) -> Option<u32> {
        self.dp.as_ref().map(|(_, n)| *n)
    }

    /// A SHA-256 digest of the salts and rounds (nothing secret: they are in
    /// `Manifest.plist`), naming these parameters where a derived key is remembered.
    pub fn fingerprint(&self) -> [u8; 32] {
        use sha2::Digest;
        let mut h = Sha256::new();
        h.update(b"backtop-kdf-v1");
        for (salt, rounds) in [(Some(&self.salt), Some(self.iter))]
            .into_iter()
            .chain([(self.dp.as_ref().map(|d| &d.0), self.dpic())])
        {
            h.update((salt.map_or(0, Vec::len) as u64).to_be_bytes());
            h.update(salt.map_or(&[][..], Vec::as_slice));
            h.update(rounds.unwrap_or(0).to_be_bytes());
        }
        h.finalize().into()
    }
}

fn rounds(tag: &'static str, n: u64, max: u32) -> Result<u32> {
    if n == 0 {
        return Err(UnlockError::Keybag {
            what: format!("{tag} is 0 rounds"),
        });
    }
    match u32::try_from(n) {
        Ok(n) if n <= max => Ok(n),
        _ => Err(UnlockError::TooManyRounds {
            tag,
            rounds: n,
            max,
        }),
    }
}

/// Derives the key that unwraps the class keys. `cancel` is checked before each stage and
/// between them (each stage runs to its end once started: ~2 s for 10,000,000 SHA-256 rounds
/// in a release build); a cancelled run gives [`UnlockError::Cancelled`] and no key.
pub fn derive(password: &Password, params: &KdfParams, cancel: &AtomicBool) -> Result<Key> {
    let cancelled = || cancel.load(Ordering::Relaxed);
    if cancelled() {
        return Err(UnlockError::Cancelled);
    }
    let mut stage1 = Zeroizing::new([0u8; 32]);
    let input: &[u8] = match &params.dp {
        Some((dpsl, dpic)) => {
            pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), dpsl, *dpic, &mut stage1[..]);
            if cancelled() {
                return Err(UnlockError::Cancelled);
            }
            &stage1[..]
        }
        None => password.as_bytes(),
    };
    let mut key = Key([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<Sha1>(input, &params.salt, params.iter, &mut key.0);
    if cancelled() {
        return Err(UnlockError::Cancelled);
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(dp: bool) -> KdfParams {
        let dp = dp.then(|| (b"dpsl-salt".to_vec(), 1000));
        KdfParams::new(b"sha1-salt".to_vec(), 10, dp).unwrap()
    }

    #[test]
    fn both_stages_match_an_independent_computation() {
        // Computed once with Python 3.12:
        //   s1 = hashlib.pbkdf2_hmac('sha256', b'demo', b'dpsl-salt', 1000, 32)
        //   hashlib.pbkdf2_hmac('sha1', s1, b'sha1-salt', 10, 32).hex()
        let key = derive(&"demo".into(), &params(true), &AtomicBool::new(false)).unwrap();
        assert_eq!(hex::encode(key.bytes()), EXPECTED_BOTH);
    }

    #[test]
    fn without_dpsl_only_the_sha1_stage_runs() {
        // hashlib.pbkdf2_hmac('sha1', b'demo', b'sha1-salt', 10, 32).hex()
        let key = derive(&"demo".into(), &params(false), &AtomicBool::new(false)).unwrap();
        assert_eq!(hex::encode(key.bytes()), EXPECTED_SHA1);
    }

    const EXPECTED_BOTH: &str = "326b110edec82dffe2149da2885fa3ac5357c77ae71e7ed1419673c7e8fb2640";
    const EXPECTED_SHA1: &str = "0c3fec07573bf7e789e81d232ada450aa5b9e131a3db9b5ebb448a20cac70209";

    #[test]
    fn a_cancelled_derivation_gives_no_key() {
        let cancel = AtomicBool::new(true);
        let got = derive(&"demo".into(), &params(true), &cancel);
        assert!(matches!(got, Err(UnlockError::Cancelled)));
    }

    #[test]
    fn absurd_rounds_are_refused_with_the_reason() {
        let e = KdfParams::new(vec![1], 1 << 32, None).unwrap_err();
        assert!(matches!(e, UnlockError::TooManyRounds { tag: "ITER", .. }));
        let e = KdfParams::new(vec![1], 10, Some((vec![2], u64::from(u32::MAX)))).unwrap_err();
        assert!(e.to_string().contains("DPIC"), "{e}");
        assert!(e.to_string().contains("50000000"), "{e}");
        let e = KdfParams::new(vec![1], 0, None).unwrap_err();
        assert!(matches!(e, UnlockError::Keybag { .. }));
    }

    #[test]
    fn secrets_do_not_show_in_debug() {
        let p = Password::from("hunter2");
        assert!(!format!("{p:?}").contains("hunter2"));
        let k = Key([0xAB; 32]);
        assert!(!format!("{k:?}").to_lowercase().contains("ab"));
    }

    #[test]
    fn keys_and_passwords_are_zeroized_on_drop() {
        // Drop runs `zeroize` (the bound proves the derive is there); it empties the bytes.
        fn zeroized_on_drop<T: ZeroizeOnDrop + Zeroize>() {}
        zeroized_on_drop::<Key>();
        zeroized_on_drop::<Password>();
        let mut k = Key([0xAB; 32]);
        k.zeroize();
        assert_eq!(k.0, [0; 32]);
        let mut p = Password::from("hunter2");
        p.zeroize();
        assert!(p.as_bytes().is_empty());
    }
}
