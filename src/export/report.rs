//! The content of a report, gathered once and rendered as Markdown or HTML.

use super::{Privacy, Source, listed, withheld_count};
use crate::domain::analysis::{Accounts, grid, provenance};
use crate::domain::time::mmss;
use crate::domain::{BallotMode, Session, StageState, VoteTarget};

pub struct StageRow {
    pub number: usize,
    pub kind: String,
    pub title: String,
    pub planned_secs: i64,
    /// Planned time with extensions and shortenings.
    pub allowed_secs: i64,
    /// None when the stage never ran.
    pub actual_secs: Option<i64>,
    pub started: String,
    pub adjusted: String,
    pub statements: Vec<StatementRow>,
    /// Statements in this stage whose speakers did not consent: a count.
    pub withheld: usize,
}

pub struct StatementRow {
    pub id: String,
    pub speaker: String,
    pub role: String,
    pub kind: String,
    /// Empty for a retracted statement: its words are withdrawn.
    pub text: String,
    pub tags: Vec<String>,
    pub note: String,
}

impl StatementRow {
    /// The words as a reader should meet them: a verbatim quote in
    /// quotation marks, a paraphrase, question or action plain.
    pub fn words(&self) -> String {
        if self.kind == crate::domain::StatementKind::Quote.label() {
            format!("“{}”", self.text)
        } else {
            self.text.clone()
        }
    }
}

pub struct VoteRow {
    pub id: String,
    pub question: String,
    pub about: String,
    pub method: String,
    pub mode: String,
    pub options: Vec<(String, u32)>,
    pub by_role: Vec<(String, Vec<u32>)>,
    pub voters: u32,
    pub status: String,
    /// Hidden until the round closes, and still open: no counts yet.
    pub counts_hidden: bool,
}

pub struct GridTable {
    pub columns: Vec<String>,
    /// Concept name, then each cell's statement ids.
    pub rows: Vec<(String, Vec<String>)>,
}

pub struct InterpretationRow {
    pub id: String,
    pub text: String,
    pub status: String,
    pub decision: String,
    pub translations: Vec<String>,
    pub concepts: Vec<String>,
    pub evidence: Vec<String>,
    /// Statements it rests on whose speakers did not consent: a count.
    pub withheld: usize,
}

/// An action and what became of it: "you said, we did".
pub struct ActionRow {
    pub id: String,
    pub what: String,
    pub who: String,
    pub by_when: String,
    pub status: String,
    pub note: String,
}

pub struct Report {
    pub title: String,
    pub focus: String,
    /// Only with `--names`.
    pub facilitator: Option<String>,
    pub date: String,
    /// Those who consented to be named; the rest are `unnamed`.
    pub participants: Vec<(String, String)>,
    /// Participants who did not consent: counted, never listed.
    pub unnamed: usize,
    pub stages: Vec<StageRow>,
    pub unstaged: Vec<StatementRow>,
    /// Statements outside any stage whose speakers did not consent.
    pub unstaged_withheld: usize,
    pub votes: Vec<VoteRow>,
    pub grid: GridTable,
    pub interpretations: Vec<InterpretationRow>,
    pub memos: Vec<String>,
    /// Who the report is for.
    pub audience: Audience,
    /// How the translation was done, for eMERGe reporting: the
    /// researcher's report only.
    pub emerge: Vec<super::emerge::EmergeRow>,
    pub actions: Vec<ActionRow>,
    /// Measures of co-production: the researcher's report only.
    pub measures: Vec<crate::domain::measures::Figure>,
    /// Parked for later: id and words (retracted ones say so; withheld
    /// ones are only counted, in the last line).
    pub parked: Vec<String>,
    /// Who came late or left, and when (those who did not consent are
    /// only counted, in the last line).
    pub attendance: Vec<String>,
    pub records: u64,
    pub head: String,
    pub damage: Option<String>,
}

/// Who a report is for. The group's report (sent back to participants, as
/// PPI practice expects) leaves out memos and the eMERGe account unless
/// asked; the researcher's includes them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Audience {
    #[default]
    Researcher,
    Group,
}

/// Which memos a report carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Memos {
    /// Process and reflexive memos.
    All,
    /// How the session went, not the facilitator's reflections.
    Process,
    None,
}

/// What a report is shaped for; `memos` defaults by audience.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    pub audience: Audience,
    pub memos: Option<Memos>,
}

impl Shape {
    fn memos(self) -> Memos {
        self.memos.unwrap_or(match self.audience {
            Audience::Researcher => Memos::All,
            Audience::Group => Memos::None,
        })
    }
}

fn statement_row(
    session: &Session,
    privacy: Privacy,
    s: &crate::domain::Statement,
) -> StatementRow {
    let v = s.current();
    let role = session
        .role_of(&v.speaker)
        .map(|r| r.label().to_owned())
        .unwrap_or_else(|| "whole group".into());
    // Only the current wording: what an amendment took out stays in the
    // journal. A retracted statement keeps its id and why, not its words
    // or tags.
    let (text, tags, note) = match (&s.retracted, s.is_amended()) {
        (Some(r), _) => (
            String::new(),
            Vec::new(),
            format!("retracted: {}", r.reason),
        ),
        (None, true) => (v.text.clone(), v.tags.clone(), amended_note(s)),
        (None, false) => (v.text.clone(), v.tags.clone(), String::new()),
    };
    StatementRow {
        id: s.id.to_string(),
        speaker: privacy.speaker(session, &v.speaker),
        role,
        kind: v.kind.label().to_owned(),
        text,
        tags,
        note,
    }
}

/// `amended`, and whether the speaker was corrected: a mark, never the
/// earlier wording.
pub fn amended_note(s: &crate::domain::Statement) -> String {
    if s.original.speaker != s.current().speaker {
        "amended; speaker corrected".into()
    } else {
        "amended".into()
    }
}

/// The statements of `which` that may be listed, as rows, and how many
/// were withheld (their speakers did not consent).
fn rows<'a>(
    session: &'a Session,
    privacy: Privacy,
    which: impl Iterator<Item = &'a crate::domain::Statement>,
) -> (Vec<StatementRow>, usize) {
    let mut withheld = 0;
    let mut out = Vec::new();
    for st in which {
        if listed(session, st) {
            out.push(statement_row(session, privacy, st));
        } else {
            withheld += 1;
        }
    }
    (out, withheld)
}

pub fn build(src: &Source, privacy: Privacy) -> Report {
    build_for(src, privacy, Shape::default())
}

/// [`build`] for an audience.
pub fn build_for(src: &Source, privacy: Privacy, shape: Shape) -> Report {
    let s = src.session;
    let info = s.info();
    let outside = s
        .statements
        .values()
        .filter(|x| x.stage.is_none())
        .map(|x| &**x);
    let (unstaged, unstaged_withheld) = rows(s, privacy, outside);
    Report {
        title: s.title().to_owned(),
        focus: s.focus().to_owned(),
        facilitator: privacy.facilitator(s),
        // Times in the report are local to the computer that wrote it; say which zone.
        date: info
            .map(|i| format!("{} · times in {}", i.created.date(), i.created.zone()))
            .unwrap_or_default(),
        participants: participants(s, privacy),
        unnamed: s.participants.values().filter(|p| !p.consent).count(),
        stages: stages(s, privacy),
        unstaged,
        unstaged_withheld,
        votes: votes(s),
        grid: grid_table(s),
        interpretations: interpretations(s, privacy),
        memos: memos(s, shape.memos()),
        audience: shape.audience,
        emerge: match shape.audience {
            Audience::Researcher => super::emerge::emerge(s),
            Audience::Group => Vec::new(),
        },
        actions: actions(s),
        measures: match shape.audience {
            Audience::Researcher => crate::domain::measures::measures(s),
            Audience::Group => Vec::new(),
        },
        parked: parked(s, privacy),
        attendance: attendance(s),
        records: src.records,
        head: src.head.clone(),
        damage: src.damage.clone(),
    }
}

fn participants(s: &Session, privacy: Privacy) -> Vec<(String, String)> {
    s.participants
        .values()
        .filter(|p| p.consent)
        .map(|p| {
            let who = match (&p.real_name, privacy.names) {
                (Some(n), true) => format!("{} ({n})", p.id),
                _ => p.id.to_string(),
            };
            let mut what = p.role.label().to_owned();
            if let Some(sector) = p.sector {
                what.push_str(&format!(", {}", sector.label()));
            }
            if let Some(level) = p.level {
                what.push_str(&format!(", {}", level.label()));
            }
            (who, what)
        })
        .collect()
}

fn stages(s: &Session, privacy: Privacy) -> Vec<StageRow> {
    s.stages
        .values()
        .enumerate()
        .map(|(i, st)| {
            let end = st.runtime.ended.or(st.runtime.started).unwrap_or_default();
            let adj = st.allowed_secs() - i64::from(st.planned_secs);
            StageRow {
                number: i + 1,
                kind: st.kind.label().to_owned(),
                title: st.title.clone(),
                planned_secs: i64::from(st.planned_secs),
                allowed_secs: st.allowed_secs(),
                actual_secs: (st.state() != StageState::NotStarted)
                    .then(|| st.elapsed_millis(end) / 1000),
                started: st
                    .runtime
                    .started
                    .map(|t| t.clock_time())
                    .unwrap_or_default(),
                // What changed from the plan: time given or taken, and a
                // stage left out.
                adjusted: {
                    let sign = if adj > 0 { "+" } else { "−" };
                    let time = match adj {
                        0 => String::new(),
                        a if a % 60 == 0 => format!("{sign}{} min", a.abs() / 60),
                        a => format!("{sign}{}", crate::domain::time::mmss(a.abs())),
                    };
                    match (st.is_skipped(), time.is_empty()) {
                        (true, true) => "skipped".to_owned(),
                        (true, false) => format!("skipped ({time})"),
                        (false, _) => time,
                    }
                },
                statements: Vec::new(),
                withheld: 0,
            }
        })
        .map(|mut row| {
            let id = s.stages.get_index(row.number - 1).map(|(k, _)| k.clone());
            let (list, withheld) = rows(
                s,
                privacy,
                s.statements
                    .values()
                    .filter(|x| x.stage.is_some() && x.stage == id)
                    .map(|x| &**x),
            );
            row.statements = list;
            row.withheld = withheld;
            row
        })
        .collect()
}

fn votes(s: &Session) -> Vec<VoteRow> {
    s.rounds
        .values()
        .map(|r| {
            let res = s.results(r);
            // A hidden round still open: how many have voted, nothing of
            // what they chose.
            let counts_hidden = !r.results_visible();
            VoteRow {
                id: r.id.to_string(),
                question: r.question.clone(),
                about: match &r.target {
                    VoteTarget::Statement(id) => format!("statement {id}"),
                    VoteTarget::Interpretation(id) => format!("interpretation {id}"),
                    VoteTarget::Question => "free question".into(),
                },
                method: r.method.label().to_owned(),
                mode: match r.mode {
                    BallotMode::PerParticipant => "one ballot per participant".into(),
                    BallotMode::Counted => "show of hands".into(),
                    BallotMode::Anonymous => "anonymous: each person once, from their phone".into(),
                },
                options: res
                    .options
                    .iter()
                    .cloned()
                    .zip(
                        res.counts
                            .iter()
                            .map(|n| if counts_hidden { 0 } else { *n }),
                    )
                    .collect(),
                by_role: if counts_hidden {
                    Vec::new()
                } else {
                    res.by_role
                        .iter()
                        .map(|(role, c)| (role.label().to_owned(), c.clone()))
                        .collect()
                },
                counts_hidden,
                voters: res.voters,
                status: if r.is_open() {
                    "still open".into()
                } else {
                    format!(
                        "closed {}",
                        r.closed.map(|t| t.clock_time()).unwrap_or_default()
                    )
                },
            }
        })
        .collect()
}

fn grid_table(s: &Session) -> GridTable {
    let g = grid(s, Accounts::RoleGroups);
    GridTable {
        columns: g.accounts.iter().map(|a| a.label(s)).collect(),
        rows: g
            .rows
            .iter()
            .map(|r| {
                let name = s
                    .concepts
                    .get(&r.concept)
                    .map(|c| format!("{} {}", c.id, c.name))
                    .unwrap_or_default();
                (
                    name,
                    (0..r.cells.len())
                        .map(|i| {
                            // Statements whose speakers did not consent are
                            // counted, never named.
                            let mut ids: Vec<String> = r.cells[i]
                                .iter()
                                .filter(|id| s.statements.get(*id).is_none_or(|st| listed(s, st)))
                                .map(|id| match r.retracted.contains(id) {
                                    true => format!("{id} (retracted)"),
                                    false => id.to_string(),
                                })
                                .collect();
                            let withheld = r.cells[i].len() - ids.len();
                            if withheld > 0 {
                                ids.push(format!("{withheld} withheld"));
                            }
                            ids.join(", ")
                        })
                        .collect(),
                )
            })
            .collect(),
    }
}

fn interpretations(s: &Session, privacy: Privacy) -> Vec<InterpretationRow> {
    s.interpretations
        .values()
        .map(|i| {
            let p = provenance(s, i);
            let decision = i
                .history
                .last()
                .map(|h| {
                    let round = h
                        .round
                        .as_ref()
                        .map(|r| format!(" (vote {r})"))
                        .unwrap_or_default();
                    format!("{}{round}: {}", h.status, h.reason)
                })
                .unwrap_or_default();
            let withheld = p
                .evidence
                .iter()
                .filter(|e| !listed(s, e.statement))
                .count();
            InterpretationRow {
                withheld,
                id: i.id.to_string(),
                text: i.text().to_owned(),
                status: i.status.label().to_owned(),
                decision,
                translations: p
                    .translations
                    .iter()
                    .map(|t| {
                        let ids: Vec<&str> = t.concepts.iter().map(|c| c.as_str()).collect();
                        let extra = match &t.kind {
                            crate::domain::TranslationKind::Reciprocal { wording } => {
                                format!(" — “{wording}”")
                            }
                            crate::domain::TranslationKind::LineOfArgument { argument } => {
                                format!(" — {argument}")
                            }
                            crate::domain::TranslationKind::Refutational => String::new(),
                        };
                        format!(
                            "{} {} ({}){extra}. Rationale: {}",
                            t.id,
                            t.kind.label(),
                            ids.join(", "),
                            t.rationale
                        )
                    })
                    .collect(),
                concepts: p
                    .concepts
                    .iter()
                    .map(|c| format!("{} {}", c.id, c.name))
                    .collect(),
                evidence: p
                    .evidence
                    .iter()
                    .filter(|e| listed(s, e.statement))
                    .map(|e| {
                        let row = statement_row(s, privacy, e.statement);
                        let mut how = Vec::new();
                        if e.direct {
                            how.push("linked directly".to_owned());
                        }
                        if !e.via.is_empty() {
                            how.push(format!(
                                "via {}",
                                e.via
                                    .iter()
                                    .map(|c| c.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ));
                        }
                        let via = how.join(", ");
                        let flag = if e.retracted() {
                            " ⚠ RETRACTED".to_owned()
                        } else if e.amended() {
                            " ⚠ amended".to_owned()
                        } else {
                            String::new()
                        };
                        let text = if row.text.is_empty() {
                            "(words withdrawn)".to_owned()
                        } else {
                            row.words()
                        };
                        format!(
                            "{} {} ({}, {}): {text} [{via}]{flag}",
                            row.id, row.speaker, row.role, row.kind
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

fn memos(s: &Session, which: Memos) -> Vec<String> {
    s.memos
        .values()
        .filter(|m| match which {
            Memos::All => true,
            Memos::Process => m.kind == crate::domain::MemoKind::Process,
            Memos::None => false,
        })
        .map(|m| {
            format!(
                "{} {} memo{}: {}",
                m.at.clock_time(),
                m.kind.label(),
                m.stage
                    .as_ref()
                    .map(|st| format!(" ({st})"))
                    .unwrap_or_default(),
                m.text
            )
        })
        .collect()
}

/// `MM:SS`, or a dash for a stage that never ran.
pub fn time_or_dash(secs: Option<i64>) -> String {
    secs.map(mmss).unwrap_or_else(|| "–".into())
}

fn actions(s: &Session) -> Vec<ActionRow> {
    s.actions
        .values()
        .map(|a| ActionRow {
            id: a.id.to_string(),
            what: a.what.clone(),
            who: a.who.clone(),
            by_when: a.by_when.clone(),
            status: a.status.label().to_owned(),
            note: a.note.clone(),
        })
        .collect()
}

fn parked(s: &Session, privacy: Privacy) -> Vec<String> {
    let (list, withheld) = rows(
        s,
        privacy,
        s.floor
            .parked
            .iter()
            .filter_map(|id| s.statements.get(id))
            .map(|x| &**x),
    );
    list.into_iter()
        .map(|row| match row.text.is_empty() {
            true => format!("{} ({})", row.id, row.note),
            false => format!("{} {}: {}", row.id, row.speaker, row.text),
        })
        .chain(withheld_count(withheld, "statement"))
        .collect()
}

fn attendance(s: &Session) -> Vec<String> {
    let unnamed = s
        .floor
        .attendance
        .keys()
        .filter(|p| !s.consented(p))
        .count();
    s.floor
        .attendance
        .iter()
        .filter(|(p, _)| s.consented(p))
        .map(|(p, a)| {
            let times = |ts: &[crate::domain::Timestamp]| {
                ts.iter()
                    .map(|t| t.clock_time())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut parts = Vec::new();
            if !a.arrived.is_empty() {
                parts.push(format!("arrived {}", times(&a.arrived)));
            }
            if !a.left.is_empty() {
                parts.push(format!("left {}", times(&a.left)));
            }
            format!("{p}: {}", parts.join("; "))
        })
        .chain(match unnamed {
            0 => None,
            1 => Some("1 more person came or went: not named (no consent)".to_owned()),
            n => Some(format!(
                "{n} more people came or went: not named (no consent)"
            )),
        })
        .collect()
}
