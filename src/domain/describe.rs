//! The one way to say in words what an event records: briefly for a status
//! line, or with the words it carries for a timeline.

use super::{Event, Session, VoteTarget};

/// A few words for the status line about what an event records.
pub fn short(e: &Event) -> String {
    match e {
        Event::StatementAdded { id, .. } => format!("statement {id}"),
        Event::StatementAmended { statement, .. } => format!("amendment to {statement}"),
        Event::StatementRecoded { statement, .. } => format!("re-coding of {statement}"),
        Event::CodeDefined { code, .. } => format!("code #{code}"),
        Event::StatementRetracted { statement, .. } => format!("retraction of {statement}"),
        Event::BallotCast {
            participant, round, ..
        } => format!("{participant}'s ballot in {round}"),
        Event::AnonymousBallotCast { round, group, .. } => {
            format!(
                "an anonymous ballot in {round} (one of the {})",
                group.label()
            )
        }
        Event::TallyRecorded { round, .. } => format!("tally in {round}"),
        Event::VoteOpened { id, .. } => format!("round {id} opened"),
        Event::VoteClosed { round, .. } => format!("round {round} closed"),
        Event::MemoAdded { id, .. } => format!("memo {id}"),
        Event::StageStarted { stage, .. } => format!("stage {stage} started"),
        Event::StagePaused { stage, .. } => format!("stage {stage} paused"),
        Event::StageResumed { stage, .. } => format!("stage {stage} resumed"),
        Event::StageEnded { stage, .. } => format!("stage {stage} ended"),
        Event::StageSkipped {
            stage,
            skipped: true,
            ..
        } => format!("stage {stage} skipped"),
        Event::StageSkipped { stage, .. } => format!("stage {stage} put back"),
        Event::StageMoved { stage, to, .. } => format!("stage {stage} moved to place {}", to + 1),
        Event::StageReopened { stage, .. } => format!("stage {stage} reopened"),
        Event::StageAdjusted { stage, by_secs, .. } => {
            format!(
                "stage {stage} {} by {} min",
                if *by_secs >= 0 {
                    "extended"
                } else {
                    "shortened"
                },
                by_secs.abs() / 60
            )
        }
        Event::ConceptCreated { id, name, .. } => format!("concept {id} “{name}”"),
        Event::ClockNoted { wall, session } => {
            format!(
                "clock jumped: the computer said {}, the session {}",
                wall.clock_time(),
                session.clock_time()
            )
        }
        Event::ConceptRenamed { concept, .. } => format!("{concept} renamed"),
        Event::ConceptDescribed { concept, .. } => format!("{concept} described"),
        Event::StatementsLinked {
            concept,
            statements,
        } => format!("{} statement(s) linked to {concept}", statements.len()),
        Event::StatementsUnlinked {
            concept,
            statements,
        } => format!("{} statement(s) unlinked from {concept}", statements.len()),
        Event::ConceptsMerged { into, .. } => format!("concepts merged into {into}"),
        Event::ConceptSplit { concept, parts } => {
            format!("{} new concept(s) split from {concept}", parts.len())
        }
        Event::TranslationMade { id, kind, .. } => format!("translation {id} ({})", kind.label()),
        Event::InterpretationDrafted { id, .. } => format!("interpretation {id} drafted"),
        Event::InterpretationRevised { interpretation, .. } => format!("{interpretation} revised"),
        Event::InterpretationGrounded {
            interpretation,
            concepts,
            ..
        } => format!(
            "{interpretation} now rests on {}",
            concepts
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Event::InterpretationStatusChanged {
            interpretation,
            status,
            ..
        } => format!("{interpretation} {status}"),
        Event::InterpretationTakenUp {
            id,
            workspace,
            from,
            ..
        } => format!("interpretation {id} taken up from {from} of the workspace {workspace}"),
        Event::VerdictRecorded {
            interpretation,
            status,
            workshop,
            round,
            ..
        } => format!("{interpretation} {status} in the workshop {workshop} (vote {round})"),
        Event::RoomShows { view, .. } => room_view(view),
        Event::ParticipantArrived { participant, .. } => format!("{participant} arrived"),
        Event::ParticipantLeft { participant, .. } => format!("{participant} left"),
        Event::HandRaised { participant, .. } => format!("{participant} is in the queue to speak"),
        Event::HandLowered { participant, .. } => format!("{participant} is out of the queue"),
        Event::StatementParked {
            statement,
            parked: true,
            ..
        } => format!("{statement} parked for later"),
        Event::StatementParked { statement, .. } => format!("{statement} taken up again"),
        Event::ActionAdded { id, what, .. } => format!("action {id}: {what}"),
        Event::ActionStatusChanged { action, status, .. } => {
            format!("action {action} {}", status.label())
        }
        Event::ActionCorrected { action, .. } => format!("correction to action {action}"),
        other => other.name().to_owned(),
    }
}

/// What an event records, with the words it carries on one line (the
/// review timeline, the capture screen's unsaved rows); speakers are named
/// with their role when the session is given.
pub fn with_words(e: &Event, s: Option<&Session>) -> String {
    match e {
        Event::StatementAdded {
            id, speaker, text, ..
        } => format!(
            "{id} {}: {}",
            match s {
                Some(s) => s.speaker_label(speaker),
                None => speaker.to_string(),
            },
            text.replace('\n', " ")
        ),
        Event::StatementAmended {
            statement, text, ..
        } => format!("{statement} amended: {}", text.replace('\n', " ")),
        Event::StatementRecoded {
            statement,
            kind,
            tags,
            ..
        } => {
            let tags: Vec<String> = tags.iter().map(|t| format!("#{t}")).collect();
            format!("{statement} re-coded: {kind} {}", tags.join(" "))
                .trim_end()
                .to_owned()
        }
        Event::StatementRetracted {
            statement, reason, ..
        } => format!("{statement} retracted: {reason}"),
        Event::ParticipantAdded { participant } => {
            format!("participant {} ({})", participant.id, participant.role)
        }
        Event::StageAdded { id, title, .. } => format!("stage {id} planned: {title}"),
        Event::ConceptCreated { id, name, .. } => format!("concept {id}: {name}"),
        Event::CodeDefined {
            code, name, facet, ..
        } => format!("{} #{code}: {name}", if *facet { "facet" } else { "code" }),
        Event::TranslationMade {
            id,
            kind,
            rationale,
            ..
        } => {
            let because = if rationale.trim().is_empty() {
                String::new()
            } else {
                format!(", because: {rationale}")
            };
            format!("translation {id} ({}){because}", kind.described())
        }
        Event::InterpretationDrafted { id, text, .. } => {
            format!("interpretation {id} drafted: {text}")
        }
        Event::InterpretationStatusChanged {
            interpretation,
            status,
            ..
        } => format!("interpretation {interpretation}: {status}"),
        Event::InterpretationTakenUp {
            id,
            text,
            workspace,
            from,
            ..
        } => {
            format!("interpretation {id} taken up from {from} of the workspace {workspace}: {text}")
        }
        Event::VoteOpened { id, question, .. } => format!("round {id} opened: {question}"),
        Event::SessionCreated { title, .. } => format!("session created: {title}"),
        Event::MemoAdded { id, kind, text, .. } => {
            format!("{} memo {id}: {}", kind.label(), text.replace('\n', " "))
        }
        other => short(other),
    }
}

impl Session {
    /// `P3 · unpaid carer`, or `whole group`.
    pub fn speaker_label(&self, speaker: &super::Speaker) -> String {
        match speaker {
            super::Speaker::Participant(p) => match self.participants.get(p) {
                Some(x) => format!("{p} · {}", x.described()),
                None => p.to_string(),
            },
            super::Speaker::Group => "whole group".into(),
        }
    }
}

/// What the room is shown, in words.
pub fn room_view(view: &crate::domain::RoomView) -> String {
    use crate::domain::RoomView as V;
    match view {
        V::Latest => "the room shows the stage and the latest statements".into(),
        V::Interpretation(i) => format!("the room shows {i}"),
        V::Results(r) => format!("the room shows round {r}'s results"),
        V::Statement(s) => format!("the room shows statement {s} full-screen"),
        V::Blank => "the room sees the holding slide".into(),
        V::Frozen(_) => "the room's view is held still".into(),
        V::Break(until) => format!("a break, back at {} {}", until.clock_time(), until.zone()),
        V::Summary => "the room shows the session's summary".into(),
        V::Grid(a) => format!("the room shows the translation grid by {}", a.label()),
    }
}

/// A statement as the room reads it on one line: its words (in quotation
/// marks when it is a quote) and whose they are; the placeholder when its
/// words are withheld.
pub fn words_and_whose(session: &Session, st: &super::Statement) -> String {
    let v = st.current();
    let words = match session.withheld(st) {
        Some(w) => w.placeholder(),
        None if v.kind == super::StatementKind::Quote => {
            format!("“{}”", v.text.replace('\n', " "))
        }
        None => v.text.replace('\n', " "),
    };
    format!("{words} — {}", session.speaker_label(&v.speaker))
}

/// What a round is about, as the room reads it: a statement's words and
/// whose they are (a placeholder when they are withheld), or an
/// interpretation's words; nothing for a free question.
pub fn vote_about(session: &Session, target: &VoteTarget) -> Option<String> {
    match target {
        VoteTarget::Statement(id) => session
            .statements
            .get(id)
            .map(|st| words_and_whose(session, st)),
        VoteTarget::Interpretation(id) => {
            let i = session.interpretations.get(id)?;
            Some(format!("{id}: “{}”", i.text().replace('\n', " ")))
        }
        VoteTarget::Question => None,
    }
}

/// `n` things in words: `1 ballot`, `2 ballots`.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}
