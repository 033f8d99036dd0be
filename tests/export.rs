//! Exports of the example session, checked as a researcher's tools would.

mod common;
use common::*;
use roundtable::domain::Event;
use roundtable::export::html::esc;
use roundtable::ops::export::{Format, export};
use std::io::Read;
use std::path::{Path, PathBuf};

const EXAMPLE: &str = "sessions/2026-03-14-cag-findings";

/// A private copy of the example, so exports never write into the repository.
fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("2026-03-14-cag-findings");
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["journal.ron", "snapshot.ron"] {
        std::fs::copy(Path::new(EXAMPLE).join(f), dir.join(f)).unwrap();
    }
    (tmp, dir)
}

fn run(dir: &Path, format: Format, names: bool) -> Vec<PathBuf> {
    export(dir, format, None, names).unwrap().files
}

fn read_qdpx(path: &Path) -> (String, String) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut qde = String::new();
    zip.by_name("project.qde")
        .unwrap()
        .read_to_string(&mut qde)
        .unwrap();
    let name = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .find(|n| n.starts_with("Sources/"))
        .unwrap();
    let mut text = String::new();
    zip.by_name(&name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    (qde, text)
}

fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let key = format!(" {name}=\"");
    let start = tag
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        + key.len();
    &tag[start..start + tag[start..].find('"').unwrap()]
}

#[test]
fn the_html_report_holds_every_interpretation_vote_and_stage_and_stands_alone() {
    let (_tmp, dir) = example_copy();
    let files = run(&dir, Format::Html, false);
    let html = std::fs::read_to_string(&files[0]).unwrap();
    let r = roundtable::store::open_read_only(&dir).unwrap();
    let s = &r.session;
    for i in s.interpretations.values() {
        assert!(
            html.contains(&esc(i.text())),
            "interpretation {} missing",
            i.id
        );
    }
    for v in s.rounds.values() {
        assert!(
            html.contains(&esc(&v.question)) && html.contains(&format!(">{}<", v.id)),
            "vote {} missing",
            v.id
        );
    }
    for st in s.stages.values() {
        assert!(html.contains(&esc(&st.title)), "stage {} missing", st.id);
    }
    assert!(
        html.contains(&r.head),
        "the head hash is in the audit section"
    );
    assert!(html.contains("<svg") && html.contains("@media print"));
    for external in ["<link", "<script", "src=\"http", "url(http", "@import"] {
        assert!(
            !html.contains(external),
            "the report refers to something outside itself: {external}"
        );
    }
    let md = std::fs::read_to_string(&run(&dir, Format::Md, false)[0]).unwrap();
    for i in s.interpretations.values() {
        assert!(md.contains(i.text()), "markdown misses {}", i.id);
    }
}

#[test]
fn the_qdpx_project_validates_against_the_refi_qda_schema() {
    let (tmp, dir) = example_copy();
    let files = run(&dir, Format::Qdpx, false);
    let (qde, _) = read_qdpx(&files[0]);
    let path = tmp.path().join("project.qde");
    std::fs::write(&path, &qde).unwrap();
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", "../shared/refi-qda/Project.xsd"])
        .arg(&path)
        .output()
        .expect("xmllint is needed (apt-get install libxml2-utils); ./run-tests installs it");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn each_selection_covers_exactly_its_statement_in_the_transcript() {
    let (_tmp, dir) = example_copy();
    let (qde, text) = read_qdpx(&run(&dir, Format::Qdpx, false)[0]);
    let chars: Vec<char> = text.chars().collect();
    let r = roundtable::store::open_read_only(&dir).unwrap();
    let mut seen = 0;
    for tag in qde.split("<PlainTextSelection ").skip(1) {
        let id = attr(tag, "name");
        let start: usize = attr(tag, "startPosition").parse().unwrap();
        let end: usize = attr(tag, "endPosition").parse().unwrap();
        let covered: String = chars[start..end].iter().collect();
        let st = &r.session.statements[id];
        assert_eq!(covered, st.current().text, "selection {id}");
        seen += 1;
    }
    let live = r
        .session
        .statements
        .values()
        .filter(|s| !s.is_retracted())
        .count();
    assert_eq!(seen, live, "every statement not retracted has a selection");
    let retracted = r
        .session
        .statements
        .values()
        .find(|s| s.is_retracted())
        .unwrap();
    assert!(
        !text.contains(&retracted.current().text),
        "a retracted statement's words stay out of the export"
    );
}

#[test]
fn guids_are_stable_across_exports_and_later_events() {
    let (_tmp, dir) = example_copy();
    let first = std::fs::read(&run(&dir, Format::Qdpx, false)[0]).unwrap();
    let second = std::fs::read(&run(&dir, Format::Qdpx, false)[0]).unwrap();
    assert_eq!(first, second, "the same session exports to the same bytes");
    let guids = |qde: &str| -> Vec<String> {
        qde.split("guid=\"")
            .skip(1)
            .map(|s| s[..36].to_owned())
            .collect()
    };
    let (before, _) = read_qdpx(&run(&dir, Format::Qdpx, false)[0]);
    let (mut w, _) = roundtable::store::Writer::open(&dir, t(0)).unwrap();
    w.record(
        "facilitator",
        t(1),
        &Event::MemoAdded {
            id: "m99".into(),
            kind: roundtable::domain::MemoKind::Process,
            text: "Added weeks later".into(),
            stage: None,
            by: "researcher".into(),
            at: t(1),
        },
    )
    .unwrap();
    drop(w);
    let (after, _) = read_qdpx(&run(&dir, Format::Qdpx, false)[0]);
    let after = guids(&after);
    for g in guids(&before) {
        assert!(after.contains(&g), "GUID {g} changed after a new event");
    }
}

#[test]
fn csv_reads_back_with_the_same_rows_and_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let w = small_session(&dir, 5);
    let session = w.session().clone();
    drop(w);
    let files = run(&dir, Format::Csv, false);
    let statements = files
        .iter()
        .find(|p| p.ends_with("statements.csv"))
        .unwrap();
    let mut rdr = csv::Reader::from_path(statements).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), session.statements.len());
    for (row, st) in rows.iter().zip(session.statements.values()) {
        assert_eq!(row.len(), headers.len());
        assert_eq!(&row[col("id")], st.id.as_str());
        assert_eq!(
            &row[col("text")],
            st.current().text,
            "quotes, commas and line breaks survive"
        );
        assert!(
            st.current().text.contains('"')
                && st.current().text.contains(',')
                && st.current().text.contains('\n')
        );
        assert_eq!(&row[col("speaker")], "P1");
        assert_eq!(&row[col("tags")], "barrier");
    }
    let (_t, ex) = example_copy();
    for f in run(&ex, Format::Csv, false) {
        let mut rdr = csv::Reader::from_path(&f).unwrap();
        let n = rdr.headers().unwrap().len();
        let rows: Vec<_> = rdr.records().map(|r| r.unwrap()).collect();
        assert!(!rows.is_empty(), "{}", f.display());
        assert!(rows.iter().all(|r| r.len() == n), "{}", f.display());
    }
}

/// Every byte of every export, as text.
fn all_exports(dir: &Path, names: bool) -> String {
    let mut all = String::new();
    for format in [Format::Md, Format::Html, Format::Csv] {
        for f in run(dir, format, names) {
            all.push_str(&std::fs::read_to_string(f).unwrap());
        }
    }
    let (qde, text) = read_qdpx(&run(dir, Format::Qdpx, names)[0]);
    all.push_str(&qde);
    all.push_str(&text);
    all
}

#[test]
fn no_real_name_leaves_without_names_and_all_do_with_it() {
    let (_tmp, dir) = example_copy();
    let r = roundtable::store::open_read_only(&dir).unwrap();
    let names: Vec<String> = r
        .session
        .participants
        .values()
        .filter_map(|p| p.real_name.clone())
        .collect();
    assert_eq!(names.len(), 8);
    let private = all_exports(&dir, false);
    for n in &names {
        assert!(
            !private.contains(n.as_str()),
            "{n} appears in an export without --names"
        );
        let surname = n.split_whitespace().last().unwrap();
        assert!(
            !private.contains(surname),
            "{surname} appears in an export without --names"
        );
    }
    let named = all_exports(&dir, true);
    for n in &names {
        assert!(named.contains(n.as_str()), "{n} is missing with --names");
    }
}

#[test]
fn exports_never_touch_the_journal_and_leave_no_temporary_files() {
    let (_tmp, dir) = example_copy();
    let journal = std::fs::read(dir.join("journal.ron")).unwrap();
    for format in [Format::Md, Format::Html, Format::Csv, Format::Qdpx] {
        run(&dir, format, false);
    }
    assert_eq!(std::fs::read(dir.join("journal.ron")).unwrap(), journal);
    let mut stray = Vec::new();
    for entry in walk(&dir) {
        if entry
            .file_name()
            .unwrap()
            .to_string_lossy()
            .contains(".tmp-")
        {
            stray.push(entry);
        }
    }
    assert!(stray.is_empty(), "{stray:?}");
    assert!(
        !dir.join("writer.lock").exists(),
        "exporting takes no writer lock"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn quotes_are_quoted_and_paraphrases_are_not() {
    let (_tmp, dir) = example_copy();
    for format in [Format::Md, Format::Html] {
        let text = std::fs::read_to_string(&run(&dir, format, false)[0]).unwrap();
        assert!(
            text.contains("“Nobody told me I was going home until the transport was at the door.”"),
            "{format:?}: a quote in quotation marks"
        );
        assert!(
            text.contains("Ward staff say bed pressure")
                && !text.contains("“Ward staff say bed pressure"),
            "{format:?}: a paraphrase is the note-taker's words, not quoted"
        );
    }
}

/// A participant who has not consented: their words are captured, but no
/// projector shows them and every export withholds them, keeping a count.
#[test]
fn words_without_consent_are_never_projected_and_withheld_from_every_export() {
    use roundtable::domain::{Participant, Role, Speaker, StatementKind};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let mut w = small_session(&dir, 1);
    w.record(
        "facilitator",
        t(2),
        &Event::ParticipantAdded {
            participant: Participant {
                id: "P2".into(),
                role: Role::UnpaidCarer,
                sector: None,
                level: None,
                real_name: None,
                consent: false,
                person: None,
                attributes: Default::default(),
            },
        },
    )
    .unwrap();
    const SECRET: &str = "My husband's diagnosis is not something I want written down";
    w.record(
        "note-taker",
        t(3),
        &Event::StatementAdded {
            id: "st9".into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant("P2".into()),
            stage: Some("S1".into()),
            text: SECRET.into(),
            tags: vec![],
            captured_by: "note-taker".into(),
            at: t(3),
        },
    )
    .unwrap();
    let session = w.session().clone();
    drop(w);
    // The projector.
    let mut app = roundtable::app::App::new(roundtable::app::keymap::Keymap::default(), "f");
    app.screen = roundtable::app::Screen::Projector;
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48)).unwrap();
    term.draw(|f| {
        roundtable::ui::render(f, &app, &session, t(4), &roundtable::ui::Theme::default())
    })
    .unwrap();
    let wall = screen_text(&term);
    assert!(!wall.contains("diagnosis"), "{wall}");
    // The capture screen marks them.
    app.screen = roundtable::app::Screen::Capture;
    term.draw(|f| {
        roundtable::ui::render(f, &app, &session, t(4), &roundtable::ui::Theme::default())
    })
    .unwrap();
    let capture = screen_text(&term);
    assert!(capture.contains("P2 carer ⊘"), "{capture}");
    assert!(
        capture.contains("[P2 · no consent: not shown]"),
        "{capture}"
    );
    assert!(!capture.contains("diagnosis"), "{capture}");
    // Every export, with names or without.
    for names in [false, true] {
        for format in [Format::Md, Format::Html, Format::Csv, Format::Qdpx] {
            for path in run(&dir, format, names) {
                let text = if format == Format::Qdpx {
                    let (qde, transcript) = read_qdpx(&path);
                    format!("{qde}{transcript}")
                } else {
                    std::fs::read_to_string(&path).unwrap()
                };
                assert!(!text.contains("diagnosis"), "{format:?} {}", path.display());
                if path.extension().is_some_and(|e| e != "csv") {
                    assert!(
                        text.contains("1 statement withheld: no consent"),
                        "{format:?} {} says it withheld something",
                        path.display()
                    );
                }
                // The table counts them by stage; no row names them.
                if path.ends_with("stages.csv") {
                    assert!(
                        text.lines()
                            .next()
                            .unwrap()
                            .ends_with(",statements,statements_withheld")
                            && text.lines().any(|l| l.ends_with(",1")),
                        "{text}"
                    );
                }
                if path.ends_with("statements.csv") {
                    assert!(!text.contains("st9"), "{text}");
                }
            }
        }
    }
}

/// Reports say what happened: a stage given less time is "shortened", not
/// "extended"; someone who left and came back within a minute reads "left
/// 11:02:10, back 11:02:40", in that order (it read "arrived 11:02; left
/// 11:02") (issue 31, item 10).
#[test]
fn reports_say_what_happened_to_a_shortened_stage_and_who_came_back() {
    use roundtable::domain::{Event, Timestamp};
    let (_tmp, dir) = example_copy();
    let (mut w, _) = roundtable::store::Writer::open(&dir, Timestamp::default()).unwrap();
    w.settle();
    let at = w.last_record_time().unwrap().plus_secs(60);
    // A stage that took less than its time, given some of the rest back.
    let (first, by_secs, number) = {
        let s = w.session();
        let (i, st) = s
            .stages
            .values()
            .enumerate()
            .find(|(_, st)| st.elapsed_millis(at) / 1000 + 60 < st.allowed_secs())
            .expect("a stage that ended early");
        let spare = st.allowed_secs() - st.elapsed_millis(at) / 1000;
        (st.id.clone(), -(spare / 2), i + 1)
    };
    let events = [
        Event::StageReopened {
            stage: first.clone(),
            at,
        },
        Event::StageAdjusted {
            stage: first.clone(),
            by_secs,
            at,
        },
        Event::StageEnded {
            stage: first.clone(),
            at,
        },
        Event::ParticipantLeft {
            participant: "P6".into(),
            at: at.plus_secs(10),
        },
        Event::ParticipantArrived {
            participant: "P6".into(),
            at: at.plus_secs(40),
        },
    ];
    for e in &events {
        w.record("facilitator", at, e).unwrap();
    }
    drop(w);
    let html = std::fs::read_to_string(&run(&dir, Format::Html, false)[0]).unwrap();
    let chart = html.split("<svg").nth(1).unwrap();
    let row = chart
        .split(&format!(">{number}. "))
        .nth(1)
        .unwrap()
        .split(&format!(">{}. ", number + 1))
        .next()
        .unwrap();
    assert!(row.contains("(shortened)"), "{row}");
    let md = std::fs::read_to_string(&run(&dir, Format::Md, false)[0]).unwrap();
    let line = md
        .lines()
        .find(|l| l.contains("P6:"))
        .unwrap_or_else(|| panic!("no attendance line for P6:\n{md}"));
    let left = line.find("left ").expect(line);
    let back = line.find("back ").expect(line);
    assert!(left < back, "{line}");
    assert!(!line.contains("arrived"), "{line}");
    assert!(line.matches(':').count() >= 5, "to the second: {line}");
}

/// Reads a CSV the way a script does: header names to cells, per row.
fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut r = ::csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// Issue 33: a staff study on the 3×3 grid with a codebook from a `.qdc`:
/// the final template and the matrices (codes × sector, codes × level)
/// are those worked out by hand from the twelve statements, with every
/// cell's statements named and the one who declined only counted.
#[test]
fn the_final_template_and_matrix_tables_match_the_hand_worked_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = grid::grid_session(tmp.path());
    let csv_dir = run(&dir, Format::Csv, false)[0]
        .parent()
        .unwrap()
        .to_owned();
    let matrix = csv_rows(&csv_dir.join("matrix.csv"));
    let cell = |by: &str, code: &str, group: &str| -> String {
        matrix
            .iter()
            .find(|r| r["breakdown"] == by && r["code"] == code && r["group"] == group)
            .map(|r| {
                format!("{} {}", r["count"], r["statements"])
                    .trim()
                    .to_owned()
            })
            .unwrap_or_else(|| panic!("no cell {by} {code} {group}: {matrix:?}"))
    };
    // By hand: who said what, and where they sit.
    let want = [
        ("sector", "capability", "NHS", "1 st6"),
        ("sector", "capability", "Local Authority", "3 st1 st2 st10"),
        ("sector", "capability", "VCSE", "0"),
        (
            "sector",
            "capability/knowledge",
            "Local Authority",
            "2 st1 st10",
        ),
        ("sector", "opportunity", "VCSE", "2 st7 st8"),
        ("sector", "opportunity/time", "NHS", "1 st11"),
        ("sector", "motivation/role", "NHS", "1 st4"),
        ("sector", "motivation/role", "withheld", "1"),
        ("sector", "barrier", "Local Authority", "3 st1 st3 st10"),
        ("sector", "barrier", "NHS", "1 st5"),
        ("sector", "barrier", "VCSE", "1 st8"),
        ("sector", "barrier", "withheld", "1"),
        ("sector", "enabler", "NHS", "3 st4 st6 st11"),
        ("level", "barrier", "strategic", "1 st1"),
        ("level", "barrier", "operational", "2 st5 st8"),
        ("level", "barrier", "front line", "2 st3 st10"),
        ("level", "enabler", "strategic", "2 st4 st7"),
        ("level", "enabler", "front line", "2 st6 st11"),
    ];
    for (by, code, group, expected) in want {
        assert_eq!(cell(by, code, group), expected, "{by} × {code} × {group}");
    }
    assert!(
        !matrix.iter().any(|r| r["breakdown"] == "role group"),
        "nine staff: a role-group matrix would put everything under staff"
    );
    assert!(
        !matrix.iter().any(|r| r["group"] == "no sector"),
        "everyone has a sector"
    );
    // The final template: each quote under its code and facet, labelled.
    let template = csv_rows(&csv_dir.join("template.csv"));
    let under = |code: &str, facet: &str| -> Vec<String> {
        template
            .iter()
            .filter(|r| r["code"] == code && r["facet"] == facet)
            .map(|r| match r["statement"].is_empty() {
                true => r["note"].clone(),
                false => format!("{} ({})", r["statement"], r["who"]),
            })
            .collect()
    };
    assert_eq!(
        under("capability/knowledge", "Barrier"),
        [
            "st1 (P1; Local Authority, strategic)",
            "st10 (P3; Local Authority, front line)"
        ]
    );
    assert_eq!(
        under("capability/knowledge", "Enabler"),
        ["st6 (P6; NHS, front line)"]
    );
    assert_eq!(
        under("motivation/role", "Barrier"),
        ["1 withheld: no consent"],
        "P9's words stay out; the count stays"
    );
    assert!(
        !template.iter().any(|r| r["statement"] == "st12"),
        "an uncoded statement is in no theme"
    );
    assert!(
        !std::fs::read_to_string(csv_dir.join("template.csv"))
            .unwrap()
            .contains("Nobody told us")
    );
    // The report says the same.
    let md = std::fs::read_to_string(&run(&dir, Format::Md, false)[0]).unwrap();
    for line in [
        "## Final template",
        "#### Knowledge (#capability/knowledge)",
        "- **Barrier** (2)",
        "  - “We never had training in co-production” (P1; Local Authority, strategic) st1",
        "### Codes × sector",
        "| → Knowledge | 1 (st6) | 2 (st1, st10) | 0 | 0 |",
        "### Codes × level",
    ] {
        assert!(md.contains(line), "the report lacks `{line}`:\n{md}");
    }
    assert!(!md.contains("Nobody told us"), "P9 did not consent");
}

/// Issue 33: the codebook goes out as a `.qdc` and comes back identical:
/// exported, imported into a new session, exported again, byte for byte;
/// and the NVivo codebook's names became the tags a note-taker types.
#[test]
fn the_codebook_round_trips_through_qdc() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = grid::grid_session(tmp.path());
    let first = run(&dir, Format::Qdc, false)[0].clone();
    let codes = roundtable::store::qdc::read(&first).unwrap();
    let paths: Vec<&str> = codes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "capability",
            "capability/knowledge",
            "capability/skills",
            "opportunity",
            "opportunity/time",
            "opportunity/resources",
            "motivation",
            "motivation/role",
            "barrier",
            "enabler"
        ]
    );
    assert!(
        codes
            .iter()
            .filter(|c| c.facet)
            .map(|c| &c.name)
            .eq(["Barrier", "Enabler"])
    );
    assert_eq!(codes[1].description, "Knowing what co-production is & how");
    let again = tmp.path().join("again");
    let mut events = vec![Event::SessionCreated {
        title: "Again".into(),
        focus: "f".into(),
        facilitator: "Sam".into(),
        created: t(0),
        template: None,
    }];
    events.extend(roundtable::store::template::code_events(&codes));
    roundtable::store::Writer::create(&again, "facilitator", t(0), &events).unwrap();
    let second = run(&again, Format::Qdc, false)[0].clone();
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap(),
        "the codebook came back different"
    );
    let original = roundtable::store::open_read_only(&dir)
        .unwrap()
        .session
        .codebook;
    let back = roundtable::store::open_read_only(&again)
        .unwrap()
        .session
        .codebook;
    assert_eq!(original, back);
}

/// Issue 35: the GRIPP2 short form on the shipped example: all five items,
/// every sentence drawn from the record ending with record ids that are in
/// the session (participants, stages, rounds, translations,
/// interpretations, actions, memos), each blank marked; nobody who did not
/// consent named; only in the researcher's report.
#[test]
fn the_gripp2_section_traces_every_figure_to_its_records() {
    let (_tmp, dir) = example_copy();
    let md = std::fs::read_to_string(&run(&dir, Format::Md, false)[0]).unwrap();
    let at = md
        .find("## Reporting involvement (GRIPP2 short form)")
        .expect("the section");
    let section = &md[at..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
    for title in [
        "### 1. Aim",
        "### 2. Methods",
        "### 3. Results",
        "### 4. Discussion and conclusions",
        "### 5. Reflections / critical perspective",
    ] {
        assert!(section.contains(title), "{title}:\n{section}");
    }
    let short = &section[..section.find("### The long form").expect("the long form")];
    assert_eq!(
        short.matches("[For the authors to write:").count(),
        5,
        "each item's blank is marked:\n{section}"
    );
    for title in [
        "#### Background",
        "#### Methods",
        "#### Capture or measure of impact",
        "#### Economic assessment",
        "#### Results",
    ] {
        assert!(section.contains(title), "{title}:\n{section}");
    }
    let long = &section[section.find("### The long form").unwrap()..];
    assert!(long.contains("ladder of co-production"), "{long}");
    assert_eq!(
        long.matches("[For the authors to write:").count(),
        4,
        "{long}"
    );
    let r = roundtable::store::open_read_only(&dir).unwrap();
    let s = &r.session;
    let known = |id: &str| {
        s.participants.keys().any(|k| k.as_str() == id)
            || s.stages.keys().any(|k| k.as_str() == id)
            || s.rounds.keys().any(|k| k.as_str() == id)
            || s.translations.keys().any(|k| k.as_str() == id)
            || s.interpretations.keys().any(|k| k.as_str() == id)
            || s.actions.keys().any(|k| k.as_str() == id)
            || s.memos.keys().any(|k| k.as_str() == id)
            || s.statements.keys().any(|k| k.as_str() == id)
    };
    let mut cited = 0;
    for line in section.lines().filter(|l| l.starts_with("- ")) {
        let Some(start) = line
            .find("\\[records: ")
            .or_else(|| line.find("[records: "))
        else {
            continue;
        };
        let list = &line[start..];
        let list = &list[list.find(": ").unwrap() + 2..list.rfind(']').unwrap()];
        for id in list.trim_end_matches('\\').split(", ") {
            assert!(known(id), "`{id}` is not a record of the session: {line}");
            cited += 1;
        }
    }
    assert!(cited >= 20, "figures traced to {cited} records:\n{section}");
    // Who took part: only those who consented are named.
    for p in s.participants.values().filter(|p| !p.consent) {
        assert!(
            !section.contains(&format!(" {},", p.id)) && !section.contains(&format!(" {}]", p.id)),
            "{} did not consent:\n{section}",
            p.id
        );
    }
    let group = roundtable::ops::export::export_with(
        &dir,
        Format::Md,
        Some(dir.join("group.md")),
        roundtable::ops::export::Options {
            shape: roundtable::export::report::Shape {
                audience: roundtable::export::report::Audience::Group,
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .unwrap();
    let group = std::fs::read_to_string(&group.files[0]).unwrap();
    assert!(
        !group.contains("GRIPP2"),
        "the group's report has no GRIPP2 section"
    );
}

/// The workbook is the same bytes every time the same session is exported
/// (it carried the clock's time: two exports a second apart differed).
#[test]
fn the_workbook_is_the_same_bytes_every_time() {
    let (tmp, dir) = example_copy();
    let one = tmp.path().join("one.xlsx");
    let two = tmp.path().join("two.xlsx");
    export(&dir, Format::Xlsx, Some(one.clone()), false).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    export(&dir, Format::Xlsx, Some(two.clone()), false).unwrap();
    assert!(
        std::fs::read(&one).unwrap() == std::fs::read(&two).unwrap(),
        "two exports of the same session differ"
    );
}
