//! Realistic domains, paths and apps for the demo devices. Each content [`Category`] has either
//! a fixed list of well-known files (the Messages database, the address book) or a generator of
//! many files (camera roll, attachments, app caches). Sizes come out as relative weights; the
//! caller scales them to a device's life-size total.

use crate::library::category::Category;

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

const MB: f64 = 1_048_576.0;

/// One generated file: domain, path and relative weight (≈ a life-size byte count).
pub type Item = (String, String, f64);

fn item(domain: &str, path: &str, weight: f64) -> Item {
    (domain.to_string(), path.to_string(), weight)
}

/// A random uppercase UUID string.
pub fn uuid(rng: &mut Rng) -> String {
    let h = hex::encode_upper(rng.bytes(16));
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// The well-known files of a category (no generator): same on every device.
pub fn fixed(cat: Category, modern: bool) -> Vec<Item> {
    let h = "HomeDomain";
    match cat {
        Category::Photos => vec![item(
            "CameraRollDomain",
            "Media/PhotoData/Photos.sqlite",
            180.0 * MB,
        )],
        Category::Messages => vec![item(h, "Library/SMS/sms.db", 240.0 * MB)],
        Category::Whatsapp => vec![
            item(
                "AppDomainGroup-group.net.whatsapp.WhatsApp.shared",
                "ChatStorage.sqlite",
                320.0 * MB,
            ),
            item(
                "AppDomain-net.whatsapp.WhatsApp",
                "Library/Preferences/net.whatsapp.WhatsApp.plist",
                0.02 * MB,
            ),
        ],
        Category::Contacts => vec![
            item(h, "Library/AddressBook/AddressBook.sqlitedb", 6.0 * MB),
            item(
                h,
                "Library/AddressBook/AddressBookImages.sqlitedb",
                18.0 * MB,
            ),
        ],
        Category::Calendars => vec![
            item(h, "Library/Calendar/Calendar.sqlitedb", 22.0 * MB),
            item(h, "Library/Calendar/Extras.db", 0.1 * MB),
        ],
        Category::Notes if modern => vec![
            item(
                "AppDomainGroup-group.com.apple.notes",
                "NoteStore.sqlite",
                48.0 * MB,
            ),
            item(h, "Library/Notes/notes.sqlite", 0.2 * MB),
        ],
        Category::Notes => vec![item(h, "Library/Notes/notes.sqlite", 3.0 * MB)],
        Category::Calls => vec![
            item(h, "Library/CallHistoryDB/CallHistory.storedata", 9.0 * MB),
            item(h, "Library/Voicemail/voicemail.db", 0.3 * MB),
        ],
        Category::Health => vec![
            item("HealthDomain", "Health/healthdb.sqlite", 12.0 * MB),
            item("HealthDomain", "Health/healthdb_secure.sqlite", 640.0 * MB),
        ],
        Category::Safari => vec![
            item(h, "Library/Safari/History.db", 14.0 * MB),
            item(h, "Library/Safari/Bookmarks.db", 0.4 * MB),
            item(
                "AppDomain-com.apple.mobilesafari",
                "Library/Safari/BrowserState.db",
                2.0 * MB,
            ),
        ],
        Category::Keychain => vec![item("KeychainDomain", "keychain-backup.plist", 1.2 * MB)],
        Category::Home => vec![item(
            "HomeKitDomain",
            "Library/homed/datastore3.sqlite",
            3.0 * MB,
        )],
        Category::System => system(),
        _ => Vec::new(),
    }
}

fn system() -> Vec<Item> {
    let prefs = [
        "com.apple.springboard",
        "com.apple.Preferences",
        "com.apple.mobilephone",
        "com.apple.AppStore",
        "com.apple.camera",
        "com.apple.locationd",
        "com.apple.MobileSMS",
        "com.apple.mobileslideshow",
        "com.apple.weather",
        "com.apple.stocks",
        "com.apple.Maps",
        "com.apple.assistant.support",
    ];
    let mut v: Vec<Item> = prefs
        .iter()
        .map(|p| {
            item(
                "HomeDomain",
                &format!("Library/Preferences/{p}.plist"),
                0.01 * MB,
            )
        })
        .collect();
    v.extend([
        item(
            "SystemPreferencesDomain",
            "SystemConfiguration/preferences.plist",
            0.02 * MB,
        ),
        item(
            "SystemPreferencesDomain",
            "SystemConfiguration/com.apple.wifi.plist",
            0.05 * MB,
        ),
        item(
            "WirelessDomain",
            "Library/Preferences/com.apple.commcenter.plist",
            0.01 * MB,
        ),
        item(
            "RootDomain",
            "Library/Caches/locationd/clients.plist",
            0.2 * MB,
        ),
        item("DatabaseDomain", "timezone/localtime", 0.001 * MB),
        item(
            "KeyboardDomain",
            "Library/Keyboard/en-dynamic.lm/dynamic-lexicon.dat",
            1.5 * MB,
        ),
        item(
            "TonesDomain",
            "Library/Preferences/com.apple.ringtones.plist",
            0.01 * MB,
        ),
        item(
            "ManagedPreferencesDomain",
            "mobile/com.apple.webcontentfilter.plist",
            0.001 * MB,
        ),
        item(
            "MobileDeviceDomain",
            "Library/Preferences/com.apple.MobileDevice.plist",
            0.001 * MB,
        ),
        item("HomeDomain", "Library/Mail/Envelope Index", 95.0 * MB),
        item("HomeDomain", "Library/Maps/History.mapsdata", 1.1 * MB),
        item("HomeDomain", "Library/Recents/Recents", 2.0 * MB),
    ]);
    v
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
    let chat = format!("4917{:08}@s.whatsapp.net", rng.range(0, 100_000_000));
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
            let p = format!("Accounts/LocalAccount/Media/{}/{}.jpeg", uuid(rng), i);
            item("AppDomainGroup-group.com.apple.notes", &p, 0.9 * MB)
        }
        Category::Calls => item(
            "HomeDomain",
            &format!("Library/Voicemail/{}.amr", 100 + i),
            0.06 * MB,
        ),
        Category::VoiceMemos if modern => {
            let p = format!(
                "Recordings/2024{:02}{:02} {:06}-{}.m4a",
                1 + i % 12,
                1 + i % 28,
                80_000 + i,
                &uuid(rng)[..8]
            );
            item(
                "AppDomainGroup-group.com.apple.VoiceMemos.shared",
                &p,
                rng.range(1, 60) as f64 * MB,
            )
        }
        Category::VoiceMemos => {
            let p = format!(
                "Media/Recordings/2016{:02}{:02} {:06}.m4a",
                1 + i % 12,
                1 + i % 28,
                80_000 + i
            );
            item("MediaDomain", &p, rng.range(1, 30) as f64 * MB)
        }
        Category::Files => {
            let (ext, w) =
                *rng.pick(&[("pdf", 2.0), ("zip", 40.0), ("pages", 1.0), ("mp4", 120.0)]);
            let p = format!("File Provider Storage/Downloads/Document {}.{ext}", i + 1);
            item(
                "AppDomainGroup-group.com.apple.FileProvider.LocalStorage",
                &p,
                w * MB * (0.5 + rng.unit()),
            )
        }
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
