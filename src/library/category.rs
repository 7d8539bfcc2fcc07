//! Content categories: domain/path → [`Category`], one rule table tested row by row.
//!
//! [`RULES`] is docs/FORMAT.md §5 as data: each row matches a domain (exact, prefix,
//! substring or suffix) and optionally a set of folders; the first matching row wins.
//! Anything no row matches is [`Category::System`]; `MediaDomain` files outside the named
//! folders are [`Category::OtherMedia`] (the table's last row). Most rows look at the domain
//! only, so [`DomainRules::for_domain`] reduces the table once per domain and a manifest of
//! 500k rows runs the path tests only for `HomeDomain` and `MediaDomain` files.
//!
//! App domains (`AppDomain-`, `AppDomainGroup-`, `AppDomainPlugin-`) map to bundle ids with
//! [`app_bundle_of`]; [`group_under`] joins `<bundle>.<extension>` to a bundle known in the
//! same backup.

use std::collections::HashSet;
use std::hash::BuildHasher;

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

/// How a rule matches a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainMatch {
    /// The whole domain.
    Exact(&'static str),
    /// The domain starts with this.
    Prefix(&'static str),
    /// The domain contains this anywhere.
    Contains(&'static str),
    /// The domain ends with this.
    Suffix(&'static str),
}

impl DomainMatch {
    /// True when `domain` matches.
    pub fn matches(self, domain: &str) -> bool {
        match self {
            DomainMatch::Exact(s) => domain == s,
            DomainMatch::Prefix(s) => domain.starts_with(s),
            DomainMatch::Contains(s) => domain.contains(s),
            DomainMatch::Suffix(s) => domain.ends_with(s),
        }
    }
}

/// One row of the rule table: files of a matching domain, under one of `dirs` (any path when
/// `dirs` is empty), are `category`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// What the row gives.
    pub category: Category,
    /// Which domains it applies to.
    pub domain: DomainMatch,
    /// Folders (relative paths without a trailing slash) the file must lie in; empty: any path.
    pub dirs: &'static [&'static str],
}

const fn rule(category: Category, domain: DomainMatch, dirs: &'static [&'static str]) -> Rule {
    Rule {
        category,
        domain,
        dirs,
    }
}

/// The rule table of docs/FORMAT.md §5, in order: the first matching row wins. A domain no
/// row matches is [`Category::System`] (see [`FALLBACK`]); the last row sends what is left of
/// `MediaDomain` to [`Category::OtherMedia`].
#[rustfmt::skip]
pub const RULES: &[Rule] = {
    use Category as C;
    use DomainMatch::{Contains, Exact, Prefix, Suffix};
    const HOME: DomainMatch = Exact("HomeDomain");
    const MEDIA: DomainMatch = Exact("MediaDomain");
    &[
        rule(C::Photos,     Exact("CameraRollDomain"), &[]),
        rule(C::Messages,   HOME,  &["Library/SMS"]),
        rule(C::Messages,   MEDIA, &["Library/SMS/Attachments"]),
        rule(C::Whatsapp,   Contains("net.whatsapp."), &[]),
        rule(C::Contacts,   HOME,  &["Library/AddressBook"]),
        rule(C::Calendars,  HOME,  &["Library/Calendar", "Library/Reminders"]),
        rule(C::Notes,      Exact("AppDomainGroup-group.com.apple.notes"), &[]),
        rule(C::Notes,      HOME,  &["Library/Notes"]),
        rule(C::Calls,      HOME,  &["Library/CallHistoryDB", "Library/Voicemail"]),
        rule(C::VoiceMemos, MEDIA, &["Media/Recordings"]),
        rule(C::VoiceMemos, Contains("VoiceMemos"), &[]),
        rule(C::Health,     Exact("HealthDomain"), &[]),
        rule(C::Safari,     HOME,  &["Library/Safari"]),
        rule(C::Safari,     Suffix("com.apple.mobilesafari"), &[]),
        rule(C::Files,      Exact("AppDomainGroup-group.com.apple.FileProvider.LocalStorage"), &[]),
        rule(C::Keychain,   Exact("KeychainDomain"), &[]),
        rule(C::Home,       Exact("HomeKitDomain"), &[]),
        rule(C::Apps,       Prefix(APP_DOMAIN), &[]),
        rule(C::Apps,       Prefix(APP_DOMAIN_GROUP), &[]),
        rule(C::Apps,       Prefix(APP_DOMAIN_PLUGIN), &[]),
        rule(C::System,     HOME,  &[]),
        rule(C::System,     Exact("SystemPreferencesDomain"), &[]),
        rule(C::System,     Exact("WirelessDomain"), &[]),
        rule(C::System,     Exact("ManagedPreferencesDomain"), &[]),
        rule(C::System,     Exact("RootDomain"), &[]),
        rule(C::System,     Exact("DatabaseDomain"), &[]),
        rule(C::System,     Exact("MobileDeviceDomain"), &[]),
        rule(C::System,     Exact("InstallDomain"), &[]),
        rule(C::System,     Exact("KeyboardDomain"), &[]),
        rule(C::System,     Exact("TonesDomain"), &[]),
        rule(C::System,     Exact("NetworkDomain"), &[]),
        rule(C::System,     Exact("ProtectedDomain"), &[]),
        rule(C::System,     Prefix("SysContainerDomain-"), &[]),
        rule(C::System,     Prefix("SysSharedContainerDomain-"), &[]),
        rule(C::OtherMedia, MEDIA, &[]),
    ]
};

/// The category of a domain no rule matches: system data we cannot name better.
pub const FALLBACK: Category = Category::System;

const APP_DOMAIN: &str = "AppDomain-";
const APP_DOMAIN_GROUP: &str = "AppDomainGroup-";
const APP_DOMAIN_PLUGIN: &str = "AppDomainPlugin-";

/// The rules of [`RULES`] that apply to one domain, reduced once per domain: the folder rules
/// met before the first domain-only match, then that match (or [`FALLBACK`]). Most domains
/// have no folder rules, so their files need no look at the path at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRules {
    dirs: Vec<(&'static str, Category)>,
    otherwise: Category,
}

impl DomainRules {
    /// Reduces [`RULES`] for `domain`.
    pub fn for_domain(domain: &str) -> DomainRules {
        let mut dirs = Vec::new();
        for rule in RULES.iter().filter(|r| r.domain.matches(domain)) {
            if rule.dirs.is_empty() {
                return DomainRules {
                    dirs,
                    otherwise: rule.category,
                };
            }
            dirs.extend(rule.dirs.iter().map(|d| (*d, rule.category)));
        }
        DomainRules {
            dirs,
            otherwise: FALLBACK,
        }
    }

    /// True when the category depends on the file's path (e.g. `HomeDomain`).
    pub fn depends_on_path(&self) -> bool {
        !self.dirs.is_empty()
    }

    /// The folder rules, in the order they are tried: (relative folder, its category).
    pub fn folders(&self) -> &[(&'static str, Category)] {
        &self.dirs
    }

    /// The category of the domain's files no folder rule takes.
    pub fn otherwise(&self) -> Category {
        self.otherwise
    }

    /// The category of a file of this domain at `relative_path` (bytes, as SQLite gives them).
    pub fn category(&self, relative_path: &[u8]) -> Category {
        self.dirs
            .iter()
            .find(|(dir, _)| is_under(relative_path, dir.as_bytes()))
            .map_or(self.otherwise, |&(_, category)| category)
    }
}

/// True when `path` is `dir` itself or lies below it.
fn is_under(path: &[u8], dir: &[u8]) -> bool {
    path.starts_with(dir) && (path.len() == dir.len() || path[dir.len()] == b'/')
}

/// Classifies one manifest row. Returns the category and, for [`Category::Apps`], the bundle id
/// of the app as [`app_bundle_of`] gives it (without grouping under other bundles of the backup;
/// [`crate::library::manifest::ManifestIndex`] does that). Unmatched domains are
/// [`Category::System`]; `MediaDomain` files outside the named folders are
/// [`Category::OtherMedia`].
pub fn classify(domain: &str, relative_path: &str) -> (Category, Option<String>) {
    let category = DomainRules::for_domain(domain).category(relative_path.as_bytes());
    let app = match category {
        Category::Apps => app_bundle_of(domain),
        _ => None,
    };
    (category, app)
}

/// Bundle id for an app domain: strips `AppDomain-`/`AppDomainGroup-`/`AppDomainPlugin-`, then
/// `group.` and a 10-character team id prefix (in either order). `None` for other domains or
/// when nothing is left. Grouping `<bundle>.<extension>` under `<bundle>` needs the bundles of
/// the whole backup: see [`group_under`].
pub fn app_bundle_of(domain: &str) -> Option<String> {
    let rest = [APP_DOMAIN_GROUP, APP_DOMAIN_PLUGIN, APP_DOMAIN]
        .iter()
        .find_map(|prefix| domain.strip_prefix(prefix))?;
    let mut rest = rest.strip_prefix("group.").unwrap_or(rest);
    if let Some(after) = strip_team_id(rest) {
        rest = after.strip_prefix("group.").unwrap_or(after);
    }
    (!rest.is_empty()).then(|| rest.to_string())
}

/// `ABCDE12345.com.foo` → `com.foo`: ten uppercase letters or digits, at least one digit, a dot.
fn strip_team_id(s: &str) -> Option<&str> {
    let (head, rest) = s.split_at_checked(10)?;
    let team = head
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && head.bytes().any(|b| b.is_ascii_digit());
    let rest = rest.strip_prefix('.')?;
    (team && !rest.is_empty()).then_some(rest)
}

/// The longest bundle of `known` that `bundle` is, or extends at a dot
/// (`com.spotify.client.widget` → `com.spotify.client`); `bundle` itself when none is.
pub fn group_under<'a, S: BuildHasher>(bundle: &'a str, known: &'a HashSet<String, S>) -> &'a str {
    let mut candidate = bundle;
    loop {
        if let Some(k) = known.get(candidate) {
            return k;
        }
        match candidate.rfind('.') {
            Some(dot) => candidate = &candidate[..dot],
            None => return bundle,
        }
    }
}

/// True for the top-level metadata files of a backup (`Manifest.db`, `Manifest.db-wal`,
/// `Manifest.db-shm`, `Manifest.mbdb`, `Manifest.mbdx`, `Info.plist`, `Manifest.plist`,
/// `Status.plist`).
pub fn is_metadata_file(name: &str) -> bool {
    matches!(
        name,
        "Manifest.db"
            | "Manifest.db-wal"
            | "Manifest.db-shm"
            | "Manifest.mbdb"
            | "Manifest.mbdx"
            | "Info.plist"
            | "Manifest.plist"
            | "Status.plist"
    )
}
