//! Paths in JSON, for every serialized type of the core and the commands (see `docs/json.md`):
//! a path is its lossy text (each invalid byte becomes U+FFFD), and a path that is not valid
//! UTF-8 also gets a sibling field, its name with `_bytes` appended, holding its raw bytes as
//! an array of integers (0–255), so a program can still find the folder.
//!
//! serde's own `Serialize` for `Path` fails on such a path ("path contains invalid UTF-8
//! characters"), which lost whole reports (`roots --json`) or panicked (`prune --json`,
//! `move --json`). A field uses one of the modules made by [`path_fields!`] with
//! `#[serde(flatten, serialize_with = "crate::json_path::path::serialize")]`: flattening lets
//! the function write the text and, when needed, the `_bytes` sibling.

use std::path::Path;

use serde::ser::SerializeMap;
use serde::Serializer;

/// A path's lossy text.
pub fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The raw bytes of `path` when it is not valid UTF-8 (`None` for a UTF-8 path).
pub fn raw_bytes(path: &Path) -> Option<Vec<u8>> {
    path.to_str()
        .is_none()
        .then(|| path.as_os_str().as_encoded_bytes().to_vec())
}

/// `serialize_with` for a path field that is not flattened: its lossy text only.
pub fn lossy<S: Serializer>(path: &Path, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&path.to_string_lossy())
}

/// Writes `key`: the path's text, and `key_bytes` when it is not UTF-8, into a flattened map.
pub fn write_entries<S: Serializer>(
    key: &str,
    bytes_key: &str,
    path: Option<&Path>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    match path {
        Some(p) => {
            map.serialize_entry(key, &p.to_string_lossy())?;
            if let Some(bytes) = raw_bytes(p) {
                map.serialize_entry(bytes_key, &bytes)?;
            }
        }
        None => map.serialize_entry(key, &None::<String>)?,
    }
    map.end()
}

/// Writes `key`: the paths' texts, and `key_bytes` (one entry per path: its raw bytes, or
/// `null` for a UTF-8 one) when any of them is not UTF-8, into a flattened map.
pub fn write_list<S: Serializer, P: AsRef<Path>>(
    key: &str,
    bytes_key: &str,
    paths: &[P],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    let texts: Vec<String> = paths.iter().map(|p| text(p.as_ref())).collect();
    map.serialize_entry(key, &texts)?;
    let raw: Vec<Option<Vec<u8>>> = paths.iter().map(|p| raw_bytes(p.as_ref())).collect();
    if raw.iter().any(Option::is_some) {
        map.serialize_entry(bytes_key, &raw)?;
    }
    map.end()
}

/// Makes, for each `name => "key"`, a module `name` with the `serialize` functions a
/// flattened field uses: `name::serialize` (a path), `name::option` (`Option<PathBuf>`, `null`
/// when absent) and `name::list` (`Vec<PathBuf>`).
macro_rules! path_fields {
    ($($name:ident => $key:literal),* $(,)?) => {$(
        #[doc = concat!("The `\"", $key, "\"` field (and `\"", $key, "_bytes\"`).")]
        pub mod $name {
            use std::path::{Path, PathBuf};

            use serde::Serializer;

            /// A path.
            pub fn serialize<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
                super::write_entries($key, concat!($key, "_bytes"), Some(path), s)
            }

            /// An optional path (`null` when absent).
            pub fn option<S: Serializer>(path: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
                super::write_entries($key, concat!($key, "_bytes"), path.as_deref(), s)
            }

            /// A list of paths.
            pub fn list<S: Serializer>(paths: &[PathBuf], s: S) -> Result<S::Ok, S::Error> {
                super::write_list($key, concat!($key, "_bytes"), paths, s)
            }
        }
    )*};
}

path_fields! {
    path => "path",
    root => "root",
    far => "far",
    from => "from",
    to => "to",
    dest => "dest",
    special => "special",
    in_progress => "in_progress",
    half_deletes => "half_deletes",
    marker => "marker",
    original => "original",
    target => "target",
    kept => "kept",
    roots => "roots",
    parts => "parts",
    volume => "volume",
    found_at => "found_at",
}

/// `#[serde(with = "crate::json_path::lossless")]` for a path in a file backtop writes and reads
/// back (a marker note, a move journal, the seen-roots file, the size cache): its text when it
/// is UTF-8, else `{"bytes": [...]}` with its raw bytes, so a folder with a Latin-1 name can be
/// deleted, moved and cached like any other. Reading accepts both shapes.
pub mod lossless {
    use std::path::{Path, PathBuf};

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Text(String),
        Raw { bytes: Vec<u8> },
    }

    /// Writes the path.
    pub fn serialize<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        match path.to_str() {
            Some(text) => s.serialize_str(text),
            None => Stored::Raw {
                bytes: path.as_os_str().as_encoded_bytes().to_vec(),
            }
            .serialize(s),
        }
    }

    /// Reads a path written by [`serialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        match Stored::deserialize(d)? {
            Stored::Text(text) => Ok(PathBuf::from(text)),
            Stored::Raw { bytes } => super::from_raw(bytes).ok_or_else(|| {
                serde::de::Error::custom("a path's bytes are not a path on this system")
            }),
        }
    }

    /// The same for an `Option<PathBuf>` (`null` when absent).
    pub mod option {
        use std::path::PathBuf;

        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes the optional path.
        pub fn serialize<S: Serializer>(path: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
            match path {
                Some(p) => super::serialize(p, s),
                None => s.serialize_none(),
            }
        }

        /// Reads an optional path.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PathBuf>, D::Error> {
            #[derive(Deserialize)]
            struct Wrap(#[serde(with = "super")] PathBuf);
            Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
        }
    }
}

/// A path from its raw bytes: any bytes on Unix; valid UTF-8 elsewhere.
pub fn from_raw(bytes: Vec<u8>) -> Option<std::path::PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(std::ffi::OsString::from_vec(bytes).into())
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes).ok().map(Into::into)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    use std::ffi::OsStr;
    use std::path::PathBuf;

    use serde::Serialize;

    #[derive(Serialize)]
    struct Doc {
        #[serde(flatten, serialize_with = "super::path::serialize")]
        path: PathBuf,
        #[serde(flatten, serialize_with = "super::to::option")]
        to: Option<PathBuf>,
        #[serde(flatten, serialize_with = "super::special::list")]
        special: Vec<PathBuf>,
        n: u8,
    }

    #[cfg(unix)]
    fn latin1(path: &[u8]) -> PathBuf {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(OsStr::from_bytes(path))
    }

    #[cfg(unix)]
    #[test]
    fn a_non_utf8_path_is_lossy_text_plus_its_bytes_in_every_shape() {
        let doc = Doc {
            path: latin1(b"/b/iPhone-\xff"),
            to: None,
            special: vec![PathBuf::from("/ok"), latin1(b"/x\xe9")],
            n: 1,
        };
        assert_eq!(
            serde_json::to_value(&doc).unwrap(),
            serde_json::json!({
                "path": "/b/iPhone-\u{FFFD}", "path_bytes": b"/b/iPhone-\xff".to_vec(),
                "to": null,
                "special": ["/ok", "/x\u{FFFD}"],
                "special_bytes": [null, b"/x\xe9".to_vec()],
                "n": 1,
            })
        );
    }

    #[cfg(unix)]
    #[test]
    fn lossless_paths_round_trip_in_both_shapes() {
        #[derive(Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Note {
            #[serde(with = "super::lossless")]
            a: PathBuf,
            #[serde(with = "super::lossless::option")]
            b: Option<PathBuf>,
        }
        let note = Note {
            a: latin1(b"/r/\xe9t\xe9"),
            b: Some(PathBuf::from("/plain")),
        };
        let text = serde_json::to_string(&note).unwrap();
        assert_eq!(
            text,
            r#"{"a":{"bytes":[47,114,47,233,116,233]},"b":"/plain"}"#
        );
        assert_eq!(serde_json::from_str::<Note>(&text).unwrap(), note);
        let none = r#"{"a":"/x","b":null}"#;
        let back: Note = serde_json::from_str(none).unwrap();
        assert_eq!((back.a, back.b), (PathBuf::from("/x"), None));
    }

    #[test]
    fn a_utf8_path_has_no_bytes_field() {
        let doc = Doc {
            path: PathBuf::from("/b/iPhone"),
            to: Some(PathBuf::from("/d")),
            special: vec![],
            n: 2,
        };
        assert_eq!(
            serde_json::to_value(&doc).unwrap(),
            serde_json::json!({"path": "/b/iPhone", "to": "/d", "special": [], "n": 2})
        );
    }
}
