//! Measures of co-production, computed from the record alone: who was
//! heard, whose words the agreed interpretations rest on, where role groups
//! voted apart, where the group placed itself on the ladder, how the time
//! and the actions went, and who was there for how long.
//!
//! Every measure is a list of [`Figure`]s that name the records they were
//! counted from, so the review view, the report and the CSV show the same
//! figures and each can be followed back to its statements. What a measure
//! means, and what it does not show, is in [`DEFINITIONS`] (and, word for
//! word, in `docs/measures.md`).

mod presence;
mod process;
mod programme;
mod votes;

pub use presence::{
    Involvement, involvement, involvement_of_everyone, last_moment, session_span, spans,
};
use process::process;
pub use programme::{ProgrammeRow, programme, share_of};
use votes::rounds;
pub use votes::{distance, median_index};

use super::analysis::provenance;
use super::participant::{Breakdown, RoleGroup};
use super::{InterpretationStatus, ParticipantId, Session, Speaker, StageState, Statement};

/// The scope of a figure about the whole session.
pub const WHOLE: &str = "whole session";
/// The two sides compared for divergence: people with lived experience of
/// care (service users and unpaid carers), and staff.
pub const LIVED: &str = "service users and carers";
/// A round is flagged when the two sides' answers differ by at least this
/// distance (see [`distance`]).
pub const FLAG_AT: f64 = 0.5;

/// What a figure measures; its key names it in the CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    VoiceStatements,
    VoiceWords,
    PersonStatements,
    PersonWords,
    NotHeard,
    QueueReached,
    InfluenceDirect,
    InfluenceThrough,
    InfluenceAll,
    RoundByGroup,
    Divergence,
    Ladder,
    StageTime,
    Actions,
    Involvement,
}

impl Measure {
    pub const ALL: [Measure; 15] = [
        Measure::VoiceStatements,
        Measure::VoiceWords,
        Measure::PersonStatements,
        Measure::PersonWords,
        Measure::NotHeard,
        Measure::QueueReached,
        Measure::InfluenceDirect,
        Measure::InfluenceThrough,
        Measure::InfluenceAll,
        Measure::RoundByGroup,
        Measure::Divergence,
        Measure::Ladder,
        Measure::StageTime,
        Measure::Actions,
        Measure::Involvement,
    ];

    /// The name in the CSV's `measure` column.
    pub fn key(self) -> &'static str {
        match self {
            Measure::VoiceStatements => "voice_statements",
            Measure::VoiceWords => "voice_words",
            Measure::PersonStatements => "person_statements",
            Measure::PersonWords => "person_words",
            Measure::NotHeard => "present_not_heard",
            Measure::QueueReached => "queue_reached",
            Measure::InfluenceDirect => "influence_direct",
            Measure::InfluenceThrough => "influence_through_concepts",
            Measure::InfluenceAll => "influence_all",
            Measure::RoundByGroup => "round_by_group",
            Measure::Divergence => "divergence",
            Measure::Ladder => "ladder",
            Measure::StageTime => "stage_time",
            Measure::Actions => "actions",
            Measure::Involvement => "involvement",
        }
    }

    /// What is counted, in a few words, for a table's `measure` column.
    pub fn label(self) -> &'static str {
        match self {
            Measure::VoiceStatements | Measure::PersonStatements => "statements",
            Measure::VoiceWords | Measure::PersonWords => "words",
            Measure::NotHeard => "present, not heard",
            Measure::QueueReached => "hands reached",
            Measure::InfluenceDirect => "linked directly",
            Measure::InfluenceThrough => "through concepts only",
            Measure::InfluenceAll => "all statements",
            Measure::RoundByGroup => "votes",
            Measure::Divergence => "distance",
            Measure::Ladder => "rung",
            Measure::StageTime => "time",
            Measure::Actions => "actions",
            Measure::Involvement => "time present",
        }
    }

    /// Which of the [`DEFINITIONS`] explains it.
    pub fn family(self) -> Family {
        match self {
            Measure::VoiceStatements
            | Measure::VoiceWords
            | Measure::PersonStatements
            | Measure::PersonWords
            | Measure::NotHeard
            | Measure::QueueReached => Family::Voice,
            Measure::InfluenceDirect | Measure::InfluenceThrough | Measure::InfluenceAll => {
                Family::Influence
            }
            Measure::RoundByGroup | Measure::Divergence => Family::Divergence,
            Measure::Ladder => Family::Ladder,
            Measure::StageTime | Measure::Actions => Family::Process,
            Measure::Involvement => Family::Involvement,
        }
    }
}

/// The six kinds of measure, each with one definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Voice,
    Influence,
    Divergence,
    Ladder,
    Process,
    Involvement,
}

impl Family {
    pub const ALL: [Family; 6] = [
        Family::Voice,
        Family::Influence,
        Family::Divergence,
        Family::Ladder,
        Family::Process,
        Family::Involvement,
    ];

    pub fn title(self) -> &'static str {
        DEFINITIONS[self as usize].0
    }

    pub fn definition(self) -> &'static str {
        DEFINITIONS[self as usize].1
    }
}

/// Each family's title and its definition, including what it does not show.
pub const DEFINITIONS: [(&str, &str); 6] = [
    (
        "Voice",
        "Statements and words captured in the record, by role group and by person, for the whole session and for each stage; those present who said nothing that was captured; and, of the hands raised in the speaking queue, the share reached (the person spoke while their hand was up). Retracted statements are not counted; statements said by the whole group are counted as \"whole group\". What a researcher, the facilitator or a presenter says (participants with those roles) is recorded but is not the participants' voice: it is left out of voice and influence, and of the projector's voice line. Words are counted as the note-taker wrote them, not as they were spoken. Voice is not influence and a count is not a quality: one sentence can change a meeting, and a long contribution can be ignored. A note-taker who captures some people more fully than others changes these figures.",
    ),
    (
        "Influence",
        "For each agreed interpretation, the share of the statements it rests on that came from each role group: directly (linked to the interpretation itself), through its concepts and translations only, and both together. A statement reached both ways is counted once in \"all\". Retracted statements are not counted. It shows whose recorded words the group's conclusion cites, not whose ideas shaped it: who proposed the interpretation, who chose the statements and who argued in the room are not in this measure.",
    ),
    (
        "Agreement and divergence",
        "For each vote round whose results can be shown, how each role group voted, and the distance between the answers of service users and carers together and of staff: half the sum, over the options, of the difference between the two groups' shares (total variation distance). 0 means the two groups answered in the same proportions; 1 means they chose entirely different options; 0.5 means at least half of one group's votes would have to move to match the other's. Rounds at 0.5 or more are flagged as material for refutational translation. A round needs at least one vote from each side to be measured. Small groups give large distances by chance; a distance is a prompt to look, not a finding.",
    ),
    (
        "Ladder of co-production",
        "Where the group placed its own work on the ladder of co-production (coercion, educating, informing, consultation, engagement, co-design, co-production, co-delivery) in each ladder round: the middle answer (median rung) of everyone and of each role group, and how many chose each rung. It is the group's own judgement at that moment, not an assessment of the work, and rungs are ordered but not evenly spaced.",
    ),
    (
        "Process",
        "Each stage's planned time against the time it actually ran (pauses excluded), and the actions the group agreed with their status: open, done or dropped (\"you said, we did\"). The record holds when a statement was captured, not how long anyone spoke, so time given to each role's contributions is not measured. Time over plan is not failure: a group that needed longer may have been heard better.",
    ),
    (
        "Involvement",
        "For each participant who consented, when they were present and the hours of their involvement: everyone listed when the first stage started is counted present from then, a latecomer from when they arrived, until they left or the session ended (the last stage's end). For paying members for their time and reporting involvement to a funder. Participants without consent are not listed (they are counted). Time before the first stage, breaks inside the session and preparation or travel are not in the record.",
    ),
];

/// One figure, the records behind it, and its place.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub measure: Measure,
    /// Where it applies: `whole session`, `stage S2 Findings`, `I1`, `v3`.
    pub scope: String,
    /// Whom or what it counts: a role group, a person, an option.
    pub subject: String,
    pub count: i64,
    /// What the count is a share of, when it is one.
    pub of: Option<i64>,
    /// The figure as shown: a share, a distance, a time.
    pub value: String,
    /// Anything a reader must know about this figure.
    pub note: String,
    /// Ids of the statements (or rounds, actions, participants) counted.
    pub records: Vec<String>,
}

/// `42%`, or `–` of nothing.
pub fn percent(count: i64, of: i64) -> String {
    if of <= 0 {
        "–".into()
    } else {
        format!("{}%", (count * 100 + of / 2) / of)
    }
}

impl Figure {
    /// The figure, counted from these records.
    fn citing(self, records: Vec<String>) -> Figure {
        Figure { records, ..self }
    }
}

/// A share whose count is the records it cites.
fn counted(measure: Measure, scope: &str, subject: &str, ids: Vec<String>, of: i64) -> Figure {
    share(measure, scope, subject, ids.len() as i64, of).citing(ids)
}

fn share(measure: Measure, scope: &str, subject: &str, count: i64, of: i64) -> Figure {
    Figure {
        measure,
        scope: scope.into(),
        subject: subject.into(),
        count,
        of: Some(of),
        value: percent(count, of),
        note: String::new(),
        records: Vec::new(),
    }
}

/// Every measure of one session, by role group.
pub fn measures(session: &Session) -> Vec<Figure> {
    measures_by(session, Breakdown::RoleGroup)
}

/// Every measure of one session by the groups that tell its room apart:
/// role group, or in an all-staff room sector or level
/// ([`Breakdown::natural`]); what the reports and `measures.csv` give.
pub fn measures_natural(session: &Session) -> Vec<Figure> {
    measures_by(session, Breakdown::natural(session.participants.values()))
}

/// Every measure of one session, its groups those of `by` (role group,
/// sector or level): voice, influence and rounds by those groups; the rest
/// as [`measures`] gives them.
pub fn measures_by(session: &Session, by: Breakdown) -> Vec<Figure> {
    let mut out = voice(session, by);
    out.extend(influence(session, by));
    // A cross-session workspace has no room of its own: its words can be
    // measured, its rounds, times and involvement are its cases'.
    if !session.sources.is_empty() {
        return out;
    }
    out.extend(rounds(session, by));
    out.extend(process(session));
    out.extend(involvement(session).into_iter().map(|i| i.figure()));
    out
}

/// The five groups statements are counted under: the four role groups,
/// then the whole group.
pub const VOICES: [&str; 5] = ["service users", "carers", "staff", "others", "whole group"];

/// The five groups statements are counted under by `by`: its four
/// groups, then the whole group.
pub fn voices(by: Breakdown) -> [&'static str; 5] {
    let [a, b, c, d] = by.groups();
    [a, b, c, d, "whole group"]
}

/// Index into [`voices`] of who said it, or none (a researcher,
/// facilitator, presenter).
fn voice_of(session: &Session, speaker: &Speaker, by: Breakdown) -> Option<usize> {
    match speaker {
        Speaker::Participant(id) => match session.participants.get(id) {
            Some(p) if p.role.convenes() => None,
            Some(p) => Some(by.group_of(p)),
            None => Some(3),
        },
        Speaker::Group => Some(4),
    }
}

fn group_index(g: RoleGroup) -> usize {
    RoleGroup::ALL.iter().position(|x| *x == g).unwrap_or(3)
}

/// Which figures would single out someone who did not consent, by role
/// group: a group whose only member did not consent (its figures are that
/// person's), and a group with exactly one such member among others (its
/// other members' own figures would give theirs away by subtraction).
pub(super) struct Guard {
    members: [u32; 4],
    without: [u32; 4],
}

impl Guard {
    pub(super) fn of(session: &Session, by: Breakdown) -> Guard {
        let mut g = Guard {
            members: [0; 4],
            without: [0; 4],
        };
        for p in session.participants.values() {
            let i = by.group_of(p);
            g.members[i] += 1;
            if !p.consent {
                g.without[i] += 1;
            }
        }
        g
    }

    /// These groups together are one person, who did not consent.
    pub(super) fn lone(&self, groups: &[usize]) -> bool {
        let sum = |a: &[u32; 4]| groups.iter().filter_map(|g| a.get(*g)).sum::<u32>();
        sum(&self.members) == 1 && sum(&self.without) == 1
    }

    /// Listing this group's members one by one would give away the one
    /// of them who did not consent.
    fn guarded(&self, group: usize) -> bool {
        self.without.get(group) == Some(&1)
    }
}

/// Said of a scope when a role group's figures are left out.
pub(super) const LONE: &str = "a group of one person who did not consent is not shown";

fn words(s: &Statement) -> i64 {
    s.current().text.split_whitespace().count() as i64
}

/// Statements and words by voice, for one scope (statements not retracted).
fn by_voice(session: &Session, scope: &str, live: &[&Statement], by: Breakdown) -> Vec<Figure> {
    let mut ids: [Vec<String>; 5] = Default::default();
    let mut said = [0i64; 5];
    for s in live {
        // A researcher's, facilitator's or presenter's words are not counted.
        let Some(v) = voice_of(session, &s.current().speaker, by) else {
            continue;
        };
        ids[v].push(s.id.to_string());
        said[v] += words(s);
    }
    let total = ids.iter().map(Vec::len).sum::<usize>() as i64;
    let total_words: i64 = said.iter().sum();
    let mut out = Vec::new();
    if total == 0 && scope != WHOLE {
        // A stage where nothing was captured has no shares to show.
        return out;
    }
    let guard = Guard::of(session, by);
    // The five voices' shares are shown together: they add up to 100.
    let whole = |counts: [i64; 5]| crate::domain::whole_percents(&counts.map(|n| n.unsigned_abs()));
    let statement_shares = whole(ids.each_ref().map(|i| i.len() as i64));
    let word_shares = whole(said);
    for (v, (name, ids)) in voices(by).iter().zip(ids).enumerate() {
        // Off the grid (`no sector`) is a voice only when someone is.
        let nobody_off_grid = v == 3 && by != Breakdown::RoleGroup && guard.members[3] == 0;
        if guard.lone(&[v]) || nobody_off_grid {
            continue;
        }
        let mut f = counted(Measure::VoiceStatements, scope, name, ids.clone(), total);
        let mut w = share(Measure::VoiceWords, scope, name, said[v], total_words).citing(ids);
        if total > 0 {
            f.value = format!("{}%", statement_shares[v]);
        }
        if total_words > 0 {
            w.value = format!("{}%", word_shares[v]);
        }
        if v == 4 && (0..4).any(|g| guard.lone(&[g])) {
            (f.note, w.note) = (LONE.into(), LONE.into());
        }
        out.push(f);
        out.push(w);
    }
    out
}

/// Voice for the whole session, then for each stage that ran; the
/// statements are gone through once and sorted by stage.
fn voice(session: &Session, by: Breakdown) -> Vec<Figure> {
    let live: Vec<&Statement> = session
        .statements
        .values()
        .filter(|s| !s.is_retracted())
        .map(|s| &**s)
        .collect();
    let mut out = by_voice(session, WHOLE, &live, by);
    out.extend(by_person(session, WHOLE, &live, by));
    out.push(not_heard(session, &live, by));
    // Hands are counted by role group as they are raised.
    if by == Breakdown::RoleGroup {
        out.extend(queue(session));
    }
    let mut by_stage: std::collections::HashMap<&str, Vec<&Statement>> = Default::default();
    for s in &live {
        if let Some(stage) = &s.stage {
            by_stage.entry(stage.as_str()).or_default().push(s);
        }
    }
    for (n, stage) in session.stages.values().enumerate() {
        if stage.state() == StageState::NotStarted {
            continue;
        }
        let scope = format!("stage {} {}", n + 1, stage.title);
        let here = by_stage.remove(stage.id.as_str()).unwrap_or_default();
        out.extend(by_voice(session, &scope, &here, by));
        out.extend(by_person(session, &scope, &here, by));
    }
    out
}

/// Each consenting participant's statements and words in one scope
/// (statements not retracted): in the whole session everyone who may be
/// listed (none is a figure too), in a stage those captured in it.
fn by_person(session: &Session, scope: &str, live: &[&Statement], by: Breakdown) -> Vec<Figure> {
    let total = live.len() as i64;
    let total_words: i64 = live.iter().map(|s| words(s)).sum();
    let mut theirs: std::collections::HashMap<&ParticipantId, (Vec<String>, i64)> =
        Default::default();
    for s in live {
        if let Speaker::Participant(p) = &s.current().speaker {
            let (ids, said) = theirs.entry(p).or_default();
            ids.push(s.id.to_string());
            *said += words(s);
        }
    }
    let mut out = Vec::new();
    for p in listable(session, by) {
        let (ids, said) = match theirs.remove(&p.id) {
            Some(t) => t,
            None if scope == WHOLE => Default::default(),
            None => continue,
        };
        let who = format!("{} ({})", p.id, p.role.label());
        out.push(counted(
            Measure::PersonStatements,
            scope,
            &who,
            ids.clone(),
            total,
        ));
        out.push(share(Measure::PersonWords, scope, &who, said, total_words).citing(ids));
    }
    out
}

/// Participants who may be counted one by one: those who consented, and
/// not in a group with exactly one member who did not (whose figures
/// theirs would give away).
fn listable(session: &Session, by: Breakdown) -> impl Iterator<Item = &super::Participant> {
    let guard = Guard::of(session, by);
    session
        .participants
        .values()
        .filter(move |p| p.consent && !guard.guarded(by.group_of(p)))
}

/// Those present who may be listed and of whom nothing was captured.
fn not_heard(session: &Session, live: &[&Statement], by: Breakdown) -> Figure {
    let heard: std::collections::HashSet<&ParticipantId> = live
        .iter()
        .filter_map(|s| match &s.current().speaker {
            Speaker::Participant(p) => Some(p),
            Speaker::Group => None,
        })
        .collect();
    let span = session_span(session);
    let mut unheard = Vec::new();
    let mut present = 0;
    for p in listable(session, by) {
        if !presence::spans_within(session, &p.id, span).is_empty() {
            present += 1;
            if !heard.contains(&p.id) {
                unheard.push(p.id.to_string());
            }
        }
    }
    let withheld = session.participants.len() - listable(session, by).count();
    let mut f = share(
        Measure::NotHeard,
        WHOLE,
        "present, nothing captured",
        unheard.len() as i64,
        present,
    );
    if withheld > 0 {
        f.note = format!(
            "{withheld} participant(s) not counted here: without consent, or in a group where listing them would single out someone who did not consent"
        );
    }
    f.citing(unheard)
}

/// Who the record shows in the room at some point: listed when the
/// session started, or arrived later.
fn in_the_room(session: &Session) -> Vec<&ParticipantId> {
    let span = session_span(session);
    session
        .participants
        .keys()
        .filter(|p| !presence::spans_within(session, p, span).is_empty())
        .collect()
}

fn queue(session: &Session) -> Vec<Figure> {
    let q = &session.floor.queue;
    let guard = Guard::of(session, Breakdown::RoleGroup);
    (0..4)
        .filter(|i| q.raised[*i] > 0 && !guard.lone(&[*i]))
        .map(|i| {
            share(
                Measure::QueueReached,
                WHOLE,
                VOICES[i],
                i64::from(q.reached[i]),
                i64::from(q.raised[i]),
            )
        })
        .collect()
}

fn influence(session: &Session, by: Breakdown) -> Vec<Figure> {
    let mut out = Vec::new();
    for i in session
        .interpretations
        .values()
        .filter(|i| i.status == InterpretationStatus::Agreed)
    {
        let p = provenance(session, i);
        let mut direct: [Vec<String>; 5] = Default::default();
        let mut through: [Vec<String>; 5] = Default::default();
        let mut retracted = 0;
        for e in &p.evidence {
            if e.retracted() {
                retracted += 1;
                continue;
            }
            let Some(v) = voice_of(e.home, &e.statement.current().speaker, by) else {
                continue;
            };
            if e.direct {
                direct[v].push(e.id.to_string());
            } else {
                through[v].push(e.id.to_string());
            }
        }
        let scope = i.id.to_string();
        let n = |ids: &[Vec<String>; 5]| ids.iter().map(Vec::len).sum::<usize>() as i64;
        let (nd, nt) = (n(&direct), n(&through));
        let guard = Guard::of(session, by);
        let names = voices(by);
        for v in (0..5).filter(|v| !guard.lone(&[*v])) {
            let (name, d, t) = (names[v], &direct[v], &through[v]);
            let both: Vec<String> = d.iter().chain(t).cloned().collect();
            let mut a = counted(Measure::InfluenceAll, &scope, name, both, nd + nt);
            if retracted > 0 {
                a.note = format!("{retracted} retracted statement(s) not counted");
            }
            out.extend([
                counted(Measure::InfluenceDirect, &scope, name, d.clone(), nd),
                counted(Measure::InfluenceThrough, &scope, name, t.clone(), nt),
                a,
            ]);
        }
    }
    out
}
