//! The dashboard and `du` fold the same scan events into the same figures: "next backup fits"
//! is measured against the device's newest complete version in both, so a device with no
//! complete backup is "unknown" in both (it used to be a warning on the dashboard only).

use crate::support::ui_fixture;

use backtop::commands::du::to_json;
use backtop::library::volume::VolumeUsage;
use backtop::scan::{ScanEvent, ScanResults};
use ui_fixture::*;

/// The fixture's scan, except that the old phone's only (damaged) version is sized at 90 GB
/// on a volume with 40 GB free.
fn events() -> Vec<ScanEvent> {
    let mut usages = usages();
    let mut big = usages[0].1.clone();
    big.bytes = 90_000_000_000;
    usages.push((p("old-live"), big));
    let mut out: Vec<ScanEvent> = usages
        .into_iter()
        .map(|(path, usage)| ScanEvent::Sized { path, usage })
        .collect();
    let volumes: Vec<VolumeUsage> = volumes();
    out.push(ScanEvent::Volumes(volumes));
    out
}

#[test]
fn the_dashboard_and_du_agree_on_a_device_without_a_complete_backup() {
    let mut app = fresh(options(false, false, false));
    let mut results = ScanResults::default();
    for event in events() {
        results.apply(&event);
        app.update(scan_event(event));
    }
    let library = library();
    let json = to_json(&library, &results);
    for (i, device) in library.devices.iter().enumerate() {
        let du = json["devices"][i]["next_backup_fits"].as_bool();
        let dashboard = app.next_backup(device).map(|n| n.fits);
        assert_eq!(dashboard, du, "{}: dashboard and du agree", device.udid);
    }
    let old = &library.devices[2];
    assert!(
        old.newest_complete().is_none(),
        "the old phone has no complete backup"
    );
    assert_eq!(
        app.next_backup(old),
        None,
        "no complete backup: unknown, not a warning"
    );
    let phone = &library.devices[0];
    assert_eq!(
        app.next_backup(phone).map(|n| (n.fits, n.free)),
        Some((false, 40_000_000_000)),
        "the phone's 64 GB backup does not fit in 40 GB"
    );
}
