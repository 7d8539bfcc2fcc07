//! File ids: the 40-hex-digit names of content files, as 20 bytes.

/// Value of each ASCII byte as a hex digit, or 0xFF.
const HEX: [u8; 256] = {
    let mut table = [0xFFu8; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// Parses a 40-hex-digit file name (either case) into its 20 bytes; `None` for anything else.
/// A table lookup per digit, no allocation: cheap enough to call for every file of a walk.
#[inline]
pub fn parse_file_id(name: &[u8]) -> Option<[u8; 20]> {
    if name.len() != 40 {
        return None;
    }
    let mut id = [0u8; 20];
    let mut bad = 0u8;
    for (out, pair) in id.iter_mut().zip(name.chunks_exact(2)) {
        let (hi, lo) = (HEX[usize::from(pair[0])], HEX[usize::from(pair[1])]);
        bad |= hi | lo;
        *out = (hi << 4) | (lo & 0x0F);
    }
    // Valid digits are < 16, so any 0xFF marks a non-hex byte.
    (bad & 0xF0 == 0).then_some(id)
}

/// Lowercase hex of a file id, as it names the file on disk.
pub fn file_id_hex(id: &[u8; 20]) -> String {
    hex::encode(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lower_and_upper_hex() {
        let name = b"3d0d7e5fb2ce288813306e4d4636395e047a3d28";
        let id = parse_file_id(name).unwrap();
        assert_eq!(id[0], 0x3d);
        assert_eq!(id[19], 0x28);
        assert_eq!(file_id_hex(&id), "3d0d7e5fb2ce288813306e4d4636395e047a3d28");
        let upper = parse_file_id(b"3D0D7E5FB2CE288813306E4D4636395E047A3D28");
        assert_eq!(upper, Some(id));
    }

    #[test]
    fn rejects_other_names() {
        assert_eq!(parse_file_id(b"Manifest.db"), None);
        assert_eq!(
            parse_file_id(b"3d0d7e5fb2ce288813306e4d4636395e047a3d2"),
            None
        );
        assert_eq!(
            parse_file_id(b"3d0d7e5fb2ce288813306e4d4636395e047a3d288"),
            None
        );
        assert_eq!(
            parse_file_id(b"3d0d7e5fb2ce288813306e4d4636395e047a3d2g"),
            None
        );
        assert_eq!(
            parse_file_id(b"3d0d7e5fb2ce288813306e4d4636395e047a3d2/"),
            None
        );
        assert_eq!(
            parse_file_id(b"3d0d7e5fb2ce288813306e4d4636395e047a3d2\xff"),
            None
        );
    }
}
