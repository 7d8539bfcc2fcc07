//! The demo's four devices: life-size profiles (total bytes, file count, content mix) turned
//! into file lists, and older variants of a list (fewer photos, smaller databases).

use crate::library::category::Category;

use super::catalog::{items, APPS};
use super::rng::Rng;
use super::spec::FileSpec;

/// One device of the demo library.
#[derive(Debug, Clone)]
pub struct Profile {
    /// `Device Name`.
    pub name: &'static str,
    /// `Product Type`.
    pub product_type: &'static str,
    /// iOS version and build of its newest backup.
    pub ios: (&'static str, &'static str),
    /// Life-size bytes of its newest backup.
    pub total_bytes: f64,
    /// Files in its newest backup at scale 1.
    pub files: usize,
    /// iOS 10 or later (new domains, Manifest.db).
    pub modern: bool,
    /// How many of [`APPS`] it has (WhatsApp and Spotify first).
    pub apps: usize,
    /// Per category: (share of bytes, share of files).
    pub mix: &'static [(Category, f64, f64)],
    /// Its backups are encrypted. An unencrypted one holds no Health, Keychain or Home data,
    /// call history or Safari history (docs/FORMAT.md §5): its mix has none of the first
    /// three, and [`Profile::files`] leaves out the other two.
    pub encrypted: bool,
}

use Category as C;

/// The main iPhone (~60 GB, photos dominant; not encrypted).
pub const MAIN_IPHONE: Profile = Profile {
    name: "Anna's iPhone",
    product_type: "iPhone15,2",
    ios: ("17.5.1", "21F90"),
    total_bytes: 60e9,
    files: 3000,
    modern: true,
    apps: 12,
    mix: &[
        (C::Photos, 0.62, 0.45),
        (C::Messages, 0.09, 0.12),
        (C::Whatsapp, 0.08, 0.14),
        (C::Apps, 0.09, 0.14),
        (C::Notes, 0.006, 0.02),
        (C::Calls, 0.001, 0.01),
        (C::VoiceMemos, 0.012, 0.02),
        (C::Files, 0.03, 0.02),
        (C::OtherMedia, 0.035, 0.04),
        (C::System, 0.004, 0.0),
        (C::Safari, 0.002, 0.0),
        (C::Contacts, 0.001, 0.0),
        (C::Calendars, 0.001, 0.0),
    ],
    encrypted: false,
};

/// The iPad (~25 GB; its backups are encrypted).
pub const IPAD: Profile = Profile {
    name: "Anna's iPad",
    product_type: "iPad13,16",
    ios: ("17.4", "21E219"),
    total_bytes: 25e9,
    files: 2400,
    modern: true,
    apps: 16,
    mix: &[
        (C::Photos, 0.35, 0.35),
        (C::Apps, 0.35, 0.35),
        (C::Files, 0.12, 0.08),
        (C::OtherMedia, 0.08, 0.1),
        (C::Messages, 0.05, 0.08),
        (C::Notes, 0.02, 0.04),
        (C::Health, 0.01, 0.0),
        (C::System, 0.004, 0.0),
        (C::Safari, 0.002, 0.0),
        (C::Contacts, 0.001, 0.0),
        (C::Calendars, 0.001, 0.0),
        (C::Keychain, 0.0001, 0.0),
        (C::Home, 0.0001, 0.0),
    ],
    encrypted: true,
};

/// The previous iPhone (~14 GB, not encrypted: no Health, Keychain or call history).
pub const OLD_IPHONE: Profile = Profile {
    name: "Anna's old iPhone",
    product_type: "iPhone12,1",
    ios: ("16.7.8", "20H343"),
    total_bytes: 14e9,
    files: 2000,
    modern: true,
    apps: 9,
    mix: &[
        (C::Photos, 0.55, 0.5),
        (C::Whatsapp, 0.15, 0.17),
        (C::Messages, 0.12, 0.12),
        (C::Apps, 0.1, 0.14),
        (C::VoiceMemos, 0.02, 0.02),
        (C::OtherMedia, 0.04, 0.05),
        (C::System, 0.004, 0.0),
        (C::Safari, 0.002, 0.0),
        (C::Contacts, 0.001, 0.0),
        (C::Calendars, 0.001, 0.0),
        (C::Notes, 0.002, 0.0),
    ],
    encrypted: false,
};

/// An iPhone 6 on iOS 9.3.5 (~8 GB, `Manifest.mbdb`).
pub const IOS9_IPHONE: Profile = Profile {
    name: "Dad's iPhone 6",
    product_type: "iPhone7,2",
    ios: ("9.3.5", "13G36"),
    total_bytes: 8e9,
    files: 1600,
    modern: false,
    apps: 5,
    mix: &[
        (C::Photos, 0.6, 0.55),
        (C::Messages, 0.15, 0.15),
        (C::Whatsapp, 0.1, 0.12),
        (C::Apps, 0.08, 0.1),
        (C::VoiceMemos, 0.02, 0.03),
        (C::OtherMedia, 0.05, 0.05),
        (C::Notes, 0.001, 0.0),
        (C::Contacts, 0.001, 0.0),
        (C::Calendars, 0.001, 0.0),
        (C::System, 0.004, 0.0),
    ],
    encrypted: false,
};

impl Profile {
    /// The device's apps: (bundle id, display name).
    pub fn apps(&self) -> Vec<(String, String)> {
        APPS.iter()
            .take(self.apps)
            .map(|(b, n)| (b.to_string(), n.to_string()))
            .collect()
    }

    /// The newest backup's files. Counts grow with √`scale` (1.0 ≈ `files`); byte totals stay
    /// life-size (`total_bytes`) at every scale.
    pub fn files(&self, rng: &mut Rng, scale: f64) -> Vec<FileSpec> {
        let apps: Vec<(&str, &str)> = APPS.iter().take(self.apps).copied().collect();
        let share_sum: f64 = self.mix.iter().map(|m| m.1).sum();
        let count_sum: f64 = self.mix.iter().map(|m| m.2).sum::<f64>().max(f64::EPSILON);
        let mut out = Vec::new();
        for &(cat, bytes_share, count_share) in self.mix {
            let n = self.files as f64 * scale.max(0.0).sqrt() * count_share / count_sum;
            let n = n.round() as usize;
            let mut list = items(cat, n.max(1), rng, &apps, self.modern);
            if !self.encrypted {
                list.retain(|(domain, path, _)| !only_in_encrypted_backups(domain, path));
            }
            let budget = self.total_bytes * bytes_share / share_sum;
            let weight: f64 = list.iter().map(|i| i.2).sum();
            for (domain, path, w) in list {
                let size = (budget * w / weight.max(1.0)).round().max(0.0) as u64;
                out.push(FileSpec { domain, path, size });
            }
        }
        out
    }
}

/// The files of the categories it mixes that iOS writes only into an encrypted backup: the
/// call history (voicemail stays) and the Safari history (bookmarks stay).
fn only_in_encrypted_backups(domain: &str, path: &str) -> bool {
    domain == "HomeDomain"
        && (path.starts_with("Library/CallHistoryDB/") || path == "Library/Safari/History.db")
}

/// An older state of `files`: each camera-roll, attachment or media file is absent with
/// probability `drop` (it was taken later), and databases are `shrink` times their size.
pub fn older(files: &[FileSpec], rng: &mut Rng, drop: f64, shrink: f64) -> Vec<FileSpec> {
    files
        .iter()
        .filter(|f| !(is_media(f) && rng.chance(drop)))
        .map(|f| {
            let mut f = f.clone();
            if is_database(&f) {
                f.size = (f.size as f64 * shrink) as u64;
            }
            f
        })
        .collect()
}

/// Files that change between two backups without changing name: the databases.
pub fn is_database(f: &FileSpec) -> bool {
    [".sqlite", ".sqlitedb", ".db", ".storedata"]
        .iter()
        .any(|e| f.path.ends_with(e))
}

fn is_media(f: &FileSpec) -> bool {
    f.path.starts_with("Media/DCIM/")
        || f.path.starts_with("Library/SMS/Attachments/")
        || f.path.starts_with("Message/Media/")
        || f.path.starts_with("Media/PhotoData/Thumbnails/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_life_size_and_counts_grow_with_the_root_of_scale() {
        let one = MAIN_IPHONE.files(&mut Rng::new(1), 1.0);
        let hundred = MAIN_IPHONE.files(&mut Rng::new(1), 100.0);
        let total = |v: &[FileSpec]| v.iter().map(|f| f.size).sum::<u64>() as f64;
        assert!((total(&one) - 60e9).abs() < 1e6, "{}", total(&one));
        assert!((total(&hundred) - 60e9).abs() < 1e6);
        assert!((3000..3100).contains(&one.len()), "{}", one.len());
        assert!(
            (30_000..30_100).contains(&hundred.len()),
            "{}",
            hundred.len()
        );
    }

    #[test]
    fn only_encrypted_backups_hold_health_keychain_home_and_the_histories() {
        let encrypted_only = |f: &FileSpec| {
            ["HealthDomain", "KeychainDomain", "HomeKitDomain"].contains(&f.domain.as_str())
                || only_in_encrypted_backups(&f.domain, &f.path)
        };
        for p in [&MAIN_IPHONE, &OLD_IPHONE, &IOS9_IPHONE] {
            assert!(!p.encrypted, "{}", p.name);
            let files = p.files(&mut Rng::new(1), 1.0);
            let found: Vec<_> = files.iter().filter(|f| encrypted_only(f)).collect();
            assert!(found.is_empty(), "{}: {found:?}", p.name);
        }
        // The main iPhone keeps its voicemail and Safari bookmarks.
        let main = MAIN_IPHONE.files(&mut Rng::new(1), 1.0);
        for path in [
            "Library/Voicemail/voicemail.db",
            "Library/Safari/Bookmarks.db",
        ] {
            assert!(main.iter().any(|f| f.path == path), "{path}");
        }
        const { assert!(IPAD.encrypted) };
        let ipad = IPAD.files(&mut Rng::new(1), 1.0);
        for domain in ["HealthDomain", "KeychainDomain", "HomeKitDomain"] {
            assert!(ipad.iter().any(|f| f.domain == domain), "{domain}");
        }
    }

    #[test]
    fn other_seeds_give_other_files() {
        let a = IPAD.files(&mut Rng::new(1), 1.0);
        let b = IPAD.files(&mut Rng::new(2), 1.0);
        assert_ne!(a, b);
        assert_eq!(a, IPAD.files(&mut Rng::new(1), 1.0));
    }

    #[test]
    fn older_drops_media_and_shrinks_databases() {
        let files = vec![
            FileSpec::new("HomeDomain", "Library/SMS/sms.db", 1000),
            FileSpec::new("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC", 5),
        ];
        assert_eq!(
            older(&files, &mut Rng::new(1), 1.0, 0.5),
            [FileSpec::new("HomeDomain", "Library/SMS/sms.db", 500)]
        );
        assert_eq!(older(&files, &mut Rng::new(1), 0.0, 1.0), files);
    }
}
