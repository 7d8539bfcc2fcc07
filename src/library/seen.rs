//! Remembered removable drives: roots on a volume that were seen holding backups, so that when
//! the drive is unplugged the roots report can say "drive not connected, last seen …, N
//! backups" instead of nothing.
//!
//! [`SeenVolumes`] holds the memory and its pure merge logic ([`SeenVolumes::record`],
//! [`SeenVolumes::mark_disconnected`]); [`SeenStore`] keeps it in a small JSON file (by default
//! `<cache dir>/backtop/seen-volumes.json`). A corrupt file is ignored and rewritten.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::library::locate::app_for;
use crate::library::{Error, Result, Root, RootOrigin, RootReport, RootStatus};

/// One remembered root on a removable volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenRoot {
    /// The root.
    #[serde(with = "crate::json_path::lossless")]
    pub path: PathBuf,
    /// The mount point of its volume.
    #[serde(with = "crate::json_path::lossless")]
    pub volume: PathBuf,
    /// When it was last seen with backups.
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen: OffsetDateTime,
    /// How many backups it held then.
    pub backups: usize,
    /// How many bytes they took, once a scan has measured them.
    pub bytes: Option<u64>,
}

/// Every remembered root.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenVolumes {
    /// Remembered roots, in the order first seen.
    pub roots: Vec<SeenRoot>,
}

/// The mount point in `volumes` that holds `path` (the longest match).
fn volume_of<'a>(path: &Path, volumes: &'a [PathBuf]) -> Option<&'a PathBuf> {
    volumes
        .iter()
        .filter(|v| path.starts_with(v))
        .max_by_key(|v| v.components().count())
}

impl SeenVolumes {
    /// Merges what was just seen: a root on a mounted volume with backups is remembered (count
    /// and time updated; bytes kept only if the count is unchanged); a remembered root whose
    /// volume is mounted but that is now missing or empty is forgotten. Returns true if
    /// anything changed. Pure.
    pub fn record(
        &mut self,
        reports: &[RootReport],
        volumes: &[PathBuf],
        now: OffsetDateTime,
    ) -> bool {
        let before = self.clone();
        for report in reports {
            let path = &report.root.path;
            let Some(volume) = volume_of(path, volumes) else {
                continue;
            };
            let pos = self.roots.iter().position(|s| &s.path == path);
            match (&report.status, pos) {
                (RootStatus::Ok { backups }, Some(i)) if *backups > 0 => {
                    let seen = &mut self.roots[i];
                    if seen.backups != *backups {
                        seen.bytes = None;
                    }
                    seen.backups = *backups;
                    seen.last_seen = now;
                    seen.volume = volume.clone();
                }
                (RootStatus::Ok { backups }, None) if *backups > 0 => {
                    self.roots.push(SeenRoot {
                        path: path.clone(),
                        volume: volume.clone(),
                        last_seen: now,
                        backups: *backups,
                        bytes: None,
                    });
                }
                (RootStatus::Ok { .. } | RootStatus::Missing, Some(i)) => {
                    self.roots.remove(i);
                }
                _ => {}
            }
        }
        *self != before
    }

    /// Sets the measured bytes of a remembered root; false if it is not remembered.
    pub fn set_bytes(&mut self, root: &Path, bytes: u64) -> bool {
        match self.roots.iter_mut().find(|s| s.path == root) {
            Some(seen) => {
                seen.bytes = Some(bytes);
                true
            }
            None => false,
        }
    }

    /// Reports remembered roots whose volume is not in `volumes` as
    /// [`RootStatus::DriveNotConnected`]: a missing report for such a root changes status, and
    /// remembered roots absent from `reports` are appended (origin volume). Pure.
    pub fn mark_disconnected(
        &self,
        mut reports: Vec<RootReport>,
        volumes: &[PathBuf],
    ) -> Vec<RootReport> {
        for seen in self.roots.iter().filter(|s| !volumes.contains(&s.volume)) {
            let status = RootStatus::DriveNotConnected {
                last_seen: seen.last_seen,
                backups: seen.backups,
                bytes: seen.bytes,
            };
            match reports.iter_mut().find(|r| r.root.path == seen.path) {
                Some(r) if r.status == RootStatus::Missing => r.status = status,
                Some(_) => {}
                None => reports.push(RootReport {
                    root: Root {
                        path: seen.path.clone(),
                        origin: RootOrigin::Volume,
                        owner: None,
                        app: app_for(&seen.path),
                    },
                    status,
                }),
            }
        }
        reports
    }
}

/// The JSON file holding [`SeenVolumes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenStore {
    path: PathBuf,
}

impl SeenStore {
    /// A store in the file at `path`.
    pub fn at(path: impl Into<PathBuf>) -> SeenStore {
        SeenStore { path: path.into() }
    }

    /// The store at `<cache dir>/backtop/seen-volumes.json`, when the cache folder is known.
    pub fn default_location() -> Option<SeenStore> {
        dirs::cache_dir().map(|d| SeenStore::at(d.join("backtop").join("seen-volumes.json")))
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The remembered roots, and whether the file must be rewritten (it was corrupt).
    /// A missing or corrupt file gives nothing.
    fn read(&self) -> (SeenVolumes, bool) {
        match std::fs::read(&self.path) {
            Err(_) => (SeenVolumes::default(), false),
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(seen) => (seen, false),
                Err(_) => (SeenVolumes::default(), true),
            },
        }
    }

    /// The remembered roots; a missing or corrupt file gives none.
    pub fn load(&self) -> SeenVolumes {
        self.read().0
    }

    /// Writes `seen`, creating the folder (through a temporary file, so a reader never sees
    /// half a file).
    pub fn save(&self, seen: &SeenVolumes) -> Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let json = serde_json::to_vec_pretty(seen)
            .map_err(|e| Error::invalid(&self.path, e.to_string()))?;
        let tmp = self.path.with_extension("json.tmp");
        std::fs::write(&tmp, json).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| Error::io(&self.path, e))
    }

    /// Loads, [records](SeenVolumes::record) `reports`, and saves when something changed or
    /// the file was corrupt. Returns the updated memory.
    pub fn remember(
        &self,
        reports: &[RootReport],
        volumes: &[PathBuf],
        now: OffsetDateTime,
    ) -> Result<SeenVolumes> {
        let (mut seen, corrupt) = self.read();
        if seen.record(reports, volumes, now) || corrupt {
            self.save(&seen)?;
        }
        Ok(seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T1: OffsetDateTime = datetime!(2026-11-20 14:02 UTC);
    const T2: OffsetDateTime = datetime!(2026-11-25 09:30 UTC);

    fn report(path: &str, status: RootStatus) -> RootReport {
        RootReport {
            root: crate::library::locate::named_root(Path::new(path), RootOrigin::Volume),
            status,
        }
    }

    fn t7() -> Vec<PathBuf> {
        vec![PathBuf::from("/Volumes/T7")]
    }

    fn seen_t7(backups: usize, bytes: Option<u64>) -> SeenRoot {
        SeenRoot {
            path: "/Volumes/T7/iMazing.Backups".into(),
            volume: "/Volumes/T7".into(),
            last_seen: T1,
            backups,
            bytes,
        }
    }

    #[test]
    fn roots_on_volumes_with_backups_are_remembered() {
        let mut seen = SeenVolumes::default();
        let reports = [
            report("/Volumes/T7/iMazing.Backups", RootStatus::Ok { backups: 4 }),
            report("/Volumes/T7/empty", RootStatus::Ok { backups: 0 }),
            report("/Users/ann/backups", RootStatus::Ok { backups: 2 }),
        ];
        assert!(seen.record(&reports, &t7(), T1));
        assert_eq!(seen.roots, vec![seen_t7(4, None)]);
        assert!(!seen.record(&reports, &t7(), T1), "nothing new");
        assert!(seen.set_bytes(Path::new("/Volumes/T7/iMazing.Backups"), 120_300_000_000));
        assert!(!seen.set_bytes(Path::new("/nowhere"), 1));
        assert_eq!(seen.roots, vec![seen_t7(4, Some(120_300_000_000))]);
    }

    #[test]
    fn a_new_count_updates_time_and_forgets_bytes() {
        let mut seen = SeenVolumes {
            roots: vec![seen_t7(4, Some(9))],
        };
        let reports = [report(
            "/Volumes/T7/iMazing.Backups",
            RootStatus::Ok { backups: 5 },
        )];
        assert!(seen.record(&reports, &t7(), T2));
        let mut want = seen_t7(5, None);
        want.last_seen = T2;
        assert_eq!(seen.roots, vec![want]);
    }

    #[test]
    fn a_mounted_root_now_missing_or_empty_is_forgotten() {
        for status in [RootStatus::Missing, RootStatus::Ok { backups: 0 }] {
            let mut seen = SeenVolumes {
                roots: vec![seen_t7(4, None)],
            };
            let reports = [report("/Volumes/T7/iMazing.Backups", status)];
            assert!(seen.record(&reports, &t7(), T2));
            assert!(seen.roots.is_empty());
        }
    }

    #[test]
    fn a_remembered_drive_gone_is_reported_not_connected_with_its_figures() {
        let seen = SeenVolumes {
            roots: vec![seen_t7(4, Some(120_300_000_000))],
        };
        let gone = RootStatus::DriveNotConnected {
            last_seen: T1,
            backups: 4,
            bytes: Some(120_300_000_000),
        };
        let other = report("/Users/ann/x", RootStatus::Missing);
        // Not among the roots looked at (its volume is not mounted): appended.
        let out = seen.mark_disconnected(vec![other.clone()], &[]);
        assert_eq!(
            out,
            vec![
                other.clone(),
                report("/Volumes/T7/iMazing.Backups", gone.clone())
            ]
        );
        // Looked at and missing (e.g. a --root on that drive): its status changes.
        let missing = report("/Volumes/T7/iMazing.Backups", RootStatus::Missing);
        let out = seen.mark_disconnected(vec![missing], &[]);
        assert_eq!(out, vec![report("/Volumes/T7/iMazing.Backups", gone)]);
        // Mounted: untouched.
        let out = seen.mark_disconnected(vec![other.clone()], &t7());
        assert_eq!(out, vec![other]);
    }

    #[test]
    fn a_remembered_finder_root_keeps_its_app() {
        let mut remembered = seen_t7(1, None);
        remembered.path = "/Volumes/T7/MobileSync/Backup".into();
        let seen = SeenVolumes {
            roots: vec![remembered],
        };
        let out = seen.mark_disconnected(Vec::new(), &[]);
        assert_eq!(out[0].root.app, crate::library::locate::FINDER);
    }

    #[test]
    fn the_store_round_trips_and_ignores_a_corrupt_file() {
        let tmp = tempfile::tempdir().unwrap();
        let store = SeenStore::at(tmp.path().join("cache").join("seen-volumes.json"));
        assert_eq!(store.load(), SeenVolumes::default(), "missing file");
        let reports = [report(
            "/Volumes/T7/iMazing.Backups",
            RootStatus::Ok { backups: 4 },
        )];
        let seen = store.remember(&reports, &t7(), T1).unwrap();
        assert_eq!(seen.roots, vec![seen_t7(4, None)]);
        assert_eq!(store.load(), seen);

        std::fs::write(store.path(), b"{\"roots\": [ garbage").unwrap();
        assert_eq!(store.load(), SeenVolumes::default());
        let seen = store.remember(&[], &t7(), T2).unwrap();
        assert_eq!(seen, SeenVolumes::default());
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert_eq!(text, "{\n  \"roots\": []\n}", "rewritten");
    }
}
