//! Tests of the keymap: resolution by scope, no key bound twice in a scope.

use super::*;

const DEVICES: &[Scope] = &[Scope::Devices, Scope::Global];
const VERSIONS: &[Scope] = &[Scope::Versions, Scope::Global];

#[test]
fn keys_resolve_by_scope() {
    let cases: &[(Key, &[Scope], Option<Action>)] = &[
        (ch('j'), DEVICES, Some(Action::Down)),
        (code(KeyCode::Down), VERSIONS, Some(Action::Down)),
        (ch('q'), DEVICES, Some(Action::Quit)),
        (ch('q'), &[Scope::Help], Some(Action::Help)),
        (
            code(KeyCode::Esc),
            &[Scope::Filter],
            Some(Action::FilterClear),
        ),
        (
            code(KeyCode::Enter),
            &[Scope::Filter],
            Some(Action::FilterKeep),
        ),
        (ch('j'), &[Scope::Filter], None),
        (
            code(KeyCode::Enter),
            &[Scope::Confirm],
            Some(Action::Confirm),
        ),
        (ch('d'), DEVICES, Some(Action::Delete)),
        (ch('d'), VERSIONS, Some(Action::Delete)),
        (ch(' '), VERSIONS, Some(Action::Mark)),
        (ch('/'), DEVICES, Some(Action::Filter)),
        (code(KeyCode::BackTab), DEVICES, Some(Action::PrevPane)),
        (ctrl('c'), VERSIONS, Some(Action::Quit)),
        (ch('c'), VERSIONS, None),
        (ctrl('c'), &[Scope::Filter], Some(Action::Quit)),
        (ch('R'), VERSIONS, Some(Action::Roots)),
        (ch('R'), &[Scope::Roots], Some(Action::Roots)),
        (code(KeyCode::Esc), &[Scope::Roots], Some(Action::Roots)),
        (ch('j'), &[Scope::Roots], Some(Action::Down)),
        (ch('r'), &[Scope::Roots], None),
        (code(KeyCode::Esc), &[Scope::Checking], Some(Action::Cancel)),
        (ch('y'), &[Scope::Checking], None),
        (code(KeyCode::Down), &[Scope::Confirm], Some(Action::Down)),
        (ch('j'), &[Scope::Confirm], Some(Action::Down)),
        (code(KeyCode::Up), &[Scope::Typed], Some(Action::Up)),
        (ch('j'), &[Scope::Typed], None),
    ];
    for (key, scopes, want) in cases {
        assert_eq!(
            resolve(*key, scopes),
            *want,
            "{} in {scopes:?}",
            key.label()
        );
    }
}

#[test]
fn no_key_is_bound_twice_in_one_scope() {
    for (i, a) in BINDINGS.iter().enumerate() {
        for b in &BINDINGS[i + 1..] {
            let shared = a.keys.iter().any(|k| b.keys.contains(k));
            // `a` is one key with two rows: the footer names what it switches to.
            let exclusive = matches!(
                (a.when, b.when),
                (When::Apparent, When::OnDisk) | (When::OnDisk, When::Apparent)
            );
            assert!(
                !(a.scope == b.scope && shared && !exclusive),
                "{:?} and {:?} share a key",
                a.action,
                b.action
            );
        }
    }
}

#[test]
fn shift_tab_arrives_as_back_tab() {
    let ev = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(Key::from_event(&ev).label(), "S-Tab");
    let ev = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(Key::from_event(&ev), ctrl('c'));
}

#[test]
fn shifted_letters_arrive_as_capitals() {
    let ev = KeyEvent::new(KeyCode::Char('R'), KeyModifiers::SHIFT);
    assert_eq!(resolve(Key::from_event(&ev), DEVICES), Some(Action::Roots));
}
