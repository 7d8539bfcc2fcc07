//! The keys the dashboard offers are the keys that act: Esc goes back or closes but never
//! quits (q does), the footer and a dialog's answer line list only keys that change something
//! where the user is (every shown key is pressed and the screen or the effects must change),
//! and a wrong name typed in the delete dialog says what is expected.

use crate::support::{ui_fixture, ui_roots_fixture, ui_screen};

use backtop::tasks::{TargetCheck, Verdict};
use backtop::ui::keymap::Key;
use backtop::ui::{App, Effect, Msg, Pane};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Modifier;
use ui_fixture::*;

fn press(k: Key) -> Msg {
    let mods = if k.ctrl {
        KeyModifiers::CONTROL
    } else {
        KeyModifiers::NONE
    };
    Msg::Key(KeyEvent::new(k.code, mods))
}

fn phone_versions() -> App {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('j'), key(KeyCode::Enter)]);
    assert_eq!(selected_device(&app), "Anna's iPhone");
    app
}

fn typed_dialog() -> App {
    let mut app = phone_versions();
    feed(&mut app, [ch('d')]);
    app.update(guard_checks(vec![TargetCheck {
        path: p("phone-live"),
        verdict: Verdict::NeedsTyping {
            reason: "the newest complete backup of Anna's iPhone".into(),
            name: "Anna's iPhone".into(),
        },
    }]));
    app
}

/// Every state the test presses the shown keys in, by name.
fn states() -> Vec<(&'static str, App)> {
    let opts = || options(true, false, false);
    let mut out: Vec<(&'static str, App)> = Vec::new();
    out.push(("devices", scanned(opts())));
    out.push(("versions", phone_versions()));
    let mut breakdown = phone_versions();
    feed(&mut breakdown, [key(KeyCode::Tab)]);
    assert_eq!(breakdown.focus, Pane::Breakdown);
    out.push(("breakdown", breakdown));
    let mut filtered = scanned(opts());
    feed(
        &mut filtered,
        [ch('/'), ch('i'), ch('p'), ch('a'), key(KeyCode::Enter)],
    );
    out.push(("filtered", filtered));
    let mut typing = scanned(opts());
    feed(&mut typing, [ch('/')]);
    out.push(("filter input, empty", typing.clone()));
    feed(&mut typing, [ch('i')]);
    out.push(("filter input, typed", typing));
    let mut marked = phone_versions();
    feed(&mut marked, [ch(' ')]);
    out.push(("marked", marked));
    out.push((
        "empty library",
        ui_roots_fixture::empty_app(options(true, false, false)),
    ));
    let mut empty_versions = ui_roots_fixture::empty_app(options(true, false, false));
    feed(&mut empty_versions, [key(KeyCode::Tab)]);
    out.push(("empty library, Tab pressed", empty_versions));
    out.push(("read-only", scanned(options(true, false, true))));
    let mut help = scanned(opts());
    feed(&mut help, [Msg::Resize(100, 30), ch('?')]);
    out.push(("help at its top", help.clone()));
    feed(&mut help, [ch('j')]);
    out.push(("help scrolled", help.clone()));
    feed(&mut help, [key(KeyCode::End), key(KeyCode::PageDown)]);
    feed(&mut help, (0..200).map(|_| ch('j')));
    out.push(("help at its end", help));
    let mut roots = scanned(opts());
    feed(&mut roots, [ch('R')]);
    out.push(("roots report", roots));
    let mut prune = scanned(opts());
    feed(&mut prune, [ch('p')]);
    out.push(("prune preview", prune));
    let mut checking = phone_versions();
    feed(&mut checking, [ch('d')]);
    out.push(("delete dialog, checking", checking));
    let mut confirm = phone_versions();
    feed(&mut confirm, [key(KeyCode::End), ch('d')]);
    confirm.update(guard_checks(vec![TargetCheck {
        path: p("phone-archive"),
        verdict: Verdict::Allowed {
            warnings: Vec::new(),
        },
    }]));
    out.push(("delete dialog, yes or no", confirm));
    let mut typed = typed_dialog();
    out.push(("delete dialog, name to type", typed.clone()));
    feed(&mut typed, [ch('A')]);
    out.push(("delete dialog, name half typed", typed));
    for (name, permanent) in [
        ("permanent delete running", true),
        ("trash delete running", false),
    ] {
        let mut running = phone_versions();
        running.update(job(
            backtop::tasks::JobKind::Delete { permanent },
            backtop::tasks::JobEvent::Started { total: 2 },
        ));
        out.push((name, running));
    }
    let mut copied = scanned(opts());
    copied.update(Msg::Copied(p("phone-live")));
    out.push(("copied path", copied));
    out
}

#[test]
fn every_key_the_footer_shows_changes_something() {
    for (name, mut app) in states() {
        app.update(Msg::Resize(100, 30));
        let mut before = app.clone();
        let screen = ui_screen::render(&mut before, 100, 30);
        let shown = app.hints();
        assert!(!shown.is_empty(), "{name}: the footer offers some key");
        for row in shown {
            let key = row.keys[0];
            let mut after = app.clone();
            let effects = after.update(press(key));
            let changed = ui_screen::render(&mut after, 100, 30) != screen;
            assert!(
                changed || !effects.is_empty(),
                "{name}: the footer shows {} {} but it changes nothing:\n{}",
                key.label(),
                row.hint,
                ui_screen::text(&screen)
            );
        }
    }
}

#[test]
fn keys_that_cannot_act_are_not_offered() {
    let hints = |app: &App| -> Vec<String> {
        app.hints()
            .iter()
            .map(|r| format!("{} {}", r.keys[0].label(), r.hint))
            .collect()
    };
    let devices = scanned(options(true, false, false));
    assert!(
        !hints(&devices).iter().any(|h| h == "h back"),
        "no back from the first pane: {:?}",
        hints(&devices)
    );
    let mut breakdown = phone_versions();
    feed(&mut breakdown, [key(KeyCode::Tab)]);
    assert!(
        !hints(&breakdown).iter().any(|h| h == "Enter go in"),
        "nothing to go into from the breakdown: {:?}",
        hints(&breakdown)
    );
    assert!(
        hints(&breakdown).iter().any(|h| h == "h back"),
        "but back works there"
    );
    let mut empty = ui_roots_fixture::empty_app(options(true, false, false));
    feed(&mut empty, [key(KeyCode::Tab)]);
    assert_eq!(
        hints(&empty),
        ["? help", "q quit", "r rescan", "R roots", "! alerts"],
        "an empty library offers no mark, delete, pane, sort or filter key"
    );
    let text = ui_screen::screen(&mut empty, 80, 24);
    assert_eq!(
        text.lines().last(),
        Some(" ? help  q quit  r rescan  R roots  ! alerts"),
        "and its footer says so"
    );
}

#[test]
fn esc_goes_back_and_closes_but_never_quits() {
    let mut app = phone_versions();
    feed(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(app.focus, Pane::Breakdown);
    assert!(feed(&mut app, [key(KeyCode::Esc)]).is_empty());
    assert_eq!(
        app.focus,
        Pane::Versions,
        "Esc goes back from the breakdown"
    );
    assert!(feed(&mut app, [key(KeyCode::Esc)]).is_empty());
    assert_eq!(app.focus, Pane::Devices, "and from the versions");
    assert!(
        feed(&mut app, [key(KeyCode::Esc), key(KeyCode::Esc)]).is_empty(),
        "Esc in the devices pane does nothing (it does not quit)"
    );
    assert_eq!(feed(&mut app, [ch('q')]), [Effect::Quit], "q quits");
    assert_eq!(
        feed(
            &mut app,
            [Msg::Key(KeyEvent::new(
                KeyCode::Char('c'),
                KeyModifiers::CONTROL
            ))]
        ),
        [Effect::Quit],
        "so does Ctrl-C"
    );
}

#[test]
fn a_wrong_name_says_what_is_expected() {
    let mut app = typed_dialog();
    feed(&mut app, "Anna".chars().map(ch));
    assert!(
        feed(&mut app, [key(KeyCode::Enter)]).is_empty(),
        "a wrong name deletes nothing"
    );
    let want = "\"Anna\" is not Anna's iPhone: type the device name exactly as shown";
    assert_eq!(app.status.as_deref(), Some(want));
    let screen = ui_screen::screen(&mut app, 100, 30);
    assert!(
        screen.contains(want),
        "the dialog itself says what it expects:\n{screen}"
    );
    feed(&mut app, [ch('\'')]);
    let screen = ui_screen::screen(&mut app, 100, 30);
    assert!(
        !screen.contains("is not Anna's iPhone"),
        "typing again clears the complaint:\n{screen}"
    );
    let mut empty = typed_dialog();
    feed(&mut empty, [key(KeyCode::Enter)]);
    assert_eq!(
        empty.status.as_deref(),
        Some("type Anna's iPhone to confirm, then Enter")
    );
}

#[test]
fn the_message_log_shows_what_the_footer_cut() {
    let mut app = phone_versions();
    let long = "moved 1 version to the Trash; trashed data still uses the volume until the Trash \
                is emptied";
    app.update(Msg::Status(long.into()));
    let footer = ui_screen::screen(&mut app, 80, 24);
    let last = footer.lines().last().unwrap_or_default().to_string();
    assert!(
        !last.contains("emptied"),
        "the footer cuts the line at 80 columns: {last}"
    );
    app.update(Msg::Status("rescan finished".into()));
    assert_eq!(app.messages, [long, "rescan finished"], "both are kept");
    feed(&mut app, [ch('m')]);
    let screen = ui_screen::screen(&mut app, 80, 24);
    assert!(
        screen.contains("Messages (last 2)") && screen.contains("is emptied"),
        "m shows every kept message in full:\n{screen}"
    );
    let order = |s: &str| screen.find(s).unwrap_or(usize::MAX);
    assert!(
        order("moved 1 version") < order("rescan finished"),
        "oldest first"
    );
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(app.report().is_none(), "Esc closes it");
    let fresh = scanned(options(true, false, false));
    assert!(
        !fresh.hints().iter().any(|r| r.hint == "messages"),
        "no messages key before there is a message"
    );
}

#[test]
fn a_failed_open_says_why_and_offers_the_shell() {
    let mut app = phone_versions();
    app.update(Msg::OpenFailed {
        path: p("phone-live"),
        why: "no file manager found (xdg-open: not found)".into(),
    });
    let screen = ui_screen::screen(&mut app, 100, 30);
    assert!(
        screen.contains("Could not open it in the file manager: no file manager found"),
        "the reason is in the dialog:\n{screen}"
    );
    assert!(screen.contains("OSC 52"), "the path was copied:\n{screen}");
    assert!(
        screen.contains("! shell"),
        "and a shell is offered:\n{screen}"
    );
    assert_eq!(
        feed(&mut app, [ch('!')]),
        [Effect::Shell(p("phone-live"))],
        "! starts the shell in the version's folder"
    );
}

#[test]
fn shell_and_details_work_from_every_pane() {
    for tabs in 0..3 {
        let mut app = scanned(options(true, false, false));
        feed(&mut app, [ch('j')]);
        feed(&mut app, (0..tabs).map(|_| key(KeyCode::Tab)));
        let pane = app.focus;
        assert_eq!(
            feed(&mut app, [ch('b')]),
            [Effect::Shell(p("phone-live"))],
            "b in the {pane:?} pane: a shell in the selected version's folder"
        );
        feed(&mut app, [ch('i')]);
        let screen = ui_screen::screen(&mut app, 120, 36);
        assert!(
            screen.contains("Details")
                && screen.contains(&format!("Support/MobileSync/Backup/{PHONE}"))
                && screen.contains("Anna's iPhone"),
            "i in the {pane:?} pane: the version's details with its whole folder:\n{screen}"
        );
        feed(&mut app, [key(KeyCode::Esc)]);
        assert!(app.report().is_none(), "Esc closes the details");
    }
}

#[test]
fn every_backup_of_a_device_goes_only_after_typing_its_name() {
    let mut app = scanned(options(true, false, false));
    feed(&mut app, [ch('j')]);
    assert_eq!(selected_device(&app), "Anna's iPhone");
    let all = vec![p("phone-live"), p("phone-archive"), p("phone-snapshot")];
    let effects = feed(&mut app, [ch('d')]);
    let Some(Effect::PlanDelete(mut asked)) = effects.first().cloned() else {
        panic!("d in the devices pane asks the guards about the device's versions");
    };
    asked.sort();
    let mut want = all.clone();
    want.sort();
    assert_eq!(asked, want, "every version of the device");
    app.update(guard_checks(
        asked
            .iter()
            .map(|path| TargetCheck {
                path: path.clone(),
                verdict: Verdict::Allowed {
                    warnings: Vec::new(),
                },
            })
            .collect(),
    ));
    let screen = ui_screen::screen(&mut app, 100, 30);
    assert!(
        screen.contains("Delete every backup of Anna's iPhone (3 versions)?")
            && screen.contains("Type Anna's iPhone to confirm"),
        "the whole device needs its name typed, even with no warning:\n{screen}"
    );
    assert!(feed(&mut app, [ch('y'), key(KeyCode::Enter)]).is_empty());
    feed(&mut app, [key(KeyCode::Backspace)]);
    feed(&mut app, "Anna's iPhone".chars().map(ch));
    let effects = feed(&mut app, [key(KeyCode::Enter)]);
    let [Effect::Delete(request)] = effects.as_slice() else {
        panic!("the typed name deletes: {effects:?}");
    };
    let mut paths = request.paths.clone();
    paths.sort();
    assert_eq!(paths, want);
    assert!(!request.permanent, "to the Trash by default");

    let mut marking = scanned(options(true, false, false));
    feed(&mut marking, [ch('j'), ch(' ')]);
    assert_eq!(
        marking.marks.len(),
        3,
        "Space marks every version of the device"
    );
    feed(&mut marking, [ch(' ')]);
    assert!(marking.marks.is_empty(), "and again unmarks them");
}

#[test]
fn each_pane_shows_and_cycles_its_own_sort() {
    let mut app = phone_versions();
    let screen = ui_screen::screen(&mut app, 100, 30);
    assert!(
        screen.contains("Devices (4)  sort: last backup")
            && screen.contains("Versions of Anna's iPhone  sort: date"),
        "each title says its sort, by the column it shows:\n{screen}"
    );
    feed(&mut app, [ch('s'), ch('s')]);
    let screen = ui_screen::screen(&mut app, 100, 30);
    assert!(
        screen.contains("Versions of Anna's iPhone  sort: unique")
            && screen.contains("Devices (4)  sort: last backup"),
        "s in the versions pane sorts the versions only:\n{screen}"
    );
    feed(&mut app, [key(KeyCode::Tab)]);
    assert!(
        !app.hints().iter().any(|r| r.hint == "sort"),
        "the breakdown has no sort to cycle"
    );
}

/// The fixture's library with `extra` more devices (copies of the iPad under other names).
fn with_more_devices(extra: usize) -> App {
    let mut lib = library();
    let ipad = lib.devices[0].clone();
    for i in 0..extra {
        let mut d = ipad.clone();
        d.udid = format!("00008103-00000000000000{i:02}");
        d.name = Some(format!("Spare iPad {i}"));
        for v in &mut d.versions {
            v.path = v.path.with_file_name(format!("{}-{i}", v.folder_name));
            v.udid = Some(d.udid.clone());
        }
        lib.devices.push(d);
    }
    App::new(lib, options(true, false, false), now())
}

#[test]
fn a_pane_with_more_rows_than_fit_says_so() {
    let mut app = with_more_devices(3);
    assert_eq!(app.visible_devices().len(), 7);
    let screen = ui_screen::screen(&mut app, 80, 24);
    let shown = app
        .visible_devices()
        .iter()
        .filter(|d| screen.contains(d.display_name()))
        .count();
    assert!(shown < 7, "at 80×24 not every device fits:\n{screen}");
    let hint = format!("↓ {} more", 7 - shown);
    assert!(
        screen.contains(&hint),
        "the devices pane's border says how many are hidden ({hint}):\n{screen}"
    );
    feed(&mut app, [key(KeyCode::End)]);
    let screen = ui_screen::screen(&mut app, 80, 24);
    assert!(
        screen.contains(&format!("↑ {} more", 7 - shown)),
        "at the last device, the ones above are hidden:\n{screen}"
    );
    let mut small = scanned(options(true, false, false));
    let screen = ui_screen::screen(&mut small, 160, 48);
    assert!(
        !screen.contains(" more "),
        "nothing hidden, no hint:\n{screen}"
    );
}

#[test]
fn the_breakdown_shows_its_selection_and_g_stays_on_the_last_line() {
    let mut app = phone_versions();
    feed(&mut app, [key(KeyCode::Tab), ch('G')]);
    let last = app.breakdown_len() - 1;
    assert_eq!(
        app.breakdown_scroll, last,
        "G goes to the last line, not past it"
    );
    let buf = ui_screen::render(&mut app, 100, 30);
    let text = ui_screen::text(&buf);
    // The focused pane's selection is reversed; the unfocused panes' rows are only bold.
    let reversed: Vec<String> = (0..buf.area.height)
        .filter(|y| (0..buf.area.width).any(|x| buf[(x, *y)].modifier.contains(Modifier::REVERSED)))
        .map(|y| text.lines().nth(y as usize).unwrap_or_default().to_string())
        .collect();
    assert_eq!(reversed.len(), 1, "one selected line:\n{text}");
    // The last line is the end of what encryption means for the version (not an empty one).
    assert!(
        reversed[0].contains("call history in this backup."),
        "it is the breakdown's last line, in view: {}\n{text}",
        reversed[0]
    );
    feed(&mut app, [ch('g')]);
    assert_eq!(app.breakdown_scroll, 0, "g goes back to the first line");
}
