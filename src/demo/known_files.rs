//! The well-known files every device has, per content category: the Messages and WhatsApp
//! databases, the address book, calendars, Health, Keychain, Safari, system preferences.
//! One table per category; weights are life-size byte counts in MiB.

use crate::library::category::Category;

use super::catalog::{item, Item, MB};

type Table = &'static [(&'static str, &'static str, f64)];

const H: &str = "HomeDomain";

const PHOTOS: Table = &[("CameraRollDomain", "Media/PhotoData/Photos.sqlite", 180.0)];
const MESSAGES: Table = &[(H, "Library/SMS/sms.db", 240.0)];
const WHATSAPP: Table = &[
    (
        "AppDomainGroup-group.net.whatsapp.WhatsApp.shared",
        "ChatStorage.sqlite",
        320.0,
    ),
    (
        "AppDomain-net.whatsapp.WhatsApp",
        "Library/Preferences/net.whatsapp.WhatsApp.plist",
        0.02,
    ),
];
const CONTACTS: Table = &[
    (H, "Library/AddressBook/AddressBook.sqlitedb", 6.0),
    (H, "Library/AddressBook/AddressBookImages.sqlitedb", 18.0),
];
const CALENDARS: Table = &[
    (H, "Library/Calendar/Calendar.sqlitedb", 22.0),
    (H, "Library/Calendar/Extras.db", 0.1),
];
const NOTES: Table = &[
    (
        "AppDomainGroup-group.com.apple.notes",
        "NoteStore.sqlite",
        48.0,
    ),
    (H, "Library/Notes/notes.sqlite", 0.2),
];
const NOTES_IOS9: Table = &[(H, "Library/Notes/notes.sqlite", 3.0)];
const CALLS: Table = &[
    (H, "Library/CallHistoryDB/CallHistory.storedata", 9.0),
    (H, "Library/Voicemail/voicemail.db", 0.3),
];
const HEALTH: Table = &[
    ("HealthDomain", "Health/healthdb.sqlite", 12.0),
    ("HealthDomain", "Health/healthdb_secure.sqlite", 640.0),
];
const SAFARI: Table = &[
    (H, "Library/Safari/History.db", 14.0),
    (H, "Library/Safari/Bookmarks.db", 0.4),
    (
        "AppDomain-com.apple.mobilesafari",
        "Library/Safari/BrowserState.db",
        2.0,
    ),
];
const KEYCHAIN: Table = &[("KeychainDomain", "keychain-backup.plist", 1.2)];
const HOME: Table = &[("HomeKitDomain", "Library/homed/datastore3.sqlite", 3.0)];
const SYSTEM: Table = &[
    (H, "Library/Preferences/com.apple.springboard.plist", 0.01),
    (H, "Library/Preferences/com.apple.Preferences.plist", 0.01),
    (H, "Library/Preferences/com.apple.mobilephone.plist", 0.01),
    (H, "Library/Preferences/com.apple.AppStore.plist", 0.01),
    (H, "Library/Preferences/com.apple.camera.plist", 0.01),
    (H, "Library/Preferences/com.apple.MobileSMS.plist", 0.01),
    (H, "Library/Preferences/com.apple.weather.plist", 0.01),
    (H, "Library/Preferences/com.apple.Maps.plist", 0.01),
    (H, "Library/Mail/Envelope Index", 95.0),
    (H, "Library/Maps/History.mapsdata", 1.1),
    (H, "Library/Recents/Recents", 2.0),
    (
        "SystemPreferencesDomain",
        "SystemConfiguration/preferences.plist",
        0.02,
    ),
    (
        "SystemPreferencesDomain",
        "SystemConfiguration/com.apple.wifi.plist",
        0.05,
    ),
    (
        "WirelessDomain",
        "Library/Preferences/com.apple.commcenter.plist",
        0.01,
    ),
    ("RootDomain", "Library/Caches/locationd/clients.plist", 0.2),
    ("DatabaseDomain", "timezone/localtime", 0.001),
    (
        "KeyboardDomain",
        "Library/Keyboard/en-dynamic.lm/dynamic-lexicon.dat",
        1.5,
    ),
    (
        "TonesDomain",
        "Library/Preferences/com.apple.ringtones.plist",
        0.01,
    ),
    (
        "ManagedPreferencesDomain",
        "mobile/com.apple.webcontentfilter.plist",
        0.001,
    ),
    (
        "MobileDeviceDomain",
        "Library/Preferences/com.apple.MobileDevice.plist",
        0.001,
    ),
];

/// The well-known files of a category (no generator): same on every device. `modern` is
/// iOS 10 or later (Notes moved to its group container).
pub fn fixed(cat: Category, modern: bool) -> Vec<Item> {
    let table: Table = match cat {
        Category::Photos => PHOTOS,
        Category::Messages => MESSAGES,
        Category::Whatsapp => WHATSAPP,
        Category::Contacts => CONTACTS,
        Category::Calendars => CALENDARS,
        Category::Notes if modern => NOTES,
        Category::Notes => NOTES_IOS9,
        Category::Calls => CALLS,
        Category::Health => HEALTH,
        Category::Safari => SAFARI,
        Category::Keychain => KEYCHAIN,
        Category::Home => HOME,
        Category::System => SYSTEM,
        _ => &[],
    };
    table.iter().map(|(d, p, mb)| item(d, p, mb * MB)).collect()
}
