//! Previews of the files of an unlocked encrypted version, decrypted in memory only: the
//! first [`PREFIX`] bytes through a [`DecryptReader`] tell what a file is (text and hex dumps
//! need nothing more); a plist is decrypted whole up to [`MAX_PLIST`], into a buffer zeroized
//! on drop; a database up to [`MAX_DECRYPTED_DB`] straight into SQLite's own memory
//! ([`open_encrypted_sqlite`], read-only; SQLite frees that copy without zeroing it). No
//! decrypted byte is written to disk.

use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::atomic::AtomicBool;

use zeroize::Zeroizing;

use super::preview::{
    open_contents, plist_of, plist_too_large, tables_of, Contents, MAX_PLIST, PREFIX,
};
use super::Preview;
use crate::library::unlock::cipher::{unlock_error_of, DecryptReader};
use crate::library::unlock::manifest_db::open_encrypted_sqlite;
use crate::library::unlock::Key;

/// Largest encrypted database decrypted into memory for a preview (export it to see more).
pub const MAX_DECRYPTED_DB: u64 = 256 << 20;

/// Previews the encrypted contents file at `path` with its file `key`; `name` is its name in
/// the manifest. `cancel` stops an SQLite row count.
pub fn preview_decrypted(path: &Path, key: &Key, name: &str, cancel: &AtomicBool) -> Preview {
    let file = match open_contents(path) {
        Ok(f) => f,
        Err(unavailable) => return unavailable,
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    // One byte past the prefix tells whether the prefix is the whole file.
    let (prefix, whole) = match read_plain(file, key, len.min(PREFIX as u64 + 1)) {
        Ok(mut plain) => {
            let whole = plain.len() <= PREFIX;
            plain.truncate(PREFIX);
            (plain, whole)
        }
        Err(why) => return Preview::unavailable(why),
    };
    let contents = Contents {
        prefix: &prefix,
        whole,
        name,
    };
    let sqlite = || match open_encrypted_sqlite(path, key, MAX_DECRYPTED_DB) {
        Ok(conn) => tables_of(&conn, cancel),
        Err(e) => Preview::unavailable(format!("cannot open the database: {e}")),
    };
    let plist = || {
        if len > MAX_PLIST {
            return plist_too_large(len);
        }
        match open_contents(path).map(|f| read_plain(f, key, len)) {
            Ok(Ok(bytes)) => plist_of(&bytes, path),
            Ok(Err(why)) => Preview::unavailable(why),
            Err(unavailable) => unavailable,
        }
    };
    contents.preview(sqlite, plist)
}

/// At most `max` plain bytes from the start of the ciphertext `file` (`max` at most its
/// length, so that the buffer, allocated once, never moves and leaves a copy behind); the
/// reason when it does not decrypt.
fn read_plain(file: std::fs::File, key: &Key, max: u64) -> Result<Zeroizing<Vec<u8>>, String> {
    let reader = DecryptReader::new(BufReader::with_capacity(1 << 16, file), key);
    let mut plain = Zeroizing::new(Vec::with_capacity(max as usize));
    match reader.take(max).read_to_end(&mut plain) {
        Ok(_) => Ok(plain),
        Err(e) => Err(match unlock_error_of(e) {
            Ok(u) => format!("it does not decrypt: {u}"),
            Err(e) => format!("cannot read it: {e}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::browse::PreviewKind;
    use crate::library::unlock::cipher::encrypt_all;

    fn key() -> Key {
        Key::from_bytes([7; 32])
    }

    /// Previews `plain` encrypted with [`key`] (and decrypted again in memory).
    fn run(plain: &[u8], name: &str) -> Preview {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, encrypt_all(&key(), plain)).unwrap();
        preview_decrypted(&path, &key(), name, &AtomicBool::new(false))
    }

    #[test]
    fn text_a_prefix_and_a_plist_decrypt_as_their_plain_previews_do() {
        let got = run(b"hello\n\tworld\n", "a.txt");
        assert_eq!(
            (got.kind, got.summary.as_str()),
            (PreviewKind::Text, "text")
        );
        assert_eq!(got.lines, ["hello", "    world"]);
        let long = "line\n".repeat(20_000);
        assert_eq!(
            run(long.as_bytes(), "log.txt").summary,
            "text (first 64 KiB)"
        );
        // Exactly the prefix is the whole file.
        let exact = "x".repeat(PREFIX);
        assert_eq!(run(exact.as_bytes(), "x.txt").summary, "text");
        let mut xml = Vec::new();
        plist::Value::Dictionary(plist::Dictionary::from_iter([(
            "Name".to_string(),
            plist::Value::String("Anna".into()),
        )]))
        .to_writer_xml(&mut xml)
        .unwrap();
        let got = run(&xml, "Info.plist");
        assert_eq!(got.summary, "property list (XML)");
        assert_eq!(got.lines, ["{1 keys}", "  Name: \"Anna\""]);
        assert_eq!(run(b"", "empty").kind, PreviewKind::Empty);
    }

    #[test]
    fn ciphertext_that_does_not_decrypt_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, [1u8; 17]).unwrap();
        let got = preview_decrypted(&path, &key(), "f", &AtomicBool::new(false));
        assert_eq!(got.kind, PreviewKind::Unavailable);
        assert!(got.summary.starts_with("it does not decrypt"), "{got:?}");
        let gone = preview_decrypted(&dir.path().join("no"), &key(), "f", &AtomicBool::new(false));
        assert!(gone.summary.starts_with("missing on disk"), "{gone:?}");
    }
}
