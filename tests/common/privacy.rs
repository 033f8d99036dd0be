//! One session that holds every promise made to a participant, and the
//! words, tags and names that must never be read outside the journal:
//! a participant who declined (P7), one who withdrew consent mid-session
//! (P3), a statement retracted because it names a place (st4), one
//! amended to take a business's name out (st5), a speaker corrected (st6),
//! a hidden round still open (v2) and ballots from everyone.

use super::t;
use roundtable::domain::*;
use roundtable::store::Writer;
use std::path::Path;

/// What a statement's words, tags and people must never show outside the
/// journal. Each is distinctive: it occurs nowhere else in the session.
pub struct Protected {
    /// Words of withheld (no consent) and retracted statements, and the
    /// wording an amendment removed.
    pub words: &'static [&'static str],
    /// Tags of withheld and retracted statements, and tags amended away.
    pub tags: &'static [&'static str],
    /// Pseudonyms of those without consent (declined, withdrew).
    pub pseudonyms: &'static [&'static str],
    /// Real names of those without consent.
    pub names: &'static [&'static str],
    /// Staff's names: the facilitator and the note-taker (without `--names`).
    pub staff: &'static [&'static str],
}

pub const PROTECTED: Protected = Protected {
    words: &["Rosebank", "Larchwood", "Nanscawen", "Fenwick", "Boots"],
    tags: &[
        "neighbour-rescue",
        "referral-lost-twice",
        "stmarys-ward7",
        "boots-pharmacy",
    ],
    pseudonyms: &["P7", "P3"],
    names: &["Quillfeather", "Trelawny"],
    staff: &["Tregarthen", "Nancarrow"],
};

/// Real names of those who consented: shown only with `--names`.
pub const CONSENTING_NAMES: &[&str] = &["Penhallow", "Carnsew", "Polglase"];

/// The note-taker's name, as a joined terminal would be stamped.
pub const NOTE_TAKER: &str = "Kitto Nancarrow";

fn person(id: &str, role: Role, name: &str, consent: bool) -> Event {
    Event::ParticipantAdded {
        participant: Participant {
            id: id.into(),
            role,
            sector: None,
            level: None,
            real_name: Some(name.into()),
            consent,
            person: None,
            attributes: Default::default(),
        },
    }
}

fn said(id: &str, who: Option<&str>, kind: StatementKind, text: &str, tags: &[&str]) -> Event {
    Event::StatementAdded {
        id: StatementId::new(id),
        kind,
        speaker: who.map_or(Speaker::Group, |p| Speaker::Participant(p.into())),
        stage: Some("S1".into()),
        text: text.into(),
        tags: tags.iter().map(|x| (*x).to_owned()).collect(),
        captured_by: NOTE_TAKER.into(),
        at: t(0),
    }
}

fn ballot(round: &str, who: &str, choice: Choice) -> Event {
    Event::BallotCast {
        round: RoundId::new(round),
        participant: who.into(),
        choice,
        at: t(0),
        recorded_by: "facilitator".into(),
    }
}

/// The hidden round's ballots: every person's choice, in the order given.
/// A second ordering of the same choices among the same people lets a test
/// see whether anything shows who chose what before the round closes.
pub const HIDDEN_CHOICES: [(&str, u8); 5] = [("P1", 5), ("P2", 1), ("P3", 4), ("P4", 2), ("P7", 3)];

/// Every event of the session, up to the open hidden round, with the
/// hidden round's choices as `hidden` gives them.
pub fn events(hidden: &[(&str, u8)]) -> Vec<Event> {
    use StatementKind::*;
    let mut e = vec![
        Event::SessionCreated {
            title: "Leaving hospital: what we heard".into(),
            focus: "What would have made leaving hospital easier?".into(),
            facilitator: "Morwenna Tregarthen".into(),
            created: t(0),
            template: None,
        },
        person("P1", Role::ServiceUser, "Alys Penhallow", true),
        person("P2", Role::UnpaidCarer, "Bryn Carnsew", true),
        person("P3", Role::Staff, "Cerys Trelawny", true),
        person("P4", Role::Volunteer, "Derwa Polglase", true),
        person("P7", Role::ServiceUser, "Eseld Quillfeather", false),
        Event::StageAdded {
            id: "S1".into(),
            kind: StageKind::Discuss,
            title: "Leaving hospital".into(),
            prompt: "What happened when you left hospital?".into(),
            planned_secs: 1800,
        },
        Event::StageAdded {
            id: "S2".into(),
            kind: StageKind::Synthesise,
            title: "What it means".into(),
            prompt: "What do we say this means?".into(),
            planned_secs: 1200,
        },
        Event::StageStarted {
            stage: "S1".into(),
            at: t(10),
        },
        said(
            "st1",
            Some("P1"),
            Quote,
            "Waiting for the discharge letter felt endless",
            &["barrier"],
        ),
        said(
            "st2",
            Some("P7"),
            Quote,
            "My neighbour found me at Rosebank Court after the fall",
            &["neighbour-rescue"],
        ),
        said(
            "st3",
            Some("P3"),
            Paraphrase,
            "The referral to Larchwood was lost twice",
            &["referral-lost-twice"],
        ),
        said(
            "st4",
            Some("P2"),
            Quote,
            "Nobody on Nanscawen told us anything",
            &["stmarys-ward7"],
        ),
        said(
            "st5",
            Some("P1"),
            Quote,
            "The pharmacist at Boots on Fenwick Street sorted my pills",
            &["boots-pharmacy"],
        ),
        said(
            "st6",
            Some("P4"),
            Paraphrase,
            "Carers were not told the plan",
            &["enabler"],
        ),
        said(
            "st7",
            None,
            Question,
            "Who decides when someone is ready to go home?",
            &[],
        ),
        Event::StatementRetracted {
            statement: "st4".into(),
            reason: "identifies a place".into(),
            by: NOTE_TAKER.into(),
            at: t(0),
        },
        Event::StatementAmended {
            statement: "st5".into(),
            kind: Quote,
            speaker: Speaker::Participant("P1".into()),
            text: "The pharmacist sorted my pills".into(),
            tags: vec!["pharmacy".into()],
            reason: Some("takes out a business's name".into()),
            by: NOTE_TAKER.into(),
            at: t(0),
        },
        Event::StatementAmended {
            statement: "st6".into(),
            kind: Paraphrase,
            speaker: Speaker::Participant("P2".into()),
            text: "Carers were not told the plan".into(),
            tags: vec!["enabler".into()],
            reason: Some("P2 said it, not P4".into()),
            by: NOTE_TAKER.into(),
            at: t(0),
        },
        Event::ParticipantArrived {
            participant: "P7".into(),
            at: t(0),
        },
        Event::ParticipantLeft {
            participant: "P3".into(),
            at: t(0),
        },
        Event::HandRaised {
            participant: "P7".into(),
            at: t(0),
        },
        Event::StatementParked {
            statement: "st2".into(),
            parked: true,
            at: t(0),
        },
        Event::VoteOpened {
            id: RoundId::new("v1"),
            target: VoteTarget::Statement("st1".into()),
            question: "Do you agree?".into(),
            method: VoteMethod::AgreeDisagree,
            mode: BallotMode::PerParticipant,
            hidden: false,
            named: false,
            stage: Some("S1".into()),
            at: t(0),
        },
        ballot("v1", "P1", Choice::Agreement(Agreement::Agree)),
        ballot("v1", "P2", Choice::Agreement(Agreement::Disagree)),
        ballot("v1", "P3", Choice::Agreement(Agreement::Agree)),
        ballot("v1", "P4", Choice::Agreement(Agreement::Pass)),
        ballot("v1", "P7", Choice::Agreement(Agreement::Disagree)),
        Event::VoteClosed {
            round: RoundId::new("v1"),
            at: t(0),
        },
        Event::ConceptCreated {
            id: "c1".into(),
            name: "Waiting without word".into(),
            description: "Nobody says what happens next".into(),
        },
        Event::ConceptCreated {
            id: "c2".into(),
            name: "Help from outside".into(),
            description: String::new(),
        },
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["st1".into(), "st3".into(), "st4".into(), "st6".into()],
        },
        Event::StatementsLinked {
            concept: "c2".into(),
            statements: vec!["st2".into(), "st5".into(), "st7".into()],
        },
        Event::TranslationMade {
            id: "t1".into(),
            kind: TranslationKind::LineOfArgument {
                argument: "Without word from inside, help comes from outside".into(),
                stages: vec![],
            },
            concepts: vec!["c1".into(), "c2".into()],
            rationale: "the waiting is what sends people to neighbours".into(),
            at: t(0),
        },
        Event::InterpretationDrafted {
            id: "i1".into(),
            text: "Leaving hospital works when someone tells you the plan".into(),
            translations: vec!["t1".into()],
            concepts: vec!["c1".into(), "c2".into()],
            statements: vec!["st2".into(), "st3".into(), "st5".into()],
            at: t(0),
        },
        Event::MemoAdded {
            id: "m1".into(),
            kind: MemoKind::Process,
            text: "Energy dipped after the break".into(),
            stage: Some("S1".into()),
            by: "facilitator".into(),
            at: t(0),
        },
        Event::ConsentChanged {
            participant: "P3".into(),
            consent: false,
        },
        Event::VoteOpened {
            id: RoundId::new("v2"),
            target: VoteTarget::Question,
            question: "How strongly does this resonate?".into(),
            method: VoteMethod::Resonance,
            mode: BallotMode::PerParticipant,
            hidden: true,
            named: false,
            stage: Some("S1".into()),
            at: t(0),
        },
    ];
    for (who, score) in hidden {
        e.push(ballot("v2", who, Choice::Resonance(*score)));
    }
    // Times in order, a few seconds apart, from the stage's start.
    let mut n = 0;
    for ev in e.iter_mut().skip(9) {
        n += 7;
        ev.stamp_time(t(10 + n));
    }
    e
}

/// The session written through the real store into `dir` (which must not
/// exist yet); the facilitator records, a note-taker captured.
pub fn write(dir: &Path, hidden: &[(&str, u8)]) {
    let events = events(hidden);
    let (first, rest) = events.split_at(1);
    let mut w = Writer::create(dir, "facilitator", t(0), first).expect("create");
    for e in rest {
        w.record("facilitator", t(0), e).expect("record");
    }
}

/// The session in memory.
pub fn session(hidden: &[(&str, u8)]) -> Session {
    Session::replay(events(hidden).iter()).expect("the privacy session replays")
}

/// `HIDDEN_CHOICES` with each person given another's choice: the same
/// voters and counts, different individual choices.
pub fn hidden_swapped() -> Vec<(&'static str, u8)> {
    let n = HIDDEN_CHOICES.len();
    (0..n)
        .map(|i| (HIDDEN_CHOICES[i].0, HIDDEN_CHOICES[(i + 1) % n].1))
        .collect()
}

/// Everything in `text` that must not be there, by kind: protected words,
/// tags, pseudonyms and names of those without consent (a pseudonym as a
/// whole word, so `P3` is not found in `P30`), and staff's names unless
/// `staff_named`. `pseudonyms` is false on screens, which name a person to
/// attribute and take ballots but never show their words.
pub fn leaks(text: &str, pseudonyms: bool, staff_named: bool) -> Vec<String> {
    let mut found = Vec::new();
    for w in PROTECTED.words {
        if text.contains(w) {
            found.push(format!("words: {w}"));
        }
    }
    for w in PROTECTED.tags {
        if text.contains(w) {
            found.push(format!("tag: {w}"));
        }
    }
    for w in PROTECTED.names {
        if text.contains(w) {
            found.push(format!("name: {w}"));
        }
    }
    if !staff_named {
        for w in PROTECTED.staff {
            if text.contains(w) {
                found.push(format!("staff name: {w}"));
            }
        }
    }
    if pseudonyms {
        for p in PROTECTED.pseudonyms {
            let whole = text.match_indices(p).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + p.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            });
            if whole {
                found.push(format!("pseudonym: {p}"));
            }
        }
    }
    found
}

/// `leaks` with the line each was found on, for a failure message.
pub fn explain(text: &str, pseudonyms: bool, staff_named: bool) -> String {
    text.lines()
        .filter(|l| !leaks(l, pseudonyms, staff_named).is_empty())
        .take(12)
        .collect::<Vec<_>>()
        .join("\n")
}
