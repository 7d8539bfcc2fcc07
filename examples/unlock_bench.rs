//! Unlock benchmark (issue 13): the key derivation with the round counts real devices use
//! (10,000,000 PBKDF2-HMAC-SHA256 + 10,000 PBKDF2-HMAC-SHA1), then a 5,000-file version sized
//! (walk + manifest index) and read whole, encrypted and unlocked against the same files
//! unencrypted, in the same run; and the unlock with a key remembered by `--remember`. Prints
//! wall and CPU time; never asserts one.
//!
//! Run: `cargo run --release --example unlock_bench -- [--files 5000] [--runs 3]`
//!
//! The versions are written by the demo builder (real ciphertext, not sparse: files of 1 to
//! 61 KB, about 150 MB each) in `/dev/shm` when there is one. "Read whole" is what
//! `verify --deep` does for an encrypted version (every file decrypted, padding and size
//! checked) against reading every plain file to the end.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use backtop::demo::{write_backup, BackupSpec, FileSpec};
use backtop::library::manifest::{content_path, Fields, Manifest};
use backtop::library::unlock::{check_file, derive, BackupKeys, KdfParams, Password, Unlocker};
use backtop::library::usage::{size_version_with, SizeControl};
use backtop::library::{ManifestFormat, Version, VersionKind};

#[path = "bench_support/mod.rs"]
mod bench_support;
use bench_support::{arg, cpu, load, median, min};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files: usize = arg(&args, "--files").map_or(Ok(5_000), |v| v.parse())?;
    let runs: usize = arg(&args, "--runs").map_or(Ok(3), |v| v.parse())?;
    println!("load before: {}", load());

    // 1. The derivation with real round counts.
    let params = KdfParams::new(vec![7; 20], 10_000, Some((vec![9; 20], 10_000_000)))?;
    let (wall, cpu_ms) = measure(|| {
        derive(
            &Password::from("benchmark"),
            &params,
            &AtomicBool::new(false),
        )
        .map(|_| ())
        .map_err(anyhow::Error::from)
    })?;
    println!(
        "derive 10,000,000 SHA-256 + 10,000 SHA-1 rounds: wall {:.0} ms, cpu {:.0} ms",
        wall, cpu_ms
    );

    // 2. A version of `files` files, encrypted and not.
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        tempfile::tempdir_in(shm)?
    } else {
        tempfile::tempdir()?
    };
    let mut spec = BackupSpec::new("00008027-00BENCH0000000001", "Bench iPad", "iPad13,16");
    spec.files = (0..files)
        .map(|i| {
            let domain = ["HomeDomain", "CameraRollDomain", "AppDomain-com.bench.app"][i % 3];
            FileSpec::new(
                domain,
                &format!("Library/f{i}.bin"),
                1_000 + (i as u64 * 7_919) % 60_000,
            )
        })
        .collect();
    let plain_dir = tmp.path().join("plain");
    write_backup(&plain_dir, &spec)?;
    spec.encrypted = true;
    let enc_dir = tmp.path().join("encrypted");
    write_backup(&enc_dir, &spec)?;
    let version = |dir: &Path, encrypted: bool| {
        let mut v = Version::bare(dir, tmp.path(), VersionKind::Live);
        v.encrypted = encrypted;
        v.manifest = ManifestFormat::Db;
        v
    };
    let (plain, enc) = (version(&plain_dir, false), version(&enc_dir, true));
    let unlocked = Unlocker::new(Password::from(backtop::demo::DEMO_PASSWORD))
        .unlock(&enc_dir, &AtomicBool::new(false))?;

    let cancel = AtomicBool::new(false);
    let progress = |_: u64, _: u64| {};
    let report = |label: &str, f: &mut dyn FnMut() -> anyhow::Result<()>| -> anyhow::Result<()> {
        let mut walls = Vec::new();
        let mut cpus = Vec::new();
        for _ in 0..runs {
            let (w, c) = measure(&mut *f)?;
            walls.push(w);
            cpus.push(c);
        }
        println!(
            "{label}: wall best {:.0} ms, median {:.0} ms; cpu median {:.0} ms",
            min(&walls),
            median(&walls),
            median(&cpus)
        );
        Ok(())
    };
    println!("{files} files, {runs} runs each:");
    report("  size (walk + index), unencrypted", &mut || {
        let ctl = SizeControl::new(&cancel, &progress);
        size_version_with(&plain, &ctl, None)?;
        Ok(())
    })?;
    report("  size (walk + index), encrypted, unlocked", &mut || {
        let ctl = SizeControl::new(&cancel, &progress);
        size_version_with(&enc, &ctl, Some(&unlocked))?;
        Ok(())
    })?;
    // `--remember`: a later run opens the version with the key kept in the OS keyring
    // (unwrap the class keys, check Manifest.db's first block), no derivation.
    let kdf = BackupKeys::read(&enc_dir)?.keybag.kdf;
    let deriving = Unlocker::new(Password::from(backtop::demo::DEMO_PASSWORD));
    deriving.unlock(&enc_dir, &cancel)?;
    let remembered = deriving.cached(&kdf).expect("the key just derived");
    report("  unlock with a remembered key (--remember)", &mut || {
        Unlocker::with_keys([(kdf.clone(), remembered.clone())]).unlock(&enc_dir, &cancel)?;
        Ok(())
    })?;
    report("  read every file, unencrypted", &mut || {
        let manifest = Manifest::open_as(&plain_dir, ManifestFormat::Db)?;
        manifest.for_each(Fields::Names, |e| {
            if let (true, Some(id)) = (e.is_file(), e.id()) {
                let path = content_path(&plain_dir, ManifestFormat::Db, &id);
                let mut f = std::fs::File::open(&path)
                    .map_err(|err| backtop::library::Error::io(&path, err))?;
                std::io::copy(&mut f, &mut std::io::sink())
                    .map_err(|err| backtop::library::Error::io(&path, err))?;
            }
            Ok(())
        })?;
        Ok(())
    })?;
    report(
        "  decrypt every file (verify --deep), encrypted",
        &mut || {
            let manifest = Manifest::open_unlocked(&enc_dir, ManifestFormat::Db, Some(&unlocked))?;
            manifest.for_each(Fields::All, |e| {
                let (true, Some(id), Some(meta)) = (e.is_file(), e.id(), e.meta.as_ref()) else {
                    return Ok(());
                };
                let path = content_path(&enc_dir, ManifestFormat::Db, &id);
                let blob = meta.encryption_key.as_deref().unwrap_or_default();
                let checked = unlocked
                    .file_key(blob)
                    .and_then(|key| check_file(&path, &key, meta.size));
                match checked {
                    Ok(d) if d.size_matches() => Ok(()),
                    Ok(d) => Err(backtop::library::Error::invalid(&path, format!("{d:?}"))),
                    Err(err) => Err(backtop::library::Error::invalid(&path, err.to_string())),
                }
            })?;
            Ok(())
        },
    )?;
    println!("load after: {}", load());
    Ok(())
}

/// Runs `f` once: (wall ms, this process's CPU ms).
fn measure(mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<(f64, f64)> {
    let (cpu0, _) = cpu();
    let t = Instant::now();
    f()?;
    let wall = t.elapsed().as_secs_f64() * 1e3;
    let (cpu1, _) = cpu();
    Ok((wall, (cpu1 - cpu0) * 1e3))
}
