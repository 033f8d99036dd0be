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
    /// Leave the last stage running and its last vote round open, as a
    /// session in the middle of a workshop is.
    pub live: bool,
    /// Memos written after the snapshot, which opening then replays.
    pub after_snapshot: usize,
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

/// The shipped example session's journal: generated statements and memos
/// take their lengths (in words) and their words from its own, so that
/// text sizes, escaping and wrapping cost what they do in a real session.
const EXAMPLE: &str = include_str!("../../sessions/2026-03-14-cag-findings/journal.ron");

/// Lengths and words of the example's statements and memos.
struct Corpus {
    words: Vec<String>,
    statement_lengths: Vec<usize>,
    memo_lengths: Vec<usize>,
}

impl Corpus {
    fn example() -> Corpus {
        let mut c = Corpus {
            words: Vec::new(),
            statement_lengths: Vec::new(),
            memo_lengths: Vec::new(),
        };
        for line in EXAMPLE.lines() {
            let Ok(r) = crate::store::record::decode(line.as_bytes()) else {
                continue;
            };
            let (text, lengths) = match r.event {
                Event::StatementAdded { text, .. } => (text, &mut c.statement_lengths),
                Event::MemoAdded { text, .. } => (text, &mut c.memo_lengths),
                _ => continue,
            };
            let words: Vec<&str> = text.split_whitespace().collect();
            lengths.push(words.len());
            c.words.extend(words.iter().map(|w| (*w).to_owned()));
        }
        if c.words.is_empty() {
            c.words.push("said".into());
        }
        for lengths in [&mut c.statement_lengths, &mut c.memo_lengths] {
            if lengths.is_empty() {
                lengths.push(12);
            }
        }
        c
    }

    /// Text of a length drawn from `lengths`, its words drawn (as often as
    /// they occur) from the example's.
    fn text(&self, lengths: &[usize], rng: &mut Lcg) -> String {
        let n = lengths[rng.next(lengths.len())].max(1);
        let mut text = String::new();
        for i in 0..n {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&self.words[rng.next(self.words.len())]);
        }
        text
    }
}

/// Writes a generated session into `dir` (which must not exist).
pub fn write(dir: &Path, spec: Spec) -> Result<Generated, StoreError> {
    let io = |e: std::io::Error| StoreError::Io {
        path: dir.to_owned(),
        source: e,
    };
    crate::store::fsutil::create_private_dir_all(dir)?;
    let path = dir.join(crate::store::journal::JOURNAL);
    let file = crate::os::private_file(std::fs::OpenOptions::new().create_new(true).write(true))
        .open(&path)
        .map_err(io)?;
    let mut session = Session::default();
    let mut at = Timestamp::from_unix_millis(1_773_482_400_000);
    let mut rng = Lcg(42);
    let corpus = Corpus::example();
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
        let participant =
            Participant::consenting(ParticipantId::new(format!("P{p}")), roles[p % roles.len()]);
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
            let e = Event::StatementAdded {
                id: StatementId::new(format!("st{n_statement}")),
                kind: if rng.next(3) == 0 {
                    StatementKind::Paraphrase
                } else {
                    StatementKind::Quote
                },
                speaker: Speaker::Participant(ParticipantId::new(format!("P{}", 1 + rng.next(40)))),
                stage: Some(stage.clone()),
                text: corpus.text(&corpus.statement_lengths, &mut rng),
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
        let mut rounds_here = per_round.min(spec.rounds - n_round);
        let live_here = spec.live && s == stages;
        if live_here && rounds_here == 0 {
            // The running stage has its vote open, however few rounds.
            rounds_here = 1;
        }
        for i in 0..rounds_here {
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
                named: false,
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
            if !(live_here && i + 1 == rounds_here) {
                emit(Event::VoteClosed { round, at }, &mut session, at)?;
            }
        }
        if !live_here {
            emit(Event::StageEnded { stage, at }, &mut session, at)?;
        }
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
    let mut snapshot_at = None;
    let target = spec.records.max(session.applied as usize) + spec.after_snapshot;
    loop {
        if spec.after_snapshot > 0
            && session.applied as usize + spec.after_snapshot == target
            && snapshot_at.is_none()
        {
            // The snapshot is taken here; what follows is only in the journal.
            snapshot_at = Some(session.clone());
        }
        if session.applied as usize >= target {
            break;
        }
        m += 1;
        at = at.plus_millis(10);
        let e = Event::MemoAdded {
            id: MemoId::new(format!("m{m}")),
            kind: MemoKind::Process,
            text: corpus.text(&corpus.memo_lengths, &mut rng),
            stage: None,
            by: "g".into(),
            at,
        };
        emit(e, &mut session, at)?;
    }
    let (file, seq, head) = (w.out, w.seq, w.head);
    let file = file.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    match &snapshot_at {
        Some(earlier) => {
            let (hash, end) = nth_hash(&path, earlier.applied)?;
            snapshot::write(dir, earlier.applied, &hash, end, earlier)?;
        }
        None => {
            let end = file.metadata().map_err(io)?.len();
            snapshot::write(dir, seq, &head, end, &session)?
        }
    }
    Ok(Generated {
        records: seq,
        head,
        session,
    })
}

/// The hash of record `seq` of the journal at `path`.
/// Record `seq`'s hash, and where its line ends.
fn nth_hash(path: &Path, seq: u64) -> Result<(String, u64), StoreError> {
    let scan = crate::store::journal::scan(path, u64::MAX, seq, &mut |_| Ok(()))?;
    scan.remembered
        .zip(scan.remembered_at)
        .ok_or_else(|| StoreError::Invalid {
            path: path.to_owned(),
            reason: format!("record {seq} is not in the journal"),
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
