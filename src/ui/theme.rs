//! Styles and glyphs. Colours come only from the 16 ANSI colours (readable on any terminal);
//! with `NO_COLOR` set no colour is used at all, only bold and reverse. ASCII mode swaps box
//! drawing, block and symbol glyphs for plain ASCII (serial consoles, odd fonts).

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

/// Plain ASCII borders: `+`, `-`, `|`.
pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// How the dashboard looks: colour or not, Unicode or ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Use the 16 ANSI colours (false under `NO_COLOR`).
    pub color: bool,
    /// ASCII-only glyphs.
    pub ascii: bool,
}

impl Theme {
    /// A theme; `color` false means no colour in any cell.
    pub fn new(color: bool, ascii: bool) -> Self {
        Theme { color, ascii }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// Border set for blocks.
    pub fn border(&self) -> border::Set<'static> {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::ROUNDED
        }
    }

    /// Border style of a pane; the focused one stands out.
    pub fn pane_border(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            (false, _) => Style::new(),
        }
    }

    /// Pane titles.
    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Table header rows and labels.
    pub fn heading(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// The selected row of the focused pane.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// The selected row of a pane without focus.
    pub fn selected_unfocused(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Damaged versions and errors.
    pub fn bad(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Interrupted or in-progress versions, warnings.
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// Good news (complete, reclaimable figures).
    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    /// Secondary text.
    pub fn muted(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    /// Keys in the footer and help.
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Marked versions.
    pub fn marked(&self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }

    /// Bars in the breakdown.
    pub fn bar(&self) -> Style {
        self.fg(Color::Blue)
    }

    /// The backups' share of a disk gauge.
    pub fn gauge_backup(&self) -> Style {
        self.fg(Color::Magenta)
    }

    /// The rest of the used part of a disk gauge.
    pub fn gauge_used(&self) -> Style {
        self.fg(Color::Blue)
    }

    /// The free part of a disk gauge.
    pub fn gauge_free(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    /// Glyph of a full gauge cell (backups share).
    pub fn glyph_backup(&self) -> &'static str {
        if self.ascii {
            "#"
        } else {
            "█"
        }
    }

    /// Glyph of an other-used gauge cell.
    pub fn glyph_used(&self) -> &'static str {
        if self.ascii {
            "="
        } else {
            "▓"
        }
    }

    /// Glyph of a free gauge cell.
    pub fn glyph_free(&self) -> &'static str {
        if self.ascii {
            "."
        } else {
            "░"
        }
    }

    /// Warning mark for a device whose next backup may not fit.
    pub fn glyph_warn(&self) -> &'static str {
        if self.ascii {
            "!"
        } else {
            "⚠"
        }
    }

    /// Marker of a marked version.
    pub fn glyph_mark(&self) -> &'static str {
        if self.ascii {
            "*"
        } else {
            "●"
        }
    }

    /// Between the parts of a label (`Finder · anna`): a middle dot, `-` in ASCII.
    pub fn separator(&self) -> &'static str {
        if self.ascii {
            "-"
        } else {
            "\u{b7}"
        }
    }

    /// A version's state in one cell, for a narrow versions pane: `✓` complete, `↻` in
    /// progress, `!` interrupted, `✗` damaged (ASCII: `+`, `>`, `!`, `x`).
    pub fn glyph_state(&self, state: crate::library::BackupState) -> &'static str {
        use crate::library::BackupState::*;
        match (state, self.ascii) {
            (Complete, false) => "✓",
            (Complete, true) => "+",
            (InProgress, false) => "↻",
            (InProgress, true) => ">",
            (Interrupted, _) => "!",
            (Damaged, false) => "✗",
            (Damaged, true) => "x",
        }
    }
}
