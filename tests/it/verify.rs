//! `verify` finds each kind of damage in a backup built for it, and nothing in a clean one.

use std::path::Path;

use backtop::actions::verify::{verify, ProblemKind, VerifyProgress, VerifyReport};
use backtop::demo::{
    file_id, write_backup, BackupSpec, Damage, FileSpec, PlistEncoding, SpecState,
};
use backtop::library::{ManifestFormat, Version, VersionKind};

const UDID: &str = "00008030-001A2B3C4D5E6F70";

fn spec(format: ManifestFormat) -> BackupSpec {
    let mut s = BackupSpec::new(UDID, "Test iPhone", "iPhone15,2");
    s.format = format;
    s.files = vec![
        FileSpec::new("HomeDomain", "Library/SMS/sms.db", 300),
        FileSpec::new(
            "CameraRollDomain",
            "Media/DCIM/100APPLE/IMG_0001.HEIC",
            1000,
        ),
        FileSpec::new("HomeDomain", "Library/Notes/notes.sqlite", 50),
    ];
    s
}

fn run(dir: &Path, spec: &BackupSpec) -> VerifyReport {
    let path = dir.join(UDID);
    write_backup(&path, spec).unwrap();
    verify(&Version::bare(&path, dir, VersionKind::Live), |_| {})
}

/// (kind, count, examples) of a report's problems.
fn problems(r: &VerifyReport) -> Vec<(ProblemKind, u64, Vec<String>)> {
    r.problems
        .iter()
        .map(|p| (p.kind, p.count, p.examples.clone()))
        .collect()
}

#[test]
fn a_clean_backup_is_ok_in_both_formats() {
    for format in [ManifestFormat::Db, ManifestFormat::Mbdb] {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = spec(format);
        s.encoding = PlistEncoding::Binary;
        let path = tmp.path().join(UDID);
        write_backup(&path, &s).unwrap();
        let mut seen = Vec::new();
        let r = verify(&Version::bare(&path, tmp.path(), VersionKind::Live), |p| {
            seen.push(p)
        });
        assert_eq!(problems(&r), vec![], "{format:?}");
        assert!(r.ok);
        assert_eq!(r.files_on_disk, 3, "{format:?}");
        assert!(r.rows_checked >= 3, "{format:?}: {}", r.rows_checked);
        assert_eq!(
            seen.last(),
            Some(&VerifyProgress {
                rows_checked: r.rows_checked,
                rows_total: r.rows_checked
            })
        );
    }
}

#[test]
fn finds_missing_files_and_unlisted_files() {
    for format in [ManifestFormat::Db, ManifestFormat::Mbdb] {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = spec(format);
        s.missing_files = 1;
        let stray = "ab".repeat(20);
        s.unlisted_files = vec![(stray.clone(), 7)];
        let r = run(tmp.path(), &s);
        let id = file_id("HomeDomain", "Library/Notes/notes.sqlite");
        let stray_name = match format {
            ManifestFormat::Mbdb => format!("{stray} (7 bytes)"),
            _ => format!("ab/{stray} (7 bytes)"),
        };
        assert_eq!(
            problems(&r),
            vec![
                (
                    ProblemKind::MissingFile,
                    1,
                    vec![format!("HomeDomain/Library/Notes/notes.sqlite ({id})")]
                ),
                (ProblemKind::UnlistedFile, 1, vec![stray_name]),
            ],
            "{format:?}"
        );
        assert!(!r.ok);
    }
}

#[test]
fn finds_a_size_mismatch() {
    for format in [ManifestFormat::Db, ManifestFormat::Mbdb] {
        let tmp = tempfile::tempdir().unwrap();
        let s = spec(format);
        let path = tmp.path().join(UDID);
        write_backup(&path, &s).unwrap();
        let id = file_id("HomeDomain", "Library/SMS/sms.db");
        let content = match format {
            ManifestFormat::Mbdb => path.join(&id),
            _ => path.join(&id[..2]).join(&id),
        };
        std::fs::write(&content, b"short").unwrap();
        let r = verify(&Version::bare(&path, tmp.path(), VersionKind::Live), |_| {});
        assert_eq!(
            problems(&r),
            vec![(
                ProblemKind::SizeMismatch,
                1,
                vec![format!(
                    "HomeDomain/Library/SMS/sms.db ({id}): manifest says 300 bytes, the file has 5"
                )]
            )],
            "{format:?}"
        );
    }
}

#[test]
fn finds_an_unfinished_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = spec(ManifestFormat::Db);
    s.state = SpecState::InProgress;
    let r = run(tmp.path(), &s);
    let kinds: Vec<ProblemKind> = r.problems.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, vec![ProblemKind::Unfinished], "{r:?}");
    assert!(
        r.problems[0]
            .examples
            .contains(&"a Snapshot/ folder is left (restores refuse such a backup)".to_string()),
        "{r:?}"
    );
}

#[test]
fn finds_unreadable_plists_and_manifests() {
    let cases = [
        (
            Damage::MissingInfoPlist,
            ProblemKind::UnreadablePlist,
            "Info.plist is missing",
        ),
        (
            Damage::TruncatedInfoPlist,
            ProblemKind::UnreadablePlist,
            "Info.plist is not a readable plist (",
        ),
        (
            Damage::GarbageStatusPlist,
            ProblemKind::UnreadablePlist,
            "Status.plist is not a readable plist (",
        ),
        (
            Damage::GarbageManifestPlist,
            ProblemKind::UnreadablePlist,
            "Manifest.plist is not a readable plist (",
        ),
        (
            Damage::GarbageManifestDb,
            ProblemKind::UnreadableManifest,
            "Manifest.db is not an SQLite database",
        ),
        (
            Damage::EmptyManifestDb,
            ProblemKind::UnreadableManifest,
            "Manifest.db is empty",
        ),
        (
            Damage::MissingManifestDb,
            ProblemKind::UnreadableManifest,
            "no Manifest.db or Manifest.mbdb",
        ),
    ];
    for (damage, kind, text) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = spec(ManifestFormat::Db);
        s.damage = Some(damage);
        let r = run(tmp.path(), &s);
        let p = r.problems.iter().find(|p| p.kind == kind);
        assert!(
            p.is_some_and(|p| p.count == 1 && p.examples[0].contains(text)),
            "{damage:?}: {r:?}"
        );
    }
}

#[test]
fn reports_a_truncated_mbdb_and_checks_what_was_read() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = spec(ManifestFormat::Mbdb);
    s.damage = Some(Damage::TruncatedMbdb);
    let r = run(tmp.path(), &s);
    let p = r
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::UnreadableManifest)
        .expect("truncation reported");
    assert!(
        p.examples[0].starts_with("Manifest.mbdb is truncated at byte "),
        "{p:?}"
    );
}

#[test]
fn skips_row_checks_of_an_encrypted_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = spec(ManifestFormat::Db);
    s.encrypted = true;
    let r = run(tmp.path(), &s);
    assert_eq!(problems(&r), vec![]);
    assert_eq!(
        r.notes,
        vec!["Manifest.db is encrypted: file rows were not checked (no password)".to_string()]
    );
    assert_eq!(r.rows_checked, 0);
}

#[test]
fn the_verify_command_prints_counts_examples_and_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = spec(ManifestFormat::Db);
    s.missing_files = 2;
    let path = tmp.path().join(UDID);
    write_backup(&path, &s).unwrap();
    let lib = backtop::library::Library::default();
    let mut out = Vec::new();
    let code =
        backtop::commands::verify::run_with(&lib, std::slice::from_ref(&path), false, &mut out)
            .unwrap();
    let text = String::from_utf8(out).unwrap();
    let sms = file_id("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC");
    let notes = file_id("HomeDomain", "Library/Notes/notes.sqlite");
    assert_eq!(code, 1);
    assert!(
        text.ends_with(&format!(
            "  file missing for a manifest row: 2\n    \
             CameraRollDomain/Media/DCIM/100APPLE/IMG_0001.HEIC ({sms})\n    \
             HomeDomain/Library/Notes/notes.sqlite ({notes})\n"
        )),
        "{text}"
    );
    assert!(
        text.starts_with(&format!("PROBLEMS  {}  (", path.display())),
        "{text}"
    );
    let mut out = Vec::new();
    let missing = tmp.path().join("nope");
    let code = backtop::commands::verify::run_with(&lib, &[missing], true, &mut out).unwrap();
    assert_eq!(code, 2);
}

/// `verify /` and a folder that is no backup are refused (exit 2, nothing verified), as `rm`
/// refuses them, instead of being verified as a backup folder that lacks every file.
#[test]
fn a_folder_that_is_no_backup_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = backtop::library::Library::default();
    let plain = tmp.path().join("photos");
    std::fs::create_dir(&plain).unwrap();
    for path in [plain, std::path::PathBuf::from("/")] {
        let mut out = Vec::new();
        let code =
            backtop::commands::verify::run_with(&lib, std::slice::from_ref(&path), false, &mut out)
                .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(code, 2, "{text}");
        assert_eq!(
            text,
            format!(
                "{}: not a backup folder (it holds none of Info.plist, Manifest.plist, \
                 Status.plist, Manifest.db, Manifest.mbdb); refused\n",
                path.display()
            )
        );
    }
}

/// On the demo library, verify and discovery agree: exactly the complete versions verify clean.
#[test]
fn verify_agrees_with_discovery_on_the_demo_library() {
    use backtop::demo::{build_demo, DemoOptions};
    use backtop::library::discover::discover_library;
    use backtop::library::{Root, RootOrigin};
    let now = time::macros::datetime!(2024-07-01 12:00 UTC);
    let tmp = tempfile::tempdir().unwrap();
    let opts = DemoOptions {
        scale: 0.01,
        now: Some(now),
        ..Default::default()
    };
    let demo = build_demo(tmp.path(), &opts).unwrap();
    let roots: Vec<Root> = demo
        .roots
        .iter()
        .map(|p| Root {
            path: p.clone(),
            origin: RootOrigin::Demo,
            owner: None,
            app: "demo",
        })
        .collect();
    let lib = discover_library(&roots, now);
    let mut checked = 0;
    for v in lib.versions() {
        let r = verify(v, |_| {});
        if v.folder_name == "iPhone 11 before trade-in" {
            // The demo's hand-made copy: complete by its plists, but 3 files lost and 2 strays.
            let counts: Vec<(ProblemKind, u64)> =
                r.problems.iter().map(|p| (p.kind, p.count)).collect();
            assert_eq!(
                counts,
                vec![
                    (ProblemKind::MissingFile, 3),
                    (ProblemKind::UnlistedFile, 2)
                ],
                "{r:?}"
            );
        } else {
            assert_eq!(r.ok, v.is_complete(), "{v:?}\n{r:?}");
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked}");
}
