//! Every screen rendered at 80×24 and 160×48 from the example session as it
//! stood at moments of its journal. Text snapshots: what a person would read.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use roundtable::app::keymap::Keymap;
use roundtable::app::{App, Msg, Screen};
use roundtable::domain::{Event, Session, Timestamp};
use roundtable::store::record::decode;
use roundtable::ui::{self, Theme};

const JOURNAL: &str = include_str!("../sessions/2026-03-14-cag-findings/journal.ron");

/// The example replayed up to and including the first record for which
/// `stop` is true, and that record's time.
fn example_until(stop: impl Fn(&Event) -> bool) -> (Session, Timestamp) {
    let mut s = Session::default();
    let mut at = Timestamp::default();
    for line in JOURNAL.lines() {
        let r = decode(line.as_bytes()).unwrap();
        s.apply(&r.event).unwrap();
        at = r.at;
        if stop(&r.event) {
            break;
        }
    }
    (s, at)
}

fn nth_ballot_in(round: &'static str, n: usize) -> impl Fn(&Event) -> bool {
    let seen = std::cell::Cell::new(0);
    move |e| {
        if matches!(e, Event::BallotCast { round: r, .. } | Event::TallyRecorded { round: r, .. } if r.as_str() == round)
        {
            seen.set(seen.get() + 1);
        }
        seen.get() == n
    }
}

mod common;
use common::screen_text as text_of;
use common::update_on;

fn draw(app: &App, session: &Session, now: Timestamp, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| ui::render(f, app, session, now, &Theme::default()))
        .unwrap();
    text_of(&term)
}

fn app_on(screen: Screen) -> App {
    let mut app = App::new(Keymap::default(), "note-taker");
    app.screen = screen;
    app
}

fn press(app: &mut App, session: &Session, now: Timestamp, codes: &[KeyCode]) {
    for c in codes {
        update_on(
            app,
            session,
            Msg::Key(KeyEvent::new(*c, KeyModifiers::NONE)),
            now,
        );
    }
}

fn both_sizes(name: &str, app: &App, session: &Session, now: Timestamp) {
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), draw(app, session, now, w, h));
    }
}

fn mid_discussion() -> (Session, Timestamp) {
    let (s, at) =
        example_until(|e| matches!(e, Event::StatementAdded { id, .. } if id.as_str() == "st9"));
    (s, at.plus_secs(95))
}

#[test]
fn projector_during_discussion() {
    let (s, now) = mid_discussion();
    both_sizes("projector_discussion", &app_on(Screen::Projector), &s, now);
}

#[test]
fn projector_with_a_hidden_vote_open() {
    let (s, at) = example_until(nth_ballot_in("v5", 3));
    both_sizes(
        "projector_vote_hidden",
        &app_on(Screen::Projector),
        &s,
        at.plus_secs(20),
    );
}

#[test]
fn projector_over_time_and_paused() {
    let (s, at) = example_until(|e| matches!(e, Event::StageAdjusted { .. }));
    // Stage 2 had 15 + 5 minutes; 25 minutes after the extension it is over time.
    both_sizes(
        "projector_over_time",
        &app_on(Screen::Projector),
        &s,
        at.plus_secs(25 * 60),
    );
    let (s, at) = example_until(|e| matches!(e, Event::StagePaused { .. }));
    both_sizes(
        "projector_paused",
        &app_on(Screen::Projector),
        &s,
        at.plus_secs(60),
    );
}

#[test]
fn projector_when_every_stage_is_done() {
    let (s, at) = example_until(|_| false);
    both_sizes("projector_done", &app_on(Screen::Projector), &s, at);
}

#[test]
fn capture_while_typing() {
    let (s, now) = mid_discussion();
    let mut app = app_on(Screen::Capture);
    press(&mut app, &s, now, &[KeyCode::Tab, KeyCode::Tab]);
    update_on(
        &mut app,
        &s,
        Msg::Paste("The discharge lounge had nowhere to sit #barrier".into()),
        now,
    );
    press(&mut app, &s, now, &[KeyCode::PageUp, KeyCode::PageUp]);
    both_sizes("capture_typing", &app, &s, now);
}

#[test]
fn capture_with_a_save_in_flight_and_one_refused() {
    let (s, now) = mid_discussion();
    let mut app = app_on(Screen::Capture);
    update_on(
        &mut app,
        &s,
        Msg::Paste("Waiting for the pharmacy took all day".into()),
        now,
    );
    let fx = update_on(
        &mut app,
        &s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        now,
    );
    let roundtable::app::Effect::Record { token, .. } = fx[0].clone() else {
        panic!("{fx:?}")
    };
    update_on(
        &mut app,
        &s,
        Msg::Failed {
            token,
            error: "disk full; free some space".into(),
            retry: true,
        },
        now,
    );
    update_on(
        &mut app,
        &s,
        Msg::Paste("Transport came at 9pm".into()),
        now,
    );
    update_on(
        &mut app,
        &s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        now,
    );
    both_sizes("capture_unsaved", &app, &s, now);
}

#[test]
fn vote_screens() {
    let (s, at) = example_until(nth_ballot_in("v3", 5));
    both_sizes("vote_live_agree", &app_on(Screen::Vote), &s, at);
    let (s, at) = example_until(nth_ballot_in("v5", 3));
    both_sizes("vote_live_hidden", &app_on(Screen::Vote), &s, at);
    let (s, at) = example_until(nth_ballot_in("v4", 2));
    let mut app = app_on(Screen::Vote);
    press(
        &mut app,
        &s,
        at,
        &[
            KeyCode::Char('r'),
            KeyCode::Char('r'),
            KeyCode::Down,
            KeyCode::Char('3'),
        ],
    );
    both_sizes("vote_live_counted", &app, &s, at);
    let (s, at) = example_until(|_| false);
    let mut app = app_on(Screen::Vote);
    press(&mut app, &s, at, &[KeyCode::Char('m'), KeyCode::Char('h')]);
    both_sizes("vote_setup", &app, &s, at);
}

#[test]
fn agenda() {
    let (s, now) = mid_discussion();
    both_sizes("agenda_discussion", &app_on(Screen::Agenda), &s, now);
    let (s, at) = example_until(|_| false);
    both_sizes("agenda_done", &app_on(Screen::Agenda), &s, at);
}

#[test]
fn overlays() {
    let (s, now) = mid_discussion();
    let mut app = app_on(Screen::Capture);
    press(&mut app, &s, now, &[KeyCode::F(1)]);
    both_sizes("help_capture", &app, &s, now);
    let mut app = app_on(Screen::Projector);
    press(&mut app, &s, now, &[KeyCode::Char('n')]);
    both_sizes("confirm_next_stage", &app, &s, now);
    let mut app = app_on(Screen::Projector);
    press(&mut app, &s, now, &[KeyCode::Char('m'), KeyCode::Tab]);
    update_on(
        &mut app,
        &s,
        Msg::Paste("P1 was upset; I slowed down".into()),
        now,
    );
    both_sizes("memo_prompt", &app, &s, now);
}

#[test]
fn a_small_terminal_asks_to_be_enlarged() {
    let (s, now) = mid_discussion();
    for screen in Screen::ALL {
        let text = draw(&app_on(screen), &s, now, 50, 12);
        assert!(text.contains("Please enlarge the window"), "{text}");
    }
    for (w, h) in [(1, 1), (0, 0), (59, 30), (200, 17)] {
        let text = draw(&app_on(Screen::Projector), &s, now, w, h);
        assert!(
            w < 10 || h < 2 || text.contains("enlarge"),
            "{w}x{h}: {text}"
        );
    }
}

#[test]
fn very_large_terminals_work() {
    let (s, now) = example_until(nth_ballot_in("v5", 3));
    for screen in Screen::ALL {
        let text = draw(&app_on(screen), &s, now, 400, 120);
        assert!(text.contains("CAG roundtable: early findings on leaving hospital"));
    }
}

#[test]
fn the_session_picker() {
    use roundtable::app::picker::Picker;
    let draw_picker = |p: &Picker, w: u16, h: u16| {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| roundtable::ui::picker::render(p, f, &Theme::default()))
            .unwrap();
        text_of(&term)
    };
    let mut p = Picker::load(std::path::Path::new("sessions")).unwrap();
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("picker_{w}x{h}"), draw_picker(&p, w, h));
    }
    p.key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE));
    p.key(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE));
    p.key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    for c in "CAG: May meeting".chars() {
        p.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("picker_new_{w}x{h}"), draw_picker(&p, w, h));
    }
}

#[test]
fn synthesis_views() {
    let (s, at) = example_until(|_| false);
    let mut app = app_on(Screen::Synthesis);
    both_sizes("synthesis_link", &app, &s, at);
    press(&mut app, &s, at, &[KeyCode::Char('g')]);
    both_sizes("synthesis_grid_roles", &app, &s, at);
    press(&mut app, &s, at, &[KeyCode::Char('a')]);
    both_sizes("synthesis_grid_stages", &app, &s, at);
    let mut app = app_on(Screen::Synthesis);
    press(&mut app, &s, at, &[KeyCode::Char('i')]);
    for n in 1..=3 {
        both_sizes(&format!("synthesis_provenance_i{n}"), &app, &s, at);
        press(&mut app, &s, at, &[KeyCode::Down]);
    }
    // Shown on the projector with its supporting quotes: what the room sees
    // is recorded, so the session as saved decides it.
    let mut app = app_on(Screen::Synthesis);
    let mut s = s;
    for c in [KeyCode::Char('i'), KeyCode::Char('p'), KeyCode::F(2)] {
        let fx = update_on(
            &mut app,
            &s,
            Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)),
            at,
        );
        for e in fx {
            if let roundtable::app::Effect::Record { event, token } = e {
                s.apply(&event).unwrap();
                let seq = s.applied;
                update_on(&mut app, &s, Msg::Committed { token, seq }, at);
            }
        }
    }
    assert_eq!(
        s.room,
        roundtable::domain::RoomView::Interpretation("i1".into())
    );
    both_sizes("projector_presenting_interpretation", &app, &s, at);
}

#[test]
fn a_two_session_grid() {
    use roundtable::app::synthesis::Source;
    use roundtable::domain::analysis::Accounts;
    let (example, at) = example_until(|_| false);
    // A second, later session: the first six statements of the same journal.
    let (second, _) =
        example_until(|e| matches!(e, Event::StatementAdded { id, .. } if id.as_str() == "st6"));
    let mut ws = Session::default();
    let ids = |s: &Session| s.statements.keys().cloned().collect::<Vec<_>>();
    for e in [
        Event::SessionCreated {
            title: "Cross-case synthesis: March and May".into(),
            focus: "What do the two meetings say together?".into(),
            facilitator: "researcher".into(),
            created: at,
            template: None,
        },
        Event::SourceAdded {
            key: "A".into(),
            session: "2026-03-14-cag-findings".into(),
            title: "March CAG".into(),
            head: "x".into(),
            statements: ids(&example),
        },
        Event::SourceAdded {
            key: "B".into(),
            session: "2026-05-09-cag".into(),
            title: "May CAG".into(),
            head: "y".into(),
            statements: ids(&second),
        },
        Event::ConceptCreated {
            id: "c1".into(),
            name: "Finding out too late".into(),
            description: String::new(),
        },
        Event::ConceptCreated {
            id: "c2".into(),
            name: "Carers as partners".into(),
            description: String::new(),
        },
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["A.st2".into(), "A.st3".into(), "B.st2".into()],
        },
        Event::StatementsLinked {
            concept: "c2".into(),
            statements: vec!["A.st13".into(), "B.st5".into()],
        },
    ] {
        ws.apply(&e).unwrap();
    }
    let mut app = app_on(Screen::Synthesis);
    app.sources = vec![
        Source {
            key: "A".into(),
            session: example,
        },
        Source {
            key: "B".into(),
            session: second,
        },
    ];
    app.synthesis.accounts = Accounts::Sessions;
    app.synthesis.view = roundtable::app::synthesis::SynthView::Grid;
    both_sizes("synthesis_two_session_grid", &app, &ws, at);
    app.synthesis.view = roundtable::app::synthesis::SynthView::Link;
    both_sizes("synthesis_two_session_link", &app, &ws, at);
}

/// The example session with escape sequences (OSC 52, OSC 0, CSI 2J, BEL,
/// backspace, C1 CSI, a bidi override) after every piece of text in it:
/// titles, focus, names, stages, statements, questions, concepts,
/// translations, interpretations and memos.
fn hostile_example() -> (Session, Timestamp) {
    const HOSTILE: &str = " \u{1b}]52;c;aGk=\u{7}\u{1b}]0;pwned\u{7}\u{1b}[2J\u{8}\u{9b}1m\u{202e}";
    let (s, at) = example_until(|_| false);
    let ron_text = ron::to_string(&s).unwrap();
    let suffix = ron::to_string(HOSTILE).unwrap();
    let suffix = &suffix[1..suffix.len() - 1];
    // Every string literal holding a space is people's words, not an id or a time.
    let mut out = String::new();
    let (mut literal, mut in_string, mut escaped) = (String::new(), false, false);
    for c in ron_text.chars() {
        if !in_string {
            out.push(c);
            in_string = c == '"';
            continue;
        }
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => {
                out.push_str(&literal);
                if literal.contains(' ') {
                    out.push_str(suffix);
                }
                out.push('"');
                literal.clear();
                in_string = false;
                continue;
            }
            _ => {}
        }
        literal.push(c);
    }
    let hostile: Session = ron::from_str(&out).unwrap();
    assert!(hostile.title().contains('\u{1b}'));
    (hostile, at)
}

#[test]
fn escape_sequences_in_session_text_are_shown_and_never_drawn_raw() {
    let (s, at) = hostile_example();
    let mut seen = 0;
    for (screen, keys) in [
        (Screen::Projector, vec![]),
        (Screen::Capture, vec![]),
        (Screen::Vote, vec![]),
        (Screen::Agenda, vec![]),
        (Screen::Synthesis, vec![]),
        (Screen::Synthesis, vec![KeyCode::Char('g')]),
        (Screen::Synthesis, vec![KeyCode::Char('i')]),
        (
            Screen::Synthesis,
            vec![KeyCode::Char('i'), KeyCode::Char('p'), KeyCode::F(2)],
        ),
    ] {
        let mut app = app_on(screen);
        press(&mut app, &s, at, &keys);
        for (w, h) in [(80, 24), (160, 48)] {
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            term.draw(|f| ui::render(f, &app, &s, at, &Theme::default()))
                .unwrap();
            let shown = text_of(&term);
            let raw: Vec<char> = shown
                .chars()
                .filter(|c| roundtable::safe::is_unsafe(*c) && *c != '\n')
                .collect();
            assert!(raw.is_empty(), "{screen:?} {w}x{h} draws {raw:?}:\n{shown}");
            if shown.contains("␛]52;c;aGk=␇") {
                seen += 1;
            }
        }
    }
    assert!(
        seen >= 14,
        "the sequences are shown visibly on {seen} of 16 frames"
    );
}

#[test]
fn the_last_guard_replaces_anything_unsafe_left_in_a_frame() {
    let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 3, 1));
    buf[(0, 0)].set_symbol("\u{1b}");
    buf[(1, 0)].set_symbol("\u{202e}");
    buf[(2, 0)].set_symbol("é");
    roundtable::ui::untrusted::guard(&mut buf);
    let cells: Vec<&str> = (0..3).map(|x| buf[(x, 0)].symbol()).collect();
    assert_eq!(cells, ["\u{fffd}", "\u{fffd}", "é"]);
}

#[test]
fn c_switches_the_projector_clock_between_time_left_and_time_used() {
    let (s, now) = mid_discussion();
    let mut app = app_on(Screen::Projector);
    let left = draw(&app, &s, now, 80, 24);
    assert!(left.contains("time left"), "{left}");
    press(&mut app, &s, now, &[KeyCode::Char('c')]);
    let used = draw(&app, &s, now, 80, 24);
    assert!(
        used.contains("time used") && !used.contains("time left"),
        "{used}"
    );
    let stage = s.current_stage().unwrap();
    let elapsed = roundtable::domain::time::mmss(stage.elapsed_millis(now) / 1000);
    assert!(used.contains(&format!("{elapsed} used of")), "{used}");
    press(&mut app, &s, now, &[KeyCode::Char('c')]);
    assert!(draw(&app, &s, now, 80, 24).contains("time left"));
}

/// The example with the room shown `view`, as the record would have it.
fn room_shows(mut s: Session, at: Timestamp, view: roundtable::domain::RoomView) -> Session {
    s.apply(&Event::RoomShows { view, at }).unwrap();
    s
}

#[test]
fn what_the_room_sees() {
    use roundtable::domain::RoomView;
    let (end, at) = example_until(|_| false);
    let app = app_on(Screen::Projector);
    for (name, view) in [
        ("room_results_resonance", RoomView::Results("v1".into())),
        ("room_results_dots", RoomView::Results("v2".into())),
        ("room_results_counted", RoomView::Results("v4".into())),
        ("room_results_ladder", RoomView::Results("v6".into())),
        ("room_blank", RoomView::Blank),
        ("room_summary", RoomView::Summary),
        ("room_statement", RoomView::Statement("st3".into())),
    ] {
        both_sizes(name, &app, &room_shows(end.clone(), at, view), at);
    }
    let (s, at) = mid_discussion();
    let on_break = room_shows(s.clone(), at, RoomView::Break(at.plus_secs(10 * 60)));
    both_sizes("room_break", &app, &on_break, at.plus_secs(150));
    let held = room_shows(s, at, RoomView::Frozen(Some("st5".into())));
    both_sizes("room_held", &app, &held, at);
}

/// At 80×24 nothing the room must read is lost: every option of every
/// round is on the results screen, and the words of a statement, the
/// summary's stages and the holding slide's focus are whole.
#[test]
fn no_room_view_drops_an_option_or_cuts_a_word_at_80x24() {
    use roundtable::domain::RoomView;
    let (end, at) = example_until(|_| false);
    let app = app_on(Screen::Projector);
    // Every option of every round, whole, on the projector and on the
    // vote screen while its round is open.
    for round in end.rounds.values() {
        let s = room_shows(end.clone(), at, RoomView::Results(round.id.clone()));
        let on_wall = draw(&app, &s, at, 80, 24);
        let id: &'static str = String::leak(round.id.to_string());
        let (open, open_at) = example_until(nth_ballot_in(id, 1));
        let on_vote = draw(&app_on(Screen::Vote), &open, open_at, 80, 24);
        for label in round.method.labels() {
            every_word_whole(&label, &on_wall);
            every_word_whole(&label, &on_vote);
        }
    }
    let long = end
        .statements
        .values()
        .filter(|st| !st.is_retracted() && end.consents(&st.current().speaker))
        .max_by_key(|st| st.current().text.len())
        .unwrap();
    let s = room_shows(end.clone(), at, RoomView::Statement(long.id.clone()));
    every_word_whole(&long.current().text, &draw(&app, &s, at, 80, 24));
    // A summary longer than the screen turns its pages: all of it is shown.
    let s = room_shows(end.clone(), at, RoomView::Summary);
    let shown: String = (0..4)
        .map(|page| draw(&app, &s, at.plus_secs(page * 15), 80, 24))
        .collect();
    assert!(shown.contains("page 2 of"), "{shown}");
    for stage in end.stages.values() {
        every_word_whole(&stage.title, &shown);
    }
    for round in end.rounds.values() {
        every_word_whole(&round.question, &shown);
    }
    for i in end.interpretations.values() {
        if i.status == roundtable::domain::InterpretationStatus::Agreed {
            every_word_whole(i.text(), &shown);
        }
    }
    let s = room_shows(end.clone(), at, RoomView::Blank);
    every_word_whole(end.focus(), &draw(&app, &s, at, 80, 24));
}

/// The example mid-discussion after the agenda has bent and the floor has
/// filled: the discussion extended by 10 minutes, the vote skipped, the
/// translation shortened, a stage added late and moved before it; two hands
/// up and one person gone.
fn bent_and_busy() -> (Session, Timestamp) {
    use roundtable::domain::StageKind;
    let (mut s, now) = mid_discussion();
    for e in [
        Event::StageAdjusted {
            stage: "S3".into(),
            by_secs: 600,
            at: now,
        },
        Event::StageAdjusted {
            stage: "S6".into(),
            by_secs: -300,
            at: now,
        },
        Event::StageSkipped {
            stage: "S4".into(),
            skipped: true,
            at: now,
        },
        Event::StageAdded {
            id: "S9".into(),
            kind: StageKind::Discuss,
            title: "What we would say to the ward manager tomorrow".into(),
            prompt: "One thing each.".into(),
            planned_secs: 600,
        },
        Event::StageMoved {
            stage: "S9".into(),
            to: 4,
            at: now,
        },
        Event::HandRaised {
            participant: "P3".into(),
            at: now,
        },
        Event::HandRaised {
            participant: "P5".into(),
            at: now.plus_secs(20),
        },
        Event::ParticipantLeft {
            participant: "P6".into(),
            at: now,
        },
    ] {
        s.apply(&e).unwrap();
    }
    (s, now.plus_secs(30))
}

#[test]
fn the_facilitators_room_screens() {
    let (s, now) = bent_and_busy();
    let mut app = app_on(Screen::Agenda);
    press(&mut app, &s, now, &[KeyCode::Down, KeyCode::Down]);
    both_sizes("agenda_bent", &app, &s, now);
    both_sizes("projector_floor", &app_on(Screen::Projector), &s, now);
    both_sizes("capture_floor", &app_on(Screen::Capture), &s, now);
    // Five more minutes for the discussion: the offer to take them back.
    let mut app = app_on(Screen::Agenda);
    press(&mut app, &s, now, &[KeyCode::Char(']')]);
    both_sizes("choose_take_back", &app, &s, now);
    // Quitting asks, and says what it would leave behind.
    let mut app = app_on(Screen::Capture);
    update_on(
        &mut app,
        &s,
        Msg::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL)),
        now,
    );
    both_sizes("confirm_quit", &app, &s, now);
    // A prompt whose instructions are longer than its border at 80 columns
    // wraps them inside the box.
    let mut app = app_on(Screen::Capture);
    update_on(
        &mut app,
        &s,
        Msg::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)),
        now,
    );
    both_sizes("prompt_latecomer", &app, &s, now);
    let small = draw(&app, &s, now, 80, 24);
    for word in ["role,", "name,", "consent", "yes/no", "adds"] {
        assert!(
            small
                .split(|c: char| c.is_whitespace() || c == '│')
                .any(|w| w == word),
            "`{word}`:\n{small}"
        );
    }
}

/// Every stage's title is whole on the agenda at 80×24, however it has
/// been bent.
#[test]
fn the_agenda_cuts_no_title_at_80x24() {
    let (s, now) = bent_and_busy();
    let shown = draw(&app_on(Screen::Agenda), &s, now, 80, 24);
    for stage in s.stages.values() {
        for word in stage.title.split_whitespace() {
            assert!(
                shown.split_whitespace().any(|w| w == word),
                "`{word}` of “{}” is whole:\n{shown}",
                stage.title
            );
        }
    }
    assert!(
        shown.contains("skipped") && shown.contains("(+10 min)"),
        "{shown}"
    );
}

/// The selected statement is shown whole on the capture screen at 80×24
/// (what is amended or retracted can be read first); the others end at a
/// whole word.
#[test]
fn capture_shows_the_selected_statement_whole() {
    let (s, now) = mid_discussion();
    let mut app = app_on(Screen::Capture);
    press(&mut app, &s, now, &[KeyCode::PageUp, KeyCode::PageUp]);
    both_sizes("capture_selected", &app, &s, now);
    let shown = draw(&app, &s, now, 80, 24);
    let st8 = s.statements["st8"].current().text.clone();
    for word in st8.split_whitespace() {
        assert!(
            shown
                .split(|c: char| c.is_whitespace() || c == '│')
                .any(|w| w == word),
            "`{word}` of st8 is whole:\n{shown}"
        );
    }
}

/// A vote's table in a panel too narrow for a column per role group (the
/// projector's side panel at 100 columns is 45 wide) fits its width
/// instead of wrapping rows into each other, and says where the breakdown
/// is; wide enough, every group has its column.
#[test]
fn a_vote_table_fits_a_narrow_panel_and_says_where_the_groups_are() {
    let (s, _) = example_until(nth_ballot_in("v1", 8));
    let round = &s.rounds["v1"];
    let theme = Theme::default();
    let text = |l: &ratatui::text::Line| {
        l.spans
            .iter()
            .map(|sp| sp.content.as_ref())
            .collect::<String>()
    };
    let narrow = ui::results::table(
        &s,
        round,
        roundtable::domain::Breakdown::RoleGroup,
        45,
        &theme,
    );
    for l in &narrow {
        assert!(l.width() <= 45, "{:?} is {} wide", text(l), l.width());
    }
    let narrow: Vec<String> = narrow.iter().map(text).collect();
    assert!(
        narrow
            .iter()
            .any(|l| l.starts_with("5 ") && l.contains("3 (37%)")),
        "{narrow:#?}"
    );
    assert!(
        narrow
            .iter()
            .any(|l| l == "by role group: on the results screen"),
        "{narrow:#?}"
    );
    let wide: Vec<String> = ui::results::table(
        &s,
        round,
        roundtable::domain::Breakdown::RoleGroup,
        100,
        &theme,
    )
    .iter()
    .map(text)
    .collect();
    assert!(
        wide[0].contains("service users") && wide[0].contains("carers"),
        "{wide:#?}"
    );
    assert!(
        !wide.iter().any(|l| l.starts_with("by role group")),
        "{wide:#?}"
    );
}

/// The projector with phones on: the join screen (`j`), its bottom line,
/// and a statement from a phone shown whole for the facilitator to take in.
#[test]
fn phones_join_screen_and_a_statement_from_a_phone() {
    use roundtable::live::{PhoneRoom, Said, SaidStatus};
    let (s, now) = mid_discussion();
    let mut app = app_on(Screen::Projector);
    app.phones = Some(PhoneRoom {
        url: "http://192.168.1.20:8080/#k7pqzm4xw3nvb6rt5ycfhdsla2".into(),
        connected: vec!["P1".into(), "P3".into(), "guest 1".into()],
        unnamed: 1,
        closed: false,
        nameless: true,
        waiting: vec![Said {
            id: 1,
            participant: Some("P3".into()),
            from: "P3".into(),
            text: "Nobody asked me when he came home. The leaflet came three weeks after, and by then we had worked it out ourselves.".into(),
            status: SaidStatus::Waiting,
        }],
        wrong_keys: 0,
        asking: vec![roundtable::live::Asking {
            id: 1,
            participant: "P5".into(),
            number: 47,
            replaces: false,
        }],
    });
    app.show_phones = true;
    both_sizes("projector_phones_join", &app, &s, now);
    app.show_phones = false;
    app.overlays.push(roundtable::app::Overlay::PhoneSaid {
        said: app.phones.as_ref().unwrap().waiting[0].clone(),
        private: false,
    });
    both_sizes("projector_phone_statement", &app, &s, now);
    app.overlays.clear();
    app.overlays.push(roundtable::app::Overlay::PhoneJoin {
        asking: app.phones.as_ref().unwrap().asking[0].clone(),
    });
    both_sizes("projector_phone_asks_to_join", &app, &s, now);
}

/// A town hall's join screen: 2,000 phones joined lists what six lines
/// hold and says how many more, at 80×24 as at 160×48, with the address
/// and the count of phones still whole (it wrapped all 2,000 names).
#[test]
fn a_town_halls_join_screen_names_what_fits_and_counts_the_rest() {
    use roundtable::live::PhoneRoom;
    let (s, now) = mid_discussion();
    let mut app = app_on(Screen::Projector);
    app.phones = Some(PhoneRoom {
        url: "http://192.168.1.20:8080/#k7pqzm4xw3nvb6rt5ycfhdsla2".into(),
        connected: (1..=2000).map(|i| format!("P{i}")).collect(),
        unnamed: 12,
        closed: false,
        nameless: true,
        waiting: Vec::new(),
        wrong_keys: 0,
        asking: Vec::new(),
    });
    app.show_phones = true;
    both_sizes("projector_phones_join_town_hall", &app, &s, now);
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = draw(&app, &s, now, w, h);
        assert!(screen.contains("2012 phones joined"), "{screen}");
        assert!(screen.contains("not named here"), "{screen}");
        assert!(screen.contains("more"), "{screen}");
        assert!(!screen.contains("P2000"), "{screen}");
    }
}

/// A session opened from a snapshot says "checking…" until the replay that
/// proves it has finished; a problem it finds stays above the status line
/// when later messages come and go, at 80 columns as at 160.
#[test]
fn checking_until_proven_and_problems_that_do_not_scroll_away() {
    let (s, now) = mid_discussion();
    let mut app = app_on(Screen::Projector);
    app.checking = true;
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = draw(&app, &s, now, w, h);
        assert!(
            screen.lines().next().unwrap().contains("checking…"),
            "{screen}"
        );
    }
    let problem = "journal.ron is damaged at line 12: the hash does not match; only the 11 \
                   records before it are shown, and nothing more is written. Quit; \
                   `roundtable verify` says where";
    update_on(
        &mut app,
        &s,
        Msg::Proven {
            problem: Some(problem.into()),
        },
        now,
    );
    press(&mut app, &s, now, &[KeyCode::F(3)]);
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = draw(&app, &s, now, w, h);
        assert!(!screen.contains("checking…"), "{screen}");
        let flat: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("journal.ron is damaged at line 12"),
            "{screen}"
        );
        assert!(flat.contains("says where"), "cut short: {screen}");
    }
    insta::assert_snapshot!("standing_problem_80x24", draw(&app, &s, now, 80, 24));
}

/// A statement of about 200 characters and a single-choice round about it
/// with five options, open, with eight ballots in (`hidden`: results hidden
/// until it closes).
fn an_open_vote(hidden: bool) -> (Session, Timestamp, String, Vec<String>) {
    use roundtable::domain::*;
    let (mut s, at) = mid_discussion();
    let words = "When my dad came home nobody had told the pharmacy, the district nurses or us \
                 which tablets had changed, so for three days we guessed from the hospital bag \
                 and a photocopied letter we could hardly read";
    let options: Vec<String> = [
        "Named coordinator",
        "Medicines reconciled before discharge",
        "Carer asked first",
        "Transport booked",
        "Letter in plain English",
    ]
    .map(String::from)
    .to_vec();
    let events = [
        Event::StatementAdded {
            id: "st99".into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant("P3".into()),
            stage: s.current_stage().map(|st| st.id.clone()),
            text: words.into(),
            tags: vec![],
            captured_by: "note-taker".into(),
            at,
        },
        Event::VoteOpened {
            id: "v99".into(),
            target: VoteTarget::Statement("st99".into()),
            question: "Which would have helped most?".into(),
            method: VoteMethod::SingleChoice {
                options: options.clone(),
            },
            mode: BallotMode::PerParticipant,
            hidden,
            named: false,
            stage: s.current_stage().map(|st| st.id.clone()),
            at,
        },
    ];
    for e in &events {
        s.apply(e).unwrap();
    }
    let voters: Vec<ParticipantId> = s
        .participants
        .values()
        .filter(|p| p.consent)
        .map(|p| p.id.clone())
        .take(8)
        .collect();
    for (i, p) in voters.iter().enumerate() {
        s.apply(&Event::BallotCast {
            round: "v99".into(),
            participant: p.clone(),
            choice: Choice::Single((i % 5) as u8),
            at,
            recorded_by: "note-taker".into(),
        })
        .unwrap();
    }
    (s, at, words.to_owned(), options)
}

/// Every word of `text` whole somewhere on `shown` (a word may sit at the
/// end of one row and the next begin the next row; none is cut).
fn every_word_whole(text: &str, shown: &str) {
    for word in text.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        assert!(
            shown
                .split(|c: char| c.is_whitespace() || c == '│')
                .any(|w| w.trim_matches(|c: char| !c.is_alphanumeric()) == word),
            "`{word}` is not whole on screen:\n{shown}"
        );
    }
}

/// An open vote on any projector, at 80×24 as at 160×48: what it is about
/// (the statement's words, whole), the question, and every option with its
/// live count, or every option and "hidden until the round closes"; and
/// once closed, the results say what the round was about too (issue 31,
/// items 1 and 2).
#[test]
fn an_open_vote_on_the_projector_shows_what_it_is_about_and_every_option() {
    use roundtable::domain::RoomView;
    let app = app_on(Screen::Projector);
    for hidden in [false, true] {
        let (s, at, words, options) = an_open_vote(hidden);
        for (w, h) in [(80, 24), (100, 30), (120, 36), (160, 48)] {
            let shown = draw(&app, &s, at, w, h);
            // (The question is drawn large where it fits, so not read here.)
            every_word_whole(&words, &shown);
            for (i, option) in options.iter().enumerate() {
                every_word_whole(option, &shown);
                let count = [2, 2, 2, 1, 1][i];
                if !hidden {
                    assert!(
                        shown
                            .lines()
                            .any(|l| l.contains(option.split(' ').next().unwrap())
                                && l.contains(&format!("{count} ("))),
                        "{option}: {count} at {w}×{h}:\n{shown}"
                    );
                }
            }
            if hidden {
                assert!(
                    shown.contains("hidden until the round closes"),
                    "{w}×{h}:\n{shown}"
                );
            }
        }
        let mut closed = s.clone();
        closed
            .apply(&roundtable::domain::Event::VoteClosed {
                round: "v99".into(),
                at,
            })
            .unwrap();
        let closed = room_shows(closed, at, RoomView::Results("v99".into()));
        for (w, h) in [(80, 24), (160, 48)] {
            let shown = draw(&app, &closed, at, w, h);
            every_word_whole(&words, &shown);
            for option in &options {
                every_word_whole(option, &shown);
            }
        }
    }
    let (s, at, _, _) = an_open_vote(false);
    insta::assert_snapshot!("room_open_vote_80x24", draw(&app, &s, at, 80, 24));
}

/// The views that fill the projector (the holding slide, a break, the
/// summary) are not drawn over by the line of who is waiting or not yet
/// heard: every row inside a box starts and ends with its border, and no
/// stray words are left in them (issue 31, item 5).
#[test]
fn nothing_is_drawn_over_the_views_that_fill_the_projector() {
    use roundtable::domain::RoomView;
    let (s, at) = bent_and_busy();
    let app = app_on(Screen::Projector);
    let plain = draw(&app, &s, at, 80, 24);
    assert!(
        plain.contains("Not yet heard") || plain.contains("Next to speak"),
        "the floor line is there on the live view:\n{plain}"
    );
    for view in [
        RoomView::Blank,
        RoomView::Break(at.plus_secs(600)),
        RoomView::Summary,
    ] {
        let shown = room_shows(s.clone(), at, view.clone());
        for (w, h) in [(80, 24), (120, 36)] {
            let screen = draw(&app, &shown, at, w, h);
            assert!(
                !screen.contains("ot yet heard") && !screen.contains("ext to speak"),
                "{view:?} at {w}×{h}:\n{screen}"
            );
            let mut inside = false;
            for line in screen.lines() {
                if line.starts_with('┌') {
                    inside = true;
                } else if line.starts_with('└') {
                    inside = false;
                } else if inside {
                    assert!(
                        line.starts_with('│') && line.trim_end().ends_with('│'),
                        "{view:?} at {w}×{h}, a border overwritten: {line:?}\n{screen}"
                    );
                }
            }
        }
    }
}

/// The retract dialog says whose words are being retracted and shows them,
/// since it may cover their row (issue 31, item 12).
#[test]
fn the_retract_dialog_shows_whose_words_it_retracts() {
    let (s, now) = mid_discussion();
    let mut app = app_on(Screen::Capture);
    press(&mut app, &s, now, &[KeyCode::PageUp, KeyCode::PageUp]);
    update_on(
        &mut app,
        &s,
        Msg::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL)),
        now,
    );
    let st8 = s.statements["st8"].current();
    let who = s.speaker_label(&st8.speaker);
    for (w, h) in [(80, 24), (160, 48)] {
        let shown = draw(&app, &s, now, w, h);
        assert!(shown.contains("Retract st8"), "{shown}");
        every_word_whole(&st8.text, &shown);
        every_word_whole(&who, &shown);
    }
    insta::assert_snapshot!("retract_dialog_80x24", draw(&app, &s, now, 80, 24));
}

/// Every prompt says on its border how to clear what is typed (`ctrl-U`,
/// which the help did not mention) (issue 31, item 7).
#[test]
fn every_prompt_says_how_to_clear_it() {
    let (s, now) = mid_discussion();
    let mut app = app_on(Screen::Capture);
    update_on(
        &mut app,
        &s,
        Msg::Key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL)),
        now,
    );
    for (w, h) in [(80, 24), (160, 48)] {
        let shown = draw(&app, &s, now, w, h);
        assert!(shown.contains("^U clears"), "{shown}");
    }
}

/// Small words right: one ballot is "1 ballot in", not "1 ballots in"; the
/// help says which keys turn its page and that any other closes it
/// (issue 31, item 16).
#[test]
fn one_ballot_is_one_ballot_and_the_help_says_which_keys_close_it() {
    let (s, at) = example_until(nth_ballot_in("v5", 1));
    for screen in [Screen::Projector, Screen::Vote] {
        let shown = draw(&app_on(screen), &s, at, 80, 24);
        assert!(shown.contains("1 ballot in"), "{shown}");
        assert!(!shown.contains("1 ballots"), "{shown}");
    }
    let mut app = app_on(Screen::Capture);
    press(&mut app, &s, at, &[KeyCode::F(1)]);
    let shown = draw(&app, &s, at, 80, 24);
    assert!(shown.contains("any other key closes"), "{shown}");
}

/// Quitting says truly who it affects: a joined note-taker leaves alone
/// (the others stay connected to the host), and the host's dialog counts
/// the phones that lose the session too (issue 31, item 13).
#[test]
fn the_quit_dialog_says_who_quitting_affects() {
    use roundtable::live::PhoneRoom;
    let (s, now) = mid_discussion();
    let ctrl_q = || Msg::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL));
    // A joined note-taker who knows who else is connected.
    let mut joined = app_on(Screen::Capture);
    joined.link = Some((true, "joined as sam (note-taker)".into()));
    joined.peers = vec!["sam (note-taker)".into(), "wall (viewer)".into()];
    update_on(&mut joined, &s, ctrl_q(), now);
    let shown = draw(&joined, &s, now, 80, 24);
    assert!(!shown.contains("would be disconnected"), "{shown}");
    assert!(shown.contains("goes on at the host"), "{shown}");
    // The host, with a viewer and three phones joined.
    let mut host = app_on(Screen::Capture);
    host.peers = vec!["wall (viewer)".into()];
    host.phones = Some(PhoneRoom {
        connected: vec!["P1".into(), "P2".into()],
        unnamed: 1,
        ..Default::default()
    });
    update_on(&mut host, &s, ctrl_q(), now);
    let shown = draw(&host, &s, now, 80, 24);
    let flat = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("wall (viewer)"), "{shown}");
    assert!(flat.contains("3 phones"), "{shown}");
}

/// Which synthesis pane has the keys is said in words (`▶` before its
/// title), not only by a border's colour (issue 31, item 9).
#[test]
fn the_synthesis_pane_with_the_keys_is_marked_in_words() {
    let (s, now) = example_until(|_| false);
    let mut app = app_on(Screen::Synthesis);
    let shown = draw(&app, &s, now, 160, 48);
    assert!(shown.contains("▶ Concepts"), "{shown}");
    assert!(!shown.contains("▶ Statements"), "{shown}");
    press(&mut app, &s, now, &[KeyCode::Tab]);
    let shown = draw(&app, &s, now, 160, 48);
    assert!(shown.contains("▶ Statements"), "{shown}");
    assert!(!shown.contains("▶ Concepts"), "{shown}");
}

/// The words of each panel title on the synthesis screen, whole at 80×24
/// and 120×36: a title too long for its border ends at a whole word
/// (it read "Tab p┐"), and the statement under the cursor is shown whole
/// (it read "When you say…") (issue 31, item 8).
#[test]
fn synthesis_at_80x24_cuts_no_title_and_shows_the_chosen_statement_whole() {
    let (s, at) = example_until(|_| false);
    let mut app = app_on(Screen::Synthesis);
    press(
        &mut app,
        &s,
        at,
        &[KeyCode::Tab, KeyCode::Down, KeyCode::Down],
    );
    let chosen = s.statements.get_index(2).unwrap().1.current().text.clone();
    for (w, h) in [(80, 24), (120, 36)] {
        let shown = draw(&app, &s, at, w, h);
        every_word_whole(&chosen, &shown);
        // A title that fits leaves border (or a space) before the corner;
        // one cut short ends "…"; one cut by the border ends in a letter.
        for line in shown.lines().filter(|l| l.starts_with('┌')) {
            let chars: Vec<char> = line.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                if *c == '┐' && i > 0 {
                    assert!(
                        matches!(chars[i - 1], '─' | ' ' | '…'),
                        "a title cut at {w}×{h}: {line:?}\n{shown}"
                    );
                }
            }
        }
    }
}

/// The translation grid cuts no id or word: a cell too narrow for its ids
/// ends "…" after the last whole one (it read "sam-st15,s"), as do the
/// concept names and column heads (issue 31, item 8).
#[test]
fn the_grid_cuts_no_id_or_word() {
    let (s, at) = example_until(|_| false);
    let names: Vec<String> = s.concepts.values().map(|c| c.name.clone()).collect();
    for accounts in [0, 1] {
        let mut app = app_on(Screen::Synthesis);
        press(&mut app, &s, at, &[KeyCode::Char('g')]);
        if accounts == 1 {
            press(&mut app, &s, at, &[KeyCode::Char('a')]);
        }
        for (w, h) in [(80, 24), (120, 36)] {
            let shown = draw(&app, &s, at, w, h);
            let rows = shown.lines().filter(|l| {
                l.chars().nth(2).is_some_and(|c| c.is_ascii_digit()) && l.starts_with("│c")
            });
            for line in rows {
                // After the concept's name: counts and ids.
                let cells = line
                    .trim_matches('│')
                    .split_once(' ')
                    .map_or("", |(_, r)| r);
                for token in cells
                    .split(|c: char| c.is_whitespace() || c == ',' || c == '│')
                    .filter(|t| {
                        t == &"s"
                            || t == &"st"
                            || t.starts_with("st")
                                && t[2..].starts_with(|c: char| c.is_ascii_digit())
                    })
                {
                    let token = token.trim_end_matches(':');
                    assert!(
                        s.statements.contains_key(token)
                            || token.ends_with('…')
                            || names
                                .iter()
                                .any(|n| n.split_whitespace().any(|w| w == token)),
                        "`{token}` is cut at {w}×{h}: {line}\n{shown}"
                    );
                }
            }
        }
    }
}

/// The status line ends at a whole word, with "…", when a message is longer
/// than the screen (it read "(recor") (issue 31, item 16).
#[test]
fn the_status_line_ends_at_a_whole_word() {
    let (s, now) = mid_discussion();
    let mut app = app_on(Screen::Capture);
    app.message = Some(roundtable::app::Message {
        text: "✓ saved: P3's ballot in v12, an anonymous ballot in a round about the discharge letter (record 1412)".into(),
        tone: roundtable::app::Tone::Saved,
    });
    let shown = draw(&app, &s, now, 80, 24);
    let line = shown
        .lines()
        .find(|l| l.starts_with("✓ saved"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(line.trim_end().ends_with('…'), "{line:?}");
    assert!(!line.contains("(recor"), "{line:?}");
}

/// A pasted list stays a list on the projector: each line on its own row
/// (it read "…finding: - it has to go … plan - my son") (issue 31, item 16).
#[test]
fn a_pasted_list_stays_a_list_on_the_projector() {
    use roundtable::domain::*;
    let (mut s, at) = mid_discussion();
    s.apply(&Event::StatementAdded {
        id: "st99".into(),
        kind: StatementKind::Paraphrase,
        speaker: Speaker::Participant("P2".into()),
        stage: s.current_stage().map(|st| st.id.clone()),
        text: "Three things about this finding:\n- it has to go in the care plan\n- my son must be asked\n- the letter came late".into(),
        tags: vec![],
        captured_by: "note-taker".into(),
        at,
    })
    .unwrap();
    let shown = draw(&app_on(Screen::Projector), &s, at, 160, 48);
    for item in [
        "- it has to go in the care plan",
        "- my son must be asked",
        "- the letter came late",
    ] {
        assert!(
            shown
                .lines()
                .any(|l| l.trim_start_matches('│').starts_with(item)),
            "`{item}` is not a row of its own:\n{shown}"
        );
    }
}

/// Every rectangle drawn with a border on `screen` is whole: inside a box,
/// every row starts and ends with its border (nothing drawn over it).
fn boxes_whole(screen: &str, what: &str) {
    let mut inside = 0usize;
    for line in screen.lines() {
        let opens = line.matches('┌').count();
        let closes = line.matches('└').count();
        if inside > 0 && opens == 0 && closes == 0 {
            let t = line.trim_end();
            assert!(
                t.starts_with('│') && t.ends_with('│'),
                "{what}: a border overwritten: {line:?}\n{screen}"
            );
        }
        inside = inside + opens - closes.min(inside + opens);
    }
}

/// Every room view at 80×24, 100×30, 120×36 and 160×48, with an open vote
/// of five options about a 200-character statement, a break and a summary
/// of ten actions: no border drawn over; the vote shows what it is about
/// and every option; the summary, over its pages, every action (issue 31,
/// acceptance).
#[test]
fn every_room_view_at_every_size_cuts_and_covers_nothing() {
    use roundtable::domain::{Event, RoomView};
    let (mut s, at, words, options) = an_open_vote(false);
    for i in 1..=10 {
        s.apply(&Event::ActionAdded {
            id: format!("a{i}").as_str().into(),
            what: format!("Action number {i} for the discharge team to take forward"),
            who: "ward manager".into(),
            by_when: "June".into(),
            from: None,
            at,
        })
        .unwrap();
    }
    let app = app_on(Screen::Projector);
    let views = [
        ("live", RoomView::Latest),
        ("results", RoomView::Results("v99".into())),
        ("statement", RoomView::Statement("st99".into())),
        ("blank", RoomView::Blank),
        ("held", RoomView::Frozen(Some("st99".into()))),
        ("break", RoomView::Break(at.plus_secs(600))),
        ("summary", RoomView::Summary),
    ];
    for (name, view) in views {
        let shown_state = room_shows(s.clone(), at, view);
        for (w, h) in [(80, 24), (100, 30), (120, 36), (160, 48)] {
            let screen = draw(&app, &shown_state, at, w, h);
            boxes_whole(&screen, &format!("{name} at {w}×{h}"));
            if name == "live" || name == "results" {
                every_word_whole(&words, &screen);
                for o in &options {
                    every_word_whole(o, &screen);
                }
            }
            if name == "break" {
                assert!(screen.contains("Back at"), "{screen}");
            }
            if name == "summary" {
                let pages: String = (0..6)
                    .map(|p| draw(&app, &shown_state, at.plus_secs(p * 15), w, h))
                    .collect();
                for i in 1..=10 {
                    assert!(
                        pages.contains(&format!("a{i} [open] Action number {i} ")),
                        "a{i} at {w}×{h}:\n{pages}"
                    );
                }
            }
        }
    }
}

/// Every screen, and the synthesis screen's views, at 80×24 and 120×36 at
/// several points of the example session: no title is cut mid-word (the
/// re-run saw "hi┐" and "q qu┐" at 120×36) (issue 31, item 16).
#[test]
fn no_title_on_any_screen_is_cut_mid_word() {
    type Stop = Box<dyn Fn(&Event) -> bool>;
    let points: [(&str, Stop); 4] = [
        (
            "early",
            Box::new(|e| matches!(e, Event::StatementAdded { id, .. } if id.as_str() == "st3")),
        ),
        ("a vote open", Box::new(nth_ballot_in("v1", 3))),
        ("later", Box::new(nth_ballot_in("v5", 2))),
        ("the end", Box::new(|_| false)),
    ];
    for (when, stop) in points {
        let (s, at) = example_until(stop);
        let mut views: Vec<(String, App)> = Screen::ALL
            .iter()
            .map(|&screen| (format!("{screen:?}"), app_on(screen)))
            .collect();
        for keys in [
            &[KeyCode::Char('g')][..],
            &[KeyCode::Char('g'), KeyCode::Char('a')],
            &[KeyCode::Char('i')],
        ] {
            let mut app = app_on(Screen::Synthesis);
            press(&mut app, &s, at, keys);
            views.push((format!("synthesis {keys:?}"), app));
        }
        for (name, app) in &views {
            for (w, h) in [(80, 24), (100, 30), (120, 36), (160, 48)] {
                common::titles_whole(
                    &draw(app, &s, at, w, h),
                    &format!("{name} {when} at {w}×{h}"),
                );
            }
        }
    }
}

/// The example session at its end with a statement in each of its eight
/// stages and twelve concepts with long names, each linked to statements
/// from several stages: more than fits on a small screen either way.
fn a_crowded_grid() -> (Session, Timestamp) {
    use roundtable::domain::*;
    let (mut s, at) = example_until(|_| false);
    let stages: Vec<StageId> = s.stages.keys().cloned().collect();
    for (n, stage) in stages.iter().enumerate() {
        s.apply(&Event::StatementAdded {
            id: format!("st{}", 200 + n).as_str().into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant("P1".into()),
            stage: Some(stage.clone()),
            text: format!("Something said in stage {}", n + 1),
            tags: vec![],
            captured_by: "note-taker".into(),
            at,
        })
        .unwrap();
    }
    for c in 1..=12 {
        let id: ConceptId = format!("c{}", 100 + c).as_str().into();
        s.apply(&Event::ConceptCreated {
            id: id.clone(),
            name: format!("Concept {c}: being told late about what happens next at home"),
            description: String::new(),
        })
        .unwrap();
        let statements = (0..8)
            .filter(|n| (n + c) % 3 != 0)
            .map(|n| format!("st{}", 200 + n).as_str().into())
            .collect();
        s.apply(&Event::StatementsLinked {
            concept: id,
            statements,
        })
        .unwrap();
    }
    (s, at)
}

/// The grid on the wall: the facilitator projects the translation grid and
/// every projector shows it, readable, at every size; a grid larger than the
/// screen turns its pages by itself, and over its pages every concept meets
/// every column, each exactly once; nothing is cut or drawn over (issue 31,
/// "the grid on the wall").
#[test]
fn the_grid_on_the_wall_pages_rather_than_cuts() {
    use roundtable::domain::RoomView;
    use roundtable::domain::analysis::{Accounts, grid};
    let app = app_on(Screen::Projector);
    for accounts in [Accounts::RoleGroups, Accounts::Stages] {
        let (s, at) = a_crowded_grid();
        let g = grid(&s, accounts);
        assert!(g.accounts.len() >= 5 && g.rows.len() >= 12);
        let s = room_shows(s, at, RoomView::Grid(accounts));
        for (w, h) in [(80, 24), (100, 30), (120, 36), (160, 48)] {
            let what = format!("{accounts:?} at {w}×{h}");
            let first = draw(&app, &s, at, w, h);
            let pages = first
                .split("page 1 of ")
                .nth(1)
                .and_then(|r| r.split(' ').next())
                .map_or(1, |n| n.parse::<i64>().unwrap());
            let mut seen = String::new();
            for page in 0..pages {
                let screen = draw(&app, &s, at.plus_secs(page * 15 + 1), w, h);
                boxes_whole(&screen, &what);
                common::titles_whole(&screen, &what);
                if pages > 1 {
                    assert!(
                        screen.contains(&format!("page {} of {pages}", page + 1)),
                        "{what}:\n{screen}"
                    );
                }
                seen.push_str(&screen);
            }
            for row in &g.rows {
                let word = s.concepts[&row.concept].name.split(' ').next().unwrap();
                let name = format!("{} {word}", row.concept);
                assert!(seen.contains(&name), "{what}: {name} on no page");
            }
            for a in &g.accounts {
                let label = a.label(&s);
                let head: String = label.split(' ').next().unwrap().to_owned();
                assert!(seen.contains(&head), "{what}: column {label} on no page");
            }
            if (w, h) == (80, 24) || (w, h) == (160, 48) {
                insta::assert_snapshot!(format!("room_grid_{accounts:?}_{w}x{h}"), first);
            }
        }
    }
}

/// The facilitator's grid by stage at 80×24 showed 3 of 8 stages and cut
/// the rest; its columns now page with ←→, the title saying which are shown,
/// and over the pages every stage is a column (issue 31, item 8).
#[test]
fn the_facilitators_grid_pages_its_columns() {
    use roundtable::domain::analysis::{Accounts, grid};
    let (s, at) = a_crowded_grid();
    let g = grid(&s, Accounts::Stages);
    assert_eq!(g.accounts.len(), 8);
    let mut app = app_on(Screen::Synthesis);
    // Role groups, sectors, levels, then stages.
    let a = KeyCode::Char('a');
    press(&mut app, &s, at, &[KeyCode::Char('g'), a, a, a]);
    let mut seen = String::new();
    let first = draw(&app, &s, at, 80, 24);
    assert!(first.contains("stages 1–4 of 8"), "{first}");
    for _ in 0..8 {
        let screen = draw(&app, &s, at, 80, 24);
        boxes_whole(&screen, "grid");
        common::titles_whole(&screen, "grid");
        seen.push_str(&screen);
        press(&mut app, &s, at, &[KeyCode::Right]);
    }
    assert!(draw(&app, &s, at, 80, 24).contains("stages 5–8 of 8"));
    for a in &g.accounts {
        let label = a.label(&s);
        let head = roundtable::ui::big::shorten_at_word(&label, 10);
        let head = head.trim_end_matches('…');
        assert!(seen.contains(head), "{label} is on no page:\n{seen}");
    }
    press(&mut app, &s, at, &[KeyCode::Left]);
    assert!(draw(&app, &s, at, 80, 24).contains("stages 4–7 of 8"));
    // Wide enough, every stage is a column at once.
    assert!(!draw(&app, &s, at, 160, 48).contains("of 8"));
}

/// A terminal that cannot tell a paste from typing (Windows' classic
/// console) would save each pasted line as a statement of its own: the
/// screens say so, whole at 80×24, for as long as the session runs; a
/// viewer, who types nothing, is not told (issue 36).
#[test]
fn a_console_that_cannot_mark_a_paste_says_so_on_every_seat_that_types() {
    use roundtable::app::PASTE_IS_TYPING;
    let (s, at) = mid_discussion();
    let mut app = app_on(Screen::Capture);
    app.paste_is_typing();
    for screen in [Screen::Capture, Screen::Projector] {
        app.screen = screen;
        let shown = draw(&app, &s, at, 80, 24);
        assert!(shown.contains(PASTE_IS_TYPING), "{screen:?}:\n{shown}");
    }
    press(&mut app, &s, at, &[KeyCode::Char('x'), KeyCode::Enter]);
    assert!(draw(&app, &s, at, 80, 24).contains(PASTE_IS_TYPING));
    let mut viewer = app_on(Screen::Projector);
    viewer.seat = roundtable::app::actions::Seat::Viewer;
    viewer.paste_is_typing();
    assert!(!draw(&viewer, &s, at, 80, 24).contains(PASTE_IS_TYPING));
}

/// Issue 33, item 1: a staff study on the 3×3 grid. The vote screen breaks
/// the dot vote down by sector (the room's natural breakdown: nine staff
/// would all be `staff`) and, with `b`, by level; every projector shows
/// the closed round by sector; the synthesis grid's columns go to sector
/// and level with `a`.
#[test]
fn a_staff_grid_breaks_down_by_sector_and_level() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::grid::grid_session(tmp.path());
    // The session as it stood with the round still open (the last record
    // closes it).
    let journal = std::fs::read_to_string(dir.join("journal.ron")).unwrap();
    let mut open = Session::default();
    let lines: Vec<&str> = journal.lines().collect();
    for line in &lines[..lines.len() - 1] {
        open.apply(&decode(line.as_bytes()).unwrap().event).unwrap();
    }
    let at = common::t(59);
    let mut app = app_on(Screen::Vote);
    both_sizes("grid_vote_by_sector", &app, &open, at);
    let wide = draw(&app, &open, at, 160, 48);
    for want in [
        "by sector:",
        "NHS",
        "LA",
        "VCSE",
        "27 dots placed",
        "staff · LA front",
    ] {
        assert!(wide.contains(want), "{want}:\n{wide}");
    }
    assert!(!wide.contains("service users"), "{wide}");
    press(&mut app, &open, at, &[KeyCode::Char('b')]);
    both_sizes("grid_vote_by_level", &app, &open, at);
    let wide = draw(&app, &open, at, 160, 48);
    assert!(
        wide.contains("by level:") && wide.contains("results by level"),
        "{wide}"
    );
    // Closed, on every projector.
    let s = roundtable::store::open_read_only(&dir).unwrap().session;
    let at = common::t(70);
    let shown = room_shows(
        s.clone(),
        at,
        roundtable::domain::RoomView::Results("v1".into()),
    );
    both_sizes(
        "grid_projector_results_by_sector",
        &app_on(Screen::Projector),
        &shown,
        at,
    );
    let mut app = app_on(Screen::Synthesis);
    press(&mut app, &s, at, &[KeyCode::Char('g'), KeyCode::Char('a')]);
    both_sizes("grid_synthesis_by_sector", &app, &s, at);
    press(&mut app, &s, at, &[KeyCode::Char('a')]);
    both_sizes("grid_synthesis_by_level", &app, &s, at);
    let wide = draw(&app, &s, at, 160, 48);
    assert!(
        wide.contains("strategic") && wide.contains("front line"),
        "{wide}"
    );
    // Nine staff on the capture screen: told apart by where they sit.
    let app = app_on(Screen::Capture);
    both_sizes("grid_capture_speakers", &app, &s, at);
    let small = draw(&app, &s, at, 80, 24);
    assert!(
        small.contains("P3 LA front") && small.contains(" group "),
        "{small}"
    );
}

/// A closed ranking among the earlier rounds says its counts are points.
#[test]
fn an_earlier_ranking_round_says_its_counts_are_points() {
    let mut s = Session::default();
    let t = common::t;
    for e in [
        Event::SessionCreated {
            title: "T".into(),
            focus: "F".into(),
            facilitator: "Sam".into(),
            created: t(0),
            template: None,
        },
        Event::ParticipantAdded {
            participant: roundtable::domain::Participant::consenting(
                "P1",
                roundtable::domain::Role::Staff,
            ),
        },
        Event::VoteOpened {
            id: "v1".into(),
            target: roundtable::domain::VoteTarget::Question,
            question: "Which first?".into(),
            method: roundtable::domain::VoteMethod::Ranking {
                options: vec!["Time".into(), "Money".into()],
            },
            mode: roundtable::domain::BallotMode::Anonymous,
            hidden: false,
            named: false,
            stage: None,
            at: t(1),
        },
        Event::AnonymousBallotCast {
            round: "v1".into(),
            ballot: "b1".into(),
            group: roundtable::domain::RoleGroup::Staff,
            choice: roundtable::domain::Choice::Ranking(vec![1, 0]),
            at: t(2),
        },
        Event::VoteClosed {
            round: "v1".into(),
            at: t(3),
        },
    ] {
        s.apply(&e).unwrap();
    }
    let screen = draw(&app_on(Screen::Vote), &s, t(4), 80, 24);
    assert!(screen.contains("Which first?: Money 1 pts"), "{screen}");
}
