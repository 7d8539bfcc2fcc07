//! Where an exported file goes: the manifest's domain and path turned into components below the
//! destination, or a refusal. Pure, so every rule is tested by table.
//!
//! - A path that starts with `/` (absolute), a domain or component that is `..`, an empty
//!   domain, or a domain holding a `/` is refused: nothing from a crafted manifest may name a
//!   place outside the destination. Empty components and `.` are dropped (`a//b/./c` is `a/b/c`).
//! - A component the OS cannot hold is escaped and said so ([`Component::escaped`]): a NUL
//!   everywhere; on Windows also `< > : " / \ | ? *`, control characters, a trailing dot or
//!   space, and the device names (`CON`, `NUL`, `COM1`, … with any extension). Escaping writes
//!   the bytes as `%XX`; a reserved device name gets a `_` in front. A component longer than
//!   255 bytes keeps its first bytes and extension with `~` and 8 hex digits of its SHA-1.

use std::fmt;

use sha1::{Digest, Sha1};

/// Which names the destination's OS refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameRules {
    /// Windows rules (reserved characters and device names).
    pub windows: bool,
}

impl NameRules {
    /// The rules of the OS backtop runs on.
    pub fn host() -> NameRules {
        NameRules {
            windows: cfg!(windows),
        }
    }
}

/// Why a manifest path is not exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The path starts with `/`.
    Absolute,
    /// The domain or a component is `..`.
    ParentDir,
    /// The domain is empty or holds a `/`.
    BadDomain,
    /// The path names the domain itself (no file name).
    NoName,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refused::Absolute => "the manifest gives an absolute path",
            Refused::ParentDir => "the manifest path contains '..'",
            Refused::BadDomain => "the manifest's domain is empty or holds a '/'",
            Refused::NoName => "the manifest path names no file",
        })
    }
}

/// One component of a destination path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// The name written.
    pub name: String,
    /// True when it differs from the manifest's name (escaped or shortened).
    pub escaped: bool,
}

/// The components below the destination for `domain` and `path`: the domain first.
pub fn dest_components(
    domain: &str,
    path: &str,
    rules: NameRules,
) -> Result<Vec<Component>, Refused> {
    if domain.is_empty() || domain.contains('/') {
        return Err(Refused::BadDomain);
    }
    if path.starts_with('/') || (rules.windows && path.starts_with('\\')) {
        return Err(Refused::Absolute);
    }
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if domain == ".." || parts.contains(&"..") {
        return Err(Refused::ParentDir);
    }
    if parts.is_empty() {
        return Err(Refused::NoName);
    }
    let domain = if domain == "." { "%2E" } else { domain };
    Ok(std::iter::once(domain)
        .chain(parts)
        .map(|p| {
            let name = escape(p, rules);
            Component {
                escaped: name != p,
                name,
            }
        })
        .collect())
}

/// Longest component most file systems hold, in bytes.
const MAX_NAME: usize = 255;

/// `name` as the OS can hold it (itself when it can).
pub fn escape(name: &str, rules: NameRules) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let bad = c == '\0' || (rules.windows && (c.is_control() || "<>:\"/\\|?*".contains(c)));
        if bad {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    if rules.windows {
        while out.ends_with('.') || out.ends_with(' ') {
            let last = out.pop().map_or(0, |c| c as u8);
            out.push_str(&format!("%{last:02X}"));
        }
        if is_device_name(&out) {
            out.insert(0, '_');
        }
    }
    if out.len() > MAX_NAME {
        out = shorten(&out);
    }
    out
}

/// `CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`, `LPT1`–`LPT9`, with or without an extension.
fn is_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

/// A long name cut to fit: the first bytes, `~`, 8 hex digits of its SHA-1, its extension.
fn shorten(name: &str) -> String {
    let hash = hex::encode(&Sha1::digest(name.as_bytes())[..4]);
    let ext = name
        .rfind('.')
        .map(|i| &name[i..])
        .filter(|e| e.len() <= 16)
        .unwrap_or("");
    let room = MAX_NAME - ext.len() - 1 - hash.len();
    let mut cut = room.min(name.len());
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}~{hash}{ext}", &name[..cut])
}

/// The candidate names for `name` when it exists: `name (1).ext`, `name (2).ext`, …
pub fn numbered(name: &str, n: u32) -> String {
    match name.rfind('.').filter(|&i| i > 0) {
        Some(i) => format!("{} ({n}){}", &name[..i], &name[i..]),
        None => format!("{name} ({n})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIX: NameRules = NameRules { windows: false };
    const WINDOWS: NameRules = NameRules { windows: true };

    fn names(domain: &str, path: &str, rules: NameRules) -> Result<Vec<String>, Refused> {
        dest_components(domain, path, rules).map(|c| c.into_iter().map(|c| c.name).collect())
    }

    #[test]
    fn paths_that_leave_the_destination_are_refused() {
        let cases: [(&str, &str, Refused); 8] = [
            ("HomeDomain", "/etc/passwd", Refused::Absolute),
            ("HomeDomain", "../x", Refused::ParentDir),
            ("HomeDomain", "a/../../x", Refused::ParentDir),
            ("HomeDomain", "a/..", Refused::ParentDir),
            ("..", "x", Refused::ParentDir),
            ("", "x", Refused::BadDomain),
            ("a/b", "x", Refused::BadDomain),
            ("HomeDomain", "./", Refused::NoName),
        ];
        for (domain, path, why) in cases {
            assert_eq!(
                names(domain, path, UNIX),
                Err(why.clone()),
                "{domain} {path}"
            );
        }
        assert_eq!(names("HomeDomain", "\\x", WINDOWS), Err(Refused::Absolute));
    }

    #[test]
    fn empty_and_dot_components_are_dropped() {
        assert_eq!(
            names("HomeDomain", "a//b/./c.txt", UNIX).unwrap(),
            ["HomeDomain", "a", "b", "c.txt"]
        );
        assert_eq!(
            names("HomeDomain", "..a/b..", UNIX).unwrap(),
            ["HomeDomain", "..a", "b.."]
        );
    }

    #[test]
    fn names_the_os_cannot_hold_are_escaped() {
        let cases: [(&str, NameRules, &str); 10] = [
            ("a\0b", UNIX, "a%00b"),
            ("a:b?.txt", UNIX, "a:b?.txt"),
            ("a:b?.txt", WINDOWS, "a%3Ab%3F.txt"),
            ("back\\slash", WINDOWS, "back%5Cslash"),
            ("tab\there", WINDOWS, "tab%09here"),
            ("trailing. ", WINDOWS, "trailing.%20"),
            ("dots..", WINDOWS, "dots.%2E"),
            ("CON", WINDOWS, "_CON"),
            ("com1.txt", WINDOWS, "_com1.txt"),
            ("COM0.txt", WINDOWS, "COM0.txt"),
        ];
        for (name, rules, want) in cases {
            assert_eq!(escape(name, rules), want, "{name:?}");
        }
        let c = dest_components("HomeDomain", "x/a:b", WINDOWS).unwrap();
        assert_eq!(
            (c[2].name.as_str(), c[2].escaped, c[1].escaped),
            ("a%3Ab", true, false)
        );
    }

    #[test]
    fn long_names_are_shortened_keeping_the_extension() {
        let long = format!("{}.jpeg", "é".repeat(200));
        let short = escape(&long, UNIX);
        assert!(short.len() <= 255, "{}", short.len());
        assert!(short.ends_with(".jpeg") && short.contains('~'), "{short}");
        assert_ne!(escape(&format!("{}x.jpeg", "é".repeat(200)), UNIX), short);
    }

    #[test]
    fn collisions_are_numbered_before_the_extension() {
        assert_eq!(numbered("IMG_1.HEIC", 1), "IMG_1 (1).HEIC");
        assert_eq!(numbered("notes", 2), "notes (2)");
        assert_eq!(numbered(".profile", 1), ".profile (1)");
        assert_eq!(numbered("a.tar.gz", 3), "a.tar (3).gz");
    }
}
