//! For random valid event sequences written through the real store:
//! replaying the journal gives exactly the state built live, and a snapshot
//! plus the tail gives exactly a full replay.

mod common;
use common::*;
use proptest::prelude::*;
use roundtable::domain::*;
use roundtable::store::record::Record;
use roundtable::store::{self, Writer, compact};

#[derive(Debug, Clone)]
enum Action {
    Participant(u8),
    Say(u8, u8, String, bool),
    Amend(u8, String),
    Retract(u8),
    StartNext,
    Pause,
    Resume,
    Adjust(i16),
    End,
    Reopen(u8),
    Open(u8, bool, u8),
    Ballot(u8, u8, u8),
    Tally(u8, u8, Vec<u8>),
    Close(u8),
    Concept(String),
    Link(u8, Vec<u8>),
    Merge(u8, u8),
    Translate(u8, u8, u8, String),
    Draft(u8, u8, String),
    Status(u8, u8),
    Memo(String),
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 \"',\\\\\n\r\t#é😀\u{1b}\u{301}\u{200b}(){}\\[\\]:]{1,24}"
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        any::<u8>().prop_map(Action::Participant),
        (any::<u8>(), any::<u8>(), text(), any::<bool>())
            .prop_map(|(a, b, c, d)| Action::Say(a, b, c, d)),
        (any::<u8>(), text()).prop_map(|(a, b)| Action::Amend(a, b)),
        any::<u8>().prop_map(Action::Retract),
        Just(Action::StartNext),
        Just(Action::Pause),
        Just(Action::Resume),
        any::<i16>().prop_map(Action::Adjust),
        Just(Action::End),
        any::<u8>().prop_map(Action::Reopen),
        (any::<u8>(), any::<bool>(), any::<u8>()).prop_map(|(a, b, c)| Action::Open(a, b, c)),
        (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(a, b, c)| Action::Ballot(a, b, c)),
        (
            any::<u8>(),
            any::<u8>(),
            prop::collection::vec(0u8..9, 0..9)
        )
            .prop_map(|(a, b, c)| Action::Tally(a, b, c)),
        any::<u8>().prop_map(Action::Close),
        text().prop_map(Action::Concept),
        (any::<u8>(), prop::collection::vec(any::<u8>(), 1..4))
            .prop_map(|(a, b)| Action::Link(a, b)),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Action::Merge(a, b)),
        (any::<u8>(), any::<u8>(), any::<u8>(), text())
            .prop_map(|(a, b, c, d)| Action::Translate(a, b, c, d)),
        (any::<u8>(), any::<u8>(), text()).prop_map(|(a, b, c)| Action::Draft(a, b, c)),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Action::Status(a, b)),
        text().prop_map(Action::Memo),
    ]
}

fn pick<K: Clone, V, S>(map: &indexmap::IndexMap<K, V, S>, i: u8) -> Option<K> {
    if map.is_empty() {
        None
    } else {
        map.get_index(usize::from(i) % map.len())
            .map(|(k, _)| k.clone())
    }
}

/// Turns an action into an event that makes sense for the session as it is
/// (the domain may still reject it; then it is simply not recorded).
fn event(s: &Session, a: &Action, n: usize, at: Timestamp) -> Option<Event> {
    let stage = s.current_stage().map(|x| x.id.clone());
    Some(match a.clone() {
        Action::Participant(r) => Event::ParticipantAdded {
            participant: Participant {
                id: ParticipantId::new(format!("P{}", s.participants.len() + 2)),
                role: Role::ALL[usize::from(r) % Role::ALL.len()],
                sector: None,
                level: None,
                real_name: None,
                consent: r % 2 == 0,
                person: None,
                attributes: Default::default(),
            },
        },
        Action::Say(sp, k, text, tag) => Event::StatementAdded {
            id: StatementId::new(format!("st{n}")),
            kind: [
                StatementKind::Quote,
                StatementKind::Paraphrase,
                StatementKind::Question,
                StatementKind::Action,
            ][usize::from(k) % 4],
            speaker: pick(&s.participants, sp)
                .map(Speaker::Participant)
                .unwrap_or(Speaker::Group),
            stage,
            text,
            tags: if tag { vec!["barrier".into()] } else { vec![] },
            captured_by: "note-taker".into(),
            at,
        },
        Action::Amend(i, text) => {
            let id = pick(&s.statements, i)?;
            let cur = s.statements[&id].current().clone();
            Event::StatementAmended {
                statement: id,
                kind: cur.kind,
                speaker: cur.speaker,
                text,
                tags: cur.tags,
                reason: None,
                by: "n".into(),
                at,
            }
        }
        Action::Retract(i) => Event::StatementRetracted {
            statement: pick(&s.statements, i)?,
            reason: "asked".into(),
            by: "n".into(),
            at,
        },
        Action::StartNext => Event::StageStarted {
            stage: s.next_stage()?.id.clone(),
            at,
        },
        Action::Pause => Event::StagePaused { stage: stage?, at },
        Action::Resume => Event::StageResumed { stage: stage?, at },
        Action::Adjust(by) => Event::StageAdjusted {
            stage: stage?,
            by_secs: i64::from(by),
            at,
        },
        Action::End => Event::StageEnded { stage: stage?, at },
        Action::Reopen(i) => Event::StageReopened {
            stage: pick(&s.stages, i)?,
            at,
        },
        Action::Open(m, counted, target) => {
            let method = match m % 6 {
                0 => VoteMethod::AgreeDisagree,
                1 => VoteMethod::Resonance,
                2 => VoteMethod::Ladder,
                3 => VoteMethod::SingleChoice {
                    options: vec!["a".into(), "b".into(), "c".into()],
                },
                4 => VoteMethod::Ranking {
                    options: vec!["a".into(), "b".into(), "c".into()],
                },
                _ => VoteMethod::Dots {
                    options: vec!["x".into(), "y".into()],
                    per_person: 3,
                },
            };
            let target = match target % 3 {
                0 => VoteTarget::Statement(pick(&s.statements, target)?),
                1 => VoteTarget::Interpretation(pick(&s.interpretations, target)?),
                _ => VoteTarget::Question,
            };
            Event::VoteOpened {
                id: RoundId::new(format!("v{n}")),
                target,
                question: "Agree?".into(),
                method,
                mode: if counted {
                    BallotMode::Counted
                } else if m % 3 == 0 {
                    BallotMode::Anonymous
                } else {
                    BallotMode::PerParticipant
                },
                hidden: m % 2 == 0,
                named: false,
                stage,
                at,
            }
        }
        Action::Ballot(r, p, c) => {
            let round = pick(&s.rounds, r)?;
            let choice = match &s.rounds[&round].method {
                VoteMethod::AgreeDisagree => Choice::Agreement(
                    [Agreement::Agree, Agreement::Disagree, Agreement::Pass][usize::from(c) % 3],
                ),
                VoteMethod::Resonance => Choice::Resonance(c % 6),
                VoteMethod::Ladder => Choice::Rung(c % 9),
                VoteMethod::SingleChoice { .. } => Choice::Single(c % 4),
                VoteMethod::Dots { .. } => Choice::Dots(vec![c % 3, c % 2]),
                // Some orders rank an option twice or leave one out: refused.
                VoteMethod::Ranking { .. } => Choice::Ranking(vec![c % 3, (c / 3) % 3, 2]),
            };
            let participant = pick(&s.participants, p)?;
            if s.rounds[&round].mode == BallotMode::Anonymous {
                Event::AnonymousBallotCast {
                    round,
                    ballot: format!("b{}", p % 4),
                    group: s.participants[&participant].role.group(),
                    choice,
                    at,
                }
            } else {
                Event::BallotCast {
                    round,
                    participant,
                    choice,
                    at,
                    recorded_by: "note-taker".into(),
                }
            }
        }
        Action::Tally(r, role, counts) => Event::TallyRecorded {
            round: pick(&s.rounds, r)?,
            role: Role::ALL.get(usize::from(role) % 9).copied(),
            counts: counts.into_iter().map(u32::from).collect(),
            at,
            beyond_roster: false,
        },
        Action::Close(r) => Event::VoteClosed {
            round: pick(&s.rounds, r)?,
            at,
        },
        Action::Concept(name) => Event::ConceptCreated {
            id: ConceptId::new(format!("c{n}")),
            name,
            description: String::new(),
        },
        Action::Link(c, st) => Event::StatementsLinked {
            concept: pick(&s.concepts, c)?,
            statements: st.iter().filter_map(|i| pick(&s.statements, *i)).collect(),
        },
        Action::Merge(a, b) => Event::ConceptsMerged {
            concepts: vec![pick(&s.concepts, a)?],
            into: pick(&s.concepts, b)?,
        },
        Action::Translate(k, a, b, why) => Event::TranslationMade {
            id: TranslationId::new(format!("t{n}")),
            kind: match k % 3 {
                0 => TranslationKind::Reciprocal {
                    wording: why.clone(),
                },
                1 => TranslationKind::Refutational,
                _ => TranslationKind::LineOfArgument {
                    argument: why.clone(),
                    stages: vec![],
                },
            },
            concepts: vec![pick(&s.concepts, a)?, pick(&s.concepts, b)?],
            rationale: why,
            at,
        },
        Action::Draft(c, st, text) => Event::InterpretationDrafted {
            id: InterpretationId::new(format!("i{n}")),
            text,
            translations: pick(&s.translations, c).into_iter().collect(),
            concepts: pick(&s.concepts, c).into_iter().collect(),
            statements: pick(&s.statements, st).into_iter().collect(),
            at,
        },
        Action::Status(i, st) => {
            let interpretation = pick(&s.interpretations, i)?;
            let round = s
                .rounds
                .values()
                .find(|r| {
                    !r.is_open() && r.target == VoteTarget::Interpretation(interpretation.clone())
                })
                .map(|r| r.id.clone());
            Event::InterpretationStatusChanged {
                interpretation,
                status: [
                    InterpretationStatus::Proposed,
                    InterpretationStatus::Agreed,
                    InterpretationStatus::SetAside,
                ][usize::from(st) % 3],
                reason: "decided".into(),
                round,
                at,
            }
        }
        Action::Memo(text) => Event::MemoAdded {
            id: MemoId::new(format!("m{n}")),
            kind: MemoKind::Process,
            text,
            stage,
            by: "f".into(),
            at,
        },
    })
}

fn ron_reads<T: serde::de::DeserializeOwned>(text: &str) -> T {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .unwrap()
}

fn cases() -> u32 {
    std::env::var("ROUNDTABLE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn replay_equals_live_and_snapshot_plus_tail_equals_replay(
        actions in prop::collection::vec(action(), 1..80),
        snapshot_at in any::<prop::sample::Index>(),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("s");
        let mut w = small_session(&dir, 0);
        w.snapshot_every = 0;
        let snap_after = snapshot_at.index(actions.len());
        let mut snap_seq = None;
        for (n, a) in actions.iter().enumerate() {
            let e = event(&w.session(), a, n, t(n as i64 * 7));
            if let Some(e) = e {
                let before = canon(&w.session());
                if w.record("p", t(n as i64 * 7), &e).is_err() {
                    prop_assert_eq!(canon(&w.session()), before, "a rejected event changed the session");
                }
            }
            if n == snap_after {
                w.snapshot().unwrap();
                snap_seq = Some(w.records());
            }
        }
                // The voice balance kept by `apply` equals a count from scratch.
        let s = w.session();
        let mut recount = [0u32; 4];
        for st in s.statements.values().filter(|x| !x.is_retracted()) {
            // A researcher's, facilitator's or presenter's words are not a voice.
            if let Some(role) = s.role_of(&st.current().speaker).filter(|r| !r.convenes()) {
                let i = RoleGroup::ALL.iter().position(|g| *g == role.group()).unwrap();
                recount[i] += 1;
            }
        }
        prop_assert_eq!(s.voices, recount);
        // So is who was heard in each stage.
        for (stage_id, _) in &s.stages {
            let mut heard: Vec<&ParticipantId> = s
                .statements
                .values()
                .filter(|x| !x.is_retracted() && x.stage.as_ref() == Some(stage_id))
                .filter_map(|x| match &x.current().speaker {
                    Speaker::Participant(p) => Some(p),
                    Speaker::Group => None,
                })
                .collect();
            heard.sort();
            heard.dedup();
            let mut kept: Vec<&ParticipantId> =
                s.heard.get(stage_id).map(|h| h.keys().collect()).unwrap_or_default();
            kept.sort();
            prop_assert_eq!(kept, heard, "heard in {}", stage_id);
        }
        // And the concepts each statement is linked to, in the concepts' order.
        let mut relinked: indexmap::IndexMap<&StatementId, Vec<&ConceptId>> =
            indexmap::IndexMap::new();
        for c in s.concepts.values().filter(|c| c.is_active()) {
            for st in &c.statements {
                relinked.entry(st).or_default().push(&c.id);
            }
        }
        for (st, kept) in &s.linked {
            prop_assert_eq!(
                Some(&kept.iter().collect::<Vec<_>>()),
                relinked.get(st),
                "concepts of {}",
                st
            );
        }
        prop_assert_eq!(s.linked.len(), relinked.len());
        // The fast writer of snapshot bodies writes exactly what ron does.
        prop_assert_eq!(
            store::ron_write::to_string(&*s).unwrap(),
            ron::to_string(&*s).unwrap()
        );
        drop(s);
        let live = canon(&w.session());
        let records = w.records();
        drop(w);

        // The fast reader takes every line the store wrote, and the snapshot,
        // and reads them exactly as ron does.
        let journal = std::fs::read_to_string(dir.join("journal.ron")).unwrap();
        for line in journal.lines() {
            let fast: Option<Record> = compact::from_str(line).ok();
            prop_assert_eq!(fast, Some(ron_reads::<Record>(line)), "{}", line);
        }
        if let Ok(snapshot) = std::fs::read_to_string(dir.join("snapshot.ron")) {
            let body = snapshot.lines().nth(1).unwrap();
            let fast: Option<Session> = compact::from_str(body).ok();
            prop_assert_eq!(fast, Some(ron_reads::<Session>(body)));
        }

        // Snapshot + tail.
        let r = store::open_read_only(&dir).unwrap();
        prop_assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        prop_assert_eq!(r.records, records);
        prop_assert_eq!(canon(&r.session), live.clone());
        let v = store::verify(&dir).unwrap();
        prop_assert!(v.failure.is_none(), "{:?}", v.failure);
        let expected_note = format!("snapshot.ron matches record {}", snap_seq.unwrap_or(0));
        prop_assert!(v.notes.iter().any(|n| n == &expected_note), "{:?}", v.notes);

        // Full replay with no snapshot, for writing.
        std::fs::remove_file(dir.join("snapshot.ron")).unwrap();
        let (w, warnings) = Writer::open(&dir, t(10_000)).unwrap();
        prop_assert!(warnings.is_empty(), "{:?}", warnings);
        prop_assert_eq!(canon(&w.session()), live);
    }
}

/// Ids as a hostile or careless peer might send them: ones that exist,
/// ones that do not, empty, spaced, path-like, long, and with controls.
fn any_id() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0u8..6).prop_map(|i| format!("st{i}")),
        2 => (0u8..4).prop_map(|i| format!("P{i}")),
        2 => (0u8..4).prop_map(|i| format!("S{i}")),
        2 => (0u8..4).prop_map(|i| format!("c{i}")),
        1 => (0u8..4).prop_map(|i| format!("v{i}")),
        1 => (0u8..4).prop_map(|i| format!("i{i}")),
        1 => (0u8..4).prop_map(|i| format!("t{i}")),
        1 => Just(String::new()),
        1 => "[ ./\\\\\u{1b}\"a-z0-9]{1,12}",
        1 => "[a-z]{200,300}",
    ]
}

/// Text of any kind: empty, blank, controls, escapes, and over the limits.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => text(),
        1 => Just(String::new()),
        1 => Just("   ".to_owned()),
        1 => "\\PC{0,40}",
        1 => "[\u{0}-\u{1f}\u{7f}\u{9b}\u{202e}]{1,10}",
        1 => (9_990usize..10_020).prop_map(|n| "w".repeat(n)),
    ]
}

fn any_time() -> impl Strategy<Value = Timestamp> {
    prop_oneof![
        4 => (0i64..100_000).prop_map(t),
        1 => any::<i64>().prop_map(Timestamp::from_unix_millis),
    ]
}

prop_compose! {
    fn hostile_statement()(id in any_id(), who in any_id(), stage in prop::option::of(any_id()),
        text in any_text(), tags in prop::collection::vec(any_text(), 0..3), at in any_time(),
        group in any::<bool>()) -> Event {
        Event::StatementAdded {
            id: StatementId::new(id),
            kind: StatementKind::Quote,
            speaker: if group { Speaker::Group } else { Speaker::Participant(who.into()) },
            stage: stage.map(StageId::new),
            text,
            tags,
            captured_by: "peer".into(),
            at,
        }
    }
}

/// Any event at all, built from hostile parts: what a joined terminal with
/// a modified client could propose.
fn hostile_event() -> impl Strategy<Value = Event> {
    prop_oneof![
        hostile_statement(),
        (any_id(), any_text(), any_time()).prop_map(|(id, text, at)| Event::StatementAmended {
            statement: id.into(),
            kind: StatementKind::Paraphrase,
            speaker: Speaker::Group,
            text,
            tags: vec![],
            reason: None,
            by: "peer".into(),
            at,
        }),
        (any_id(), any_text(), any_time()).prop_map(|(id, reason, at)| {
            Event::StatementRetracted {
                statement: id.into(),
                reason,
                by: "peer".into(),
                at,
            }
        }),
        (any_id(), any_time()).prop_map(|(id, at)| Event::StageStarted {
            stage: id.into(),
            at
        }),
        (any_id(), any_time()).prop_map(|(id, at)| Event::StageEnded {
            stage: id.into(),
            at
        }),
        (any_id(), any_time()).prop_map(|(id, at)| Event::StagePaused {
            stage: id.into(),
            at
        }),
        (any_id(), any::<i64>(), any_time()).prop_map(|(id, by, at)| Event::StageAdjusted {
            stage: id.into(),
            by_secs: by,
            at,
        }),
        (any_id(), any::<u32>(), any_text()).prop_map(|(id, secs, title)| Event::StageAdded {
            id: id.into(),
            kind: StageKind::Discuss,
            title: title.clone(),
            prompt: title,
            planned_secs: secs,
        }),
        (
            any_id(),
            any_id(),
            any_text(),
            any::<u8>(),
            any::<bool>(),
            any_time()
        )
            .prop_map(|(id, target, question, m, hidden, at)| Event::VoteOpened {
                id: id.into(),
                target: match m % 3 {
                    0 => VoteTarget::Statement(target.into()),
                    1 => VoteTarget::Interpretation(target.into()),
                    _ => VoteTarget::Question,
                },
                question: question.clone(),
                method: match m % 4 {
                    0 => VoteMethod::AgreeDisagree,
                    1 => VoteMethod::Dots {
                        options: vec![question.clone(); usize::from(m % 12)],
                        per_person: m
                    },
                    2 => VoteMethod::SingleChoice {
                        options: vec![question; usize::from(m % 12)]
                    },
                    _ => VoteMethod::Ladder,
                },
                mode: if m % 2 == 0 {
                    BallotMode::Counted
                } else {
                    BallotMode::PerParticipant
                },
                hidden,
                // Both ways, so snapshots and the fast reader meet the field.
                named: m % 5 == 1,
                stage: None,
                at,
            }),
        (
            any_id(),
            any_id(),
            any::<u8>(),
            prop::collection::vec(any::<u8>(), 0..12),
            any_time()
        )
            .prop_map(|(round, who, c, dots, at)| Event::BallotCast {
                round: round.into(),
                participant: who.into(),
                choice: match c % 5 {
                    0 => Choice::Agreement(Agreement::Agree),
                    1 => Choice::Resonance(c),
                    2 => Choice::Rung(c),
                    3 => Choice::Single(c),
                    _ => Choice::Dots(dots),
                },
                at,
                recorded_by: "note-taker".into(),
            }),
        (
            any_id(),
            prop::collection::vec(any::<u32>(), 0..12),
            any_time()
        )
            .prop_map(|(round, counts, at)| Event::TallyRecorded {
                round: round.into(),
                role: None,
                counts,
                at,
                beyond_roster: false,
            }),
        (any_id(), any_time()).prop_map(|(round, at)| Event::VoteClosed {
            round: round.into(),
            at
        }),
        (any_id(), any_text()).prop_map(|(id, name)| Event::ConceptCreated {
            id: id.into(),
            name,
            description: String::new(),
        }),
        (any_id(), prop::collection::vec(any_id(), 0..4)).prop_map(|(c, st)| {
            Event::StatementsLinked {
                concept: c.into(),
                statements: st.into_iter().map(StatementId::new).collect(),
            }
        }),
        (prop::collection::vec(any_id(), 0..3), any_id()).prop_map(|(cs, into)| {
            Event::ConceptsMerged {
                concepts: cs.into_iter().map(ConceptId::new).collect(),
                into: into.into(),
            }
        }),
        (
            any_id(),
            prop::collection::vec(any_id(), 0..4),
            any_text(),
            any_time()
        )
            .prop_map(|(id, cs, why, at)| Event::TranslationMade {
                id: id.into(),
                kind: TranslationKind::Refutational,
                concepts: cs.into_iter().map(ConceptId::new).collect(),
                rationale: why,
                at,
            }),
        (any_id(), any_text(), any_id(), any_id(), any_time()).prop_map(|(id, text, c, st, at)| {
            Event::InterpretationDrafted {
                id: id.into(),
                text,
                translations: vec![],
                concepts: vec![c.into()],
                statements: vec![st.into()],
                at,
            }
        }),
        (any_id(), any_id(), any::<bool>()).prop_map(|(id, round, with_round)| {
            Event::InterpretationStatusChanged {
                interpretation: id.into(),
                status: InterpretationStatus::Agreed,
                reason: "decided".into(),
                round: with_round.then(|| round.into()),
                at: t(1),
            }
        }),
        (any_id(), any_text(), prop::option::of(any_id())).prop_map(|(id, text, stage)| {
            Event::MemoAdded {
                id: id.into(),
                kind: MemoKind::Reflexive,
                text,
                stage: stage.map(StageId::new),
                by: "peer".into(),
                at: t(2),
            }
        }),
        (any_id(), any::<bool>()).prop_map(|(p, consent)| Event::ConsentChanged {
            participant: p.into(),
            consent,
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// The host never appends a record that a fresh replay of the journal
    /// would reject: hostile proposals against states grown by ordinary
    /// ones, and after every accepted one the journal replays clean to
    /// exactly the writer's state.
    #[test]
    fn no_accepted_proposal_makes_the_journal_unreplayable(
        steps in prop::collection::vec(
            prop_oneof![
                action().prop_map(Ok),
                hostile_event().prop_map(Err),
            ],
            1..60,
        ),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("s");
        let mut w = small_session(&dir, 0);
        w.snapshot_every = 7;
        let mut accepted = 0;
        for (n, step) in steps.iter().enumerate() {
            let e = match step {
                Ok(a) => event(&w.session(), a, n, t(n as i64 * 3)),
                Err(e) => Some(e.clone()),
            };
            let Some(e) = e else { continue };
            let before = canon(&w.session());
            match w.record("peer", t(n as i64 * 3), &e) {
                Err(_) => prop_assert_eq!(canon(&w.session()), before, "a refused event changed the session"),
                Ok(_) => {
                    accepted += 1;
                    let replayed = store::open_read_only(&dir).unwrap();
                    prop_assert!(replayed.damage.is_none(), "after {:?}: {:?}", e, replayed.damage);
                    prop_assert_eq!(canon(&replayed.session), canon(&w.session()), "after {:?}", e);
                }
            }
        }
        drop(w);
        let v = store::verify(&dir).unwrap();
        prop_assert!(v.passed(), "{:?} {:?}", v.failure, v.snapshot_mismatch);
        // Reopening for writing (from the snapshot, proven) agrees too.
        let (mut w, _) = Writer::open(&dir, t(1_000_000)).unwrap();
        prop_assert_eq!(w.settle(), None);
        let _ = accepted;
    }
}
