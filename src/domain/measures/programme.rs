//! A programme: the same measures session by session, for following a
//! group's co-production over time.

use super::super::vote::VoteMethod;
use super::super::{Participant, ParticipantId, Role, Session};
use super::{Measure, VOICES, WHOLE, group_index, in_the_room, measures, median_index};

/// One session's line in a programme: the measures that can be followed
/// over time.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgrammeRow {
    /// The session folder's name.
    pub name: String,
    pub date: String,
    /// The date in UTC, for tables read by scripts.
    pub utc_date: String,
    pub title: String,
    /// Participants present at some point, by role group.
    pub present: [i64; 4],
    /// Of the previous session's participants, how many came to this one,
    /// by role group: (came back, were there before). A person is followed
    /// by their register id where they have one, otherwise by pseudonym
    /// and role together (never by pseudonym alone).
    pub retained: Option<[(i64, i64); 4]>,
    /// Participants present without a register id.
    pub unregistered: i64,
    /// The register ids of those present: (id, consented to be quoted).
    pub people: Vec<(String, bool)>,
    /// Statements by voice ([`VOICES`]), whole session.
    pub voice: [i64; 5],
    /// Statements under the agreed interpretations, by voice, directly or
    /// through concepts (each statement once per interpretation).
    pub influence: [i64; 5],
    /// The latest ladder round's median rung, for everyone.
    pub ladder: Option<usize>,
    /// Actions open, done, dropped at the end of the session.
    pub actions: [i64; 3],
}

/// Who a participant is, across sessions: a person in the register, or
/// (without one) a pseudonym in a role, which is all a session says.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Who {
    Person(String),
    Seat(ParticipantId, Role),
}

impl Who {
    fn of(p: &Participant) -> Who {
        match &p.person {
            Some(person) => Who::Person(person.clone()),
            None => Who::Seat(p.id.clone(), p.role),
        }
    }
}

/// The same measures session by session, oldest first.
pub fn programme(sessions: &[(String, &Session)]) -> Vec<ProgrammeRow> {
    let mut order: Vec<&(String, &Session)> = sessions.iter().collect();
    order.sort_by_key(|(name, s)| (s.info().map(|i| i.created), name.clone()));
    let mut rows: Vec<ProgrammeRow> = Vec::new();
    let mut before: Option<Vec<(Who, usize)>> = None;
    for (name, s) in order {
        let figures = measures(s);
        let sum = |m: Measure, scope: &str| -> [i64; 5] {
            let mut out = [0; 5];
            for f in figures
                .iter()
                .filter(|f| f.measure == m && f.scope.starts_with(scope))
            {
                if let Some(v) = VOICES.iter().position(|v| *v == f.subject) {
                    out[v] += f.count;
                }
            }
            out
        };
        let came: Vec<(Who, usize)> = in_the_room(s)
            .into_iter()
            .filter_map(|p| {
                let x = s.participants.get(p)?;
                Some((Who::of(x), group_index(x.role.group())))
            })
            .collect();
        let people = in_the_room(s)
            .into_iter()
            .filter_map(|p| {
                let x = s.participants.get(p)?;
                Some((x.person.clone()?, x.consent))
            })
            .collect();
        let unregistered = came
            .iter()
            .filter(|(w, _)| matches!(w, Who::Seat(..)))
            .count() as i64;
        let mut present = [0; 4];
        for (_, g) in &came {
            present[*g] += 1;
        }
        let retained = before.as_ref().map(|b| {
            let mut r = [(0, 0); 4];
            for (p, g) in b {
                r[*g].1 += 1;
                if came.iter().any(|(q, _)| q == p) {
                    r[*g].0 += 1;
                }
            }
            r
        });
        let ladder = s
            .rounds
            .values()
            .rev()
            .find(|r| r.method == VoteMethod::Ladder && r.results_visible())
            .and_then(|r| median_index(&s.results(r).counts));
        let by_status = |label: &str| {
            figures
                .iter()
                .find(|f| f.measure == Measure::Actions && f.subject == label)
                .map_or(0, |f| f.count)
        };
        rows.push(ProgrammeRow {
            name: name.clone(),
            date: s.info().map(|i| i.created.date()).unwrap_or_default(),
            utc_date: s.info().map(|i| i.created.utc_date()).unwrap_or_default(),
            title: s.title().to_owned(),
            present,
            retained,
            unregistered,
            people,
            voice: sum(Measure::VoiceStatements, WHOLE),
            influence: sum(Measure::InfluenceAll, ""),
            ladder,
            actions: [by_status("open"), by_status("done"), by_status("dropped")],
        });
        before = Some(came);
    }
    rows
}

impl ProgrammeRow {
    /// Of the previous session's participants, how many came back, all
    /// role groups together.
    pub fn retained_total(&self) -> Option<(i64, i64)> {
        self.retained
            .map(|r| r.iter().fold((0, 0), |(a, b), (x, y)| (a + x, b + y)))
    }
}

/// A share of a five-voice count: `voice[i]` of all, in whole percent
/// adding up to 100 across the five where equal counts allow.
pub fn share_of(counts: &[i64; 5], i: usize) -> Option<i64> {
    let whole: Vec<u64> = counts.iter().map(|&n| n.max(0).unsigned_abs()).collect();
    (whole.iter().sum::<u64>() > 0)
        .then(|| crate::domain::whole_percents(&whole)[i])
        .and_then(|p| i64::try_from(p).ok())
}
