//! Pure `update`: key sequences give exactly the expected events.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use roundtable::app::keymap::Keymap;
use roundtable::app::synthesis::SynthView;
use roundtable::app::{App, Effect, Model, Msg, Overlay, PromptKind, Screen, update};
use roundtable::domain::*;

mod common;

fn t(sec: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_773_482_400_000 + sec * 1000)
}

fn session(started: bool) -> Session {
    let mut s = Session::default();
    let mut events = vec![
        Event::SessionCreated {
            title: "T".into(),
            focus: "F".into(),
            facilitator: "Sam".into(),
            created: t(0),
            template: None,
        },
        Event::ParticipantAdded {
            participant: Participant::consenting("P1", Role::ServiceUser),
        },
        Event::ParticipantAdded {
            participant: Participant::consenting("P2", Role::UnpaidCarer),
        },
        Event::StageAdded {
            id: "S1".into(),
            kind: StageKind::Discuss,
            title: "Talk".into(),
            prompt: "Say".into(),
            planned_secs: 600,
        },
        Event::StageAdded {
            id: "S2".into(),
            kind: StageKind::Vote,
            title: "Vote".into(),
            prompt: "Vote".into(),
            planned_secs: 300,
        },
    ];
    if started {
        events.push(Event::StageStarted {
            stage: "S1".into(),
            at: t(0),
        });
    }
    for e in events {
        s.apply(&e).unwrap();
    }
    s
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Feeds messages, applying each recorded event as if the store saved it.
struct Driver {
    model: Model,
    now: Timestamp,
    recorded: Vec<Event>,
    effects: Vec<Effect>,
    /// When false, recorded events stay in flight (not yet saved).
    save: bool,
    /// Key presses sent, for counting what a common path costs.
    pressed: usize,
}

impl Driver {
    fn new(session: Session) -> Self {
        Self {
            model: Model::new(App::new(Keymap::default(), "note-taker"), session),
            now: t(60),
            recorded: vec![],
            effects: vec![],
            save: true,
            pressed: 0,
        }
    }

    fn send(&mut self, msg: Msg) {
        if matches!(msg, Msg::Key(_)) {
            self.pressed += 1;
        }
        let fx = update(&mut self.model, msg, self.now);
        for e in fx {
            if let Effect::Record { token, event } = &e {
                self.recorded.push(event.clone());
                if self.save {
                    // The store would refuse what the session refuses.
                    self.model
                        .session
                        .read()
                        .check(event)
                        .unwrap_or_else(|err| panic!("{event:?}: {err}"));
                    let seq = self.model.session.read().applied + 1;
                    update(
                        &mut self.model,
                        Msg::Saved {
                            token: *token,
                            seq,
                            event: event.clone(),
                        },
                        self.now,
                    );
                }
            }
            self.effects.push(e);
        }
    }

    fn keys(&mut self, codes: &[KeyCode]) {
        for c in codes {
            self.send(key(*c));
        }
    }

    fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            self.send(key(KeyCode::Char(c)));
        }
    }

    fn take(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.recorded)
    }

    /// What the status line says now (there must be something).
    fn said(&self) -> String {
        self.model.app.message.clone().expect("a message").text
    }
}

#[test]
fn typing_a_statement_for_p2_with_a_tag_gives_exactly_that_statement() {
    let mut d = Driver::new(session(true));
    d.keys(&[KeyCode::F(3), KeyCode::Tab]);
    d.type_text("Nobody asked me what Mum needed #barrier");
    assert!(d.take().is_empty(), "nothing is recorded while typing");
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.take(),
        vec![Event::StatementAdded {
            id: "st1".into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant("P2".into()),
            stage: Some("S1".into()),
            text: "Nobody asked me what Mum needed".into(),
            tags: vec!["barrier".into()],
            captured_by: "note-taker".into(),
            at: t(60),
        }]
    );
    assert!(
        d.model.app.capture.input.is_empty(),
        "the input is cleared for the next statement"
    );
    let msg = d.model.app.message.clone().unwrap();
    assert!(msg.text.contains("✓ saved: statement st1"), "{}", msg.text);
}

#[test]
fn speaker_by_pseudonym_kind_and_group() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    d.type_text("@p2 We were never asked. #Carers #barrier,");
    d.send(ctrl('t'));
    d.send(key(KeyCode::Enter));
    let Event::StatementAdded {
        speaker,
        kind,
        text,
        tags,
        ..
    } = &d.take()[0]
    else {
        panic!()
    };
    assert_eq!(speaker, &Speaker::Participant("P2".into()));
    assert_eq!(*kind, StatementKind::Paraphrase);
    assert_eq!(text, "We were never asked.");
    assert_eq!(tags, &vec!["carers".to_owned(), "barrier".to_owned()]);
    d.send(ctrl('g'));
    d.type_text("General agreement.");
    d.send(key(KeyCode::Enter));
    let Event::StatementAdded { id, speaker, .. } = &d.take()[0] else {
        panic!()
    };
    assert_eq!(id.as_str(), "st2");
    assert_eq!(speaker, &Speaker::Group);
}

#[test]
fn pasted_lines_are_kept_and_empty_input_saves_nothing() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    d.send(key(KeyCode::Enter));
    assert!(d.take().is_empty());
    d.send(Msg::Paste("First line,\r\nsecond line #quote-this".into()));
    d.send(key(KeyCode::Enter));
    let Event::StatementAdded { text, tags, .. } = &d.take()[0] else {
        panic!()
    };
    assert_eq!(text, "First line,\nsecond line");
    assert_eq!(tags, &vec!["quote-this".to_owned()]);
}

#[test]
fn typing_goes_on_while_a_commit_is_in_flight_and_ids_do_not_clash() {
    let mut d = Driver::new(session(true));
    d.save = false;
    d.send(key(KeyCode::F(3)));
    d.type_text("one");
    d.send(key(KeyCode::Enter));
    d.type_text("two");
    d.send(key(KeyCode::Enter));
    let ids: Vec<String> = d
        .take()
        .iter()
        .filter_map(|e| roundtable::app::event_id(e).map(str::to_owned))
        .collect();
    assert_eq!(ids, vec!["st1", "st2"]);
    assert_eq!(d.model.app.in_flight(), 2);
    assert!(
        d.model.app.message.is_none() || !d.said().contains("saved"),
        "nothing is marked saved before the store says so"
    );
}

#[test]
fn a_failed_save_keeps_the_text_and_retry_sends_it_again() {
    let mut d = Driver::new(session(true));
    d.save = false;
    d.send(key(KeyCode::F(3)));
    d.type_text("Keep me");
    d.send(key(KeyCode::Enter));
    let first = d.take();
    let Effect::Record { token, .. } = d.effects[0].clone() else {
        panic!()
    };
    d.send(Msg::Failed {
        token,
        error: "disk full; free some space".into(),
        retry: true,
    });
    // What happened and the key to act on it fit in 80 columns, before the
    // name of what failed.
    let shown = d.said();
    assert_eq!(
        shown,
        "NOT SAVED: disk full; free some space · ^R retries · statement st1"
    );
    assert!(shown.chars().count() <= 80);
    assert_eq!(d.model.app.pending.len(), 1);
    assert!(d.model.app.pending[0].failed.is_some());
    d.send(ctrl('r'));
    assert_eq!(
        d.take(),
        first,
        "the same statement, same id, is sent again"
    );
    assert_eq!(d.model.app.pending.len(), 1);
    assert!(d.model.app.pending[0].failed.is_none());
}

#[test]
fn stage_controls_are_events() {
    let mut d = Driver::new(session(false));
    d.send(key(KeyCode::Char('s')));
    assert_eq!(
        d.take(),
        vec![Event::StageStarted {
            stage: "S1".into(),
            at: t(60)
        }]
    );
    d.send(key(KeyCode::Char('+')));
    // An extension offers to take the time back from later stages; Esc leaves them.
    assert!(matches!(
        d.model.app.overlays.last(),
        Some(Overlay::Choose { .. })
    ));
    d.send(key(KeyCode::Esc));
    d.send(key(KeyCode::Char('[')));
    assert_eq!(
        d.take(),
        vec![
            Event::StageAdjusted {
                stage: "S1".into(),
                by_secs: 60,
                at: t(60)
            },
            Event::StageAdjusted {
                stage: "S1".into(),
                by_secs: -300,
                at: t(60)
            },
        ]
    );
    d.send(key(KeyCode::Char(' ')));
    d.send(key(KeyCode::Char(' ')));
    assert_eq!(
        d.take(),
        vec![
            Event::StagePaused {
                stage: "S1".into(),
                at: t(60)
            },
            Event::StageResumed {
                stage: "S1".into(),
                at: t(60)
            }
        ]
    );
    d.send(key(KeyCode::Char('n')));
    assert!(d.take().is_empty(), "next asks first");
    assert!(matches!(
        d.model.app.overlays.last(),
        Some(Overlay::Confirm { .. })
    ));
    d.send(key(KeyCode::Char('n')));
    assert!(
        d.take().is_empty() && d.model.app.overlays.is_empty(),
        "n at the question cancels"
    );
    d.send(key(KeyCode::Char('n')));
    d.send(key(KeyCode::Char('y')));
    assert_eq!(
        d.take(),
        vec![
            Event::StageEnded {
                stage: "S1".into(),
                at: t(60)
            },
            Event::StageStarted {
                stage: "S2".into(),
                at: t(60)
            }
        ]
    );
    d.send(key(KeyCode::Char('p')));
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.take(),
        vec![
            Event::StageEnded {
                stage: "S2".into(),
                at: t(60)
            },
            Event::StageReopened {
                stage: "S1".into(),
                at: t(60)
            }
        ]
    );
}

#[test]
fn a_vote_round_opens_on_the_latest_statement_and_takes_single_key_ballots() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    d.type_text("Being told is not being asked");
    d.send(key(KeyCode::Enter));
    d.take();
    d.send(key(KeyCode::F(4)));
    assert_eq!(d.model.app.screen, Screen::Vote);
    d.send(key(KeyCode::Char('h')));
    d.send(key(KeyCode::Char('o')));
    assert_eq!(
        d.take(),
        vec![Event::VoteOpened {
            id: "v1".into(),
            target: VoteTarget::Statement("st1".into()),
            question: "Do you agree with this statement?".into(),
            method: VoteMethod::AgreeDisagree,
            mode: BallotMode::PerParticipant,
            hidden: true,
            named: false,
            stage: Some("S1".into()),
            at: t(60),
        }]
    );
    d.keys(&[KeyCode::Char('a'), KeyCode::Char('d'), KeyCode::Char('p')]);
    // The cursor stops at the last participant. Their ballot was silently
    // overwritten; now the screen asks first, naming both choices.
    assert_eq!(
        d.recorded.len(),
        2,
        "the third key asks instead of recording"
    );
    let Some(Overlay::Confirm { question, .. }) = d.model.app.overlays.last() else {
        panic!("replacing a ballot asks")
    };
    assert_eq!(
        question,
        "P2 has voted “disagree”, taken by note-taker. Replace it with “pass”?"
    );
    d.send(key(KeyCode::Char('y')));
    let ballots = d.take();
    assert_eq!(ballots.len(), 3);
    assert_eq!(
        ballots[0],
        Event::BallotCast {
            round: "v1".into(),
            participant: "P1".into(),
            choice: Choice::Agreement(Agreement::Agree),
            at: t(60),
            recorded_by: "note-taker".into(),
        }
    );
    let Event::BallotCast {
        participant,
        choice,
        ..
    } = &ballots[1]
    else {
        panic!()
    };
    assert_eq!(
        (participant.as_str(), choice),
        ("P2", &Choice::Agreement(Agreement::Disagree))
    );
    let Event::BallotCast {
        participant,
        choice,
        ..
    } = &ballots[2]
    else {
        panic!()
    };
    assert_eq!(
        (participant.as_str(), choice),
        ("P2", &Choice::Agreement(Agreement::Pass))
    );
    let s = d.model.session.read();
    assert_eq!(
        s.results(&s.rounds["v1"]).counts,
        vec![1, 0, 1],
        "P2's latest ballot counts"
    );
    drop(s);
    d.send(key(KeyCode::Char('x')));
    d.send(key(KeyCode::Char('y')));
    // Closing reveals: every projector shows the result until the facilitator moves on.
    assert_eq!(
        d.take(),
        vec![
            Event::VoteClosed {
                round: "v1".into(),
                at: t(60)
            },
            Event::RoomShows {
                view: RoomView::Results("v1".into()),
                at: t(60)
            }
        ]
    );
}

#[test]
fn counted_tallies_and_dots() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(4)));
    d.keys(&[KeyCode::Char('t'), KeyCode::Char('c')]);
    d.send(key(KeyCode::Char('e')));
    d.type_text("Which first?");
    d.send(key(KeyCode::Enter));
    d.send(key(KeyCode::Char('o')));
    let Event::VoteOpened {
        mode,
        target,
        question,
        ..
    } = &d.take()[0]
    else {
        panic!()
    };
    assert_eq!(
        (*mode, target, question.as_str()),
        (BallotMode::Counted, &VoteTarget::Question, "Which first?")
    );
    d.keys(&[
        KeyCode::Char('r'),
        KeyCode::Char('4'),
        KeyCode::Down,
        KeyCode::Char('+'),
        KeyCode::Char('+'),
        KeyCode::Char('-'),
        KeyCode::Enter,
    ]);
    // Five service-user hands when the session lists one service user was
    // accepted without a word. Now it asks, and says why.
    assert!(d.take().is_empty());
    let Some(Overlay::Confirm { question, .. }) = d.model.app.overlays.last() else {
        panic!("a tally larger than the group asks")
    };
    assert!(
        question.contains("5 hands counted, but the service user group lists 1 person"),
        "{question}"
    );
    d.send(key(KeyCode::Char('n')));
    assert!(d.take().is_empty(), "no: nothing recorded");
    d.send(key(KeyCode::Enter));
    d.send(key(KeyCode::Char('y')));
    assert_eq!(
        d.take(),
        vec![Event::TallyRecorded {
            round: "v1".into(),
            role: Some(Role::ServiceUser),
            counts: vec![4, 1, 0],
            at: t(60),
            beyond_roster: true,
        }]
    );
    d.send(key(KeyCode::Char('x')));
    d.send(key(KeyCode::Enter));
    d.take();
    // The next round's form starts afresh: one ballot per participant, no
    // question. `c` goes on to a show of hands, to anonymous, and back.
    assert_eq!(d.model.app.vote.mode, BallotMode::PerParticipant);
    assert!(d.model.app.vote.question.is_empty());
    d.keys(&[KeyCode::Char('c'), KeyCode::Char('c')]);
    assert_eq!(d.model.app.vote.mode, BallotMode::Anonymous);
    // A dot vote needs options; with them, digits place dots and Enter casts.
    d.keys(&[
        KeyCode::Char('c'),
        KeyCode::Char('t'),
        KeyCode::Char('m'),
        KeyCode::Char('m'),
    ]);
    assert_eq!(d.model.app.vote.mode, BallotMode::PerParticipant);
    d.send(key(KeyCode::Char('o')));
    assert!(d.take().is_empty());
    assert!(d.said().contains("needs its wording"), "{}", d.said());
    d.send(key(KeyCode::Char('e')));
    d.type_text("Most urgent?");
    d.send(key(KeyCode::Enter));
    d.send(key(KeyCode::Char('o')));
    assert!(d.take().is_empty());
    assert!(d.said().contains("needs options"), "{}", d.said());
    d.send(key(KeyCode::Char('e')));
    d.send(ctrl('u'));
    for _ in 0..20 {
        d.send(key(KeyCode::Backspace));
    }
    d.type_text("Most urgent? | Late news | Not asked");
    d.send(key(KeyCode::Enter));
    d.send(key(KeyCode::Char('o')));
    let Event::VoteOpened { method, .. } = &d.take()[0] else {
        panic!()
    };
    assert_eq!(
        method,
        &VoteMethod::Dots {
            options: vec!["Late news".into(), "Not asked".into()],
            per_person: 3
        }
    );
    d.keys(&[
        KeyCode::Char('2'),
        KeyCode::Char('2'),
        KeyCode::Char('1'),
        KeyCode::Char('1'),
        KeyCode::Enter,
    ]);
    let Event::BallotCast { choice, .. } = &d.take()[0] else {
        panic!()
    };
    assert_eq!(choice, &Choice::Dots(vec![1, 2]), "at most 3 dots");
}

#[test]
fn memo_amend_and_retract() {
    let mut d = Driver::new(session(true));
    d.send(ctrl('n'));
    d.type_text("I talked too much");
    d.send(key(KeyCode::Tab));
    d.send(key(KeyCode::Enter));
    let Event::MemoAdded {
        kind, text, stage, ..
    } = &d.take()[0]
    else {
        panic!()
    };
    assert_eq!(
        (*kind, text.as_str(), stage.as_ref().map(|s| s.as_str())),
        (MemoKind::Reflexive, "I talked too much", Some("S1"))
    );
    d.send(key(KeyCode::F(3)));
    d.type_text("The ward rang late #barrier");
    d.send(key(KeyCode::Enter));
    d.take();
    d.send(key(KeyCode::PageUp));
    d.send(ctrl('e'));
    d.type_text(" in the day");
    d.send(key(KeyCode::Enter));
    let Event::StatementAmended {
        statement,
        text,
        tags,
        ..
    } = &d.take()[0]
    else {
        panic!()
    };
    assert_eq!(
        (statement.as_str(), text.as_str()),
        ("st1", "The ward rang late in the day")
    );
    assert_eq!(tags, &vec!["barrier".to_owned()]);
    d.send(ctrl('x'));
    d.send(key(KeyCode::Enter));
    assert!(d.take().is_empty(), "a retraction needs a reason");
    d.type_text("speaker asked");
    d.send(key(KeyCode::Enter));
    let Event::StatementRetracted {
        statement, reason, ..
    } = &d.take()[0]
    else {
        panic!()
    };
    assert_eq!(
        (statement.as_str(), reason.as_str()),
        ("st1", "speaker asked")
    );
}

#[test]
fn the_bell_rings_once_at_zero_and_again_after_an_extension() {
    let mut d = Driver::new(session(true));
    d.now = t(599);
    d.send(Msg::Tick);
    assert!(!d.effects.contains(&Effect::Bell));
    d.now = t(600);
    d.send(Msg::Tick);
    d.send(Msg::Tick);
    assert_eq!(d.effects.iter().filter(|e| **e == Effect::Bell).count(), 1);
    assert!(d.said().starts_with("TIME"));
    d.send(key(KeyCode::Char('+')));
    d.now = t(661);
    d.send(Msg::Tick);
    assert_eq!(d.effects.iter().filter(|e| **e == Effect::Bell).count(), 2);
}

#[test]
fn quitting_with_saves_in_flight_asks_and_key_releases_are_ignored() {
    let mut d = Driver::new(session(true));
    d.save = false;
    d.send(Msg::Key(KeyEvent::new_with_kind(
        KeyCode::Char('s'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    )));
    d.send(key(KeyCode::Char('+')));
    assert_eq!(d.take().len(), 1);
    d.send(key(KeyCode::Esc));
    d.send(key(KeyCode::Char('q')));
    assert!(!d.effects.contains(&Effect::Quit));
    d.send(key(KeyCode::Char('y')));
    assert!(d.effects.contains(&Effect::Quit));
}

#[test]
fn help_opens_and_any_key_closes_it_without_acting() {
    let mut d = Driver::new(session(false));
    d.send(key(KeyCode::Char('?')));
    assert!(matches!(
        d.model.app.overlays.last(),
        Some(Overlay::Help { page: 0 })
    ));
    // PgDn and space turn its page and change nothing else.
    d.send(key(KeyCode::PageDown));
    d.send(key(KeyCode::Char(' ')));
    assert!(matches!(
        d.model.app.overlays.last(),
        Some(Overlay::Help { page: 2 })
    ));
    d.send(key(KeyCode::Char('s')));
    assert!(d.model.app.overlays.is_empty());
    assert!(
        d.take().is_empty(),
        "the key that closed help did nothing else"
    );
}

#[test]
fn synthesis_keys_give_synthesis_events() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    for text in ["Told too late", "Asked, not told", "Beds decide"] {
        d.type_text(text);
        d.send(key(KeyCode::Enter));
    }
    d.take();
    d.send(key(KeyCode::F(6)));
    d.send(key(KeyCode::Char('n')));
    d.type_text("Late word");
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.take(),
        vec![Event::ConceptCreated {
            id: "c1".into(),
            name: "Late word".into(),
            description: String::new()
        }]
    );
    // Mark two statements and create a concept from them: created and linked.
    d.keys(&[
        KeyCode::Tab,
        KeyCode::Char(' '),
        KeyCode::Char(' '),
        KeyCode::Char('n'),
    ]);
    d.type_text("Being asked");
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.take(),
        vec![
            Event::ConceptCreated {
                id: "c2".into(),
                name: "Being asked".into(),
                description: String::new()
            },
            Event::StatementsLinked {
                concept: "c2".into(),
                statements: vec!["st1".into(), "st2".into()]
            },
        ]
    );
    // Filter, then link the one match to c1.
    d.send(key(KeyCode::Char('/')));
    d.type_text("beds");
    d.send(key(KeyCode::Enter));
    d.keys(&[KeyCode::Tab, KeyCode::Up, KeyCode::Char('l')]);
    assert_eq!(
        d.take(),
        vec![Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["st3".into()]
        }]
    );
    // Split st2 out of c2.
    d.send(key(KeyCode::Esc));
    d.keys(&[
        KeyCode::Tab,
        KeyCode::Down,
        KeyCode::Char(' '),
        KeyCode::Tab,
        KeyCode::Down,
        KeyCode::Char('s'),
    ]);
    d.type_text("Asked first");
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.take(),
        vec![Event::ConceptSplit {
            concept: "c2".into(),
            parts: vec![roundtable::domain::ConceptPart {
                id: "c3".into(),
                name: "Asked first".into(),
                statements: vec!["st2".into()]
            }],
        }]
    );
    // A refutational translation needs its rationale; a line of argument keeps the marking order.
    // (`space` marks and moves on to the next concept.)
    d.keys(&[
        KeyCode::Up,
        KeyCode::Up,
        KeyCode::Char(' '),
        KeyCode::Char(' '),
        KeyCode::Char('2'),
    ]);
    d.send(key(KeyCode::Enter));
    assert!(d.take().is_empty(), "an empty rationale is not accepted");
    d.type_text("They pull apart");
    d.send(key(KeyCode::Enter));
    let Event::TranslationMade {
        kind,
        concepts,
        rationale,
        ..
    } = &d.take()[0]
    else {
        panic!()
    };
    assert_eq!(
        (kind, rationale.as_str()),
        (&TranslationKind::Refutational, "They pull apart")
    );
    assert_eq!(
        concepts,
        &vec![ConceptId::from("c1"), ConceptId::from("c2")]
    );
    d.keys(&[
        KeyCode::Up,
        KeyCode::Char(' '),
        KeyCode::Up,
        KeyCode::Up,
        KeyCode::Char(' '),
        KeyCode::Char('3'),
    ]);
    d.type_text("Late word leaves carers out");
    d.send(key(KeyCode::Enter));
    d.send(key(KeyCode::Enter));
    // Its stages are optional: Enter leaves none.
    d.send(key(KeyCode::Enter));
    let Event::TranslationMade { kind, concepts, .. } = &d.take()[0] else {
        panic!()
    };
    assert_eq!(
        kind,
        &TranslationKind::LineOfArgument {
            argument: "Late word leaves carers out".into(),
            stages: vec![],
        }
    );
    assert_eq!(
        concepts,
        &vec![ConceptId::from("c2"), ConceptId::from("c1")],
        "in the order they were marked"
    );
    // Draft from marked concepts picks up translations among them.
    d.keys(&[
        KeyCode::Up,
        KeyCode::Char(' '),
        KeyCode::Char(' '),
        KeyCode::Char('d'),
    ]);
    d.type_text("Ask carers first");
    d.send(key(KeyCode::Enter));
    let Event::InterpretationDrafted {
        translations,
        concepts,
        ..
    } = &d.take()[0]
    else {
        panic!()
    };
    assert_eq!(translations.len(), 2);
    assert_eq!(concepts.len(), 2);
    d.send(key(KeyCode::Char('e')));
    d.send(ctrl('u'));
    for _ in 0..40 {
        d.send(key(KeyCode::Backspace));
    }
    d.type_text("Ask carers before deciding");
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.take(),
        vec![Event::InterpretationRevised {
            interpretation: "i1".into(),
            text: "Ask carers before deciding".into(),
            at: t(60)
        }]
    );
}

#[test]
fn quitting_with_unsaved_text_asks_and_offers_a_rescue_file() {
    let mut d = Driver::new(session(true));
    d.save = false;
    d.send(key(KeyCode::F(3)));
    d.type_text("The disk refused me");
    d.send(key(KeyCode::Enter));
    let Effect::Record { token, .. } = d.effects[0].clone() else {
        panic!()
    };
    d.send(Msg::Failed {
        token,
        error: "disk full; free some space".into(),
        retry: true,
    });
    d.type_text("half a thought");
    d.effects.clear();
    // ctrl-Q does not quit: it says what would be lost.
    d.send(ctrl('q'));
    assert!(!d.effects.contains(&Effect::Quit));
    let Some(Overlay::Quit { unsaved, .. }) = d.model.app.overlays.last() else {
        panic!("quitting asks first")
    };
    assert_eq!(unsaved.describe(), "1 NOT SAVED and text being typed");
    // Esc stays, losing nothing.
    d.send(key(KeyCode::Esc));
    assert!(d.model.app.overlays.is_empty() && !d.effects.contains(&Effect::Quit));
    d.send(ctrl('q'));
    d.send(key(KeyCode::Char('r')));
    let Some(Effect::Rescue { text }) = d.effects.last().cloned() else {
        panic!("r asks for a rescue file: {:?}", d.effects)
    };
    assert!(
        text.contains("NOT SAVED (disk full; free some space)"),
        "{text}"
    );
    assert!(text.contains("    The disk refused me"), "{text}");
    assert!(text.contains("half a thought"), "{text}");
    assert!(text.contains("record: StatementAdded("), "{text}");
    assert!(
        !d.effects.contains(&Effect::Quit),
        "not before it is written"
    );
    // If the rescue file cannot be written either, the program stays.
    d.send(Msg::Rescued(Err("No space left on device".into())));
    assert!(!d.effects.contains(&Effect::Quit));
    assert!(d.said().contains("still running"));
    d.send(ctrl('q'));
    d.send(key(KeyCode::Char('r')));
    d.send(Msg::Rescued(Ok("s/rescue-x.txt".into())));
    assert!(d.effects.contains(&Effect::Quit));
}

#[test]
fn quitting_always_asks_even_with_nothing_unsaved() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::Char('q')));
    assert!(
        !d.effects.contains(&Effect::Quit),
        "a single q does not end the session"
    );
    let Some(Overlay::Quit { unsaved, peers }) = d.model.app.overlays.last() else {
        panic!("quitting asks")
    };
    assert!(unsaved.is_nothing() && peers.is_empty());
    d.send(key(KeyCode::Esc));
    assert!(!d.effects.contains(&Effect::Quit));
    d.send(ctrl('q'));
    d.send(key(KeyCode::Enter));
    assert!(
        d.effects.contains(&Effect::Quit),
        "Enter quits when nothing would be lost"
    );
}

#[test]
fn only_a_leading_at_name_picks_the_speaker_and_an_unknown_one_is_refused() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    // Mid-sentence, a mention is part of what was said.
    d.type_text("I agree with @P2 about the leaflet");
    d.send(key(KeyCode::Enter));
    let Event::StatementAdded { speaker, text, .. } = &d.take()[0] else {
        panic!()
    };
    assert_eq!(
        speaker,
        &Speaker::Participant("P1".into()),
        "the highlighted speaker"
    );
    assert_eq!(text, "I agree with @P2 about the leaflet");
    // An unknown name at the start is refused, and the text stays to fix.
    d.type_text("@P7 Nobody asked me");
    d.send(key(KeyCode::Enter));
    assert!(d.take().is_empty(), "nothing saved under the wrong name");
    let said = d.said();
    assert!(said.contains("nobody here is @P7"), "{said}");
    assert_eq!(
        d.model.app.capture.input.lines().join(""),
        "@P7 Nobody asked me"
    );
}

fn joined(session: Session, viewer: bool) -> Driver {
    let mut d = Driver::new(Session::default());
    d.model = Model::joined(App::new(Keymap::default(), "Ana"), "ana-".into(), viewer);
    d.model.session = roundtable::store::Shared::new(session);
    d
}

/// A note-taker was shown the facilitator's keys, which then failed as NOT
/// SAVED at the host. Now a note-taker's terminal neither shows nor uses
/// them, and still captures statements and ballots.
#[test]
fn a_note_taker_is_shown_and_uses_only_what_a_note_taker_may_do() {
    use roundtable::app::actions::Layer;
    use roundtable::app::hints::{help_lines, hints};
    let mut d = joined(session(true), false);
    let keymap = &d.model.app.keymap;
    let shown: Vec<String> = [
        Layer::Projector,
        Layer::Agenda,
        Layer::Vote,
        Layer::Synthesis,
    ]
    .into_iter()
    .flat_map(|l| {
        hints(keymap, l, None)
            .into_iter()
            .map(|(_, label)| label.to_owned())
            .chain(help_lines(keymap, l).into_iter().map(|(_, what)| what))
    })
    .collect();
    for facilitators in [
        "start",
        "pause",
        "+1m",
        "next",
        "blank",
        "break",
        "open",
        "new concept",
    ] {
        assert!(
            !shown.iter().any(|s| s == facilitators),
            "a note-taker is not offered `{facilitators}`: {shown:?}"
        );
    }
    for own in [
        "save the statement",
        "retract the selected statement",
        "agree",
    ] {
        assert!(
            shown.iter().any(|s| s.contains(own)) || {
                let capture = help_lines(keymap, Layer::Capture);
                capture.iter().any(|(_, w)| w.contains(own))
            },
            "a note-taker may `{own}`"
        );
    }
    // The facilitator's keys do nothing here: no proposal to be refused.
    d.keys(&[KeyCode::F(2)]);
    d.keys(&[
        KeyCode::Char('n'),
        KeyCode::Char(' '),
        KeyCode::Char('b'),
        KeyCode::Char('+'),
    ]);
    assert!(d.take().is_empty());
    assert!(d.model.app.overlays.is_empty(), "no question was asked");
    // Capturing works as before.
    d.keys(&[KeyCode::F(3)]);
    d.type_text("The ward rang me");
    d.send(key(KeyCode::Enter));
    assert!(matches!(
        d.take().as_slice(),
        [Event::StatementAdded { captured_by, .. }] if captured_by == "Ana"
    ));
}

/// On a `--viewer` projector, space showed NOT SAVED on the wall. A viewer
/// proposes nothing and says nothing when a key is pressed.
#[test]
fn a_viewer_proposes_nothing_and_puts_no_message_on_the_wall() {
    let mut d = joined(session(true), true);
    for c in [' ', 's', 'n', 'b', 'k', 'x', 'a', '1'] {
        d.send(key(KeyCode::Char(c)));
    }
    d.keys(&[KeyCode::F(3), KeyCode::F(4), KeyCode::Tab, KeyCode::Enter]);
    assert!(d.take().is_empty());
    assert_eq!(
        d.model.app.screen,
        Screen::Projector,
        "it stays the projector"
    );
    assert!(d.model.app.message.is_none(), "{:?}", d.model.app.message);
}

/// A refused proposal's NOT SAVED stuck on screen and waited for a retry
/// that could only be refused again. Now it is said once, not kept, and the
/// next key clears it; a failure that a retry could mend stays.
#[test]
fn a_refusal_is_said_once_and_not_kept_for_a_retry() {
    let mut d = joined(session(true), false);
    d.save = false;
    d.keys(&[KeyCode::F(3)]);
    d.type_text("Said twice");
    d.send(key(KeyCode::Enter));
    let Effect::Record { token, .. } = d.effects.last().cloned().unwrap() else {
        panic!()
    };
    d.send(Msg::Failed {
        token,
        error: "a note-taker cannot do that; ask the facilitator".into(),
        retry: false,
    });
    let said = d.said();
    assert!(said.starts_with("not saved: a note-taker cannot"), "{said}");
    assert!(d.model.app.pending.is_empty(), "nothing waits for a retry");
    d.type_text("x");
    assert!(d.model.app.message.is_none(), "read once, then gone");
    // A write that failed stays marked, and its message stays until retried.
    d.send(key(KeyCode::Enter));
    let Effect::Record { token, .. } = d.effects.last().cloned().unwrap() else {
        panic!()
    };
    d.send(Msg::Failed {
        token,
        error: "disk full".into(),
        retry: true,
    });
    d.type_text("y");
    assert!(
        d.model
            .app
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("NOT SAVED")
    );
    assert_eq!(d.model.app.pending.len(), 1);
}

/// On the vote screen, choosing what a round is about did nothing: it was
/// always the latest statement. Up and down now choose the statement, and
/// the target key moves on to a free question.
#[test]
fn the_vote_screen_chooses_which_statement_a_round_is_about() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    for said in ["First thing", "Second thing", "Third thing"] {
        d.type_text(said);
        d.send(key(KeyCode::Enter));
    }
    d.take();
    d.keys(&[KeyCode::F(4), KeyCode::Up, KeyCode::Up, KeyCode::Char('o')]);
    let opened = d.take();
    assert!(
        matches!(&opened[..], [Event::VoteOpened { target: VoteTarget::Statement(s), .. }] if s.as_str() == "st1"),
        "{opened:?}"
    );
    d.keys(&[KeyCode::Char('x'), KeyCode::Char('y')]);
    d.take();
    d.keys(&[KeyCode::Down, KeyCode::Char('t'), KeyCode::Char('e')]);
    d.type_text("Which matters most?");
    d.keys(&[KeyCode::Enter, KeyCode::Char('o')]);
    let opened = d.take();
    assert!(
        matches!(&opened[..], [Event::VoteOpened { target: VoteTarget::Question, question, .. }, ..] if question == "Which matters most?"),
        "{opened:?}"
    );
}

/// Agreeing an interpretation after a vote pre-filled the reason with
/// `1 3, 2 4, 3 5`, and that was kept as typed. It now reads as the result.
#[test]
fn the_reason_for_a_decision_is_prefilled_with_the_result_in_words() {
    let mut s = session(true);
    for e in [
        Event::ConceptCreated {
            id: "c1".into(),
            name: "Being asked".into(),
            description: String::new(),
        },
        Event::InterpretationDrafted {
            id: "i1".into(),
            text: "Asked, not told".into(),
            translations: vec![],
            concepts: vec!["c1".into()],
            statements: vec![],
            at: t(1),
        },
        Event::VoteOpened {
            id: "v1".into(),
            target: VoteTarget::Interpretation("i1".into()),
            question: "Does it resonate?".into(),
            method: VoteMethod::Resonance,
            mode: BallotMode::PerParticipant,
            hidden: false,
            named: false,
            stage: None,
            at: t(2),
        },
    ] {
        s.apply(&e).unwrap();
    }
    for (p, r) in [("P1", 5), ("P2", 4)] {
        s.apply(&Event::BallotCast {
            round: "v1".into(),
            participant: p.into(),
            choice: Choice::Resonance(r),
            at: t(3),
            recorded_by: "note-taker".into(),
        })
        .unwrap();
    }
    s.apply(&Event::VoteClosed {
        round: "v1".into(),
        at: t(4),
    })
    .unwrap();
    let mut d = Driver::new(s);
    d.keys(&[KeyCode::F(6), KeyCode::Char('i'), KeyCode::Char('A')]);
    let Some(Overlay::Prompt { input, .. }) = d.model.app.overlays.last() else {
        panic!("a decision asks for its reason")
    };
    assert_eq!(
        input.lines().join(""),
        "round v1 (2 voted): 4: 1 (50%) · 5 strongly: 1 (50%)"
    );
    // Typing adds to the reason; the result in words is not one keystroke
    // from gone.
    d.type_text("; the carers agreed");
    assert_eq!(
        typed(&d),
        "round v1 (2 voted): 4: 1 (50%) · 5 strongly: 1 (50%); the carers agreed"
    );
}

/// Extending the running stage offers to take the time back from the
/// stages to come; taking it in proportion leaves the projected finish
/// where it was. Skipping, moving and adding stages are events too.
#[test]
fn the_agenda_bends_and_the_projected_finish_holds() {
    let mut s = session(true);
    for (id, mins) in [("S3", 20u32), ("S4", 10)] {
        s.apply(&Event::StageAdded {
            id: id.into(),
            kind: StageKind::Discuss,
            title: format!("Stage {id}"),
            prompt: String::new(),
            planned_secs: mins * 60,
        })
        .unwrap();
    }
    let mut d = Driver::new(s);
    let before = d.model.session.read().projection(d.now);
    d.keys(&[KeyCode::F(5), KeyCode::Char(']')]);
    let Some(Overlay::Choose { answers, .. }) = d.model.app.overlays.last() else {
        panic!("an extension offers to take the time back")
    };
    // S2 has only 5 minutes: taking all 5 would leave it none.
    assert_eq!(answers.len(), 3, "in proportion, or all from S3 or S4");
    d.send(key(KeyCode::Char('1')));
    let taken: i64 = d
        .take()
        .iter()
        .filter_map(|e| match e {
            Event::StageAdjusted { by_secs, .. } => Some(*by_secs),
            _ => None,
        })
        .sum();
    assert_eq!(taken, 0, "+5 min now, −5 min from the stages to come");
    assert_eq!(
        d.model.session.read().projection(d.now),
        before,
        "the finish holds"
    );
    // Choose S4 (two down from S2), skip it, move S3 before S2, add a stage.
    d.keys(&[
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Char('x'),
    ]);
    d.keys(&[KeyCode::Up, KeyCode::Char('<')]);
    d.send(key(KeyCode::Char('a')));
    d.type_text("Small groups 15");
    d.send(key(KeyCode::Enter));
    let names: Vec<&str> = d.take().iter().map(|e| e.name()).collect();
    assert_eq!(
        names,
        ["StageSkipped", "StageMoved", "StageAdded", "StageMoved"]
    );
    let s = d.model.session.read();
    let order: Vec<&str> = s.stages.keys().map(|k| k.as_str()).collect();
    assert_eq!(order, ["S1", "S3", "S5", "S2", "S4"]);
    drop(s);
    assert!(d.model.session.read().stages["S4"].is_skipped());
    assert_eq!(
        d.model.session.read().next_stage().map(|s| s.id.as_str()),
        Some("S3")
    );
}

/// Hands up, a statement that lowers one, parking, an action and a
/// latecomer without consent: one key each on the capture screen, each an
/// event; the projector shows the queue and never names the latecomer.
#[test]
fn hands_latecomers_parking_and_actions_are_one_key_each() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    d.send(ctrl('w'));
    d.send(key(KeyCode::Tab));
    d.send(ctrl('w'));
    let hands = |d: &Driver| -> Vec<String> {
        d.model
            .session
            .read()
            .floor
            .hands
            .iter()
            .map(|p| p.to_string())
            .collect()
    };
    assert_eq!(hands(&d), ["P1", "P2"]);
    d.type_text("I was never asked");
    d.send(key(KeyCode::Enter));
    assert_eq!(hands(&d), ["P1"], "speaking takes P2's hand down");
    d.send(ctrl('p'));
    assert_eq!(
        d.model.session.read().floor.parked,
        vec![StatementId::from("st1")]
    );
    d.send(ctrl('a'));
    d.type_text("Ask carers before discharge; ward manager; June");
    d.send(key(KeyCode::Enter));
    let a = d.model.session.read().actions["a1"].clone();
    assert_eq!(
        (a.what.as_str(), a.who.as_str(), a.by_when.as_str()),
        ("Ask carers before discharge", "ward manager", "June")
    );
    // What became of it, and a mistyped one refused.
    d.send(ctrl('a'));
    d.type_text("a1 done: asked at the June ward meeting");
    d.send(key(KeyCode::Enter));
    let a = d.model.session.read().actions["a1"].clone();
    assert_eq!(a.status, ActionStatus::Done);
    d.send(ctrl('a'));
    d.type_text("a9 dropped");
    d.send(key(KeyCode::Enter));
    let said = d.model.app.message.as_ref().map(|m| m.text.clone());
    assert!(said.is_some_and(|s| s.starts_with("there is no action a9")));
    // What was typed stays to correct; Esc leaves it.
    assert_eq!(typed(&d), "a9 dropped");
    d.send(key(KeyCode::Esc));
    d.send(ctrl('l'));
    d.type_text("carer, Ann");
    d.send(key(KeyCode::Enter));
    let p3 = d.model.session.read().participants["P3"].clone();
    assert_eq!(p3.role, Role::UnpaidCarer);
    assert!(!p3.consent, "no clear yes: no consent");
    assert_eq!(
        d.model.session.read().floor.attendance["P3"].arrived,
        vec![t(60)]
    );
    let names: Vec<&str> = d.take().iter().map(|e| e.name()).collect();
    assert_eq!(
        names,
        [
            "HandRaised",
            "HandRaised",
            "StatementAdded",
            "StatementParked",
            "ActionAdded",
            "ActionStatusChanged",
            "ParticipantAdded",
            "ParticipantArrived"
        ]
    );
    // P3 raises a hand: the wall shows P1 waiting, and nothing of P3.
    d.keys(&[KeyCode::Tab]);
    d.send(ctrl('w'));
    d.send(key(KeyCode::F(2)));
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    term.draw(|f| {
        roundtable::ui::render(
            f,
            &d.model.app,
            &d.model.session.read(),
            d.now,
            &Default::default(),
        )
    })
    .unwrap();
    // The room's part of the screen: above the facilitator's status lines.
    let wall: String = term
        .backend()
        .buffer()
        .content
        .iter()
        .take(100 * 28)
        .map(|c| c.symbol())
        .collect();
    assert!(wall.contains("Next to speak: P1 service user"), "{wall}");
    assert!(
        !wall.contains("P3"),
        "a participant without consent is never on the wall: {wall}"
    );
}

/// Six participants, the first stage running.
fn six_people() -> Session {
    let mut s = session(true);
    for (id, role) in [
        ("P3", Role::UnpaidCarer),
        ("P4", Role::Staff),
        ("P5", Role::Staff),
        ("P6", Role::ServiceUser),
    ] {
        s.apply(&Event::ParticipantAdded {
            participant: Participant::consenting(id, role),
        })
        .unwrap();
    }
    s
}

/// The keystrokes the README and the closing note quote, counted here so
/// that they stay true: six ballots; a hidden resonance round from nothing
/// to revealed; retracting a statement captured 20 statements ago.
#[test]
fn the_common_paths_in_keystrokes() {
    let mut d = Driver::new(six_people());
    d.send(key(KeyCode::F(3)));
    for i in 1..=21 {
        d.type_text(&format!("Statement number {i} about discharge"));
        if i == 1 {
            d.type_text(" and the voicemail");
        }
        d.send(key(KeyCode::Enter));
    }
    d.take();

    // A hidden resonance round, from the capture screen to revealed.
    d.pressed = 0;
    d.send(key(KeyCode::F(4)));
    d.keys(&[KeyCode::Char('m'), KeyCode::Char('h'), KeyCode::Char('o')]);
    let setup = d.pressed;
    d.take();
    // Six ballots: one key each, the cursor moving to the next person.
    d.pressed = 0;
    d.keys(&[
        KeyCode::Char('5'),
        KeyCode::Char('4'),
        KeyCode::Char('4'),
        KeyCode::Char('3'),
        KeyCode::Char('5'),
        KeyCode::Char('2'),
    ]);
    let six_ballots = d.pressed;
    let ballots = d.take();
    assert_eq!(ballots.len(), 6, "{ballots:?}");
    assert!(ballots.iter().all(|e| matches!(
        e,
        Event::BallotCast {
            choice: Choice::Resonance(_),
            ..
        }
    )));
    d.pressed = 0;
    d.send(key(KeyCode::Char('x')));
    d.send(key(KeyCode::Char('y')));
    let reveal = d.pressed;
    let events = d.take();
    assert!(
        events.iter().any(|e| matches!(e, Event::VoteClosed { .. })),
        "{events:?}"
    );
    assert!(
        events.iter().any(|e| matches!(
            e,
            Event::RoomShows {
                view: RoomView::Results(_),
                ..
            }
        )),
        "closing reveals the results on every projector: {events:?}"
    );
    assert_eq!((setup, six_ballots, reveal), (4, 6, 2));

    // Retract st1, captured 20 statements ago: find it by its number.
    d.send(key(KeyCode::F(3)));
    d.pressed = 0;
    d.send(ctrl('f'));
    d.type_text("1");
    d.send(key(KeyCode::Enter));
    assert_eq!(d.model.app.capture.selected, Some(StatementId::from("st1")));
    d.send(ctrl('x'));
    let to_reason = d.pressed;
    d.type_text("said twice");
    d.send(key(KeyCode::Enter));
    assert_eq!(to_reason, 4, "^F 1 Enter ^X, then the reason and Enter");
    assert!(matches!(
        d.take().as_slice(),
        [Event::StatementRetracted { statement, .. }] if statement.as_str() == "st1"
    ));
    // Or by its words: the newest statement that has them.
    d.send(ctrl('f'));
    d.type_text("voicemail");
    d.send(key(KeyCode::Enter));
    assert_eq!(d.model.app.capture.selected, Some(StatementId::from("st1")));
    d.send(ctrl('f'));
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.model.app.capture.selected,
        Some(StatementId::from("st1")),
        "the only match stays chosen"
    );
    d.send(ctrl('f'));
    for _ in 0.."voicemail".len() {
        d.send(key(KeyCode::Backspace));
    }
    d.type_text("number 2");
    d.send(key(KeyCode::Enter));
    // "number 2" is in st2 and st20, st21: the newest first, then older.
    assert_eq!(
        d.model.app.capture.selected,
        Some(StatementId::from("st21"))
    );
    d.send(ctrl('f'));
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.model.app.capture.selected,
        Some(StatementId::from("st20"))
    );
    d.send(ctrl('f'));
    d.type_text("zebra");
    d.send(key(KeyCode::Enter));
    let said = d.model.app.message.as_ref().map(|m| m.text.clone());
    assert!(
        said.as_deref().is_some_and(|m| m.contains("no statement")),
        "{said:?}"
    );

    // A joined note-taker retracts their own statement 20 back (`ana-st1`)
    // with the same keys: its number finds it.
    let mut j = joined(six_people(), false);
    j.send(key(KeyCode::F(3)));
    for i in 1..=21 {
        j.type_text(&format!("Said at the side table {i}"));
        j.send(key(KeyCode::Enter));
    }
    j.take();
    j.pressed = 0;
    j.send(ctrl('f'));
    j.type_text("1");
    j.send(key(KeyCode::Enter));
    j.send(ctrl('x'));
    let to_reason = j.pressed;
    j.type_text("said twice");
    j.send(key(KeyCode::Enter));
    assert_eq!(to_reason, 4, "^F 1 Enter ^X, as at the host");
    assert!(
        matches!(j.take().as_slice(), [Event::StatementRetracted { statement, .. }] if statement.as_str() == "ana-st1"),
        "{:?}",
        j.model.app.message
    );
}

/// The facilitator removes a joined terminal from the projector screen:
/// `d` lists who is connected, a number removes that one (carried out by
/// the host, which answers); a note-taker's `d` does nothing.
#[test]
fn the_facilitator_removes_a_connected_terminal_by_number() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(2)));
    d.send(key(KeyCode::Char('d')));
    assert!(d.model.app.overlays.is_empty(), "nobody to remove");
    d.send(Msg::Peers(vec![
        "Sam (note-taker)".into(),
        "wall (viewer)".into(),
    ]));
    d.send(key(KeyCode::Char('d')));
    let Some(Overlay::Remove { shown, .. }) = d.model.app.overlays.last() else {
        panic!("d asks which terminal")
    };
    assert_eq!(shown.len(), 2);
    d.send(key(KeyCode::Char('3')));
    assert!(d.model.app.overlays.last().is_some(), "no third terminal");
    d.send(key(KeyCode::Char('2')));
    assert_eq!(
        d.effects.last(),
        Some(&Effect::RemoveDevice {
            shown: "wall (viewer)".into()
        })
    );
    assert!(d.model.app.overlays.is_empty());
    d.send(Msg::Removed {
        shown: "wall (viewer)".into(),
        was_connected: true,
    });
    let said = &d.model.app.message.as_ref().expect("says so").text;
    assert!(said.contains("wall (viewer) disconnected"), "{said}");

    let mut n = joined(session(true), false);
    n.send(Msg::Peers(vec!["facilitator (host)".into()]));
    n.send(key(KeyCode::F(2)));
    n.send(key(KeyCode::Char('d')));
    assert!(n.model.app.overlays.is_empty());
    assert!(
        !n.effects
            .iter()
            .any(|e| matches!(e, Effect::RemoveDevice { .. }))
    );
}

/// A statement sent from a phone: `F7` shows it whole, `y` records it as the
/// participant's and tells the phone; `n` sets it aside and tells the phone;
/// `J` closes the phone door and opens it again.
#[test]
fn the_facilitator_takes_a_phones_statement_into_the_record_or_sets_it_aside() {
    use roundtable::live::PhoneRoom;
    use roundtable::live::{Said, SaidStatus};
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(7)));
    assert!(d.said().contains("phones"));
    let said = |id: u64, text: &str| Said {
        id,
        participant: Some("P2".into()),
        from: "P2".into(),
        text: text.into(),
        status: SaidStatus::Waiting,
    };
    d.send(Msg::PhonesAt("http://10.0.0.2:8080/#abc".into()));
    d.send(Msg::Phones(PhoneRoom {
        connected: vec!["P2".into()],
        waiting: vec![said(1, "<b>Nobody</b> asked me =1+1"), said(2, "Second")],
        ..Default::default()
    }));
    assert_eq!(
        d.model.app.phones.as_ref().unwrap().url,
        "http://10.0.0.2:8080/#abc",
        "the address stays when the list changes"
    );
    d.send(key(KeyCode::F(7)));
    d.send(key(KeyCode::Char('y')));
    // The host is asked first (a note-taker may have taken it already).
    assert!(d.take().is_empty());
    assert!(d.effects.contains(&Effect::PhoneSaid {
        id: 1,
        accepted: true
    }));
    let mut taken = said(1, "<b>Nobody</b> asked me =1+1");
    taken.status = SaidStatus::Accepted;
    d.send(Msg::PhoneTaken(Ok(taken)));
    let recorded = d.take();
    let [
        Event::StatementAdded {
            speaker,
            text,
            tags,
            ..
        },
    ] = &recorded[..]
    else {
        panic!("{recorded:?}")
    };
    assert_eq!(speaker, &Speaker::Participant("P2".into()));
    assert_eq!(text, "<b>Nobody</b> asked me =1+1", "kept exactly as typed");
    assert_eq!(tags, &vec!["phone".to_owned()]);
    // Someone else was quicker: said so, nothing recorded.
    d.send(Msg::PhoneTaken(Err(
        "someone else took that statement in or set it aside first".into(),
    )));
    assert!(d.take().is_empty());
    assert!(d.said().contains("someone else"));
    d.send(Msg::Phones(PhoneRoom {
        connected: vec!["P2".into()],
        waiting: vec![said(2, "Second")],
        ..Default::default()
    }));
    d.send(key(KeyCode::F(7)));
    d.send(key(KeyCode::Char('n')));
    assert!(d.take().is_empty(), "set aside: nothing recorded");
    assert!(d.effects.contains(&Effect::PhoneSaid {
        id: 2,
        accepted: false
    }));
    d.send(key(KeyCode::F(2)));
    d.send(key(KeyCode::Char('J')));
    assert!(d.effects.contains(&Effect::PhoneDoor { closed: true }));
    d.send(key(KeyCode::Char('g')));
    assert!(d.effects.contains(&Effect::PhoneNameless { allowed: true }));
}

/// The projector is the room's: a statement from the phone of someone who
/// has not consented to be shown is not opened there (read it on the
/// capture screen), and their pseudonym is not listed among the phones.
#[test]
fn a_phone_statement_from_someone_not_shown_is_read_off_the_projector() {
    use roundtable::live::{PhoneRoom, Said, SaidStatus};
    let mut s = session(true);
    s.apply(&Event::ParticipantAdded {
        participant: Participant {
            id: "P9".into(),
            role: Role::UnpaidCarer,
            sector: None,
            level: None,
            real_name: None,
            consent: false,
            person: None,
            attributes: Default::default(),
        },
    })
    .unwrap();
    let mut d = Driver::new(s);
    d.send(Msg::Phones(PhoneRoom {
        waiting: vec![Said {
            id: 4,
            participant: Some("P9".into()),
            from: "P9".into(),
            text: "My husband's name is Doreen's".into(),
            status: SaidStatus::Waiting,
        }],
        ..Default::default()
    }));
    d.send(key(KeyCode::F(2)));
    d.send(key(KeyCode::F(7)));
    assert!(
        d.model.app.overlays.is_empty(),
        "not opened on the projector"
    );
    let said = d.said();
    assert!(
        said.contains("capture screen") && !said.contains("P9"),
        "{said}"
    );
    d.send(key(KeyCode::F(3)));
    d.send(key(KeyCode::F(7)));
    assert!(matches!(
        d.model.app.overlays.last(),
        Some(Overlay::PhoneSaid { .. })
    ));
}

/// The README's key path for a hidden resonance round (`F4` `m` `h` `o`)
/// opens exactly that whatever round came before (a hidden agree round, a
/// hidden resonance round, a dot vote with its own question): a new round's
/// form starts from the same defaults, and a question typed for one round
/// is not asked of the next (issue 31, items 3 and 15).
#[test]
fn the_documented_vote_path_holds_whatever_round_came_before() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    d.type_text("Being told is not being asked");
    d.send(key(KeyCode::Enter));
    let open_and_close = |d: &mut Driver, keys: &[KeyCode]| -> Event {
        d.take();
        d.send(key(KeyCode::F(4)));
        d.keys(keys);
        let opened = d
            .take()
            .into_iter()
            .find(|e| matches!(e, Event::VoteOpened { .. }))
            .unwrap_or_else(|| panic!("no round opened: {:?}", d.model.app.message));
        d.keys(&[KeyCode::Char('x'), KeyCode::Char('y')]);
        opened
    };
    let resonance_hidden = |e: &Event| {
        matches!(
            e,
            Event::VoteOpened {
                method: VoteMethod::Resonance,
                hidden: true,
                question,
                ..
            } if question == "How strongly does this resonate with your experience?"
        )
    };
    // A hidden agree round first.
    let before = open_and_close(&mut d, &[KeyCode::Char('h'), KeyCode::Char('o')]);
    assert!(matches!(
        before,
        Event::VoteOpened {
            method: VoteMethod::AgreeDisagree,
            hidden: true,
            ..
        }
    ));
    let e = open_and_close(
        &mut d,
        &[KeyCode::Char('m'), KeyCode::Char('h'), KeyCode::Char('o')],
    );
    assert!(resonance_hidden(&e), "after a hidden agree round: {e:?}");
    // After a hidden resonance round, the same keys.
    let e = open_and_close(
        &mut d,
        &[KeyCode::Char('m'), KeyCode::Char('h'), KeyCode::Char('o')],
    );
    assert!(
        resonance_hidden(&e),
        "after a hidden resonance round: {e:?}"
    );
    // A dot vote on a free question with its own options…
    d.take();
    d.send(key(KeyCode::F(4)));
    d.keys(&[KeyCode::Char('t'), KeyCode::Char('m'), KeyCode::Char('m')]);
    d.send(key(KeyCode::Char('e')));
    d.type_text("Which barrier first? | transport | letters");
    d.send(key(KeyCode::Enter));
    d.send(key(KeyCode::Char('o')));
    assert!(
        d.take().iter().any(|e| matches!(e, Event::VoteOpened { question, .. } if question == "Which barrier first?")),
        "{:?}",
        d.model.app.message
    );
    d.keys(&[KeyCode::Char('x'), KeyCode::Char('y')]);
    // …then agree/disagree on the statement: its own question, not the last one.
    let e = open_and_close(&mut d, &[KeyCode::Char('o')]);
    assert!(
        matches!(&e, Event::VoteOpened { method: VoteMethod::AgreeDisagree, hidden: false, target: VoteTarget::Statement(_), question, .. } if question == "Do you agree with this statement?"),
        "{e:?}"
    );
}

/// Going on to the next stage (a break, here) moves the room on from the
/// last round's results, so a break stage shows the break screen on every
/// projector instead of old results (issue 31, item 11); the same going
/// back, and starting the first stage.
#[test]
fn a_new_stage_moves_the_room_on_from_the_last_results() {
    let mut s = session(true);
    for e in [
        Event::StageAdded {
            id: "S3".into(),
            kind: StageKind::Break,
            title: "Tea".into(),
            prompt: "Back soon".into(),
            planned_secs: 600,
        },
        Event::StageSkipped {
            stage: "S2".into(),
            skipped: true,
            at: t(1),
        },
    ] {
        s.apply(&e).unwrap();
    }
    let mut d = Driver::new(s);
    d.send(key(KeyCode::F(4)));
    d.keys(&[KeyCode::Char('t')]);
    d.send(key(KeyCode::Char('e')));
    d.type_text("Tea now?");
    d.send(key(KeyCode::Enter));
    d.keys(&[KeyCode::Char('o'), KeyCode::Char('x'), KeyCode::Char('y')]);
    assert!(matches!(d.model.session.read().room, RoomView::Results(_)));
    d.take();
    d.send(key(KeyCode::F(2)));
    d.keys(&[KeyCode::Char('n'), KeyCode::Char('y')]);
    let events = d.take();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::StageStarted { stage, .. } if stage.as_str() == "S3")),
        "{events:?}"
    );
    assert!(
        events.iter().any(|e| matches!(
            e,
            Event::RoomShows {
                view: RoomView::Latest,
                ..
            }
        )),
        "the room stays on the results: {events:?}"
    );
    assert_eq!(d.model.session.read().room, RoomView::Latest);
    let s = d.model.session.read();
    assert_eq!(s.current_stage().map(|st| st.kind), Some(StageKind::Break));
}

/// What is typed into a prompt.
fn typed(d: &Driver) -> String {
    match d.model.app.overlays.last() {
        Some(Overlay::Prompt { input, .. }) => input.lines().join("\n"),
        _ => panic!("no prompt open"),
    }
}

/// Find and the synthesis filter reopen with the last query, ready to be
/// typed over (it used to be appended to: "rusheddischarge-to-assess");
/// arrows keep it to edit; `ctrl-U` clears a prompt (which every prompt
/// says: `screens::every_prompt_says_how_to_clear_it`) (issue 31, item 7).
#[test]
fn find_and_filter_reopen_with_the_last_query_typed_over_not_appended_to() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    d.type_text("Discharge felt rushed");
    d.send(key(KeyCode::Enter));
    d.send(ctrl('f'));
    d.type_text("rushed");
    d.send(key(KeyCode::Enter));
    d.send(ctrl('f'));
    assert_eq!(typed(&d), "rushed", "the last query is offered");
    d.type_text("discharge");
    assert_eq!(typed(&d), "discharge");
    d.send(key(KeyCode::Esc));
    d.send(ctrl('f'));
    d.keys(&[KeyCode::End]);
    d.type_text(" felt");
    assert_eq!(typed(&d), "rushed felt", "an arrow keeps it to edit");
    d.send(ctrl('u'));
    assert_eq!(typed(&d), "");
    d.send(key(KeyCode::Esc));
    d.send(key(KeyCode::F(6)));
    d.send(key(KeyCode::Char('/')));
    d.type_text("rushed");
    d.send(key(KeyCode::Enter));
    d.send(key(KeyCode::Char('/')));
    assert_eq!(typed(&d), "rushed");
    d.type_text("discharge");
    assert_eq!(typed(&d), "discharge");
}

/// A statement found and selected does not linger with side effects: a new
/// statement saved lets go of it (the list follows what is new, and
/// `ctrl-P` parks the latest); `ctrl-A` says which statement an action is
/// from, never a retracted one; and a refused action keeps what was typed
/// (issue 31, item 6).
#[test]
fn a_selection_does_not_linger_and_a_refused_action_keeps_its_words() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    for words in ["First thing said", "Second thing said"] {
        d.type_text(words);
        d.send(key(KeyCode::Enter));
    }
    d.send(ctrl('f'));
    d.type_text("1");
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.model.app.capture.selected.as_ref().map(|s| s.as_str()),
        Some("st1")
    );
    d.type_text("Third thing said");
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.model.app.capture.selected, None,
        "a new statement lets go"
    );
    d.take();
    d.send(ctrl('p'));
    assert!(
        matches!(&d.take()[..], [Event::StatementParked { statement, .. }] if statement.as_str() == "st3"),
        "the latest is parked"
    );
    // An action from a selected statement says so; from a retracted one it is from none.
    d.send(ctrl('f'));
    d.type_text("2");
    d.send(key(KeyCode::Enter));
    d.send(ctrl('a'));
    assert!(matches!(
        d.model.app.overlays.last(),
        Some(Overlay::Prompt { kind: PromptKind::NewAction(Some(s)), .. }) if s.as_str() == "st2"
    ));
    d.send(key(KeyCode::Esc));
    d.send(ctrl('x'));
    d.type_text("named a ward");
    d.send(key(KeyCode::Enter));
    d.send(ctrl('a'));
    assert!(matches!(
        d.model.app.overlays.last(),
        Some(Overlay::Prompt {
            kind: PromptKind::NewAction(None),
            ..
        })
    ));
    // A refusal keeps what was typed.
    d.type_text("a9 done: sent the letter");
    d.send(key(KeyCode::Enter));
    assert!(d.said().contains("no action a9"), "{}", d.said());
    assert_eq!(typed(&d), "a9 done: sent the letter");
}

/// Items a joined note-taker made (`sam-st5`, `sam-a1`) are found and
/// addressed from the host by what people type: `5`, `st5` or `sam-st5`;
/// `a1 done: …` or `sam-a1 done: …`, a `;` in the note staying in the note
/// (it made a new action whose "who" was the rest) (issue 31, item 4).
#[test]
fn a_note_takers_items_are_found_and_addressed_by_what_people_type() {
    let mut s = session(true);
    for e in [
        Event::StatementAdded {
            id: "sam-st5".into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant("P1".into()),
            stage: Some("S1".into()),
            text: "Nobody rang me".into(),
            tags: vec![],
            captured_by: "sam".into(),
            at: t(5),
        },
        Event::ActionAdded {
            id: "sam-a1".into(),
            what: "Ring carers the day before".into(),
            who: "ward".into(),
            by_when: "May".into(),
            from: None,
            at: t(6),
        },
    ] {
        s.apply(&e).unwrap();
    }
    let mut d = Driver::new(s);
    d.send(key(KeyCode::F(3)));
    for typed_query in ["5", "st5", "sam-st5"] {
        d.model.app.capture.selected = None;
        d.send(ctrl('f'));
        d.send(ctrl('u'));
        d.type_text(typed_query);
        d.send(key(KeyCode::Enter));
        assert_eq!(
            d.model.app.capture.selected.as_ref().map(|s| s.as_str()),
            Some("sam-st5"),
            "{typed_query}: {:?}",
            d.model.app.message
        );
    }
    d.take();
    for (typed_action, note) in [
        ("a1 done: rang them", "rang them"),
        (
            "sam-a1 open: again; after the audit",
            "again; after the audit",
        ),
    ] {
        d.send(ctrl('a'));
        d.type_text(typed_action);
        d.send(key(KeyCode::Enter));
        let events = d.take();
        assert!(
            matches!(&events[..], [Event::ActionStatusChanged { action, note: n, .. }] if action.as_str() == "sam-a1" && n == note),
            "{typed_action}: {events:?} {:?}",
            d.model.app.message
        );
    }
    assert_eq!(
        d.model.session.read().actions.len(),
        1,
        "no new action made"
    );
}

/// A joined terminal that loses its host stops saying who is connected
/// (a viewer kept "Connected: …" after the host had gone) (issue 31, item 13).
#[test]
fn who_is_connected_is_forgotten_when_the_host_goes() {
    let mut d = joined(session(true), true);
    d.send(Msg::Link {
        connected: true,
        text: "joined".into(),
    });
    d.send(Msg::Peers(vec!["sam (note-taker)".into()]));
    assert_eq!(d.model.app.peers.len(), 1);
    d.send(Msg::Link {
        connected: false,
        text: "disconnected: the host is not running · trying again".into(),
    });
    assert!(d.model.app.peers.is_empty());
}

/// `space` marks and moves down in both panes of the synthesis screen, so
/// "space space" marks two concepts as it marks two statements (among
/// concepts it marked and unmarked the same one) (issue 31, item 9).
#[test]
fn space_marks_and_moves_down_among_concepts_as_among_statements() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(6)));
    for name in ["Late word", "Being asked", "Beds decide"] {
        d.send(key(KeyCode::Char('n')));
        d.type_text(name);
        d.send(key(KeyCode::Enter));
    }
    d.keys(&[KeyCode::Up, KeyCode::Up]);
    d.keys(&[KeyCode::Char(' '), KeyCode::Char(' ')]);
    let marked: Vec<String> = d
        .model
        .app
        .synthesis
        .marked_concepts
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(marked, vec!["c1", "c2"]);
}

/// An action's words can be put right (`a1: …`; a part left empty keeps
/// what it said) and an action dropped (`a1 dropped`); the earlier words
/// stay in the journal (issue 31, item 4).
#[test]
fn an_action_is_corrected_and_dropped_by_what_people_type() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    d.send(ctrl('a'));
    d.type_text("Ring carers the day before; ward; May");
    d.send(key(KeyCode::Enter));
    d.take();
    d.send(ctrl('a'));
    d.type_text("a1: Ring carers two days before; ; June");
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.take(),
        vec![Event::ActionCorrected {
            action: "a1".into(),
            what: "Ring carers two days before".into(),
            who: "ward".into(),
            by_when: "June".into(),
            at: t(60),
        }]
    );
    let a = d.model.session.read().actions["a1"].clone();
    assert_eq!(
        (a.what.as_str(), a.who.as_str(), a.by_when.as_str()),
        ("Ring carers two days before", "ward", "June")
    );
    d.send(ctrl('a'));
    d.type_text("a1 dropped: the ward does this now");
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.model.session.read().actions["a1"].status,
        ActionStatus::Dropped
    );
    assert_eq!(d.model.session.read().actions.len(), 1);
}

/// The picker's new-session form takes a participants file, says what it
/// holds and whose words will be kept off every screen before the session
/// is made, and a file with a mistake names its line and keeps the form
/// (it could not take participants at all) (issue 31, item 14).
#[test]
fn the_pickers_new_session_form_takes_a_participants_file() {
    use roundtable::app::picker::{Outcome, Picker};
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("people.ron");
    std::fs::write(
        &good,
        "[(id: \"P1\", role: ServiceUser, consent: true),\n (id: \"P2\", role: UnpaidCarer, consent: false),\n (id: \"P3\", role: Staff)]",
    )
    .unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(
        &bad,
        "[(id: \"P1\", role: ServiceUser),\n (id: \"P2\", role: Nurse)]",
    )
    .unwrap();
    let mut p = Picker::load(std::path::Path::new("sessions")).unwrap();
    let press = |p: &mut Picker, code: KeyCode| p.key(KeyEvent::new(code, KeyModifiers::NONE));
    let typing = |p: &mut Picker, text: &str| {
        for c in text.chars() {
            press(p, KeyCode::Char(c));
        }
    };
    press(&mut p, KeyCode::Char('n'));
    press(&mut p, KeyCode::Tab);
    typing(&mut p, "CAG: May");
    press(&mut p, KeyCode::Tab);
    typing(&mut p, "What do these findings mean?");
    press(&mut p, KeyCode::Tab);
    typing(&mut p, bad.to_str().unwrap());
    assert!(matches!(press(&mut p, KeyCode::Enter), Outcome::Stay));
    let said = p.message.clone().unwrap_or_default();
    assert!(
        said.contains("bad.ron") && said.contains('2') && said.contains("Nurse"),
        "{said}"
    );
    for _ in 0..bad.to_str().unwrap().chars().count() {
        press(&mut p, KeyCode::Backspace);
    }
    typing(&mut p, good.to_str().unwrap());
    let people = p.form.as_ref().unwrap().people.clone();
    assert!(
        people.starts_with("3 participants")
            && people.contains("P2 declined to be quoted")
            && people.contains("No consent recorded for P3"),
        "{people}"
    );
    match press(&mut p, KeyCode::Enter) {
        Outcome::Create { participants, .. } => {
            let ids: Vec<String> = participants.iter().map(|p| p.id.to_string()).collect();
            assert_eq!(ids, ["P1", "P2", "P3"]);
        }
        _ => panic!("the form made no session: {:?}", p.message),
    }
}

/// The facilitator puts the translation grid on the wall from the grid
/// view (`p`), the wall follows when the columns change (`a`), a new stage
/// moves the room on from it, and `p` again takes it down; a joined
/// note-taker cannot put it up (issue 31, "the grid on the wall").
#[test]
fn the_grid_goes_on_the_wall_and_follows_its_columns() {
    use roundtable::domain::analysis::Accounts;
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(6)));
    d.send(key(KeyCode::Char('n')));
    d.type_text("Late word");
    d.send(key(KeyCode::Enter));
    d.send(key(KeyCode::Char('g')));
    d.take();
    d.send(key(KeyCode::Char('p')));
    assert_eq!(
        d.model.session.read().room,
        RoomView::Grid(Accounts::RoleGroups)
    );
    d.send(key(KeyCode::Char('a')));
    assert_eq!(
        d.model.session.read().room,
        RoomView::Grid(Accounts::Stages)
    );
    d.send(key(KeyCode::Char('p')));
    assert_eq!(d.model.session.read().room, RoomView::Latest);
    d.send(key(KeyCode::Char('p')));
    assert_eq!(
        d.model.session.read().room,
        RoomView::Grid(Accounts::Stages)
    );
    d.send(key(KeyCode::F(2)));
    d.send(key(KeyCode::Char('n')));
    d.send(key(KeyCode::Char('y')));
    assert_eq!(
        d.model.session.read().room,
        RoomView::Latest,
        "a new stage moves the room on from the grid: {:?}",
        d.model.app.message
    );

    let mut j = joined(session(true), false);
    j.send(key(KeyCode::F(6)));
    j.send(key(KeyCode::Char('g')));
    j.send(key(KeyCode::Char('p')));
    assert!(
        !j.take()
            .iter()
            .any(|e| matches!(e, Event::RoomShows { .. })),
        "a note-taker does not decide what the room sees"
    );
}

/// The synthesis screen with these concepts named (c1, c2, …), the cursor
/// on the last.
fn on_synthesis_with(concepts: &[&str]) -> Driver {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(6)));
    for name in concepts {
        d.send(key(KeyCode::Char('n')));
        d.type_text(name);
        d.send(key(KeyCode::Enter));
    }
    d
}

/// The title of the synthesis prompt open now.
fn prompt_title(d: &Driver) -> String {
    match d.model.app.overlays.last() {
        Some(Overlay::Prompt {
            kind: PromptKind::Synthesis(ask),
            ..
        }) => ask.title(),
        _ => panic!("no prompt: {:?}", d.model.app.message),
    }
}

/// `d` with statements marked and no concept drafted an interpretation on
/// the concept under the cursor without a word ("resting on 1 concepts"):
/// the prompt now names it and says why (issue 32, item 7).
#[test]
fn drafting_with_no_concept_marked_says_it_rests_on_the_one_under_the_cursor() {
    let mut d = on_synthesis_with(&["Late word", "Being asked"]);
    d.send(key(KeyCode::Char('d')));
    let title = prompt_title(&d);
    assert!(
        title.contains("resting on c2 (the concept under the cursor: none is marked)")
            && title.contains("0 translations"),
        "{title}"
    );
    d.send(key(KeyCode::Esc));
    d.send(key(KeyCode::Up));
    d.send(key(KeyCode::Char(' ')));
    d.send(key(KeyCode::Char('d')));
    let title = prompt_title(&d);
    assert!(
        title.contains("resting on c1,") && !title.contains("under the cursor"),
        "{title}"
    );
}

/// A workspace offered live screens that do not work in it (F2 said "All
/// stages done", F3 saved a whole-group quote the synthesis screen never
/// lists, `v` opened a round nobody could vote in, `p` projected nothing):
/// it offers the synthesis screen alone, says why, and keeps memos for the
/// researcher's notes (issue 32, item 8).
#[test]
fn a_workspace_offers_only_what_a_workspace_can_do() {
    let mut d = Driver::new(session(true));
    d.model
        .app
        .sources
        .push(roundtable::app::synthesis::Source {
            key: "A".into(),
            session: session(true),
        });
    d.model.app.screen = Screen::Synthesis;
    for k in [KeyCode::F(2), KeyCode::F(3), KeyCode::F(4), KeyCode::F(5)] {
        d.send(key(k));
        assert_eq!(d.model.app.screen, Screen::Synthesis, "{k:?}");
        assert!(
            d.said().contains("A workspace has no room or votes"),
            "{}",
            d.said()
        );
    }
    d.send(key(KeyCode::Char('n')));
    d.type_text("Told too late");
    d.send(key(KeyCode::Enter));
    d.send(key(KeyCode::Char(' ')));
    d.send(key(KeyCode::Char('d')));
    d.type_text("People are told too late");
    d.send(key(KeyCode::Enter));
    d.take();
    d.send(key(KeyCode::Char('i')));
    for k in ['v', 'V', 'p'] {
        d.send(key(KeyCode::Char(k)));
        assert!(d.take().is_empty(), "{k} recorded something");
        assert!(d.said().contains("vote in a workshop"), "{}", d.said());
    }
    d.send(key(KeyCode::Char('i')));
    d.send(key(KeyCode::Char('g')));
    d.send(key(KeyCode::Char('p')));
    assert!(
        d.take().is_empty(),
        "the grid went on a wall the workspace has not got"
    );
    // The researcher's own notes are memos.
    d.send(ctrl('n'));
    d.type_text("Case 2's carers disagree with case 1's staff");
    d.send(key(KeyCode::Enter));
    assert!(
        matches!(&d.take()[..], [Event::MemoAdded { .. }]),
        "{}",
        d.said()
    );
}

/// A concept put into an interpretation by mistake can be taken out: `c`
/// rests the interpretation under the cursor on the marked concepts, the
/// earlier grounds staying in the journal; with none marked it says what
/// to do; once agreed, its grounds stay (issue 32, item 7).
#[test]
fn an_interpretations_concepts_can_be_put_right() {
    let mut d = on_synthesis_with(&["Late word", "Being asked"]);
    d.keys(&[KeyCode::Up, KeyCode::Char(' '), KeyCode::Char(' ')]);
    d.send(key(KeyCode::Char('d')));
    d.type_text("People are told too late and not asked");
    d.send(key(KeyCode::Enter));
    assert_eq!(
        d.model.session.read().interpretations["i1"].concepts,
        vec![ConceptId::from("c1"), ConceptId::from("c2")]
    );
    d.take();
    // Drafting shows the interpretations and lets go of the marks: back to
    // the concepts, mark c1 alone, and rest i1 on it.
    assert!(d.model.app.synthesis.marked_concepts.is_empty());
    assert_eq!(d.model.app.synthesis.view, SynthView::Interpretations);
    d.send(key(KeyCode::Char('i')));
    d.keys(&[KeyCode::Up, KeyCode::Char(' ')]);
    d.send(key(KeyCode::Char('i')));
    d.send(key(KeyCode::Char('c')));
    assert!(
        matches!(&d.take()[..], [Event::InterpretationGrounded { concepts, .. }] if concepts == &vec![ConceptId::from("c1")]),
        "{}",
        d.said()
    );
    assert_eq!(
        d.model.session.read().interpretations["i1"].concepts,
        vec![ConceptId::from("c1")]
    );
    // Nothing marked: it says what to do, and records nothing.
    d.model.app.synthesis.marked_concepts.clear();
    d.send(key(KeyCode::Char('c')));
    assert!(d.take().is_empty());
    assert!(
        d.said().contains("mark the concepts it should rest on"),
        "{}",
        d.said()
    );
    // Agreed: its grounds stay.
    let mut s = d.model.session.read().clone();
    s.apply(&Event::InterpretationStatusChanged {
        interpretation: "i1".into(),
        status: InterpretationStatus::Agreed,
        reason: "the room agreed".into(),
        round: None,
        at: t(70),
    })
    .unwrap();
    let e = s
        .apply(&Event::InterpretationGrounded {
            interpretation: "i1".into(),
            concepts: vec!["c2".into()],
            translations: vec![],
            statements: vec![],
            at: t(71),
        })
        .unwrap_err();
    assert!(e.to_string().contains("draft a new interpretation"), "{e}");
}

/// A latecomer may be given the pseudonym a study uses for them; one that
/// is someone else's is refused, and what was typed stays to correct.
#[test]
fn a_latecomers_pseudonym_can_be_chosen_and_is_never_someone_elses() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    d.send(ctrl('l'));
    d.type_text("staff, , yes, CR11");
    d.send(key(KeyCode::Enter));
    let cr11 = d.model.session.read().participants["CR11"].clone();
    assert_eq!(cr11.role, Role::Staff);
    assert!(cr11.consent);
    let before = d.model.session.read().participants.clone();
    d.take();
    d.send(ctrl('l'));
    d.type_text("carer, , yes, P1");
    d.send(key(KeyCode::Enter));
    assert!(d.take().is_empty(), "nothing recorded");
    assert_eq!(
        d.model.session.read().participants,
        before,
        "P1 is still P1"
    );
    assert!(d.said().contains("P1 is already someone"), "{}", d.said());
    let Some(Overlay::Prompt { input, .. }) = d.model.app.overlays.last() else {
        panic!("the prompt stays open");
    };
    assert_eq!(input.lines().join(""), "carer, , yes, P1");
}

/// A line of argument may hold ordered stages, each with its concepts (a
/// model of a process, like the eight stages of co-producing); a stage
/// naming a concept the line does not go through is refused, and what was
/// typed stays to correct.
#[test]
fn a_line_of_argument_holds_ordered_stages_each_with_its_concepts() {
    use roundtable::domain::synthesis::ArgumentStage;
    let mut d = on_synthesis_with(&["Noticing", "Asking", "Joining up"]);
    d.take();
    // Mark c1, c2 and c3 (the cursor starts on the last).
    d.keys(&[
        KeyCode::Up,
        KeyCode::Up,
        KeyCode::Char(' '),
        KeyCode::Char(' '),
        KeyCode::Char(' '),
        KeyCode::Char('3'),
    ]);
    d.type_text("From noticing to joining up");
    d.send(key(KeyCode::Enter));
    d.send(key(KeyCode::Enter));
    d.type_text("Notice: c1 | Ask and join: c2 c9");
    d.send(key(KeyCode::Enter));
    let taken = d.take();
    assert!(taken.is_empty(), "nothing recorded: {taken:?} {}", d.said());
    assert!(
        d.said().contains("c9 is not one of the concepts"),
        "{}",
        d.said()
    );
    let Some(Overlay::Prompt { input, .. }) = d.model.app.overlays.last() else {
        panic!("the stages prompt stays open");
    };
    assert_eq!(input.lines().join(""), "Notice: c1 | Ask and join: c2 c9");
    for _ in 0.."c9".len() + 1 {
        d.send(key(KeyCode::Backspace));
    }
    d.type_text(" c3");
    d.send(key(KeyCode::Enter));
    let Event::TranslationMade { kind, .. } = &d.take()[0] else {
        panic!("a translation")
    };
    assert_eq!(
        kind.stages(),
        [
            ArgumentStage {
                title: "Notice".into(),
                concepts: vec!["c1".into()],
            },
            ArgumentStage {
                title: "Ask and join".into(),
                concepts: vec!["c2".into(), "c3".into()],
            },
        ]
    );
    assert_eq!(
        kind.stages_line().as_deref(),
        Some("in 2 stages: 1. Notice (c1); 2. Ask and join (c2, c3)")
    );
}

/// Issue 33, item 3: adding a tag or changing the kind is re-coding, its
/// own event; the statement is not amended, nothing resting on it is
/// flagged, and the record keeps what it was coded as before.
#[test]
fn recoding_a_statement_is_not_amending_its_words() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    d.type_text("Nobody had time to train us #barrier");
    d.send(key(KeyCode::Enter));
    d.take();
    d.send(key(KeyCode::PageUp));
    d.send(ctrl('e'));
    d.type_text(" #tdf/knowledge");
    d.send(ctrl('t'));
    d.send(key(KeyCode::Enter));
    let recorded = d.take();
    assert!(
        matches!(
            recorded.as_slice(),
            [Event::StatementRecoded { statement, tags, kind: StatementKind::Paraphrase, .. }]
                if statement.as_str() == "st1"
                    && tags == &vec!["barrier".to_owned(), "tdf/knowledge".to_owned()]
        ),
        "{recorded:?}"
    );
    assert!(d.said().contains("saved: re-coding of st1"), "{}", d.said());
    let session = d.model.session.read();
    let st = &session.statements["st1"];
    assert!(!st.is_amended(), "re-coding is not an amendment");
    assert_eq!(st.current().text, "Nobody had time to train us");
    assert_eq!(st.current().tags, vec!["barrier", "tdf/knowledge"]);
    assert_eq!(st.current().kind, StatementKind::Paraphrase);
    assert_eq!(st.original.tags, vec!["barrier"], "first coding kept");
    assert_eq!(st.original.kind, StatementKind::Quote);
    let codings: Vec<_> = st.codings().map(|v| v.tags.join(" ")).collect();
    assert_eq!(codings, vec!["barrier", "barrier tdf/knowledge"]);
    drop(session);
    // Changing the words is still an amendment.
    d.send(ctrl('e'));
    d.type_text(" at all");
    d.send(key(KeyCode::Enter));
    assert!(matches!(
        d.take().as_slice(),
        [Event::StatementAmended { .. }]
    ));
    assert!(d.model.session.read().statements["st1"].is_amended());
}

/// Issue 33, item 1: the synthesis filter finds statements by sector, by
/// level and by who said them (`sector:`, `level:` and `P1` matched
/// nothing), and a theme's tag finds its subthemes' statements.
#[test]
fn the_synthesis_filter_takes_sector_level_and_a_pseudonym() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::grid::grid_session(tmp.path());
    let s = roundtable::store::open_read_only(&dir).unwrap().session;
    let app = App::new(Keymap::default(), "facilitator");
    let ids = |filter: &str| -> Vec<String> {
        roundtable::app::synthesis::filtered(&app, &s, filter)
            .iter()
            .map(|i| i.id.to_string())
            .collect()
    };
    assert_eq!(ids("sector:nhs"), ["st4", "st5", "st6", "st11"]);
    assert_eq!(ids("sector:la"), ["st1", "st2", "st3", "st10", "st12"]);
    assert_eq!(ids("level:front"), ["st3", "st6", "st9", "st10", "st11"]);
    assert_eq!(ids("level:front-line sector:nhs"), ["st6", "st11"]);
    assert_eq!(ids("P3"), ["st3", "st10"]);
    assert_eq!(ids("#capability"), ["st1", "st2", "st6", "st10"]);
    assert_eq!(
        ids("#barrier sector:vcse"),
        ["st8"],
        "st9's tags are not searched: no consent"
    );
}

/// Issue 33, item 1: a latecomer can be placed on a staff study's grid:
/// `staff NHS operational` (or the grid typed where the name goes, as it
/// was, when "NHS operational" was stored as the real name).
#[test]
fn a_latecomer_can_be_given_a_sector_and_level() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(3)));
    d.send(ctrl('l'));
    d.type_text("staff NHS operational, , yes");
    d.send(key(KeyCode::Enter));
    let p3 = d.model.session.read().participants["P3"].clone();
    assert_eq!(
        (p3.role, p3.sector, p3.level, p3.real_name),
        (
            Role::Staff,
            Some(Sector::Nhs),
            Some(Level::Operational),
            None
        )
    );
    d.send(ctrl('l'));
    d.type_text("staff, local authority front line, yes");
    d.send(key(KeyCode::Enter));
    let p4 = d.model.session.read().participants["P4"].clone();
    assert_eq!(
        (p4.sector, p4.level, p4.real_name),
        (Some(Sector::LocalAuthority), Some(Level::FrontLine), None),
        "the grid typed where the name goes is the grid, not a name"
    );
    d.send(ctrl('l'));
    d.type_text("staff NHS wizard, , yes");
    d.send(key(KeyCode::Enter));
    assert!(d.said().contains("“wizard”"), "{}", d.said());
    assert!(!d.model.session.read().participants.contains_key("P5"));
}

/// Issue 33, item 2: the codebook is editable during synthesis: `k`
/// defines a theme, a subtheme under it and a facet; a subtheme whose
/// theme is missing is refused with why.
#[test]
fn codes_are_defined_during_synthesis() {
    let mut d = Driver::new(session(true));
    d.send(key(KeyCode::F(6)));
    fn define(d: &mut Driver, typed: &str) -> Vec<Event> {
        d.send(key(KeyCode::Char('k')));
        d.type_text(typed);
        d.send(key(KeyCode::Enter));
        d.take()
    }
    let refused = define(&mut d, "#opportunity/time Time | hours on the rota");
    assert!(refused.is_empty(), "{refused:?}");
    assert!(
        d.said().contains("define `opportunity` first"),
        "{}",
        d.said()
    );
    assert_eq!(
        define(&mut d, "#opportunity Opportunity"),
        vec![Event::CodeDefined {
            code: "opportunity".into(),
            name: "Opportunity".into(),
            description: String::new(),
            facet: false,
        }]
    );
    assert_eq!(
        define(&mut d, "#opportunity/time Time | hours on the rota"),
        vec![Event::CodeDefined {
            code: "opportunity/time".into(),
            name: "Time".into(),
            description: "hours on the rota".into(),
            facet: false,
        }]
    );
    assert!(matches!(
        define(&mut d, "facet #barrier Barrier").as_slice(),
        [Event::CodeDefined { facet: true, .. }]
    ));
    let s = d.model.session.read();
    assert_eq!(s.codebook.len(), 3);
}

/// Issue 33: a ranking round whose options are the codebook's codes
/// (`#opportunity` is its subthemes; `#barrier` the facet itself): each
/// person's ballot is every option in order, the last one left placed by
/// itself; a ballot short of a full order is not cast.
#[test]
fn a_ranking_round_on_the_codebooks_codes() {
    let mut s = session(true);
    for (code, name, facet) in [
        ("opportunity", "Opportunity", false),
        ("opportunity/time", "Time", false),
        ("opportunity/resources", "Resources", false),
        ("barrier", "Barrier", true),
    ] {
        s.apply(&Event::CodeDefined {
            code: code.into(),
            name: name.into(),
            description: String::new(),
            facet,
        })
        .unwrap();
    }
    let mut d = Driver::new(s);
    d.send(key(KeyCode::F(4)));
    // agree/disagree → resonance → dots → single → ladder → ranking.
    for _ in 0..5 {
        d.send(key(KeyCode::Char('m')));
    }
    d.send(key(KeyCode::Char('t')));
    d.send(key(KeyCode::Char('e')));
    d.type_text("What matters most? | #opportunity | #barrier");
    d.send(key(KeyCode::Enter));
    d.send(key(KeyCode::Char('o')));
    let opened = d.take();
    let Some(Event::VoteOpened { method, .. }) = opened.first() else {
        panic!("{opened:?}: {}", d.said())
    };
    assert_eq!(
        method,
        &VoteMethod::Ranking {
            options: vec!["Time".into(), "Resources".into(), "Barrier".into()]
        }
    );
    d.send(key(KeyCode::Char('3')));
    d.send(key(KeyCode::Enter));
    assert!(d.take().is_empty(), "one of three ranked is not a ballot");
    assert!(d.said().contains("rank all 3"), "{}", d.said());
    d.send(key(KeyCode::Char('1')));
    assert!(
        d.said().contains("Barrier > Time > Resources"),
        "{}",
        d.said()
    );
    d.send(key(KeyCode::Enter));
    assert!(matches!(
        d.take().as_slice(),
        [Event::BallotCast { choice: Choice::Ranking(order), .. }] if order == &vec![2, 0, 1]
    ));
    let s = d.model.session.read();
    let round = s.rounds.values().next().unwrap();
    assert_eq!(s.results(round).counts, vec![1, 0, 2], "Borda points");
}
