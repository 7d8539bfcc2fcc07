//! The view stack on its own: layers, replacing, closing, and what the top view answers in.

use std::path::PathBuf;

use super::*;
use crate::tasks::{TargetCheck, Verdict};

fn delete(checks: Option<Vec<TargetCheck>>) -> View {
    let mut d = DeleteDialog::new(vec![PathBuf::from("/b/v1")]);
    d.checks = checks;
    View::Confirm(Confirm::Delete(d))
}

fn kinds(views: &Views) -> Vec<ViewKind> {
    views.iter().map(View::kind).collect()
}

#[test]
fn views_stack_by_layer_and_the_top_takes_the_keys() {
    let mut views = Views::default();
    assert!(views.is_empty() && views.top().is_none());
    views.push(View::Roots { scroll: 0 });
    views.push(View::Help { scroll: 0 });
    assert_eq!(kinds(&views), [ViewKind::Roots, ViewKind::Help]);
    assert_eq!(views.top().map(View::scopes), Some(vec![Scope::Help]));
    views.close(ViewKind::Help);
    assert_eq!(views.top().map(View::scopes), Some(vec![Scope::Roots]));
}

#[test]
fn a_result_arriving_under_a_dialog_waits_below_it() {
    let mut views = Views::default();
    views.push(delete(None));
    views.push(View::Report(Report::Copied(PathBuf::from("/b/v1"))));
    assert_eq!(kinds(&views), [ViewKind::Report, ViewKind::Confirm]);
    assert_eq!(views.top().map(View::kind), Some(ViewKind::Confirm));
    views.close(ViewKind::Confirm);
    assert_eq!(views.top().map(View::scopes), Some(vec![Scope::Copied]));
}

#[test]
fn a_second_view_of_a_kind_replaces_the_first() {
    let mut views = Views::default();
    views.push(View::Help { scroll: 4 });
    views.push(View::Help { scroll: 0 });
    assert_eq!(views.iter().count(), 1);
    assert_eq!(views.get(ViewKind::Help), Some(&View::Help { scroll: 0 }));
    assert!(
        views.close(ViewKind::Roots).is_none(),
        "closing what is not open"
    );
}

#[test]
fn the_delete_dialog_answers_by_what_the_guards_said() {
    let allowed = TargetCheck {
        path: "/b/v1".into(),
        verdict: Verdict::Allowed { warnings: vec![] },
    };
    let typed = TargetCheck {
        verdict: Verdict::NeedsTyping {
            reason: "the newest".into(),
            name: "Anna's iPhone".into(),
        },
        ..allowed.clone()
    };
    let cases = [
        (delete(None), Scope::Checking),
        (delete(Some(vec![allowed])), Scope::Confirm),
        (delete(Some(vec![typed])), Scope::Typed),
    ];
    for (view, want) in cases {
        assert_eq!(view.scopes(), [want]);
    }
}

#[test]
fn hints_come_from_the_keymap_and_a_dialog_leaves_out_its_scrolling() {
    let labels = |view: &View| -> Vec<&str> { view.hints().iter().map(|r| r.hint).collect() };
    assert_eq!(labels(&delete(None)), ["close"]);
    let allowed = TargetCheck {
        path: "/b/v1".into(),
        verdict: Verdict::Allowed { warnings: vec![] },
    };
    assert_eq!(
        labels(&delete(Some(vec![allowed]))),
        ["yes", "no", "trash/permanent"]
    );
    assert!(labels(&View::Help { scroll: 0 }).contains(&"scroll"));
    assert!(View::Help { scroll: 0 }.wheel_scrolls());
    assert!(!delete(None).wheel_scrolls());
}
