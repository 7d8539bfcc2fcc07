//! `--remember` and `--forget` through the binary, on the kernel keyring (keyutils: no desktop
//! session needed). The test runs on a thread that first joins a new anonymous session
//! keyring, which the binaries it starts inherit, so their keys are not put in the session of
//! whoever runs the tests; the keyring crate also links each key into the user's persistent
//! keyring (memory only, expiring), so the test forgets the fixture's key first and last.

use std::process::Output;

use backtop::commands::password::{unlock_with, PasswordOptions};
use backtop::library::unlock::remember::entry_name;
use backtop::library::unlock::{BackupKeys, Key, KeyStore};
use backtop::library::{Version, VersionKind};

use super::cli::{json, Setup};
use super::fixture::MapStore;

/// `KEYCTL_JOIN_SESSION_KEYRING` with no name: a new anonymous session keyring for this
/// thread (and the processes it starts).
fn join_new_session_keyring() {
    // SAFETY: keyctl(2) with a null name pointer, as documented; no memory is passed.
    let id = unsafe { libc::syscall(libc::SYS_keyctl, 1, std::ptr::null::<libc::c_char>()) };
    assert!(id > 0, "keyctl: {}", std::io::Error::last_os_error());
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `du --json` with `args`: whether the version is unlocked, and stderr.
fn du(s: &Setup, args: &[&str]) -> (bool, String) {
    let mut all = vec!["du", "--json"];
    all.extend(args);
    let out = s.run(&all);
    let unlocked = json(&out)["devices"][0]["versions"][0]["unlocked"] == true;
    (unlocked, stderr(&out))
}

#[test]
fn remember_opens_later_runs_without_the_password_until_forget() {
    std::thread::spawn(|| {
        join_new_session_keyring();
        let s = Setup::new(|_| {});
        let right = s.file("right");
        s.run(&["du", "--forget"]);

        // Nothing is kept without --remember, and a wrong password is never remembered.
        assert!(du(&s, &["--password-file", &right]).0);
        assert_eq!(du(&s, &["--remember"]), (false, String::new()));
        let wrong = s.run(&["du", "--remember", "--password-file", &s.file("wrong")]);
        assert_eq!(wrong.status.code(), Some(5));
        assert!(!stderr(&wrong).contains("remembered"), "{}", stderr(&wrong));
        assert!(!du(&s, &["--remember"]).0);

        let (open, said) = du(&s, &["--remember", "--password-file", &right]);
        assert!(open);
        assert_eq!(
            said,
            "remembered 1 derived key in the OS keyring (--forget removes it)\n"
        );
        // Later runs: no password, no derivation.
        let (open, said) = du(&s, &["--remember"]);
        assert!(open);
        assert_eq!(
            said,
            "opened 1 encrypted version with the key remembered in the OS keyring\n"
        );
        let ls = s.run(&["ls", &s.v(), "HomeDomain", "-r", "--remember"]);
        assert_eq!(ls.status.code(), Some(0), "{}", stderr(&ls));
        let listed = String::from_utf8_lossy(&ls.stdout);
        assert!(listed.contains("HomeDomain/Library/SMS/sms.db"), "{listed}");
        // Without the option the keyring is not read.
        assert_eq!(du(&s, &[]), (false, String::new()));

        let forget = s.run(&["du", "--forget"]);
        assert_eq!(
            stderr(&forget),
            "forgot 1 key remembered in the OS keyring\n"
        );
        assert_eq!(du(&s, &["--remember"]), (false, String::new()));
        let again = s.run(&["du", "--forget"]);
        assert_eq!(
            stderr(&again),
            "forgot 0 keys remembered in the OS keyring\n"
        );
    })
    .join()
    .expect("the keyring test thread");
}

/// A remembered key that no longer opens its key bag (the password was changed) is passed
/// over: the password opens the version and its key replaces the stale one, which alone
/// opens nothing.
#[test]
fn a_stale_remembered_key_gives_way_to_the_password() {
    let s = Setup::new(|_| {});
    let mut version = Version::bare(&s.version(), s.tmp.path(), VersionKind::Live);
    version.encrypted = true;
    let name = entry_name(&BackupKeys::read(&version.path).unwrap().keybag.kdf);
    let store = MapStore::default();
    store.set(&name, &Key::from_bytes([7; 32])).unwrap();
    let remember = |file: Option<String>| PasswordOptions {
        file: file.map(Into::into),
        remember: true,
        ..PasswordOptions::default()
    };
    let stale = unlock_with(&remember(None), false, &[&version], &store).unwrap();
    assert_eq!(stale.opened(), 0);
    assert!(
        stale.locked(&version.path).is_none(),
        "a stale key says nothing"
    );

    let opened = unlock_with(&remember(Some(s.file("right"))), false, &[&version], &store);
    assert_eq!(opened.unwrap().opened(), 1);
    let kept = store
        .get(&name)
        .unwrap()
        .expect("the new key is remembered");
    assert_ne!(kept.bytes(), &[7; 32]);
    let again = unlock_with(&remember(None), false, &[&version], &store).unwrap();
    assert_eq!(again.opened_paths(), [version.path.clone()]);
}
