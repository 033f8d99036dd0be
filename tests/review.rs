//! The review screens: snapshots of every view, and scrubbing behaviour.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use roundtable::app::review::{Review, Tab, View};
use roundtable::ui::{Theme, review};
use std::path::Path;

mod common;

fn press(r: &mut Review, codes: &[KeyCode]) {
    for c in codes {
        r.key(KeyEvent::new(*c, KeyModifiers::NONE));
    }
}

fn draw(r: &Review, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| review::render(f, r, &Theme::default()))
        .unwrap();
    // A folder is shown as the system writes it: the snapshots keep `/`.
    common::screen_text(&term).replace("sessions\\", "sessions/")
}

fn opened() -> Review {
    let mut r = Review::new(Path::new("sessions"));
    press(&mut r, &[KeyCode::Enter]);
    assert!(matches!(r.view, View::Session(_)), "{:?}", r.message);
    r
}

/// Snapshots at 80×24 and 160×48; at those and 100×30 and 120×36 no
/// title is cut mid-word (issue 31, item 16).
fn both(name: &str, r: &Review) {
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), draw(r, w, h));
    }
    for (w, h) in [(80, 24), (100, 30), (120, 36), (160, 48)] {
        common::titles_whole(&draw(r, w, h), &format!("{name} at {w}×{h}"));
    }
}

#[test]
fn the_session_browser() {
    let r = Review::new(Path::new("sessions"));
    both("review_browser", &r);
    let mut r = Review::new(Path::new("sessions"));
    press(
        &mut r,
        &[
            KeyCode::Char('/'),
            KeyCode::Char('z'),
            KeyCode::Char('z'),
            KeyCode::Enter,
        ],
    );
    assert!(draw(&r, 80, 24).contains("No sessions match"));
    press(
        &mut r,
        &[KeyCode::Char('/'), KeyCode::Backspace, KeyCode::Backspace],
    );
    for c in "hospital".chars() {
        press(&mut r, &[KeyCode::Char(c)]);
    }
    assert!(draw(&r, 80, 24).contains("CAG roundtable: early findings on leaving hospital"));
}

#[test]
fn every_view_at_the_end_of_the_session() {
    let mut r = opened();
    for (i, tab) in Tab::ALL.iter().enumerate() {
        press(&mut r, &[KeyCode::Char(char::from(b'1' + i as u8))]);
        both(&format!("review_{}_end", tab.title().to_lowercase()), &r);
    }
}

#[test]
fn every_view_mid_session() {
    let mut r = opened();
    // Just after the first round (v1) opened: its results are hidden.
    press(
        &mut r,
        &[
            KeyCode::Home,
            KeyCode::Char('v'),
            KeyCode::Right,
            KeyCode::Right,
        ],
    );
    for (i, tab) in Tab::ALL.iter().enumerate() {
        press(&mut r, &[KeyCode::Char(char::from(b'1' + i as u8))]);
        both(&format!("review_{}_mid", tab.title().to_lowercase()), &r);
    }
}

#[test]
fn scrubbing_shows_the_session_as_it_stood() {
    let mut r = opened();
    press(&mut r, &[KeyCode::Char('4')]);
    let end = draw(&r, 160, 48);
    assert!(end.contains("agree") && end.contains(" 7"), "{end}");
    press(&mut r, &[KeyCode::Home]);
    let start = draw(&r, 160, 48);
    assert!(start.contains("No vote rounds at this point"), "{start}");
    press(&mut r, &[KeyCode::Char('v')]);
    let View::Session(l) = &r.view else { panic!() };
    assert_eq!(l.session.rounds.len(), 1, "v jumps to the first vote");
    let first_vote = l.cursor;
    press(&mut r, &[KeyCode::Left]);
    let View::Session(l) = &r.view else { panic!() };
    assert_eq!(l.session.rounds.len(), 0);
    assert_eq!(l.cursor, first_vote - 1);
    press(&mut r, &[KeyCode::End]);
    let View::Session(l) = &r.view else { panic!() };
    assert_eq!(l.cursor, l.records.len());
    assert_eq!(l.session.statements.len(), 16);
    // Scrubbing far back and forth agrees with a straight replay.
    let mut r2 = opened();
    press(
        &mut r2,
        &[
            KeyCode::Home,
            KeyCode::PageDown,
            KeyCode::PageDown,
            KeyCode::PageDown,
        ],
    );
    let View::Session(l2) = &r2.view else {
        panic!()
    };
    let straight =
        roundtable::domain::Session::replay(l2.records[..l2.cursor].iter().map(|r| &r.event))
            .unwrap();
    assert_eq!(
        ron::to_string(&l2.session).unwrap(),
        ron::to_string(&straight).unwrap()
    );
}

#[test]
fn review_reads_a_session_while_another_process_writes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("live");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        "sessions/2026-03-14-cag-findings/journal.ron",
        dir.join("journal.ron"),
    )
    .unwrap();
    let (mut writer, _) =
        roundtable::store::Writer::open(&dir, roundtable::domain::Timestamp::from_unix_millis(0))
            .unwrap();
    let mut r = Review::new(tmp.path());
    r.open(&dir);
    let View::Session(l) = &r.view else {
        panic!("{:?}", r.message)
    };
    assert_eq!(l.records.len(), 141);
    // The writer carries on; `r` reloads and sees the new record.
    writer
        .record(
            "facilitator",
            roundtable::domain::Timestamp::from_unix_millis(1),
            &roundtable::domain::Event::MemoAdded {
                id: "m9".into(),
                kind: roundtable::domain::MemoKind::Process,
                text: "still going".into(),
                stage: None,
                by: "f".into(),
                at: roundtable::domain::Timestamp::from_unix_millis(1),
            },
        )
        .unwrap();
    press(&mut r, &[KeyCode::Char('r')]);
    let View::Session(l) = &r.view else { panic!() };
    assert_eq!(l.records.len(), 142);
    assert!(r.message.as_deref().unwrap_or("").contains("142 records"));
}

/// A snapshot that does not match its journal (resealed by a forger): the
/// Integrity tab gives `verify`'s verdict, FAILED, never "verified".
#[test]
fn the_integrity_tab_and_verify_give_one_verdict() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    common::copy_example(&dir);
    common::forge_snapshot(
        &dir,
        "Nobody told me I was going home",
        "Everybody told me I was going home",
    );
    let v = roundtable::store::verify(&dir).unwrap();
    assert!(!v.passed(), "verify fails: {v:?}");
    let mut r = Review::new(tmp.path());
    press(&mut r, &[KeyCode::Enter]);
    let integrity = Tab::ALL
        .iter()
        .position(|t| t.title() == "Integrity")
        .expect("an Integrity tab");
    press(&mut r, &[KeyCode::Char(char::from(b'1' + integrity as u8))]);
    let screen = draw(&r, 160, 48);
    assert!(screen.contains("verification FAILED"), "{screen}");
    assert!(!screen.contains("✓ verified"), "{screen}");
    assert!(screen.contains("does not match"), "{screen}");
}

/// The session list's filter, offered again on `/`, is typed over rather
/// than appended to (issue 31, item 7).
#[test]
fn the_filter_offered_again_is_typed_over() {
    let mut r = Review::new(Path::new("sessions"));
    press(
        &mut r,
        &[
            KeyCode::Char('/'),
            KeyCode::Char('z'),
            KeyCode::Char('z'),
            KeyCode::Enter,
        ],
    );
    assert!(draw(&r, 80, 24).contains("No sessions match"));
    press(&mut r, &[KeyCode::Char('/')]);
    for c in "hospital".chars() {
        press(&mut r, &[KeyCode::Char(c)]);
    }
    let shown = draw(&r, 80, 24);
    assert!(shown.contains("filter: hospital"), "{shown}");
    assert!(
        shown.contains("CAG roundtable: early findings on leaving hospital"),
        "{shown}"
    );
}

/// Review's synthesis view keeps every id and quote in its column: a cell
/// ends "…" after its last whole id, and a long quote wraps under itself
/// (an id wrapped to the first column) (issue 31, item 8).
#[test]
fn the_review_grid_and_quotes_stay_in_their_columns() {
    let mut r = opened();
    press(&mut r, &[KeyCode::Char('5')]);
    for (w, h) in [(80, 24), (160, 48)] {
        let shown = draw(&r, w, h);
        for line in shown.lines().filter(|l| l.starts_with('│')) {
            let inside = line.trim_start_matches('│');
            let first = inside.split_whitespace().next().unwrap_or("");
            // A row starts with a concept, an interpretation, a heading, or
            // is indented: never a stray piece of a quote at column 0.
            assert!(
                inside.starts_with(' ')
                    || first == "concept"
                    || first.starts_with('c') && first[1..].chars().all(|c| c.is_ascii_digit())
                    || first.starts_with('i') && first[1..].chars().all(|c| c.is_ascii_digit()),
                "at {w}×{h}: {line:?}\n{shown}"
            );
        }
    }
}

/// Issue 33: review of the staff study breaks its votes, grid and measures
/// down by sector (the room's natural breakdown), then with `b` by level
/// and by role group; every figure by sector names the sectors.
#[test]
fn review_breaks_a_staff_study_down_by_sector_and_level() {
    let tmp = tempfile::tempdir().unwrap();
    common::grid::grid_session(tmp.path());
    let mut r = Review::new(tmp.path());
    press(&mut r, &[KeyCode::Enter]);
    assert!(matches!(r.view, View::Session(_)), "{:?}", r.message);
    press(&mut r, &[KeyCode::Char('4')]);
    both("review_grid_votes_by_sector", &r);
    let votes = draw(&r, 160, 48);
    for want in ["NHS", "Local Authority", "VCSE"] {
        assert!(votes.contains(want), "{want}:\n{votes}");
    }
    press(&mut r, &[KeyCode::Char('7')]);
    both("review_grid_measures_by_sector", &r);
    let measures = draw(&r, 160, 48);
    assert!(measures.contains("by sector"), "{measures}");
    assert!(
        measures.contains("  Local Authority "),
        "a whole label: {measures}"
    );
    assert!(
        !measures.contains("no sector"),
        "nobody is off the grid: {measures}"
    );
    press(&mut r, &[KeyCode::Char('b')]);
    both("review_grid_measures_by_level", &r);
    let by_level = draw(&r, 160, 48);
    assert!(by_level.contains("  front line "), "{by_level}");
    press(&mut r, &[KeyCode::Char('5')]);
    both("review_grid_synthesis_by_level", &r);
    assert!(draw(&r, 160, 48).contains("front line"));
    press(&mut r, &[KeyCode::Char('b')]);
    assert!(draw(&r, 160, 48).contains("staff"), "role group");
}
