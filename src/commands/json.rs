//! Conventions shared by every command's `--json` output (see `docs/json.md`).
//!
//! Paths are JSON strings. A path that is not valid UTF-8 (a folder named with Latin-1 bytes
//! on Linux) is given as its lossy text (each invalid byte becomes `�`), and beside it a field
//! of the same name with `_bytes` appended holds the path's raw bytes as an array of integers
//! (0–255), so a program can still find the folder. The `_bytes` field is absent for a path
//! that is valid UTF-8.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

/// The version of the JSON documents, the `"schema"` field at the top of every one. It grows
/// when a field changes meaning or goes away (adding a field keeps it); `docs/json.md` lists
/// what each version changed.
pub const SCHEMA: u64 = 1;

/// `doc` as a JSON value with `"schema": SCHEMA` added at its top. A document that is not an
/// object (a bare array) is wrapped as `{"schema": N, "items": [...]}`; no command prints one.
pub fn document<T: Serialize + ?Sized>(doc: &T) -> serde_json::Result<Value> {
    let mut value = serde_json::to_value(doc)?;
    if !value.is_object() {
        value = serde_json::json!({ "items": value });
    }
    if let Value::Object(map) = &mut value {
        map.insert("schema".to_string(), Value::from(SCHEMA));
    }
    Ok(value)
}

/// `doc` as pretty JSON text with its schema (see [`document`]) and a final newline.
pub fn to_text<T: Serialize + ?Sized>(doc: &T) -> serde_json::Result<String> {
    let mut text = serde_json::to_string_pretty(&document(doc)?)?;
    text.push('\n');
    Ok(text)
}

/// Writes `doc` to `out` as one JSON document (see [`to_text`]).
pub fn print<T: Serialize + ?Sized>(out: &mut dyn Write, doc: &T) -> anyhow::Result<()> {
    out.write_all(to_text(doc)?.as_bytes())?;
    Ok(())
}

/// The document a command prints on stdout in JSON mode when it fails before it has a report:
/// `{"schema": N, "error": {"message": text, "exit_code": code}}`. The same text goes to stderr.
pub fn error_document(message: &str, exit_code: u8) -> Value {
    serde_json::json!({
        "schema": SCHEMA,
        "error": { "message": message, "exit_code": exit_code },
    })
}

pub use crate::json_path::{raw_bytes, text as path_text};

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
pub use crate::json_path::lossy as lossy_path;

/// Says that a command refused before it had a report, and returns `code` for its exit: in
/// JSON mode the [`error_document`] on `out` and the text on stderr, otherwise the text on
/// `out` (as the command printed it before). `message` must already be fit for display.
pub fn refuse(out: &mut dyn Write, json: bool, message: &str, code: u8) -> anyhow::Result<i32> {
    if json {
        eprintln!("backtop: {message}");
        out.write_all(to_text(&error_document(message, code))?.as_bytes())?;
    } else {
        writeln!(out, "{message}")?;
    }
    Ok(i32::from(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_carries_the_schema() {
        let doc = document(&serde_json::json!({"roots": []})).unwrap();
        assert_eq!(doc, serde_json::json!({"roots": [], "schema": SCHEMA}));
        let wrapped = document(&[1, 2]).unwrap();
        assert_eq!(
            wrapped,
            serde_json::json!({"items": [1, 2], "schema": SCHEMA})
        );
        assert!(to_text(&serde_json::json!({})).unwrap().ends_with("}\n"));
        assert_eq!(
            error_document("no such version", 2),
            serde_json::json!({"schema": SCHEMA, "error": {"message": "no such version", "exit_code": 2}})
        );
    }

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
