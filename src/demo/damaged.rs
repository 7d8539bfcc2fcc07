//! The damaged-library corpus: one healthy version beside many damaged ones, each damaged in
//! one way a hostile file or a failing disk produces, with the reason backtop must give.
//!
//! [`build_damaged`] writes every [`DamagedCase`] as its own version folder (its own device)
//! in one root, next to a healthy version named `healthy`. Tests run `list`, `du`, `verify`,
//! `roots` and the dashboard over the root: each must answer within a time bound, list and
//! size `healthy` exactly, and give each damaged version its reason. `backtop demo --damaged
//! DIR` writes the same corpus for trying by hand.
//!
//! Cases that need Unix (FIFOs, links) are only written there.

use std::path::{Path, PathBuf};

use super::damage;
use super::rng::Rng;
use super::spec::{BackupSpec, Damage, FileSpec, PlistEncoding, Written};
use super::write::write_backup;
use crate::library::{Error, ManifestFormat, Result};

/// One damaged version of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedCase {
    /// Short name; also the version folder's name.
    pub name: &'static str,
    /// Words the reason backtop gives must contain (in `list`'s problem and `verify`'s report).
    pub reason: &'static str,
}

/// What [`build_damaged`] wrote.
#[derive(Debug, Clone)]
pub struct DamagedLibrary {
    /// The root holding every version.
    pub root: PathBuf,
    /// The healthy version and its exact figures.
    pub healthy: Written,
    /// The damaged versions written, in order.
    pub cases: Vec<DamagedCase>,
    /// Versions of the healthy device that are odd but whole (listed complete, sized like
    /// `healthy`), in order.
    pub odd: Vec<OddVersion>,
}

/// A version of the healthy device, written as `healthy` is, with one odd trait backtop must
/// take in its stride: it is listed complete and its categories are `healthy`'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OddVersion {
    /// Its folder.
    pub path: PathBuf,
    /// What is odd about it.
    pub what: &'static str,
    /// Words `verify` must report for it; `None`: it verifies ok.
    pub verify_says: Option<&'static str>,
}

/// Nesting of the deep plists: enough to overflow any recursive parser's stack.
pub const DEEP: usize = 100_000;

/// How one case damages a freshly written version folder.
#[derive(Debug, Clone, Copy)]
enum Harm {
    /// One of the demo builder's [`Damage`]s.
    Known(Damage),
    /// The file is replaced by an XML plist of [`DEEP`] nested arrays.
    Deep(&'static str),
    /// The file is replaced by a binary plist of [`DEEP`] nested arrays.
    DeepBinary(&'static str),
    /// The file is replaced by a well-formed plist whose top level is an array.
    NotDictionary(&'static str),
    /// `Manifest.mbdb` is cut to its 6-byte header: no records at all.
    HeaderOnlyMbdb,
    /// The file is replaced by a binary plist whose arrays share each other (2^40 values).
    SharedBomb(&'static str),
    /// The file is replaced by a FIFO.
    Fifo(&'static str),
    /// The file is replaced by a link to this target (`@healthy/…` for the healthy version's).
    Link(&'static str, &'static str),
    /// The file is replaced by a folder.
    Folder(&'static str),
}

/// Every case: folder name, harm, manifest format, expected reason.
const CASES: &[(&str, Harm, ManifestFormat, &str)] = &[
    (
        "deep-info-plist",
        Harm::Deep("Info.plist"),
        ManifestFormat::Db,
        "Info.plist nests deeper than 64 levels",
    ),
    (
        "deep-status-plist",
        Harm::Deep("Status.plist"),
        ManifestFormat::Db,
        "Status.plist nests deeper than 64 levels",
    ),
    (
        "deep-manifest-plist",
        Harm::Deep("Manifest.plist"),
        ManifestFormat::Db,
        "Manifest.plist nests deeper than 64 levels",
    ),
    (
        "deep-binary-info-plist",
        Harm::DeepBinary("Info.plist"),
        ManifestFormat::Db,
        "Info.plist nests deeper than 64 levels",
    ),
    (
        "info-plist-array",
        Harm::NotDictionary("Info.plist"),
        ManifestFormat::Db,
        "Info.plist is not a dictionary plist",
    ),
    (
        "shared-manifest-plist",
        Harm::SharedBomb("Manifest.plist"),
        ManifestFormat::Db,
        "Manifest.plist holds more values than its size allows",
    ),
    (
        "fifo-info-plist",
        Harm::Fifo("Info.plist"),
        ManifestFormat::Db,
        "Info.plist is not a regular file",
    ),
    (
        "fifo-manifest-plist",
        Harm::Fifo("Manifest.plist"),
        ManifestFormat::Db,
        "Manifest.plist is not a regular file",
    ),
    (
        "fifo-status-plist",
        Harm::Fifo("Status.plist"),
        ManifestFormat::Db,
        "Status.plist is not a regular file",
    ),
    (
        "fifo-manifest-db",
        Harm::Fifo("Manifest.db"),
        ManifestFormat::Db,
        "Manifest.db is not a regular file",
    ),
    (
        "fifo-manifest-mbdb",
        Harm::Fifo("Manifest.mbdb"),
        ManifestFormat::Mbdb,
        "Manifest.mbdb is not a regular file",
    ),
    (
        "info-plist-to-dev-zero",
        Harm::Link("Info.plist", "/dev/zero"),
        ManifestFormat::Db,
        "Info.plist is a symbolic link (not followed)",
    ),
    (
        "info-plist-link-loop",
        Harm::Link("Info.plist", "Info.plist"),
        ManifestFormat::Db,
        "Info.plist is a symbolic link (not followed)",
    ),
    (
        "manifest-db-to-healthy",
        Harm::Link("Manifest.db", "@healthy/Manifest.db"),
        ManifestFormat::Db,
        "Manifest.db is a symbolic link (not followed)",
    ),
    (
        "manifest-db-to-dev-zero",
        Harm::Link("Manifest.db", "/dev/zero"),
        ManifestFormat::Db,
        "Manifest.db is a symbolic link (not followed)",
    ),
    (
        "manifest-db-folder",
        Harm::Folder("Manifest.db"),
        ManifestFormat::Db,
        "Manifest.db is not a regular file",
    ),
    (
        "info-plist-folder",
        Harm::Folder("Info.plist"),
        ManifestFormat::Db,
        "Info.plist is not a regular file",
    ),
    (
        "missing-info-plist",
        Harm::Known(Damage::MissingInfoPlist),
        ManifestFormat::Db,
        "Info.plist is missing",
    ),
    (
        "truncated-info-plist",
        Harm::Known(Damage::TruncatedInfoPlist),
        ManifestFormat::Db,
        "Info.plist is not a readable plist",
    ),
    (
        "garbage-manifest-plist",
        Harm::Known(Damage::GarbageManifestPlist),
        ManifestFormat::Db,
        "Manifest.plist is not a readable plist",
    ),
    (
        "garbage-status-plist",
        Harm::Known(Damage::GarbageStatusPlist),
        ManifestFormat::Db,
        "Status.plist is not a readable plist",
    ),
    (
        "garbage-manifest-db",
        Harm::Known(Damage::GarbageManifestDb),
        ManifestFormat::Db,
        "Manifest.db is not an SQLite database",
    ),
    (
        "empty-manifest-db",
        Harm::Known(Damage::EmptyManifestDb),
        ManifestFormat::Db,
        "Manifest.db is empty (0 bytes)",
    ),
    (
        "missing-manifest-db",
        Harm::Known(Damage::MissingManifestDb),
        ManifestFormat::Db,
        "no Manifest.db or Manifest.mbdb",
    ),
    (
        "truncated-mbdb",
        Harm::Known(Damage::TruncatedMbdb),
        ManifestFormat::Mbdb,
        "Manifest.mbdb is truncated",
    ),
    (
        "header-only-mbdb",
        Harm::HeaderOnlyMbdb,
        ManifestFormat::Mbdb,
        "Manifest.mbdb holds no records (only its header)",
    ),
];

/// The spec of the healthy version: three files of exact sizes.
pub fn healthy_spec(udid: &str, name: &str, format: ManifestFormat) -> BackupSpec {
    let mut spec = BackupSpec::new(udid, name, "iPhone15,2");
    spec.format = format;
    spec.encoding = PlistEncoding::Xml;
    spec.files = vec![
        FileSpec::new("HomeDomain", "Library/SMS/sms.db", 3000),
        FileSpec::new(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            10_000,
        ),
        FileSpec::new("AppDomain-net.whatsapp.WhatsApp", "Documents/chat.db", 500),
    ];
    spec
}

/// A UDID of 40 hex digits for case `n` (the healthy version is 0).
fn udid(n: usize) -> String {
    format!("{:040x}", 0xdada_0000_u64 + u64::try_from(n).unwrap_or(0))
}

/// Writes the corpus into `root` (created if missing): `healthy`, then every case this
/// platform can make.
pub fn build_damaged(root: &Path) -> Result<DamagedLibrary> {
    std::fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
    let healthy = write_backup(
        &root.join("healthy"),
        &healthy_spec(&udid(0), "Healthy iPhone", ManifestFormat::Db),
    )?;
    let mut rng = Rng::new(0x0da4_a6ed);
    let mut cases = Vec::new();
    for (i, &(name, harm, format, reason)) in CASES.iter().enumerate() {
        let dir = root.join(name);
        write_backup(&dir, &healthy_spec(&udid(i + 1), name, format))?;
        if apply(&dir, root, harm, format, &mut rng)? {
            cases.push(DamagedCase { name, reason });
        } else {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
    }
    Ok(DamagedLibrary {
        root: root.to_path_buf(),
        healthy,
        cases,
        odd: write_odd(root)?,
    })
}

/// Writes the [`OddVersion`]s: a folder name that is not UTF-8 (Unix), `IsEncrypted` as the
/// string `"yes"` (no claim of encryption), and one `MBFile` blob nested [`DEEP`] levels.
fn write_odd(root: &Path) -> Result<Vec<OddVersion>> {
    let healthy = || healthy_spec(&udid(0), "Healthy iPhone", ManifestFormat::Db);
    let mut odd = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let dir = root.join(std::ffi::OsStr::from_bytes(b"healthy-caf\xe9"));
        write_backup(&dir, &healthy())?;
        let what = "a folder name that is not UTF-8 (Latin-1)";
        odd.push(OddVersion {
            path: dir,
            what,
            verify_says: None,
        });
    }
    let dir = root.join("healthy-is-encrypted-yes");
    write_backup(&dir, &healthy())?;
    let plist = dir.join("Manifest.plist");
    let bad = |e: plist::Error| Error::invalid(&plist, e.to_string());
    let mut dict = plist::Value::from_file(&plist).map_err(bad)?;
    if let Some(d) = dict.as_dictionary_mut() {
        d.insert("IsEncrypted".into(), "yes".into());
    }
    dict.to_file_xml(&plist).map_err(bad)?;
    let what = "Manifest.plist says IsEncrypted = \"yes\" (a string, no claim)";
    odd.push(OddVersion {
        path: dir,
        what,
        verify_says: None,
    });

    let dir = root.join("healthy-deep-mbfile");
    write_backup(&dir, &healthy())?;
    let db = dir.join("Manifest.db");
    let sql = |source| Error::Sqlite {
        path: db.clone(),
        source,
    };
    let conn = rusqlite::Connection::open(&db).map_err(sql)?;
    let sms = super::file_id("HomeDomain", "Library/SMS/sms.db");
    conn.execute(
        "UPDATE Files SET file = ?1 WHERE fileID = ?2",
        rusqlite::params![deep_binary(DEEP), sms],
    )
    .map_err(sql)?;
    let what = "the MBFile blob of one Manifest.db row nests 100,000 levels";
    let verify_says = Some("the MBFile blob nests deeper than 64 levels");
    odd.push(OddVersion {
        path: dir,
        what,
        verify_says,
    });
    Ok(odd)
}

/// Applies `harm` to the version in `dir`; false when this platform cannot (no FIFOs or links).
fn apply(
    dir: &Path,
    root: &Path,
    harm: Harm,
    format: ManifestFormat,
    rng: &mut Rng,
) -> Result<bool> {
    let replace = |file: &str| -> Result<PathBuf> {
        let path = dir.join(file);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(path),
            Err(e) => Err(Error::io(&path, e)),
        }
    };
    let write =
        |path: &Path, bytes: &[u8]| std::fs::write(path, bytes).map_err(|e| Error::io(path, e));
    match harm {
        Harm::Known(d) => damage::apply(dir, d, format, rng)?,
        Harm::Deep(file) => write(&replace(file)?, &deep_xml(DEEP))?,
        Harm::DeepBinary(file) => write(&replace(file)?, &deep_binary(DEEP))?,
        Harm::NotDictionary(file) => write(&replace(file)?, NOT_A_DICTIONARY)?,
        Harm::HeaderOnlyMbdb => write(&replace("Manifest.mbdb")?, super::mbdb::MAGIC)?,
        Harm::SharedBomb(file) => write(&replace(file)?, &shared_bomb(40))?,
        Harm::Folder(file) => {
            let path = replace(file)?;
            std::fs::create_dir(&path).map_err(|e| Error::io(&path, e))?;
        }
        Harm::Fifo(file) => return fifo(&replace(file)?),
        Harm::Link(file, target) => {
            let target = match target.strip_prefix("@healthy/") {
                Some(rest) => root.join("healthy").join(rest),
                None => PathBuf::from(target),
            };
            return link(&target, &replace(file)?);
        }
    }
    Ok(true)
}

/// Makes a FIFO at `path` (Unix); false where there are none. `mkfifo(3)`, which every Unix
/// has (rustix's `mkfifoat` does not exist on macOS, so the crate did not build there).
#[cfg(unix)]
pub fn fifo(path: &Path) -> Result<bool> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| Error::invalid(path, "the path holds a NUL byte"))?;
    // SAFETY: `c_path` is a NUL-terminated string that lives across the call.
    if unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) } != 0 {
        return Err(Error::io(path, std::io::Error::last_os_error()));
    }
    Ok(true)
}

/// Makes a FIFO at `path` (Unix); false where there are none.
#[cfg(not(unix))]
pub fn fifo(_: &Path) -> Result<bool> {
    Ok(false)
}

#[cfg(unix)]
fn link(target: &Path, path: &Path) -> Result<bool> {
    std::os::unix::fs::symlink(target, path).map_err(|e| Error::io(path, e))?;
    Ok(true)
}

#[cfg(not(unix))]
fn link(_: &Path, _: &Path) -> Result<bool> {
    Ok(false)
}

/// An XML plist: a dictionary whose one key holds `depth` nested arrays.
pub fn deep_xml(depth: usize) -> Vec<u8> {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict><key>k</key>",
    );
    s += &"<array>".repeat(depth);
    s += &"</array>".repeat(depth);
    s += "</dict></plist>\n";
    s.into_bytes()
}

/// A well-formed XML plist that is not a dictionary.
const NOT_A_DICTIONARY: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<array><string>Device Name</string></array>\n</plist>\n";

/// A binary plist of `depth` arrays, each holding the next (object `i` refers to `i + 1`; the
/// last is empty): references and offsets 4 bytes wide.
pub fn deep_binary(depth: usize) -> Vec<u8> {
    let wide = |n: usize| u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes();
    let mut body = b"bplist00".to_vec();
    let mut offsets = Vec::with_capacity(depth);
    for i in 0..depth {
        offsets.push(body.len());
        if i + 1 == depth {
            body.push(0xA0);
        } else {
            body.push(0xA1);
            body.extend_from_slice(&wide(i + 1));
        }
    }
    let table = body.len();
    for &o in &offsets {
        body.extend_from_slice(&wide(o));
    }
    body.extend_from_slice(&[0; 6]);
    body.push(4); // offset size
    body.push(4); // reference size
    body.extend_from_slice(&u64::try_from(depth).unwrap_or(0).to_be_bytes());
    body.extend_from_slice(&0u64.to_be_bytes());
    body.extend_from_slice(&u64::try_from(table).unwrap_or(0).to_be_bytes());
    body
}

/// A binary plist of `levels` arrays (fewer than 256), each holding the next one twice, the
/// last holding `true`: a few hundred bytes that stand for 2^levels values.
pub fn shared_bomb(levels: u8) -> Vec<u8> {
    let mut body = b"bplist00".to_vec();
    let mut offsets = Vec::new();
    for i in 0..levels {
        offsets.push(body.len());
        if i + 1 == levels {
            body.push(0x09);
        } else {
            body.extend_from_slice(&[0xA2, i + 1, i + 1]);
        }
    }
    let table = body.len();
    for &o in &offsets {
        body.extend_from_slice(&u16::try_from(o).unwrap_or(u16::MAX).to_be_bytes());
    }
    body.extend_from_slice(&[0; 6]);
    body.push(2); // offset size
    body.push(1); // reference size
    body.extend_from_slice(&u64::from(levels).to_be_bytes());
    body.extend_from_slice(&0u64.to_be_bytes());
    body.extend_from_slice(&u64::try_from(table).unwrap_or(0).to_be_bytes());
    body
}
