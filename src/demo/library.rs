//! `build_demo`: a whole macOS home with a Finder root, an iMazing root (with hard-linked
//! snapshots and `Versions.db`) and an external-drive root, holding four devices' backups in
//! every state the dashboard must show: live, archived, snapshot, encrypted, interrupted,
//! damaged, iOS 9 (`Manifest.mbdb`), XML and binary plists.

use std::path::{Path, PathBuf};

use time::{Duration, OffsetDateTime};

use super::devices::{older, Profile, IOS9_IPHONE, IPAD, MAIN_IPHONE, OLD_IPHONE};
use super::rng::Rng;
use super::spec::{BackupSpec, Damage, FileSpec, PlistEncoding, SpecState, Written};
use super::versions_db::{snapshot_name, write_versions_db};
use super::write::{write_backup, write_imazing_snapshot};
use crate::library::{Error, ManifestFormat, Result};

/// The scale of the library `--demo` and `backtop demo` build: about 5,600 files in all
/// (250–600 per version), so it is written in about a second even on a slow disk, with the
/// same life-size byte totals as at scale 1.
pub const INTERACTIVE_SCALE: f64 = 0.04;

/// What to build.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoOptions {
    /// Seed of every made-up name, size and key.
    pub seed: u64,
    /// File counts grow with √`scale`: 1.0 ≈ 1,400–3,000 files per version (~28k in all),
    /// 100 ≈ 275k in all. Byte totals stay life-size at every scale.
    pub scale: f64,
    /// Contents as sparse files (`set_len`); `false` writes every byte (tens of GB at scale 1).
    pub sparse: bool,
    /// The "now" backup dates are relative to; `None` = the current time. Fix it for
    /// deterministic tests and screenshots.
    pub now: Option<OffsetDateTime>,
}

impl Default for DemoOptions {
    /// Seed 2024, scale 1.0, sparse, dated relative to the current time.
    fn default() -> Self {
        DemoOptions {
            seed: 2024,
            scale: 1.0,
            sparse: true,
            now: None,
        }
    }
}

/// What `build_demo` made.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoLibrary {
    /// The home folder (the `dir` given).
    pub home: PathBuf,
    /// The backup roots: Finder, iMazing, external drive.
    pub roots: Vec<PathBuf>,
    /// Every version written, in the order written.
    pub versions: Vec<Written>,
    /// The devices, in the order their versions were written.
    pub devices: Vec<DemoDevice>,
}

/// One device of the demo library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDevice {
    /// Its UDID as used in folder names.
    pub udid: String,
    /// `Device Name`.
    pub name: String,
    /// `Product Type`.
    pub product_type: String,
    /// Indices into [`DemoLibrary::versions`] of its versions.
    pub versions: Vec<usize>,
}

/// `~/Library/Application Support/MobileSync/Backup` under `home`.
pub fn finder_root(home: &Path) -> PathBuf {
    home.join("Library/Application Support/MobileSync/Backup")
}

/// `~/Library/Application Support/iMazing/Backups` under `home`.
pub fn imazing_root(home: &Path) -> PathBuf {
    home.join("Library/Application Support/iMazing/Backups")
}

/// The external-drive root: `dir/Volumes/Backup Drive/iMazing.Backups`.
pub fn external_root(dir: &Path) -> PathBuf {
    dir.join("Volumes/Backup Drive/iMazing.Backups")
}

/// A UDID: `8hex-16hex` for newer devices, 40 hex digits for older ones.
fn udid(rng: &mut Rng, chip: &str) -> String {
    if chip.is_empty() {
        hex::encode(rng.bytes(20))
    } else {
        format!("{chip}-{}", hex::encode_upper(rng.bytes(8)))
    }
}

/// `UDID-YYYYMMDD-HHMMSS`, the name of an archived copy.
pub fn archive_name(udid: &str, date: OffsetDateTime) -> String {
    format!(
        "{udid}-{:04}{:02}{:02}-{:02}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day(),
        date.hour(),
        date.minute(),
        date.second()
    )
}

struct Ctx<'a> {
    opts: &'a DemoOptions,
    now: OffsetDateTime,
    out: Vec<Written>,
    devices: Vec<DemoDevice>,
    /// What the current device's manifest rows are dated from (see [`Ctx::device`]).
    files_dated: OffsetDateTime,
}

impl Ctx<'_> {
    fn spec(&self, p: &Profile, udid: &str, age: Duration, files: Vec<FileSpec>) -> BackupSpec {
        let mut s = BackupSpec::new(udid, p.name, p.product_type);
        s.ios = p.ios.0.to_string();
        s.build = p.ios.1.to_string();
        s.date = self.now - age;
        s.files_dated = Some(self.files_dated);
        s.files = files;
        s.apps = p.apps();
        s.sparse = self.opts.sparse;
        s.encrypted = p.encrypted;
        if !p.modern {
            s.format = ManifestFormat::Mbdb;
        }
        s
    }

    fn write(&mut self, dir: &Path, spec: &BackupSpec) -> Result<()> {
        let w = write_backup(dir, spec)?;
        self.push(w);
        Ok(())
    }

    /// Starts a new device whose oldest version is `oldest` old; the versions pushed next
    /// belong to it. Their manifest rows are all dated from that oldest version, so a file
    /// has the same mtime in every version that lists it, as on a phone, and a diff between
    /// two versions sees as changed only the files whose size differs.
    fn device(&mut self, p: &Profile, udid: &str, oldest: Duration) {
        self.files_dated = self.now - oldest;
        self.devices.push(DemoDevice {
            udid: udid.to_string(),
            name: p.name.to_string(),
            product_type: p.product_type.to_string(),
            versions: Vec::new(),
        });
    }

    fn push(&mut self, w: Written) {
        if let Some(d) = self.devices.last_mut() {
            d.versions.push(self.out.len());
        }
        self.out.push(w);
    }
}

/// Builds the demo library in `dir` (created if missing), treating `dir` as a macOS home.
pub fn build_demo(dir: &Path, opts: &DemoOptions) -> Result<DemoLibrary> {
    let now = opts.now.unwrap_or_else(OffsetDateTime::now_utc);
    let now = now
        .replace_nanosecond(0)
        .unwrap_or(now)
        .to_offset(time::UtcOffset::UTC);
    let roots = vec![finder_root(dir), imazing_root(dir), external_root(dir)];
    for r in &roots {
        std::fs::create_dir_all(r).map_err(|e| Error::io(r, e))?;
    }
    let ds_store = roots[0].join(".DS_Store");
    std::fs::write(&ds_store, b"\0\0\0\x01Bud1").map_err(|e| Error::io(&ds_store, e))?;
    let mut rng = Rng::new(opts.seed);
    let mut ctx = Ctx {
        opts,
        now,
        out: Vec::new(),
        devices: Vec::new(),
        files_dated: now,
    };
    main_iphone(&mut ctx, &roots, &mut rng)?;
    ipad(&mut ctx, &roots, &mut rng)?;
    old_iphone(&mut ctx, &roots, &mut rng)?;
    ios9_iphone(&mut ctx, &roots, &mut rng)?;
    Ok(DemoLibrary {
        home: dir.to_path_buf(),
        roots,
        versions: ctx.out,
        devices: ctx.devices,
    })
}

fn h(hours: i64) -> Duration {
    Duration::hours(hours)
}

fn main_iphone(ctx: &mut Ctx, roots: &[PathBuf], rng: &mut Rng) -> Result<()> {
    let p = &MAIN_IPHONE;
    let id = udid(rng, "00008120");
    let oldest = h(210 * 24 + 3);
    ctx.device(p, &id, oldest);
    let files = p.files(rng, ctx.opts.scale);
    // Finder: live (binary plists) and an archived copy from three months ago.
    let mut live = ctx.spec(p, &id, h(51), older(&files, rng, 0.01, 0.99));
    live.encoding = PlistEncoding::Binary;
    ctx.write(&roots[0].join(&id), &live)?;
    let mut arch = ctx.spec(p, &id, h(94 * 24 + 5), older(&files, rng, 0.2, 0.8));
    (arch.ios, arch.build) = ("17.3".into(), "21D50".into());
    ctx.write(&roots[0].join(archive_name(&id, arch.date)), &arch)?;
    // iMazing: live (XML) plus two snapshots hard-linked to it.
    let im_live = ctx.spec(p, &id, h(20), files.clone());
    let im_dir = roots[1].join(&id);
    ctx.write(&im_dir, &im_live)?;
    let device_dir = roots[1].join("iMazing.Versions/Versions").join(&id);
    let readme = roots[1].join("iMazing.Versions/Readme.txt");
    std::fs::create_dir_all(&device_dir).map_err(|e| Error::io(&device_dir, e))?;
    std::fs::write(
        &readme,
        "This folder holds iMazing's backup versions. Do not edit.\n",
    )
    .map_err(|e| Error::io(&readme, e))?;
    let mut names = Vec::new();
    for (age, drop) in [(h(47 * 24 + 2), 0.12), (h(16 * 24 + 7), 0.05)] {
        let mut snap = ctx.spec(p, &id, age, older(&files, rng, drop, 1.0));
        let changed = changed_files(&snap.files, rng);
        snap.ios = if drop > 0.1 {
            "17.4.1".into()
        } else {
            "17.5".into()
        };
        let name = snapshot_name(snap.date);
        let w = write_imazing_snapshot(&im_dir, &device_dir.join(&name), &snap, &changed)?;
        ctx.push(w);
        names.push(name);
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    write_versions_db(&device_dir, &refs)?;
    // External drive: an archived copy from seven months ago, iOS 17.1.
    let mut ext = ctx.spec(p, &id, oldest, older(&files, rng, 0.35, 0.6));
    (ext.ios, ext.build) = ("17.1".into(), "21B80".into());
    ctx.write(&roots[2].join(archive_name(&id, ext.date)), &ext)
}

/// What an older snapshot holds differently: its databases (smaller), plus a few photos that
/// were deleted from the phone since.
fn changed_files(files: &[FileSpec], rng: &mut Rng) -> Vec<FileSpec> {
    let mut out: Vec<FileSpec> = files
        .iter()
        .filter(|f| super::devices::is_database(f) && !f.path.contains("Caches/"))
        .filter(|f| !f.path.starts_with("Library/Application Support/"))
        .map(|f| FileSpec {
            size: f.size - f.size / 7,
            ..f.clone()
        })
        .collect();
    for k in 0..6 {
        let n = 8000 + k * 300 + rng.range(0, 300);
        let path = format!("Media/DCIM/199APPLE/IMG_{n:04}.HEIC");
        out.push(FileSpec::new(
            "CameraRollDomain",
            &path,
            rng.range(1_500_000, 5_000_000),
        ));
    }
    out
}

fn ipad(ctx: &mut Ctx, roots: &[PathBuf], rng: &mut Rng) -> Result<()> {
    let p = &IPAD;
    let id = udid(rng, "00008103");
    let oldest = h(9 * 24 + 4);
    ctx.device(p, &id, oldest);
    let files = p.files(rng, ctx.opts.scale);
    let mut live = ctx.spec(p, &id, oldest, files.clone());
    live.encoding = PlistEncoding::Binary;
    ctx.write(&roots[0].join(&id), &live)?;
    // An iMazing backup that stopped midway: 60% of the files, "uploading", stale mtimes.
    let mut stopped = ctx.spec(p, &id, h(5 * 24 + 1), older(&files, rng, 0.0, 1.0));
    stopped.files.truncate(stopped.files.len() * 3 / 5);
    stopped.state = SpecState::Interrupted;
    ctx.write(&roots[1].join(&id), &stopped)
}

fn old_iphone(ctx: &mut Ctx, roots: &[PathBuf], rng: &mut Rng) -> Result<()> {
    let p = &OLD_IPHONE;
    let id = udid(rng, "00008030");
    let oldest = h(700 * 24 + 2);
    ctx.device(p, &id, oldest);
    let files = p.files(rng, ctx.opts.scale);
    let live = ctx.spec(p, &id, h(320 * 24 + 6), files.clone());
    ctx.write(&roots[0].join(&id), &live)?;
    // An older archive whose Info.plist was cut in half.
    let mut arch = ctx.spec(p, &id, oldest, older(&files, rng, 0.3, 0.7));
    (arch.ios, arch.build) = ("15.7".into(), "19H12".into());
    arch.damage = Some(Damage::TruncatedInfoPlist);
    arch.encoding = PlistEncoding::Binary;
    ctx.write(&roots[0].join(archive_name(&id, arch.date)), &arch)?;
    // A copy made by hand before trading the phone in, under a name of the user's own: the
    // copy stopped early (the last 3 files are missing) and caught two stray files.
    let mut copy = live;
    copy.missing_files = 3;
    copy.unlisted_files = (0..2)
        .map(|_| (hex::encode(rng.bytes(20)), rng.range(1 << 20, 40 << 20)))
        .collect();
    ctx.write(&roots[2].join("iPhone 11 before trade-in"), &copy)
}

fn ios9_iphone(ctx: &mut Ctx, roots: &[PathBuf], rng: &mut Rng) -> Result<()> {
    let p = &IOS9_IPHONE;
    let id = udid(rng, "");
    let oldest = h(1170 * 24 + 8);
    ctx.device(p, &id, oldest);
    let files = p.files(rng, ctx.opts.scale);
    let live = ctx.spec(p, &id, oldest, files);
    ctx.write(&roots[0].join(&id), &live)
}
