//! The password prompt: what unlocking means, the masked input (one `•` per character, `*` in
//! ASCII mode; never the characters), the last try's answer, and while the key is derived a
//! spinner with the elapsed seconds. Its answer keys come from the keymap.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::browser::spinner;
use super::confirm::dialog;
use crate::ui::app::{AfterUnlock, App, UnlockPhase, UnlockPrompt, View};
use crate::ui::format;

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App, view: &View, p: &UnlockPrompt) {
    let theme = &app.options.theme;
    let dot = if theme.ascii { "*" } else { "•" };
    let mut lines = vec![
        Line::raw(" This backup is encrypted. Its password unlocks it for this run only:"),
        Line::raw(" the keys stay in memory, nothing decrypted is written to disk."),
        Line::raw(""),
    ];
    match &p.phase {
        UnlockPhase::Typing => lines.push(Line::from(vec![
            Span::raw(" Password: "),
            Span::styled(dot.repeat(p.input.len()), theme.key()),
            Span::styled("_", theme.muted()),
        ])),
        UnlockPhase::Deriving { since, .. } => {
            let (frame_glyph, secs) = spinner(theme, *since, app.now);
            lines.push(Line::from(vec![
                Span::styled(format!(" {frame_glyph} "), theme.key()),
                Span::raw(format!("deriving the key from the password… {secs} s")),
            ]));
            lines.push(Line::from(Span::styled(
                " (about 2 s on a laptop: iOS asks for 10,000,000 rounds)",
                theme.muted(),
            )));
        }
    }
    if let Some(error) = &p.error {
        lines.push(Line::from(Span::styled(format!(" {error}"), theme.bad())));
    }
    if let AfterUnlock::Verify(paths) = &p.then {
        lines.push(Line::from(Span::styled(
            format!(
                " Then {} verified (Esc: verify without the password).",
                if paths.len() == 1 {
                    "it is".to_string()
                } else {
                    format!("{} are", format::plural(paths.len() as i64, "version"))
                }
            ),
            theme.muted(),
        )));
    }
    if p.scope.len() > 1 {
        lines.push(Line::from(Span::styled(
            format!(
                " The same password is tried on the device's {}.",
                format::plural(p.scope.len() as i64 - 1, "other encrypted version")
            ),
            theme.muted(),
        )));
    }
    dialog(
        frame,
        area,
        app,
        view,
        format!("Unlock {}", p.device),
        lines,
    );
}
