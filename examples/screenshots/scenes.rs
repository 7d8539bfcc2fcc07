//! Demo scenes built from ratatui widgets: borders, lists, gauges, charts, text attributes and
//! every kind of colour, to check the rasterizer against what a terminal shows.

use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, BarChart, Block, BorderType, Borders, Chart, Dataset, Gauge, GraphType, List, ListItem,
    ListState, Paragraph, Sparkline,
};
use ratatui::{Frame, Terminal};

/// A scene: a file name (without `.png`) and the function that draws its buffer.
pub type Scene = (&'static str, fn() -> anyhow::Result<Buffer>);

/// Every scene, in the order they are written.
pub const SCENES: &[Scene] = &[("widgets", widgets), ("colors", colors), ("glyphs", glyphs)];

/// Draws `draw` on a `cols`×`rows` test terminal and returns the buffer.
pub fn render(cols: u16, rows: u16, draw: impl FnOnce(&mut Frame)) -> anyhow::Result<Buffer> {
    let mut terminal = Terminal::new(TestBackend::new(cols, rows))?;
    terminal.draw(draw)?;
    Ok(terminal.backend().buffer().clone())
}

/// A dashboard-like layout: a list, a gauge, a bar chart, a sparkline and styled text.
fn widgets() -> anyhow::Result<Buffer> {
    render(100, 30, |f| {
        let [top, bottom] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(7)]).areas(f.area());
        let [left, right] =
            Layout::horizontal([Constraint::Length(38), Constraint::Min(0)]).areas(top);
        draw_list(f, left);
        let [gauges, bars] =
            Layout::vertical([Constraint::Length(8), Constraint::Min(0)]).areas(right);
        draw_gauges(f, gauges);
        draw_bars(f, bars);
        draw_text(f, bottom);
    })
}

fn draw_list(f: &mut Frame, area: Rect) {
    let items = [
        ("Alice's iPhone 15 Pro", "92.4 GB", Color::Green),
        ("iPad Air (5th gen)", "41.0 GB", Color::Cyan),
        ("Old iPhone 8", "12.7 GB", Color::Yellow),
        ("Work iPhone 13", "55.1 GB", Color::Magenta),
        ("Interrupted backup", "3.2 GB", Color::Red),
    ];
    let items: Vec<ListItem> = items
        .iter()
        .map(|(name, size, c)| {
            ListItem::new(Line::from(vec![
                Span::styled("● ", Style::new().fg(*c)),
                Span::raw(format!("{name:<24}")),
                Span::styled(*size, Style::new().add_modifier(Modifier::BOLD)),
            ]))
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .title(" Devices ".bold()),
        )
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("▶ ");
    let mut state = ListState::default().with_selected(Some(1));
    f.render_stateful_widget(list, area, &mut state);
}

fn draw_gauges(f: &mut Frame, area: Rect) {
    let block = Block::bordered()
        .title(" Disk ")
        .border_style(Style::new().fg(Color::DarkGray));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let rows = Layout::vertical([Constraint::Length(2); 3]).split(inner);
    let gauges = [
        (0.734, Color::Blue, "Backups"),
        (0.41, Color::Green, "Free"),
        (0.987, Color::Red, "Full"),
    ];
    for (row, (ratio, color, label)) in rows.iter().zip(gauges) {
        let g = Gauge::default()
            .gauge_style(Style::new().fg(color).bg(Color::Black))
            .ratio(ratio)
            .label(format!("{label} {:.1}%", ratio * 100.0))
            .use_unicode(true);
        f.render_widget(g, Rect { height: 1, ..*row });
    }
}

fn draw_bars(f: &mut Frame, area: Rect) {
    let [bars, line_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Min(0)]).areas(area);
    let data = [
        ("Photos", 61),
        ("Apps", 23),
        ("Msgs", 12),
        ("Health", 3),
        ("Other", 8),
    ];
    let chart_widget = BarChart::default()
        .block(
            Block::bordered()
                .border_type(BorderType::Double)
                .title(" Categories "),
        )
        .data(&data)
        .bar_width(5)
        .bar_gap(1)
        .bar_style(Style::new().fg(Color::LightBlue))
        .value_style(Style::new().fg(Color::Black).bg(Color::LightBlue));
    f.render_widget(chart_widget, bars);
    let points: Vec<(f64, f64)> = (0..=60)
        .map(|i| (f64::from(i), 5.0 + 4.0 * (f64::from(i) / 6.0).sin()))
        .collect();
    let dataset = Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(Style::new().fg(Color::LightGreen))
        .data(&points);
    let chart = Chart::new(vec![dataset])
        .block(
            Block::bordered()
                .border_type(BorderType::Thick)
                .title(" Braille "),
        )
        .x_axis(Axis::default().bounds([0.0, 60.0]))
        .y_axis(Axis::default().bounds([0.0, 10.0]));
    f.render_widget(chart, line_area);
}

fn draw_text(f: &mut Frame, area: Rect) {
    let [text, spark] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Min(0)]).areas(area);
    let lines = vec![
        Line::from(vec![
            "Regular ".into(),
            "Bold ".bold(),
            "Dim ".dim(),
            "Italic ".italic(),
            "Underlined".underlined(),
        ]),
        Line::from(vec![
            "Reversed".reversed(),
            " ".into(),
            "Crossed out".crossed_out(),
            " ".into(),
            "Bold+Red".bold().red(),
        ]),
        Line::from("Symbols: ✓ ✗ → ← ↑ ↓ • … ─ ¼ ½ é ß Ω λ"),
        Line::from("Wide: 日本 (not in the font: drawn as boxes)"),
        Line::from(vec![
            " q ".black().on_gray(),
            " quit  ".into(),
            " ? ".black().on_gray(),
            " help".into(),
        ]),
    ];
    f.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::TOP).title(" Text ")),
        text,
    );
    let data: Vec<u64> = (0..60).map(|i: u64| (i * 7 % 13) + (i % 5) * 2).collect();
    let sparkline = Sparkline::default()
        .block(Block::new().borders(Borders::TOP).title(" Sparkline "))
        .data(&data)
        .style(Style::new().fg(Color::Yellow));
    f.render_widget(sparkline, spark);
}

/// The 16 ANSI colours as foreground and background, the 256-colour cube, greys and RGB.
fn colors() -> anyhow::Result<Buffer> {
    const NAMED: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    render(96, 13, |f| {
        let mut lines: Vec<Line> = Vec::new();
        for row in NAMED.chunks(8) {
            lines.push(Line::from(
                row.iter()
                    .map(|&c| Span::styled(format!("{:<12}", format!("{c:?}")), Style::new().fg(c)))
                    .collect::<Vec<_>>(),
            ));
            lines.push(Line::from(
                row.iter()
                    .map(|&c| {
                        Span::styled(
                            format!(" {:<10} ", "on"),
                            Style::new().bg(c).fg(Color::Reset),
                        )
                    })
                    .collect::<Vec<_>>(),
            ));
        }
        lines.push(Line::from(vec![
            "Reset fg on Reset bg, ".into(),
            "bold".bold(),
            ", ".into(),
            "bold on Reset".bold().reversed(),
        ]));
        for chunk in (16u8..=231).collect::<Vec<_>>().chunks(72) {
            lines.push(Line::from(
                chunk
                    .iter()
                    .map(|&i| Span::styled(" ", Style::new().bg(Color::Indexed(i))))
                    .collect::<Vec<_>>(),
            ));
        }
        lines.push(Line::from(
            (232u8..=255)
                .map(|i| Span::styled("  ", Style::new().bg(Color::Indexed(i))))
                .collect::<Vec<_>>(),
        ));
        lines.push(Line::from(
            (0..96)
                .map(|i: u16| {
                    let t = f32::from(i) / 95.0;
                    Span::styled(
                        "▀",
                        Style::new()
                            .fg(Color::Rgb((255.0 * t) as u8, 80, (255.0 * (1.0 - t)) as u8))
                            .bg(Color::Rgb(0, (200.0 * t) as u8, 120)),
                    )
                })
                .collect::<Vec<_>>(),
        ));
        lines.push(Line::from(vec![
            "Indexed(208) ".fg(Color::Indexed(208)),
            "Rgb(255,105,180) ".fg(Color::Rgb(255, 105, 180)),
            "reversed ".reversed(),
            "dim ".dim(),
            "dim red".dim().red(),
        ]));
        f.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(" Colours ")),
            f.area(),
        );
    })
}

/// Every box-drawing character, the block elements, braille, and nested borders.
fn glyphs() -> anyhow::Result<Buffer> {
    render(72, 24, |f| {
        let mut lines: Vec<Line> = Vec::new();
        for row in 0..8u32 {
            let s: String = (0..16)
                .flat_map(|c| [char::from_u32(0x2500 + row * 16 + c).unwrap_or(' '), ' '])
                .collect();
            lines.push(Line::from(s));
        }
        let blocks: String = (0x2580..=0x259f)
            .filter_map(char::from_u32)
            .flat_map(|c| [c, ' '])
            .collect();
        lines.push(Line::from(blocks));
        let braille: String = (0x2800..=0x283f).filter_map(char::from_u32).collect();
        lines.push(Line::from(braille));
        lines.push(Line::from("┌─┬─┐ ╔═╦═╗ ┏━┳━┓ ╭─┬─╮ ████▓▓▓▒▒▒░░░").fg(Color::LightCyan));
        lines.push(Line::from("├─┼─┤ ╠═╬═╣ ┣━╋━┫ │ │ │ ▁▂▃▄▅▆▇█▇▆▅▄▃▂▁").fg(Color::LightCyan));
        lines.push(Line::from("└─┴─┘ ╚═╩═╝ ┗━┻━┛ ╰─┴─╯ ▏▎▍▌▋▊▉█ ▔▕▐▀").fg(Color::LightCyan));
        let [left, right] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(20)]).areas(f.area());
        f.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(" Glyphs ")),
            left,
        );
        let nested = Block::bordered()
            .border_type(BorderType::Double)
            .title(" Nested ");
        let inner = nested.inner(right);
        f.render_widget(nested, right);
        let inner_block = Block::bordered().border_type(BorderType::Rounded).on_blue();
        f.render_widget(Paragraph::new("on blue").block(inner_block), inner);
    })
}
