//! Previews of real files of each kind, written into a temp folder.

use super::*;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn run(path: &Path, name: &str) -> Preview {
    preview(path, name, &AtomicBool::new(false))
}

#[test]
fn text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a", b"hello\n\tworld\n");
    let got = run(&p, "notes.txt");
    assert_eq!(got.kind, PreviewKind::Text);
    assert_eq!(got.summary, "text");
    assert_eq!(got.lines, ["hello", "    world"]);
    let p = write(dir.path(), "b", br#"{"b":[1,2],"a":"x"}"#);
    let got = run(&p, "state.json");
    assert_eq!(got.kind, PreviewKind::Json);
    assert_eq!(got.lines[0], "{");
    assert!(
        got.lines.contains(&"  \"a\": \"x\",".to_string()),
        "{:?}",
        got.lines
    );
}

#[test]
fn a_long_text_shows_only_its_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let big = "line\n".repeat(100_000);
    let p = write(dir.path(), "big", big.as_bytes());
    let got = run(&p, "log.txt");
    assert_eq!(got.summary, "text (first 64 KiB)");
    assert_eq!(got.lines.len(), MAX_LINES);
}

#[test]
fn plists_xml_and_binary() {
    let dir = tempfile::tempdir().unwrap();
    let mut dict = plist::Dictionary::new();
    dict.insert("Name".into(), Value::String("Anna".into()));
    dict.insert("Count".into(), Value::Integer(3.into()));
    dict.insert(
        "List".into(),
        Value::Array(vec![Value::Boolean(true), Value::Data(vec![1, 2, 255])]),
    );
    let value = Value::Dictionary(dict);
    let mut xml = Vec::new();
    value.to_writer_xml(&mut xml).unwrap();
    let mut binary = Vec::new();
    value.to_writer_binary(&mut binary).unwrap();
    let want = [
        "{3 keys}",
        "  Name: \"Anna\"",
        "  Count: 3",
        "  List: [2 items]",
        "    0: true",
        "    1: <3 bytes> 0102ff",
    ];
    let got = run(&write(dir.path(), "x", &xml), "a.plist");
    assert_eq!(
        (got.kind, got.summary.as_str()),
        (PreviewKind::Plist, "property list (XML)")
    );
    assert_eq!(got.lines, want);
    let got = run(&write(dir.path(), "y", &binary), "a.plist");
    assert_eq!(got.summary, "property list (binary)");
    assert_eq!(got.lines, want);
    let got = run(&write(dir.path(), "z", b"bplist00garbage"), "a.plist");
    assert_eq!(got.kind, PreviewKind::Unavailable);
    assert!(
        got.summary.starts_with("not a readable plist"),
        "{}",
        got.summary
    );
}

#[test]
fn sqlite_tables_with_row_counts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("3d0d7e5fb2ce288813306e4d4636395e047a3d28");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE message (id INTEGER, text TEXT);
         CREATE TABLE handle (id INTEGER);
         INSERT INTO message VALUES (1, 'a'), (2, 'b'), (3, 'c');
         INSERT INTO handle VALUES (1);",
    )
    .unwrap();
    drop(conn);
    let got = run(&db, "sms.db");
    assert_eq!(got.kind, PreviewKind::Sqlite);
    assert_eq!(got.summary, "SQLite database, 2 tables");
    assert_eq!(got.lines, ["handle   1 row", "message  3 rows"]);
    // Nothing was written next to it (read-only, immutable).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A cancelled preview lists the tables without counting.
    let got = preview(&db, "sms.db", &AtomicBool::new(true));
    assert_eq!(
        got.lines,
        ["handle   rows not counted", "message  rows not counted"]
    );
}

#[test]
fn images_by_type_and_dimensions() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&640u32.to_be_bytes());
    png.extend_from_slice(&480u32.to_be_bytes());
    assert_eq!(image_size(&png), Some(("PNG", 640, 480)));
    let gif = b"GIF89a\x20\x03\x58\x02rest";
    assert_eq!(image_size(gif), Some(("GIF", 800, 600)));
    // SOI, an APP0 segment of 16 bytes, then SOF0: precision, height 3024, width 4032.
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    jpeg.extend_from_slice(&[0; 14]);
    jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x0B, 0xD0, 0x0F, 0xC0]);
    assert_eq!(image_size(&jpeg), Some(("JPEG", 4032, 3024)));
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend_from_slice(b"\0\0\0\x14ispe\0\0\0\0");
    heic.extend_from_slice(&4032u32.to_be_bytes());
    heic.extend_from_slice(&3024u32.to_be_bytes());
    assert_eq!(image_size(&heic), Some(("HEIC", 4032, 3024)));
    assert_eq!(image_size(b"\xFF\xD8\xFF"), None);
    assert_eq!(image_size(b"random bytes"), None);
    let dir = tempfile::tempdir().unwrap();
    let got = run(&write(dir.path(), "i", &heic), "IMG_0001.HEIC");
    assert_eq!(got.summary, "HEIC image, 4032 × 3024 pixels");
}

#[test]
fn binary_empty_missing_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    let got = run(&write(dir.path(), "bin", &bytes), "cache.bin");
    assert_eq!(got.kind, PreviewKind::Binary);
    assert_eq!(got.summary, "binary, first 256 bytes");
    assert_eq!(got.lines.len(), 16);
    assert_eq!(
        got.lines[2],
        "0020  20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f   !\"#$%&'()*+,-./"
    );
    let got = run(&write(dir.path(), "empty", b""), "x");
    assert_eq!(got.kind, PreviewKind::Empty);
    let got = run(&dir.path().join("nothing"), "x");
    assert_eq!(
        got.summary,
        "missing on disk: the backup lists it but has no contents"
    );
    #[cfg(unix)]
    {
        let link = dir.path().join("link");
        std::os::unix::fs::symlink("/etc/passwd", &link).unwrap();
        let got = run(&link, "x");
        assert_eq!(
            got.summary,
            "the contents file is a symbolic link (not followed)"
        );
    }
}
