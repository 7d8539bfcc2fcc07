//! The rule table of docs/FORMAT.md §5, row by row, with realistic domains and paths.

use backtop::library::category::{
    app_bundle_of, classify, group_under, is_metadata_file, Category, DomainRules, RULES,
};

/// Asserts the category of each (domain, path), and that no app bundle comes with it.
fn assert_all(category: Category, rows: &[(&str, &str)]) {
    for (domain, path) in rows {
        assert_eq!(
            classify(domain, path),
            (category, None),
            "{domain} {path} should be {category:?}"
        );
    }
}

#[test]
fn row_photos_camera_roll() {
    assert_all(
        Category::Photos,
        &[
            ("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC"),
            ("CameraRollDomain", "Media/PhotoData/Photos.sqlite"),
            (
                "CameraRollDomain",
                "Media/PhotoData/CPLAssets/group1/abc.JPG",
            ),
            (
                "CameraRollDomain",
                "Media/PhotoData/Thumbnails/V2/DCIM/x.jpg",
            ),
        ],
    );
}

#[test]
fn row_messages_home_sms_and_media_attachments() {
    assert_all(
        Category::Messages,
        &[
            ("HomeDomain", "Library/SMS/sms.db"),
            ("HomeDomain", "Library/SMS/Drafts/x/composition.plist"),
            ("MediaDomain", "Library/SMS/Attachments/0a/10/IMG_1234.heic"),
        ],
    );
    // Only the Attachments folder of MediaDomain is Messages; its siblings are other media.
    assert_eq!(
        classify("MediaDomain", "Library/SMS/StickerCache/x.png").0,
        Category::OtherMedia
    );
    // A folder whose name merely starts like Library/SMS is not under it.
    assert_eq!(
        classify("HomeDomain", "Library/SMSBackup/x").0,
        Category::System
    );
}

#[test]
fn row_whatsapp_any_domain_with_net_whatsapp() {
    assert_all(
        Category::Whatsapp,
        &[
            (
                "AppDomainGroup-group.net.whatsapp.WhatsApp.shared",
                "ChatStorage.sqlite",
            ),
            (
                "AppDomain-net.whatsapp.WhatsApp",
                "Library/Preferences/x.plist",
            ),
            (
                "AppDomainGroup-group.net.whatsapp.WhatsAppSMB.shared",
                "Message/Media/1/a.jpg",
            ),
            ("AppDomain-net.whatsapp.WhatsAppSMB", "Documents/x"),
            (
                "AppDomainPlugin-net.whatsapp.WhatsApp.ShareExtension",
                "tmp/x",
            ),
        ],
    );
}

#[test]
fn row_contacts_address_book() {
    assert_all(
        Category::Contacts,
        &[
            ("HomeDomain", "Library/AddressBook/AddressBook.sqlitedb"),
            (
                "HomeDomain",
                "Library/AddressBook/AddressBookImages.sqlitedb",
            ),
        ],
    );
}

#[test]
fn row_calendars_and_reminders() {
    assert_all(
        Category::Calendars,
        &[
            ("HomeDomain", "Library/Calendar/Calendar.sqlitedb"),
            (
                "HomeDomain",
                "Library/Reminders/Container_v1/Stores/Data-1.sqlite",
            ),
        ],
    );
}

#[test]
fn row_notes_group_and_home() {
    assert_all(
        Category::Notes,
        &[
            ("AppDomainGroup-group.com.apple.notes", "NoteStore.sqlite"),
            ("HomeDomain", "Library/Notes/notes.sqlite"),
        ],
    );
}

#[test]
fn row_calls_history_and_voicemail() {
    assert_all(
        Category::Calls,
        &[
            ("HomeDomain", "Library/CallHistoryDB/CallHistory.storedata"),
            ("HomeDomain", "Library/Voicemail/voicemail.db"),
            ("HomeDomain", "Library/Voicemail/12.amr"),
        ],
    );
}

#[test]
fn row_voice_memos_recordings_and_domains() {
    assert_all(
        Category::VoiceMemos,
        &[
            ("MediaDomain", "Media/Recordings/20240101 120000.m4a"),
            ("MediaDomain", "Media/Recordings/CloudRecordings.db"),
            (
                "AppDomainGroup-group.com.apple.VoiceMemos.shared",
                "Recordings/a.m4a",
            ),
            (
                "AppDomain-com.apple.VoiceMemos",
                "Library/Preferences/x.plist",
            ),
        ],
    );
}

#[test]
fn row_health_domain() {
    assert_all(
        Category::Health,
        &[
            ("HealthDomain", "Health/healthdb_secure.sqlite"),
            ("HealthDomain", "Health/healthdb.sqlite"),
        ],
    );
}

#[test]
fn row_safari_home_and_mobilesafari_domains() {
    assert_all(
        Category::Safari,
        &[
            ("HomeDomain", "Library/Safari/History.db"),
            ("HomeDomain", "Library/Safari/Bookmarks.db"),
            (
                "AppDomain-com.apple.mobilesafari",
                "Library/Safari/SuspendState.plist",
            ),
            ("AppDomainGroup-group.com.apple.mobilesafari", "x.db"),
        ],
    );
}

#[test]
fn row_files_on_device() {
    assert_all(
        Category::Files,
        &[(
            "AppDomainGroup-group.com.apple.FileProvider.LocalStorage",
            "File Provider Storage/Downloads/report.pdf",
        )],
    );
}

#[test]
fn row_keychain_domain() {
    assert_all(
        Category::Keychain,
        &[("KeychainDomain", "keychain-backup.plist")],
    );
}

#[test]
fn row_home_kit_domain() {
    assert_all(
        Category::Home,
        &[("HomeKitDomain", "Library/homed/datastore3.sqlite")],
    );
}

#[test]
fn row_apps_three_prefixes_with_bundles() {
    let cases = [
        (
            "AppDomain-com.spotify.client",
            "Documents/x",
            "com.spotify.client",
        ),
        (
            "AppDomainGroup-group.com.spotify.client",
            "Library/x",
            "com.spotify.client",
        ),
        (
            "AppDomainPlugin-com.spotify.client.widget",
            "Library/x",
            "com.spotify.client.widget",
        ),
        ("AppDomainGroup-group.ABCDE12345.com.foo", "x", "com.foo"),
        ("AppDomainGroup-ABCDE12345.com.foo", "x", "com.foo"),
        ("AppDomainGroup-ABCDE12345.group.com.foo", "x", "com.foo"),
        (
            "AppDomain-com.apple.Pages",
            "Documents/a.pages",
            "com.apple.Pages",
        ),
    ];
    for (domain, path, bundle) in cases {
        assert_eq!(
            classify(domain, path),
            (Category::Apps, Some(bundle.to_string())),
            "{domain}"
        );
    }
}

#[test]
fn row_system_named_domains_and_rest_of_home() {
    assert_all(
        Category::System,
        &[
            (
                "HomeDomain",
                "Library/Preferences/com.apple.springboard.plist",
            ),
            ("HomeDomain", "Library/Mail/Envelope Index"),
            (
                "SystemPreferencesDomain",
                "SystemConfiguration/preferences.plist",
            ),
            ("WirelessDomain", "Library/Databases/CellularUsage.db"),
            (
                "ManagedPreferencesDomain",
                "mobile/com.apple.webcontentfilter.plist",
            ),
            ("RootDomain", "Library/Caches/locationd/clients.plist"),
            ("DatabaseDomain", "timezone/localtime"),
            (
                "MobileDeviceDomain",
                "ProvisioningProfiles/x.mobileprovision",
            ),
            ("InstallDomain", "Library/MobileInstallation/x.plist"),
            ("KeyboardDomain", "Library/Keyboard/dynamic-text.dat"),
            ("TonesDomain", "Ringtones/a.m4r"),
            ("NetworkDomain", "Library/Preferences/x.plist"),
            ("ProtectedDomain", "trustd/private/TrustStore.sqlite3"),
            ("SysContainerDomain-com.apple.lsd", "Library/x.plist"),
            (
                "SysSharedContainerDomain-systemgroup.com.apple.lsd",
                "Library/x.plist",
            ),
        ],
    );
}

#[test]
fn row_other_media_rest_of_media_domain() {
    assert_all(
        Category::OtherMedia,
        &[
            ("MediaDomain", "Media/iTunes_Control/Music/F00/a.mp3"),
            ("MediaDomain", "Media/Books/x.epub"),
        ],
    );
}

#[test]
fn unmatched_domains_are_system() {
    assert_all(
        Category::System,
        &[
            ("BooksDomain", "Books/x.epub"),
            ("SomeFutureDomain", "x"),
            ("", ""),
        ],
    );
}

#[test]
fn first_match_wins() {
    // WhatsApp comes before Apps; VoiceMemos before Apps; Safari before Apps.
    assert_eq!(
        classify("AppDomain-net.whatsapp.WhatsApp", "x").0,
        Category::Whatsapp
    );
    // A WhatsApp domain that also ends like Safari stays WhatsApp.
    assert_eq!(
        classify("AppDomain-net.whatsapp.com.apple.mobilesafari", "x").0,
        Category::Whatsapp
    );
    // Messages comes before Voice memos and Other media within MediaDomain.
    assert_eq!(
        classify(
            "MediaDomain",
            "Library/SMS/Attachments/Media/Recordings/a.m4a"
        )
        .0,
        Category::Messages
    );
}

#[test]
fn domain_rules_reduce_to_path_tests_only_where_needed() {
    assert!(DomainRules::for_domain("HomeDomain").depends_on_path());
    assert!(DomainRules::for_domain("MediaDomain").depends_on_path());
    for domain in [
        "CameraRollDomain",
        "AppDomain-com.foo",
        "KeychainDomain",
        "X",
    ] {
        assert!(
            !DomainRules::for_domain(domain).depends_on_path(),
            "{domain}"
        );
    }
    assert_eq!(RULES.len(), 35);
}

#[test]
fn app_bundle_of_strips_prefixes_and_team_ids() {
    assert_eq!(
        app_bundle_of("AppDomain-com.spotify.client").as_deref(),
        Some("com.spotify.client")
    );
    assert_eq!(
        app_bundle_of("AppDomainGroup-group.com.spotify.client").as_deref(),
        Some("com.spotify.client")
    );
    assert_eq!(
        app_bundle_of("AppDomainPlugin-com.spotify.client.widget").as_deref(),
        Some("com.spotify.client.widget")
    );
    assert_eq!(
        app_bundle_of("AppDomainGroup-group.ABCDE12345.com.foo").as_deref(),
        Some("com.foo")
    );
    assert_eq!(
        app_bundle_of("AppDomainGroup-ABCDE12345.com.foo").as_deref(),
        Some("com.foo")
    );
    // Ten capitals without a digit are a name, not a team id.
    assert_eq!(
        app_bundle_of("AppDomain-ABCDEFGHIJ.app").as_deref(),
        Some("ABCDEFGHIJ.app")
    );
    assert_eq!(app_bundle_of("AppDomain-"), None);
    assert_eq!(app_bundle_of("AppDomainGroup-group."), None);
    assert_eq!(app_bundle_of("HomeDomain"), None);
    assert_eq!(app_bundle_of("SysContainerDomain-com.apple.lsd"), None);
}

#[test]
fn group_under_takes_the_longest_known_bundle() {
    let known: std::collections::HashSet<String> = ["com.spotify.client", "com.spotify", "com.foo"]
        .map(String::from)
        .into();
    assert_eq!(
        group_under("com.spotify.client.widget", &known),
        "com.spotify.client"
    );
    assert_eq!(
        group_under("com.spotify.client", &known),
        "com.spotify.client"
    );
    assert_eq!(group_under("com.spotify.other", &known), "com.spotify");
    assert_eq!(group_under("com.foobar.x", &known), "com.foobar.x");
    assert_eq!(group_under("org.example", &known), "org.example");
}

#[test]
fn metadata_files() {
    for name in [
        "Manifest.db",
        "Manifest.db-wal",
        "Manifest.db-shm",
        "Manifest.mbdb",
        "Manifest.mbdx",
        "Info.plist",
        "Manifest.plist",
        "Status.plist",
    ] {
        assert!(is_metadata_file(name), "{name}");
    }
    for name in [
        "manifest.db",
        "Manifest.db-journal",
        "Snapshot",
        "00",
        "info.plist",
    ] {
        assert!(!is_metadata_file(name), "{name}");
    }
}

#[test]
fn category_all_is_in_declaration_order() {
    // The manifest index packs a category as its discriminant and reads it back through ALL.
    for (i, c) in Category::ALL.iter().enumerate() {
        assert_eq!(*c as usize, i, "{c:?}");
    }
}
