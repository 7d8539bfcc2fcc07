//! The one way backtop parses a plist from a backup: bounded in size, nesting depth and work
//! before anything is built from it.
//!
//! The `plist` crate builds values recursively, so a file of 100,000 nested `<array>`s
//! overflows the stack and aborts the process. Here every parse runs over the crate's event
//! stream (which reads XML and binary plists without recursion) through a guard that stops
//! it when the nesting passes [`MAX_DEPTH`], when more events come out than the input has
//! bytes to hold (a binary plist whose objects share one another can expand exponentially),
//! or when more string and data bytes come out than a few times the input (one large data
//! object referenced many times). Files are opened with [`safe_fs::open_capped`] (a regular
//! file, never through a link, at most [`MAX_FILE_BYTES`]); blobs from inside a database
//! (`MBFile`) or a plist (`iTunesMetadata`) are at most [`MAX_BLOB_BYTES`].
//!
//! A refused plist is an [`Error::Refused`] that names the file and the reason, e.g.
//! `Info.plist nests deeper than 64 levels`.

use std::cell::Cell;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;
use std::rc::Rc;

use plist::stream::{Event, OwnedEvent};
use plist::Value;
use serde::de::DeserializeOwned;

use crate::library::error::{Error, Result};
use crate::library::safe_fs;

/// Deepest nesting of arrays and dictionaries accepted (real backups nest fewer than 10).
pub const MAX_DEPTH: usize = 64;

/// Largest plist file read from a backup (an `Info.plist` with every app's icon is tens of MB).
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Largest plist blob read from inside another file (an `MBFile` is about 1 KB).
pub const MAX_BLOB_BYTES: usize = 4 * 1024 * 1024;

/// Why the guard stopped a parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Nesting passed [`MAX_DEPTH`].
    Depth,
    /// More events than the input can hold without shared objects.
    Events,
    /// More string and data bytes than a few times the input.
    Payload,
    /// Another value after the top-level one (text that only looks like an old-style plist).
    Trailing,
}

/// The budget of one parse, from the input's length.
#[derive(Debug, Clone, Copy)]
struct Budget {
    events: u64,
    payload: u64,
}

impl Budget {
    fn for_len(len: u64) -> Self {
        Budget {
            events: len.saturating_mul(2).saturating_add(64),
            payload: len.saturating_mul(4).saturating_add(1 << 20),
        }
    }
}

/// The event stream with the guard: ends early (and records why in `stopped`) when a limit
/// is passed; the deserializer then fails and [`finish`] words the error.
struct Guarded<I> {
    events: I,
    depth: usize,
    count: u64,
    payload: u64,
    budget: Budget,
    /// The top-level value is complete: any further event is [`Stop::Trailing`].
    root_done: bool,
    stopped: Rc<Cell<Option<Stop>>>,
}

impl<I: Iterator<Item = std::result::Result<OwnedEvent, plist::Error>>> Iterator for Guarded<I> {
    type Item = std::result::Result<OwnedEvent, plist::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.stopped.get().is_some() {
            return None;
        }
        let event = self.events.next()?;
        if self.root_done && event.is_ok() {
            self.stopped.set(Some(Stop::Trailing));
            return None;
        }
        let stop = match &event {
            Ok(Event::StartArray(_) | Event::StartDictionary(_)) => {
                self.depth += 1;
                (self.depth > MAX_DEPTH).then_some(Stop::Depth)
            }
            Ok(Event::EndCollection) => {
                self.depth = self.depth.saturating_sub(1);
                None
            }
            Ok(Event::Data(d)) => self.add_payload(d.len()),
            Ok(Event::String(s)) => self.add_payload(s.len()),
            _ => None,
        };
        self.count += 1;
        self.root_done = self.depth == 0
            && !matches!(event, Ok(Event::StartArray(_) | Event::StartDictionary(_)));
        let stop = stop.or((self.count > self.budget.events).then_some(Stop::Events));
        if let Some(stop) = stop {
            self.stopped.set(Some(stop));
            return None;
        }
        Some(event)
    }
}

impl<I> Guarded<I> {
    fn add_payload(&mut self, len: usize) -> Option<Stop> {
        self.payload = self
            .payload
            .saturating_add(u64::try_from(len).unwrap_or(u64::MAX));
        (self.payload > self.budget.payload).then_some(Stop::Payload)
    }
}

/// Parses `reader` (`len` bytes) into `T` under the guard; `path` and `name` word errors.
fn parse<T: DeserializeOwned, R: Read + Seek>(
    reader: R,
    len: u64,
    path: &Path,
    name: &str,
) -> Result<T> {
    let stopped = Rc::new(Cell::new(None));
    let mut events = Guarded {
        events: plist::stream::Reader::new(reader),
        depth: 0,
        count: 0,
        payload: 0,
        budget: Budget::for_len(len),
        root_done: false,
        stopped: Rc::clone(&stopped),
    };
    let parsed = T::deserialize(&mut plist::Deserializer::new(&mut events));
    // One more event tells a value followed by more (text garbage read as old-style plist
    // words) from a whole plist; the guard records it as trailing.
    let parsed = match (parsed, events.next()) {
        (Ok(_), Some(Err(source))) => Err(source),
        (parsed, _) => parsed,
    };
    finish(parsed, stopped.get(), path, name)
}

/// The result of a guarded parse: the guard's reason wins over the parser's error it caused.
fn finish<T>(
    parsed: std::result::Result<T, plist::Error>,
    stopped: Option<Stop>,
    path: &Path,
    name: &str,
) -> Result<T> {
    match (stopped, parsed) {
        (Some(stop), _) => Err(Error::Refused {
            path: path.to_path_buf(),
            message: refusal(stop, name),
        }),
        (None, Ok(value)) => Ok(value),
        (None, Err(source)) => Err(Error::Plist {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The sentence for a stopped parse of `name`.
fn refusal(stop: Stop, name: &str) -> String {
    match stop {
        Stop::Depth => format!("{name} nests deeper than {MAX_DEPTH} levels"),
        Stop::Events => {
            format!("{name} holds more values than its size allows (objects shared in a loop)")
        }
        Stop::Payload => {
            format!("{name} expands to far more text and data than its size (objects shared)")
        }
        Stop::Trailing => format!("{name} is not a readable plist (more than one top-level value)"),
    }
}

/// The file name of `path` for messages (`Info.plist`).
fn name_of(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    )
}

/// Parses the plist file at `path` into `T` (any serde shape; [`Value`] for all of it).
///
/// Errors: [`Error::Io`] when it cannot be opened (a link, FIFO, device or folder is refused,
/// see [`safe_fs::special_file`]; a file over [`MAX_FILE_BYTES`] too), [`Error::Refused`] when
/// a limit stopped the parse, [`Error::Plist`] when it is not a plist of that shape.
pub fn from_file<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let file = safe_fs::open_capped(path, MAX_FILE_BYTES).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    parse(
        BufReader::with_capacity(1 << 16, file),
        len,
        path,
        &name_of(path),
    )
}

/// Parses a plist held in memory (a blob from inside another file) into `T`. `path` and
/// `name` say where it came from in errors (`<MBFile blob>`).
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8], path: &Path, name: &str) -> Result<T> {
    if bytes.len() > MAX_BLOB_BYTES {
        return Err(Error::Refused {
            path: path.to_path_buf(),
            message: format!("{name} is larger than {MAX_BLOB_BYTES} bytes (not read)"),
        });
    }
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    parse(Cursor::new(bytes), len, path, name)
}

/// Parses the plist file at `path` as a [`Value`] (see [`from_file`]).
pub fn value_from_file(path: &Path) -> Result<Value> {
    from_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::damaged::{deep_xml, shared_bomb};

    #[test]
    fn deep_nesting_is_refused_with_its_reason() {
        let bytes = deep_xml(100_000);
        let err = from_bytes::<Value>(&bytes, Path::new("/b/Info.plist"), "Info.plist")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "/b/Info.plist: Info.plist nests deeper than 64 levels");
    }

    #[test]
    fn nesting_up_to_the_limit_parses() {
        let v: Value = from_bytes(&deep_xml(MAX_DEPTH - 1), Path::new("x"), "x").unwrap();
        assert!(v.as_dictionary().is_some());
        assert!(from_bytes::<Value>(&deep_xml(MAX_DEPTH), Path::new("x"), "x").is_err());
    }

    /// 40 arrays, each holding the next one twice: 2^40 values from a few hundred bytes. The
    /// guard stops it at once.
    #[test]
    fn shared_objects_cannot_expand_exponentially() {
        let start = std::time::Instant::now();
        let err = from_bytes::<Value>(&shared_bomb(40), Path::new("b"), "Manifest.plist")
            .unwrap_err()
            .to_string();
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(
            err,
            "b: Manifest.plist holds more values than its size allows (objects shared in a loop)"
        );
        let small: Value = from_bytes(&shared_bomb(3), Path::new("b"), "b").unwrap();
        assert!(small.as_array().is_some());
    }

    #[test]
    fn text_that_only_looks_like_old_style_plist_words_is_no_plist() {
        let err = from_bytes::<Value>(b"not a plist", Path::new("b"), "Status.plist").unwrap_err();
        assert_eq!(
            err.to_string(),
            "b: Status.plist is not a readable plist (more than one top-level value)"
        );
    }

    #[test]
    fn large_blobs_are_refused_before_parsing() {
        let bytes = vec![b' '; MAX_BLOB_BYTES + 1];
        let err = from_bytes::<Value>(&bytes, Path::new("<MBFile blob>"), "MBFile").unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
    }
}
