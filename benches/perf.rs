//! `cargo bench`: the budgets in PERFORMANCE.md. Sessions are generated into
//! a temporary folder on first use (`ROUNDTABLE_BENCH_RECORDS` sizes the
//! replay journal; 1,000,000 by default).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use roundtable::app::keymap::Keymap;
use roundtable::app::{App, Model, Msg, Screen, update};
use roundtable::domain::{Event, Session, Timestamp};
use roundtable::ops::generate::{Spec, write};
use roundtable::store::{self, Writer, journal};
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
                live: false,
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

fn now(s: &Session) -> Timestamp {
    s.stages
        .values()
        .filter_map(|st| st.runtime.ended)
        .max()
        .unwrap_or_default()
}

/// Open a 100k-statement session for writing (snapshot + tail) and draw the first frame.
#[divan::bench(sample_count = 10)]
fn open_100k_to_first_frame(bencher: divan::Bencher) {
    let dir = session_dir(100_000);
    bencher.bench(|| {
        let (w, _) = Writer::open(&dir, Timestamp::default()).unwrap();
        let app = App::new(Keymap::default(), "f");
        let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
        term.draw(|f| {
            let s = w.session();
            ui::render(f, &app, &s, now(&s), &Theme::default())
        })
        .unwrap();
        w
    });
}

const SCREENS: [Screen; 5] = [
    Screen::Projector,
    Screen::Capture,
    Screen::Vote,
    Screen::Agenda,
    Screen::Synthesis,
];

/// One frame of each screen at 160×48, with 100 and 100,000 statements.
#[divan::bench(args = [100, 100_000], consts = [0, 1, 2, 3, 4])]
fn render_frame<const SCREEN: usize>(bencher: divan::Bencher, statements: usize) {
    let s = loaded(statements);
    let mut app = App::new(Keymap::default(), "f");
    app.screen = SCREENS[SCREEN];
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let at = now(s);
    bencher.bench_local(|| {
        term.draw(|f| ui::render(f, &app, s, at, &Theme::default()))
            .unwrap();
    });
}

/// One typed character through `update` on the capture and synthesis screens.
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
    let at = now(s);
    let mut model = Model::new(app, s.clone());
    bencher.bench_local(|| {
        let k = if SCREEN == 1 { ch } else { key };
        update(&mut model, Msg::Key(k), at)
    });
}

fn big_journal() -> PathBuf {
    let records: usize = std::env::var("ROUNDTABLE_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tmp().join(format!("r{records}"));
    if !dir.exists() {
        write(
            &dir,
            Spec {
                statements: 100_000,
                rounds: 1_000,
                concepts: 500,
                records,
                live: false,
            },
        )
        .unwrap();
        std::fs::remove_file(dir.join("snapshot.ron")).unwrap();
    }
    dir
}

/// Full replay of the 1M-record journal, no snapshot: hash checks, parsing, applying.
#[divan::bench(sample_count = 3)]
fn replay_1m_records(bencher: divan::Bencher) {
    let dir = big_journal();
    bencher.bench(|| {
        let mut s = Session::default();
        let scan = journal::scan(&dir.join("journal.ron"), 1, 0, &mut |r| {
            s.apply_owned(r.event).map_err(|e| e.to_string())
        })
        .unwrap();
        assert!(scan.damage.is_none());
        scan.records
    });
}

/// The same records as JSON lines, parsed with serde_json: the yardstick.
#[divan::bench(sample_count = 3)]
fn parse_1m_records_as_json(bencher: divan::Bencher) {
    use std::io::BufRead;
    let dir = big_journal();
    let json = dir.join("journal.json");
    if !json.exists() {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&json).unwrap());
        for line in
            std::io::BufReader::new(std::fs::File::open(dir.join("journal.ron")).unwrap()).lines()
        {
            let r = roundtable::store::record::decode(line.unwrap().as_bytes()).unwrap();
            use std::io::Write;
            writeln!(out, "{}", serde_json::to_string(&r).unwrap()).unwrap();
        }
    }
    bencher.bench(|| {
        let mut n = 0u64;
        for line in
            std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(&json).unwrap()).lines()
        {
            let r: roundtable::store::record::Record =
                serde_json::from_str(&line.unwrap()).unwrap();
            n += r.seq.min(1);
        }
        n
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
