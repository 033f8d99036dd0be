//! Measures of co-production on small hand-made sessions. Every expected
//! figure is worked out by hand in the comments beside it, from the events
//! the test writes, not taken from the program's output.

use roundtable::domain::measures::{
    Figure, Measure, distance, involvement, measures, median_index, programme, share_of,
};
use roundtable::domain::*;

mod common;

fn t(min: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_773_482_400_000 + min * 60_000)
}

fn session(events: Vec<Event>) -> Session {
    let mut s = Session::default();
    for (i, e) in events.into_iter().enumerate() {
        if let Err(err) = s.apply_owned(e) {
            panic!("event {} refused: {err}", i + 1);
        }
    }
    s
}

fn created(title: &str, day: i64) -> Event {
    Event::SessionCreated {
        title: title.into(),
        focus: "What matters?".into(),
        facilitator: "Sam".into(),
        created: t(day * 24 * 60),
        template: None,
    }
}

fn person(id: &str, role: Role, consent: bool) -> Event {
    Event::ParticipantAdded {
        participant: Participant {
            id: id.into(),
            role,
            sector: None,
            level: None,
            real_name: None,
            consent,
            person: None,
            attributes: Default::default(),
        },
    }
}

fn stage(id: &str, mins: u32) -> Event {
    Event::StageAdded {
        id: id.into(),
        kind: StageKind::Discuss,
        title: format!("Stage {id}"),
        prompt: "Talk".into(),
        planned_secs: mins * 60,
    }
}

fn say(id: &str, who: &str, stage: &str, text: &str, at: i64) -> Event {
    Event::StatementAdded {
        id: id.into(),
        kind: StatementKind::Quote,
        speaker: if who == "group" {
            Speaker::Group
        } else {
            Speaker::Participant(who.into())
        },
        stage: Some(stage.into()),
        text: text.into(),
        tags: vec![],
        captured_by: "note-taker".into(),
        at: t(at),
    }
}

fn find<'a>(fs: &'a [Figure], m: Measure, scope: &str, subject: &str) -> &'a Figure {
    fs.iter()
        .find(|f| f.measure == m && f.scope == scope && f.subject == subject)
        .unwrap_or_else(|| panic!("no {m:?} figure for {scope} / {subject}"))
}

/// P1 service user, P2 carer, P3 staff, P4 staff without consent, P5
/// service user who says nothing. Two stages.
fn voices() -> Vec<Event> {
    vec![
        created("Voices", 0),
        person("P1", Role::ServiceUser, true),
        person("P2", Role::UnpaidCarer, true),
        person("P3", Role::Staff, true),
        person("P4", Role::Staff, false),
        person("P5", Role::ServiceUser, true),
        stage("S1", 10),
        stage("S2", 10),
        Event::StageStarted {
            stage: "S1".into(),
            at: t(0),
        },
        say("st1", "P1", "S1", "I waited three weeks", 1), // 4 words
        say("st2", "P1", "S1", "Nobody rang", 2),          // 2 words
        say("st3", "P3", "S1", "We had no staff", 3),      // 4 words
        say("st4", "P4", "S1", "The system was down", 4),  // 4 words
        Event::StageEnded {
            stage: "S1".into(),
            at: t(12),
        },
        Event::StageStarted {
            stage: "S2".into(),
            at: t(12),
        },
        say("st5", "P2", "S2", "I found out from the taxi driver", 13), // 7 words
        say("st6", "group", "S2", "Agreed", 14),                        // 1 word
        say("st7", "P3", "S2", "Withdrawn later", 15),
        Event::StatementRetracted {
            statement: "st7".into(),
            reason: "said in error".into(),
            by: "note-taker".into(),
            at: t(16),
        },
        Event::HandRaised {
            participant: "P1".into(),
            at: t(16),
        },
        Event::HandRaised {
            participant: "P3".into(),
            at: t(16),
        },
        say("st8", "P1", "S2", "Me again", 17), // 2 words; P1's hand reached
        Event::HandLowered {
            participant: "P3".into(),
            at: t(17),
        },
        Event::StageEnded {
            stage: "S2".into(),
            at: t(20),
        },
    ]
}

#[test]
fn voice_counts_statements_and_words_by_group_stage_and_person() {
    let fs = measures(&session(voices()));
    // Not retracted: st1 st2 st8 (P1, service user), st5 (P2, carer), st3
    // (P3) and st4 (P4) staff, st6 whole group: 7 statements.
    let w = "whole session";
    let su = find(&fs, Measure::VoiceStatements, w, "service users");
    assert_eq!((su.count, su.of, su.value.as_str()), (3, Some(7), "43%")); // 300/7 = 42.9
    assert_eq!(su.records, ["st1", "st2", "st8"]);
    let staff = find(&fs, Measure::VoiceStatements, w, "staff");
    assert_eq!((staff.count, staff.value.as_str()), (2, "29%")); // 200/7 = 28.6
    let group = find(&fs, Measure::VoiceStatements, w, "whole group");
    assert_eq!(group.count, 1);
    // The five voices' shares are read together, so they add up to 100.
    let shares: u32 = fs
        .iter()
        .filter(|f| f.measure == Measure::VoiceStatements && f.scope == w)
        .map(|f| f.value.trim_end_matches('%').parse::<u32>().unwrap())
        .sum();
    assert_eq!(shares, 100);
    // Words: service users 4+2+2 = 8, carers 7, staff 4+4 = 8, group 1: 24.
    let words = find(&fs, Measure::VoiceWords, w, "carers");
    assert_eq!(
        (words.count, words.of, words.value.as_str()),
        (7, Some(24), "29%")
    );
    // Stage 1 only: st1 st2 (service users) of st1..st4.
    let s1 = find(
        &fs,
        Measure::VoiceStatements,
        "stage 1 Stage S1",
        "service users",
    );
    assert_eq!((s1.count, s1.of), (2, Some(4)));
    // Stage 2: st5, st6, st8 (st7 retracted).
    let s2 = find(&fs, Measure::VoiceStatements, "stage 2 Stage S2", "staff");
    assert_eq!((s2.count, s2.of, s2.value.as_str()), (0, Some(3), "0%"));
    // By person: consenting participants only; P4 has no line of their own.
    let p1 = find(&fs, Measure::PersonStatements, w, "P1 (service user)");
    assert_eq!((p1.count, p1.of), (3, Some(7)));
    // In stage 2: st5 (P2), st6 (group), st8 (P1): P1 1 of 3; P3's only
    // statement there was retracted, so P3 has no stage 2 line.
    let p1 = find(
        &fs,
        Measure::PersonStatements,
        "stage 2 Stage S2",
        "P1 (service user)",
    );
    assert_eq!((p1.count, p1.of, p1.value.as_str()), (1, Some(3), "33%"));
    assert!(
        !fs.iter()
            .any(|f| f.scope == "stage 2 Stage S2" && f.subject.starts_with("P3"))
    );
    let p5 = find(&fs, Measure::PersonStatements, w, "P5 (service user)");
    assert_eq!((p5.count, p5.value.as_str()), (0, "0%"));
    assert!(
        !fs.iter().any(|f| f.subject.starts_with("P4")),
        "a participant without consent is singled out"
    );
    // Staff are P3 (consented) and P4 (did not): listing P3 alone would
    // give P4's figures away by subtraction from the staff total, so P3 has
    // no line of their own either. Listable and present: P1 P2 P5; P5 said
    // nothing; P3 and P4 are not counted here.
    assert!(
        !fs.iter()
            .any(|f| f.measure != Measure::Involvement && f.subject.starts_with("P3")),
        "P3's voice gives P4's away"
    );
    let unheard = find(&fs, Measure::NotHeard, w, "present, nothing captured");
    assert_eq!((unheard.count, unheard.of), (1, Some(3)));
    assert_eq!(unheard.records, ["P5"]);
    assert!(unheard.note.contains("2 participant(s) not counted"));
    // Hands: P1 (service user) raised and reached; P3 (staff) lowered.
    let q = find(&fs, Measure::QueueReached, w, "service users");
    assert_eq!((q.count, q.of), (1, Some(1)));
    let q = find(&fs, Measure::QueueReached, w, "staff");
    assert_eq!((q.count, q.of, q.value.as_str()), (0, Some(1), "0%"));
}

#[test]
fn influence_splits_an_agreed_interpretations_statements_by_group() {
    let mut e = voices();
    e.extend([
        Event::ConceptCreated {
            id: "c1".into(),
            name: "Waiting".into(),
            description: String::new(),
        },
        // Through the concept: st1 (su), st3 (staff), st4 (staff), st7 (retracted).
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["st1".into(), "st3".into(), "st4".into(), "st7".into()],
        },
        Event::InterpretationDrafted {
            id: "I1".into(),
            text: "People wait without word".into(),
            translations: vec![],
            concepts: vec!["c1".into()],
            // Directly: st1 (su, so not also "through"), st5 (carer).
            statements: vec!["st1".into(), "st5".into()],
            at: t(21),
        },
        Event::InterpretationDrafted {
            id: "I2".into(),
            text: "Only a draft".into(),
            translations: vec![],
            concepts: vec!["c1".into()],
            statements: vec!["st3".into()],
            at: t(21),
        },
        Event::InterpretationStatusChanged {
            interpretation: "I1".into(),
            status: InterpretationStatus::Agreed,
            reason: "the group agreed".into(),
            round: None,
            at: t(22),
        },
    ]);
    let fs = measures(&session(e));
    // Direct: st1 (su), st5 (carer): 2. Through only: st3, st4 (staff): 2.
    // All: 4, of which staff 2 = 50%, service users 1 = 25%, carers 25%.
    let d = find(&fs, Measure::InfluenceDirect, "I1", "carers");
    assert_eq!((d.count, d.of, d.value.as_str()), (1, Some(2), "50%"));
    let th = find(&fs, Measure::InfluenceThrough, "I1", "staff");
    assert_eq!((th.count, th.of, th.value.as_str()), (2, Some(2), "100%"));
    assert_eq!(th.records, ["st3", "st4"]);
    let all = find(&fs, Measure::InfluenceAll, "I1", "service users");
    assert_eq!((all.count, all.of, all.value.as_str()), (1, Some(4), "25%"));
    assert!(all.note.contains("1 retracted"));
    // A draft is not an agreed interpretation.
    assert!(!fs.iter().any(|f| f.scope == "I2"));
}

fn ballot(round: &str, who: &str, choice: Choice) -> Event {
    Event::BallotCast {
        round: round.into(),
        participant: who.into(),
        choice,
        at: t(30),
        recorded_by: "facilitator".into(),
    }
}

fn round(id: &str, method: VoteMethod) -> Event {
    Event::VoteOpened {
        id: id.into(),
        target: VoteTarget::Question,
        question: "Is it so?".into(),
        method,
        mode: BallotMode::PerParticipant,
        hidden: false,
        named: false,
        stage: None,
        at: t(29),
    }
}

#[test]
fn divergence_is_the_total_variation_distance_between_lived_experience_and_staff() {
    use Agreement::*;
    let mut e = voices();
    e.extend([
        round("v1", VoteMethod::AgreeDisagree),
        ballot("v1", "P1", Choice::Agreement(Agree)),
        ballot("v1", "P2", Choice::Agreement(Agree)),
        ballot("v1", "P5", Choice::Agreement(Disagree)),
        ballot("v1", "P3", Choice::Agreement(Disagree)),
        ballot("v1", "P4", Choice::Agreement(Pass)),
        round("v2", VoteMethod::AgreeDisagree),
        ballot("v2", "P1", Choice::Agreement(Agree)),
        ballot("v2", "P3", Choice::Agreement(Agree)),
        round("v3", VoteMethod::AgreeDisagree),
        ballot("v3", "P1", Choice::Agreement(Agree)),
    ]);
    let fs = measures(&session(e));
    // v1: lived (P1 P2 P5) = agree 2, disagree 1, pass 0 → 2/3, 1/3, 0.
    // Staff (P3 P4) = 0, 1, 1 → 0, 1/2, 1/2.
    // TVD = (2/3 + 1/6 + 1/2) / 2 = (4/6 + 1/6 + 3/6) / 2 = 8/12 = 0.67.
    let d = find(
        &fs,
        Measure::Divergence,
        "v1",
        "service users and carers vs staff",
    );
    assert_eq!(d.value, "0.67");
    assert!(d.note.contains("flagged"));
    let by = find(&fs, Measure::RoundByGroup, "v1", "service users");
    assert_eq!(by.value, "agree 1 · disagree 1 · pass 0");
    // v2: both sides agree entirely: 0.00, not flagged.
    let d = find(
        &fs,
        Measure::Divergence,
        "v2",
        "service users and carers vs staff",
    );
    assert_eq!((d.value.as_str(), d.note.as_str()), ("0.00", ""));
    // v3: no staff vote, so no distance.
    assert!(
        !fs.iter()
            .any(|f| f.measure == Measure::Divergence && f.scope == "v3")
    );
    assert_eq!(distance(&[1, 0], &[0, 1]), Some(1.0));
    assert_eq!(distance(&[0, 0], &[0, 1]), None);
}

#[test]
fn the_ladder_gives_the_median_rung_of_everyone_and_each_group() {
    let mut e = voices();
    // Rungs: 3 consultation, 5 co-design, 6 co-production.
    e.extend([
        round("v9", VoteMethod::Ladder),
        ballot("v9", "P1", Choice::Rung(3)),
        ballot("v9", "P2", Choice::Rung(3)),
        ballot("v9", "P3", Choice::Rung(6)),
        ballot("v9", "P4", Choice::Rung(5)),
    ]);
    let fs = measures(&session(e));
    // Everyone: consultation 2, co-design 1, co-production 1 → sorted
    // consultation, consultation, co-design, co-production: the middle
    // (the second of four, the first point where half are counted) is
    // consultation.
    let all = find(&fs, Measure::Ladder, "v9", "everyone");
    assert_eq!(all.value, "median: consultation");
    assert_eq!(all.note, "consultation 2 · co-design 1 · co-production 1");
    // Staff: co-design 1, co-production 1 → co-design.
    let staff = find(&fs, Measure::Ladder, "v9", "staff");
    assert_eq!(staff.value, "median: co-design");
    assert_eq!(median_index(&[0, 0, 1, 1]), Some(2));
    assert_eq!(median_index(&[0, 0]), None);
}

#[test]
fn process_compares_stage_times_and_counts_actions_by_status() {
    let mut e = voices();
    e.extend([
        Event::ActionAdded {
            id: "a1".into(),
            what: "Ring carers".into(),
            who: "P3".into(),
            by_when: "May".into(),
            from: None,
            at: t(20),
        },
        Event::ActionAdded {
            id: "a2".into(),
            what: "Fix the numbers".into(),
            who: "P3".into(),
            by_when: "June".into(),
            from: None,
            at: t(20),
        },
        Event::ActionStatusChanged {
            action: "a2".into(),
            status: ActionStatus::Done,
            note: "done".into(),
            at: t(20),
        },
    ]);
    let fs = measures(&session(e));
    // S1 ran 0 → 12 minutes of 10 planned; S2 12 → 20, 8 of 10.
    let s1 = find(
        &fs,
        Measure::StageTime,
        "stage 1 Stage S1",
        "actual of planned",
    );
    assert_eq!(
        (s1.count, s1.of, s1.value.as_str()),
        (720, Some(600), "12:00 of 10:00")
    );
    let s2 = find(
        &fs,
        Measure::StageTime,
        "stage 2 Stage S2",
        "actual of planned",
    );
    assert_eq!(s2.value, "08:00 of 10:00");
    let done = find(&fs, Measure::Actions, "whole session", "done");
    assert_eq!(
        (done.count, done.of, done.records.as_slice()),
        (1, Some(2), &["a2".to_owned()][..])
    );
}

#[test]
fn involvement_counts_each_consenting_participants_time_in_the_room() {
    let mut e = voices();
    // The session runs from S1's start (0) to S2's end (20 minutes).
    e.extend([
        // P2 leaves at 5 and comes back at 15: 5 + 5 = 10 minutes.
        Event::ParticipantLeft {
            participant: "P2".into(),
            at: t(5),
        },
        Event::ParticipantArrived {
            participant: "P2".into(),
            at: t(15),
        },
        // P6 arrives late, at 8: 12 minutes.
        person("P6", Role::UnpaidCarer, true),
        Event::ParticipantArrived {
            participant: "P6".into(),
            at: t(8),
        },
    ]);
    let inv = involvement(&session(e));
    let of = |p: &str| inv.iter().find(|i| i.participant.as_str() == p).unwrap();
    assert_eq!(of("P1").millis(), 20 * 60_000);
    assert_eq!(of("P2").millis(), 10 * 60_000);
    assert_eq!(of("P2").hours(), "0.17"); // 10/60 = 0.1667
    assert_eq!(of("P6").millis(), 12 * 60_000);
    assert_eq!(of("P6").spans.len(), 1);
    // P4 did not consent: not listed.
    assert!(inv.iter().all(|i| i.participant.as_str() != "P4"));
}

/// Three sessions in which staff say 3 of 4, then 2 of 4, then 1 of 4
/// statements; P3 (staff) does not come to the third.
fn drifting(n: usize) -> Session {
    let mut e = vec![
        created(&format!("Session {n}"), n as i64),
        person("P1", Role::ServiceUser, true),
        person("P3", Role::Staff, true),
        person("P4", Role::Staff, true),
        stage("S1", 10),
        Event::StageStarted {
            stage: "S1".into(),
            at: t(n as i64 * 1440),
        },
    ];
    for i in 0..4 {
        let who = if i < 3 - n { "P4" } else { "P1" };
        e.push(say(
            &format!("st{i}"),
            who,
            "S1",
            "words here",
            n as i64 * 1440 + 1,
        ));
    }
    if n == 2 {
        e.push(Event::ParticipantLeft {
            participant: "P3".into(),
            at: t(n as i64 * 1440),
        });
    }
    e.push(Event::StageEnded {
        stage: "S1".into(),
        at: t(n as i64 * 1440 + 10),
    });
    session(e)
}

#[test]
fn a_programme_shows_staffs_share_of_voice_falling_session_by_session() {
    let (a, b, c) = (drifting(0), drifting(1), drifting(2));
    // Given out of order: the programme orders by date.
    let rows = programme(&[("c".into(), &c), ("a".into(), &a), ("b".into(), &b)]);
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    // Staff (index 2): 3/4, 2/4, 1/4.
    let staff: Vec<Option<i64>> = rows.iter().map(|r| share_of(&r.voice, 2)).collect();
    assert_eq!(staff, [Some(75), Some(50), Some(25)]);
    // Retention: all 3 of session a came to b; 2 of 3 came to c.
    // By role group: service users 1 of 1, staff 2 of 2 then 1 of 2.
    assert_eq!(rows[0].retained, None);
    assert_eq!(rows[1].retained, Some([(1, 1), (0, 0), (2, 2), (0, 0)]));
    assert_eq!(rows[2].retained, Some([(1, 1), (0, 0), (1, 2), (0, 0)]));
    assert_eq!(rows[2].retained_total(), Some((2, 3)));
    assert_eq!(rows[2].present, [1, 0, 1, 0]);
}

#[test]
fn docs_carry_every_definition_word_for_word_and_every_csv_key() {
    use roundtable::domain::measures::Family;
    let docs = std::fs::read_to_string("docs/measures.md").unwrap();
    for f in Family::ALL {
        assert!(
            docs.contains(&format!("## {}\n\n{}\n", f.title(), f.definition())),
            "docs/measures.md lacks the definition of {}",
            f.title()
        );
        assert!(
            f.definition().contains("not"),
            "{} says what it does not show",
            f.title()
        );
    }
    for m in Measure::ALL {
        assert!(
            docs.contains(&format!("| `{}` |", m.key())),
            "docs/measures.md lacks {}",
            m.key()
        );
    }
}

#[test]
fn a_group_of_one_who_did_not_consent_is_never_shown_on_its_own() {
    use Agreement::*;
    // P1 service user and P2 carer consented; P3 is the only staff member
    // and did not consent.
    let s = session(vec![
        created("Small", 0),
        person("P1", Role::ServiceUser, true),
        person("P2", Role::UnpaidCarer, true),
        person("P3", Role::Staff, false),
        stage("S1", 10),
        Event::StageStarted {
            stage: "S1".into(),
            at: t(0),
        },
        say("st1", "P1", "S1", "one two", 1),
        say("st2", "P3", "S1", "three", 2),
        round("v1", VoteMethod::AgreeDisagree),
        ballot("v1", "P1", Choice::Agreement(Agree)),
        ballot("v1", "P2", Choice::Agreement(Agree)),
        ballot("v1", "P3", Choice::Agreement(Disagree)),
    ]);
    let fs = measures(&s);
    // No staff figure at all: staff's voice, vote and the distance between
    // lived experience and staff would each be P3's own.
    assert!(
        !fs.iter().any(|f| f.subject == "staff"),
        "{:#?}",
        fs.iter()
            .filter(|f| f.subject == "staff")
            .collect::<Vec<_>>()
    );
    assert!(!fs.iter().any(|f| f.measure == Measure::Divergence));
    // The whole session's totals still count st2 (2 statements), and say a
    // group is left out.
    let su = find(
        &fs,
        Measure::VoiceStatements,
        "whole session",
        "service users",
    );
    assert_eq!((su.count, su.of), (1, Some(2)));
    let group = find(
        &fs,
        Measure::VoiceStatements,
        "whole session",
        "whole group",
    );
    assert!(group.note.contains("not shown"), "{}", group.note);
    // Service users and carers each have one consenting member: shown.
    let by = find(&fs, Measure::RoundByGroup, "v1", "carers");
    assert_eq!(by.value, "agree 1 · disagree 0 · pass 0");
}

/// A researcher's words counted as the participants' voice (the workshop's
/// "others 46%" held the researcher's three case summaries): researchers,
/// facilitators and presenters speak outside the voice shares, the
/// projector's voice line and the influence measures (issue 32, item 9).
#[test]
fn a_researchers_words_are_not_the_participants_voice() {
    let mut events = voices();
    events.extend([
        person("R1", Role::Researcher, true),
        person("F1", Role::Facilitator, true),
        say(
            "st20",
            "R1",
            "S2",
            "Case one found waiting was the barrier",
            31,
        ),
        say("st21", "R1", "S2", "Case two found the same for carers", 32),
        say("st22", "F1", "S2", "Let us take these one at a time", 33),
    ]);
    let plain = session(voices());
    let with = session(events);
    assert_eq!(with.voices, plain.voices, "the voice line counts the same");
    let (a, b) = (measures(&plain), measures(&with));
    let w = "whole session";
    for voice in ["service users", "carers", "staff", "others", "whole group"] {
        let (x, y) = (
            find(&a, Measure::VoiceStatements, w, voice),
            find(&b, Measure::VoiceStatements, w, voice),
        );
        assert_eq!(
            (x.count, x.of, &x.value),
            (y.count, y.of, &y.value),
            "{voice}"
        );
    }
}

/// A session on `day` with these people in the room for one stage.
fn met(title: &str, day: i64, people: Vec<Event>) -> Session {
    let start = day * 24 * 60;
    let mut events = vec![created(title, day), stage("S1", 10)];
    events.extend(people);
    events.push(Event::StageStarted {
        stage: "S1".into(),
        at: t(start + 1),
    });
    events.push(Event::StageEnded {
        stage: "S1".into(),
        at: t(start + 11),
    });
    session(events)
}

fn registered(id: &str, role: Role, reg: &str) -> Event {
    Event::ParticipantAdded {
        participant: Participant {
            id: id.into(),
            role,
            sector: None,
            level: None,
            real_name: None,
            consent: true,
            person: Some(reg.into()),
            attributes: Default::default(),
        },
    }
}

/// Across cases a pseudonym is not a person (issue 32, item 3): case 1's
/// volunteer and community representative were counted as case 2's staff
/// "coming back" because all four were P1 and P2. A person is followed by
/// their register id, or without one by pseudonym and role together.
#[test]
fn came_back_follows_people_by_the_register_never_by_pseudonym_alone() {
    let case1 = met(
        "Case 1",
        0,
        vec![
            person("P1", Role::Volunteer, true),
            person("P2", Role::CommunityRepresentative, true),
        ],
    );
    let case2 = met(
        "Case 2",
        7,
        vec![
            person("P1", Role::Staff, true),
            person("P2", Role::Staff, true),
        ],
    );
    let rows = programme(&[("one".into(), &case1), ("two".into(), &case2)]);
    // Others (volunteer, community representative): 2 there before, none
    // of them came back; nobody else was there before.
    assert_eq!(rows[1].retained, Some([(0, 0), (0, 0), (0, 0), (0, 2)]));
    assert_eq!(rows[1].unregistered, 2);
    // With a register: CR01 (P1 in case 1) is P5 in case 3, in another
    // role; CR02 did not come.
    let case1 = met(
        "Case 1",
        0,
        vec![
            registered("P1", Role::Volunteer, "CR01"),
            registered("P2", Role::CommunityRepresentative, "CR02"),
        ],
    );
    let case3 = met(
        "Case 3",
        14,
        vec![
            registered("P5", Role::Staff, "CR01"),
            registered("P1", Role::Volunteer, "CR09"),
        ],
    );
    let rows = programme(&[("one".into(), &case1), ("three".into(), &case3)]);
    assert_eq!(rows[1].retained_total(), Some((1, 2)));
    assert_eq!(rows[1].unregistered, 0);
    let said = roundtable::export::measures::who_came_back(&rows);
    assert!(
        said.contains("counted by each person's register id")
            && said.contains("In more than one session, by the register: 1 person: CR01 (2)."),
        "{said}"
    );
    // One person is one place in the register of a session.
    let mut s = met("Case 4", 21, vec![registered("P1", Role::Staff, "CR01")]);
    let again = s.apply(&registered("P2", Role::Staff, "CR01"));
    assert!(
        again
            .as_ref()
            .is_err_and(|e| e.to_string().contains("CR01 in the register is already P1")),
        "{again:?}"
    );
}

/// Issue 33, item 1: in an all-staff room, divergence between service
/// users and carers and staff measures nothing; by sector it compares every
/// two sectors (worked by hand: NHS 1/3/5 dots against Local Authority
/// 3/5/1 is half of 2/9 + 2/9 + 4/9, 0.44), and voice is by sector.
#[test]
fn divergence_and_voice_by_sector_in_an_all_staff_room() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::grid::grid_session(tmp.path());
    let s = roundtable::store::open_read_only(&dir).unwrap().session;
    let by_role = roundtable::domain::measures::measures(&s);
    assert!(
        !by_role.iter().any(|f| f.measure == Measure::Divergence),
        "nine staff: nothing to compare by role group"
    );
    let by_sector = roundtable::domain::measures::measures_by(&s, Breakdown::Sector);
    let divergence = |subject: &str| {
        by_sector
            .iter()
            .find(|f| f.measure == Measure::Divergence && f.subject == subject)
            .map(|f| f.value.clone())
            .unwrap_or_else(|| panic!("no {subject}"))
    };
    assert_eq!(divergence("NHS vs Local Authority"), "0.44");
    // VCSE 3/2/4 against NHS 1/3/5: half of 2/9 + 1/9 + 1/9 = 0.22.
    assert_eq!(divergence("NHS vs VCSE"), "0.22");
    let voice: Vec<(String, String)> = by_sector
        .iter()
        .filter(|f| f.measure == Measure::VoiceStatements && f.scope == "whole session")
        .map(|f| (f.subject.clone(), f.value.clone()))
        .collect();
    assert_eq!(
        voice,
        [
            ("NHS".to_owned(), "33%".to_owned()),
            ("Local Authority".to_owned(), "42%".to_owned()),
            ("VCSE".to_owned(), "25%".to_owned()),
            ("whole group".to_owned(), "0%".to_owned()),
        ]
    );
}
