//! Diff benchmark: two versions of a 300,000-file device compared by `backtop`'s diff, against
//! `sqlite3` answering the same question (which fileIDs were added, removed, or have another
//! `MBFile` blob) with a join of the two databases, in the same run.
//!
//! Run: `cargo run --release --example diff_bench -- [--files 300000] [--runs 5]`
//!
//! Builds two `Manifest.db` files (only the manifests: the diff reads no contents) in
//! `/dev/shm` when there is one, with the demo builder's rows and `MBFile` blobs: the new
//! version drops 1 % of the old files, adds 1 % new ones and changes the size of 1 %. Prints
//! wall and CPU time (best and median of `--runs`), never asserting a time; the goal of
//! issue 16 is at most 1 s in a release build, both manifests read once.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use backtop::demo::{manifest_rows, mbfile_blob, BackupSpec, FileSpec};
use backtop::library::diff::{compare, open_source, what_deleting_loses};
use backtop::library::{BackupState, Device, Library, ManifestFormat, Version, VersionKind};

#[path = "bench_support/mod.rs"]
mod bench_support;
use bench_support::{arg, cpu, load, median, min};

const UDID: &str = "00008120-00BE0C4B0E0A0001";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| arg(&args, name);
    let files: usize = opt("--files").map_or(Ok(300_000), |v| v.parse())?;
    let runs: usize = opt("--runs").map_or(Ok(5), |v| v.parse())?;
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        tempfile::tempdir_in(shm)?
    } else {
        tempfile::tempdir()?
    };
    let (old_files, new_files) = versions(files);
    let old = write_version(&tmp.path().join("old"), old_files)?;
    let new = write_version(&tmp.path().join("new"), new_files)?;
    println!("load: {}", load());
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut summary = String::new();
    let mut ref_walls = Vec::new();
    for _ in 0..runs {
        let (cpu0, _) = cpu();
        let start = Instant::now();
        let old_source = open_source(&old)?;
        let new_source = open_source(&new)?;
        let diff = compare(&old_source, &new_source, [])?;
        walls.push(start.elapsed().as_secs_f64());
        cpus.push(cpu().0 - cpu0);
        let t = diff.totals;
        summary = format!(
            "+{} -{} M{} ={} files",
            t.added_files, t.removed_files, t.changed_files, t.unchanged_files
        );
        ref_walls.push(sqlite_reference(&old.path, &new.path)?);
    }
    println!("diff of two {files}-file versions: {summary}");
    println!(
        "backtop diff (open both + compare): wall best {:.3} s, median {:.3} s; CPU median {:.3} s (goal <= 1 s)",
        min(&walls),
        median(&walls),
        median(&cpus)
    );
    println!(
        "sqlite3 join of the same two databases: wall best {:.3} s, median {:.3} s",
        min(&ref_walls),
        median(&ref_walls)
    );
    println!(
        "ratio backtop / sqlite3 (medians): {:.2}",
        median(&walls) / median(&ref_walls)
    );
    loss_runs(&old, &new, runs);
    Ok(())
}

/// What deleting the old version loses against the new one (the delete dialog's figure):
/// both manifests read once, as the diff reads them.
fn loss_runs(old: &Version, new: &Version, runs: usize) {
    let library = Library {
        devices: vec![Device {
            udid: UDID.into(),
            name: None,
            product_type: None,
            model: None,
            ios: None,
            versions: vec![new.clone(), old.clone()],
        }],
        ..Library::default()
    };
    let (mut walls, mut cpus, mut summary) = (Vec::new(), Vec::new(), String::new());
    for _ in 0..runs {
        let (cpu0, _) = cpu();
        let start = Instant::now();
        let loss = what_deleting_loses(
            &library,
            std::slice::from_ref(&old.path),
            &|_| None,
            &|| false,
        );
        walls.push(start.elapsed().as_secs_f64());
        cpus.push(cpu().0 - cpu0);
        let t = loss.totals;
        summary = format!(
            "{} files, {} bytes, {} kept in another copy",
            t.files, t.bytes, t.other_copy_files
        );
    }
    println!("what deleting the old version loses: {summary}");
    println!(
        "what_deleting_loses: wall best {:.3} s, median {:.3} s; CPU median {:.3} s",
        min(&walls),
        median(&walls),
        median(&cpus)
    );
}

/// The old version's files, and the new one's: 1 % dropped, 1 % added, 1 % resized.
fn versions(files: usize) -> (Vec<FileSpec>, Vec<FileSpec>) {
    let file = |i: usize| {
        let size = (i as u64).wrapping_mul(2_654_435_761) % 8193;
        let (domain, path) = match i % 100 {
            0..=39 => (
                "CameraRollDomain".to_string(),
                format!("Media/DCIM/{}APPLE/IMG_{i:06}.HEIC", 100 + i / 1000 % 50),
            ),
            40..=54 => (
                "HomeDomain".to_string(),
                format!("Library/SMS/Attachments/{:02x}/IMG_{i}.jpg", i % 256),
            ),
            55..=64 => (
                "MediaDomain".to_string(),
                format!("Media/Recordings/{:03}/rec_{i}.m4a", i % 300),
            ),
            _ => (
                format!("AppDomain-com.vendor{}.app", i % 300),
                format!("Library/Caches/{:02}/blob_{i}.bin", i % 40),
            ),
        };
        FileSpec::new(&domain, &path, size)
    };
    let old: Vec<FileSpec> = (0..files).map(file).collect();
    let mut new: Vec<FileSpec> = old
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 100 != 7)
        .map(|(i, f)| {
            let mut f = f.clone();
            if i % 100 == 13 {
                f.size += 1;
            }
            f
        })
        .collect();
    new.extend((files..files + files / 100).map(file));
    (old, new)
}

/// Writes only the Manifest.db of a version (rows dated alike in both versions).
fn write_version(dir: &Path, files: Vec<FileSpec>) -> anyhow::Result<Version> {
    std::fs::create_dir_all(dir)?;
    let mut spec = BackupSpec::new(UDID, "Bench iPhone", "iPhone15,2");
    spec.files = files;
    let start = Instant::now();
    let rows = manifest_rows(&spec);
    let path = dir.join("Manifest.db");
    let mut conn = rusqlite::Connection::open(&path)?;
    conn.execute_batch(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
         CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
         CREATE INDEX FilesDomainIdx ON Files(domain);
         CREATE INDEX FilesRelativePathIdx ON Files(relativePath);
         CREATE INDEX FilesFlagsIdx ON Files(flags);
         CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);",
    )?;
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare("INSERT INTO Files VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for e in &rows {
            let blob = mbfile_blob(e, None);
            stmt.execute(rusqlite::params![
                e.file_id, e.domain, e.path, e.flags, blob
            ])?;
        }
    }
    tx.commit()?;
    drop(conn);
    println!(
        "built {} ({} rows, {:.0} MB) in {:.1} s",
        dir.display(),
        rows.len(),
        std::fs::metadata(&path)?.len() as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    let mut v = Version::bare(dir, dir.parent().unwrap_or(dir), VersionKind::Archive);
    v.state = BackupState::Complete;
    v.manifest = ManifestFormat::Db;
    v.udid = Some(UDID.into());
    Ok(v)
}

/// `sqlite3` answering the same question: files added, removed, or with another blob.
fn sqlite_reference(old: &Path, new: &Path) -> anyhow::Result<f64> {
    let db = |p: &Path| -> PathBuf { p.join("Manifest.db") };
    let sql = format!(
        "ATTACH '{}' AS o; \
         SELECT count(*) FROM main.Files n LEFT JOIN o.Files f ON f.fileID = n.fileID \
           WHERE n.flags = 1 AND (f.fileID IS NULL OR f.file IS NOT n.file); \
         SELECT count(*) FROM o.Files f LEFT JOIN main.Files n ON n.fileID = f.fileID \
           WHERE f.flags = 1 AND n.fileID IS NULL;",
        db(old).display()
    );
    let start = Instant::now();
    let out = Command::new("sqlite3")
        .arg("-readonly")
        .arg(db(new))
        .arg(sql)
        .output()?;
    let wall = start.elapsed().as_secs_f64();
    anyhow::ensure!(out.status.success(), "sqlite3 failed: {:?}", out);
    Ok(wall)
}
