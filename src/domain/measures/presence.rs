//! When people were in the room: the session's span, each participant's
//! spans within it, and the involvement record built from them.

use super::super::{ParticipantId, Session, StageState, Timestamp};
use super::{Figure, Measure, WHOLE};

/// The latest moment the session's state knows of.
pub fn last_moment(session: &Session) -> Timestamp {
    let stages = session.stages.values().flat_map(|s| {
        [s.runtime.started, s.runtime.ended]
            .into_iter()
            .flatten()
            .chain(
                s.runtime
                    .pauses
                    .iter()
                    .flat_map(|p| [Some(p.from), p.until])
                    .flatten(),
            )
    });
    let said = session.statements.values().map(|s| s.current().at).chain(
        session
            .statements
            .values()
            .filter_map(|s| s.retracted.as_ref().map(|r| r.at)),
    );
    let votes = session.rounds.values().flat_map(|r| {
        r.ballots
            .iter()
            .map(|b| b.at)
            .chain(r.anonymous.iter().map(|b| b.at))
            .chain(r.closed)
            .chain([r.opened])
    });
    let floor = session
        .floor
        .attendance
        .values()
        .flat_map(|a| a.arrived.iter().chain(&a.left).copied());
    stages
        .chain(said)
        .chain(votes)
        .chain(floor)
        .chain(session.actions.values().map(|a| a.at))
        .max()
        .unwrap_or_default()
}

/// When the session ran: the first stage's start to the last stage's end
/// (or the last moment recorded, if a stage is still open).
pub fn session_span(session: &Session) -> Option<(Timestamp, Timestamp)> {
    let start = session
        .stages
        .values()
        .filter_map(|s| s.runtime.started)
        .min()?;
    let open = session
        .stages
        .values()
        .any(|s| matches!(s.state(), StageState::Running | StageState::Paused));
    let end = if open {
        last_moment(session)
    } else {
        session
            .stages
            .values()
            .filter_map(|s| s.runtime.ended)
            .max()
            .unwrap_or(start)
    };
    Some((start, end.max(start)))
}

/// When a participant was in the room, as spans within the session.
pub fn spans(session: &Session, p: &ParticipantId) -> Vec<(Timestamp, Timestamp)> {
    spans_within(session, p, session_span(session))
}

/// [`spans`] within `span`, the session's, found once by the caller.
pub(super) fn spans_within(
    session: &Session,
    p: &ParticipantId,
    span: Option<(Timestamp, Timestamp)>,
) -> Vec<(Timestamp, Timestamp)> {
    let Some((start, end)) = span else {
        return Vec::new();
    };
    let mut moves: Vec<(Timestamp, bool)> = Vec::new();
    if let Some(a) = session.floor.attendance.get(p) {
        moves.extend(a.arrived.iter().map(|t| (*t, true)));
        moves.extend(a.left.iter().map(|t| (*t, false)));
    }
    moves.sort();
    // Present from the start unless the first thing recorded is an arrival.
    let mut since = match moves.first() {
        Some((_, true)) => None,
        _ => Some(start),
    };
    let mut out = Vec::new();
    for (at, arriving) in moves {
        let at = at.clamp(start, end);
        match (arriving, since) {
            (true, None) => since = Some(at),
            (false, Some(from)) => {
                out.push((from, at));
                since = None;
            }
            _ => {}
        }
    }
    if let Some(from) = since {
        out.push((from, end));
    }
    out.retain(|(a, b)| b > a);
    out
}

/// One participant's time in the room.
#[derive(Clone, Debug, PartialEq)]
pub struct Involvement {
    pub participant: ParticipantId,
    pub role: String,
    pub spans: Vec<(Timestamp, Timestamp)>,
}

impl Involvement {
    pub fn millis(&self) -> i64 {
        self.spans.iter().map(|(a, b)| b.millis_since(*a)).sum()
    }

    /// Hours, to two decimal places.
    pub fn hours(&self) -> String {
        format!("{:.2}", self.millis() as f64 / 3_600_000.0)
    }

    /// `10:02–11:30, 11:45–12:00`.
    /// When they were present, as clock times in UTC with the zone said
    /// (`10:00–11:39 UTC`): the same on every computer.
    pub fn times(&self) -> String {
        let spans: Vec<String> = self
            .spans
            .iter()
            .map(|(a, b)| format!("{}–{}", a.utc_clock_time(), b.utc_clock_time()))
            .collect();
        match spans.is_empty() {
            true => String::new(),
            false => format!("{} UTC", spans.join(", ")),
        }
    }

    /// When they were present, each span as RFC 3339 times in UTC, for
    /// tables read by scripts.
    pub fn times_utc(&self) -> String {
        self.spans
            .iter()
            .map(|(a, b)| format!("{a}/{b}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub(super) fn figure(&self) -> Figure {
        Figure {
            measure: Measure::Involvement,
            scope: WHOLE.into(),
            subject: format!("{} ({})", self.participant, self.role),
            count: self.millis() / 60_000,
            of: None,
            value: format!("{} h", self.hours()),
            note: self.times(),
            records: vec![self.participant.to_string()],
        }
    }
}

/// Each consenting participant's involvement, in roster order: the
/// research measure.
pub fn involvement(session: &Session) -> Vec<Involvement> {
    let mut all = involvement_of_everyone(session);
    all.retain(|i| session.consented(&i.participant));
    all
}

/// Everyone's involvement, consent or not, in roster order: the
/// administrative record for paying and thanking people (consent to be
/// quoted is not consent to be forgotten). It holds no words.
pub fn involvement_of_everyone(session: &Session) -> Vec<Involvement> {
    let span = session_span(session);
    session
        .participants
        .values()
        .map(|p| Involvement {
            participant: p.id.clone(),
            role: p.role.label().to_owned(),
            spans: spans_within(session, &p.id, span),
        })
        .collect()
}
