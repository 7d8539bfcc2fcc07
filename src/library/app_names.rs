//! What to call an app: its display name from `Info.plist`'s `Applications` when the backup
//! has one, else a readable form of its bundle id (`com.google.chrome.ios` → `Chrome`). Pure.

use std::collections::BTreeMap;

/// Parts of a bundle id that say nothing about the app: reverse-DNS prefixes, the platform,
/// and suffixes app groups and extensions add.
const FILLER: &[&str] = &[
    "com",
    "net",
    "org",
    "io",
    "co",
    "de",
    "fr",
    "uk",
    "app",
    "apps",
    "ios",
    "iphone",
    "ipad",
    "mobile",
    "client",
    "group",
    "shared",
    "share",
    "extension",
    "widget",
    "prod",
    "production",
];

/// The app's name: `names[bundle_id]` (from `Info.plist`), else [`readable_bundle_id`].
pub fn display_name(bundle_id: &str, names: &BTreeMap<String, String>) -> String {
    match names.get(bundle_id) {
        Some(name) if !name.trim().is_empty() => name.trim().to_string(),
        _ => readable_bundle_id(bundle_id),
    }
}

/// A readable name for a bundle id: its last part that is not filler (see [`FILLER`]), with
/// a capital first letter (`com.spotify.client` → `Spotify`, `net.whatsapp.WhatsApp` →
/// `WhatsApp`, `com.google.chrome.ios` → `Chrome`); the id itself when every part is filler.
pub fn readable_bundle_id(bundle_id: &str) -> String {
    let parts: Vec<&str> = bundle_id.split('.').filter(|p| !p.is_empty()).collect();
    // The vendor (second part) names the app when nothing after it does (`com.spotify.client`).
    let meaningful = |p: &&str| !FILLER.contains(&p.to_ascii_lowercase().as_str());
    let name = parts
        .iter()
        .copied()
        .skip(2)
        .rev()
        .find(meaningful)
        .or_else(|| parts.iter().copied().skip(1).take(1).find(meaningful))
        .or_else(|| parts.iter().copied().rev().find(meaningful));
    match name {
        Some(n) => capitalized(n),
        None => bundle_id.to_string(),
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_ids_read_as_names() {
        for (id, name) in [
            ("com.google.chrome.ios", "Chrome"),
            ("com.spotify.client", "Spotify"),
            ("net.whatsapp.WhatsApp", "WhatsApp"),
            ("com.burbn.instagram", "Instagram"),
            ("ph.telegra.Telegraph", "Telegraph"),
            ("com.atebits.Tweetie2", "Tweetie2"),
            ("group.net.whatsapp.WhatsApp.shared", "WhatsApp"),
            ("com.toyopagroup.picaboo", "Picaboo"),
            ("org.whispersystems.signal", "Signal"),
            ("com.app", "com.app"),
            ("", ""),
            ("Strava", "Strava"),
        ] {
            assert_eq!(readable_bundle_id(id), name, "{id}");
        }
    }

    #[test]
    fn the_plist_name_wins() {
        let names = BTreeMap::from([(
            "com.google.chrome.ios".to_string(),
            "Google Chrome".to_string(),
        )]);
        assert_eq!(
            display_name("com.google.chrome.ios", &names),
            "Google Chrome"
        );
        assert_eq!(display_name("com.spotify.client", &names), "Spotify");
        let blank = BTreeMap::from([("com.spotify.client".to_string(), "  ".to_string())]);
        assert_eq!(display_name("com.spotify.client", &blank), "Spotify");
    }
}
