//! An image's type and dimensions from its first bytes (PNG, GIF, JPEG, BMP, HEIF/HEIC/AVIF),
//! for the browser's previews: no image is decoded.

/// The type and dimensions of a PNG, GIF, JPEG, BMP or HEIF/HEIC/AVIF image from its first
/// bytes.
pub fn image_size(b: &[u8]) -> Option<(&'static str, u32, u32)> {
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
    };
    let be16 = |at: usize| -> Option<u32> {
        Some(u32::from(u16::from_be_bytes(
            b.get(at..at + 2)?.try_into().ok()?,
        )))
    };
    let le16 = |at: usize| -> Option<u32> {
        Some(u32::from(u16::from_le_bytes(
            b.get(at..at + 2)?.try_into().ok()?,
        )))
    };
    if b.starts_with(b"\x89PNG\r\n\x1a\n") && b.get(12..16) == Some(b"IHDR") {
        return Some(("PNG", be32(16)?, be32(20)?));
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Some(("GIF", le16(6)?, le16(8)?));
    }
    if b.starts_with(b"BM") && b.len() >= 26 {
        let w = i32::from_le_bytes(b.get(18..22)?.try_into().ok()?);
        let h = i32::from_le_bytes(b.get(22..26)?.try_into().ok()?);
        return Some(("BMP", w.unsigned_abs(), h.unsigned_abs()));
    }
    if b.starts_with(&[0xFF, 0xD8]) {
        // Walk the JPEG segments to the first start-of-frame.
        let mut at = 2;
        while at + 4 <= b.len() {
            if b[at] != 0xFF {
                return None;
            }
            let marker = b[at + 1];
            if marker == 0xFF {
                at += 1;
                continue;
            }
            let len = be16(at + 2)? as usize;
            let sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
            if sof {
                return Some(("JPEG", be16(at + 7)?, be16(at + 5)?));
            }
            at += 2 + len;
        }
        return None;
    }
    if b.get(4..8) == Some(b"ftyp") {
        let brand = b.get(8..12)?;
        let format = match brand {
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" => "HEIC",
            b"avif" | b"avis" => "AVIF",
            b"mif1" | b"msf1" => "HEIF",
            _ => return None,
        };
        let at = memchr::memmem::find(b, b"ispe")?;
        return Some((format, be32(at + 8)?, be32(at + 12)?));
    }
    None
}
