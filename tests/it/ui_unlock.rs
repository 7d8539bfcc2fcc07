//! Unlocking an encrypted version in the dashboard (issue 13), end to end: the real binary in
//! a pseudo-terminal on the demo library, whose iPad backups are really encrypted with the
//! demo password. Enter on a locked version asks for the password; what is typed shows as
//! dots only; a wrong password says so and asks again; the right one opens the browser on
//! the decrypted listing and says how many versions it unlocked, and the breakdown turns from
//! "encrypted" to the version's categories and top apps; Esc cancels; `q` quits with the
//! terminal restored. And the password never reaches the dashboard's state once sent.

#![cfg(unix)]

use std::path::Path;
use std::time::Duration;

use backtop::demo::{build_demo, DemoOptions, DEMO_PASSWORD};
use time::macros::datetime;

use crate::support::keys::Key;
use crate::support::pty::Pty;

const WAIT: Duration = Duration::from_secs(60);

fn start(home: &Path) -> Pty {
    let options = DemoOptions {
        seed: 7,
        scale: 0.01,
        sparse: true,
        now: Some(datetime!(2026-11-20 10:00 UTC)),
    };
    build_demo(home, &options).expect("demo library");
    let utf8 = |p: &Path| p.to_str().expect("a UTF-8 temp path").to_string();
    let cache = home.join("cache");
    Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_backtop")),
        &["--only", "--home", &utf8(home)],
        &[
            ("HOME", &utf8(home)),
            ("XDG_CACHE_HOME", &utf8(&cache)),
            ("XDG_CONFIG_HOME", &utf8(&cache)),
        ],
        100,
        32,
    )
}

fn type_text(pty: &Pty, text: &str) {
    for c in text.chars() {
        pty.send_key(Key::Char(c));
    }
}

#[test]
fn a_locked_version_asks_for_its_password_then_opens_decrypted() {
    let home = tempfile::tempdir().unwrap();
    let pty = start(home.path());
    pty.wait_for_text("Devices (4)", WAIT).unwrap();
    pty.send_key(Key::Char('j'));
    pty.wait_for_text("Versions of Anna's iPad", WAIT).unwrap();
    pty.send_key(Key::Tab);
    pty.wait_for_text("u unlock", WAIT)
        .expect("the versions pane offers u on a locked version");
    pty.wait_for_text("Encrypted (no pas", WAIT)
        .expect("before the password, the breakdown says what is hidden");

    // Esc closes the prompt without trying anything.
    pty.send_key(Key::Enter);
    pty.wait_for_text("Unlock Anna's iPad", WAIT).unwrap();
    pty.send_key(Key::Esc);
    pty.wait_for_text_gone("Unlock Anna's iPad", WAIT).unwrap();

    pty.send_key(Key::Enter);
    pty.wait_for_text("Password: _", WAIT).unwrap();
    type_text(&pty, "wrong-one");
    let screen = pty.wait_for_text("Password: •••••••••_", WAIT).unwrap();
    assert!(!screen.contains("wrong-one"), "{screen}");
    pty.send_key(Key::Enter);
    pty.wait_for_text("wrong password", WAIT).unwrap();
    pty.wait_for_text("Password: _", WAIT)
        .expect("the prompt asks again, emptied");

    type_text(&pty, DEMO_PASSWORD);
    pty.send_key(Key::Enter);
    // The browser ("Newest" heads its date column) on the decrypted listing.
    let screen = pty.wait_for_text("Newest", WAIT).unwrap();
    assert!(screen.contains("Photos & videos"), "{screen}");
    assert!(screen.contains("Anna's iPad"), "{screen}");
    assert!(!screen.contains("Locked"), "{screen}");
    pty.wait_for_text("unlocked 2 versions", WAIT)
        .expect("the password opened both of the iPad's versions");
    assert!(!pty.screen_text().contains(DEMO_PASSWORD));

    // Back on the dashboard, the breakdown is the unlocked version's: categories and top
    // apps from its decrypted manifest, nothing left "encrypted".
    pty.send_key(Key::Esc);
    pty.wait_for_text_gone("Newest", WAIT).unwrap();
    let screen = pty.wait_for_text("Top apps", WAIT).unwrap();
    assert!(screen.contains("Photos & videos"), "{screen}");
    assert!(!screen.contains("Encrypted (no pas"), "{screen}");

    // Unlocked for the rest of the run: no second prompt.
    pty.send_key(Key::Enter);
    pty.wait_for_text("Newest", WAIT).unwrap();
    pty.send_key(Key::Esc);
    // (Esc and q sent together read as Alt-q.)
    pty.wait_for_text_gone("Newest", WAIT).unwrap();

    pty.send_key(Key::Char('q'));
    let status = pty.wait_exit(WAIT).expect("backtop exits after q");
    assert!(status.success(), "exit status {status:?}");
    pty.check_restored().unwrap();
}

mod state {
    //! The prompt's state on the fixture dashboard (no terminal): the password is masked,
    //! leaves the app on Enter, and is never in the app's `Debug`; a wrong password asks
    //! again; Esc while the key is derived cancels the job.

    use backtop::tasks::{JobEvent, JobKind, Outcome, UnlockOutcome, UnlockResult};
    use backtop::ui::app::{AfterUnlock, Pane, UnlockPhase};
    use backtop::ui::Effect;
    use crossterm::event::KeyCode;

    use crate::support::ui_fixture::{self as fx, ch, feed, job, key, p, JOB};
    use crate::support::ui_screen::screen;

    const SECRET: &str = "s3cret-pw";

    fn on_ipad() -> backtop::ui::app::App {
        let mut app = fx::scanned(fx::options(false, false, false));
        app.selected_device = Some(fx::IPAD.into());
        app.selected_version = Some(p("ipad-live"));
        app.focus = Pane::Versions;
        app
    }

    fn outcome(result: UnlockResult, opened: &[&str]) -> backtop::ui::Msg {
        job(
            JobKind::Unlock,
            JobEvent::Done(Outcome::Unlocked(UnlockOutcome {
                target: p("ipad-live"),
                result,
                opened: opened.iter().map(|n| p(n)).collect(),
                still_locked: Vec::new(),
                elapsed: std::time::Duration::from_millis(2100),
                remembered: None,
            })),
        )
    }

    /// Types the password at the open prompt, sends it, and answers with `result` (opening
    /// both of the iPad's versions when it is `Opened`); the effects of the answer.
    fn answer(app: &mut backtop::ui::app::App, result: UnlockResult) -> Vec<Effect> {
        feed(app, SECRET.chars().map(ch));
        feed(app, [key(KeyCode::Enter)]);
        let opened: &[&str] = match result {
            UnlockResult::Opened => &["ipad-live", "ipad-interrupted"],
            _ => &[],
        };
        feed(app, [outcome(result, opened)])
    }

    #[test]
    fn the_password_is_masked_sent_once_and_never_kept() {
        let mut app = on_ipad();
        feed(&mut app, [ch('u')]);
        assert!(app.unlock_prompt().is_some(), "u opens the prompt");
        feed(&mut app, SECRET.chars().map(ch));
        let shown = screen(&mut app, 100, 30);
        assert!(
            shown.contains(&format!("Password: {}_", "•".repeat(SECRET.len()))),
            "{shown}"
        );
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(!format!("{app:?}").contains(SECRET));

        let effects = feed(&mut app, [key(KeyCode::Enter)]);
        let [Effect::Unlock(request)] = effects.as_slice() else {
            panic!("{effects:?}");
        };
        assert_eq!(request.password.as_bytes(), SECRET.as_bytes());
        assert_eq!(request.target, p("ipad-live"));
        assert_eq!(request.scope, [p("ipad-live"), p("ipad-interrupted")]);
        assert!(!format!("{request:?}").contains(SECRET));
        assert!(!format!("{app:?}").contains(SECRET));
        let prompt = app.unlock_prompt().unwrap();
        assert!(prompt.input.is_empty());
        assert!(matches!(prompt.phase, UnlockPhase::Deriving { .. }));
        assert!(screen(&mut app, 100, 30).contains("deriving the key from the password"));

        feed(
            &mut app,
            [job(JobKind::Unlock, JobEvent::Started { total: 1 })],
        );
        feed(&mut app, [outcome(UnlockResult::WrongPassword, &[])]);
        let prompt = app.unlock_prompt().expect("a wrong password asks again");
        assert_eq!(prompt.phase, UnlockPhase::Typing);
        assert!(screen(&mut app, 100, 30).contains("wrong password"));

        feed(&mut app, [ch('x'), key(KeyCode::Enter)]);
        feed(
            &mut app,
            [job(JobKind::Unlock, JobEvent::Started { total: 1 })],
        );
        let effects = feed(&mut app, [key(KeyCode::Esc)]);
        assert_eq!(effects, [Effect::Cancel(JOB)], "Esc stops the derivation");
        assert!(app.unlock_prompt().is_none());
        assert!(app
            .status
            .as_deref()
            .unwrap_or("")
            .contains("unlock cancelled"));
        feed(&mut app, [outcome(UnlockResult::Cancelled, &[])]);
        assert!(app.unlocked.is_empty());
    }

    #[test]
    fn a_success_unlocks_the_device_s_versions_and_u_is_no_longer_offered() {
        let mut app = on_ipad();
        feed(&mut app, [ch('u')]);
        let effects = answer(&mut app, UnlockResult::Opened);
        assert_eq!(
            effects,
            [Effect::Rescan],
            "the scan categorizes what was unlocked"
        );
        assert!(app.unlock_prompt().is_none());
        assert_eq!(app.unlocked.len(), 2);
        let status = app.status.clone().unwrap_or_default();
        assert!(
            status.starts_with("unlocked 2 versions in 2.1 s"),
            "{status}"
        );
        assert!(!screen(&mut app, 100, 30).contains("u unlock"));
        let effects = feed(&mut app, [key(KeyCode::Enter)]);
        assert_eq!(
            effects,
            [Effect::Browse(p("ipad-live"))],
            "opens without a prompt"
        );
    }

    #[test]
    fn verifying_a_locked_version_asks_first_then_verifies_with_the_keys() {
        let mut app = on_ipad();
        let effects = feed(&mut app, [ch('v')]);
        assert!(effects.is_empty(), "{effects:?}");
        let prompt = app
            .unlock_prompt()
            .expect("v on a locked version asks first");
        assert_eq!(prompt.then, AfterUnlock::Verify(vec![p("ipad-live")]));
        assert_eq!(prompt.scope, [p("ipad-live"), p("ipad-interrupted")]);
        let shown = screen(&mut app, 100, 30);
        assert!(
            shown.contains("Then it is verified (Esc: verify without the password)."),
            "{shown}"
        );
        answer(&mut app, UnlockResult::WrongPassword);
        assert!(app.unlock_prompt().is_some(), "a wrong password asks again");
        let effects = answer(&mut app, UnlockResult::Opened);
        assert_eq!(
            effects,
            [Effect::Rescan, Effect::Verify(vec![p("ipad-live")])]
        );
        assert!(app.unlock_prompt().is_none());
        // Unlocked now: v verifies at once.
        let effects = feed(&mut app, [ch('v')]);
        assert_eq!(effects, [Effect::Verify(vec![p("ipad-live")])]);
    }

    #[test]
    fn esc_at_the_verify_prompt_verifies_the_marked_versions_without_the_password() {
        let mut app = on_ipad();
        feed(&mut app, [ch(' '), ch('j'), ch(' ')]);
        assert_eq!(app.targets(), [p("ipad-live"), p("ipad-interrupted")]);
        feed(&mut app, [ch('v')]);
        let prompt = app
            .unlock_prompt()
            .expect("the marks are locked: v asks first");
        assert_eq!(prompt.target, p("ipad-interrupted"), "the selected one");
        assert_eq!(prompt.scope, [p("ipad-live"), p("ipad-interrupted")]);
        assert!(screen(&mut app, 100, 30).contains("Then 2 versions are verified"));
        let effects = feed(&mut app, [key(KeyCode::Esc)]);
        assert_eq!(
            effects,
            [Effect::Verify(vec![p("ipad-live"), p("ipad-interrupted")])]
        );
        assert!(app.unlock_prompt().is_none());
        assert!(app.unlocked.is_empty());
    }
}
