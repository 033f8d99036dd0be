//! `cargo run --release --example measure -- DIR`: figures for PERFORMANCE.md
//! that are not timings: the parts of opening a large session, resident
//! memory with it open, and bytes written to the terminal per typed character.

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use roundtable::app::keymap::Keymap;
use roundtable::app::{App, Model, Msg, Screen, update};
use roundtable::domain::Timestamp;
use roundtable::store::{self, journal, snapshot};
use std::io::Write;
use std::time::Instant;

/// Counts the bytes a terminal backend writes.
#[derive(Default, Clone)]
struct Counting(std::rc::Rc<std::cell::Cell<usize>>);

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn main() {
    let dir =
        std::path::PathBuf::from(std::env::args().nth(1).expect("usage: measure SESSION_DIR"));
    let t = Instant::now();
    let snap = snapshot::read(&dir).unwrap().unwrap();
    println!(
        "read and check snapshot.ron: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let t = Instant::now();
    let scan = journal::scan(
        &dir.join("journal.ron"),
        snap.seq + 1,
        snap.seq,
        &mut |_| Ok(()),
    )
    .unwrap();
    println!(
        "check the journal's hashes and chain ({} records): {:.0} ms",
        scan.records,
        t.elapsed().as_secs_f64() * 1000.0
    );
    drop(snap);
    let base = rss_mb();
    let t = Instant::now();
    let r = store::open_read_only(&dir).unwrap();
    println!(
        "open (snapshot + tail), total: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    println!(
        "resident memory with {} statements open: {:.0} MB (process), {:.0} MB before opening",
        r.session.statements.len(),
        rss_mb(),
        base
    );

    // Bytes written to a 160×48 terminal per typed character on the capture screen.
    let mut app = App::new(Keymap::default(), "n");
    app.screen = Screen::Capture;
    let mut model = Model::new(app, r.session);
    let counter = Counting::default();
    let backend = CrosstermBackend::new(counter.clone());
    let mut term = Terminal::with_options(
        backend,
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 160, 48)),
        },
    )
    .unwrap();
    let now = Timestamp::default();
    term.draw(|f| {
        roundtable::ui::render(
            f,
            &model.app,
            &model.session.read(),
            now,
            &roundtable::ui::Theme::default(),
        )
    })
    .unwrap();
    let mut per_char = Vec::new();
    for c in "Nobody asked me what I needed".chars() {
        let before = counter.0.get();
        update(
            &mut model,
            Msg::Key(crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char(c),
                crossterm::event::KeyModifiers::NONE,
            )),
            now,
        );
        term.draw(|f| {
            roundtable::ui::render(
                f,
                &model.app,
                &model.session.read(),
                now,
                &roundtable::ui::Theme::default(),
            )
        })
        .unwrap();
        per_char.push(counter.0.get() - before);
    }
    per_char.sort();

    // Commit one statement (append + fsync), 1,000 times, on a copy.
    let copy = std::env::temp_dir().join(format!("roundtable-measure-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    roundtable::ops::generate::write(
        &copy,
        roundtable::ops::generate::Spec {
            statements: 10,
            rounds: 1,
            concepts: 1,
            records: 0,
            live: false,
            after_snapshot: 0,
        },
    )
    .unwrap();
    let (mut w, _) = store::Writer::open(&copy, now).unwrap();
    w.snapshot_every = 0;
    let mut times = Vec::new();
    for n in 0..1000 {
        let e = roundtable::domain::Event::StatementAdded {
            id: format!("x{n}").as_str().into(),
            kind: roundtable::domain::StatementKind::Quote,
            speaker: roundtable::domain::Speaker::Group,
            stage: None,
            text: "A statement of ordinary length, as a note-taker would type it in the room."
                .into(),
            tags: vec![],
            captured_by: "n".into(),
            at: now,
        };
        let t = Instant::now();
        w.record("n", now, &e).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    drop(w);
    let _ = std::fs::remove_dir_all(&copy);
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "commit one statement (append + fsync), 1,000 commits: p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
        times[500], times[990], times[999]
    );
    println!(
        "bytes written per typed character at 160×48: median {}, max {}",
        per_char[per_char.len() / 2],
        per_char[per_char.len() - 1]
    );
}
