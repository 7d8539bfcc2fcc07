//! Content categories: domain/path → [`Category`], one rule table tested row by row.

use serde::{Deserialize, Serialize};

/// What a backed-up file is, for the size breakdown. JSON ids are the snake_case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Camera roll: photos and videos.
    Photos,
    /// Messages and their attachments.
    Messages,
    /// WhatsApp and WhatsApp Business.
    Whatsapp,
    /// Address book.
    Contacts,
    /// Calendars and reminders.
    Calendars,
    /// Notes.
    Notes,
    /// Call history and voicemail.
    Calls,
    /// Voice memos.
    VoiceMemos,
    /// Health data.
    Health,
    /// Safari.
    Safari,
    /// Files app local storage.
    Files,
    /// Keychain.
    Keychain,
    /// HomeKit.
    Home,
    /// Third-party apps.
    Apps,
    /// System and settings.
    System,
    /// Other media.
    OtherMedia,
    /// Manifest.db / Manifest.mbdb and the plists.
    Metadata,
    /// Files on disk that no manifest row names.
    Unknown,
    /// An encrypted backup without its password: everything but metadata.
    Encrypted,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 19] = [
        Category::Photos,
        Category::Messages,
        Category::Whatsapp,
        Category::Contacts,
        Category::Calendars,
        Category::Notes,
        Category::Calls,
        Category::VoiceMemos,
        Category::Health,
        Category::Safari,
        Category::Files,
        Category::Keychain,
        Category::Home,
        Category::Apps,
        Category::System,
        Category::OtherMedia,
        Category::Metadata,
        Category::Unknown,
        Category::Encrypted,
    ];

    /// The JSON id (`voice_memos`).
    pub fn id(self) -> &'static str {
        match self {
            Category::Photos => "photos",
            Category::Messages => "messages",
            Category::Whatsapp => "whatsapp",
            Category::Contacts => "contacts",
            Category::Calendars => "calendars",
            Category::Notes => "notes",
            Category::Calls => "calls",
            Category::VoiceMemos => "voice_memos",
            Category::Health => "health",
            Category::Safari => "safari",
            Category::Files => "files",
            Category::Keychain => "keychain",
            Category::Home => "home",
            Category::Apps => "apps",
            Category::System => "system",
            Category::OtherMedia => "other_media",
            Category::Metadata => "metadata",
            Category::Unknown => "unknown",
            Category::Encrypted => "encrypted",
        }
    }

    /// The human label ("Photos & videos").
    pub fn label(self) -> &'static str {
        match self {
            Category::Photos => "Photos & videos",
            Category::Messages => "Messages",
            Category::Whatsapp => "WhatsApp",
            Category::Contacts => "Contacts",
            Category::Calendars => "Calendars",
            Category::Notes => "Notes",
            Category::Calls => "Calls & voicemail",
            Category::VoiceMemos => "Voice memos",
            Category::Health => "Health",
            Category::Safari => "Safari",
            Category::Files => "Files",
            Category::Keychain => "Keychain",
            Category::Home => "Home",
            Category::Apps => "Apps",
            Category::System => "System & settings",
            Category::OtherMedia => "Other media",
            Category::Metadata => "Backup metadata",
            Category::Unknown => "Unlisted files",
            Category::Encrypted => "Encrypted (no password)",
        }
    }
}
