//! Conventions shared by every command's `--json` output (see `docs/json.md`).
//!
//! Paths are JSON strings. A path that is not valid UTF-8 (a folder named with Latin-1 bytes
//! on Linux) is given as its lossy text (each invalid byte becomes `�`), and beside it a field
//! of the same name with `_bytes` appended holds the path's raw bytes as an array of integers
//! (0–255), so a program can still find the folder. The `_bytes` field is absent for a path
//! that is valid UTF-8.

use std::path::Path;

use serde::Serializer;
use serde_json::Value;

/// A path's lossy text.
pub fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The raw bytes of `path` when it is not valid UTF-8.
pub fn raw_bytes(path: &Path) -> Option<Vec<u8>> {
    path.to_str()
        .is_none()
        .then(|| path.as_os_str().as_encoded_bytes().to_vec())
}

/// Sets `obj[key]` to the path's lossy text, and `obj[key_bytes]` to its raw bytes when it is
/// not valid UTF-8. `obj` must be a JSON object.
pub fn put_path(obj: &mut Value, key: &str, path: &Path) {
    if let Value::Object(map) = obj {
        map.insert(key.to_string(), Value::String(path_text(path)));
        if let Some(bytes) = raw_bytes(path) {
            map.insert(format!("{key}_bytes"), Value::from(bytes));
        }
    }
}

/// `serialize_with` for a path field: its lossy text (never the serde error that a non-UTF-8
/// `PathBuf` gives, which lost a whole report).
pub fn lossy_path<S: Serializer>(path: &Path, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&path.to_string_lossy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_non_utf8_path_is_lossy_text_plus_its_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"/b/iPhone-\xff"));
        let mut obj = serde_json::json!({});
        put_path(&mut obj, "path", path);
        assert_eq!(
            obj,
            serde_json::json!({"path": "/b/iPhone-\u{FFFD}", "path_bytes": b"/b/iPhone-\xff".to_vec()})
        );
        let mut plain = serde_json::json!({});
        put_path(&mut plain, "path", Path::new("/b/ok"));
        assert_eq!(plain, serde_json::json!({"path": "/b/ok"}));
    }
}
