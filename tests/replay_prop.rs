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

fn pick<K: Clone, V>(map: &indexmap::IndexMap<K, V>, i: u8) -> Option<K> {
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
            let method = match m % 5 {
                0 => VoteMethod::AgreeDisagree,
                1 => VoteMethod::Resonance,
                2 => VoteMethod::Ladder,
                3 => VoteMethod::SingleChoice {
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
                } else {
                    BallotMode::PerParticipant
                },
                hidden: m % 2 == 0,
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
            };
            Event::BallotCast {
                round,
                participant: pick(&s.participants, p)?,
                choice,
                at,
            }
        }
        Action::Tally(r, role, counts) => Event::TallyRecorded {
            round: pick(&s.rounds, r)?,
            role: Role::ALL.get(usize::from(role) % 9).copied(),
            counts: counts.into_iter().map(u32::from).collect(),
            at,
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
            if let Some(e) = event(w.session(), a, n, t(n as i64 * 7)) {
                let before = canon(w.session());
                if w.record("p", t(n as i64 * 7), &e).is_err() {
                    prop_assert_eq!(canon(w.session()), before, "a rejected event changed the session");
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
            if let Some(role) = s.role_of(&st.current().speaker) {
                let i = RoleGroup::ALL.iter().position(|g| *g == role.group()).unwrap();
                recount[i] += 1;
            }
        }
        prop_assert_eq!(s.voices, recount);
        let live = canon(w.session());
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
        prop_assert_eq!(canon(w.session()), live);
    }
}
