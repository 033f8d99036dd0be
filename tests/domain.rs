//! Domain rules: every event applied, and every rejection explained.

mod common;
use roundtable::domain::ConceptPart;
use roundtable::domain::agenda::StageState;
use roundtable::domain::*;

fn t(min: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_773_482_400_000 + min * 60_000)
}

fn created() -> Event {
    Event::SessionCreated {
        title: "Test".into(),
        focus: "What matters?".into(),
        facilitator: "Sam".into(),
        created: t(0),
        template: None,
    }
}

fn participant(id: &str, role: Role) -> Event {
    Event::ParticipantAdded {
        participant: Participant::consenting(id, role),
    }
}

fn stage(id: &str) -> Event {
    Event::StageAdded {
        id: id.into(),
        kind: StageKind::Discuss,
        title: format!("Stage {id}"),
        prompt: "Talk".into(),
        planned_secs: 600,
    }
}

fn say(id: &str, who: &str, text: &str) -> Event {
    Event::StatementAdded {
        id: id.into(),
        kind: StatementKind::Quote,
        speaker: if who == "group" {
            Speaker::Group
        } else {
            Speaker::Participant(who.into())
        },
        stage: Some("S1".into()),
        text: text.into(),
        tags: vec!["barrier".into()],
        captured_by: "note-taker".into(),
        at: t(1),
    }
}

fn concept(id: &str, name: &str) -> Event {
    Event::ConceptCreated {
        id: id.into(),
        name: name.into(),
        description: String::new(),
    }
}

fn open_round(id: &str, target: VoteTarget, method: VoteMethod, mode: BallotMode) -> Event {
    Event::VoteOpened {
        id: id.into(),
        target,
        question: "Agree?".into(),
        method,
        mode,
        hidden: true,
        named: false,
        stage: None,
        at: t(2),
    }
}

/// A session with two participants, two stages, three statements and two concepts.
fn base() -> Session {
    let mut s = Session::default();
    for e in [
        created(),
        participant("P1", Role::ServiceUser),
        participant("P2", Role::UnpaidCarer),
        participant("P3", Role::Staff),
        stage("S1"),
        stage("S2"),
        say("st1", "P1", "Nobody told me."),
        say("st2", "P2", "I found out by voicemail."),
        say("st3", "group", "Being told early matters."),
        concept("c1", "Finding out too late"),
        concept("c2", "Carers as partners"),
    ] {
        s.apply(&e).unwrap_or_else(|err| panic!("{e:?}: {err}"));
    }
    s
}

fn ok(s: &mut Session, e: Event) {
    s.apply(&e)
        .unwrap_or_else(|err| panic!("{e:?} rejected: {err}"));
}

/// Applies `e`, expects a rejection mentioning `words`, and checks the
/// session did not change.
fn rejects(s: &mut Session, e: Event, words: &str) {
    let before = s.clone();
    match s.apply(&e) {
        Ok(()) => panic!("{e:?} was accepted; expected an error about `{words}`"),
        Err(err) => {
            let msg = err.to_string();
            assert!(
                msg.contains(words),
                "error `{msg}` does not mention `{words}`"
            );
        }
    }
    assert_eq!(*s, before, "a rejected event changed the session");
}

#[test]
fn session_created_comes_first_and_once() {
    let mut s = Session::default();
    rejects(&mut s, stage("S1"), "not been created");
    let mut blank = created();
    if let Event::SessionCreated { focus, .. } = &mut blank {
        focus.clear();
    }
    rejects(&mut s, blank, "focus must not be empty");
    ok(&mut s, created());
    assert_eq!(s.title(), "Test");
    assert_eq!(s.focus(), "What matters?");
    rejects(&mut s, created(), "already exists");
}

#[test]
fn participants_and_consent() {
    let mut s = base();
    rejects(&mut s, participant("P1", Role::Staff), "already exists");
    rejects(
        &mut s,
        participant("P 9", Role::Staff),
        "not a usable participant id",
    );
    rejects(
        &mut s,
        participant("", Role::Staff),
        "not a usable participant id",
    );
    ok(&mut s, participant("P9", Role::Volunteer));
    assert_eq!(s.participants["P9"].role, Role::Volunteer);
    ok(
        &mut s,
        Event::ConsentChanged {
            participant: "P9".into(),
            consent: false,
        },
    );
    assert!(!s.participants["P9"].consent);
    rejects(
        &mut s,
        Event::ConsentChanged {
            participant: "P42".into(),
            consent: true,
        },
        "no participant `P42`",
    );
}

#[test]
fn stages_run_pause_adjust_and_end() {
    let mut s = base();
    rejects(&mut s, stage("S1"), "already exists");
    let mut zero = stage("S3");
    if let Event::StageAdded { planned_secs, .. } = &mut zero {
        *planned_secs = 0;
    }
    rejects(&mut s, zero, "between 1 second and 8 hours");
    rejects(
        &mut s,
        Event::StagePaused {
            stage: "S1".into(),
            at: t(1),
        },
        "not running",
    );
    rejects(
        &mut s,
        Event::StageEnded {
            stage: "S1".into(),
            at: t(1),
        },
        "has not started",
    );
    rejects(
        &mut s,
        Event::StageStarted {
            stage: "S9".into(),
            at: t(1),
        },
        "no stage `S9`",
    );
    ok(
        &mut s,
        Event::StageStarted {
            stage: "S1".into(),
            at: t(0),
        },
    );
    assert_eq!(s.current_stage().map(|x| x.id.as_str()), Some("S1"));
    assert_eq!(s.next_stage().map(|x| x.id.as_str()), Some("S2"));
    rejects(
        &mut s,
        Event::StageStarted {
            stage: "S1".into(),
            at: t(1),
        },
        "already under way",
    );
    rejects(
        &mut s,
        Event::StageStarted {
            stage: "S2".into(),
            at: t(1),
        },
        "while stage `S1` is under way",
    );
    rejects(
        &mut s,
        Event::StageResumed {
            stage: "S1".into(),
            at: t(1),
        },
        "not paused",
    );
    ok(
        &mut s,
        Event::StagePaused {
            stage: "S1".into(),
            at: t(4),
        },
    );
    assert_eq!(s.stages["S1"].state(), StageState::Paused);
    rejects(
        &mut s,
        Event::StagePaused {
            stage: "S1".into(),
            at: t(4),
        },
        "already paused",
    );
    rejects(
        &mut s,
        Event::StageResumed {
            stage: "S1".into(),
            at: t(3),
        },
        "before the moment it was paused",
    );
    ok(
        &mut s,
        Event::StageResumed {
            stage: "S1".into(),
            at: t(6),
        },
    );
    ok(
        &mut s,
        Event::StageAdjusted {
            stage: "S1".into(),
            by_secs: 300,
            at: t(6),
        },
    );
    ok(
        &mut s,
        Event::StageAdjusted {
            stage: "S1".into(),
            by_secs: -60,
            at: t(6),
        },
    );
    rejects(
        &mut s,
        Event::StageAdjusted {
            stage: "S1".into(),
            by_secs: -100_000,
            at: t(6),
        },
        "below no time",
    );
    rejects(
        &mut s,
        Event::StageAdjusted {
            stage: "S1".into(),
            by_secs: 9 * 3600,
            at: t(6),
        },
        "beyond 8 hours",
    );
    // 10 planned + 5 - 1 = 14 minutes allowed; 7 minutes on the clock at t(9) (2 paused).
    let st = &s.stages["S1"];
    assert_eq!(st.allowed_secs(), 14 * 60);
    assert_eq!(st.elapsed_millis(t(9)), 7 * 60_000);
    assert_eq!(st.remaining_millis(t(9)), 7 * 60_000);
    assert_eq!(
        st.remaining_millis(t(20)),
        -4 * 60_000,
        "over time is negative"
    );
    rejects(
        &mut s,
        Event::StageEnded {
            stage: "S1".into(),
            at: t(-5),
        },
        "before the moment it started",
    );
    ok(
        &mut s,
        Event::StageEnded {
            stage: "S1".into(),
            at: t(12),
        },
    );
    assert_eq!(s.stages["S1"].state(), StageState::Ended);
    assert_eq!(
        s.stages["S1"].elapsed_millis(t(99)),
        10 * 60_000,
        "an ended stage's clock stops"
    );
    rejects(
        &mut s,
        Event::StageStarted {
            stage: "S1".into(),
            at: t(13),
        },
        "already finished",
    );
    rejects(
        &mut s,
        Event::StageEnded {
            stage: "S1".into(),
            at: t(13),
        },
        "already ended",
    );
    rejects(
        &mut s,
        Event::StageAdjusted {
            stage: "S1".into(),
            by_secs: 60,
            at: t(13),
        },
        "has finished",
    );
    ok(
        &mut s,
        Event::StageStarted {
            stage: "S2".into(),
            at: t(13),
        },
    );
}

#[test]
fn ending_a_paused_stage_closes_the_pause() {
    let mut s = base();
    ok(
        &mut s,
        Event::StageStarted {
            stage: "S1".into(),
            at: t(0),
        },
    );
    ok(
        &mut s,
        Event::StagePaused {
            stage: "S1".into(),
            at: t(2),
        },
    );
    ok(
        &mut s,
        Event::StageEnded {
            stage: "S1".into(),
            at: t(5),
        },
    );
    assert_eq!(s.stages["S1"].elapsed_millis(t(50)), 2 * 60_000);
}

#[test]
fn statements_are_added_amended_and_retracted_never_overwritten() {
    let mut s = base();
    rejects(&mut s, say("st1", "P1", "again"), "already exists");
    rejects(&mut s, say("st9", "P7", "hello"), "no participant `P7`");
    rejects(
        &mut s,
        say("st9", "P1", "   "),
        "statement must not be empty",
    );
    rejects(&mut s, say("st9", "P1", &"x".repeat(10_001)), "too long");
    let mut bad_stage = say("st9", "P1", "hi");
    if let Event::StatementAdded { stage, .. } = &mut bad_stage {
        *stage = Some("S7".into());
    }
    rejects(&mut s, bad_stage, "no stage `S7`");
    let mut bad_tag = say("st9", "P1", "hi");
    if let Event::StatementAdded { tags, .. } = &mut bad_tag {
        *tags = vec!["two words".into()];
    }
    rejects(&mut s, bad_tag, "tag `two words`");
    let amend = |text: &str| Event::StatementAmended {
        statement: "st1".into(),
        kind: StatementKind::Paraphrase,
        speaker: Speaker::Participant("P1".into()),
        text: text.into(),
        tags: vec!["enabler".into()],
        reason: Some("speaker corrected it".into()),
        by: "note-taker".into(),
        at: t(3),
    };
    ok(&mut s, amend("Nobody told me until the day."));
    let st = &s.statements["st1"];
    assert_eq!(st.original.text, "Nobody told me.");
    assert_eq!(st.current().text, "Nobody told me until the day.");
    assert_eq!(st.current().kind, StatementKind::Paraphrase);
    assert!(st.is_amended());
    rejects(&mut s, amend(""), "must not be empty");
    let retract = |id: &str, reason: &str| Event::StatementRetracted {
        statement: id.into(),
        reason: reason.into(),
        by: "note-taker".into(),
        at: t(4),
    };
    rejects(
        &mut s,
        retract("st1", ""),
        "reason for retracting must not be empty",
    );
    rejects(&mut s, retract("st99", "x"), "no statement `st99`");
    ok(&mut s, retract("st1", "asked to remove"));
    assert!(s.statements["st1"].is_retracted());
    assert_eq!(
        s.statements["st1"].current().text,
        "Nobody told me until the day.",
        "retracted text is kept"
    );
    rejects(&mut s, retract("st1", "again"), "was retracted");
    rejects(&mut s, amend("more"), "was retracted");
}

#[test]
fn an_anonymous_round_records_role_groups_never_people() {
    let mut s = base();
    ok(
        &mut s,
        open_round(
            "v1",
            VoteTarget::Question,
            VoteMethod::Resonance,
            BallotMode::Anonymous,
        ),
    );
    let anon = |ballot: &str, group: RoleGroup, score: u8| Event::AnonymousBallotCast {
        round: "v1".into(),
        ballot: ballot.into(),
        group,
        choice: Choice::Resonance(score),
        at: t(3),
    };
    // Nobody's named ballot goes into an anonymous round, nor a tally.
    rejects(
        &mut s,
        Event::BallotCast {
            round: "v1".into(),
            participant: "P1".into(),
            choice: Choice::Resonance(4),
            at: t(3),
            recorded_by: "f".into(),
        },
        "is anonymous",
    );
    rejects(
        &mut s,
        Event::TallyRecorded {
            round: "v1".into(),
            role: None,
            counts: vec![0, 0, 0, 0, 1],
            at: t(3),
            beyond_roster: false,
        },
        "no counted tally",
    );
    ok(&mut s, anon("b7f3", RoleGroup::ServiceUsers, 2));
    // The same ballot id again replaces the earlier choice.
    ok(&mut s, anon("b7f3", RoleGroup::ServiceUsers, 5));
    ok(&mut s, anon("c01d", RoleGroup::Carers, 4));
    // base() lists one service user: a second service users' ballot is one too many.
    rejects(
        &mut s,
        anon("d9e2", RoleGroup::ServiceUsers, 1),
        "from each of the 1 service users already",
    );
    rejects(
        &mut s,
        anon("e1", RoleGroup::Staff, 9),
        "resonance must be 1 to 5",
    );
    rejects(&mut s, anon("not an id!", RoleGroup::Staff, 3), "ballot id");
    let round = &s.rounds["v1"];
    let res = s.results(round);
    assert_eq!(res.voters, 2, "two ballot ids");
    assert_eq!(res.counts, vec![0, 0, 0, 1, 1]);
    assert_eq!(
        res.by_role,
        vec![
            (
                CountedFor::Group(RoleGroup::ServiceUsers),
                vec![0, 0, 0, 0, 1]
            ),
            (CountedFor::Group(RoleGroup::Carers), vec![0, 0, 0, 1, 0]),
        ]
    );
    assert!(round.ballots.is_empty(), "no named ballot was recorded");
    // Nothing in the recorded round or its events names a participant.
    let text = ron::to_string(round).unwrap();
    for p in ["P1", "P2", "P3"] {
        assert!(!text.contains(p), "{p} appears in {text}");
    }
    // A ballot sent twice (a phone retrying) is recognised as recorded.
    assert!(s.already_has(&anon("b7f3", RoleGroup::ServiceUsers, 5)));
    assert!(!s.already_has(&anon("b7f3", RoleGroup::ServiceUsers, 3)));
    // The other way round: an ordinary round takes no anonymous ballot.
    ok(
        &mut s,
        open_round(
            "v2",
            VoteTarget::Question,
            VoteMethod::Resonance,
            BallotMode::PerParticipant,
        ),
    );
    let mut other = anon("x1", RoleGroup::Staff, 3);
    if let Event::AnonymousBallotCast { round, .. } = &mut other {
        *round = "v2".into();
    }
    rejects(&mut s, other, "is not anonymous");
}

#[test]
fn per_participant_ballots_latest_counts_and_results_by_role() {
    let mut s = base();
    rejects(
        &mut s,
        open_round(
            "v1",
            VoteTarget::Statement("st9".into()),
            VoteMethod::AgreeDisagree,
            BallotMode::PerParticipant,
        ),
        "no statement `st9`",
    );
    ok(
        &mut s,
        open_round(
            "v1",
            VoteTarget::Statement("st2".into()),
            VoteMethod::AgreeDisagree,
            BallotMode::PerParticipant,
        ),
    );
    rejects(
        &mut s,
        open_round(
            "v1",
            VoteTarget::Question,
            VoteMethod::AgreeDisagree,
            BallotMode::PerParticipant,
        ),
        "already exists",
    );
    let ballot = |p: &str, c: Choice| Event::BallotCast {
        round: "v1".into(),
        participant: p.into(),
        choice: c,
        at: t(3),
        recorded_by: "note-taker".into(),
    };
    ok(&mut s, ballot("P1", Choice::Agreement(Agreement::Disagree)));
    ok(&mut s, ballot("P1", Choice::Agreement(Agreement::Agree)));
    ok(&mut s, ballot("P2", Choice::Agreement(Agreement::Agree)));
    ok(&mut s, ballot("P3", Choice::Agreement(Agreement::Pass)));
    rejects(
        &mut s,
        ballot("P8", Choice::Agreement(Agreement::Agree)),
        "no participant `P8`",
    );
    rejects(&mut s, ballot("P1", Choice::Resonance(3)), "does not fit");
    rejects(
        &mut s,
        Event::TallyRecorded {
            round: "v1".into(),
            role: None,
            counts: vec![1, 2, 3],
            at: t(3),
            beyond_roster: false,
        },
        "takes no counted tally",
    );
    let round = &s.rounds["v1"];
    assert!(!round.results_visible(), "hidden until closed");
    let res = s.results(round);
    assert_eq!(
        res.counts,
        vec![2, 0, 1],
        "P1's later ballot replaces the earlier"
    );
    assert_eq!(res.voters, 3);
    assert_eq!(
        res.by_role,
        vec![
            (CountedFor::Role(Role::ServiceUser), vec![1, 0, 0]),
            (CountedFor::Role(Role::UnpaidCarer), vec![1, 0, 0]),
            (CountedFor::Role(Role::Staff), vec![0, 0, 1]),
        ]
    );
    assert_eq!(s.rounds["v1"].ballots.len(), 4, "every ballot is kept");
    ok(
        &mut s,
        Event::VoteClosed {
            round: "v1".into(),
            at: t(4),
        },
    );
    assert!(s.rounds["v1"].results_visible());
    rejects(
        &mut s,
        ballot("P2", Choice::Agreement(Agreement::Pass)),
        "is closed",
    );
    rejects(
        &mut s,
        Event::VoteClosed {
            round: "v1".into(),
            at: t(5),
        },
        "is closed",
    );
    rejects(
        &mut s,
        Event::VoteClosed {
            round: "v9".into(),
            at: t(5),
        },
        "no vote round `v9`",
    );
}

#[test]
fn every_method_checks_its_choices() {
    let mut s = base();
    type Case = (VoteMethod, Vec<Choice>, Vec<(Choice, &'static str)>);
    let cases: Vec<Case> = vec![
        (
            VoteMethod::Resonance,
            vec![Choice::Resonance(1), Choice::Resonance(5)],
            vec![
                (Choice::Resonance(0), "1 to 5"),
                (Choice::Resonance(6), "1 to 5"),
            ],
        ),
        (
            VoteMethod::Ladder,
            vec![Choice::Rung(0), Choice::Rung(7)],
            vec![(Choice::Rung(8), "not one of the 8 options")],
        ),
        (
            VoteMethod::SingleChoice {
                options: vec!["a".into(), "b".into()],
            },
            vec![Choice::Single(1)],
            vec![(Choice::Single(2), "not one of the 2 options")],
        ),
        (
            VoteMethod::Dots {
                options: vec!["a".into(), "b".into(), "c".into()],
                per_person: 3,
            },
            vec![Choice::Dots(vec![1, 1, 1]), Choice::Dots(vec![0, 3, 0])],
            vec![
                (Choice::Dots(vec![2, 2, 0]), "at most 3"),
                (Choice::Dots(vec![1, 1]), "for 2 options"),
            ],
        ),
    ];
    for (i, (method, good, bad)) in cases.into_iter().enumerate() {
        let id = format!("r{i}");
        ok(
            &mut s,
            open_round(
                &id,
                VoteTarget::Question,
                method,
                BallotMode::PerParticipant,
            ),
        );
        for c in good {
            ok(
                &mut s,
                Event::BallotCast {
                    round: id.as_str().into(),
                    participant: "P1".into(),
                    choice: c,
                    at: t(3),
                    recorded_by: "note-taker".into(),
                },
            );
        }
        for (c, words) in bad {
            rejects(
                &mut s,
                Event::BallotCast {
                    round: id.as_str().into(),
                    participant: "P2".into(),
                    choice: c,
                    at: t(3),
                    recorded_by: "note-taker".into(),
                },
                words,
            );
        }
    }
    rejects(
        &mut s,
        open_round(
            "x1",
            VoteTarget::Question,
            VoteMethod::SingleChoice {
                options: vec!["only".into()],
            },
            BallotMode::PerParticipant,
        ),
        "needs 2 to 20 options",
    );
    rejects(
        &mut s,
        open_round(
            "x2",
            VoteTarget::Question,
            VoteMethod::SingleChoice {
                options: vec!["a".into(), "a".into()],
            },
            BallotMode::PerParticipant,
        ),
        "listed twice",
    );
    rejects(
        &mut s,
        open_round(
            "x3",
            VoteTarget::Question,
            VoteMethod::Dots {
                options: vec!["a".into(), "b".into()],
                per_person: 0,
            },
            BallotMode::PerParticipant,
        ),
        "1 to 10 dots",
    );
}

#[test]
fn counted_tallies_replace_per_role() {
    let mut s = base();
    ok(
        &mut s,
        open_round(
            "v2",
            VoteTarget::Question,
            VoteMethod::AgreeDisagree,
            BallotMode::Counted,
        ),
    );
    // The session lists one service user, one carer and one staff member;
    // the people who came late are counted when the facilitator says so.
    let tally = |role: Option<Role>, counts: Vec<u32>| Event::TallyRecorded {
        round: "v2".into(),
        role,
        counts,
        at: t(3),
        beyond_roster: true,
    };
    let listed = |role: Option<Role>, counts: Vec<u32>| Event::TallyRecorded {
        round: "v2".into(),
        role,
        counts,
        at: t(3),
        beyond_roster: false,
    };
    rejects(
        &mut s,
        listed(Some(Role::Staff), vec![1, 1, 0]),
        "2 hands counted, but the staff group lists 1 person",
    );
    rejects(
        &mut s,
        listed(None, vec![2, 1, 1]),
        "4 hands counted, but the session lists 3 people",
    );
    ok(&mut s, listed(Some(Role::Staff), vec![0, 1, 0]));
    ok(&mut s, tally(Some(Role::Staff), vec![1, 1, 0]));
    ok(&mut s, tally(Some(Role::Staff), vec![2, 1, 0]));
    ok(&mut s, tally(Some(Role::ServiceUser), vec![3, 0, 1]));
    rejects(&mut s, tally(None, vec![1, 2]), "needs 3 counts, 2 given");
    rejects(
        &mut s,
        tally(None, vec![1, 2, 1_000_000]),
        "not a show of hands",
    );
    rejects(
        &mut s,
        Event::BallotCast {
            round: "v2".into(),
            participant: "P1".into(),
            choice: Choice::Agreement(Agreement::Agree),
            at: t(3),
            recorded_by: "note-taker".into(),
        },
        "record a tally instead",
    );
    let res = s.results(&s.rounds["v2"]);
    assert_eq!(res.counts, vec![5, 1, 1]);
    assert_eq!(res.voters, 7);
}

#[test]
fn votes_on_retracted_statements_or_unknown_interpretations_are_refused() {
    let mut s = base();
    ok(
        &mut s,
        Event::StatementRetracted {
            statement: "st1".into(),
            reason: "asked".into(),
            by: "n".into(),
            at: t(2),
        },
    );
    rejects(
        &mut s,
        open_round(
            "v1",
            VoteTarget::Statement("st1".into()),
            VoteMethod::Resonance,
            BallotMode::PerParticipant,
        ),
        "was retracted",
    );
    rejects(
        &mut s,
        open_round(
            "v1",
            VoteTarget::Interpretation("i9".into()),
            VoteMethod::Resonance,
            BallotMode::PerParticipant,
        ),
        "no interpretation `i9`",
    );
}

#[test]
fn concepts_link_unlink_rename_describe_and_merge() {
    let mut s = base();
    rejects(&mut s, concept("c1", "Other"), "already exists");
    rejects(
        &mut s,
        concept("c3", "finding out too late"),
        "already called",
    );
    rejects(&mut s, concept("c3", " "), "name must not be empty");
    let link = |c: &str, ids: &[&str]| Event::StatementsLinked {
        concept: c.into(),
        statements: ids.iter().map(|i| (*i).into()).collect(),
    };
    let unlink = |c: &str, ids: &[&str]| Event::StatementsUnlinked {
        concept: c.into(),
        statements: ids.iter().map(|i| (*i).into()).collect(),
    };
    ok(&mut s, link("c1", &["st1", "st3"]));
    ok(&mut s, link("c1", &["st1"]));
    assert_eq!(
        s.concepts["c1"].statements.len(),
        2,
        "linking twice adds nothing"
    );
    rejects(&mut s, link("c1", &["st9"]), "no statement `st9`");
    rejects(&mut s, link("c9", &["st1"]), "no concept `c9`");
    rejects(&mut s, link("c1", &[]), "must not be empty");
    rejects(&mut s, unlink("c1", &["st2"]), "not linked");
    ok(&mut s, unlink("c1", &["st3"]));
    ok(&mut s, link("c2", &["st2", "st3"]));
    ok(
        &mut s,
        Event::ConceptRenamed {
            concept: "c2".into(),
            name: "Carers want to be asked".into(),
        },
    );
    rejects(
        &mut s,
        Event::ConceptRenamed {
            concept: "c2".into(),
            name: "Finding out too late".into(),
        },
        "already called",
    );
    ok(
        &mut s,
        Event::ConceptDescribed {
            concept: "c2".into(),
            description: "Asked, not told.".into(),
        },
    );
    assert_eq!(s.concepts["c2"].name, "Carers want to be asked");
    rejects(
        &mut s,
        Event::ConceptsMerged {
            concepts: vec!["c1".into()],
            into: "c1".into(),
        },
        "into itself",
    );
    rejects(
        &mut s,
        Event::ConceptsMerged {
            concepts: vec![],
            into: "c1".into(),
        },
        "must not be empty",
    );
    ok(
        &mut s,
        Event::ConceptsMerged {
            concepts: vec!["c2".into()],
            into: "c1".into(),
        },
    );
    assert_eq!(s.concepts["c1"].statements.len(), 3);
    assert_eq!(
        s.concepts["c2"].merged_into.as_ref().map(|c| c.as_str()),
        Some("c1")
    );
    rejects(&mut s, link("c2", &["st1"]), "was merged");
    rejects(
        &mut s,
        Event::ConceptRenamed {
            concept: "c2".into(),
            name: "x".into(),
        },
        "was merged",
    );
}

#[test]
fn translations_need_known_concepts_and_refutations_need_a_rationale() {
    let mut s = base();
    let tr = |id: &str, kind: TranslationKind, concepts: &[&str], rationale: &str| {
        Event::TranslationMade {
            id: id.into(),
            kind,
            concepts: concepts.iter().map(|c| (*c).into()).collect(),
            rationale: rationale.into(),
            at: t(5),
        }
    };
    rejects(
        &mut s,
        tr("t1", TranslationKind::Refutational, &["c1", "c9"], "why"),
        "no concept `c9`",
    );
    rejects(
        &mut s,
        tr("t1", TranslationKind::Refutational, &["c1"], "why"),
        "at least two concepts",
    );
    rejects(
        &mut s,
        tr("t1", TranslationKind::Refutational, &["c1", "c1"], "why"),
        "listed twice",
    );
    rejects(
        &mut s,
        tr("t1", TranslationKind::Refutational, &["c1", "c2"], "  "),
        "needs a rationale",
    );
    rejects(
        &mut s,
        tr(
            "t1",
            TranslationKind::Reciprocal {
                wording: String::new(),
            },
            &["c1", "c2"],
            "",
        ),
        "wording must not be empty",
    );
    rejects(
        &mut s,
        tr(
            "t1",
            TranslationKind::LineOfArgument {
                argument: String::new(),
                stages: vec![],
            },
            &["c1", "c2"],
            "",
        ),
        "line of argument must not be empty",
    );
    ok(
        &mut s,
        tr(
            "t1",
            TranslationKind::Refutational,
            &["c1", "c2"],
            "They contradict.",
        ),
    );
    ok(
        &mut s,
        tr(
            "t2",
            TranslationKind::Reciprocal {
                wording: "Timely word".into(),
            },
            &["c1", "c2"],
            "",
        ),
    );
    ok(
        &mut s,
        tr(
            "t3",
            TranslationKind::LineOfArgument {
                argument: "Together…".into(),
                stages: vec![],
            },
            &["c2", "c1"],
            "",
        ),
    );
    assert_eq!(
        s.translations["t3"].concepts[0].as_str(),
        "c2",
        "a line of argument keeps its order"
    );
    rejects(
        &mut s,
        tr("t1", TranslationKind::Refutational, &["c1", "c2"], "x"),
        "already exists",
    );
}

#[test]
fn interpretations_rest_on_concepts_and_are_settled_by_closed_rounds() {
    let mut s = base();
    let draft = |id: &str, concepts: &[&str], statements: &[&str]| Event::InterpretationDrafted {
        id: id.into(),
        text: "Asking the carer first makes leaving hospital go well.".into(),
        translations: vec![],
        concepts: concepts.iter().map(|c| (*c).into()).collect(),
        statements: statements.iter().map(|c| (*c).into()).collect(),
        at: t(6),
    };
    rejects(&mut s, draft("i1", &[], &["st1"]), "at least one concept");
    rejects(&mut s, draft("i1", &["c9"], &[]), "no concept `c9`");
    rejects(&mut s, draft("i1", &["c1"], &["st9"]), "no statement `st9`");
    rejects(
        &mut s,
        Event::InterpretationDrafted {
            id: "i1".into(),
            text: "x".into(),
            translations: vec!["t9".into()],
            concepts: vec!["c1".into()],
            statements: vec![],
            at: t(6),
        },
        "no translation `t9`",
    );
    ok(&mut s, draft("i1", &["c1", "c2"], &["st1"]));
    assert_eq!(s.interpretations["i1"].status, InterpretationStatus::Draft);
    ok(
        &mut s,
        Event::InterpretationRevised {
            interpretation: "i1".into(),
            text: "Revised.".into(),
            at: t(7),
        },
    );
    assert_eq!(s.interpretations["i1"].text(), "Revised.");
    assert_eq!(
        s.interpretations["i1"].texts.len(),
        2,
        "earlier wording kept"
    );
    rejects(
        &mut s,
        Event::InterpretationRevised {
            interpretation: "i9".into(),
            text: "x".into(),
            at: t(7),
        },
        "no interpretation `i9`",
    );
    let status = |st: InterpretationStatus, reason: &str, round: Option<&str>| {
        Event::InterpretationStatusChanged {
            interpretation: "i1".into(),
            status: st,
            reason: reason.into(),
            round: round.map(RoundId::from),
            at: t(8),
        }
    };
    ok(&mut s, status(InterpretationStatus::Proposed, "", None));
    ok(
        &mut s,
        open_round(
            "v1",
            VoteTarget::Interpretation("i1".into()),
            VoteMethod::AgreeDisagree,
            BallotMode::PerParticipant,
        ),
    );
    ok(
        &mut s,
        open_round(
            "v2",
            VoteTarget::Question,
            VoteMethod::AgreeDisagree,
            BallotMode::PerParticipant,
        ),
    );
    rejects(
        &mut s,
        status(InterpretationStatus::Agreed, "", Some("v1")),
        "reason for the decision must not be empty",
    );
    rejects(
        &mut s,
        status(InterpretationStatus::Agreed, "most agreed", Some("v1")),
        "still open",
    );
    rejects(
        &mut s,
        status(InterpretationStatus::Agreed, "most agreed", Some("v2")),
        "was not a vote on interpretation `i1`",
    );
    rejects(
        &mut s,
        status(InterpretationStatus::Agreed, "most agreed", Some("v9")),
        "no vote round `v9`",
    );
    ok(
        &mut s,
        Event::VoteClosed {
            round: "v1".into(),
            at: t(9),
        },
    );
    ok(
        &mut s,
        status(InterpretationStatus::Agreed, "most agreed", Some("v1")),
    );
    let i = &s.interpretations["i1"];
    assert_eq!(i.status, InterpretationStatus::Agreed);
    assert_eq!(i.history.len(), 2);
    assert_eq!(i.history[1].round.as_ref().map(|r| r.as_str()), Some("v1"));
}

#[test]
fn memos_are_kept_with_their_stage() {
    let mut s = base();
    let memo = |id: &str, text: &str, stage: Option<&str>| Event::MemoAdded {
        id: id.into(),
        kind: MemoKind::Reflexive,
        text: text.into(),
        stage: stage.map(StageId::from),
        by: "facilitator".into(),
        at: t(3),
    };
    ok(&mut s, memo("m1", "I steered that.", Some("S1")));
    rejects(&mut s, memo("m1", "again", None), "already exists");
    rejects(&mut s, memo("m2", "", None), "memo must not be empty");
    rejects(&mut s, memo("m2", "x", Some("S8")), "no stage `S8`");
    assert_eq!(s.memos["m1"].kind, MemoKind::Reflexive);
    assert_eq!(s.applied, 12);
}

#[test]
fn the_remaining_rejections() {
    let mut s = base();
    let mut long_name = participant("P8", Role::Other);
    if let Event::ParticipantAdded { participant } = &mut long_name {
        participant.real_name = Some("n".repeat(501));
    }
    rejects(&mut s, long_name, "real name is too long");
    let mut bad_id = say("st 4", "P1", "x");
    if let Event::StatementAdded { captured_by, .. } = &mut bad_id {
        *captured_by = "n".into();
    }
    rejects(&mut s, bad_id, "not a usable statement id");
    let mut nobody = say("st4", "P1", "x");
    if let Event::StatementAdded { captured_by, .. } = &mut nobody {
        captured_by.clear();
    }
    rejects(&mut s, nobody, "who captured it must not be empty");
    let mut too_many = say("st4", "P1", "x");
    if let Event::StatementAdded { tags, .. } = &mut too_many {
        *tags = (0..21).map(|i| format!("t{i}")).collect();
    }
    rejects(&mut s, too_many, "21 tags given");
    // A paused stage still blocks starting another.
    ok(
        &mut s,
        Event::StageStarted {
            stage: "S1".into(),
            at: t(0),
        },
    );
    ok(
        &mut s,
        Event::StagePaused {
            stage: "S1".into(),
            at: t(1),
        },
    );
    rejects(
        &mut s,
        Event::StageStarted {
            stage: "S2".into(),
            at: t(2),
        },
        "while stage `S1` is under way",
    );
    rejects(
        &mut s,
        Event::StageAdjusted {
            stage: "S9".into(),
            by_secs: 1,
            at: t(2),
        },
        "no stage `S9`",
    );
    let mut no_question = open_round(
        "v1",
        VoteTarget::Question,
        VoteMethod::Resonance,
        BallotMode::PerParticipant,
    );
    if let Event::VoteOpened { question, .. } = &mut no_question {
        question.clear();
    }
    rejects(&mut s, no_question, "question must not be empty");
    let mut bad_stage = open_round(
        "v1",
        VoteTarget::Question,
        VoteMethod::Resonance,
        BallotMode::PerParticipant,
    );
    if let Event::VoteOpened { stage, .. } = &mut bad_stage {
        *stage = Some("S9".into());
    }
    rejects(&mut s, bad_stage, "no stage `S9`");
    rejects(
        &mut s,
        open_round(
            "v1",
            VoteTarget::Question,
            VoteMethod::Dots {
                options: vec!["a".into(), "b".into()],
                per_person: 11,
            },
            BallotMode::PerParticipant,
        ),
        "1 to 10 dots",
    );
    ok(
        &mut s,
        open_round(
            "v1",
            VoteTarget::Question,
            VoteMethod::Resonance,
            BallotMode::Counted,
        ),
    );
    ok(
        &mut s,
        Event::VoteClosed {
            round: "v1".into(),
            at: t(3),
        },
    );
    rejects(
        &mut s,
        Event::TallyRecorded {
            round: "v1".into(),
            role: None,
            counts: vec![0; 5],
            at: t(3),
            beyond_roster: false,
        },
        "is closed",
    );
    rejects(
        &mut s,
        Event::TallyRecorded {
            round: "v7".into(),
            role: None,
            counts: vec![0; 5],
            at: t(3),
            beyond_roster: false,
        },
        "no vote round `v7`",
    );
    rejects(
        &mut s,
        Event::ConceptDescribed {
            concept: "c1".into(),
            description: "d".repeat(10_001),
        },
        "description is too long",
    );
    rejects(
        &mut s,
        Event::ConceptDescribed {
            concept: "c7".into(),
            description: "d".into(),
        },
        "no concept `c7`",
    );
    rejects(
        &mut s,
        Event::StatementsUnlinked {
            concept: "c1".into(),
            statements: vec![],
        },
        "must not be empty",
    );
    rejects(
        &mut s,
        Event::ConceptsMerged {
            concepts: vec!["c2".into(), "c2".into()],
            into: "c1".into(),
        },
        "listed twice",
    );
    rejects(
        &mut s,
        Event::ConceptsMerged {
            concepts: vec!["c8".into()],
            into: "c1".into(),
        },
        "no concept `c8`",
    );
    rejects(
        &mut s,
        Event::ConceptsMerged {
            concepts: vec!["c1".into()],
            into: "c8".into(),
        },
        "no concept `c8`",
    );
    rejects(
        &mut s,
        Event::InterpretationDrafted {
            id: "i1".into(),
            text: " ".into(),
            translations: vec![],
            concepts: vec!["c1".into()],
            statements: vec![],
            at: t(4),
        },
        "interpretation must not be empty",
    );
    ok(
        &mut s,
        Event::InterpretationDrafted {
            id: "i1".into(),
            text: "x".into(),
            translations: vec![],
            concepts: vec!["c1".into()],
            statements: vec![],
            at: t(4),
        },
    );
    rejects(
        &mut s,
        Event::InterpretationDrafted {
            id: "i1".into(),
            text: "y".into(),
            translations: vec![],
            concepts: vec!["c1".into()],
            statements: vec![],
            at: t(4),
        },
        "already exists",
    );
    rejects(
        &mut s,
        Event::InterpretationStatusChanged {
            interpretation: "i1".into(),
            status: InterpretationStatus::Proposed,
            reason: "r".repeat(501),
            round: None,
            at: t(5),
        },
        "reason is too long",
    );
    rejects(
        &mut s,
        Event::InterpretationStatusChanged {
            interpretation: "i4".into(),
            status: InterpretationStatus::Proposed,
            reason: String::new(),
            round: None,
            at: t(5),
        },
        "no interpretation `i4`",
    );
    rejects(
        &mut s,
        Event::MemoAdded {
            id: "m1".into(),
            kind: MemoKind::Process,
            text: "x".into(),
            stage: None,
            by: " ".into(),
            at: t(5),
        },
        "memo's author must not be empty",
    );
}

#[test]
fn a_concept_splits_into_new_ones_that_take_some_of_its_statements() {
    let mut s = base();
    ok(
        &mut s,
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["st1".into(), "st2".into(), "st3".into()],
        },
    );
    let part = |id: &str, name: &str, st: &[&str]| ConceptPart {
        id: id.into(),
        name: name.into(),
        statements: st.iter().map(|x| (*x).into()).collect(),
    };
    let split = |parts: Vec<ConceptPart>| Event::ConceptSplit {
        concept: "c1".into(),
        parts,
    };
    rejects(&mut s, split(vec![]), "must not be empty");
    rejects(
        &mut s,
        split(vec![part("c1", "x", &["st1"])]),
        "already exists",
    );
    rejects(
        &mut s,
        split(vec![part("c9", "Carers as partners", &["st1"])]),
        "already called",
    );
    rejects(
        &mut s,
        split(vec![part("c9", "Late word", &[])]),
        "takes no statements",
    );
    rejects(
        &mut s,
        split(vec![part("c9", "Late word", &["st9"])]),
        "not linked",
    );
    rejects(
        &mut s,
        split(vec![part("c8", "A", &["st1"]), part("c9", "B", &["st1"])]),
        "two new concepts",
    );
    rejects(
        &mut s,
        split(vec![part("c8", "A", &["st1"]), part("c8", "B", &["st2"])]),
        "already exists",
    );
    rejects(
        &mut s,
        split(vec![
            part("c8", "Same", &["st1"]),
            part("c9", "same", &["st2"]),
        ]),
        "both called",
    );
    ok(
        &mut s,
        split(vec![part("c8", "Told by voicemail", &["st2"])]),
    );
    assert_eq!(s.concepts["c1"].statements.len(), 2);
    assert_eq!(s.concepts["c8"].statements, vec![StatementId::from("st2")]);
    assert_eq!(s.concepts["c8"].description, "split from c1");
    ok(
        &mut s,
        Event::ConceptsMerged {
            concepts: vec!["c8".into()],
            into: "c2".into(),
        },
    );
    rejects(
        &mut s,
        Event::ConceptSplit {
            concept: "c8".into(),
            parts: vec![part("c7", "x", &["st2"])],
        },
        "was merged",
    );
}

#[test]
fn retracted_statements_are_flagged_in_provenance_not_hidden() {
    use roundtable::domain::analysis::{Accounts, grid, provenance};
    let mut s = base();
    ok(
        &mut s,
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["st1".into(), "st2".into()],
        },
    );
    ok(
        &mut s,
        Event::InterpretationDrafted {
            id: "i1".into(),
            text: "Being told late shuts carers out.".into(),
            translations: vec![],
            concepts: vec!["c1".into()],
            statements: vec!["st3".into()],
            at: t(5),
        },
    );
    ok(
        &mut s,
        Event::StatementRetracted {
            statement: "st2".into(),
            reason: "asked".into(),
            by: "n".into(),
            at: t(6),
        },
    );
    let i = &s.interpretations["i1"];
    let p = provenance(&s, i);
    let ids: Vec<&str> = p.evidence.iter().map(|e| e.statement.id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["st3", "st1", "st2"],
        "direct statements first, then through concepts; none hidden"
    );
    assert!(p.evidence[2].retracted() && !p.evidence[1].retracted());
    assert_eq!(p.flagged(), 1);
    assert!(p.evidence[0].direct && p.evidence[1].via == vec![ConceptId::from("c1")]);
    let g = grid(&s, Accounts::RoleGroups);
    assert_eq!(g.rows.len(), 2);
    let all: Vec<&str> = g.rows[0]
        .cells
        .iter()
        .flatten()
        .map(|x| x.as_str())
        .collect();
    assert_eq!(
        all,
        vec!["st1", "st2"],
        "the retracted statement stays in its cell"
    );
    let by_stage = grid(&s, Accounts::Stages);
    assert_eq!(
        by_stage.accounts.len(),
        1,
        "only the stage that has statements: {:?}",
        by_stage.accounts
    );
}

#[test]
fn a_workspace_refers_to_source_statements_by_session_and_id() {
    let mut s = Session::default();
    ok(&mut s, created());
    let source = |key: &str, session: &str, ids: &[&str]| Event::SourceAdded {
        key: key.into(),
        session: session.into(),
        title: format!("Session {session}"),
        head: "00".into(),
        statements: ids.iter().map(|i| (*i).into()).collect(),
    };
    ok(&mut s, source("A", "2026-03-14-cag", &["st1", "st2"]));
    ok(&mut s, source("B", "2026-04-02-cag", &["st1"]));
    rejects(&mut s, source("A", "other", &[]), "already exists");
    rejects(
        &mut s,
        source("C", "2026-03-14-cag", &[]),
        "already a source",
    );
    rejects(&mut s, source("a b", "x", &[]), "1-8 letters or digits");
    ok(&mut s, concept("c1", "Told too late"));
    ok(
        &mut s,
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["A.st2".into(), "B.st1".into()],
        },
    );
    rejects(
        &mut s,
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["B.st2".into()],
        },
        "no statement `B.st2`",
    );
    rejects(
        &mut s,
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["Z.st1".into()],
        },
        "no statement `Z.st1`",
    );
    rejects(
        &mut s,
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["st1".into()],
        },
        "no statement `st1`",
    );
    use roundtable::domain::analysis::{Account, Accounts, grid};
    let g = grid(&s, Accounts::Sessions);
    assert_eq!(
        g.accounts,
        vec![Account::Source("A".into()), Account::Source("B".into())]
    );
    assert_eq!(
        g.rows[0].cells,
        vec![
            vec![StatementId::from("A.st2")],
            vec![StatementId::from("B.st1")]
        ]
    );
    assert_eq!(g.accounts[1].label(&s), "B: Session 2026-04-02-cag");
}

#[test]
fn a_retracted_statement_is_marked_in_the_grid_and_not_counted() {
    use roundtable::domain::analysis::{Accounts, grid};
    let mut s = base();
    ok(&mut s, say("st9", "P1", "Nobody rang me"));
    ok(
        &mut s,
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["st1".into(), "st9".into()],
        },
    );
    ok(
        &mut s,
        Event::StatementRetracted {
            statement: "st9".into(),
            reason: "misheard".into(),
            by: "n".into(),
            at: t(5),
        },
    );
    let g = grid(&s, Accounts::RoleGroups);
    let row = &g.rows[0];
    let col = row.cells.iter().position(|c| !c.is_empty()).unwrap();
    assert_eq!(
        row.counted(col),
        1,
        "the retracted statement is not counted"
    );
    assert_eq!(row.ids(col, "✗"), vec!["st1".to_owned(), "st9✗".to_owned()]);
}

#[test]
fn a_stage_that_has_run_cannot_be_skipped_or_moved_and_nothing_moves_before_it() {
    let mut s = base();
    ok(
        &mut s,
        Event::StageStarted {
            stage: "S1".into(),
            at: t(1),
        },
    );
    rejects(
        &mut s,
        Event::StageSkipped {
            stage: "S1".into(),
            skipped: true,
            at: t(2),
        },
        "has already run",
    );
    let last = s.stages.len() as u32 - 1;
    let (last_id, _) = s.stages.get_index(last as usize).unwrap();
    let last_id = last_id.clone();
    rejects(
        &mut s,
        Event::StageMoved {
            stage: last_id.clone(),
            to: 0,
            at: t(2),
        },
        "before a stage that has already run",
    );
    rejects(
        &mut s,
        Event::StageMoved {
            stage: last_id.clone(),
            to: last + 5,
            at: t(2),
        },
        "cannot move to place",
    );
    ok(
        &mut s,
        Event::StageSkipped {
            stage: last_id.clone(),
            skipped: true,
            at: t(2),
        },
    );
    rejects(
        &mut s,
        Event::StageStarted {
            stage: last_id,
            at: t(3),
        },
        "was skipped",
    );
}

/// The concepts each statement is linked to (what the synthesis screen
/// labels its rows with) follow every link, unlink, split and merge, in the
/// concepts' own order, and never list a concept merged away.
#[test]
fn each_statements_concepts_follow_links_splits_and_merges() {
    let mut s = base();
    let concepts_of = |s: &Session, st: &str| -> Vec<String> {
        s.linked
            .get(&StatementId::from(st))
            .map(|cs| cs.iter().map(|c| c.to_string()).collect())
            .unwrap_or_default()
    };
    let link = |c: &str, ids: &[&str]| Event::StatementsLinked {
        concept: c.into(),
        statements: ids.iter().map(|i| (*i).into()).collect(),
    };
    // Linked to c2 first, then c1: listed as c1, c2 (the concepts' order).
    ok(&mut s, link("c2", &["st1", "st2"]));
    ok(&mut s, link("c1", &["st1"]));
    assert_eq!(concepts_of(&s, "st1"), ["c1", "c2"]);
    ok(
        &mut s,
        Event::StatementsUnlinked {
            concept: "c1".into(),
            statements: vec!["st1".into()],
        },
    );
    assert_eq!(concepts_of(&s, "st1"), ["c2"]);
    // st1 moves from c2 into a new concept c3; st2 stays.
    ok(
        &mut s,
        Event::ConceptSplit {
            concept: "c2".into(),
            parts: vec![roundtable::domain::event::ConceptPart {
                id: "c3".into(),
                name: "Told by letter".into(),
                statements: vec!["st1".into()],
            }],
        },
    );
    assert_eq!(concepts_of(&s, "st1"), ["c3"]);
    assert_eq!(concepts_of(&s, "st2"), ["c2"]);
    // c3 and c2 merged into c1: only c1 is listed.
    ok(
        &mut s,
        Event::ConceptsMerged {
            concepts: vec!["c3".into(), "c2".into()],
            into: "c1".into(),
        },
    );
    assert_eq!(concepts_of(&s, "st1"), ["c1"]);
    assert_eq!(concepts_of(&s, "st2"), ["c1"]);
    assert!(concepts_of(&s, "st3").is_empty());
    assert_eq!(s.linked.len(), 2);
}

/// The middle of a 4/5 split is between them (it said 4) (issue 31,
/// item 16).
#[test]
fn an_even_split_has_two_middles() {
    use roundtable::domain::vote::Results;
    let res = |counts: Vec<u32>| Results {
        options: (1..=counts.len()).map(|i| i.to_string()).collect(),
        counts,
        by_role: vec![],
        voters: 0,
    };
    assert_eq!(res(vec![0, 0, 0, 1, 1]).middle(), Some((3, Some(4))));
    assert_eq!(res(vec![0, 0, 1, 1, 1]).middle(), Some((3, None)));
    assert_eq!(res(vec![0, 2, 0, 0, 2]).middle(), Some((1, Some(4))));
    assert_eq!(res(vec![0, 0, 0]).middle(), None);
}

/// A correction to an action that does not exist is refused; one that does
/// reads back from its journal line exactly as it was written.
#[test]
fn an_action_correction_is_checked_and_reads_back() {
    let mut s = Session::default();
    let at = Timestamp::from_unix_millis(0);
    s.apply(&Event::SessionCreated {
        title: "t".into(),
        focus: "f".into(),
        facilitator: "Sam".into(),
        created: at,
        template: None,
    })
    .unwrap();
    let fix = Event::ActionCorrected {
        action: "a1".into(),
        what: "Ring carers".into(),
        who: "ward".into(),
        by_when: "June".into(),
        at,
    };
    assert!(s.apply(&fix).is_err(), "no action a1 yet");
    s.apply(&Event::ActionAdded {
        id: "a1".into(),
        what: "Ring".into(),
        who: String::new(),
        by_when: String::new(),
        from: None,
        at,
    })
    .unwrap();
    s.apply(&fix).unwrap();
    assert_eq!(s.actions["a1"].what, "Ring carers");
    let prev = "0".repeat(64);
    let (line, _) = roundtable::store::record::encode(3, &prev, at, "facilitator", &fix).unwrap();
    let back = roundtable::store::record::decode(line.trim_end().as_bytes()).unwrap();
    assert_eq!(back.event, fix);
}

/// The grid goes on the wall by role group or stage in any session; by
/// source session only in a workspace over sources: a journal that claims
/// it for a plain session is refused, and the room keeps what it showed.
#[test]
fn the_grid_on_the_wall_by_session_needs_sources() {
    use roundtable::domain::analysis::Accounts;
    let mut s = base();
    for accounts in [Accounts::RoleGroups, Accounts::Stages] {
        s.apply(&Event::RoomShows {
            view: RoomView::Grid(accounts),
            at: t(60),
        })
        .unwrap();
        assert_eq!(s.room, RoomView::Grid(accounts));
    }
    let err = s
        .apply(&Event::RoomShows {
            view: RoomView::Grid(Accounts::Sessions),
            at: t(61),
        })
        .unwrap_err();
    assert!(err.to_string().contains("workspace"), "{err}");
    assert_eq!(s.room, RoomView::Grid(Accounts::Stages));
}

/// Issue 33, item 3: a re-coding is its own event, checked like an
/// amendment's tags, and it keeps every earlier coding.
#[test]
fn a_recoding_changes_tags_and_kind_and_never_the_words() {
    let mut s = base();
    let recode = |id: &str, tags: &[&str]| Event::StatementRecoded {
        statement: id.into(),
        kind: StatementKind::Paraphrase,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        by: "note-taker".into(),
        at: t(3),
    };
    rejects(&mut s, recode("st99", &["x"]), "no statement `st99`");
    rejects(&mut s, recode("st1", &["two words"]), "tag `two words`");
    ok(&mut s, recode("st1", &["barrier", "tdf/knowledge"]));
    let st = &s.statements["st1"];
    assert!(!st.is_amended());
    assert_eq!(st.current().text, "Nobody told me.");
    assert_eq!(st.current().tags, vec!["barrier", "tdf/knowledge"]);
    assert_eq!(st.codings().count(), 2);
    assert!(
        roundtable::domain::describe::with_words(&recode("st1", &["barrier"]), Some(&s))
            .contains("st1 re-coded"),
    );
}

/// Issue 33, item 1: a round, the grid and the filters break down by
/// sector and level, not only by role group (nine staff all landed in
/// `staff`); worked by hand from the 3×3 grid session.
#[test]
fn votes_and_the_grid_break_down_by_sector_and_level() {
    use roundtable::domain::analysis::{Accounts, grid};
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::grid::grid_session(tmp.path());
    let s = roundtable::store::open_read_only(&dir).unwrap().session;
    let round = &s.rounds["v1"];
    let (by_sector, unplaced) = s.results_by(round, Breakdown::Sector);
    assert_eq!(
        by_sector,
        [
            ("NHS", vec![1, 3, 5]),
            ("Local Authority", vec![3, 5, 1]),
            ("VCSE", vec![3, 2, 4]),
            ("no sector", vec![0, 0, 0]),
        ]
    );
    assert_eq!(unplaced, None);
    let (by_level, _) = s.results_by(round, Breakdown::Level);
    assert_eq!(
        by_level[..3],
        [
            ("strategic", vec![2, 1, 6]),
            ("operational", vec![1, 4, 4]),
            ("front line", vec![4, 5, 0]),
        ]
    );
    let (by_role, _) = s.results_by(round, Breakdown::RoleGroup);
    assert_eq!(by_role[2], ("staff", vec![7, 10, 10]));
    // The grid: concepts × sector, concepts × level.
    let g = grid(&s, Accounts::Sectors);
    let labels: Vec<String> = g.accounts.iter().map(|a| a.label(&s)).collect();
    assert_eq!(labels, ["NHS", "Local Authority", "VCSE"]);
    let time = &g.rows[0];
    assert_eq!(time.ids(0, ""), ["st11"]);
    assert_eq!(time.ids(1, ""), ["st3"]);
    assert_eq!(time.ids(2, ""), ["st8"]);
    let g = grid(&s, Accounts::Levels);
    let learning = &g.rows[1];
    let labels: Vec<String> = g.accounts.iter().map(|a| a.label(&s)).collect();
    assert_eq!(labels, ["strategic", "operational", "front line"]);
    assert_eq!(learning.ids(0, ""), ["st1"]);
    assert_eq!(learning.ids(2, ""), ["st6", "st10"]);
}

/// Issue 33: a ranking round: each ballot orders every option; the result
/// is each option's Borda points (n−1 for first place … 0 for last) and
/// its median rank, by group as any round; a show of hands cannot rank.
#[test]
fn a_ranking_round_gives_borda_points_and_median_ranks() {
    let mut s = base();
    let method = VoteMethod::Ranking {
        options: vec!["Training".into(), "Time".into(), "Budgets".into()],
    };
    let mut counted = open_round(
        "v9",
        VoteTarget::Question,
        method.clone(),
        BallotMode::Counted,
    );
    if let Event::VoteOpened { question, .. } = &mut counted {
        *question = "Rank the barriers".into();
    }
    rejects(&mut s, counted, "show of hands cannot rank");
    ok(
        &mut s,
        open_round(
            "v9",
            VoteTarget::Question,
            method,
            BallotMode::PerParticipant,
        ),
    );
    let rank = |who: &str, order: &[u8]| Event::BallotCast {
        round: "v9".into(),
        participant: who.into(),
        choice: Choice::Ranking(order.to_vec()),
        at: t(5),
        recorded_by: "facilitator".into(),
    };
    rejects(&mut s, rank("P1", &[1, 0]), "rank all 3 options");
    rejects(&mut s, rank("P1", &[1, 1, 0]), "option 2 is ranked twice");
    rejects(&mut s, rank("P1", &[1, 3, 0]), "not one of the 3 options");
    ok(&mut s, rank("P1", &[1, 0, 2])); // Time, Training, Budgets
    ok(&mut s, rank("P2", &[1, 2, 0])); // Time, Budgets, Training
    ok(&mut s, rank("P3", &[2, 0, 1])); // Budgets, Training, Time
    let round = &s.rounds["v9"];
    let res = s.results(round);
    // Borda: Training 1+0+1 = 2, Time 2+2+0 = 4, Budgets 0+1+2 = 3.
    assert_eq!(res.counts, vec![2, 4, 3]);
    // Ranks: Training 2,3,2 → 2; Time 1,1,3 → 1; Budgets 3,2,1 → 2.
    assert_eq!(s.median_ranks(round), vec![Some(2.0), Some(1.0), Some(2.0)]);
    let (groups, _) = s.results_by(round, Breakdown::RoleGroup);
    assert_eq!(groups[0], ("service users", vec![1, 2, 0]));
    assert!(
        res.in_words(round).contains("Time: 4 points"),
        "{}",
        res.in_words(round)
    );
}
