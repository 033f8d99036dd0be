//! `cargo bench --bench perf`: frames and keystrokes on the path a user
//! takes, and a commit. Sessions are generated (with the example's
//! statement lengths and words) into a temporary folder on first use, in
//! the middle of a workshop: the last stage running, its vote open. The
//! whole program (opening to the first frame in a terminal, memory,
//! `verify`, replay) is measured by `cargo bench --bench process`.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use roundtable::app::keymap::Keymap;
use roundtable::app::{App, Model, Msg, Screen, update};
use roundtable::domain::{Event, Session, Timestamp};
use roundtable::ops::generate::{Spec, write};
use roundtable::store::{self, Writer};
use roundtable::ui::{self, Theme};
use std::path::PathBuf;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

fn tmp() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("roundtable-bench-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    })
}

fn session_dir(statements: usize) -> PathBuf {
    let dir = tmp().join(format!("s{statements}"));
    if !dir.exists() {
        write(
            &dir,
            Spec {
                statements,
                rounds: (statements / 100).max(10),
                concepts: (statements / 200).clamp(20, 500),
                records: 0,
                live: true,
                after_snapshot: 0,
            },
        )
        .unwrap();
    }
    dir
}

fn loaded(statements: usize) -> &'static Session {
    static S100: OnceLock<Session> = OnceLock::new();
    static S100K: OnceLock<Session> = OnceLock::new();
    let cell = if statements <= 100 { &S100 } else { &S100K };
    cell.get_or_init(|| {
        store::open_read_only(&session_dir(statements))
            .unwrap()
            .session
    })
}

/// A minute into the running stage.
fn now(s: &Session) -> Timestamp {
    s.current_stage()
        .and_then(|st| st.runtime.started)
        .unwrap_or_default()
        .plus_millis(60_000)
}

const SCREENS: [Screen; 5] = [
    Screen::Projector,
    Screen::Capture,
    Screen::Vote,
    Screen::Agenda,
    Screen::Synthesis,
];

/// One frame of each screen at 160×48, with 100 and 100,000 statements,
/// as in the room: the countdown a second on from the last frame, and a
/// ballot arriving in the open vote before each frame (1,000 frames per
/// run, so the round ends with 1,000 ballots, more than any room casts).
#[divan::bench(args = [100, 100_000], consts = [0, 1, 2, 3, 4], sample_count = 100, sample_size = 10)]
fn render_live<const SCREEN: usize>(bencher: divan::Bencher, statements: usize) {
    let mut s = loaded(statements).clone();
    let round = s
        .round_open_now()
        .map(|r| r.id.clone())
        .expect("a vote open");
    let people: Vec<_> = s.participants.keys().cloned().collect();
    let mut app = App::new(Keymap::default(), "f");
    app.screen = SCREENS[SCREEN];
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let mut at = now(&s);
    let mut i = 0usize;
    bencher.bench_local(|| {
        i += 1;
        at = at.plus_millis(1000);
        let ballot = Event::BallotCast {
            round: round.clone(),
            participant: people[i % people.len()].clone(),
            choice: roundtable::domain::Choice::Resonance(1 + (i % 5) as u8),
            at,
            recorded_by: "f".into(),
        };
        s.apply(&ballot).unwrap();
        term.draw(|f| ui::render(f, &app, &s, at, &Theme::default()))
            .unwrap();
    });
}

/// One key through `update`: a typed character on the capture screen, and
/// ↓ through the statements pane of the synthesis screen (back to the top
/// at the end, as Home would).
#[divan::bench(args = [100, 100_000], consts = [1, 4])]
fn keystroke<const SCREEN: usize>(bencher: divan::Bencher, statements: usize) {
    let s = loaded(statements);
    let mut app = App::new(Keymap::default(), "f");
    app.screen = SCREENS[SCREEN];
    let key = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Down,
        crossterm::event::KeyModifiers::NONE,
    );
    let ch = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('a'),
        crossterm::event::KeyModifiers::NONE,
    );
    app.synthesis.pane = roundtable::app::synthesis::Pane::Statements;
    let at = now(s);
    let n = s.statements.len();
    let mut model = Model::new(app, s.clone());
    bencher.bench_local(|| {
        let k = if SCREEN == 1 { ch } else { key };
        if model.app.synthesis.statement + 1 >= n {
            model.app.synthesis.statement = 0;
        }
        update(&mut model, Msg::Key(k), at)
    });
}

/// Commit one statement: append and fsync.
#[divan::bench(sample_count = 200)]
fn commit_one_statement(bencher: divan::Bencher) {
    let dir = tmp().join("commit");
    if !dir.exists() {
        write(
            &dir,
            Spec {
                statements: 10,
                rounds: 1,
                concepts: 1,
                records: 0,
                live: false,
                after_snapshot: 0,
            },
        )
        .unwrap();
    }
    let (mut w, _) = Writer::open(&dir, Timestamp::default()).unwrap();
    w.snapshot_every = 0;
    let mut n = w.session().statements.len();
    bencher.bench_local(|| {
        n += 1;
        let e = Event::StatementAdded {
            id: format!("st{n}").as_str().into(),
            kind: roundtable::domain::StatementKind::Quote,
            speaker: roundtable::domain::Speaker::Group,
            stage: None,
            text: "A statement of ordinary length, as a note-taker would type it in the room."
                .into(),
            tags: vec!["barrier".into()],
            captured_by: "n".into(),
            at: Timestamp::default(),
        };
        w.record("n", Timestamp::default(), &e).unwrap()
    });
}
