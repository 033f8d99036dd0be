//! The full-screen runtime: terminal setup and restore (on every exit,
//! panics included), and the loops that turn terminal input into messages
//! for the live screens, the review browser and the session picker.

mod frames;
mod live;

pub use crate::net::wire::id_prefix;
pub use live::{JoinScreen, Options, join, run};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::DefaultTerminal;
use std::path::{Path, PathBuf};

/// Debug builds only: with `ROUNDTABLE_DEBUG_PANIC=1`, F12 panics, so tests
/// can check that a panic leaves a usable terminal behind.
fn debug_panic_switch(key: &crossterm::event::KeyEvent) {
    if cfg!(debug_assertions)
        && key.code == crossterm::event::KeyCode::F(12)
        && std::env::var_os("ROUNDTABLE_DEBUG_PANIC").is_some()
    {
        panic!("debug panic requested with F12 (ROUNDTABLE_DEBUG_PANIC is set)");
    }
}

/// Puts the terminal back however the program ends, panics included.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
        previous(info);
    }));
}

/// Whether this terminal tells a paste from typing (bracketed paste).
static PASTE_TOLD: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Whether the terminal set up last tells a paste from typing.
pub fn paste_told() -> bool {
    PASTE_TOLD.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets up the terminal, runs `body` on a single-threaded runtime, and puts
/// the terminal back however it ends.
fn with_terminal<F>(body: impl FnOnce(DefaultTerminal) -> F) -> std::io::Result<()>
where
    F: std::future::Future<Output = std::io::Result<()>>,
{
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let terminal = ratatui::try_init()?;
    install_panic_hook();
    // Windows' classic console cannot mark a paste (Windows Terminal can,
    // as every Unix terminal does): the screens then say so.
    let told = crossterm::execute!(std::io::stdout(), EnableBracketedPaste).is_ok();
    PASTE_TOLD.store(told, std::sync::atomic::Ordering::Relaxed);
    let result = rt.block_on(body(terminal));
    let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    result
}

/// Runs `draw` and `key` until `key` says to stop, on a plainly set-up
/// terminal (the review browser and the picker need no runtime).
fn simple_loop(
    mut draw: impl FnMut(&mut ratatui::Frame),
    mut key: impl FnMut(crossterm::event::KeyEvent) -> bool,
) -> std::io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    install_panic_hook();
    let result = (|| -> std::io::Result<()> {
        loop {
            terminal.draw(|f| {
                draw(f);
                crate::ui::untrusted::guard(f.buffer_mut());
            })?;
            if let crossterm::event::Event::Key(k) = crossterm::event::read()?
                && !key(k)
            {
                return Ok(());
            }
        }
    })();
    ratatui::restore();
    result
}

/// `roundtable review`: the browser, or one session straight away.
pub fn review(
    sessions: &Path,
    dir: Option<PathBuf>,
    theme: crate::ui::Theme,
    keymap: crate::app::keymap::Keymap,
) -> std::io::Result<()> {
    use crate::app::review::Review;
    let mut review = Review::with_keymap(sessions, keymap);
    if let Some(dir) = dir {
        review.open(&dir);
        if let Some(m) = &review.message {
            return Err(std::io::Error::other(m.clone()));
        }
    }
    let review = std::cell::RefCell::new(review);
    simple_loop(
        |f| crate::ui::review::render(f, &review.borrow(), &theme),
        |k| {
            let mut r = review.borrow_mut();
            r.key(k);
            !r.quit
        },
    )
}

/// The session picker: returns the session chosen (or created), if any.
pub fn pick(
    sessions: &Path,
    keymap: crate::app::keymap::Keymap,
) -> std::io::Result<Option<PathBuf>> {
    use crate::app::picker::{Outcome, Picker};
    let picker = Picker::load_with(sessions, keymap).map_err(std::io::Error::other)?;
    let theme = crate::ui::Theme::new(crate::ui::ThemeName::HighContrast);
    let picker = std::cell::RefCell::new(picker);
    let mut chosen = None;
    simple_loop(
        |f| crate::ui::picker::render(&picker.borrow(), f, &theme),
        |k| {
            let mut p = picker.borrow_mut();
            match p.key(k) {
                Outcome::Stay => true,
                Outcome::Quit => false,
                Outcome::Open(dir) => {
                    chosen = Some(dir);
                    false
                }
                Outcome::Create {
                    template,
                    title,
                    focus,
                    participants,
                } => {
                    let spec = crate::ops::create::NewSession {
                        template: &template,
                        title: &title,
                        focus: &focus,
                        facilitator: "facilitator",
                        participants,
                        date: None,
                        codes: Vec::new(),
                    };
                    match crate::ops::create::new_session(sessions, spec, None) {
                        Ok((dir, _, _)) => {
                            chosen = Some(dir);
                            false
                        }
                        Err(e) => {
                            p.creation_failed(e.to_string());
                            true
                        }
                    }
                }
            }
        },
    )?;
    Ok(chosen)
}
