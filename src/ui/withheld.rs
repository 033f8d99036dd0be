//! Withheld words on screen: a marked placeholder, or — for a moment, on
//! the screen that asked — the words under a PRIVATE banner. Every screen
//! may be projected, so no screen shows a withheld statement's words or
//! tags any other way.

use super::Theme;
use super::untrusted::para;
use crate::app::App;
use crate::domain::{Session, Statement, StatementId, Timestamp, Withheld};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

/// A statement's words and tags as this screen may show them.
pub struct Shown {
    pub words: String,
    pub tags: Vec<String>,
    /// Why they are withheld, if they are.
    pub withheld: Option<Withheld>,
    /// Withheld, and revealed here for a moment.
    pub revealed: bool,
}

/// `st` (known here as `id`, said in `home`) as this screen may show it.
pub fn shown(app: &App, home: &Session, id: &StatementId, st: &Statement, now: Timestamp) -> Shown {
    let withheld = home.withheld(st);
    let revealed = withheld.is_some() && app.revealed(id, now);
    let v = st.current();
    match (&withheld, revealed) {
        (Some(w), false) => Shown {
            words: w.placeholder(),
            tags: Vec::new(),
            withheld,
            revealed,
        },
        _ => Shown {
            words: v.text.clone(),
            tags: v.tags.clone(),
            withheld,
            revealed,
        },
    }
}

/// The banner across the top while withheld words are on this screen:
/// revealed for a moment, or in the box while one is amended. It says they
/// are private, and for how long.
pub fn banner(
    f: &mut Frame,
    area: Rect,
    app: &App,
    session: &Session,
    now: Timestamp,
    theme: &Theme,
) {
    let amending = app
        .capture
        .amending
        .as_ref()
        .filter(|_| app.screen == crate::app::Screen::Capture)
        .filter(|id| {
            session
                .statements
                .get(*id)
                .is_some_and(|st| session.withheld(st).is_some())
        });
    let text = match (app.revealing(now), amending) {
        (_, Some(id)) => format!(
            " PRIVATE · amending {id}: withheld words in the box on this screen · {} ",
            app.keymap
                .fill(crate::app::actions::Layer::Capture, "{Cancel} cancels")
        ),
        (Some(r), None) => {
            let secs = (r.until.millis_since(now) + 999) / 1000;
            format!(
                " PRIVATE · {}: withheld words on this screen for {secs} s · any key hides them ",
                r.statement
            )
        }
        (None, None) => return,
    };
    let line = Rect { height: 1, ..area };
    f.render_widget(
        para(Span::styled(
            format!("{text:<w$}", w = usize::from(line.width)),
            theme.over,
        )),
        line,
    );
}
