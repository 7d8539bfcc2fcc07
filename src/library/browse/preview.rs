//! What a file of a backup holds, in a few lines for the browser's preview: text and JSON,
//! plists (XML or binary) pretty-printed, SQLite databases as their tables with row counts,
//! images as their type and dimensions, anything else as a hex dump of its first bytes.
//!
//! Bounded: at most [`PREFIX`] bytes are read to tell what a file is and to show text; a plist
//! is parsed whole only up to [`MAX_PLIST`] (through [`bounded`], nesting and work limited);
//! SQLite opens the file read-only and immutable ([`sqlite::open_read_only`]), lists at most
//! [`MAX_TABLES`] tables and counts at most [`MAX_COUNT`] rows of each, for at most
//! [`COUNT_TIME`] in all. Files are
//! opened through [`safe_fs`] (never through a link, never a FIFO). At most [`MAX_LINES`]
//! lines come out.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use plist::Value;

pub use super::image::image_size;
use crate::library::plists::bounded;
use crate::library::{safe_fs, sqlite};

/// Bytes read from the start of a file to tell what it is and to show text.
pub const PREFIX: usize = 64 * 1024;
/// Largest plist parsed whole (a binary plist's offset table is at its end).
pub const MAX_PLIST: u64 = 4 * 1024 * 1024;
/// Most tables of a database listed.
pub const MAX_TABLES: usize = 200;
/// Most lines of a preview.
pub const MAX_LINES: usize = 400;
/// Rows counted per table at most (a count stops there: "over 1000000 rows").
pub const MAX_COUNT: u64 = 1_000_000;
/// Time spent counting rows before the remaining tables are listed without counts.
pub const COUNT_TIME: std::time::Duration = std::time::Duration::from_secs(2);
/// Bytes shown in a hex dump.
const HEX_BYTES: usize = 256;

/// What kind of contents a preview shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewKind {
    /// UTF-8 text.
    Text,
    /// JSON, pretty-printed.
    Json,
    /// A property list, pretty-printed.
    Plist,
    /// An SQLite database: its tables.
    Sqlite,
    /// An image: type and dimensions.
    Image,
    /// Anything else: a hex dump.
    Binary,
    /// No bytes.
    Empty,
    /// Not previewed, and why (missing, not a regular file, unreadable).
    Unavailable,
}

/// A file's preview: a one-line summary and the lines to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// What it is.
    pub kind: PreviewKind,
    /// One line: "SQLite database, 3 tables", "PNG image, 640 × 480".
    pub summary: String,
    /// The contents, at most [`MAX_LINES`].
    pub lines: Vec<String>,
}

impl Preview {
    fn new(kind: PreviewKind, summary: impl Into<String>, lines: Vec<String>) -> Preview {
        Preview {
            kind,
            summary: summary.into(),
            lines,
        }
    }

    /// A preview saying why there is none.
    pub fn unavailable(why: impl Into<String>) -> Preview {
        Preview::new(PreviewKind::Unavailable, why, Vec::new())
    }
}

/// Previews the file at `path` (a backup's contents file); `name` is its name in the manifest
/// (its extension helps tell JSON from text). `cancel` stops an SQLite row count.
pub fn preview(path: &Path, name: &str, cancel: &AtomicBool) -> Preview {
    let file = match open_contents(path) {
        Ok(f) => f,
        Err(unavailable) => return unavailable,
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut prefix = Vec::with_capacity(PREFIX.min(len as usize));
    if let Err(e) = file.take(PREFIX as u64).read_to_end(&mut prefix) {
        return Preview::unavailable(format!("cannot read it: {e}"));
    }
    let whole = prefix.len() as u64 >= len;
    let kind = Contents {
        prefix: &prefix,
        whole,
        name,
    };
    kind.preview(|| sqlite_preview(path, cancel), || plist_preview(path, len))
}

/// Opens a contents file for a preview, or the preview saying why it cannot be read.
pub(super) fn open_contents(path: &Path) -> Result<std::fs::File, Preview> {
    safe_fs::open_regular(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            return Preview::unavailable(
                "missing on disk: the backup lists it but has no contents",
            );
        }
        match safe_fs::special_file(&e) {
            Some(kind) => Preview::unavailable(format!("the contents file {kind}")),
            None => Preview::unavailable(format!("cannot read it: {e}")),
        }
    })
}

/// The first bytes of a file (plain or decrypted), which tell what it is.
pub(super) struct Contents<'a> {
    /// At most [`PREFIX`] bytes from the start.
    pub prefix: &'a [u8],
    /// The prefix is the whole file.
    pub whole: bool,
    /// The file's name in the manifest.
    pub name: &'a str,
}

impl Contents<'_> {
    /// The preview of a file starting with `prefix`; a database and a plist need more than
    /// the prefix, so `sqlite` and `plist` preview those from the whole file.
    pub fn preview(
        &self,
        sqlite: impl FnOnce() -> Preview,
        plist: impl FnOnce() -> Preview,
    ) -> Preview {
        let prefix = self.prefix;
        if prefix.is_empty() {
            return Preview::new(PreviewKind::Empty, "empty file", Vec::new());
        }
        if prefix.starts_with(b"SQLite format 3\0") {
            return sqlite();
        }
        if prefix.starts_with(b"bplist0") || looks_like_xml_plist(prefix) {
            return plist();
        }
        if let Some((format, w, h)) = image_size(prefix) {
            return Preview::new(
                PreviewKind::Image,
                format!("{format} image, {w} × {h} pixels"),
                Vec::new(),
            );
        }
        if let Some(text) = as_text(prefix, self.whole) {
            let json = self.name.ends_with(".json") || text.trim_start().starts_with(['{', '[']);
            if json && self.whole {
                if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
                    let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
                    return Preview::new(PreviewKind::Json, "JSON", lines_of(&pretty));
                }
            }
            let summary = if self.whole {
                "text".to_string()
            } else {
                format!("text (first {} KiB)", PREFIX / 1024)
            };
            return Preview::new(PreviewKind::Text, summary, lines_of(text));
        }
        Preview::new(
            PreviewKind::Binary,
            format!("binary, first {} bytes", prefix.len().min(HEX_BYTES)),
            hex_dump(&prefix[..prefix.len().min(HEX_BYTES)]),
        )
    }
}

fn looks_like_xml_plist(prefix: &[u8]) -> bool {
    let head = &prefix[..prefix.len().min(512)];
    let text = String::from_utf8_lossy(head);
    text.trim_start().starts_with("<?xml") && text.contains("<plist")
}

/// The prefix as text when it is UTF-8 (a character cut by the end of the prefix allowed)
/// without NULs.
fn as_text(prefix: &[u8], whole: bool) -> Option<&str> {
    let text = match std::str::from_utf8(prefix) {
        Ok(t) => t,
        Err(e) if !whole && e.error_len().is_none() => {
            std::str::from_utf8(&prefix[..e.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    (!text.contains('\0')).then_some(text)
}

/// At most [`MAX_LINES`] lines, tabs as spaces.
fn lines_of(text: &str) -> Vec<String> {
    text.lines()
        .take(MAX_LINES)
        .map(|l| l.replace('\t', "    "))
        .collect()
}

fn hex_dump(bytes: &[u8]) -> Vec<String> {
    bytes
        .chunks(16)
        .enumerate()
        .map(|(i, chunk)| {
            let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
            let ascii: String = chunk
                .iter()
                .map(|&b| {
                    if b.is_ascii_graphic() || b == b' ' {
                        char::from(b)
                    } else {
                        '.'
                    }
                })
                .collect();
            format!("{:04x}  {:<47}  {ascii}", i * 16, hex.join(" "))
        })
        .collect()
}

fn plist_preview(path: &Path, len: u64) -> Preview {
    if len > MAX_PLIST {
        return plist_too_large(len);
    }
    match safe_fs::read_capped(path, MAX_PLIST) {
        Ok(bytes) => plist_of(&bytes, path),
        Err(e) => Preview::unavailable(format!("cannot read it: {e}")),
    }
}

/// Why a plist of `len` bytes is not parsed.
pub(super) fn plist_too_large(len: u64) -> Preview {
    Preview::unavailable(format!(
        "a plist of {len} bytes: larger than {} MiB, not parsed",
        MAX_PLIST >> 20
    ))
}

/// The preview of the plist `bytes` (read from `path`, named in errors).
pub(super) fn plist_of(bytes: &[u8], path: &Path) -> Preview {
    let binary = bytes.starts_with(b"bplist");
    match bounded::from_bytes::<Value>(bytes, path, "this plist") {
        Ok(value) => {
            let mut lines = Vec::new();
            pretty_plist(&value, 0, None, &mut lines);
            let summary = if binary {
                "property list (binary)"
            } else {
                "property list (XML)"
            };
            Preview::new(PreviewKind::Plist, summary, lines)
        }
        Err(e) => Preview::unavailable(format!("not a readable plist: {e}")),
    }
}

/// One line per value, nested values indented two spaces, at most [`MAX_LINES`].
fn pretty_plist(value: &Value, depth: usize, key: Option<&str>, out: &mut Vec<String>) {
    if out.len() >= MAX_LINES {
        return;
    }
    let pad = "  ".repeat(depth);
    let head = key.map_or_else(|| pad.clone(), |k| format!("{pad}{k}: "));
    match value {
        Value::Dictionary(dict) => {
            out.push(format!("{head}{{{} keys}}", dict.len()));
            for (k, v) in dict {
                pretty_plist(v, depth + 1, Some(k), out);
            }
        }
        Value::Array(items) => {
            out.push(format!("{head}[{} items]", items.len()));
            for (i, v) in items.iter().enumerate() {
                pretty_plist(v, depth + 1, Some(&i.to_string()), out);
            }
        }
        Value::Data(d) => {
            let shown: Vec<String> = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
            let more = if d.len() > 16 { " …" } else { "" };
            out.push(format!(
                "{head}<{} bytes> {}{more}",
                d.len(),
                shown.join("")
            ));
        }
        Value::String(s) => out.push(format!("{head}\"{}\"", one_line(s))),
        Value::Boolean(b) => out.push(format!("{head}{b}")),
        Value::Integer(i) => out.push(format!("{head}{i}")),
        Value::Real(r) => out.push(format!("{head}{r}")),
        Value::Date(d) => out.push(format!("{head}{}", d.to_xml_format())),
        Value::Uid(u) => out.push(format!("{head}UID({})", u.get())),
        _ => out.push(format!("{head}?")),
    }
}

/// Newlines and tabs shown as `\n` and `\t`, at most 200 characters.
fn one_line(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(200)
        .collect::<String>()
        .replace('\n', "\\n")
        .replace('\t', "\\t");
    if s.chars().count() > 200 {
        out.push('…');
    }
    out
}

fn sqlite_preview(path: &Path, cancel: &AtomicBool) -> Preview {
    match sqlite::open_read_only(path) {
        Ok(conn) => tables_of(&conn, cancel),
        Err(e) => Preview::unavailable(format!("cannot open the database: {e}")),
    }
}

/// The preview of an open database: its tables with their rows counted (bounded).
pub(super) fn tables_of(conn: &rusqlite::Connection, cancel: &AtomicBool) -> Preview {
    let names: Vec<String> = match conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()
        }) {
        Ok(n) => n,
        Err(e) => return Preview::unavailable(format!("not a readable database: {e}")),
    };
    let started = std::time::Instant::now();
    let over = || started.elapsed() >= COUNT_TIME || cancel.load(Ordering::Relaxed);
    let mut lines = Vec::new();
    let width = names
        .iter()
        .take(MAX_TABLES)
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for name in names.iter().take(MAX_TABLES) {
        let count = if over() {
            None
        } else {
            let quoted = name.replace('"', "\"\"");
            let sql = format!(
                "SELECT count(*) FROM (SELECT 1 FROM \"{quoted}\" LIMIT {})",
                MAX_COUNT + 1
            );
            conn.query_row(&sql, [], |r| r.get::<_, i64>(0))
                .ok()
                .map(|n| n.max(0).unsigned_abs())
        };
        let rows = match count {
            Some(n) if n > MAX_COUNT => format!("over {MAX_COUNT} rows"),
            Some(1) => "1 row".to_string(),
            Some(n) => format!("{n} rows"),
            None => "rows not counted".to_string(),
        };
        lines.push(format!("{:<width$}  {rows}", one_line(name)));
    }
    if names.len() > MAX_TABLES {
        lines.push(format!("… {} more tables", names.len() - MAX_TABLES));
    }
    let n = names.len();
    let summary = format!(
        "SQLite database, {n} {}",
        if n == 1 { "table" } else { "tables" }
    );
    Preview::new(PreviewKind::Sqlite, summary, lines)
}

#[cfg(test)]
#[path = "preview_tests.rs"]
mod tests;
