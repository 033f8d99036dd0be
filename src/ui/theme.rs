//! Colour themes. Every cue also has words or symbols, so nothing depends
//! on colour alone.

use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeName {
    /// White on black, strong accents: for projectors.
    HighContrast,
    Dark,
    Light,
}

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub base: Style,
    pub dim: Style,
    pub title: Style,
    pub accent: Style,
    pub warn: Style,
    pub over: Style,
    pub ok: Style,
    pub selected: Style,
    pub border: Style,
    pub bar: Style,
}

impl Theme {
    pub fn new(name: ThemeName) -> Self {
        let b = Modifier::BOLD;
        match name {
            ThemeName::HighContrast => Theme {
                base: Style::new().fg(Color::White).bg(Color::Black),
                dim: Style::new().fg(Color::Gray).bg(Color::Black),
                title: Style::new()
                    .fg(Color::White)
                    .bg(Color::Black)
                    .add_modifier(b),
                accent: Style::new()
                    .fg(Color::Yellow)
                    .bg(Color::Black)
                    .add_modifier(b),
                warn: Style::new()
                    .fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(b),
                over: Style::new().fg(Color::White).bg(Color::Red).add_modifier(b),
                ok: Style::new()
                    .fg(Color::LightGreen)
                    .bg(Color::Black)
                    .add_modifier(b),
                selected: Style::new()
                    .fg(Color::Black)
                    .bg(Color::White)
                    .add_modifier(b),
                border: Style::new().fg(Color::White).bg(Color::Black),
                bar: Style::new().fg(Color::Yellow).bg(Color::Black),
            },
            ThemeName::Dark => Theme {
                base: Style::new().fg(Color::Gray),
                dim: Style::new().fg(Color::DarkGray),
                title: Style::new().fg(Color::White).add_modifier(b),
                accent: Style::new().fg(Color::Cyan).add_modifier(b),
                warn: Style::new().fg(Color::Black).bg(Color::Yellow),
                over: Style::new().fg(Color::White).bg(Color::Red).add_modifier(b),
                ok: Style::new().fg(Color::Green),
                selected: Style::new().fg(Color::Black).bg(Color::Cyan),
                border: Style::new().fg(Color::DarkGray),
                bar: Style::new().fg(Color::Cyan),
            },
            ThemeName::Light => Theme {
                base: Style::new().fg(Color::Black).bg(Color::White),
                dim: Style::new().fg(Color::DarkGray).bg(Color::White),
                title: Style::new()
                    .fg(Color::Black)
                    .bg(Color::White)
                    .add_modifier(b),
                accent: Style::new()
                    .fg(Color::Blue)
                    .bg(Color::White)
                    .add_modifier(b),
                warn: Style::new()
                    .fg(Color::Black)
                    .bg(Color::LightYellow)
                    .add_modifier(b),
                over: Style::new().fg(Color::White).bg(Color::Red).add_modifier(b),
                ok: Style::new()
                    .fg(Color::Green)
                    .bg(Color::White)
                    .add_modifier(b),
                selected: Style::new().fg(Color::White).bg(Color::Blue),
                border: Style::new().fg(Color::DarkGray).bg(Color::White),
                bar: Style::new().fg(Color::Blue).bg(Color::White),
            },
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(ThemeName::HighContrast)
    }
}
