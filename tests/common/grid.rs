//! A staff study on a 3×3 sampling grid (sector × level), coded with a
//! codebook read from a `.qdc` file as NVivo writes one (no roundtable tag
//! lines: tags come from the names): the issue-33 test session.

use super::t;
use roundtable::domain::*;
use std::path::{Path, PathBuf};

/// A codebook as NVivo exports it: themes holding subthemes, and the
/// facets in a set named `Facets`.
pub const NVIVO_QDC: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo 14">
  <Codes>
    <Code guid="00000000-0000-4000-8000-000000000001" name="Capability" isCodable="true">
      <Description>COM-B capability</Description>
      <Code guid="00000000-0000-4000-8000-000000000002" name="Knowledge" isCodable="true"><Description>Knowing what co-production is &amp; how</Description></Code>
      <Code guid="00000000-0000-4000-8000-000000000003" name="Skills" isCodable="true"/>
    </Code>
    <Code guid="00000000-0000-4000-8000-000000000004" name="Opportunity" isCodable="true">
      <Code guid="00000000-0000-4000-8000-000000000005" name="Time" isCodable="true"/>
      <Code guid="00000000-0000-4000-8000-000000000006" name="Resources" isCodable="true"/>
    </Code>
    <Code guid="00000000-0000-4000-8000-000000000007" name="Motivation" isCodable="true">
      <Code guid="00000000-0000-4000-8000-000000000008" name="Role" isCodable="true"/>
    </Code>
    <Code guid="00000000-0000-4000-8000-000000000009" name="Barrier" isCodable="true"/>
    <Code guid="00000000-0000-4000-8000-00000000000a" name="Enabler" isCodable="true"/>
  </Codes>
  <Sets>
    <Set guid="00000000-0000-4000-8000-0000000000f0" name="Facets">
      <MemberCode guid="00000000-0000-4000-8000-000000000009"/>
      <MemberCode guid="00000000-0000-4000-8000-00000000000a"/>
    </Set>
  </Sets>
</CodeBook>
"#;

/// The nine: P1-P3 Local Authority, P4-P6 NHS, P7-P9 VCSE; in each, one
/// strategic, one operational, one front line. P9 did not consent.
pub const PEOPLE: [(&str, Sector, Level); 9] = [
    ("P1", Sector::LocalAuthority, Level::Strategic),
    ("P2", Sector::LocalAuthority, Level::Operational),
    ("P3", Sector::LocalAuthority, Level::FrontLine),
    ("P4", Sector::Nhs, Level::Strategic),
    ("P5", Sector::Nhs, Level::Operational),
    ("P6", Sector::Nhs, Level::FrontLine),
    ("P7", Sector::Vcse, Level::Strategic),
    ("P8", Sector::Vcse, Level::Operational),
    ("P9", Sector::Vcse, Level::FrontLine),
];

/// What was said: id, speaker, words, codes.
pub const SAID: [(&str, &str, &str, &[&str]); 12] = [
    (
        "st1",
        "P1",
        "We never had training in co-production",
        &["capability/knowledge", "barrier"],
    ),
    (
        "st2",
        "P2",
        "The toolkit helped us plan",
        &["capability/skills", "enabler"],
    ),
    (
        "st3",
        "P3",
        "No time on shift to attend",
        &["opportunity/time", "barrier"],
    ),
    (
        "st4",
        "P4",
        "Board sponsorship opened doors",
        &["motivation/role", "enabler"],
    ),
    (
        "st5",
        "P5",
        "Budgets sit in separate silos",
        &["opportunity/resources", "barrier"],
    ),
    (
        "st6",
        "P6",
        "I learnt by shadowing a peer worker",
        &["capability/knowledge", "enabler"],
    ),
    (
        "st7",
        "P7",
        "Small grants let us pay people",
        &["opportunity/resources", "enabler"],
    ),
    (
        "st8",
        "P8",
        "Rotas change too late to plan",
        &["opportunity/time", "barrier"],
    ),
    (
        "st9",
        "P9",
        "Nobody told us it was our job",
        &["motivation/role", "barrier"],
    ),
    (
        "st10",
        "P3",
        "Front line staff are not asked",
        &["capability/knowledge", "barrier"],
    ),
    (
        "st11",
        "P6",
        "Handover time was protected once",
        &["opportunity/time", "enabler"],
    ),
    ("st12", "P1", "Strategy documents mention it", &[]),
];

/// Writes the session at `sessions/grid` through the real store, with
/// the codebook read from a `.qdc` file; returns its folder.
pub fn grid_session(sessions: &Path) -> PathBuf {
    let qdc = sessions.join("nvivo-codebook.qdc");
    std::fs::write(&qdc, NVIVO_QDC).unwrap();
    let codes = roundtable::store::qdc::read(&qdc).expect("the NVivo codebook reads");
    let dir = sessions.join("grid");
    let mut events = vec![
        Event::SessionCreated {
            title: "Conditions for co-production: staff views".into(),
            focus: "What helps and hinders co-production in integrated care?".into(),
            facilitator: "Sam".into(),
            created: t(0),
            template: None,
        },
        Event::StageAdded {
            id: "S1".into(),
            kind: StageKind::Discuss,
            title: "Barriers and enablers".into(),
            prompt: "What helps, what hinders?".into(),
            planned_secs: 1800,
        },
    ];
    events.extend(roundtable::store::template::code_events(&codes));
    for (id, sector, level) in PEOPLE {
        events.push(Event::ParticipantAdded {
            participant: Participant {
                id: id.into(),
                role: Role::Staff,
                sector: Some(sector),
                level: Some(level),
                real_name: None,
                consent: id != "P9",
                person: None,
                attributes: Default::default(),
            },
        });
    }
    events.push(Event::StageStarted {
        stage: "S1".into(),
        at: t(1),
    });
    for (i, (id, who, text, tags)) in SAID.iter().enumerate() {
        events.push(Event::StatementAdded {
            id: (*id).into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant((*who).into()),
            stage: Some("S1".into()),
            text: (*text).into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            captured_by: "note-taker".into(),
            at: t(10 + i as i64),
        });
    }
    // Two concepts, for the grid by sector and level.
    for (id, name, linked) in [
        ("c1", "Time is never protected", &["st3", "st8", "st11"][..]),
        (
            "c2",
            "Learning alongside others",
            &["st1", "st6", "st10"][..],
        ),
    ] {
        events.push(Event::ConceptCreated {
            id: id.into(),
            name: name.into(),
            description: String::new(),
        });
        events.push(Event::StatementsLinked {
            concept: id.into(),
            statements: linked.iter().map(|s| (*s).into()).collect(),
        });
    }
    // A dot vote on three barriers, three dots each.
    events.push(Event::VoteOpened {
        id: "v1".into(),
        target: VoteTarget::Question,
        question: "Which barriers matter most to remove?".into(),
        method: VoteMethod::Dots {
            options: vec!["Training".into(), "Time".into(), "Budgets".into()],
            per_person: 3,
        },
        mode: BallotMode::PerParticipant,
        hidden: false,
        named: false,
        stage: Some("S1".into()),
        at: t(40),
    });
    for (i, (who, dots)) in DOTS.iter().enumerate() {
        events.push(Event::BallotCast {
            round: "v1".into(),
            participant: (*who).into(),
            choice: Choice::Dots(dots.to_vec()),
            at: t(41 + i as i64),
            recorded_by: "facilitator".into(),
        });
    }
    events.push(Event::VoteClosed {
        round: "v1".into(),
        at: t(60),
    });
    roundtable::store::Writer::create(&dir, "facilitator", t(0), &events).expect("create");
    dir
}

/// Each one's dots on Training, Time, Budgets. By hand: Local Authority
/// 3/5/1, NHS 1/3/5, VCSE 3/2/4; strategic 2/1/6, operational 1/4/4,
/// front line 4/5/0.
pub const DOTS: [(&str, [u8; 3]); 9] = [
    ("P1", [2, 1, 0]),
    ("P2", [1, 1, 1]),
    ("P3", [0, 3, 0]),
    ("P4", [0, 0, 3]),
    ("P5", [0, 1, 2]),
    ("P6", [1, 2, 0]),
    ("P7", [0, 0, 3]),
    ("P8", [0, 2, 1]),
    ("P9", [3, 0, 0]),
];
