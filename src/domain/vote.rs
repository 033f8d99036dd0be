//! Vote rounds, ballots, tallies and their results.

use super::ids::{InterpretationId, ParticipantId, RoundId, StageId, StatementId};
use super::participant::{Role, RoleGroup};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The rungs of the ladder of co-production, lowest first.
pub const LADDER: [&str; 8] = [
    "coercion",
    "educating",
    "informing",
    "consultation",
    "engagement",
    "co-design",
    "co-production",
    "co-delivery",
];

pub const MAX_OPTIONS: usize = 20;
pub const MAX_DOTS: u8 = 10;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoteTarget {
    Statement(StatementId),
    Interpretation(InterpretationId),
    /// A free question, worded in the round's `question`.
    Question,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoteMethod {
    /// Agree / disagree / pass, as in Pol.is.
    AgreeDisagree,
    /// How strongly it resonates, 1 (not at all) to 5 (strongly).
    Resonance,
    /// Each person spreads up to `per_person` dots over the options.
    Dots {
        options: Vec<String>,
        per_person: u8,
    },
    SingleChoice {
        options: Vec<String>,
    },
    /// The group places its own work on the ladder of co-production.
    Ladder,
    /// Each person puts every option in order, most important first; the
    /// result is each option's Borda points and its median rank.
    Ranking {
        options: Vec<String>,
    },
}

impl VoteMethod {
    pub fn label(&self) -> &'static str {
        match self {
            VoteMethod::AgreeDisagree => "agree/disagree/pass",
            VoteMethod::Resonance => "resonance 1-5",
            VoteMethod::Dots { .. } => "dot vote",
            VoteMethod::SingleChoice { .. } => "single choice",
            VoteMethod::Ladder => "ladder of co-production",
            VoteMethod::Ranking { .. } => "ranking",
        }
    }

    /// What the options are called on screen and in words: numbered
    /// (except agree, disagree and pass), so the keys that record them can
    /// be read off.
    pub fn labels(&self) -> Vec<String> {
        match self {
            VoteMethod::Resonance => ["1 not at all", "2", "3", "4", "5 strongly"]
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            VoteMethod::AgreeDisagree => self.options(),
            _ => self
                .options()
                .iter()
                .enumerate()
                .map(|(i, o)| format!("{} {o}", i + 1))
                .collect(),
        }
    }

    /// The labels results are counted under, in order.
    pub fn options(&self) -> Vec<String> {
        match self {
            VoteMethod::AgreeDisagree => ["agree", "disagree", "pass"]
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            VoteMethod::Resonance => (1..=5).map(|n| n.to_string()).collect(),
            VoteMethod::Dots { options, .. }
            | VoteMethod::SingleChoice { options }
            | VoteMethod::Ranking { options } => options.clone(),
            VoteMethod::Ladder => LADDER.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BallotMode {
    /// Each participant's ballot is recorded.
    #[default]
    PerParticipant,
    /// A show of hands: only counts are recorded.
    Counted,
    /// Each participant votes once, from their own phone, and the record
    /// keeps only the voter's role group and a ballot id drawn at random
    /// for this round: never who voted what.
    Anonymous,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Agreement {
    Agree,
    Disagree,
    Pass,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Choice {
    Agreement(Agreement),
    /// 1 to 5.
    Resonance(u8),
    /// Dots per option, in option order.
    Dots(Vec<u8>),
    /// Index into the options.
    Single(u8),
    /// Index into [`LADDER`].
    Rung(u8),
    /// Every option's index, most important first.
    Ranking(Vec<u8>),
}

impl Choice {
    /// A ranking in words, by option: `Time > Training > Budgets`.
    pub fn ranking_words(order: &[u8], options: &[String]) -> String {
        let each: Vec<&str> = order
            .iter()
            .map(|i| options.get(usize::from(*i)).map_or("?", String::as_str))
            .collect();
        each.join(" > ")
    }

    /// Dots in words, by option number: `dots on 1×2, 3×1`.
    pub fn dots_words(dots: &[u8]) -> String {
        let placed: Vec<String> = dots
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| format!("{}×{n}", i + 1))
            .collect();
        format!("dots on {}", placed.join(", "))
    }

    /// The choice of option `i` (counted from 0, in the order of
    /// [`VoteMethod::options`]) in a round where each person picks one;
    /// `None` for dots, or an option the method does not have.
    pub fn of_option(method: &VoteMethod, i: usize) -> Option<Choice> {
        if i >= method.options().len() {
            return None;
        }
        let i8 = u8::try_from(i).ok()?;
        match method {
            VoteMethod::AgreeDisagree => [Agreement::Agree, Agreement::Disagree, Agreement::Pass]
                .get(i)
                .map(|a| Choice::Agreement(*a)),
            VoteMethod::Resonance => Some(Choice::Resonance(i8 + 1)),
            VoteMethod::Ladder => Some(Choice::Rung(i8)),
            VoteMethod::SingleChoice { .. } => Some(Choice::Single(i8)),
            VoteMethod::Dots { .. } | VoteMethod::Ranking { .. } => None,
        }
    }

    /// How this choice adds to each option's count, or why it does not fit
    /// `method`.
    pub fn counts(&self, method: &VoteMethod) -> Result<Vec<u32>, String> {
        let n = method.options().len();
        let mut counts = vec![0u32; n];
        let mut one = |i: usize| -> Result<(), String> {
            match counts.get_mut(i) {
                Some(c) => {
                    *c += 1;
                    Ok(())
                }
                None => Err(format!("choice {} is not one of the {n} options", i + 1)),
            }
        };
        match (self, method) {
            (Choice::Agreement(a), VoteMethod::AgreeDisagree) => one(*a as usize)?,
            (Choice::Resonance(r), VoteMethod::Resonance) => {
                if !(1..=5).contains(r) {
                    return Err(format!("resonance must be 1 to 5, not {r}"));
                }
                one(usize::from(*r - 1))?
            }
            (Choice::Single(i), VoteMethod::SingleChoice { .. }) => one(usize::from(*i))?,
            (Choice::Rung(i), VoteMethod::Ladder) => one(usize::from(*i))?,
            (Choice::Dots(d), VoteMethod::Dots { per_person, .. }) => {
                if d.len() != n {
                    return Err(format!(
                        "dots given for {} options, the round has {n}",
                        d.len()
                    ));
                }
                let total: u32 = d.iter().map(|x| u32::from(*x)).sum();
                if total > u32::from(*per_person) {
                    return Err(format!("{total} dots placed, at most {per_person} allowed"));
                }
                for (c, x) in counts.iter_mut().zip(d) {
                    *c += u32::from(*x);
                }
            }
            (Choice::Ranking(order), VoteMethod::Ranking { .. }) => {
                if order.len() != n {
                    return Err(format!(
                        "{} ranked: rank all {n} options, most important first",
                        order.len()
                    ));
                }
                for (place, &i) in order.iter().enumerate() {
                    let i = usize::from(i);
                    if i >= n {
                        return Err(format!("{} is not one of the {n} options", i + 1));
                    }
                    if order[..place].contains(&order[place]) {
                        return Err(format!("option {} is ranked twice", i + 1));
                    }
                    // Borda: n−1 points for first place, down to 0 for last.
                    counts[i] += (n - 1 - place) as u32;
                }
            }
            _ => {
                return Err(format!(
                    "this choice does not fit a {} round",
                    method.label()
                ));
            }
        }
        Ok(counts)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub participant: ParticipantId,
    pub choice: Choice,
    pub at: Timestamp,
    /// Who took it down.
    #[serde(default)]
    pub recorded_by: String,
}

/// A ballot in an anonymous round: the voter's role group and a random id
/// the host drew for them in this round (a later ballot with the same id
/// replaces it), never the voter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonymousBallot {
    pub ballot: String,
    pub group: RoleGroup,
    pub choice: Choice,
    pub at: Timestamp,
}

/// Whose votes a count is: one role's, one role group's (all an anonymous
/// round records), or the whole room's (a show of hands counted without a
/// role).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CountedFor {
    Role(Role),
    Group(RoleGroup),
    Room,
}

impl CountedFor {
    pub fn label(self) -> &'static str {
        match self {
            CountedFor::Role(r) => r.label(),
            CountedFor::Group(g) => g.label(),
            CountedFor::Room => "not by role",
        }
    }

    pub fn group(self) -> Option<RoleGroup> {
        match self {
            CountedFor::Role(r) => Some(r.group()),
            CountedFor::Group(g) => Some(g),
            CountedFor::Room => None,
        }
    }
}

/// A counted show of hands, optionally for one role group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub role: Option<Role>,
    pub counts: Vec<u32>,
    pub at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRound {
    pub id: RoundId,
    pub target: VoteTarget,
    pub question: String,
    pub method: VoteMethod,
    pub mode: BallotMode,
    /// Results stay hidden until the round closes.
    pub hidden: bool,
    /// Who chose what is shown on the screens (see `Event::VoteOpened`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub named: bool,
    pub stage: Option<StageId>,
    pub opened: Timestamp,
    pub closed: Option<Timestamp>,
    /// Every ballot cast, in order; a participant's latest one counts.
    pub ballots: Vec<Ballot>,
    /// Every tally entered, in order; the latest per role counts.
    pub tallies: Vec<Tally>,
    /// Every ballot of an anonymous round, in order; the latest per ballot
    /// id counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anonymous: Vec<AnonymousBallot>,
}

impl BallotMode {
    /// The next way of taking ballots, for the key that cycles them.
    pub fn next(self) -> BallotMode {
        match self {
            BallotMode::PerParticipant => BallotMode::Counted,
            BallotMode::Counted => BallotMode::Anonymous,
            BallotMode::Anonymous => BallotMode::PerParticipant,
        }
    }

    /// How the ballots are taken, in a few words.
    pub fn describe(self) -> &'static str {
        match self {
            BallotMode::PerParticipant => "one per participant",
            BallotMode::Counted => "show of hands (counted)",
            BallotMode::Anonymous => "anonymous, from phones (role group only)",
        }
    }
}

impl VoteRound {
    /// Each participant's latest ballot (a later one replaces an earlier),
    /// in the order they first voted.
    pub fn latest_ballots(&self) -> indexmap::IndexMap<&ParticipantId, &Ballot> {
        let mut latest = indexmap::IndexMap::new();
        for b in &self.ballots {
            latest.insert(&b.participant, b);
        }
        latest
    }

    /// Each anonymous ballot id's latest ballot, in the order first cast.
    pub fn latest_anonymous(&self) -> indexmap::IndexMap<&str, &AnonymousBallot> {
        let mut latest = indexmap::IndexMap::new();
        for b in &self.anonymous {
            latest.insert(b.ballot.as_str(), b);
        }
        latest
    }

    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    /// Whether results may be shown now.
    pub fn results_visible(&self) -> bool {
        !self.hidden || !self.is_open()
    }
}

impl fmt::Display for VoteTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VoteTarget::Statement(s) => write!(f, "statement {s}"),
            VoteTarget::Interpretation(i) => write!(f, "interpretation {i}"),
            VoteTarget::Question => f.write_str("free question"),
        }
    }
}

/// A round's counts by the groups of a breakdown, each with its label,
/// and what could not be placed in a group.
pub type ByGroups = (Vec<(&'static str, Vec<u32>)>, Option<Vec<u32>>);

/// One role group's counts per option.
pub type GroupCounts = (RoleGroup, Vec<u32>);

/// Each count's share of them all in whole percent, adding up to 100: each
/// is its exact share rounded down, and the points still missing go to the
/// largest remainders (the larger count first among equal remainders).
/// Equal counts always get equal shares: when the next counts in line are
/// more than the points left (three equal thirds), they all stay rounded
/// down and the total falls short of 100, as little as it can.
pub fn whole_percents(counts: &[u64]) -> Vec<u64> {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return vec![0; counts.len()];
    }
    let mut shares: Vec<u64> = counts.iter().map(|&n| n * 100 / total).collect();
    let mut left = 100u64.saturating_sub(shares.iter().sum());
    // Distinct counts in the order their shares are owed a point.
    let mut owed: Vec<u64> = counts.to_vec();
    owed.sort_by(|a, b| (b * 100 % total).cmp(&(a * 100 % total)).then(b.cmp(a)));
    owed.dedup();
    for count in owed {
        if left == 0 || count * 100 % total == 0 {
            break;
        }
        let alike = counts.iter().filter(|&&n| n == count).count() as u64;
        if alike > left {
            break;
        }
        for (share, _) in shares.iter_mut().zip(counts).filter(|(_, n)| **n == count) {
            *share += 1;
        }
        left -= alike;
    }
    shares
}

/// Counts per option, overall and per role.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Results {
    pub options: Vec<String>,
    pub counts: Vec<u32>,
    /// Counts by whose votes they are, roles first, then role groups (from
    /// anonymous rounds), then a tally counted without a role.
    pub by_role: Vec<(CountedFor, Vec<u32>)>,
    /// Distinct voters (per-participant rounds) or hands counted.
    pub voters: u32,
}

impl Results {
    /// The result in words, largest first, every option with a count:
    /// `5 strongly: 4 (50%) · 4: 3 (38%)`, and who voted.
    pub fn in_words(&self, round: &VoteRound) -> String {
        let labels = round.method.labels();
        let mut shown: Vec<(usize, u32)> = self
            .counts
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, n)| *n > 0)
            .collect();
        shown.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let parts: Vec<String> = shown
            .iter()
            .map(|(i, n)| {
                let label = labels.get(*i).map_or("?", String::as_str);
                match round.method {
                    VoteMethod::Ranking { .. } => format!("{label}: {n} points"),
                    _ => format!("{label}: {n} ({}%)", self.percent(*i)),
                }
            })
            .collect();
        let who = match (&round.method, round.mode) {
            (VoteMethod::Dots { .. }, _) => format!("{} dots", self.total()),
            (_, BallotMode::Counted) => format!("{} hands", self.voters),
            _ => format!("{} voted", self.voters),
        };
        if parts.is_empty() {
            return format!("round {}: no votes", round.id);
        }
        format!("round {} ({who}): {}", round.id, parts.join(" · "))
    }

    /// All counted: ballots' choices, hands or dots.
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// An option's share of everything counted, in whole percent: the
    /// shares add up to 100 where equal counts allow ([`whole_percents`]).
    pub fn percent(&self, option: usize) -> u32 {
        let counts: Vec<u64> = self.counts.iter().map(|&n| u64::from(n)).collect();
        whole_percents(&counts)
            .get(option)
            .map_or(0, |&p| u32::try_from(p).unwrap_or(100))
    }

    /// The middle answer on an ordered scale (resonance, the ladder): the
    /// index of the option half the answers reach.
    pub fn median(&self) -> Option<usize> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let mut seen = 0;
        self.counts.iter().position(|n| {
            seen += n;
            seen * 2 >= total
        })
    }

    /// The middle of the answers: one option, or two when exactly half
    /// the answers lie at or below the first (a 4/5 split is between 4
    /// and 5).
    pub fn middle(&self) -> Option<(usize, Option<usize>)> {
        let m = self.median()?;
        let below: u32 = self.counts[..=m].iter().sum();
        let upper = (below * 2 == self.total())
            .then(|| (m + 1..self.counts.len()).find(|&i| self.counts[i] > 0))
            .flatten();
        Some((m, upper))
    }

    /// Counts per role group (service users, carers, staff, others), then
    /// those tallied for the whole room without a role, if any.
    pub fn by_group(&self) -> (Vec<GroupCounts>, Option<Vec<u32>>) {
        let n = self.options.len();
        let mut groups: Vec<(RoleGroup, Vec<u32>)> =
            RoleGroup::ALL.iter().map(|g| (*g, vec![0; n])).collect();
        let mut room: Option<Vec<u32>> = None;
        for (whose, counts) in &self.by_role {
            let slot = match whose.group() {
                Some(group) => match groups.iter_mut().find(|(g, _)| *g == group) {
                    Some((_, v)) => v,
                    None => continue,
                },
                None => room.get_or_insert_with(|| vec![0; n]),
            };
            for (c, x) in slot.iter_mut().zip(counts) {
                *c += x;
            }
        }
        (groups, room)
    }
}

/// `points: first place n−1 … last 0 · median rank: Time 1, Budgets 2`.
pub fn ranks_line(options: &[String], ranks: &[Option<f64>]) -> String {
    let each: Vec<String> = options
        .iter()
        .zip(ranks)
        .map(|(o, r)| match r {
            Some(r) => format!("{o} {r}"),
            None => format!("{o} –"),
        })
        .collect();
    format!(
        "points: first place {}, last 0 · median rank (1 = first): {}",
        options.len().saturating_sub(1),
        each.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(counts: Vec<u32>) -> Results {
        Results {
            options: (1..=counts.len()).map(|n| n.to_string()).collect(),
            by_role: vec![
                (CountedFor::Role(Role::UnpaidCarer), counts.clone()),
                (CountedFor::Role(Role::Volunteer), counts.clone()),
                (CountedFor::Group(RoleGroup::Carers), counts.clone()),
            ],
            counts,
            voters: 0,
        }
    }

    #[test]
    fn shares_round_to_whole_percent_and_the_median_is_the_middle_answer() {
        let r = results(vec![1, 0, 2, 3, 0]);
        assert_eq!(r.percent(0), 17);
        assert_eq!(r.percent(3), 50);
        assert_eq!(r.median(), Some(2));
        assert_eq!(results(vec![0, 0]).median(), None);
    }

    /// Whole percents add up to 100 (7 and 1 of 8 showed 88% and 13%),
    /// and equal counts always show equal shares, even when that leaves
    /// the total short of 100 (three thirds are 33% each) (issue 31, 16).
    #[test]
    fn shares_add_up_to_100_and_equal_counts_have_equal_shares() {
        let all = |counts: Vec<u32>| {
            let r = results(counts.clone());
            (0..counts.len()).map(|i| r.percent(i)).collect::<Vec<_>>()
        };
        assert_eq!(all(vec![7, 1]), [88, 12]);
        assert_eq!(all(vec![3, 3, 1]), [43, 43, 14]);
        assert_eq!(all(vec![1, 1, 1]), [33, 33, 33]);
        assert_eq!(all(vec![2, 2, 2, 1]), [28, 28, 28, 14]);
        assert_eq!(all(vec![1, 0, 2, 3, 0]), [17, 0, 33, 50, 0]);
        assert_eq!(all(vec![0, 0]), [0, 0]);
        for n in 1..40u32 {
            for k in 0..=n {
                let p = all(vec![k, n - k]);
                assert_eq!(p[0] + p[1], 100, "{k} and {}", n - k);
            }
        }
    }

    #[test]
    fn roles_fold_into_their_groups() {
        let (groups, room) = results(vec![1, 2]).by_group();
        assert_eq!(
            groups[1],
            (RoleGroup::Carers, vec![2, 4]),
            "a carer's ballot and an anonymous carer's"
        );
        assert_eq!(groups[3], (RoleGroup::Others, vec![1, 2]));
        assert_eq!(room, None);
    }
}
