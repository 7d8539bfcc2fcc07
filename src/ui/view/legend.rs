//! What the dashboard's words and figures mean, for the help overlay (below the keys and
//! notes): the kinds of version, the source, encryption and state columns, and the header's reclaimable
//! figure (the rule is [`figures::prunable`](crate::ui::app::figures::prunable)).

use ratatui::text::{Line, Span};

use crate::ui::theme::Theme;

/// How many lines [`lines`] gives.
pub const LINE_COUNT: usize = 10;

/// The legend, one line of at most 70 cells each.
pub fn lines(theme: &Theme) -> Vec<Line<'static>> {
    use crate::library::BackupState::*;
    let states = format!(
        "Narrow state: {} complete, {} in progress, {} interrupted, {} damaged.",
        theme.glyph_state(Complete),
        theme.glyph_state(InProgress),
        theme.glyph_state(Interrupted),
        theme.glyph_state(Damaged)
    );
    let text = [
        "",
        "Kinds: live = the folder the backup app writes its next backup into;",
        "archive = a copy Finder/iTunes kept; snapshot = an iMazing version.",
        "Source: the app that made it (Finder, iTunes, iMazing, other).",
        "enc: encrypted (its files need the backup password).",
        &states,
        "Narrowest: E enc; arch, snap; source F Finder, i iMazing, T iTunes.",
        "Reclaimable (header): what pruning old versions frees, as prune",
        "--keep 1: every complete archive and snapshot but each device's",
        "newest complete backup; never a live, unfinished or damaged one.",
    ];
    debug_assert_eq!(text.len(), LINE_COUNT);
    text.iter()
        .map(|t| Line::from(Span::styled(t.to_string(), theme.muted())))
        .collect()
}
