//! What a participant was promised, checked on every path a session's
//! words take: every export (md, html, csv, qdpx; for the researcher and
//! for the group; with and without names), `show`, every screen of every
//! seat at 80×24 and 160×48, and what a phone is sent. One session holds
//! a participant who declined (P7), one who withdrew mid-session (P3), a
//! retracted statement that names a place, an amendment that took a
//! business's name out, a corrected speaker, a hidden round still open
//! and ballots from everyone (`common::privacy`).
//!
//! The checker (`privacy::leaks`) searches every byte of every file (each
//! entry of a qdpx, unpacked) and every rendered cell; a hidden round's
//! individual choices are looked for by recording the same ballots with
//! the choices swapped between people, and asking that nothing differs.

mod common;
use common::privacy::{self, HIDDEN_CHOICES, explain, hidden_swapped, leaks};
use common::{screen_text, succeeds, t, update_on};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use roundtable::app::actions::{Seat, SynthView};
use roundtable::app::keymap::Keymap;
use roundtable::app::synthesis::Pane;
use roundtable::app::{App, Msg, Screen};
use roundtable::domain::{Event, RoomView, RoundId, Session, Timestamp};
use roundtable::ui::{self, Theme};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_roundtable");

// ---------------------------------------------------------------- files

/// Every file under `dir`, each as (name, text): a qdpx is unpacked and
/// each of its entries read, so nothing compressed is missed.
fn files_in(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            let name = p.strip_prefix(dir).unwrap().display().to_string();
            if p.extension().is_some_and(|x| x == "qdpx" || x == "xlsx") {
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
                for i in 0..zip.len() {
                    let mut f = zip.by_index(i).unwrap();
                    let mut b = Vec::new();
                    std::io::Read::read_to_end(&mut f, &mut b).unwrap();
                    let mut text = String::from_utf8_lossy(&b).into_owned();
                    // A spreadsheet's words are its cells' text: its tags'
                    // attributes name cells (`r="P3"`), not people.
                    if p.extension().is_some_and(|x| x == "xlsx") {
                        text = text_of_xml(&text);
                    }
                    out.insert(format!("{name}!{}", f.name().unwrap()), text);
                }
            } else {
                out.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    out
}

/// The text of an XML document, its tags left out.
fn text_of_xml(xml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

struct Written {
    _tmp: tempfile::TempDir,
    sessions: PathBuf,
    dir: PathBuf,
}

fn written(hidden: &[(&str, u8)]) -> Written {
    let tmp = tempfile::tempdir().unwrap();
    let sessions = tmp.path().join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let dir = sessions.join("2026-03-14-leaving-hospital");
    privacy::write(&dir, hidden);
    Written {
        _tmp: tmp,
        sessions,
        dir,
    }
}

fn roundtable(w: &Written, args: &[&str]) -> std::process::Output {
    succeeds(
        Command::new(BIN)
            .arg("--sessions")
            .arg(&w.sessions)
            .args(args),
    )
}

/// Every export there is, each into a folder of its own named by what it
/// was asked: `md researcher names`, `csv plain`, …
fn every_export(w: &Written) -> BTreeMap<String, String> {
    every_export_of(w, &w.dir)
}

/// [`every_export`] of the session or workspace at `dir`.
fn every_export_of(w: &Written, dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let session = dir.to_str().unwrap();
    for format in ["md", "html", "csv", "xlsx", "qdpx"] {
        let audiences: &[&str] = if matches!(format, "md" | "html") {
            &["researcher", "group"]
        } else {
            &["researcher"]
        };
        for audience in audiences {
            for names in [false, true] {
                let label = format!(
                    "{format} {audience} {}",
                    if names { "names" } else { "plain" }
                );
                let dest = w.sessions.join("out").join(label.replace(' ', "-"));
                std::fs::create_dir_all(&dest).unwrap();
                let mut args = vec![
                    "export", session, "--format", format, "--for", audience, "--out",
                ];
                let dest_arg = format!("{}/", dest.display());
                args.push(&dest_arg);
                if names {
                    args.push("--names");
                }
                roundtable(w, &args);
                for (file, text) in files_in(&dest) {
                    out.insert(format!("{label}: {file}"), text);
                }
            }
        }
    }
    out
}

/// Whether an export file may name everyone: the involvement record, an
/// administrative file for paying and thanking people, holding no words.
fn names_everyone(file: &str) -> bool {
    file.ends_with("involvement.csv")
}

/// Every leak the checker finds in `exports`, as one failure.
fn assert_no_leaks(exports: &BTreeMap<String, String>) {
    let mut failures = Vec::new();
    for (file, text) in exports {
        let named = file.contains(" names");
        let pseudonyms = !names_everyone(file);
        let found = if names_everyone(file) {
            // Everyone who took part, by pseudonym (and name when asked):
            // words and tags never.
            leaks(text, false, named)
                .into_iter()
                .filter(|l| !l.starts_with("name:"))
                .collect()
        } else {
            leaks(text, pseudonyms, named)
        };
        if !found.is_empty() {
            failures.push(format!(
                "{file}: {found:?}\n{}",
                explain(text, pseudonyms, named)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_export_leaves_out_what_was_promised() {
    let w = written(&HIDDEN_CHOICES);
    let exports = every_export(&w);
    eprintln!("{} files from 12 exports", exports.len());
    assert!(exports.len() >= 20, "{:?}", exports.keys());
    assert_no_leaks(&exports);
    // What may be read is there: the checker is not passing empty files.
    for (file, text) in &exports {
        if file.ends_with(".md") || file.ends_with(".html") || file.ends_with("statements.csv") {
            assert!(
                text.contains("Waiting for the discharge letter felt endless"),
                "{file} holds a consenting participant's words"
            );
            assert!(
                text.contains("The pharmacist sorted my pills"),
                "{file} holds an amended statement's current wording"
            );
        }
        if file.contains(" names") && (file.ends_with(".md") || file.ends_with(".html")) {
            for n in privacy::CONSENTING_NAMES {
                assert!(text.contains(n), "{file} names {n}, who consented");
            }
        }
    }
}

#[test]
fn the_involvement_record_lists_everyone_who_took_part_and_no_words() {
    let w = written(&HIDDEN_CHOICES);
    let exports = every_export(&w);
    let plain = exports
        .iter()
        .find(|(f, _)| f.starts_with("csv researcher plain") && names_everyone(f))
        .map(|(_, t)| t)
        .expect("involvement.csv");
    for p in ["P1", "P2", "P3", "P4", "P7"] {
        assert!(plain.contains(&format!(",{p},")), "{p} is paid:\n{plain}");
    }
    let named = exports
        .iter()
        .find(|(f, _)| f.starts_with("csv researcher names") && names_everyone(f))
        .map(|(_, t)| t)
        .expect("involvement.csv with names");
    assert!(named.contains("Quillfeather"), "{named}");
}

#[test]
fn a_hidden_round_still_open_shows_nobodys_choice_in_any_export() {
    let a = every_export(&written(&HIDDEN_CHOICES));
    let b = every_export(&written(&hidden_swapped()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    // The journals differ, so their head hashes do: nothing else may.
    let hashless = |t: &str| {
        let mut out = String::with_capacity(t.len());
        let mut run = String::new();
        for c in t.chars() {
            if c.is_ascii_hexdigit() && !c.is_ascii_uppercase() {
                run.push(c);
                continue;
            }
            out.push_str(if run.len() == 64 { "<hash>" } else { &run });
            run.clear();
            out.push(c);
        }
        out.push_str(if run.len() == 64 { "<hash>" } else { &run });
        out
    };
    for (file, text) in &a {
        let (text, other) = (hashless(text), hashless(&b[file]));
        assert!(
            text == other,
            "{file} changes when the same people's hidden choices are swapped:\n{}",
            first_difference(&text, &other)
        );
    }
}

fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .find(|(x, y)| x != y)
        .map(|(x, y)| format!("- {x}\n+ {y}"))
        .unwrap_or_else(|| "(lengths differ)".into())
}

#[test]
fn show_follows_the_exports_rules_and_the_data_controller_asks_for_everything() {
    let w = written(&HIDDEN_CHOICES);
    let session = w.dir.to_str().unwrap();
    let out = roundtable(&w, &["show", session]);
    let text = String::from_utf8_lossy(&out.stdout);
    let found = leaks(&text, true, false);
    assert!(
        found.is_empty(),
        "show: {found:?}\n{}",
        explain(&text, true, false)
    );
    assert!(text.contains("Waiting for the discharge letter felt endless"));

    // The negative control: the data controller's view holds everything,
    // and the checker finds it.
    let out = roundtable(&w, &["show", session, "--all"]);
    let all = String::from_utf8_lossy(&out.stdout);
    let found = leaks(&all, true, false);
    for kind in ["words:", "tag:", "pseudonym:", "name:", "staff name:"] {
        assert!(
            found.iter().any(|f| f.starts_with(kind)),
            "show --all has {kind}: {found:?}"
        );
    }
    let top = all.lines().next().unwrap_or_default();
    assert!(
        top.contains("EVERYTHING") && top.contains("data controller"),
        "show --all says so at its top: {top}"
    );
}

// ---------------------------------------------------------------- screens

fn draw(app: &App, session: &Session, now: Timestamp, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| ui::render(f, app, session, now, &Theme::default()))
        .unwrap();
    screen_text(&term)
}

fn seat_app(seat: Seat) -> App {
    let mut app = App::new(Keymap::default().for_seat(seat), "facilitator");
    app.seat = seat;
    app
}

/// Every screen a seat can show, in every state that shows statements:
/// each statement selected in turn on capture and synthesis, each target
/// on the vote screen, each view of the synthesis screen, and what every
/// projector is told to show. Each at 80×24 and 160×48.
fn every_screen(seat: Seat, session: &Session, now: Timestamp) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut shot = |name: String, app: &App, s: &Session| {
        for (w, h) in [(80, 24), (160, 48)] {
            out.push((format!("{seat:?} {name} {w}x{h}"), draw(app, s, now, w, h)));
        }
    };
    let ids: Vec<_> = session.statements.keys().cloned().collect();
    let screens: &[Screen] = match seat {
        Seat::Viewer => &[Screen::Projector],
        _ => &Screen::ALL,
    };
    for screen in screens {
        let mut app = seat_app(seat);
        app.screen = *screen;
        shot(format!("{screen:?}"), &app, session);
        match screen {
            Screen::Capture => {
                for id in &ids {
                    app.capture.selected = Some(id.clone());
                    shot(format!("Capture selected {id}"), &app, session);
                }
            }
            Screen::Vote => {
                // Each target the facilitator can choose, with no round
                // open (the setup form), then the open round.
                let mut setup = session.clone();
                close_open_rounds(&mut setup);
                for target in 0..ids.len() + 3 {
                    app.vote.target = target;
                    shot(format!("Vote target {target}"), &app, &setup);
                }
                for cursor in 0..session.participants.len() {
                    app.vote.cursor = cursor;
                    shot(format!("Vote cursor {cursor}"), &app, session);
                }
            }
            Screen::Synthesis => {
                for view in [SynthView::Link, SynthView::Grid, SynthView::Interpretations] {
                    app.synthesis.view = view;
                    for pane in [Pane::Concepts, Pane::Statements] {
                        app.synthesis.pane = pane;
                        for i in 0..ids.len() {
                            app.synthesis.statement = i;
                            app.synthesis.concept = i % 2;
                            shot(format!("Synthesis {view:?} {pane:?} {i}"), &app, session);
                        }
                    }
                }
            }
            Screen::Projector => {
                let views = [
                    RoomView::Results(RoundId::new("v1")),
                    RoomView::Interpretation("i1".into()),
                    RoomView::Summary,
                    RoomView::Frozen(Some("st7".into())),
                ]
                .into_iter()
                .chain(ids.iter().map(|id| RoomView::Statement(id.clone())));
                for view in views {
                    let mut s = session.clone();
                    let shows = Event::RoomShows {
                        view: view.clone(),
                        at: now,
                    };
                    if s.apply(&shows).is_ok() {
                        shot(format!("Projector showing {view:?}"), &app, &s);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The session with every open round closed (so the vote screen shows its
/// setup form).
fn close_open_rounds(s: &mut Session) {
    let open: Vec<RoundId> = s
        .rounds
        .values()
        .filter(|r| r.is_open())
        .map(|r| r.id.clone())
        .collect();
    for round in open {
        s.apply(&Event::VoteClosed { round, at: t(4000) }).unwrap();
    }
}

fn now() -> Timestamp {
    t(600)
}

#[test]
fn no_screen_of_any_seat_shows_what_was_withheld() {
    let session = privacy::session(&HIDDEN_CHOICES);
    let mut failures = Vec::new();
    let mut shots = 0;
    for seat in [Seat::Host, Seat::NoteTaker, Seat::Viewer] {
        for (name, text) in every_screen(seat, &session, now()) {
            shots += 1;
            let found = leaks(&text, false, false);
            if !found.is_empty() {
                failures.push(format!(
                    "{name}: {found:?}\n{}",
                    explain(&text, false, false)
                ));
            }
        }
    }
    assert!(shots > 200, "{shots} screens looked at");
    assert!(
        failures.is_empty(),
        "{} of {shots} screens leak:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn no_screen_shows_a_hidden_rounds_choices_before_it_closes() {
    let a = privacy::session(&HIDDEN_CHOICES);
    let b = privacy::session(&hidden_swapped());
    for seat in [Seat::Host, Seat::NoteTaker, Seat::Viewer] {
        let sa = every_screen(seat, &a, now());
        let sb = every_screen(seat, &b, now());
        for ((name, x), (_, y)) in sa.iter().zip(&sb) {
            // The setup form is drawn with every round closed.
            if name.contains("Vote target") {
                continue;
            }
            assert!(
                x == y,
                "{name} changes with the hidden choices:\n{}",
                first_difference(x, y)
            );
        }
    }
}

/// The privacy session with round v1 still open and shown live, its
/// ballots as given.
fn live_round(v1: &[(&str, roundtable::domain::Agreement)]) -> Session {
    let mut s = Session::default();
    for e in privacy::events(&HIDDEN_CHOICES) {
        match &e {
            Event::BallotCast { round, .. } if round.as_str() == "v1" => {}
            Event::VoteClosed { round, .. } if round.as_str() == "v1" => {
                for (who, a) in v1 {
                    s.apply(&Event::BallotCast {
                        round: RoundId::new("v1"),
                        participant: (*who).into(),
                        choice: roundtable::domain::Choice::Agreement(*a),
                        at: t(300),
                        recorded_by: "facilitator".into(),
                    })
                    .unwrap();
                }
                break;
            }
            _ => s.apply(&e).unwrap(),
        }
    }
    assert!(s.rounds["v1"].is_open());
    s
}

#[test]
fn a_live_round_is_no_roll_call_on_any_screen() {
    use roundtable::domain::Agreement::*;
    // P1 and P7 are both service users: swapping their choices leaves every
    // count by role group as it was, and only a roll-call would change.
    let a = live_round(&[("P1", Agree), ("P2", Disagree), ("P7", Disagree)]);
    let b = live_round(&[("P1", Disagree), ("P2", Disagree), ("P7", Agree)]);
    for seat in [Seat::Host, Seat::NoteTaker, Seat::Viewer] {
        let mut app = seat_app(seat);
        for screen in Screen::ALL {
            app.screen = screen;
            for cursor in 0..5 {
                app.vote.cursor = cursor;
                for (w, h) in [(80, 24), (160, 48)] {
                    let x = draw(&app, &a, now(), w, h);
                    let y = draw(&app, &b, now(), w, h);
                    assert!(
                        x == y,
                        "{seat:?} {screen:?} at {w}x{h} names who chose what:\n{}\n{x}",
                        first_difference(&x, &y)
                    );
                }
            }
        }
    }
    // The counts by role group are there: one agree and one disagree among
    // service users.
    let mut app = seat_app(Seat::Host);
    app.screen = Screen::Vote;
    let shown = draw(&app, &a, now(), 160, 48);
    assert!(shown.contains("✓ voted"), "{shown}");
}

#[test]
fn the_reveal_key_shows_words_on_this_screen_only_for_a_while_under_a_banner() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let session = privacy::session(&HIDDEN_CHOICES);
    let mut app = seat_app(Seat::Host);
    app.screen = Screen::Capture;
    app.capture.selected = Some("st2".into());
    let before = draw(&app, &session, now(), 80, 24);
    assert!(before.contains("[P7 · no consent: not shown]"), "{before}");
    let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    update_on(&mut app, &session, key(KeyCode::F(8)), now());
    let revealed = draw(&app, &session, now(), 80, 24);
    // The negative control for screens: revealed, the checker finds them.
    assert!(
        leaks(&revealed, false, false)
            .iter()
            .any(|l| l == "words: Rosebank"),
        "{revealed}"
    );
    assert!(revealed.contains("PRIVATE"), "{revealed}");
    // Not sticky: a while later, or at the next key, it is gone.
    let later = draw(&app, &session, now().plus_secs(11), 80, 24);
    update_on(&mut app, &session, Msg::Tick, now().plus_secs(11));
    let ticked = draw(&app, &session, now().plus_secs(11), 80, 24);
    assert!(leaks(&later, false, false).is_empty(), "{later}");
    assert!(leaks(&ticked, false, false).is_empty(), "{ticked}");
    update_on(&mut app, &session, key(KeyCode::F(8)), now());
    update_on(&mut app, &session, key(KeyCode::PageUp), now());
    let moved = draw(&app, &session, now(), 80, 24);
    assert!(leaks(&moved, false, false).is_empty(), "{moved}");

    // Never on a viewer (a projector), which has no key for it.
    let mut viewer = seat_app(Seat::Viewer);
    viewer.capture.selected = Some("st2".into());
    update_on(&mut viewer, &session, key(KeyCode::F(8)), now());
    for screen in Screen::ALL {
        viewer.screen = screen;
        let shown = draw(&viewer, &session, now(), 160, 48);
        assert!(leaks(&shown, false, false).is_empty(), "{shown}");
    }
}

/// A phone's statement from P7, who did not consent, waiting on a
/// terminal's screens.
fn waiting_from_p7(app: &mut App) {
    use roundtable::live::{PhoneRoom, Said, SaidStatus};
    app.phones = Some(PhoneRoom {
        url: "http://127.0.0.1:8080/#key".into(),
        connected: vec!["P1".into()],
        unnamed: 1,
        closed: false,
        nameless: false,
        waiting: vec![Said {
            id: 1,
            participant: Some("P7".into()),
            from: "P7".into(),
            text: "Tell them about Rosebank Court".into(),
            status: SaidStatus::Waiting,
        }],
        ..PhoneRoom::default()
    });
}

#[test]
fn a_phones_statement_from_someone_not_shown_waits_for_the_reveal_key() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let session = privacy::session(&HIDDEN_CHOICES);
    let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    for seat in [Seat::Host, Seat::NoteTaker] {
        let mut app = seat_app(seat);
        waiting_from_p7(&mut app);
        app.screen = Screen::Capture;
        update_on(&mut app, &session, key(KeyCode::F(7)), now());
        for (w, h) in [(80, 24), (160, 48)] {
            let shown = draw(&app, &session, now(), w, h);
            assert!(shown.contains("[P7 · no consent: not shown]"), "{shown}");
            assert!(leaks(&shown, false, false).is_empty(), "{seat:?}:\n{shown}");
        }
        update_on(&mut app, &session, key(KeyCode::F(8)), now());
        let revealed = draw(&app, &session, now(), 80, 24);
        assert!(
            revealed.contains("Rosebank") && revealed.contains("PRIVATE"),
            "{revealed}"
        );
        let later = draw(&app, &session, now().plus_secs(11), 80, 24);
        assert!(leaks(&later, false, false).is_empty(), "{later}");
    }
}

// ---------------------------------------------------------------- phones

#[test]
fn a_phone_is_sent_nothing_that_was_withheld() {
    use roundtable::net::phones::room::{Ask, Envelope, Room, Step};
    let mut seen = Vec::new();
    for (label, hidden) in [
        ("as recorded", HIDDEN_CHOICES.to_vec()),
        ("swapped", hidden_swapped()),
    ] {
        let session = privacy::session(&hidden);
        let mut room = Room::default();
        let mut sent = Vec::new();
        let mut n = 0;
        let mut ask = |room: &mut Room, phone: Option<&str>, ask: Ask, token: &str| {
            n += 1;
            room.handle(
                &session,
                Envelope {
                    n,
                    phone: phone.map(str::to_owned),
                    ask,
                },
                token,
                std::time::Instant::now(),
            )
        };
        for step in [
            ask(&mut room, None, Ask::Hello, "a"),
            ask(
                &mut room,
                None,
                Ask::Join {
                    participant: Some("P1".into()),
                },
                "p1",
            ),
        ] {
            match step {
                Step::Answer(v) => sent.push(v.to_string()),
                other => panic!("{other:?}"),
            }
        }
        sent.push(room.view(&session, "p1", now(), 40).to_string());
        for text in &sent {
            let found = leaks(text, false, false);
            assert!(
                found.is_empty(),
                "{label}: a phone is sent {found:?}: {text}"
            );
        }
        seen.push(sent);
    }
    // Nothing a phone is sent depends on the hidden choices.
    assert_eq!(seen[0], seen[1]);
}

// ---------------------------------------------------------------- review

#[test]
fn the_review_shows_withheld_statements_as_placeholders_at_every_record() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use roundtable::app::review::{Review, Tab, View};
    let w = written(&HIDDEN_CHOICES);
    let mut r = Review::new(&w.sessions);
    r.key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert!(matches!(r.view, View::Session(_)), "{:?}", r.message);
    let mut looked = 0;
    // Withheld words, their tags and names: the review keeps an amended
    // statement's earlier wording (the data controller reads its history
    // there), so that is not looked for.
    let withheld = |text: &str| -> Vec<String> {
        leaks(text, false, true)
            .into_iter()
            .filter(|l| !l.contains("Fenwick") && !l.contains("Boots") && !l.contains("boots-"))
            .collect()
    };
    for at in [
        KeyCode::End,
        KeyCode::Home,
        KeyCode::PageDown,
        KeyCode::PageDown,
        KeyCode::PageDown,
    ] {
        r.key(KeyEvent::new(at, KeyModifiers::NONE));
        for tab in Tab::ALL {
            if let View::Session(l) = &mut r.view {
                l.tab = tab;
            }
            for (width, height) in [(80, 24), (160, 48)] {
                let mut term = Terminal::new(TestBackend::new(width, height)).unwrap();
                term.draw(|f| roundtable::ui::review::render(f, &r, &Theme::default()))
                    .unwrap();
                let text = screen_text(&term);
                looked += 1;
                let found = withheld(&text);
                assert!(
                    found.is_empty(),
                    "{tab:?} at {width}x{height}: {found:?}\n{text}"
                );
            }
        }
    }
    assert_eq!(looked, 70);
}

#[test]
fn a_round_opened_named_shows_who_chose_what_and_every_projector_says_so() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut s = privacy::session(&HIDDEN_CHOICES);
    close_open_rounds(&mut s);
    let key = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let mut app = seat_app(Seat::Host);
    app.screen = Screen::Vote;
    update_on(&mut app, &s, key('w'), now());
    let setup = draw(&app, &s, now(), 80, 24);
    assert!(setup.contains("shown by name"), "{setup}");
    let fx = update_on(&mut app, &s, key('o'), now());
    let opened = fx
        .iter()
        .find_map(|e| match e {
            roundtable::app::Effect::Record {
                event: ev @ Event::VoteOpened { named: true, .. },
                ..
            } => Some(ev.clone()),
            _ => None,
        })
        .expect("the round opens named");
    s.apply(&opened).unwrap();
    let round = s.round_open_now().unwrap().id.clone();
    for (who, a) in [("P1", "Agree"), ("P7", "Disagree")] {
        s.apply(&Event::BallotCast {
            round: round.clone(),
            participant: who.into(),
            choice: roundtable::domain::Choice::Agreement(match a {
                "Agree" => roundtable::domain::Agreement::Agree,
                _ => roundtable::domain::Agreement::Disagree,
            }),
            at: now(),
            recorded_by: "facilitator".into(),
        })
        .unwrap();
    }
    let shown = draw(&app, &s, now(), 160, 48);
    let row = |p: &str| {
        shown
            .lines()
            .find(|l| l.contains(&format!(" {p}  ")) && l.contains('✓'))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(row("P1").contains("✓ agree"), "{shown}");
    // P7 did not consent to be shown: named or not, only that they voted.
    assert!(row("P7").contains("✓ voted"), "{shown}");
    for seat in [Seat::Host, Seat::Viewer] {
        let mut wall = seat_app(seat);
        wall.screen = Screen::Projector;
        let projected = draw(&wall, &s, now(), 160, 48);
        assert!(
            projected.contains("NAMED: who chose what is shown"),
            "{projected}"
        );
    }
}

#[test]
fn a_withheld_statement_cannot_be_put_on_every_projector() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let s = privacy::session(&HIDDEN_CHOICES);
    for id in ["st2", "st3", "st4"] {
        let mut app = seat_app(Seat::Host);
        app.screen = Screen::Capture;
        app.capture.selected = Some(id.into());
        let fx = update_on(
            &mut app,
            &s,
            Msg::Key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL)),
            now(),
        );
        assert!(
            !fx.iter()
                .any(|e| matches!(e, roundtable::app::Effect::Record { .. })),
            "{id} would have gone on the wall"
        );
        let said = app
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default();
        assert!(said.contains("is not shown to the room"), "{said}");
    }
}

/// The phone page in Debian's Chromium, at a phone's width and a wide one,
/// on the privacy session hosted with phones: the join view and the room
/// after joining as P1 hold nothing withheld (the page's whole document,
/// shown or hidden, is searched).
#[test]
fn the_phone_page_in_a_real_browser_shows_nothing_withheld() {
    use roundtable::live::Listen;
    let readers = std::env::var_os("ROUNDTABLE_READERS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/readers"),
        PathBuf::from,
    );
    assert!(
        readers.join("node_modules/playwright-core").exists(),
        "playwright-core is not under {} (./run-tests installs it with npm)",
        readers.display()
    );
    let w = written(&HIDDEN_CHOICES);
    let (writer, _) = roundtable::store::Writer::open(&w.dir, t(700)).unwrap();
    let hosting = roundtable::live::host(
        writer,
        "facilitator".into(),
        Listen {
            lan: None,
            phones: Some("127.0.0.1:0".parse().unwrap()),
        },
    );
    let phones = hosting.phones.unwrap().unwrap();
    let mut replies = hosting.replies;
    std::thread::spawn(move || while replies.blocking_recv().is_some() {});
    let mut node = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/read.cjs"))
        .arg(&phones.url)
        .arg("P1")
        .arg(&readers)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs (./run-tests installs it)");
    // The facilitator lets each of P1's phones in as it asks.
    let mut text = String::new();
    for line in std::io::BufRead::lines(std::io::BufReader::new(node.stdout.take().unwrap())) {
        let line = line.unwrap();
        if line.starts_with("asking ") {
            let asking = phones.asking();
            phones.admit(asking[0].id, true).unwrap();
        } else {
            text.push_str(&line);
        }
    }
    let out = node.wait_with_output().unwrap();
    let seen: serde_json::Value = serde_json::from_str(text.trim())
        .unwrap_or_else(|_| panic!("{text}\n{}", String::from_utf8_lossy(&out.stderr)));
    assert!(seen["error"].is_null(), "{seen:#}");
    let views = seen["views"].as_object().unwrap();
    assert_eq!(views.len(), 6, "{:?}", views.keys());
    for (view, page) in views {
        let page = page.as_str().unwrap();
        assert!(
            page.contains("Leaving hospital"),
            "{view}: the room's stage is there"
        );
        let found = leaks(page, false, false);
        assert!(
            found.is_empty(),
            "{view}: {found:?}\n{}",
            explain(page, false, false)
        );
    }
    phones.stop();
}

// ---------------------------------------------------------------- workspace

/// The checker run on a cross-case workspace over this session (issue 32):
/// every export of the workspace, and every view of its review, keep what
/// the source promised, though the workspace codes every statement.
#[test]
fn a_workspace_over_the_session_keeps_every_promise_in_every_export_and_review_view() {
    use roundtable::domain::Event;
    let w = written(&HIDDEN_CHOICES);
    let source = w.dir.file_name().unwrap().to_str().unwrap().to_owned();
    let (mut ws, _, loaded) = roundtable::ops::workspace::open_workspace(
        &w.sessions,
        &[source],
        Some("workspace".into()),
        None,
        None,
        "researcher",
    )
    .unwrap();
    let every: Vec<roundtable::domain::StatementId> = ws.session().sources["A"]
        .statements
        .iter()
        .map(|id| format!("A.{id}").into())
        .collect();
    for e in [
        Event::ConceptCreated {
            id: "c1".into(),
            name: "Everything said".into(),
            description: String::new(),
        },
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: every,
        },
        Event::InterpretationDrafted {
            id: "i1".into(),
            text: "All of it together".into(),
            translations: vec![],
            concepts: vec!["c1".into()],
            statements: vec![],
            at: now(),
        },
    ] {
        ws.record("researcher", now(), &e).unwrap();
    }
    let dir = ws.dir().to_owned();
    // The workspace's own screen, live: every view and pane, each
    // statement selected in turn, at both sizes.
    let live = ws.session().clone();
    drop(ws);
    let mut app = seat_app(Seat::Host);
    app.sources = loaded;
    app.screen = Screen::Synthesis;
    let mut shots = 0;
    let mut words_seen = false;
    for view in [SynthView::Link, SynthView::Grid, SynthView::Interpretations] {
        app.synthesis.view = view;
        for pane in [Pane::Concepts, Pane::Statements] {
            app.synthesis.pane = pane;
            for i in 0..live.sources["A"].statements.len() {
                app.synthesis.statement = i;
                app.synthesis.concept = i % live.concepts.len().max(1);
                for (width, height) in [(80, 24), (160, 48)] {
                    let text = draw(&app, &live, now(), width, height);
                    shots += 1;
                    words_seen |= text.contains("Waiting for the discharge");
                    let found = leaks(&text, false, false);
                    assert!(
                        found.is_empty(),
                        "{view:?} {pane:?} {i} at {width}x{height}: {found:?}\n{text}"
                    );
                }
            }
        }
    }
    assert!(shots > 50, "{shots}");
    assert!(
        words_seen,
        "the sources' consenting words are on the screen"
    );
    let exports = every_export_of(&w, &dir);
    assert!(exports.len() >= 20, "{:?}", exports.keys());
    assert_no_leaks(&exports);
    // The checker is not passing empty files: the consenting words are
    // there, with their case.
    for (file, text) in &exports {
        if file.ends_with(".md") || file.ends_with(".html") || file.ends_with("statements.csv") {
            assert!(
                text.contains("Waiting for the discharge letter felt endless"),
                "{file} holds a consenting participant's words"
            );
            assert!(text.contains("A.st"), "{file} names the case");
        }
    }
    // Every view of its review, at both sizes.
    use roundtable::app::review::{Loaded, Review, Tab, View};
    let mut r = Review::new(&w.sessions);
    r.view = View::Session(Box::new(Loaded::open(&dir).unwrap()));
    for tab in Tab::ALL {
        if let View::Session(l) = &mut r.view {
            l.tab = tab;
        }
        for (width, height) in [(80, 24), (160, 48)] {
            let mut term = Terminal::new(TestBackend::new(width, height)).unwrap();
            term.draw(|f| roundtable::ui::review::render(f, &r, &Theme::default()))
                .unwrap();
            let text = screen_text(&term);
            // As in a session's review, an amended statement's earlier
            // wording is the data controller's to read there.
            let found: Vec<String> = leaks(&text, false, true)
                .into_iter()
                .filter(|l| !l.contains("Fenwick") && !l.contains("Boots") && !l.contains("boots-"))
                .collect();
            assert!(
                found.is_empty(),
                "{tab:?} at {width}x{height}: {found:?}\n{text}"
            );
        }
    }
}
