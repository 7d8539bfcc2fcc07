//! Load time of a big Manifest.db (ignored by default; run in release):
//!
//! `cargo test --release --test it -- --ignored --nocapture manifest::bench::`
//!
//! Prints times and the machine's load; asserts only the exact row counts (a shared machine is
//! too noisy to assert a time). `BACKTOP_BENCH_ROWS` overrides the 300,000 rows;
//! `BACKTOP_BENCH_ONLY_LOAD` times 40 loads and nothing else (for a profiler).

use std::path::Path;
use std::time::Instant;

use backtop::library::backup::ManifestFormat;
use backtop::library::manifest::{open_db, ManifestIndex};
use rusqlite::{params, Connection};

use super::fixtures::SCHEMA;
use sha1::Digest;

/// Writes `rows` rows shaped like a phone's: 10% directories, ~300-byte blobs, a few big
/// domains and 600 app domains. Returns the number of file rows.
fn write_big_db(dir: &Path, rows: usize) -> usize {
    let mut conn = Connection::open(dir.join("Manifest.db")).unwrap();
    conn.execute_batch(SCHEMA).unwrap();
    let tx = conn.transaction().unwrap();
    let mut files = 0;
    {
        let mut insert = tx
            .prepare("INSERT INTO Files VALUES (?1, ?2, ?3, ?4, ?5)")
            .unwrap();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            seed >> 16
        };
        for i in 0..rows {
            let domain = match i * 100 / rows {
                0..=39 => "CameraRollDomain".to_string(),
                40..=54 => "HomeDomain".to_string(),
                55..=64 => "MediaDomain".to_string(),
                _ => {
                    let app = i % 600;
                    match app % 3 {
                        0 => format!("AppDomain-com.vendor{app}.app"),
                        1 => format!("AppDomainGroup-group.com.vendor{}.app", app - 1),
                        _ => format!("AppDomainPlugin-com.vendor{}.app.widget", app - 2),
                    }
                }
            };
            let path = format!(
                "Library/SMS/Attachments/{:02x}/{}/IMG_{i}.HEIC",
                i % 256,
                next() % 1000
            );
            let flags = if i % 10 == 9 { 2 } else { 1 };
            files += usize::from(flags == 1);
            let blob: Vec<u8> = (0..300).map(|_| next() as u8).collect();
            let file_id = hex::encode(sha1::Sha1::digest(format!("{domain}-{path}")));
            insert
                .execute(params![file_id, domain, path, flags, blob])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    files
}

const FILES_ONLY: &str = "SELECT fileID, domain, relativePath FROM Files WHERE +flags = 1";
const ALL_ROWS: &str = "SELECT fileID, domain, relativePath, flags FROM Files";

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// SQLite's share: a query alone, each row's text touched, no map.
fn bare_query(dir: &Path, sql: &str) -> usize {
    let conn = open_db(&dir.join("Manifest.db")).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut bytes = 0;
    while let Some(row) = rows.next().unwrap() {
        for i in 0..3 {
            bytes += row.get_ref(i).unwrap().as_bytes().map_or(0, <[u8]>::len);
        }
    }
    bytes
}

#[test]
#[ignore = "benchmark: run in release with --ignored --nocapture"]
fn bench_load_big_manifest_db() {
    let rows: usize = std::env::var("BACKTOP_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300_000);
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let files = write_big_db(dir.path(), rows);
    let only_load = std::env::var_os("BACKTOP_BENCH_ONLY_LOAD").is_some();
    let size = std::fs::metadata(dir.path().join("Manifest.db"))
        .unwrap()
        .len();
    println!(
        "generated {rows} rows ({files} files), {} MB, in {:.0} ms",
        size >> 20,
        ms(start)
    );
    let mut loads = Vec::new();
    let mut bare = Vec::new();
    let mut bare_all = Vec::new();
    let runs = if only_load { 40 } else { 5 };
    for _ in 0..runs {
        let start = Instant::now();
        let index = ManifestIndex::load(dir.path(), ManifestFormat::Db).unwrap();
        loads.push(ms(start));
        assert_eq!(index.len(), files);
        assert_eq!(index.app_bundles().len(), 200);
        if only_load {
            continue;
        }
        let start = Instant::now();
        assert!(bare_query(dir.path(), FILES_ONLY) > 0);
        bare.push(ms(start));
        let start = Instant::now();
        assert!(bare_query(dir.path(), ALL_ROWS) > 0);
        bare_all.push(ms(start));
    }
    loads.sort_by(f64::total_cmp);
    if only_load {
        println!(
            "load: best {:.1} ms, median {:.1} ms",
            loads[0],
            loads[runs / 2]
        );
        return;
    }
    bare.sort_by(f64::total_cmp);
    bare_all.sort_by(f64::total_cmp);
    let per = |t: f64| t * 100_000.0 / rows as f64;
    println!(
        "ManifestIndex::load: best {:.1} ms, median {:.1} ms = {:.1} ms per 100k rows (median)",
        loads[0],
        loads[2],
        per(loads[2])
    );
    println!(
        "bare, +flags = 1:    best {:.1} ms, median {:.1} ms = {:.1} ms per 100k rows (median)",
        bare[0],
        bare[2],
        per(bare[2])
    );
    println!(
        "bare, every row:     best {:.1} ms, median {:.1} ms = {:.1} ms per 100k rows (median)",
        bare_all[0],
        bare_all[2],
        per(bare_all[2])
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average: {}", load.trim());
}
