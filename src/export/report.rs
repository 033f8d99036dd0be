//! The content of a report, gathered once and rendered as Markdown or HTML.

pub use super::statements::StatementRow;
use super::statements::rows;
pub use super::synthesis::{Framework, GridTable, InterpretationRow};
use super::{Privacy, Source, withheld_count};
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
    /// Left out of the agenda: it will not run unless put back.
    pub skipped: bool,
    pub statements: Vec<StatementRow>,
    /// Statements in this stage whose speakers did not consent: a count.
    pub withheld: usize,
}

/// Each group's label and its counts, per option.
pub type GroupCounts = Vec<(String, Vec<u32>)>;

pub struct VoteRow {
    pub id: String,
    pub question: String,
    pub about: String,
    pub method: String,
    pub mode: String,
    pub options: Vec<(String, u32)>,
    pub by_role: Vec<(String, Vec<u32>)>,
    /// By sector and by level where participants have them (a staff
    /// study's grid): each breakdown's name and its groups' counts.
    pub by_grid: Vec<(String, GroupCounts)>,
    /// A ranking round's Borda points and median ranks, in words.
    pub ranks: Option<String>,
    pub voters: u32,
    pub status: String,
    /// Hidden until the round closes, and still open: no counts yet.
    pub counts_hidden: bool,
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
    /// The grid with the words in its cells.
    pub framework: Framework,
    pub interpretations: Vec<InterpretationRow>,
    pub memos: Vec<String>,
    /// Memos written but left out by the report's choice (`--memos`).
    pub memos_left_out: usize,
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
    /// A workspace's sources (its cases); none for a session.
    pub cases: Vec<super::Case>,
    /// Template analysis: the final template and matrix coding tables
    /// (empty without a codebook).
    pub template: super::template::FinalTemplate,
    /// A GRIPP2 account of involvement: the researcher's report only.
    pub gripp2: Vec<super::gripp2::Item>,
    /// GRIPP2's long form, by section: the researcher's report only.
    pub gripp2_long: Vec<super::gripp2::Section>,
}

impl Report {
    /// What the Memos section says when it lists none: that none were
    /// written, or how many this report leaves out.
    pub fn no_memos(&self) -> String {
        match self.memos_left_out {
            0 => "No memos were written.".into(),
            1 => "1 memo was written; this report leaves it out (--memos).".into(),
            n => format!("{n} memos were written; this report leaves them out (--memos)."),
        }
    }

    /// An interpretation's decision, or that it has none yet.
    pub fn decision(i: &InterpretationRow) -> &str {
        match i.decision.trim() {
            "" => "none yet",
            d => d,
        }
    }

    /// What the Votes section says when there were none.
    pub fn no_votes(&self) -> &'static str {
        match self.cases.is_empty() {
            true => "No votes were taken.",
            false => {
                "A workspace holds no votes: its interpretations are decided in a workshop (roundtable new --take-up), and the verdicts recorded here."
            }
        }
    }
}

/// Who a report is for. The group's report (sent back to participants, as
/// PPI practice expects) leaves out memos and the eMERGe account unless
/// asked; the researcher's includes them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Audience {
    #[default]
    Researcher,
    Group,
    /// The participants themselves, in easy read: short sentences, large
    /// type, what was agreed and what happens next, no jargon.
    EasyRead,
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
            // Participants' reports never carry the facilitator's memos.
            Audience::Group | Audience::EasyRead => Memos::None,
        })
    }
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
    let carried = memos(s, shape.memos());
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
        grid: super::synthesis::grid_table(s),
        framework: super::synthesis::framework(s, privacy),
        interpretations: super::synthesis::interpretations(s, privacy),
        memos_left_out: s.memos.len() - carried.len(),
        memos: carried,
        audience: shape.audience,
        emerge: match shape.audience {
            Audience::Researcher => super::emerge::emerge(s),
            Audience::Group | Audience::EasyRead => Vec::new(),
        },
        actions: actions(s),
        measures: match shape.audience {
            Audience::Researcher => crate::domain::measures::measures_natural(s),
            Audience::Group | Audience::EasyRead => Vec::new(),
        },
        parked: parked(s, privacy),
        attendance: attendance(s),
        records: src.records,
        head: src.head.clone(),
        damage: src.damage.clone(),
        cases: src.cases.clone(),
        template: super::template::final_template(s, privacy),
        gripp2: match shape.audience {
            Audience::Researcher => super::gripp2::items(s),
            Audience::Group | Audience::EasyRead => Vec::new(),
        },
        gripp2_long: match shape.audience {
            Audience::Researcher => super::gripp2::long_form(s),
            Audience::Group | Audience::EasyRead => Vec::new(),
        },
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
                skipped: st.is_skipped(),
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
                // A resonance scale says which end is which ("1 not at
                // all" … "5 strongly"), as on the screens.
                options: match r.method {
                    crate::domain::VoteMethod::Resonance => r.method.labels(),
                    _ => res.options.clone(),
                }
                .into_iter()
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
                by_grid: match counts_hidden || r.mode != BallotMode::PerParticipant {
                    true => Vec::new(),
                    false => crate::domain::Breakdown::in_use(s.participants.values())
                        .into_iter()
                        .filter(|b| *b != crate::domain::Breakdown::RoleGroup)
                        .map(|by| {
                            let (groups, _) = s.results_by(r, by);
                            let voted = groups
                                .into_iter()
                                .filter(|(_, c)| c.iter().any(|n| *n > 0))
                                .map(|(g, c)| (g.to_owned(), c))
                                .collect();
                            (by.label().to_owned(), voted)
                        })
                        .collect(),
                },
                ranks: match (&r.method, counts_hidden) {
                    (crate::domain::VoteMethod::Ranking { options }, false) => {
                        Some(crate::domain::vote::ranks_line(options, &s.median_ranks(r)))
                    }
                    _ => None,
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
            // In the order it happened: an arrival after leaving is coming
            // back; to the second when two fall in one minute.
            let mut moves: Vec<(crate::domain::Timestamp, bool)> = a
                .arrived
                .iter()
                .map(|t| (*t, true))
                .chain(a.left.iter().map(|t| (*t, false)))
                .collect();
            moves.sort();
            let same_minute = moves
                .windows(2)
                .any(|w| w[0].0.clock_time() == w[1].0.clock_time());
            let mut gone = false;
            let said: Vec<String> = moves
                .iter()
                .map(|(t, arriving)| {
                    let when = match same_minute {
                        true => t.clock_time_seconds(),
                        false => t.clock_time(),
                    };
                    let what = match (arriving, gone) {
                        (true, true) => "back",
                        (true, false) => "arrived",
                        (false, _) => "left",
                    };
                    gone = !arriving;
                    format!("{what} {when}")
                })
                .collect();
            format!("{p}: {}", said.join(", "))
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
