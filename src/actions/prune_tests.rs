use time::macros::datetime;
use time::Duration;

use super::*;
use crate::actions::test_support::{device, version};
use crate::library::{BackupState::*, VersionKind::*};

const NOW: OffsetDateTime = datetime!(2024-07-01 0:00 UTC);

fn days_ago(d: i64) -> Option<OffsetDateTime> {
    Some(NOW - Duration::days(d))
}

/// Phone: Finder live (10 d), iMazing live (5 d), archives 40/100/200 d, snapshots 20/300 d,
/// an interrupted archive (400 d), a damaged snapshot, an undated archive.
/// Pad: one in-progress live (1 d) and one complete archive (500 d).
fn library() -> Library {
    let (r, m) = ("/f", "/m");
    let snap = |n: &str| format!("/m/iMazing.Versions/Versions/P/{n}");
    Library {
        roots: Vec::new(),
        devices: vec![
            device(
                "P",
                vec![
                    version(m, "/m/P", Live, Complete, days_ago(5)),
                    version(r, "/f/P", Live, Complete, days_ago(10)),
                    version(m, &snap("s20"), ImazingSnapshot, Complete, days_ago(20)),
                    version(r, "/f/P-a40", Archive, Complete, days_ago(40)),
                    version(r, "/f/P-a100", Archive, Complete, days_ago(100)),
                    version(r, "/f/P-a200", Archive, Complete, days_ago(200)),
                    version(m, &snap("s300"), ImazingSnapshot, Complete, days_ago(300)),
                    version(r, "/f/P-i400", Archive, Interrupted, days_ago(400)),
                    version(m, &snap("dmg"), ImazingSnapshot, Damaged, None),
                    version(r, "/f/P-nodate", Archive, Complete, None),
                ],
            ),
            device(
                "T",
                vec![
                    version(r, "/f/T", Live, InProgress, days_ago(1)),
                    version(r, "/f/T-a500", Archive, Complete, days_ago(500)),
                ],
            ),
        ],
        unreadable: Vec::new(),
        damaged: vec![version(r, "/f/junk", Archive, Damaged, None)],
    }
}

fn names(entries: &[PlanEntry]) -> Vec<String> {
    entries
        .iter()
        .map(|e| {
            let name = e.path.file_name().unwrap().to_string_lossy();
            format!("{name}: {}", e.reason.text())
        })
        .collect()
}

#[test]
fn plans_for_each_policy() {
    let cases: Vec<(Option<usize>, Option<i64>, Vec<&str>)> = vec![
        (None, None, vec![]),
        (
            Some(3),
            None,
            vec![
                "P-a40: number 4 by date, 40 days old",
                "P-a100: number 5 by date, 100 days old",
                "P-a200: number 6 by date, 200 days old",
                "s300: number 7 by date, 300 days old",
            ],
        ),
        (
            None,
            Some(90),
            vec![
                "P-a100: number 5 by date, 100 days old",
                "P-a200: number 6 by date, 200 days old",
                "s300: number 7 by date, 300 days old",
            ],
        ),
        (
            Some(5),
            Some(30),
            vec![
                "P-a200: number 6 by date, 200 days old",
                "s300: number 7 by date, 300 days old",
            ],
        ),
        (
            Some(0),
            None,
            vec![
                "s20: number 3 by date, 20 days old",
                "P-a40: number 4 by date, 40 days old",
                "P-a100: number 5 by date, 100 days old",
                "P-a200: number 6 by date, 200 days old",
                "s300: number 7 by date, 300 days old",
            ],
        ),
        (
            None,
            Some(100),
            vec![
                // exactly 100 days is not older than 100 days
                "P-a200: number 6 by date, 200 days old",
                "s300: number 7 by date, 300 days old",
            ],
        ),
    ];
    for (keep, older, want) in cases {
        assert_removes(keep, older, &want);
    }
}

/// Plans with `keep` and `older_days` over [`library`]: it removes exactly `want` (as
/// [`names`] says them) and keeps the rest of the 13 versions.
fn assert_removes(keep: Option<usize>, older_days: Option<i64>, want: &[&str]) {
    let policy = PrunePolicy {
        keep,
        older_than: older_days.map(Duration::days),
    };
    let p = plan(&library(), &policy, NOW);
    assert_eq!(names(&p.remove), want, "{policy:?}");
    assert_eq!(p.remove.len() + p.keep.len(), 13, "{policy:?}");
}

#[test]
fn says_why_each_version_stays() {
    let policy = PrunePolicy {
        keep: Some(3),
        older_than: Some(Duration::days(30)),
    };
    let p = plan(&library(), &policy, NOW);
    assert_eq!(
        names(&p.keep),
        vec![
            "P: newest complete backup of the device",
            "P: live folder (the next backup is written here)",
            "s20: number 3 by date, kept",
            "P-i400: skipped: interrupted",
            "dmg: skipped: damaged",
            "P-nodate: skipped: date unknown",
            "T: skipped: in progress",
            "T-a500: newest complete backup of the device",
            "junk: skipped: damaged",
        ]
    );
    let young = plan(
        &library(),
        &PrunePolicy {
            keep: Some(1),
            older_than: Some(Duration::days(50)),
        },
        NOW,
    );
    let kept = names(&young.keep);
    assert!(
        kept.contains(&"P-a40: only 40 days old".to_string()),
        "{kept:?}"
    );
}

#[test]
fn serializes_reasons_flat() {
    let p = plan(
        &library(),
        &PrunePolicy {
            keep: Some(6),
            older_than: None,
        },
        NOW,
    );
    let json = serde_json::to_value(&p.remove).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{
            "path": "/m/iMazing.Versions/Versions/P/s300",
            "udid": "P",
            "device": "P's iPhone",
            "kind": "imazing_snapshot",
            "state": "complete",
            "date": "2023-09-05T00:00:00Z",
            "reason": "remove",
            "rank": 7,
            "age_days": 300
        }])
    );
}
