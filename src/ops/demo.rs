//! The shipped example: a realistic CAG roundtable, written through the same
//! `Writer` the live program uses, with fixed times so it is reproducible.

use crate::domain::*;
use crate::store::ron_text::parse_ron;
use crate::store::template::Template;
use crate::store::{StoreError, Writer};
use std::path::Path;

pub const EXAMPLE: &str = "2026-03-14-cag-findings";
const TEMPLATE: &str = include_str!("../../sessions/templates/cag-roundtable.ron");

struct Script {
    w: Writer,
    now: Timestamp,
    next_statement: u32,
    next_memo: u32,
}

type R<T = ()> = Result<T, StoreError>;

impl Script {
    fn at(&mut self, minutes: i64) {
        self.now = self.now.plus_secs(minutes * 60);
    }

    fn rec(&mut self, actor: &str, e: Event) -> R {
        self.w.record(actor, self.now, &e).map(|_| ())
    }

    fn facilitator(&mut self, e: Event) -> R {
        self.rec("facilitator", e)
    }

    fn stage(&mut self, n: u32, f: fn(StageId, Timestamp) -> Event) -> R {
        let e = f(StageId::new(format!("S{n}")), self.now);
        self.facilitator(e)
    }

    /// Captures a statement; `who` is a pseudonym or "group".
    fn say(
        &mut self,
        stage: u32,
        who: &str,
        kind: StatementKind,
        text: &str,
        tags: &[&str],
    ) -> R<StatementId> {
        self.next_statement += 1;
        let id = StatementId::new(format!("st{}", self.next_statement));
        let speaker = match who {
            "group" => Speaker::Group,
            p => Speaker::Participant(ParticipantId::from(p)),
        };
        self.now = self.now.plus_secs(40);
        self.rec(
            "note-taker",
            Event::StatementAdded {
                id: id.clone(),
                kind,
                speaker,
                stage: Some(StageId::new(format!("S{stage}"))),
                text: text.into(),
                tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                captured_by: "note-taker".into(),
                at: self.now,
            },
        )?;
        Ok(id)
    }

    fn memo(&mut self, stage: u32, kind: MemoKind, text: &str) -> R {
        self.next_memo += 1;
        let e = Event::MemoAdded {
            id: MemoId::new(format!("m{}", self.next_memo)),
            kind,
            text: text.into(),
            stage: Some(StageId::new(format!("S{stage}"))),
            by: "facilitator".into(),
            at: self.now,
        };
        self.facilitator(e)
    }

    fn ballots(&mut self, round: &str, votes: &[(&str, Choice)]) -> R {
        for (p, c) in votes {
            self.now = self.now.plus_secs(5);
            let e = Event::BallotCast {
                round: RoundId::from(round),
                participant: ParticipantId::from(*p),
                choice: c.clone(),
                at: self.now,
                recorded_by: "facilitator".into(),
            };
            self.facilitator(e)?;
        }
        Ok(())
    }
}

fn person(id: &str, role: Role, sector: Option<Sector>, level: Option<Level>, name: &str) -> Event {
    Event::ParticipantAdded {
        participant: Participant {
            id: ParticipantId::from(id),
            role,
            sector,
            level,
            real_name: Some(name.to_owned()),
            consent: true,
            person: None,
            attributes: Default::default(),
        },
    }
}

fn concept(id: &str, name: &str, description: &str) -> Event {
    Event::ConceptCreated {
        id: ConceptId::from(id),
        name: name.into(),
        description: description.into(),
    }
}

fn link(concept: &str, statements: &[&StatementId]) -> Event {
    Event::StatementsLinked {
        concept: ConceptId::from(concept),
        statements: statements.iter().map(|s| (*s).clone()).collect(),
    }
}

fn ids(list: &[&str]) -> Vec<ConceptId> {
    list.iter().map(|s| ConceptId::from(*s)).collect()
}

/// Writes the example session into `dir` (which must not exist yet).
pub fn write_example(dir: &Path) -> R<Writer> {
    use Agreement::*;
    use StatementKind::*;
    let start = Timestamp::from_unix_millis(1_773_482_400_000); // 2026-03-14T10:00:00Z
    let template: Template = parse_ron(TEMPLATE).map_err(|p| StoreError::Invalid {
        path: "sessions/templates/cag-roundtable.ron".into(),
        reason: format!("line {}, column {}: {}", p.line, p.col, p.reason),
    })?;
    let mut first = vec![Event::SessionCreated {
        title: "CAG roundtable: early findings on leaving hospital".into(),
        focus: "What do our early findings about leaving hospital with dementia mean to the people who live it?".into(),
        facilitator: "Dr Ayesha Rahman".into(),
        created: start,
        template: Some("cag-roundtable".into()),
    }];
    first.extend(template.stage_events());
    first.extend([
        person("P1", Role::ServiceUser, None, None, "Margaret Ellis"),
        person("P2", Role::ServiceUser, None, None, "Tom Okafor"),
        person("P3", Role::UnpaidCarer, None, None, "Linda Hughes"),
        person("P4", Role::UnpaidCarer, None, None, "Raj Patel"),
        person(
            "P5",
            Role::Staff,
            Some(Sector::Nhs),
            Some(Level::FrontLine),
            "Claire Dunn",
        ),
        person(
            "P6",
            Role::Staff,
            Some(Sector::LocalAuthority),
            Some(Level::Operational),
            "Mark Bennett",
        ),
        person(
            "P7",
            Role::Volunteer,
            Some(Sector::Vcse),
            Some(Level::FrontLine),
            "Grace Adeyemi",
        ),
        person(
            "P8",
            Role::CommunityRepresentative,
            Some(Sector::Vcse),
            Some(Level::Strategic),
            "Yusuf Khan",
        ),
    ]);
    let w = Writer::create(dir, "facilitator", start, &first)?;
    let mut s = Script {
        w,
        now: start,
        next_statement: 0,
        next_memo: 0,
    };

    // Stage 1: welcome.
    s.stage(1, |stage, at| Event::StageStarted { stage, at })?;
    s.memo(
        1,
        MemoKind::Process,
        "Eight of ten invited came; P4 arrived ten minutes late because of a care visit.",
    )?;
    s.at(4);
    s.rec(
        "note-taker",
        Event::ParticipantArrived {
            participant: ParticipantId::from("P4"),
            at: s.now,
        },
    )?;
    s.at(2);
    s.stage(1, |stage, at| Event::StageEnded { stage, at })?;

    // Stage 2: early findings.
    s.stage(2, |stage, at| Event::StageStarted { stage, at })?;
    s.at(5);
    let asked = s.say(
        2,
        "P2",
        Question,
        "When you say 'discharge planning', who is supposed to be doing the planning?",
        &["clarification"],
    )?;
    // Kept for the research team to answer at the next meeting.
    s.rec(
        "note-taker",
        Event::StatementParked {
            statement: asked,
            parked: true,
            at: s.now,
        },
    )?;
    s.at(8);
    s.stage(2, |stage, at| Event::StageAdjusted {
        stage,
        by_secs: 300,
        at,
    })?;
    s.at(6);
    s.stage(2, |stage, at| Event::StageEnded { stage, at })?;

    // Stage 3: reflecting from lived experience.
    s.stage(3, |stage, at| Event::StageStarted { stage, at })?;
    let a1 = s.say(
        3,
        "P1",
        Quote,
        "Nobody told me I was going home until the transport was at the door.",
        &["barrier", "communication"],
    )?;
    let a2 = s.say(3, "P3", Quote, "I found out Mum was discharged from a voicemail. I'm her carer and I live forty minutes away.", &["barrier", "communication", "carers"])?;
    let a3 = s.say(3, "P5", Paraphrase, "Ward staff say the pressure on beds means discharge decisions are often made late in the day and carers cannot be reached in time.", &["barrier", "capacity"])?;
    let a4 = s.say(3, "P4", Quote, "The discharge coordinator rang me the day before and asked what Dad needed. That one call made all the difference.", &["enabler", "communication", "carers"])?;
    s.at(2);
    s.stage(3, |stage, at| Event::StagePaused { stage, at })?;
    s.memo(
        3,
        MemoKind::Process,
        "Paused for five minutes: P1 was upset recalling the discharge; P7 sat with her.",
    )?;
    s.at(5);
    s.stage(3, |stage, at| Event::StageResumed { stage, at })?;
    let a5 = s.say(3, "P6", Paraphrase, "Social care packages cannot start until the assessment is done, and the assessment often waits for the hospital paperwork.", &["barrier", "handover"])?;
    let a6 = s.say(3, "P2", Quote, "The leaflet was fine, but I couldn't take it in on the day. Tell my daughter, she'll remember.", &["communication", "carers"])?;
    // P8 waits to speak; speaking takes the hand down.
    s.rec(
        "note-taker",
        Event::HandRaised {
            participant: ParticipantId::from("P8"),
            at: s.now,
        },
    )?;
    let a7 = s.say(3, "P7", Paraphrase, "The befriending service visits in the first week home and often spots what the care plan missed.", &["enabler", "community"])?;
    let a8 = s.say(3, "P8", Quote, "In our community, families expect to be asked. When nobody asks, it feels like being shut out.", &["barrier", "culture", "carers"])?;
    let a9 = s.say(
        3,
        "P5",
        Quote,
        "When the ward has a named discharge nurse, carers ring us before we ring them.",
        &["enabler", "capacity"],
    )?;
    let wrong = s.say(
        3,
        "P3",
        Quote,
        "The pharmacy had the wrong tablets ready.",
        &["medication"],
    )?;
    let a10 = s.say(
        3,
        "group",
        Paraphrase,
        "General agreement that being told early matters more than being told everything.",
        &["communication"],
    )?;
    s.rec(
        "note-taker",
        Event::StatementAmended {
            statement: a3.clone(),
            kind: Paraphrase,
            speaker: Speaker::Participant(ParticipantId::from("P5")),
            text: "Ward staff say bed pressure means discharge decisions are often made late in the afternoon, when carers cannot be reached in time.".into(),
            tags: vec!["barrier".into(), "capacity".into(), "timing".into()],
            reason: Some("P5 corrected: 'late in the afternoon', not 'late in the day'".into()),
            by: "note-taker".into(),
            at: s.now,
        },
    )?;
    s.rec(
        "note-taker",
        Event::StatementRetracted {
            statement: wrong.clone(),
            reason: "P3 asked for this to be removed: it identifies a particular pharmacy".into(),
            by: "note-taker".into(),
            at: s.now,
        },
    )?;
    s.at(11);
    s.stage(3, |stage, at| Event::StageEnded { stage, at })?;

    // Stage 4: which findings resonate?
    s.stage(4, |stage, at| Event::StageStarted { stage, at })?;
    s.facilitator(Event::VoteOpened {
        id: RoundId::from("v1"),
        target: VoteTarget::Statement(a2.clone()),
        question: "How strongly does this resonate with your experience of leaving hospital?"
            .into(),
        method: VoteMethod::Resonance,
        mode: BallotMode::PerParticipant,
        hidden: true,
        named: false,
        stage: Some(StageId::from("S4")),
        at: s.now,
    })?;
    s.ballots(
        "v1",
        &[
            ("P1", Choice::Resonance(5)),
            ("P2", Choice::Resonance(4)),
            ("P3", Choice::Resonance(5)),
            ("P4", Choice::Resonance(3)),
            ("P5", Choice::Resonance(4)),
            ("P6", Choice::Resonance(3)),
            ("P7", Choice::Resonance(4)),
            ("P8", Choice::Resonance(5)),
        ],
    )?;
    s.facilitator(Event::VoteClosed {
        round: RoundId::from("v1"),
        at: s.now,
    })?;
    s.at(1);
    s.facilitator(Event::VoteOpened {
        id: RoundId::from("v2"),
        target: VoteTarget::Question,
        question: "Which finding should the research team look at first?".into(),
        method: VoteMethod::Dots {
            options: vec![
                "Late discharge decisions".into(),
                "Carers not told".into(),
                "Waiting for social care assessment".into(),
            ],
            per_person: 3,
        },
        mode: BallotMode::PerParticipant,
        hidden: false,
        named: false,
        stage: Some(StageId::from("S4")),
        at: s.now,
    })?;
    s.ballots(
        "v2",
        &[
            ("P1", Choice::Dots(vec![1, 2, 0])),
            ("P2", Choice::Dots(vec![0, 3, 0])),
            ("P3", Choice::Dots(vec![0, 2, 1])),
            ("P4", Choice::Dots(vec![1, 1, 1])),
            ("P5", Choice::Dots(vec![2, 0, 1])),
            ("P6", Choice::Dots(vec![0, 0, 3])),
            ("P7", Choice::Dots(vec![0, 2, 1])),
            ("P8", Choice::Dots(vec![0, 3, 0])),
        ],
    )?;
    s.facilitator(Event::VoteClosed {
        round: RoundId::from("v2"),
        at: s.now,
    })?;
    s.at(4);
    s.stage(4, |stage, at| Event::StageEnded { stage, at })?;

    // Stage 5: break.
    s.stage(5, |stage, at| Event::StageStarted { stage, at })?;
    s.at(7);
    s.stage(5, |stage, at| Event::StageEnded { stage, at })?;

    // Stage 6: translating.
    s.stage(6, |stage, at| Event::StageStarted { stage, at })?;
    let b1 = s.say(
        6,
        "P4",
        Quote,
        "Being told and being asked are not the same thing. I want to be asked.",
        &["carers", "communication"],
    )?;
    let b2 = s.say(6, "P6", Paraphrase, "From the council side, early notice is what lets a care package start on the day someone gets home.", &["enabler", "handover"])?;
    let b3 = s.say(
        6,
        "P1",
        Quote,
        "Staff were kind. It's the system that's in a hurry, not the people.",
        &["capacity"],
    )?;
    for e in [
        concept(
            "c1",
            "Finding out too late",
            "Patients and carers learn of discharge at the last moment.",
        ),
        concept(
            "c2",
            "Carers as partners",
            "Carers expect to be asked, not only informed, about going home.",
        ),
        concept(
            "c3",
            "A system in a hurry",
            "Bed pressure drives late, rushed discharge decisions, despite kind staff.",
        ),
        concept(
            "c4",
            "One person who joins it up",
            "A named coordinator or nurse who links ward, family and social care.",
        ),
        concept(
            "c5",
            "Waiting on the handover",
            "Social care cannot start until paperwork and assessments arrive.",
        ),
    ] {
        s.facilitator(e)?;
    }
    s.facilitator(link("c1", &[&a1, &a2, &a10]))?;
    s.facilitator(link("c2", &[&a6, &a8, &b1, &a4]))?;
    s.facilitator(link("c3", &[&a3, &b3]))?;
    s.facilitator(link("c4", &[&a4, &a9, &a7]))?;
    s.facilitator(link("c5", &[&a5, &b2]))?;
    s.at(6);
    s.facilitator(Event::TranslationMade {
        id: TranslationId::from("t1"),
        kind: TranslationKind::Reciprocal {
            wording: "Timely word: being told early, by someone who knows, about going home".into(),
        },
        concepts: ids(&["c1", "c5"]),
        rationale: "Patients, carers and council staff describe the same gap from different sides: the news of discharge arrives too late for anyone to act on it.".into(),
        at: s.now,
    })?;
    s.at(5);
    s.facilitator(Event::TranslationMade {
        id: TranslationId::from("t2"),
        kind: TranslationKind::Refutational,
        concepts: ids(&["c3", "c2"]),
        rationale: "Staff accounts explain late decisions by bed pressure; carers' accounts say the pressure does not excuse not asking them. The group held both: the pressure is real, and asking takes one call.".into(),
        at: s.now,
    })?;
    s.at(5);
    s.facilitator(Event::TranslationMade {
        id: TranslationId::from("t3"),
        kind: TranslationKind::LineOfArgument {
            argument: "Late word (c1) and slow handover (c5) leave carers shut out (c2); a single person who joins it up (c4) turns the same pressured system into one that asks first.".into(),
            stages: Vec::new(),
        },
        concepts: ids(&["c1", "c5", "c2", "c4"]),
        rationale: "Built up on the flipchart across the translation stage.".into(),
        at: s.now,
    })?;
    s.memo(6, MemoKind::Reflexive, "I pushed for the refutational reading; P5 and P6 needed more time to say why the pressure matters. Check my influence when writing up.")?;
    s.at(2);
    s.stage(6, |stage, at| Event::StageEnded { stage, at })?;

    // Stage 7: agreeing interpretation statements.
    s.stage(7, |stage, at| Event::StageStarted { stage, at })?;
    let interps = [
        (
            "i1",
            "Leaving hospital goes well when someone asks the carer before the decision is made, not after.",
            vec![TranslationId::from("t2")],
            ids(&["c2", "c3"]),
            vec![a4.clone(), b1.clone()],
        ),
        (
            "i2",
            "Early word about discharge is what lets everyone else, carers and social care alike, do their part.",
            vec![TranslationId::from("t1")],
            ids(&["c1", "c5"]),
            vec![a2.clone(), b2.clone()],
        ),
        (
            "i3",
            "A named person who joins ward, family and social care together is the difference between being shut out and being a partner.",
            vec![TranslationId::from("t3")],
            ids(&["c4", "c2"]),
            vec![a9.clone(), a8.clone()],
        ),
    ];
    for (id, text, translations, concepts, statements) in interps {
        s.at(1);
        s.facilitator(Event::InterpretationDrafted {
            id: InterpretationId::from(id),
            text: text.into(),
            translations,
            concepts,
            statements,
            at: s.now,
        })?;
    }
    s.facilitator(Event::InterpretationRevised {
        interpretation: InterpretationId::from("i2"),
        text: "Early word about discharge is what lets everyone else, carers and social care alike, play their part.".into(),
        at: s.now,
    })?;
    // i1: agree/disagree, per participant.
    s.facilitator(Event::InterpretationStatusChanged {
        interpretation: InterpretationId::from("i1"),
        status: InterpretationStatus::Proposed,
        reason: String::new(),
        round: None,
        at: s.now,
    })?;
    s.facilitator(Event::VoteOpened {
        id: RoundId::from("v3"),
        target: VoteTarget::Interpretation(InterpretationId::from("i1")),
        question: "Do you agree with this interpretation?".into(),
        method: VoteMethod::AgreeDisagree,
        mode: BallotMode::PerParticipant,
        hidden: false,
        named: false,
        stage: Some(StageId::from("S7")),
        at: s.now,
    })?;
    s.ballots(
        "v3",
        &[
            ("P1", Choice::Agreement(Agree)),
            ("P2", Choice::Agreement(Agree)),
            ("P3", Choice::Agreement(Agree)),
            ("P4", Choice::Agreement(Agree)),
            ("P5", Choice::Agreement(Pass)),
            ("P6", Choice::Agreement(Agree)),
            ("P7", Choice::Agreement(Agree)),
            ("P8", Choice::Agreement(Agree)),
        ],
    )?;
    s.facilitator(Event::VoteClosed {
        round: RoundId::from("v3"),
        at: s.now,
    })?;
    s.facilitator(Event::InterpretationStatusChanged {
        interpretation: InterpretationId::from("i1"),
        status: InterpretationStatus::Agreed,
        reason: "7 agree, 1 pass, none disagree".into(),
        round: Some(RoundId::from("v3")),
        at: s.now,
    })?;
    // i2: resonance by show of hands, counted per role group.
    s.at(2);
    s.facilitator(Event::VoteOpened {
        id: RoundId::from("v4"),
        target: VoteTarget::Interpretation(InterpretationId::from("i2")),
        question: "How strongly does this interpretation resonate? (show of hands)".into(),
        method: VoteMethod::Resonance,
        mode: BallotMode::Counted,
        hidden: false,
        named: false,
        stage: Some(StageId::from("S7")),
        at: s.now,
    })?;
    for (role, counts) in [
        (Role::ServiceUser, vec![0, 0, 0, 1, 1]),
        (Role::UnpaidCarer, vec![0, 0, 0, 0, 2]),
        (Role::Staff, vec![0, 0, 1, 1, 0]),
        (Role::Volunteer, vec![0, 0, 0, 1, 0]),
        (Role::CommunityRepresentative, vec![0, 0, 0, 0, 1]),
    ] {
        s.facilitator(Event::TallyRecorded {
            round: RoundId::from("v4"),
            role: Some(role),
            counts,
            at: s.now,
            beyond_roster: false,
        })?;
    }
    s.facilitator(Event::VoteClosed {
        round: RoundId::from("v4"),
        at: s.now,
    })?;
    s.facilitator(Event::InterpretationStatusChanged {
        interpretation: InterpretationId::from("i2"),
        status: InterpretationStatus::Agreed,
        reason: "7 of 8 rated 4 or 5".into(),
        round: Some(RoundId::from("v4")),
        at: s.now,
    })?;
    // i3: agree/disagree, split; set aside for the next meeting.
    s.at(2);
    s.facilitator(Event::VoteOpened {
        id: RoundId::from("v5"),
        target: VoteTarget::Interpretation(InterpretationId::from("i3")),
        question: "Do you agree with this interpretation?".into(),
        method: VoteMethod::AgreeDisagree,
        mode: BallotMode::PerParticipant,
        hidden: true,
        named: false,
        stage: Some(StageId::from("S7")),
        at: s.now,
    })?;
    s.ballots(
        "v5",
        &[
            ("P1", Choice::Agreement(Agree)),
            ("P2", Choice::Agreement(Disagree)),
            ("P3", Choice::Agreement(Agree)),
            ("P4", Choice::Agreement(Pass)),
            ("P5", Choice::Agreement(Disagree)),
            ("P6", Choice::Agreement(Disagree)),
            ("P7", Choice::Agreement(Agree)),
            ("P8", Choice::Agreement(Agree)),
        ],
    )?;
    s.facilitator(Event::VoteClosed {
        round: RoundId::from("v5"),
        at: s.now,
    })?;
    s.facilitator(Event::InterpretationStatusChanged {
        interpretation: InterpretationId::from("i3"),
        status: InterpretationStatus::SetAside,
        reason: "Split 4 to 3: staff felt 'the difference' overstated it. Return to it at the next CAG with the interview data.".into(),
        round: Some(RoundId::from("v5")),
        at: s.now,
    })?;
    s.at(1);
    s.stage(7, |stage, at| Event::StageEnded { stage, at })?;

    // Stage 8: close, with the group placing its own work on the ladder.
    s.stage(8, |stage, at| Event::StageStarted { stage, at })?;
    s.facilitator(Event::VoteOpened {
        id: RoundId::from("v6"),
        target: VoteTarget::Question,
        question: "Where on the ladder of co-production was today's session?".into(),
        method: VoteMethod::Ladder,
        mode: BallotMode::PerParticipant,
        hidden: false,
        named: false,
        stage: Some(StageId::from("S8")),
        at: s.now,
    })?;
    s.ballots(
        "v6",
        &[
            ("P1", Choice::Rung(5)),
            ("P2", Choice::Rung(4)),
            ("P3", Choice::Rung(5)),
            ("P4", Choice::Rung(6)),
            ("P5", Choice::Rung(5)),
            ("P6", Choice::Rung(4)),
            ("P7", Choice::Rung(5)),
            ("P8", Choice::Rung(3)),
        ],
    )?;
    s.facilitator(Event::VoteClosed {
        round: RoundId::from("v6"),
        at: s.now,
    })?;
    let asked = s.say(
        8,
        "P8",
        Action,
        "Research team to bring the interview data on named coordinators to the May CAG.",
        &["action"],
    )?;
    s.rec(
        "note-taker",
        Event::ActionAdded {
            id: ActionId::from("a1"),
            what: "Bring the interview data on named discharge coordinators".into(),
            who: "research team".into(),
            by_when: "May CAG".into(),
            from: Some(asked),
            at: s.now,
        },
    )?;
    s.facilitator(Event::ActionAdded {
        id: ActionId::from("a2"),
        what: "Invite the CAG to set the next agenda".into(),
        who: "facilitator".into(),
        by_when: "before the May CAG".into(),
        from: None,
        at: s.now,
    })?;
    s.memo(8, MemoKind::Reflexive, "The group placed itself at co-design rather than co-production; the agenda was still ours, not theirs. Invite the CAG to set the next agenda.")?;
    s.at(4);
    s.stage(8, |stage, at| Event::StageEnded { stage, at })?;
    s.w.snapshot()?;
    Ok(s.w)
}
