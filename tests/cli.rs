//! The command line, run as a user would.

mod common;
use std::path::Path;
use std::process::{Command, Output};

fn roundtable(sessions: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roundtable"))
        .arg("--sessions")
        .arg(sessions)
        .args(args)
        .output()
        .expect("run roundtable")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

use common::{EXAMPLE, copy_of_shipped};

/// `new` in `sessions`: a second session ("May CAG"), its folder's name.
fn a_second_session(sessions: &Path) -> String {
    let o = roundtable(
        sessions,
        &[
            "new",
            "--template",
            "cag-roundtable",
            "--title",
            "May CAG",
            "--focus",
            "Does it hold?",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read_dir(sessions)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with("-may-cag"))
        .unwrap()
}

/// The shipped example and a second session, and a workspace over both:
/// the sessions folder, the second's folder name, the workspace's folder.
fn a_workspace_over_two() -> (tempfile::TempDir, String, std::path::PathBuf) {
    let tmp = copy_of_shipped();
    let second = a_second_session(tmp.path());
    let sources = [EXAMPLE.to_owned(), second.clone()];
    let (w, _, _) = roundtable::ops::workspace::open_workspace(
        tmp.path(),
        &sources,
        None,
        None,
        None,
        "researcher",
    )
    .unwrap();
    let workspace = w.dir().to_owned();
    (tmp, second, workspace)
}

#[test]
fn list_and_verify_work_on_the_shipped_example() {
    let sessions = Path::new("sessions");
    let o = roundtable(sessions, &["list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("2026-03-14  2026-03-14-cag-findings"), "{out}");
    assert!(
        out.contains("CAG roundtable: early findings on leaving hospital"),
        "{out}"
    );
    assert!(
        out.contains("8 participants, 16 statements, 6 votes, 3 interpretations"),
        "{out}"
    );
    let o = roundtable(sessions, &["verify", EXAMPLE]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains(&format!(
            "ok: {} — 141 records, head hash",
            sessions.join(EXAMPLE).display()
        )),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_shipped_example_is_what_the_program_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ex");
    let o = roundtable(tmp.path(), &["demo", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fresh = std::fs::read_to_string(out.join("journal.ron")).unwrap();
    let shipped =
        std::fs::read_to_string(Path::new("sessions").join(EXAMPLE).join("journal.ron")).unwrap();
    assert!(
        fresh == shipped,
        "sessions/{EXAMPLE} is out of date: run `cargo run -- demo --out /tmp/x` and copy journal.ron and snapshot.ron over"
    );
}

#[test]
fn the_example_holds_everything_the_method_names() {
    let r = roundtable::store::open_read_only(&Path::new("sessions").join(EXAMPLE)).unwrap();
    let s = &r.session;
    use roundtable::domain::*;
    let roles: std::collections::HashSet<_> =
        s.participants.values().map(|p| p.role.group()).collect();
    assert_eq!(roles.len(), 4, "service users, carers, staff and others");
    for stage in s
        .stages
        .values()
        .filter(|st| matches!(st.kind, StageKind::Discuss | StageKind::Translate))
    {
        let kinds: std::collections::HashSet<_> = s
            .statements
            .values()
            .filter(|x| x.stage.as_ref() == Some(&stage.id))
            .map(|x| x.current().kind)
            .collect();
        assert!(
            kinds.contains(&StatementKind::Quote) && kinds.contains(&StatementKind::Paraphrase),
            "stage {}",
            stage.id
        );
    }
    let methods: std::collections::HashSet<_> =
        s.rounds.values().map(|r| r.method.label()).collect();
    assert!(methods.len() >= 4, "{methods:?}");
    assert!(s.rounds.values().any(|r| r.mode == BallotMode::Counted));
    let kinds: std::collections::HashSet<_> =
        s.translations.values().map(|t| t.kind.label()).collect();
    assert_eq!(kinds.len(), 3);
    assert_eq!(s.interpretations.len(), 3);
    assert!(
        s.interpretations
            .values()
            .all(|i| !i.concepts.is_empty() && !i.statements.is_empty())
    );
    assert!(s.memos.len() >= 3);
    assert!(
        s.statements.values().any(|x| x.is_amended())
            && s.statements.values().any(|x| x.is_retracted())
    );
    assert!(s.stages.values().all(|st| st.state() == StageState::Ended));
}

/// `new` from the barriers-enablers template with `people` (a RON list)
/// as the participants file.
fn new_with_people(tmp: &Path, title: &str, focus: &str, people: &str) -> Output {
    let file = tmp.join("people.ron");
    std::fs::write(&file, people).unwrap();
    roundtable(
        tmp,
        &[
            "new",
            "--template",
            "barriers-enablers",
            "--title",
            title,
            "--focus",
            focus,
            "--participants",
            file.to_str().unwrap(),
        ],
    )
}

#[test]
fn new_creates_a_session_from_a_template_with_participants() {
    let tmp = copy_of_shipped();
    let o = new_with_people(
        tmp.path(),
        "Access: what helps?",
        "What helps people get support?",
        "[(id: \"P1\", role: ServiceUser, consent: true), (id: \"P2\", role: Staff, sector: Nhs)]",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("7 stages, 75 planned minutes, 2 participants"),
        "{}",
        stdout(&o)
    );
    let o = roundtable(tmp.path(), &["list"]);
    assert!(stdout(&o).contains("Access: what helps?"), "{}", stdout(&o));
    let folder = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .ends_with("-access-what-helps")
        })
        .expect("session folder named from date and title");
    let o = roundtable(tmp.path(), &["verify", folder.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stdout(&o));
    // The same title the same day is refused rather than mixed in.
    let o = roundtable(
        tmp.path(),
        &[
            "new",
            "--template",
            "barriers-enablers",
            "--title",
            "Access: what helps?",
            "--focus",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
}

/// `consent: false` is a decision, and `new` says so; saying nothing is
/// consent not yet recorded.
#[test]
fn new_tells_who_declined_from_who_has_no_consent_recorded() {
    let tmp = copy_of_shipped();
    let o = new_with_people(
        tmp.path(),
        "Consent",
        "F",
        "[(id: \"P1\", role: ServiceUser, consent: true), (id: \"P4\", role: Staff), (id: \"P7\", role: UnpaidCarer, consent: false)]",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(said.contains("P7 declined to be quoted"), "{said}");
    assert!(said.contains("No consent recorded for P4:"), "{said}");
    assert!(!said.contains("No consent recorded for P4, P7"), "{said}");
}

#[test]
fn bad_templates_and_names_get_clear_errors() {
    let tmp = copy_of_shipped();
    let o = roundtable(
        tmp.path(),
        &["new", "--template", "nope", "--title", "T", "--focus", "F"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no such template; known templates: barriers-enablers, cag-roundtable, cross-case-workshop"), "{}", stderr(&o));
    std::fs::write(
        tmp.path().join("templates/broken.ron"),
        "(name: \"b\", description: \"d\", stages: [(kind: Party)])",
    )
    .unwrap();
    let o = roundtable(
        tmp.path(),
        &[
            "new",
            "--template",
            "broken",
            "--title",
            "T",
            "--focus",
            "F",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("broken.ron line 1, column"),
        "{}",
        stderr(&o)
    );
    let o = roundtable(tmp.path(), &["verify", "no-such-session"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("there is no session `no-such-session` here"),
        "{}",
        stderr(&o)
    );
    let o = roundtable(tmp.path(), &["templates"]);
    assert!(
        stdout(&o).contains("broken") && stdout(&o).contains("cannot be used"),
        "{}",
        stdout(&o)
    );
    let o = roundtable(
        tmp.path(),
        &[
            "new",
            "--template",
            "cag-roundtable",
            "--title",
            "T",
            "--focus",
            "  ",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the focus must not be empty"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn verify_fails_on_a_tampered_copy_and_names_the_record() {
    let tmp = copy_of_shipped();
    let journal = tmp.path().join(EXAMPLE).join("journal.ron");
    let text = std::fs::read_to_string(&journal).unwrap();
    let tampered = text.replacen(
        "Nobody told me I was going home",
        "Everybody told me I was going home",
        1,
    );
    let line = text
        .lines()
        .position(|l| l.contains("Nobody told me I was going home"))
        .unwrap()
        + 1;
    std::fs::write(&journal, tampered).unwrap();
    let o = roundtable(tmp.path(), &["verify", EXAMPLE]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains(&format!("FAILED: {}", journal.display())),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "line {line}: record {line}: record hash does not match"
        )),
        "{out}"
    );
    // The session can still be read up to the damage.
    let o = roundtable(tmp.path(), &["show", EXAMPLE]);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains(&format!("Showing the session up to record {}", line - 1)),
        "{}",
        stderr(&o)
    );
    // Exporting it is refused, in every format, with a sentence and a
    // failing exit; asked for what is readable, every format says it is
    // incomplete, in the file as on the terminal.
    let out = tmp.path().join("out");
    for format in ["md", "html", "csv", "qdpx"] {
        let dest = out.join(format).join("");
        let args = [
            "export",
            EXAMPLE,
            "--format",
            format,
            "--out",
            dest.to_str().unwrap(),
        ];
        let o = roundtable(tmp.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{format}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("nothing was exported"),
            "{}",
            stderr(&o)
        );
        assert!(!dest.exists(), "{format} was written");
        let o = roundtable(tmp.path(), &[&args[..], &["--readable"]].concat());
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        assert!(stderr(&o).contains("INCOMPLETE"), "{}", stderr(&o));
        let mut said = String::new();
        for entry in std::fs::read_dir(&dest).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            if format == "qdpx" {
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
                let mut project = String::new();
                std::io::Read::read_to_string(
                    &mut zip.by_name("project.qde").unwrap(),
                    &mut project,
                )
                .unwrap();
                said.push_str(&project);
            } else {
                said.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
        assert!(
            said.contains("INCOMPLETE") || said.contains("damaged"),
            "{format} does not say so"
        );
    }
    // A complete export afterwards leaves no warning behind.
    std::fs::write(&journal, &text).unwrap();
    let dest = out.join("csv").join("");
    let o = roundtable(
        tmp.path(),
        &[
            "export",
            EXAMPLE,
            "--format",
            "csv",
            "--out",
            dest.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!dest.join("INCOMPLETE.csv").exists());
    // A journal with nothing readable in it is not exported, even asked.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("journal.ron"), "").unwrap();
    let o = roundtable(
        tmp.path(),
        &[
            "export",
            "empty",
            "--format",
            "md",
            "--readable",
            "--out",
            "e.md",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing to export"), "{}", stderr(&o));
}

#[test]
fn show_is_pseudonymised() {
    let o = roundtable(Path::new("sessions"), &["show", EXAMPLE]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(
        out.contains("Leaving hospital goes well when someone asks the carer"),
        "{out}"
    );
    for name in ["Margaret Ellis", "Linda Hughes", "Claire Dunn"] {
        assert!(!out.contains(name), "real name {name} shown");
    } // The actions agreed, with their status, and what was parked.
    assert!(
        out.contains("a2   [open] Invite the CAG to set the next agenda"),
        "{out}"
    );
    let parked = out.split("Parked for later").nth(1).unwrap_or_default();
    assert!(parked.contains("st1"), "{out}");
}

#[test]
fn a_workspace_over_two_sessions_keeps_its_own_journal_and_leaves_the_sources_alone() {
    use roundtable::domain::Event;
    let tmp = copy_of_shipped();
    // A second session, from the template, with one statement.
    let second = a_second_session(tmp.path());
    let sources = [EXAMPLE.to_owned(), second.clone()];
    let before: Vec<Vec<u8>> = sources
        .iter()
        .map(|s| std::fs::read(tmp.path().join(s).join("journal.ron")).unwrap())
        .collect();
    let (mut w, _, loaded) = roundtable::ops::workspace::open_workspace(
        tmp.path(),
        &sources,
        None,
        None,
        None,
        "researcher",
    )
    .unwrap();
    assert_eq!(
        loaded.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(),
        vec!["A", "B"]
    );
    let t = roundtable::domain::Timestamp::from_unix_millis(0);
    w.record(
        "researcher",
        t,
        &Event::ConceptCreated {
            id: "c1".into(),
            name: "Told too late".into(),
            description: String::new(),
        },
    )
    .unwrap();
    w.record(
        "researcher",
        t,
        &Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["A.st2".into(), "A.st3".into()],
        },
    )
    .unwrap();
    let err = w.record(
        "researcher",
        t,
        &Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["B.st1".into()],
        },
    );
    assert!(err.is_err(), "the second session has no statements yet");
    let dir = w.dir().to_owned();
    drop(w);
    assert!(dir.ends_with(format!("synthesis-{EXAMPLE}-and-1-more")));
    let o = roundtable(tmp.path(), &["verify", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stdout(&o));
    for (s, b) in sources.iter().zip(before) {
        assert_eq!(
            std::fs::read(tmp.path().join(s).join("journal.ron")).unwrap(),
            b,
            "source {s} was written"
        );
    }
    // Reopening the same workspace adds nothing twice.
    let (w, _, loaded) = roundtable::ops::workspace::open_workspace(
        tmp.path(),
        &sources,
        None,
        None,
        None,
        "researcher",
    )
    .unwrap();
    assert_eq!(loaded.len(), 2);
    assert_eq!(w.session().sources.len(), 2);
    assert_eq!(w.session().concepts["c1"].statements.len(), 2);
}

#[test]
fn full_screen_commands_without_a_terminal_or_with_a_bad_keymap_explain_and_create_nothing() {
    let tmp = copy_of_shipped();
    let bad = tmp.path().join("bad-keymap.ron");
    std::fs::write(
        &bad,
        "[\n  (screen: Projector, key: \"hyper-x\", action: StartStage),\n]",
    )
    .unwrap();
    let before: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let o = roundtable(
        tmp.path(),
        &["run", "--demo", "--keymap", bad.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("bad-keymap.ron line 2: `hyper-x` is not a key"),
        "{err}"
    );
    assert_eq!(
        err.matches("bad-keymap.ron").count(),
        1,
        "the file is named once: {err}"
    );
    // Tests run without a terminal: the full-screen commands say so instead of panicking.
    for args in [
        &["run", "--demo"][..],
        &["run", EXAMPLE],
        &["review"],
        &["synthesise", EXAMPLE],
    ] {
        let o = roundtable(tmp.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("is full-screen and needs a terminal"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains("panicked"), "{args:?}");
    }
    let after: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after, "nothing was created");
}

/// The README's key table is the one generated from the action table, so
/// the documentation, the hints and the real bindings cannot disagree.
#[test]
fn the_readme_key_table_is_the_generated_one() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("<!-- keys: generated")
        .and_then(|i| readme[i..].find('\n').map(|j| i + j + 1))
        .expect("the README marks where its key table starts");
    let end = readme.find("<!-- /keys -->").expect("and where it ends");
    let generated =
        roundtable::app::hints::markdown_table(&roundtable::app::keymap::Keymap::default());
    assert!(
        readme[start..end] == generated,
        "README.md's key table is out of date; replace it with the output of `roundtable keys`"
    );
    let o = roundtable(Path::new("sessions"), &["keys", "--keymap", "/nonexistent"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), generated);
}

/// A synthesis that cannot be made leaves no half-made workspace: more
/// sources than a workspace takes, or a source outside the sessions folder
/// (which a workspace could not find again), are refused before any folder
/// is made.
#[test]
fn a_failed_synthesis_leaves_no_workspace_behind() {
    let tmp = copy_of_shipped();
    let mut names = Vec::new();
    for i in 0..27 {
        let name = format!("copy-{i:02}");
        let dir = tmp.path().join(&name);
        std::fs::create_dir(&dir).unwrap();
        std::fs::copy(
            tmp.path().join(EXAMPLE).join("journal.ron"),
            dir.join("journal.ron"),
        )
        .unwrap();
        names.push(name);
    }
    let elsewhere = tempfile::tempdir().unwrap();
    let outside = elsewhere.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::copy(
        tmp.path().join(EXAMPLE).join("journal.ron"),
        outside.join("journal.ron"),
    )
    .unwrap();
    let folders = || -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let before = folders();
    let open = |sources: &[String]| {
        roundtable::ops::workspace::open_workspace(
            tmp.path(),
            sources,
            Some("together".into()),
            None,
            None,
            "facilitator",
        )
        .err()
        .expect("refused")
        .to_string()
    };
    let said = open(&names);
    assert!(said.contains("at most 26"), "{said}");
    assert_eq!(folders(), before, "a workspace was left behind");
    let said = open(&[EXAMPLE.to_owned(), outside.display().to_string()]);
    assert!(said.contains("is not in the sessions folder"), "{said}");
    assert_eq!(folders(), before, "a workspace was left behind");
}

/// `exports/` in a session folder made a link to another folder (a shared
/// or synced one): an export without --out refuses to write through it, in
/// every format, and writes nothing there.
#[test]
fn an_export_is_never_written_through_a_linked_exports_folder() {
    let tmp = copy_of_shipped();
    let elsewhere = tempfile::tempdir().unwrap();
    if !common::os::link_made(elsewhere.path(), &tmp.path().join(EXAMPLE).join("exports")) {
        return;
    }
    for format in ["md", "html", "csv", "qdpx"] {
        let o = roundtable(tmp.path(), &["export", EXAMPLE, "--format", format]);
        assert_eq!(o.status.code(), Some(2), "{format}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("is a link to another folder"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

/// `programme` over a sessions folder leaves rehearsals out (they counted
/// as meetings: "0 of 8 came back") and says so; named, one is included
/// (issue 31, item 14).
#[test]
fn the_programme_leaves_rehearsals_out_and_says_so() {
    let tmp = copy_of_shipped();
    let rehearsal = roundtable::ops::create::rehearsal(tmp.path()).unwrap();
    let all = roundtable::ops::programme::Choice {
        names: vec![],
        matching: String::new(),
        rehearsals: false,
    };
    let p = roundtable::ops::programme::load(tmp.path(), &all).unwrap();
    assert_eq!(p.rows.len(), 1, "only the real meeting");
    let said = p.warnings.join(" ");
    assert!(said.contains("1 rehearsal left out"), "{said}");
    let named = roundtable::ops::programme::Choice {
        names: vec![rehearsal.display().to_string()],
        matching: String::new(),
        rehearsals: true,
    };
    let p = roundtable::ops::programme::load(tmp.path(), &named).unwrap();
    assert_eq!(p.rows.len(), 1, "a rehearsal named is included");
}

/// A session is one meeting however it is named: `programme WORKSPACE
/// CASE1` listed case 1 twice (the copy "6 of 6 came back"), and review's
/// `m` over the visible sessions (the workspace among them) counted its
/// sources again; a folder copied elsewhere is the same session too. Each
/// is counted once, and the programme says which were named twice (issue
/// 32, item 4).
#[test]
fn a_programme_counts_each_session_once_however_it_is_named() {
    let (tmp, second, workspace) = a_workspace_over_two();
    // A copy of the example under another folder name.
    let copy = tmp.path().join("copy-of-the-example");
    std::fs::create_dir(&copy).unwrap();
    for f in ["journal.ron", "snapshot.ron"] {
        std::fs::copy(tmp.path().join(EXAMPLE).join(f), copy.join(f)).unwrap();
    }
    let by = |names: Vec<String>| {
        let choice = roundtable::ops::programme::Choice {
            names,
            matching: String::new(),
            rehearsals: false,
        };
        roundtable::ops::programme::load(tmp.path(), &choice).unwrap()
    };
    for names in [
        vec![workspace.display().to_string(), EXAMPLE.to_owned()],
        vec![
            EXAMPLE.to_owned(),
            workspace.display().to_string(),
            second.clone(),
        ],
        vec![
            tmp.path().join(EXAMPLE).display().to_string(),
            EXAMPLE.to_owned(),
            copy.display().to_string(),
            second.clone(),
        ],
    ] {
        let p = by(names.clone());
        assert_eq!(p.sessions.len(), 2, "{names:?}: {:?}", p.warnings);
        assert_eq!(p.rows.len(), 2, "{names:?}");
        let said = p.warnings.join(" ");
        assert!(said.contains("counted once"), "{names:?}: {said}");
    }
}

/// A case entered after it happened keeps the day it happened: `new
/// --date` dates the session (its folder, `list`, `show`, the programme's
/// order) while the records keep when they were written; a date that is
/// not one is refused with what was typed and the form wanted (issue 32,
/// "dated sessions").
#[test]
fn a_session_entered_later_keeps_the_day_it_happened() {
    let tmp = copy_of_shipped();
    let o = roundtable(
        tmp.path(),
        &[
            "new",
            "--template",
            "cag-roundtable",
            "--title",
            "Memory café case",
            "--focus",
            "What did we learn?",
            "--date",
            "2025-11-04",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = tmp.path().join("2025-11-04-memory-cafe-case");
    assert!(dir.join("journal.ron").is_file(), "{}", stdout(&o));
    let listed = stdout(&roundtable(tmp.path(), &["list"]));
    assert!(
        listed.contains("2025-11-04  2025-11-04-memory-cafe-case"),
        "{listed}"
    );
    let shown = stdout(&roundtable(
        tmp.path(),
        &["show", "2025-11-04-memory-cafe-case"],
    ));
    assert!(shown.contains("2025-11-04"), "{shown}");
    let r = roundtable::store::open_read_only(&dir).unwrap();
    assert_eq!(
        r.session.info.as_ref().unwrap().created.utc_date(),
        "2025-11-04"
    );
    for bad in ["4/11/2025", "2025-13-01", "2025-02-30", "yesterday"] {
        let o = roundtable(
            tmp.path(),
            &[
                "new",
                "--template",
                "cag-roundtable",
                "--title",
                "X",
                "--focus",
                "Y",
                "--date",
                bad,
            ],
        );
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stdout(&o));
        assert!(
            stderr(&o).contains(bad) && stderr(&o).contains("YYYY-MM-DD"),
            "{bad}: {}",
            stderr(&o)
        );
    }
}

/// `verify` of a workspace said ok after a source was changed or renamed
/// (and `synthesise` then failed with "there is no journal here"): it now
/// checks that each source still holds the record the workspace drew on,
/// names each source it checked, and fails naming the one changed or gone
/// (issue 32, item 2).
#[test]
fn verify_of_a_workspace_checks_its_sources() {
    let (tmp, second, workspace) = a_workspace_over_two();
    let name = workspace
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let o = roundtable(tmp.path(), &["verify", &name]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    for key in ["source A", "source B"] {
        assert!(stdout(&o).contains(key), "{}", stdout(&o));
    }
    // A record appended to a source since is no change to what was drawn on.
    // A source's journal rewritten (another session's in its place): fails.
    let example = tmp.path().join(EXAMPLE).join("journal.ron");
    let kept = std::fs::read(&example).unwrap();
    std::fs::copy(tmp.path().join(&second).join("journal.ron"), &example).unwrap();
    let _ = std::fs::remove_file(tmp.path().join(EXAMPLE).join("snapshot.ron"));
    let o = roundtable(tmp.path(), &["verify", &name]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(&format!("FAILED: source A ({EXAMPLE})")),
        "{}",
        stdout(&o)
    );
    std::fs::write(&example, kept).unwrap();
    // A source renamed: fails, saying it is not there.
    std::fs::rename(tmp.path().join(&second), tmp.path().join("renamed")).unwrap();
    let o = roundtable(tmp.path(), &["verify", &name]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(&format!("FAILED: source B ({second})"))
            && stdout(&o).contains("renamed or moved"),
        "{}",
        stdout(&o)
    );
    // Reopening the workspace says which source is missing and why (it
    // said "there is no journal here").
    assert!(
        roundtable::ops::workspace::open_workspace(tmp.path(), &[], None, None, None, "r")
            .is_err_and(|e| e.to_string().contains("at least one session")),
        "no sources: an error, not a panic"
    );
    let reopened = roundtable::ops::workspace::open_workspace(
        tmp.path(),
        &[EXAMPLE.to_owned()],
        Some(name.clone()),
        None,
        None,
        "researcher",
    );
    let why = reopened.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        why.contains(&format!("source B of this workspace, {second}, is not in"))
            && why.contains("renamed or moved"),
        "{why}"
    );
    // Review's integrity view gives the same verdict on each source.
    let l = roundtable::app::review::Loaded::open(&workspace).unwrap();
    let verdicts: Vec<(&str, bool)> = l
        .sources
        .iter()
        .map(|c| (c.key.as_str(), c.found.is_ok()))
        .collect();
    assert_eq!(verdicts, [("A", true), ("B", false)]);
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 40)).unwrap();
    let mut r = roundtable::app::review::Review::new(tmp.path());
    r.view = roundtable::app::review::View::Session(Box::new(l));
    if let roundtable::app::review::View::Session(l) = &mut r.view {
        l.tab = roundtable::app::review::Tab::Integrity;
    }
    term.draw(|f| roundtable::ui::review::render(f, &r, &roundtable::ui::Theme::default()))
        .unwrap();
    let shown = common::screen_text(&term);
    assert!(
        shown.contains("✓ source A") && shown.contains(&format!("✗ FAILED: source B ({second})")),
        "{shown}"
    );
}

/// Review of a workspace showed nothing beneath its interpretations (the
/// grid all `·`, provenance stopping at `← c1`): it now reads the words from
/// the sources, by source in the grid, each under its own session's consent
/// rules — a source's non-consenting speaker stays a placeholder (issue 32,
/// item 2).
/// Words a carer in the second session said and did not consent to quote.
const DECLINED: &str = "my neighbour Doreen rang the ward";
/// Words staff in the second session said, amended to take a name out.
const AMENDED_FROM: &str = "Sister Jones on ward 7 rang me first";
const AMENDED_TO: &str = "The ward sister rang me first";

/// The shipped example (A) and a second session (B: a carer who declined,
/// P1, and staff, P2, whose statement was amended), and a workspace over
/// both with one concept on A.st1, B.st1 and B.st2 and an interpretation
/// on it: the sessions folder, the workspace, and A.st1's words.
fn a_workspace_with_a_decliner() -> (tempfile::TempDir, std::path::PathBuf, String) {
    use roundtable::domain::*;
    let tmp = copy_of_shipped();
    let second = a_second_session(tmp.path());
    let t = Timestamp::from_unix_millis(1_800_000_000_000);
    {
        let (mut w, _) = roundtable::store::Writer::open(&tmp.path().join(&second), t).unwrap();
        let person = |id: &str, role, consent| Event::ParticipantAdded {
            participant: Participant {
                id: id.into(),
                role,
                sector: None,
                level: None,
                real_name: Some(format!("Name of {id}")),
                consent,
                person: None,
                attributes: Default::default(),
            },
        };
        let said = |id: &str, who: &str, stage: Option<&str>, text: &str| Event::StatementAdded {
            id: id.into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant(who.into()),
            stage: stage.map(Into::into),
            text: text.into(),
            tags: vec!["carers".into()],
            captured_by: "note-taker".into(),
            at: t,
        };
        for e in [
            person("P1", Role::UnpaidCarer, false),
            person("P2", Role::Staff, true),
            said("st1", "P1", None, DECLINED),
            said("st2", "P2", Some("S3"), AMENDED_FROM),
            Event::StatementAmended {
                statement: "st2".into(),
                kind: StatementKind::Quote,
                speaker: Speaker::Participant("P2".into()),
                text: AMENDED_TO.into(),
                tags: vec!["carers".into()],
                reason: Some("a name".into()),
                by: "note-taker".into(),
                at: t,
            },
        ] {
            w.record("note-taker", t, &e).unwrap();
        }
    }
    let example = roundtable::store::open_read_only(&tmp.path().join(EXAMPLE)).unwrap();
    let said = example.session.statements["st1"].current().text.clone();
    let sources = [EXAMPLE.to_owned(), second.clone()];
    let (mut w, _, _) = roundtable::ops::workspace::open_workspace(
        tmp.path(),
        &sources,
        None,
        None,
        None,
        "researcher",
    )
    .unwrap();
    for e in [
        Event::ConceptCreated {
            id: "c1".into(),
            name: "Told too late".into(),
            description: String::new(),
        },
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["A.st1".into(), "B.st1".into(), "B.st2".into()],
        },
        Event::ConceptCreated {
            id: "c2".into(),
            name: "One early call".into(),
            description: String::new(),
        },
        Event::StatementsLinked {
            concept: "c2".into(),
            statements: vec!["A.st5".into()],
        },
        Event::TranslationMade {
            id: "t1".into(),
            kind: TranslationKind::Refutational,
            concepts: vec!["c1".into(), "c2".into()],
            rationale: "Late news against one early call".into(),
            at: t,
        },
        Event::InterpretationDrafted {
            id: "i1".into(),
            text: "People are told too late".into(),
            translations: vec!["t1".into()],
            concepts: vec!["c1".into()],
            statements: vec![],
            at: t,
        },
    ] {
        w.record("researcher", t, &e).unwrap();
    }
    let workspace = w.dir().to_owned();
    (tmp, workspace, said)
}

#[test]
fn review_of_a_workspace_shows_the_sources_words_under_their_consent() {
    let (tmp, workspace, said) = a_workspace_with_a_decliner();
    let mut r = roundtable::app::review::Review::new(tmp.path());
    let mut l = roundtable::app::review::Loaded::open(&workspace).unwrap();
    l.tab = roundtable::app::review::Tab::Synthesis;
    r.view = roundtable::app::review::View::Session(Box::new(l));
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48)).unwrap();
    term.draw(|f| roundtable::ui::review::render(f, &r, &roundtable::ui::Theme::default()))
        .unwrap();
    let shown = common::screen_text(&term);
    let start: String = said
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(shown.contains(&start), "the source's words:\n{shown}");
    assert!(
        shown.contains("A.st1") && shown.contains("B.st1"),
        "{shown}"
    );
    assert!(shown.contains("[P1 · no consent: not shown]"), "{shown}");
    assert!(
        !shown.contains("Doreen"),
        "a source's withheld words:\n{shown}"
    );
    // The other views read the sources' words too: the cases in place of
    // an agenda, the statements by case and stage, the measures of them.
    use roundtable::app::review::Tab;
    for (w, h) in [(160, 48), (80, 24)] {
        let mut seen = std::collections::HashMap::new();
        for tab in [Tab::Agenda, Tab::Statements, Tab::Measures] {
            if let roundtable::app::review::View::Session(l) = &mut r.view {
                l.tab = tab;
                l.scroll = 0;
            }
            let mut term =
                ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
            term.draw(|f| roundtable::ui::review::render(f, &r, &roundtable::ui::Theme::default()))
                .unwrap();
            let shown = common::screen_text(&term);
            assert!(!shown.contains("Doreen"), "{tab:?} at {w}x{h}:\n{shown}");
            seen.insert(format!("{tab:?}"), shown);
        }
        let agenda = &seen["Agenda"];
        assert!(
            agenda.contains("these are its cases") && agenda.contains("B · May CAG"),
            "{agenda}"
        );
        assert!(agenda.contains("✓"), "each source checked:\n{agenda}");
        let statements = &seen["Statements"];
        assert!(statements.contains("A.st1"), "{statements}");
        if w == 160 {
            assert!(statements.contains("[B.P1 · no consent"), "{statements}");
            assert!(statements.contains(&start), "{statements}");
            assert!(statements.contains(AMENDED_TO), "{statements}");
            assert!(!statements.contains(AMENDED_FROM), "{statements}");
        }
        let measures = &seen["Measures"];
        let users = measures
            .lines()
            .find(|l| l.contains("service users"))
            .unwrap_or_else(|| panic!("{measures}"));
        assert!(
            !users.contains("(0 of"),
            "the sources' words counted: {users}"
        );
    }
}

#[test]
fn a_workspaces_exports_carry_the_words_it_rests_on_with_their_case() {
    let (tmp, workspace, said) = a_workspace_with_a_decliner();
    let ws = workspace.file_name().unwrap().to_str().unwrap().to_owned();
    let heads: Vec<String> = roundtable::store::open_read_only(&workspace)
        .unwrap()
        .session
        .sources
        .values()
        .map(|s| s.head.clone())
        .collect();
    let start: String = said
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    let out = tmp.path().join("out");
    for format in ["md", "html", "csv", "qdpx"] {
        let dest = out.join(format);
        let o = roundtable(
            tmp.path(),
            &[
                "export",
                &ws,
                "--format",
                format,
                "--out",
                &format!("{}/", dest.display()),
            ],
        );
        assert!(o.status.success(), "{format}: {}", stderr(&o));
    }
    let md = std::fs::read_to_string(out.join("md").join(format!("{ws}.md"))).unwrap();
    // The words, each with its case, pseudonym, role and stage.
    assert!(md.contains(&start), "A.st1's words:\n{md}");
    assert!(
        md.contains(AMENDED_TO),
        "B.st2's words as they stand:\n{md}"
    );
    assert!(
        md.contains("A.P2") && md.contains("B.P2"),
        "pseudonyms by case:\n{md}"
    );
    assert!(md.contains("A · Early findings"), "A's stage:\n{md}");
    assert!(
        md.contains("B · Reflecting from lived experience"),
        "B's stage:\n{md}"
    );
    // Its sources, with the heads it drew on.
    for h in &heads {
        assert!(md.contains(h.as_str()), "the source's head {h}:\n{md}");
    }
    assert!(md.contains(EXAMPLE), "{md}");
    // The grid by case, with ids; provenance counted.
    let row = md
        .lines()
        .find(|l| l.contains("Told too late") && l.contains('|'))
        .unwrap_or_else(|| panic!("a grid row for c1:\n{md}"));
    assert!(row.contains("A.st1") && row.contains("B.st2"), "{row}");
    // The eMERGe account: what the translation rests on, by case.
    assert!(
        md.contains("rests on 4 statements")
            && md.contains("A.st1, B.st2, A.st5, 1 statement withheld"),
        "{md}"
    );
    assert!(md.contains("in this cross-case workspace"), "{md}");
    assert!(!md.contains("group in the room"), "{md}");
    assert!(!md.contains("· 0 participants"), "{md}");
    // Never the decliner, their words or the removed wording.
    for never in ["Doreen", "B.P1", "Name of P1", AMENDED_FROM] {
        assert!(!md.contains(never), "{never} in the md:\n{md}");
    }
    let html = std::fs::read_to_string(out.join("html").join(format!("{ws}.html"))).unwrap();
    assert!(
        html.contains(AMENDED_TO) && html.contains(heads[0].as_str()),
        "html"
    );
    for never in ["Doreen", "B.P1", AMENDED_FROM] {
        assert!(!html.contains(never), "{never} in the html");
    }
    let csv = std::fs::read_to_string(out.join("csv").join("statements.csv")).unwrap();
    assert!(csv.lines().count() >= 3, "statements.csv has rows:\n{csv}");
    assert!(csv.contains("A.st1") && csv.contains(AMENDED_TO), "{csv}");
    assert!(!csv.contains("Doreen") && !csv.contains("B.P1"), "{csv}");
    let sources = std::fs::read_to_string(out.join("csv").join("sources.csv")).unwrap();
    assert!(
        sources.contains(heads[1].as_str()) && sources.contains(EXAMPLE),
        "{sources}"
    );
    // The framework matrix, in the report and as a table, read back by
    // Python's csv module as a script would.
    assert!(html.contains("Framework matrix"), "html");
    if !common::os::has_python() {
        return;
    }
    let script = r#"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
print(json.dumps(rows))
"#;
    let read = |name: &str| -> Vec<serde_json::Map<String, serde_json::Value>> {
        let o = Command::new("python3")
            .args(["-c", script])
            .arg(out.join("csv").join(name))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let framework = read("framework.csv");
    assert!(
        framework.iter().any(|r| r["column"] == "B: May CAG"
            && r["statement"] == "B.st2"
            && r["words"] == AMENDED_TO
            && r["who"] == "B.P2, staff"),
        "{framework:?}"
    );
    assert!(
        framework.iter().any(
            |r| r["column"] == "B: May CAG" && r["words"] == "1 statement withheld: no consent"
        ),
        "{framework:?}"
    );
    let codings = read("codings.csv");
    assert!(
        codings
            .iter()
            .any(|r| r["concept"] == "c1" && r["statement"] == "A.st1"),
        "{codings:?}"
    );
    assert!(
        !codings.iter().any(|r| r["statement"] == "B.st1"),
        "{codings:?}"
    );
    let interpretations = read("interpretations.csv");
    assert!(
        interpretations.iter().any(|r| r["id"] == "i1"
            && r["translations"] == "t1"
            && r["statements_withheld"] == "1"),
        "{interpretations:?}"
    );
    assert!(
        read("translations.csv")
            .iter()
            .any(|r| r["id"] == "t1" && r["kind"] == "refutational")
    );
    assert!(read("concepts.csv").iter().any(|r| r["id"] == "A.c1"));
    for name in [
        "framework.csv",
        "codings.csv",
        "interpretations.csv",
        "concepts.csv",
    ] {
        let bytes = std::fs::read_to_string(out.join("csv").join(name)).unwrap();
        assert!(
            !bytes.contains("Doreen") && !bytes.contains("B.P1"),
            "{name}"
        );
    }
    // The qdpx: one text source per case, each with its coded selections.
    let script = r#"
import json, sys, zipfile
import xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
root = ET.fromstring(z.read('project.qde'))
q = '{urn:QDA-XML:project:1.0}'
out = []
for src in root.iter(q + 'TextSource'):
    text = z.read(src.get('plainTextPath').replace('internal://', 'Sources/')).decode('utf-8')
    sels = {}
    for sel in src.findall(q + 'PlainTextSelection'):
        a, b = int(sel.get('startPosition')), int(sel.get('endPosition'))
        codes = [c.find(q + 'CodeRef').get('targetGUID') for c in sel.findall(q + 'Coding')]
        sels[sel.get('name')] = [text.encode('utf-16-le')[2 * a:2 * b].decode('utf-16-le'), len(codes)]
    out.append([src.get('name'), sels, 'Doreen' in text])
print(json.dumps(out))
"#;
    let qdpx = out.join("qdpx").join(format!("{ws}.qdpx"));
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(&qdpx)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let got = got.as_array().unwrap();
    assert_eq!(got.len(), 2, "one source per case: {got:?}");
    assert!(got[0][0].as_str().unwrap().contains("A"), "{got:?}");
    assert_eq!(
        got[0][1]["A.st1"][0].as_str(),
        Some(said.as_str()),
        "{got:?}"
    );
    assert_eq!(
        got[0][1]["A.st1"][1].as_u64(),
        Some(3),
        "coded with its concept, its tag and its speaker's case: {got:?}"
    );
    assert_eq!(got[1][1]["B.st2"][0].as_str(), Some(AMENDED_TO), "{got:?}");
    assert!(got[1][1].get("B.st1").is_none(), "the decliner: {got:?}");
    assert_eq!(
        got[1][2].as_bool(),
        Some(false),
        "no withheld words: {got:?}"
    );
}

#[test]
fn a_workspace_brings_in_each_cases_own_concepts_translations_and_agreed_interpretations() {
    let (tmp, _, workspace) = a_workspace_over_two();
    let s = roundtable::store::open_read_only(&workspace)
        .unwrap()
        .session;
    // The case's concepts, under its key, with their statements.
    let c1 = &s.concepts["A.c1"];
    assert_eq!(c1.name, "A: Finding out too late");
    let ids: Vec<&str> = c1.statements.iter().map(|x| x.as_str()).collect();
    assert_eq!(ids, ["A.st2", "A.st3", "A.st12"]);
    assert!(c1.description.contains("From case A"), "{}", c1.description);
    // Its translations among them.
    let t2 = &s.translations["A.t2"];
    let joined: Vec<&str> = t2.concepts.iter().map(|x| x.as_str()).collect();
    assert_eq!(joined, ["A.c3", "A.c2"]);
    assert!(t2.rationale.starts_with("From case A: Staff accounts"));
    assert!(s.translations.contains_key("A.t3"), "the line of argument");
    // Each interpretation it agreed, as a concept resting on its provenance;
    // not the one it set aside.
    let i1 = &s.concepts["A.i1"];
    assert!(
        i1.name.starts_with("A: Leaving hospital goes well"),
        "{}",
        i1.name
    );
    assert!(
        i1.description
            .contains("agreed its interpretation i1 (vote")
    );
    assert!(i1.statements.len() >= 2, "{:?}", i1.statements);
    assert!(s.concepts.contains_key("A.i2"));
    assert!(!s.concepts.contains_key("A.i3"), "set aside in the case");
    // The second case had none: nothing of it but its statements.
    assert!(!s.concepts.keys().any(|k| k.as_str().starts_with("B.")));
    // The export's grid shows them by case, with their words' ids.
    let ws = workspace.file_name().unwrap().to_str().unwrap();
    let o = roundtable(tmp.path(), &["export", ws, "--format", "md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = std::fs::read_to_string(workspace.join("exports").join(format!("{ws}.md"))).unwrap();
    let row = md
        .lines()
        .find(|l| l.starts_with("| A.c1 A: Finding out too late"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(row.contains("A.st2, A.st3, A.st12"), "{row}");
    assert!(md.contains("From case A: Staff accounts"), "{md}");
}

#[test]
fn a_workshop_takes_up_a_workspaces_interpretation_and_its_verdict_is_recorded_back() {
    use roundtable::domain::*;
    let (tmp, _, workspace) = a_workspace_over_two();
    let ws = workspace.file_name().unwrap().to_str().unwrap().to_owned();
    let t = Timestamp::from_unix_millis(1_800_000_000_000);
    const SAID: &str = "Being told early is what lets carers take part";
    {
        let (mut w, _) = roundtable::store::Writer::open(&workspace, t).unwrap();
        let e = Event::InterpretationDrafted {
            id: "i1".into(),
            text: SAID.into(),
            translations: vec![],
            concepts: vec!["A.c1".into(), "A.i2".into()],
            statements: vec![],
            at: t,
        };
        w.record("researcher", t, &e).unwrap();
    }
    // The workshop takes it up when it is made.
    let o = roundtable(
        tmp.path(),
        &[
            "new",
            "--template",
            "cross-case-workshop",
            "--title",
            "Cross-case workshop",
            "--focus",
            "Do we agree?",
            "--take-up",
            &ws,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!(
            "Took up 1 interpretation from {ws} to present and decide: i1."
        )),
        "{}",
        stdout(&o)
    );
    let shop = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("-cross-case-workshop"))
        .unwrap();
    let shop_name = shop.file_name().unwrap().to_str().unwrap().to_owned();
    let s = roundtable::store::open_read_only(&shop).unwrap().session;
    assert_eq!(s.interpretations["i1"].text(), SAID);
    let from = &s.taken_up["i1"];
    assert_eq!(from.workspace, ws);
    assert!(
        from.grounds.len() == 1 && from.grounds[0].starts_with("Case A · CAG roundtable"),
        "{:?}",
        from.grounds
    );
    // Projected whole, with the cases it rests on.
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 36)).unwrap();
    let mut room = s.clone();
    room.apply(&Event::RoomShows {
        view: RoomView::Interpretation("i1".into()),
        at: t,
    })
    .unwrap();
    let app = roundtable::app::App::new(roundtable::app::keymap::Keymap::default(), "-");
    term.draw(|f| {
        roundtable::ui::projector::render(
            f,
            f.area(),
            &app,
            &room,
            t,
            &roundtable::ui::Theme::default(),
        )
    })
    .unwrap();
    let shown = common::screen_text(&term);
    assert!(shown.contains("resting on 1 case:"), "{shown}");
    assert!(shown.contains("Case A · CAG roundtable"), "{shown}");
    // `show` says where it came from.
    let o = roundtable(tmp.path(), &["show", &shop_name]);
    assert!(
        stdout(&o).contains(&format!(
            "taken up from i1 of the workspace {ws}: Case A · CAG roundtable"
        )),
        "{}",
        stdout(&o)
    );
    // A case's decliner is in the count, never in a role group's.
    let (tmp2, workspace2, _) = a_workspace_with_a_decliner();
    let ws2 = workspace2.file_name().unwrap().to_str().unwrap().to_owned();
    let o = roundtable(
        tmp2.path(),
        &[
            "new",
            "--template",
            "cross-case-workshop",
            "--title",
            "W2",
            "--focus",
            "?",
            "--take-up",
            &ws2,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let w2 = std::fs::read_dir(tmp2.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|f| f.ends_with("-w2"))
        .unwrap();
    let o = roundtable(tmp2.path(), &["show", &w2]);
    let shown = stdout(&o);
    assert!(
        shown.contains("Case B · May CAG: 2 statements (staff 1, 1 withheld)"),
        "{shown}"
    );
    // Nothing decided yet: nothing to record.
    let o = roundtable(tmp.path(), &["verdicts", &ws, "--from", &shop_name]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Nothing new to record"),
        "{}",
        stdout(&o)
    );
    // The workshop votes and agrees it.
    common::workshop_agrees_i1(&shop, &[("P1", None), ("P2", None), ("P3", None)], t);
    let o = roundtable(tmp.path(), &["verdicts", &ws, "--from", &shop_name]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!(
            "Recorded in {ws}: i1 agreed in {shop_name} (vote v1)."
        )),
        "{}",
        stdout(&o)
    );
    let s = roundtable::store::open_read_only(&workspace)
        .unwrap()
        .session;
    let i1 = &s.interpretations["i1"];
    assert_eq!(i1.status, InterpretationStatus::Agreed);
    assert!(
        i1.history
            .last()
            .is_some_and(|h| h.reason == format!("in the workshop {shop_name}, vote v1: 3 agree")),
        "{:?}",
        i1.history
    );
    // Once only.
    let o = roundtable(tmp.path(), &["verdicts", &ws, "--from", &shop_name]);
    assert!(
        stdout(&o).contains("Nothing new to record"),
        "{}",
        stdout(&o)
    );
    // The workspace's report says where it was agreed.
    let o = roundtable(tmp.path(), &["export", &ws, "--format", "md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = std::fs::read_to_string(workspace.join("exports").join(format!("{ws}.md"))).unwrap();
    assert!(
        md.contains(&format!("in the workshop {shop_name}, vote v1: 3 agree")),
        "{md}"
    );
    // A session that is not a workspace cannot be taken up from.
    let o = roundtable(
        tmp.path(),
        &[
            "new",
            "--template",
            "cag-roundtable",
            "--title",
            "Not from a session",
            "--focus",
            "?",
            "--take-up",
            EXAMPLE,
        ],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("is not a cross-case workspace"),
        "{}",
        stderr(&o)
    );
    assert!(
        !std::fs::read_dir(tmp.path()).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with("not-from-a-session")),
        "no half-made session left behind"
    );
}

/// A line of argument with ordered stages reads as a model in every place
/// a researcher reads it: `show`, the report (each stage's concepts and
/// their statements), the eMERGe account and translations.csv.
#[test]
fn a_line_of_arguments_stages_are_in_show_the_report_and_the_tables() {
    use roundtable::domain::synthesis::ArgumentStage;
    use roundtable::domain::*;
    let tmp = copy_of_shipped();
    let dir = tmp.path().join(EXAMPLE);
    let t = Timestamp::from_unix_millis(1_800_000_000_000);
    {
        let (mut w, _) = roundtable::store::Writer::open(&dir, t).unwrap();
        for e in [
            Event::TranslationMade {
                id: "t4".into(),
                kind: TranslationKind::LineOfArgument {
                    argument: "From late word to being asked".into(),
                    stages: vec![
                        ArgumentStage {
                            title: "Noticing".into(),
                            concepts: vec!["c1".into()],
                        },
                        ArgumentStage {
                            title: "Asking".into(),
                            concepts: vec!["c2".into(), "c4".into()],
                        },
                    ],
                },
                concepts: vec!["c1".into(), "c2".into(), "c4".into()],
                rationale: "The stages of the process".into(),
                at: t,
            },
            Event::InterpretationDrafted {
                id: "i4".into(),
                text: "Being asked is a process".into(),
                translations: vec!["t4".into()],
                concepts: vec!["c1".into(), "c2".into(), "c4".into()],
                statements: vec![],
                at: t,
            },
        ] {
            w.record("facilitator", t, &e).unwrap();
        }
        // A stage may only hold concepts the line goes through (a joined
        // terminal's forged event included).
        let stray = Event::TranslationMade {
            id: "t5".into(),
            kind: TranslationKind::LineOfArgument {
                argument: "Stray".into(),
                stages: vec![ArgumentStage {
                    title: "Elsewhere".into(),
                    concepts: vec!["c5".into()],
                }],
            },
            concepts: vec!["c1".into(), "c2".into()],
            rationale: String::new(),
            at: t,
        };
        let refused = w.record("facilitator", t, &stray);
        assert!(
            refused.as_ref().is_err_and(|e| e
                .to_string()
                .contains("holds c5, which the line of argument does not go through")),
            "{refused:?}"
        );
    }
    let o = roundtable(tmp.path(), &["show", EXAMPLE]);
    let shown = stdout(&o);
    assert!(
        shown.contains("1. Noticing (c1)") && shown.contains("2. Asking (c2, c4)"),
        "{shown}"
    );
    for format in ["md", "csv"] {
        let o = roundtable(tmp.path(), &["export", EXAMPLE, "--format", format]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let md = std::fs::read_to_string(dir.join("exports").join(format!("{EXAMPLE}.md"))).unwrap();
    assert!(
        md.contains("in 2 stages: 1. Noticing: c1 Finding out too late (st2, st3, st12) — 2. Asking: c2 Carers as partners (st7, st9, st13, st5); c4 One person who joins it up (st5, st10, st8)"),
        "{md}"
    );
    assert!(
        md.contains("in 2 stages: 1. Noticing (c1); 2. Asking (c2, c4)"),
        "the eMERGe account:\n{md}"
    );
    let csv =
        std::fs::read_to_string(dir.join("exports").join("csv").join("translations.csv")).unwrap();
    assert!(
        csv.contains("in 2 stages: 1. Noticing (c1); 2. Asking (c2, c4)"),
        "{csv}"
    );
    // Brought into a workspace, its stages name the case's concepts.
    let (w, warnings, _) = roundtable::ops::workspace::open_workspace(
        tmp.path(),
        &[EXAMPLE.to_owned()],
        None,
        None,
        None,
        "researcher",
    )
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        w.session().translations["A.t4"]
            .kind
            .stages_line()
            .as_deref(),
        Some("in 2 stages: 1. Noticing (A.c1); 2. Asking (A.c2, A.c4)")
    );
}

/// The same person in two cases (one register id, two pseudonyms) is each
/// case's participant in the workspace: its exports and a workshop's
/// take-up read both (before, the second case could not be brought in).
#[test]
fn one_person_in_two_cases_is_read_in_both() {
    use roundtable::domain::*;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
    std::fs::copy(
        "sessions/templates/cag-roundtable.ron",
        tmp.path().join("templates/cag-roundtable.ron"),
    )
    .unwrap();
    std::fs::copy(
        "sessions/templates/cross-case-workshop.ron",
        tmp.path().join("templates/cross-case-workshop.ron"),
    )
    .unwrap();
    let t = Timestamp::from_unix_millis(1_800_000_000_000);
    let mut folders = Vec::new();
    for (n, role) in [(1, "ServiceUser"), (2, "UnpaidCarer")] {
        let people = tmp.path().join(format!("case{n}.ron"));
        std::fs::write(
            &people,
            format!("[(id: \"P{n}\", role: {role}, person: \"CR01\", consent: true)]"),
        )
        .unwrap();
        let o = roundtable(
            tmp.path(),
            &[
                "new",
                "--template",
                "cag-roundtable",
                "--title",
                &format!("Case {n}"),
                "--focus",
                "?",
                "--participants",
                people.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let folder = format!("{}-case-{n}", t.date());
        let folder = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|f| f.ends_with(&format!("-case-{n}")))
            .unwrap_or(folder);
        let (mut w, _) = roundtable::store::Writer::open(&tmp.path().join(&folder), t).unwrap();
        let said = Event::StatementAdded {
            id: "st1".into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant(format!("P{n}").into()),
            stage: None,
            text: format!("Words from case {n}"),
            tags: vec![],
            captured_by: "facilitator".into(),
            at: t,
        };
        w.record("facilitator", t, &said).unwrap();
        folders.push(folder);
    }
    let (mut w, _, _) = roundtable::ops::workspace::open_workspace(
        tmp.path(),
        &folders,
        Some("ws".into()),
        None,
        None,
        "researcher",
    )
    .unwrap();
    for e in [
        Event::ConceptCreated {
            id: "c1".into(),
            name: "Both".into(),
            description: String::new(),
        },
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["A.st1".into(), "B.st1".into()],
        },
        Event::InterpretationDrafted {
            id: "i1".into(),
            text: "Said in both".into(),
            translations: vec![],
            concepts: vec!["c1".into()],
            statements: vec![],
            at: t,
        },
    ] {
        w.record("researcher", t, &e).unwrap();
    }
    drop(w);
    let o = roundtable(tmp.path(), &["export", "ws", "--format", "md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "no source left out: {}", stderr(&o));
    let md = std::fs::read_to_string(tmp.path().join("ws/exports/ws.md")).unwrap();
    assert!(
        md.contains("Words from case 1") && md.contains("Words from case 2"),
        "{md}"
    );
    assert!(md.contains("A workspace holds no votes"), "{md}");
    let o = roundtable(
        tmp.path(),
        &[
            "new",
            "--template",
            "cross-case-workshop",
            "--title",
            "Workshop",
            "--focus",
            "?",
            "--take-up",
            "ws",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Took up 1 interpretation"),
        "{}",
        stdout(&o)
    );
}

/// `--memos none` says the memos were left out, not that none were written,
/// in both reports, and Markdown's Memos heading is never empty; a draft
/// interpretation's decision says there is none yet (issue 35, items 6 and
/// 10).
#[test]
fn a_report_says_which_memos_it_leaves_out_and_that_a_draft_is_undecided() {
    use roundtable::domain::*;
    let tmp = copy_of_shipped();
    let dir = tmp.path().join(EXAMPLE);
    let t = Timestamp::from_unix_millis(1_800_000_000_000);
    {
        let (mut w, _) = roundtable::store::Writer::open(&dir, t).unwrap();
        let draft = Event::InterpretationDrafted {
            id: "i4".into(),
            text: "Still being worded".into(),
            translations: vec![],
            concepts: vec!["c1".into()],
            statements: vec![],
            at: t,
        };
        w.record("facilitator", t, &draft).unwrap();
    }
    for format in ["md", "html"] {
        let o = roundtable(
            tmp.path(),
            &["export", EXAMPLE, "--format", format, "--memos", "none"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(dir.join("exports").join(format!("{EXAMPLE}.{format}")))
            .unwrap();
        assert!(!text.contains("No memos were written"), "{format}");
        assert!(
            text.contains("4 memos were written; this report leaves them out (--memos)."),
            "{format}"
        );
        // In HTML the words are isolated (`<bdi>`), as all that was typed is.
        let text = text.replace("<bdi>", "").replace("</bdi>", "");
        assert!(
            text.contains("Decision: none yet") || text.contains("Decision:** none yet"),
            "{format}"
        );
    }
    let md = std::fs::read_to_string(dir.join("exports").join(format!("{EXAMPLE}.md"))).unwrap();
    assert!(!md.contains("## Memos\n\n\n## "), "an empty heading");
}

/// Every CSV is the same bytes whatever the computer's zone: times in UTC
/// with their zone said (involvement.csv and measures.csv wrote local
/// times without one) (issue 35, item 8).
#[test]
fn csv_tables_are_the_same_bytes_in_every_time_zone() {
    let tmp = copy_of_shipped();
    let mut seen: Vec<std::collections::BTreeMap<String, Vec<u8>>> = Vec::new();
    for zone in ["UTC", "Europe/Stockholm", "Asia/Tokyo"] {
        let out = tmp.path().join(zone.replace('/', "-"));
        let o = Command::new(env!("CARGO_BIN_EXE_roundtable"))
            .env("TZ", zone)
            .arg("--sessions")
            .arg(tmp.path())
            .args(["export", EXAMPLE, "--format", "csv", "--out"])
            .arg(format!("{}/", out.display()))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        seen.push(
            std::fs::read_dir(&out)
                .unwrap()
                .map(|e| {
                    let e = e.unwrap();
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect(),
        );
    }
    for (name, bytes) in &seen[0] {
        for other in &seen[1..] {
            assert!(
                other.get(name) == Some(bytes),
                "{name} differs by the computer's zone:\n{}\n---\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(other.get(name).map(Vec::as_slice).unwrap_or_default())
            );
        }
    }
    let involvement = String::from_utf8_lossy(&seen[1]["involvement.csv"]).into_owned();
    assert!(involvement.contains("present_utc"), "{involvement}");
}

/// A stage left out says so on the report's agenda chart, not only in its
/// table (issue 35, item 10).
#[test]
fn a_skipped_stage_is_labelled_on_the_agenda_chart() {
    use roundtable::domain::*;
    let tmp = copy_of_shipped();
    let second = a_second_session(tmp.path());
    let dir = tmp.path().join(&second);
    let t = Timestamp::from_unix_millis(1_800_000_000_000);
    {
        let (mut w, _) = roundtable::store::Writer::open(&dir, t).unwrap();
        let skip = Event::StageSkipped {
            stage: "S3".into(),
            skipped: true,
            at: t,
        };
        w.record("facilitator", t, &skip).unwrap();
    }
    let o = roundtable(tmp.path(), &["export", &second, "--format", "html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(dir.join("exports").join(format!("{second}.html"))).unwrap();
    let start = html
        .find("aria-label=\"Planned and actual time per stage\"")
        .expect("the agenda chart");
    let chart = &html[start..start + html[start..].find("</svg>").unwrap()];
    assert_eq!(chart.matches(">skipped<").count(), 1, "{chart}");
    // A resonance chart says which end is "strongly" (the example's two
    // resonance rounds), in both reports.
    for format in ["html", "md"] {
        let o = roundtable(tmp.path(), &["export", EXAMPLE, "--format", format]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(
            tmp.path()
                .join(EXAMPLE)
                .join("exports")
                .join(format!("{EXAMPLE}.{format}")),
        )
        .unwrap();
        let (strongly, not_at_all) = match format {
            "html" => (
                "class=\"label\"><bdi>5 strongly</bdi><",
                "class=\"label\"><bdi>1 not at all</bdi><",
            ),
            _ => ("\n| 5 strongly |", "\n| 1 not at all |"),
        };
        assert_eq!(text.matches(strongly).count(), 2, "{format}");
        assert_eq!(text.matches(not_at_all).count(), 2, "{format}");
    }
}

/// A vertical tab (Word's soft line break), a form feed, U+0085 and the
/// line separator are line breaks in every format, never deleted ("Word
/// soft breaknext line" in md and html before) (issue 35, item 5).
#[test]
fn every_format_keeps_words_soft_line_breaks_as_breaks() {
    use roundtable::domain::*;
    let tmp = copy_of_shipped();
    let dir = tmp.path().join(EXAMPLE);
    let t = Timestamp::from_unix_millis(1_800_000_000_000);
    {
        let (mut w, _) = roundtable::store::Writer::open(&dir, t).unwrap();
        let said = Event::StatementAdded {
            id: "st17".into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant("P1".into()),
            stage: None,
            text: "Word soft break\u{b}next line\u{c}fed\u{85}nel\u{2028}separated".into(),
            tags: vec![],
            captured_by: "facilitator".into(),
            at: t,
        };
        w.record("facilitator", t, &said).unwrap();
    }
    let out = tmp.path().join("out");
    for format in ["md", "html", "csv", "qdpx"] {
        let o = roundtable(
            tmp.path(),
            &[
                "export",
                EXAMPLE,
                "--format",
                format,
                "--out",
                &format!("{}/", out.display()),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let read =
        |name: &str| String::from_utf8_lossy(&std::fs::read(out.join(name)).unwrap()).into_owned();
    let lines = ["Word soft break", "next line", "fed", "nel", "separated"];
    assert!(read(&format!("{EXAMPLE}.md")).contains(&lines.join("\\\n  ")));
    assert!(read(&format!("{EXAMPLE}.html")).contains(&lines.join("<br>")));
    assert!(read("statements.csv").contains(&lines.join("\n")));
    let mut z =
        zip::ZipArchive::new(std::fs::File::open(out.join(format!("{EXAMPLE}.qdpx"))).unwrap())
            .unwrap();
    let mut transcript = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().is_ok_and(|n| n.starts_with("Sources/")) {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut f, &mut s).unwrap();
            transcript.push_str(&s);
        }
    }
    assert!(transcript.contains(&lines.join("\n")), "{transcript}");
}

/// Issue 33, item 4: `new --help` names every field a participants file
/// takes (it showed only id, role and consent), and a session made from a
/// file with a declared attribute keeps it.
#[test]
fn new_help_names_every_participant_field_and_attributes_reach_the_record() {
    let tmp = copy_of_shipped();
    let help = stdout(&roundtable(tmp.path(), &["new", "--help"]));
    for field in [
        "sector",
        "level",
        "consent",
        "real_name",
        "person",
        "attributes",
        "Nhs",
        "FrontLine",
    ] {
        assert!(
            help.contains(field),
            "new --help does not name {field}:\n{help}"
        );
    }
    let o = new_with_people(
        tmp.path(),
        "Grid",
        "What helps?",
        "(attributes: [(name: \"profession\", values: [\"nurse\"])],\n participants: [(id: \"P1\", role: Staff, sector: Vcse, level: Operational, consent: true, attributes: {\"profession\": \"nurse\"})])",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = new_with_people(
        tmp.path(),
        "Grid two",
        "What helps?",
        "[(id: \"P1\", role: Staff, profession: \"nurse\")]",
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("people.ron line 1") && stderr(&o).contains("`profession`"),
        "{}",
        stderr(&o)
    );
    let journal = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with("-grid"))
        .map(|e| std::fs::read_to_string(e.path().join("journal.ron")).unwrap())
        .unwrap();
    assert!(
        journal.contains("attributes:{\"profession\":\"nurse\"}"),
        "{journal}"
    );
}
