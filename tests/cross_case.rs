//! The cross-case path of a doctoral study, end to end, as the researcher
//! takes it (issue 32's acceptance): three case sessions, a workspace over
//! them with the cases' own constructs brought in, a workshop that votes on
//! the workspace's interpretation, the verdict recorded back; the
//! workspace's exports read as their readers read them; a programme over
//! everything; review of the workspace; verify failing once a case changes.
//! Linux only: Python reads the exports.

mod common;
use roundtable::domain::*;
use std::path::Path;
use std::process::{Command, Output};

fn roundtable(sessions: &Path, args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_roundtable"))
        .arg("--sessions")
        .arg(sessions)
        .args(args)
        .output()
        .expect("run roundtable");
    assert!(
        o.status.success() || args[0] == "verify",
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

const T: i64 = 1_800_000_000_000;

/// A case: its people (pseudonym, role, register id, consent), what each
/// said, one concept over all of it, and an interpretation it agreed.
struct Case {
    title: &'static str,
    date: &'static str,
    people: &'static [(&'static str, &'static str, &'static str, bool)],
    said: &'static [(&'static str, &'static str)],
    concept: &'static str,
    agreed: &'static str,
}

const CASES: [Case; 3] = [
    Case {
        title: "Case 1: autism and ADHD pathway",
        date: "2025-10-02",
        people: &[
            ("P1", "ServiceUser", "CR01", true),
            ("P2", "Volunteer", "CR02", true),
        ],
        said: &[
            ("P1", "Nobody explained the wait for an assessment"),
            ("P2", "The peer group made the waiting bearable"),
        ],
        concept: "Waiting without word",
        agreed: "Peers carry people through the wait",
    },
    Case {
        title: "Case 2: memory café",
        date: "2025-11-04",
        people: &[
            ("P1", "Staff", "CR03", true),
            ("P2", "UnpaidCarer", "CR01", false),
        ],
        said: &[
            ("P1", "Staff at the café notice changes before the GP does"),
            ("P2", "My husband Derek only talks at the café"),
        ],
        concept: "Noticing early",
        agreed: "The café sees what services miss",
    },
    Case {
        title: "Case 3: end-of-life care",
        date: "2025-12-01",
        people: &[("P1", "CommunityRepresentative", "CR04", true)],
        said: &[(
            "P1",
            "Families in our community are never asked what a good death means",
        )],
        concept: "Not asked",
        agreed: "Communities are not asked",
    },
];

/// Writes a case through the real command line and store; its folder.
fn write_case(sessions: &Path, c: &Case) -> String {
    let people = sessions.join(format!("{}.ron", c.date));
    let list: Vec<String> = c
        .people
        .iter()
        .map(|(id, role, person, consent)| {
            format!("(id: \"{id}\", role: {role}, person: \"{person}\", consent: {consent})")
        })
        .collect();
    std::fs::write(&people, format!("[{}]", list.join(", "))).unwrap();
    let o = roundtable(
        sessions,
        &[
            "new",
            "--template",
            "cag-roundtable",
            "--title",
            c.title,
            "--focus",
            "What did we learn?",
            "--participants",
            people.to_str().unwrap(),
            "--date",
            c.date,
        ],
    );
    let folder = text(&o)
        .split_whitespace()
        .nth(1)
        .and_then(|p| Path::new(p).file_name())
        .map(|f| f.to_string_lossy().into_owned())
        .expect("new says where");
    let t = Timestamp::from_unix_millis(T);
    let (mut w, _) = roundtable::store::Writer::open(&sessions.join(&folder), t).unwrap();
    let mut events = vec![Event::StageStarted {
        stage: "S1".into(),
        at: t,
    }];
    for (i, (who, words)) in c.said.iter().enumerate() {
        events.push(Event::StatementAdded {
            id: format!("st{}", i + 1).into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant((*who).into()),
            stage: None,
            text: (*words).into(),
            tags: vec![],
            captured_by: "note-taker".into(),
            at: t,
        });
    }
    events.extend([
        Event::StageEnded {
            stage: "S1".into(),
            at: Timestamp::from_unix_millis(T + 600_000),
        },
        Event::ConceptCreated {
            id: "c1".into(),
            name: c.concept.into(),
            description: String::new(),
        },
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: (1..=c.said.len())
                .map(|i| format!("st{i}").into())
                .collect(),
        },
        Event::InterpretationDrafted {
            id: "i1".into(),
            text: c.agreed.into(),
            translations: vec![],
            concepts: vec!["c1".into()],
            statements: vec![],
            at: t,
        },
        Event::InterpretationStatusChanged {
            interpretation: "i1".into(),
            status: InterpretationStatus::Agreed,
            reason: "agreed in the case meeting".into(),
            round: None,
            at: t,
        },
    ]);
    for e in events {
        w.record("facilitator", t, &e).unwrap();
    }
    folder
}

fn python(script: &str, arg: &Path) -> serde_json::Value {
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(arg)
        .output()
        .expect("python3");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("json")
}

#[test]
fn three_cases_a_workspace_and_a_workshop_from_the_words_to_the_verdict_and_back() {
    let tmp = common::copy_of_shipped();
    let sessions = tmp.path();
    let cases: Vec<String> = CASES.iter().map(|c| write_case(sessions, c)).collect();

    // The workspace, with each case's concepts and agreed interpretations
    // brought in, and a cross-case interpretation resting on them.
    let (mut w, warnings, _) = roundtable::ops::workspace::open_workspace(
        sessions,
        &cases,
        Some("cross-case".into()),
        None,
        None,
        "researcher",
    )
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    for k in ["A", "B", "C"] {
        assert!(
            w.session()
                .concepts
                .contains_key(format!("{k}.c1").as_str())
        );
        assert!(
            w.session()
                .concepts
                .contains_key(format!("{k}.i1").as_str())
        );
    }
    let t = Timestamp::from_unix_millis(T);
    let draft = Event::InterpretationDrafted {
        id: "i1".into(),
        text: "People are carried by those around them when services do not ask".into(),
        translations: vec![],
        concepts: vec!["A.i1".into(), "B.c1".into(), "C.c1".into()],
        statements: vec![],
        at: t,
    };
    w.record("researcher", t, &draft).unwrap();
    drop(w);

    // The workshop takes it up, votes, agrees; the verdict goes back.
    let o = roundtable(
        sessions,
        &[
            "new",
            "--template",
            "cross-case-workshop",
            "--title",
            "Cross-case workshop",
            "--focus",
            "Do these hold across our cases?",
            "--take-up",
            "cross-case",
        ],
    );
    assert!(
        text(&o).contains("Took up 1 interpretation"),
        "{}",
        text(&o)
    );
    let workshop = text(&o)
        .split_whitespace()
        .nth(1)
        .and_then(|p| Path::new(p).file_name())
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap();
    common::workshop_agrees_i1(
        &sessions.join(&workshop),
        &[("P1", Some("CR01")), ("P2", Some("CR03"))],
        t,
    );
    let o = roundtable(sessions, &["verdicts", "cross-case", "--from", &workshop]);
    assert!(text(&o).contains("i1 agreed in"), "{}", text(&o));

    // The exports, in all four formats.
    let ws = sessions.join("cross-case");
    for format in ["md", "html", "csv", "qdpx"] {
        roundtable(sessions, &["export", "cross-case", "--format", format]);
    }
    let exports = ws.join("exports");
    let md = std::fs::read_to_string(exports.join("cross-case.md")).unwrap();
    for c in &CASES {
        assert!(md.contains(c.title), "each case is a source: {}", c.title);
    }
    assert!(
        md.contains("Nobody explained the wait for an assessment"),
        "{md}"
    );
    assert!(md.contains("A.P1 (service user, quote)"), "{md}");
    assert!(
        md.contains(&format!("in the workshop {workshop}, vote v1: 2 agree")),
        "{md}"
    );
    let html = std::fs::read_to_string(exports.join("cross-case.html")).unwrap();
    assert!(html.contains("Framework matrix") && html.contains("C.st1"));
    for text in [&md, &html] {
        assert!(!text.contains("Derek"), "the decliner's words");
        assert!(!text.contains("B.P2"), "the decliner's pseudonym");
    }
    // The qdpx as a REFI-QDA importer reads it: one text source per case,
    // each selection the words, coded.
    let got = python(
        r#"
import json, sys, zipfile
import xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
q = '{urn:QDA-XML:project:1.0}'
root = ET.fromstring(z.read('project.qde'))
out = []
for src in root.iter(q + 'TextSource'):
    text = z.read(src.get('plainTextPath').replace('internal://', 'Sources/')).decode('utf-8')
    sels = {}
    for sel in src.findall(q + 'PlainTextSelection'):
        a, b = int(sel.get('startPosition')), int(sel.get('endPosition'))
        sels[sel.get('name')] = [text.encode('utf-16-le')[2*a:2*b].decode('utf-16-le'), len(sel.findall(q + 'Coding'))]
    out.append({'name': src.get('name'), 'selections': sels})
print(json.dumps(out))
"#,
        &exports.join("cross-case.qdpx"),
    );
    let got = got.as_array().unwrap();
    assert_eq!(got.len(), 3, "one source per case: {got:?}");
    for (i, c) in CASES.iter().enumerate() {
        assert!(got[i]["name"].as_str().unwrap().contains(c.title));
        let key = ["A", "B", "C"][i];
        let first = &got[i]["selections"][format!("{key}.st1")];
        assert_eq!(first[0].as_str(), Some(c.said[0].1), "{got:?}");
        assert!(first[1].as_u64().unwrap() >= 1, "coded: {got:?}");
    }
    assert!(got[1]["selections"].get("B.st2").is_none(), "the decliner");
    // Two REFI-QDA libraries read it too: pyrefiqda parses the project
    // into its schema models, pyqdpx keeps each source's coded selections.
    let got = python(
        r#"
import json, pathlib, sys, tempfile
from pyrefiqda import RefiProject
from pyqdpx import QDPX
out = {'pyrefiqda': {}, 'pyqdpx': 0}
with tempfile.TemporaryDirectory() as d:
    project = RefiProject.load(sys.argv[1], extract_dir=d)
    for ts in project.sources.text_source:
        text = (pathlib.Path(d) / 'Sources' / ts.plain_text_path.replace('internal://', '')).read_text(encoding='utf-8')
        for sel in ts.plain_text_selection:
            out['pyrefiqda'][sel.name] = text.encode('utf-16-le')[2 * sel.start_position:2 * sel.end_position].decode('utf-16-le')
qde = QDPX(sys.argv[1]).get_project()
out['pyqdpx'] = sum(len(s.coded_selections) for s in qde.sources.values())
print(json.dumps(out))
"#,
        &exports.join("cross-case.qdpx"),
    );
    for (i, c) in CASES.iter().enumerate() {
        let key = ["A", "B", "C"][i];
        assert_eq!(
            got["pyrefiqda"][format!("{key}.st1")].as_str(),
            Some(c.said[0].1),
            "pyrefiqda: {got}"
        );
    }
    assert_eq!(got["pyqdpx"].as_u64(), Some(4), "coded selections: {got}");
    let framework = std::fs::read_to_string(exports.join("csv/framework.csv")).unwrap();
    assert!(
        framework.contains("C: Case 3: end-of-life care"),
        "{framework}"
    );
    let sources = std::fs::read_to_string(exports.join("csv/sources.csv")).unwrap();
    assert_eq!(sources.lines().count(), 4, "{sources}");

    // The programme over everything: each session once, people by the
    // register.
    let mut names: Vec<&str> = cases.iter().map(String::as_str).collect();
    names.extend(["cross-case", workshop.as_str()]);
    let mut args = vec!["programme"];
    args.extend(names.iter().copied());
    let out = sessions.join("programme-out");
    let out_s = out.to_str().unwrap().to_owned();
    args.extend(["--out", &out_s]);
    let said = text(&roundtable(sessions, &args));
    assert!(said.contains("4 sessions"), "{said}");
    assert!(said.contains("counted once"), "{said}");
    assert!(
        said.contains("counted by each person's register id") && said.contains("CR03 (2)"),
        "{said}"
    );

    // Review of the workspace: the grid by case and the provenance.
    let mut r = roundtable::app::review::Review::new(sessions);
    let mut l = roundtable::app::review::Loaded::open(&ws).unwrap();
    l.tab = roundtable::app::review::Tab::Synthesis;
    r.view = roundtable::app::review::View::Session(Box::new(l));
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48)).unwrap();
    term.draw(|f| roundtable::ui::review::render(f, &r, &roundtable::ui::Theme::default()))
        .unwrap();
    let shown = common::screen_text(&term);
    assert!(shown.contains("C.c1") && shown.contains("B.st1"), "{shown}");
    assert!(shown.contains("Staff at the café notice"), "{shown}");

    // verify fails once a case changes under the workspace.
    let o = roundtable(sessions, &["verify", "cross-case"]);
    assert!(o.status.success(), "{}", text(&o));
    std::fs::rename(
        sessions.join(&cases[2]),
        sessions.join(format!("{}-moved", cases[2])),
    )
    .unwrap();
    let o = roundtable(sessions, &["verify", "cross-case"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("renamed or moved"), "{}", text(&o));
}
