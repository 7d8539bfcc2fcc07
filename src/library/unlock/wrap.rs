//! AES key wrap (RFC 3394) through RustCrypto's `aes-kw`: the class keys of a key bag, the
//! `ManifestKey` and every file's `EncryptionKey` are 32-byte keys wrapped into 40 bytes.
//! An integrity failure (the RFC's check value does not come out) is the only way a wrong
//! key shows, so callers turn it into [`UnlockError::WrongPassword`] or a damaged backup.

use aes_kw::{KeyInit, KwAes128, KwAes192, KwAes256};
use zeroize::Zeroizing;

use super::derive::Key;

/// Why an unwrap failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnwrapError {
    /// The key-encryption key is not 16, 24 or 32 bytes, or the wrapped data is not a whole
    /// number (≥ 3) of 8-byte blocks.
    Shape,
    /// The integrity check failed: the wrong key, or damaged bytes.
    Integrity,
}

/// Unwraps `wrapped` with a 16-, 24- or 32-byte `kek` (RFC 3394 §2.2.2); the result is
/// 8 bytes shorter than `wrapped` and zeroized on drop.
pub fn unwrap_key(kek: &[u8], wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, UnwrapError> {
    if wrapped.len() < 24 || !wrapped.len().is_multiple_of(8) {
        return Err(UnwrapError::Shape);
    }
    let mut out = Zeroizing::new(vec![0u8; wrapped.len() - 8]);
    let res = match kek.len() {
        16 => KwAes128::new_from_slice(kek)
            .map_err(|_| UnwrapError::Shape)?
            .unwrap_key(wrapped, &mut out)
            .map(|_| ()),
        24 => KwAes192::new_from_slice(kek)
            .map_err(|_| UnwrapError::Shape)?
            .unwrap_key(wrapped, &mut out)
            .map(|_| ()),
        32 => KwAes256::new_from_slice(kek)
            .map_err(|_| UnwrapError::Shape)?
            .unwrap_key(wrapped, &mut out)
            .map(|_| ()),
        _ => return Err(UnwrapError::Shape),
    };
    match res {
        Ok(()) => Ok(out),
        Err(aes_kw::Error::IntegrityCheckFailed) => Err(UnwrapError::Integrity),
        Err(_) => Err(UnwrapError::Shape),
    }
}

/// Unwraps a 40-byte wrapped 32-byte key with `kek`.
pub fn unwrap_key32(kek: &Key, wrapped: &[u8]) -> Result<Key, UnwrapError> {
    if wrapped.len() != 40 {
        return Err(UnwrapError::Shape);
    }
    let plain = unwrap_key(kek.bytes(), wrapped)?;
    let mut key = Key([0u8; 32]);
    key.0.copy_from_slice(&plain);
    Ok(key)
}

/// Wraps the 32-byte `key` with `kek` into 40 bytes (what a device does; the demo builder
/// uses it).
pub fn wrap_key32(kek: &Key, key: &Key) -> [u8; 40] {
    let mut out = [0u8; 40];
    // A 32-byte key into a 40-byte buffer is the one shape wrap accepts: it cannot fail.
    if KwAes256::new(kek.bytes().into())
        .wrap_key(key.bytes(), &mut out)
        .is_err()
    {
        out = [0u8; 40];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3394 §4.1–4.6: (KEK, key data, ciphertext).
    const VECTORS: [(&str, &str, &str); 6] = [
        (
            "000102030405060708090A0B0C0D0E0F",
            "00112233445566778899AABBCCDDEEFF",
            "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5",
        ),
        (
            "000102030405060708090A0B0C0D0E0F1011121314151617",
            "00112233445566778899AABBCCDDEEFF",
            "96778B25AE6CA435F92B5B97C050AED2468AB8A17AD84E5D",
        ),
        (
            "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
            "00112233445566778899AABBCCDDEEFF",
            "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7",
        ),
        (
            "000102030405060708090A0B0C0D0E0F1011121314151617",
            "00112233445566778899AABBCCDDEEFF0001020304050607",
            "031D33264E15D33268F24EC260743EDCE1C6C7DDEE725A936BA814915C6762D2",
        ),
        (
            "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
            "00112233445566778899AABBCCDDEEFF0001020304050607",
            "A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1",
        ),
        (
            "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
            "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F",
            "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21",
        ),
    ];

    #[test]
    fn rfc3394_vectors_unwrap() {
        for (kek, data, wrapped) in VECTORS {
            let kek = hex::decode(kek).unwrap();
            let got = unwrap_key(&kek, &hex::decode(wrapped).unwrap()).unwrap();
            assert_eq!(hex::encode_upper(&got[..]), data);
        }
    }

    #[test]
    fn a_wrong_kek_or_a_flipped_bit_fails_the_integrity_check() {
        for (kek, _, wrapped) in VECTORS {
            let mut kek = hex::decode(kek).unwrap();
            let wrapped = hex::decode(wrapped).unwrap();
            let mut flipped = wrapped.clone();
            flipped[5] ^= 1;
            assert_eq!(unwrap_key(&kek, &flipped), Err(UnwrapError::Integrity));
            kek[0] ^= 0x80;
            assert_eq!(unwrap_key(&kek, &wrapped), Err(UnwrapError::Integrity));
        }
    }

    #[test]
    fn odd_shapes_are_refused_not_panicked_on() {
        assert_eq!(unwrap_key(&[0; 32], &[0; 16]), Err(UnwrapError::Shape));
        assert_eq!(unwrap_key(&[0; 32], &[0; 41]), Err(UnwrapError::Shape));
        assert_eq!(unwrap_key(&[0; 20], &[0; 40]), Err(UnwrapError::Shape));
        assert_eq!(
            unwrap_key32(&Key([0; 32]), &[0; 32]).err(),
            Some(UnwrapError::Shape)
        );
    }

    #[test]
    fn wrap_then_unwrap_round_trips() {
        let kek = Key([7; 32]);
        let key = Key([9; 32]);
        let wrapped = wrap_key32(&kek, &key);
        assert_eq!(unwrap_key32(&kek, &wrapped).unwrap(), key);
    }
}
