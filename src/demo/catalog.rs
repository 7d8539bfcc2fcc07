//! Realistic domains, paths and apps for the demo devices. Each content [`Category`] has either
//! a fixed list of well-known files (the Messages database, the address book) or a generator of
//! many files (camera roll, attachments, app caches). Sizes come out as relative weights; the
//! caller scales them to a device's life-size total.

use crate::library::category::Category;

use super::known_files::fixed;
use super::rng::Rng;

/// Apps the demo devices have installed: (bundle id, display name).
pub const APPS: &[(&str, &str)] = &[
    ("net.whatsapp.WhatsApp", "WhatsApp"),
    ("com.spotify.client", "Spotify"),
    ("com.burbn.instagram", "Instagram"),
    ("com.google.Maps", "Google Maps"),
    ("ph.telegra.Telegraph", "Telegram"),
    ("org.whispersystems.signal", "Signal"),
    ("com.netflix.Netflix", "Netflix"),
    ("com.duolingo.DuolingoMobile", "Duolingo"),
    ("com.strava.stravaride", "Strava"),
    ("com.tinyspeck.chatlyio", "Slack"),
    ("com.amazon.Lassen", "Kindle"),
    ("com.google.ios.youtube", "YouTube"),
    ("com.savage.Procreate", "Procreate"),
    ("com.goodnotesapp.x", "GoodNotes 5"),
    ("com.ubercab.UberClient", "Uber"),
    ("com.airbnb.app", "Airbnb"),
];

/// One mebibyte, for weights.
pub const MB: f64 = 1_048_576.0;

/// One generated file: domain, path and relative weight (≈ a life-size byte count).
pub type Item = (String, String, f64);

/// An item from its parts.
pub fn item(domain: &str, path: &str, weight: f64) -> Item {
    (domain.to_string(), path.to_string(), weight)
}

/// A random uppercase UUID string.
pub fn uuid(rng: &mut Rng) -> String {
    hyphenated(&hex::encode_upper(rng.bytes(16)))
}

/// 32 hex digits grouped 8-4-4-4-12 with hyphens, as a UUID is written.
pub fn hyphenated(h: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn photo(rng: &mut Rng, i: u64) -> Item {
    let folder = 100 + i / 1000;
    let n = i % 10_000;
    let r = rng.unit();
    let d = "CameraRollDomain";
    if r < 0.08 {
        item(
            d,
            &format!("Media/DCIM/{folder}APPLE/IMG_{n:04}.MOV"),
            rng.range(30, 900) as f64 * MB,
        )
    } else if r < 0.72 {
        let w = rng.range(1500, 5200) as f64 * 1024.0;
        item(d, &format!("Media/DCIM/{folder}APPLE/IMG_{n:04}.HEIC"), w)
    } else if r < 0.9 {
        let p =
            format!("Media/PhotoData/Thumbnails/V2/DCIM/{folder}APPLE/IMG_{n:04}.HEIC/5005.JPG");
        item(d, &p, rng.range(30, 140) as f64 * 1024.0)
    } else {
        let p = format!(
            "Media/PhotoData/CPLAssets/group{}/{}.JPG",
            i % 200,
            uuid(rng)
        );
        item(d, &p, rng.range(300, 2500) as f64 * 1024.0)
    }
}

fn attachment(rng: &mut Rng, i: u64) -> Item {
    let (ext, w) = *rng.pick(&[
        ("jpeg", 1.8),
        ("heic", 2.4),
        ("MOV", 24.0),
        ("pdf", 0.6),
        ("caf", 0.3),
    ]);
    let path = format!(
        "Library/SMS/Attachments/{:02x}/{:02}/{}/IMG_{:04}.{ext}",
        rng.range(0, 256),
        i % 16,
        uuid(rng),
        i % 10_000
    );
    item("MediaDomain", &path, w * MB * (0.5 + rng.unit()))
}

fn whatsapp(rng: &mut Rng, _i: u64) -> Item {
    let (ext, w) = *rng.pick(&[
        ("jpg", 0.25),
        ("jpg", 0.3),
        ("mp4", 9.0),
        ("opus", 0.08),
        ("pdf", 0.5),
    ]);
    // About 30 chats, the same numbers on every device of a seed's library.
    let chat = format!(
        "4917{:08}@s.whatsapp.net",
        rng.range(0, 30) * 3_141_593 % 100_000_000
    );
    let path = format!(
        "Message/Media/{chat}/{:x}/{:x}/{}.{ext}",
        rng.range(0, 16),
        rng.range(0, 16),
        uuid(rng).to_lowercase()
    );
    let d = "AppDomainGroup-group.net.whatsapp.WhatsApp.shared";
    item(d, &path, w * MB * (0.5 + rng.unit()))
}

fn app_file(rng: &mut Rng, _i: u64, apps: &[(&str, &str)]) -> Item {
    let others: Vec<&str> = apps
        .iter()
        .map(|a| a.0)
        .filter(|b| !b.starts_with("net.whatsapp"))
        .collect();
    let bundle = if others.is_empty() {
        "com.spotify.client"
    } else {
        *rng.pick(&others)
    };
    let id = hex::encode(rng.bytes(8));
    if bundle == "com.spotify.client" {
        let p = format!(
            "Library/Application Support/PersistentCache/Storage/{}/{id}.file",
            &id[..2]
        );
        return item(
            "AppDomain-com.spotify.client",
            &p,
            rng.range(2, 9) as f64 * MB,
        );
    }
    match rng.range(0, 4) {
        0 => item(
            &format!("AppDomainGroup-group.{bundle}"),
            &format!("Library/Caches/{id}.db"),
            0.8 * MB,
        ),
        1 => item(
            &format!("AppDomainPlugin-{bundle}.widget"),
            &format!("Library/Caches/{id}"),
            0.05 * MB,
        ),
        2 => item(
            &format!("AppDomain-{bundle}"),
            &format!("Documents/{id}.dat"),
            rng.range(1, 40) as f64 * MB,
        ),
        _ => item(
            &format!("AppDomain-{bundle}"),
            &format!("Library/Application Support/{id}.sqlite"),
            3.0 * MB,
        ),
    }
}

fn voice_memo(rng: &mut Rng, i: u64, modern: bool) -> Item {
    let (month, day, n) = (1 + i % 12, 1 + i % 28, 80_000 + i);
    if modern {
        let p = format!(
            "Recordings/2024{month:02}{day:02} {n:06}-{}.m4a",
            &uuid(rng)[..8]
        );
        let d = "AppDomainGroup-group.com.apple.VoiceMemos.shared";
        item(d, &p, rng.range(1, 60) as f64 * MB)
    } else {
        let p = format!("Media/Recordings/2016{month:02}{day:02} {n:06}.m4a");
        item("MediaDomain", &p, rng.range(1, 30) as f64 * MB)
    }
}

fn download(rng: &mut Rng, i: u64) -> Item {
    let (ext, w) = *rng.pick(&[("pdf", 2.0), ("zip", 40.0), ("pages", 1.0), ("mp4", 120.0)]);
    let p = format!("File Provider Storage/Downloads/Document {}.{ext}", i + 1);
    let d = "AppDomainGroup-group.com.apple.FileProvider.LocalStorage";
    item(d, &p, w * MB * (0.5 + rng.unit()))
}

fn generated(
    cat: Category,
    rng: &mut Rng,
    i: u64,
    apps: &[(&str, &str)],
    modern: bool,
) -> Option<Item> {
    Some(match cat {
        Category::Photos => photo(rng, i + 1),
        Category::Messages => attachment(rng, i),
        Category::Whatsapp => whatsapp(rng, i),
        Category::Apps => app_file(rng, i, apps),
        Category::Notes if modern => {
            let p = format!("Accounts/LocalAccount/Media/{}/{i}.jpeg", uuid(rng));
            item("AppDomainGroup-group.com.apple.notes", &p, 0.9 * MB)
        }
        Category::Calls => {
            let p = format!("Library/Voicemail/{}.amr", 100 + i);
            item("HomeDomain", &p, 0.06 * MB)
        }
        Category::VoiceMemos => voice_memo(rng, i, modern),
        Category::Files => download(rng, i),
        Category::OtherMedia => {
            let p = format!(
                "Media/iTunes_Control/Music/F{:02}/{}.m4a",
                i % 50,
                &uuid(rng)[..4]
            );
            item("MediaDomain", &p, rng.range(4, 12) as f64 * MB)
        }
        _ => return None,
    })
}

/// `n` items of `cat`: the fixed files first, then generated ones (none for categories that
/// only have fixed files). Paths are unique within the result.
pub fn items(
    cat: Category,
    n: usize,
    rng: &mut Rng,
    apps: &[(&str, &str)],
    modern: bool,
) -> Vec<Item> {
    let mut out = fixed(cat, modern);
    let mut seen: std::collections::HashSet<(String, String)> =
        out.iter().map(|(d, p, _)| (d.clone(), p.clone())).collect();
    let mut i = 0u64;
    while out.len() < n && i < n as u64 * 2 + 16 {
        match generated(cat, rng, i, apps, modern) {
            Some(it) => {
                if seen.insert((it.0.clone(), it.1.clone())) {
                    out.push(it);
                }
            }
            None => break,
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_camera_roll_files_with_unique_paths() {
        let mut rng = Rng::new(3);
        let v = items(Category::Photos, 500, &mut rng, APPS, true);
        assert_eq!(v.len(), 500);
        assert!(v
            .iter()
            .all(|(d, _, w)| d == "CameraRollDomain" && *w > 0.0));
        assert_eq!(v[0].1, "Media/PhotoData/Photos.sqlite");
    }

    #[test]
    fn fixed_only_categories_stop_at_their_list() {
        let mut rng = Rng::new(3);
        assert_eq!(items(Category::Keychain, 50, &mut rng, APPS, true).len(), 1);
        let sms = items(Category::Messages, 3, &mut rng, APPS, true);
        assert_eq!(
            (sms[0].0.as_str(), sms[0].1.as_str()),
            ("HomeDomain", "Library/SMS/sms.db")
        );
        assert!(sms[1].1.starts_with("Library/SMS/Attachments/"));
    }
}
