//! AES-256-CBC with PKCS#7: whole buffers, streaming, the last block alone, bad padding.

use std::io::Read;

use super::*;

fn key() -> Key {
    Key([0x11; 32])
}

#[test]
fn whole_and_streamed_decryption_give_back_the_plaintext() {
    for len in [
        0usize,
        1,
        15,
        16,
        17,
        64 * 1024 - 1,
        64 * 1024,
        64 * 1024 + 16,
        200_001,
    ] {
        let plain: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let ct = encrypt_all(&key(), &plain);
        assert_eq!(ct.len(), len / 16 * 16 + 16);
        assert_eq!(
            &decrypt_all(&key(), &ct).unwrap()[..],
            &plain[..],
            "len {len}"
        );
        let mut streamed = Vec::new();
        let mut reader = DecryptReader::new(&ct[..], &key());
        reader.read_to_end(&mut streamed).unwrap();
        assert_eq!(streamed, plain, "streamed, len {len}");
        assert_eq!(reader.plain_len(), len as u64);
        let tail = &ct[ct.len().saturating_sub(32)..];
        assert_eq!(padding_of_tail(&key(), tail).unwrap(), ct.len() - len);
    }
}

#[test]
fn bad_padding_and_partial_blocks_are_errors() {
    let ct = encrypt_all(&key(), b"hello");
    assert!(decrypt_all(&Key([0x12; 32]), &ct).is_err());
    assert!(decrypt_all(&key(), &ct[..15]).is_err());
    let mut reader = DecryptReader::new(&ct[..15], &key());
    let e = reader.read_to_end(&mut Vec::new()).unwrap_err();
    let e = unlock_error_of(e).unwrap();
    assert!(e.to_string().contains("16-byte blocks"), "{e}");
    let mut wrong = DecryptReader::new(&ct[..], &Key([0x12; 32]));
    let e = unlock_error_of(wrong.read_to_end(&mut Vec::new()).unwrap_err()).unwrap();
    assert!(e.to_string().contains("PKCS#7"), "{e}");
}

#[test]
fn a_last_block_after_a_hole_carries_valid_padding() {
    // A sparse file: zeros, then one block encrypted after a zero block.
    let mut last = [16u8; 16];
    last[..4].copy_from_slice(b"tail");
    last[4..].fill(12);
    let block = encrypt_block_after(&key(), &[0; 16], &last);
    let mut file = vec![0u8; 4096];
    file.extend_from_slice(&block);
    let plain = decrypt_all(&key(), &file).unwrap();
    assert_eq!(plain.len(), 4096 + 4);
    assert_eq!(&plain[4096..], b"tail");
}

#[test]
fn pkcs7_accepts_only_whole_runs() {
    assert_eq!(pkcs7_len(&[16; 16]), Some(16));
    let mut b = [0u8; 16];
    b[15] = 1;
    assert_eq!(pkcs7_len(&b), Some(1));
    b[15] = 2;
    assert_eq!(pkcs7_len(&b), None);
    b[15] = 0;
    assert_eq!(pkcs7_len(&b), None);
    b[15] = 17;
    assert_eq!(pkcs7_len(&b), None);
}
