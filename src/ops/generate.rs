//! Large, realistic sessions for benchmarks and by hand: many participants,
//! statements across the stages, vote rounds with ballots, concepts with
//! links, translations and interpretations. Deterministic for a given spec.
//!
//! Records go straight to the journal through the same encoder and chain as
//! live capture, but with one fsync at the end instead of one per record.

use crate::domain::*;
use crate::store::record::{GENESIS, encode};
use crate::store::{StoreError, snapshot};
use std::io::Write;
use std::path::Path;

#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub statements: usize,
    pub rounds: usize,
    pub concepts: usize,
    /// Pad the journal with memos to at least this many records.
    pub records: usize,
}

/// What was written.
#[derive(Clone, Debug)]
pub struct Generated {
    pub records: u64,
    pub head: String,
    pub session: Session,
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

const WORDS: [&str; 24] = [
    "discharge",
    "carer",
    "ward",
    "nobody",
    "told",
    "home",
    "asked",
    "late",
    "call",
    "nurse",
    "transport",
    "plan",
    "leaflet",
    "daughter",
    "social",
    "care",
    "package",
    "waiting",
    "kind",
    "system",
    "hurry",
    "listened",
    "support",
    "again",
];

/// Writes a generated session into `dir` (which must not exist).
pub fn write(dir: &Path, spec: Spec) -> Result<Generated, StoreError> {
    let io = |e: std::io::Error| StoreError::Io {
        path: dir.to_owned(),
        source: e,
    };
    crate::store::fsutil::create_private_dir_all(dir)?;
    let path = dir.join(crate::store::journal::JOURNAL);
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .create_new(true)
            .write(true)
            .mode(crate::store::fsutil::FILE_MODE)
            .open(&path)
            .map_err(io)?
    };
    let mut session = Session::default();
    let mut at = Timestamp::from_unix_millis(1_773_482_400_000);
    let mut rng = Lcg(42);
    let mut w = Emitter {
        out: std::io::BufWriter::with_capacity(1 << 20, file),
        head: GENESIS.to_owned(),
        seq: 0,
        path: path.clone(),
    };
    let mut emit = |e: Event, session: &mut Session, at: Timestamp| w.emit(e, session, at);
    emit(
        Event::SessionCreated {
            title: format!("Generated: {} statements", spec.statements),
            focus: "How does roundtable cope with a very long programme of work?".into(),
            facilitator: "generator".into(),
            created: at,
            template: None,
        },
        &mut session,
        at,
    )?;
    // The roles a participant file holds; the facilitator and presenters are not counted here.
    let roles = &Role::ALL[..7];
    for p in 1..=40 {
        let participant = Participant {
            id: ParticipantId::new(format!("P{p}")),
            role: roles[p % roles.len()],
            sector: None,
            level: None,
            real_name: None,
            consent: true,
        };
        emit(Event::ParticipantAdded { participant }, &mut session, at)?;
    }
    let stages = 8;
    for s in 1..=stages {
        let e = Event::StageAdded {
            id: StageId::new(format!("S{s}")),
            kind: StageKind::Discuss,
            title: format!("Theme {s}"),
            prompt: "What matters here?".into(),
            planned_secs: 600,
        };
        emit(e, &mut session, at)?;
    }
    let per_stage = spec.statements.div_ceil(stages);
    let per_round = spec.rounds.div_ceil(stages);
    let mut n_statement = 0;
    let mut n_round = 0;
    for s in 1..=stages {
        let stage = StageId::new(format!("S{s}"));
        emit(
            Event::StageStarted {
                stage: stage.clone(),
                at,
            },
            &mut session,
            at,
        )?;
        for _ in 0..per_stage.min(spec.statements - n_statement) {
            n_statement += 1;
            at = at.plus_millis(1500);
            let words: Vec<&str> = (0..8 + rng.next(16))
                .map(|_| WORDS[rng.next(WORDS.len())])
                .collect();
            let e = Event::StatementAdded {
                id: StatementId::new(format!("st{n_statement}")),
                kind: if rng.next(3) == 0 {
                    StatementKind::Paraphrase
                } else {
                    StatementKind::Quote
                },
                speaker: Speaker::Participant(ParticipantId::new(format!("P{}", 1 + rng.next(40)))),
                stage: Some(stage.clone()),
                text: words.join(" "),
                tags: if rng.next(2) == 0 {
                    vec!["barrier".into()]
                } else {
                    vec!["enabler".into()]
                },
                captured_by: "note-taker".into(),
                at,
            };
            emit(e, &mut session, at)?;
        }
        for _ in 0..per_round.min(spec.rounds - n_round) {
            n_round += 1;
            let round = RoundId::new(format!("v{n_round}"));
            let target = VoteTarget::Statement(StatementId::new(format!(
                "st{}",
                1 + rng.next(n_statement.max(1))
            )));
            let open = Event::VoteOpened {
                id: round.clone(),
                target: if n_statement == 0 {
                    VoteTarget::Question
                } else {
                    target
                },
                question: "Does this resonate?".into(),
                method: VoteMethod::Resonance,
                mode: BallotMode::PerParticipant,
                hidden: false,
                stage: Some(stage.clone()),
                at,
            };
            emit(open, &mut session, at)?;
            for p in 1..=8 {
                let e = Event::BallotCast {
                    round: round.clone(),
                    participant: ParticipantId::new(format!("P{p}")),
                    choice: Choice::Resonance(1 + rng.next(5) as u8),
                    at,
                    recorded_by: "note-taker".into(),
                };
                emit(e, &mut session, at)?;
            }
            emit(Event::VoteClosed { round, at }, &mut session, at)?;
        }
        emit(Event::StageEnded { stage, at }, &mut session, at)?;
    }
    for c in 1..=spec.concepts {
        let id = ConceptId::new(format!("c{c}"));
        emit(
            Event::ConceptCreated {
                id: id.clone(),
                name: format!("Concept {c}"),
                description: String::new(),
            },
            &mut session,
            at,
        )?;
        let links: Vec<StatementId> = (0..10)
            .map(|_| StatementId::new(format!("st{}", 1 + rng.next(n_statement.max(1)))))
            .collect();
        if n_statement > 0 {
            emit(
                Event::StatementsLinked {
                    concept: id,
                    statements: links,
                },
                &mut session,
                at,
            )?;
        }
    }
    for t in 1..spec.concepts.min(50) {
        let e = Event::TranslationMade {
            id: TranslationId::new(format!("t{t}")),
            kind: TranslationKind::Refutational,
            concepts: vec![
                ConceptId::new(format!("c{t}")),
                ConceptId::new(format!("c{}", t + 1)),
            ],
            rationale: "They pull against each other.".into(),
            at,
        };
        emit(e, &mut session, at)?;
        let e = Event::InterpretationDrafted {
            id: InterpretationId::new(format!("i{t}")),
            text: format!("Interpretation {t}"),
            translations: vec![TranslationId::new(format!("t{t}"))],
            concepts: vec![],
            statements: vec![],
            at,
        };
        emit(e, &mut session, at)?;
    }
    let mut m = 0;
    while (session.applied as usize) < spec.records {
        m += 1;
        at = at.plus_millis(10);
        let e = Event::MemoAdded {
            id: MemoId::new(format!("m{m}")),
            kind: MemoKind::Process,
            text: "Note".into(),
            stage: None,
            by: "g".into(),
            at,
        };
        emit(e, &mut session, at)?;
    }
    let (file, seq, head) = (w.out, w.seq, w.head);
    let file = file.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    snapshot::write(dir, seq, &head, &session)?;
    Ok(Generated {
        records: seq,
        head,
        session,
    })
}

struct Emitter {
    out: std::io::BufWriter<std::fs::File>,
    head: String,
    seq: u64,
    path: std::path::PathBuf,
}

impl Emitter {
    fn emit(&mut self, e: Event, session: &mut Session, at: Timestamp) -> Result<(), StoreError> {
        session.apply(&e)?;
        self.seq += 1;
        let (line, hash) = encode(self.seq, &self.head, at, "generator", &e).map_err(|reason| {
            StoreError::Invalid {
                path: self.path.clone(),
                reason,
            }
        })?;
        self.out
            .write_all(line.as_bytes())
            .map_err(|e| StoreError::Io {
                path: self.path.clone(),
                source: e,
            })?;
        self.head = hash;
        Ok(())
    }
}
