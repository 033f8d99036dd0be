//! Malformed files: each gives a clear error naming the file and line, and
//! none panics or overflows the stack.

mod common;
use common::*;
use roundtable::store::record::{GENESIS, sha256_hex};
use roundtable::store::{self, StoreError, Writer, snapshot, template};
use std::path::Path;

/// A line with a correct hash over whatever body it is given, as a forger
/// (or a buggy writer) would produce.
fn seal(body: &[u8]) -> Vec<u8> {
    let mut line = body.to_vec();
    line.extend_from_slice(format!(",hash:\"{}\")\n", sha256_hex(body)).as_bytes());
    line
}

/// The example's first three lines, and the head hash after them.
fn good_prefix(dir: &Path) -> (Vec<u8>, String) {
    drop(small_session(dir, 0));
    let bytes = std::fs::read(journal(dir)).unwrap();
    let v = store::verify(dir).unwrap();
    assert!(v.failure.is_none());
    (bytes, v.head)
}

/// Writes a journal made of the good prefix plus `extra`, and returns what
/// `verify` and `Writer::open` say.
fn journal_case(extra: impl FnOnce(&str) -> Vec<u8>) -> (String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let (mut bytes, head) = good_prefix(&dir);
    bytes.extend(extra(&head));
    std::fs::write(journal(&dir), &bytes).unwrap();
    let verify = match store::verify(&dir) {
        Ok(v) => v
            .failure
            .map(|f| f.to_string())
            .unwrap_or_else(|| "no failure".into()),
        Err(e) => e.to_string(),
    };
    let open = match Writer::open(&dir, t(999)) {
        Ok((_, w)) => format!("opened; warnings: {w:?}"),
        Err(e) => e.to_string(),
    };
    (verify, open)
}

fn expect(case: &str, got: &str, words: &[&str]) {
    for w in words {
        assert!(got.contains(w), "{case}: `{got}` does not mention `{w}`");
    }
}

fn body(seq: u64, prev: &str, event: &str) -> Vec<u8> {
    format!("(seq:{seq},prev:\"{prev}\",at:\"2026-03-14T10:00:00Z\",actor:\"x\",event:{event}")
        .into_bytes()
}

const GOOD_EVENT: &str = "ConsentChanged(participant:\"P1\",consent:false)";

#[test]
fn journal_lines() {
    type Extra = Box<dyn FnOnce(&str) -> Vec<u8>>;
    let cases: Vec<(&str, Extra, Vec<&str>)> = vec![
        (
            "truncated line followed by another",
            Box::new(|h| {
                let mut v = seal(&body(4, h, GOOD_EVENT));
                v.truncate(v.len() / 2);
                v.push(b'\n');
                v.extend(seal(&body(5, h, GOOD_EVENT)));
                v
            }),
            vec!["journal.ron line 4", "does not end with a record hash"],
        ),
        (
            "wrong type (sequence number as text)",
            Box::new(|h| {
                seal(format!("(seq:\"four\",prev:\"{h}\",at:\"2026-03-14T10:00:00Z\",actor:\"x\",event:{GOOD_EVENT}").as_bytes())
            }),
            vec!["journal.ron line 4", "not a valid record"],
        ),
        (
            "wrong type (timestamp)",
            Box::new(|h| {
                seal(
                    format!("(seq:4,prev:\"{h}\",at:\"yesterday\",actor:\"x\",event:{GOOD_EVENT}")
                        .as_bytes(),
                )
            }),
            vec!["journal.ron line 4", "RFC 3339"],
        ),
        (
            "unknown event variant",
            Box::new(|h| seal(&body(4, h, "Exploded(how:\"loudly\")"))),
            vec!["journal.ron line 4", "not a valid record", "Exploded"],
        ),
        (
            "unknown record field",
            Box::new(|h| {
                seal(format!("(seq:4,prev:\"{h}\",at:\"2026-03-14T10:00:00Z\",actor:\"x\",colour:1,event:{GOOD_EVENT}").as_bytes())
            }),
            vec!["journal.ron line 4", "not a valid record"],
        ),
        (
            "a 10 MB line",
            Box::new(|h| {
                let mut v = body(
                    4,
                    h,
                    &format!(
                        "ConsentChanged(participant:\"{}\",consent:false)",
                        "P".repeat(10 << 20)
                    ),
                );
                v.extend_from_slice(b")\n");
                v
            }),
            vec!["journal.ron line 4", "longer than"],
        ),
        (
            "10,000 nested brackets",
            Box::new(|h| {
                seal(&body(
                    4,
                    h,
                    &format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
                ))
            }),
            vec!["journal.ron line 4", "nested more than"],
        ),
        (
            "invalid UTF-8",
            Box::new(|h| {
                let mut b = body(4, h, "ConsentChanged(participant:\"P");
                b.extend_from_slice(b"\xff\xfe\",consent:false)");
                seal(&b)
            }),
            vec!["journal.ron line 4", "not valid UTF-8"],
        ),
        (
            "duplicated sequence number",
            Box::new(|h| seal(&body(3, h, GOOD_EVENT))),
            vec![
                "journal.ron line 4",
                "sequence number 3 where 4 was expected",
            ],
        ),
        (
            "out-of-order sequence number",
            Box::new(|h| seal(&body(6, h, GOOD_EVENT))),
            vec![
                "journal.ron line 4",
                "sequence number 6 where 4 was expected",
            ],
        ),
        (
            "wrong previous hash",
            Box::new(|_| seal(&body(4, GENESIS, GOOD_EVENT))),
            vec![
                "journal.ron line 4",
                "previous hash does not match record 3",
            ],
        ),
        (
            "an empty line",
            Box::new(|h| {
                let mut v = b"\n".to_vec();
                v.extend(seal(&body(4, h, GOOD_EVENT)));
                v
            }),
            vec!["journal.ron line 4", "empty"],
        ),
        (
            "an event the session cannot take",
            Box::new(|h| {
                seal(&body(
                    4,
                    h,
                    "StageStarted(stage:\"S9\",at:\"2026-03-14T10:00:00Z\")",
                ))
            }),
            vec!["journal.ron line 4", "cannot be applied", "no stage `S9`"],
        ),
        (
            "hash in capitals, before another record",
            Box::new(|h| {
                let line = seal(&body(4, h, GOOD_EVENT));
                let mut v = String::from_utf8(line).unwrap().to_uppercase().into_bytes();
                v.extend(seal(&body(5, h, GOOD_EVENT)));
                v
            }),
            vec!["journal.ron line 4", "record 4"],
        ),
    ];
    for (name, extra, words) in cases {
        let (verify, open) = journal_case(extra);
        expect(name, &verify, &words);
        expect(name, &open, &words);
        expect(name, &open, &["will not write"]);
    }
}

/// What a power cut with reordered writes leaves: the last line is whole
/// (it has its newline) but its bytes are not what was written.
#[test]
fn a_complete_but_damaged_last_line_is_set_aside_like_a_torn_one() {
    type Damage = Box<dyn Fn(&str) -> Vec<u8>>;
    let damaged: Vec<(&str, Damage)> = vec![
        (
            "hash in capitals",
            Box::new(|h| {
                let line = seal(&body(4, h, GOOD_EVENT));
                String::from_utf8(line).unwrap().to_uppercase().into_bytes()
            }),
        ),
        (
            "zeros",
            Box::new(|_| [vec![0u8; 300], b"\n".to_vec()].concat()),
        ),
        (
            "a changed byte",
            Box::new(|h| {
                let mut line = seal(&body(4, h, GOOD_EVENT));
                line[40] ^= 1;
                line
            }),
        ),
    ];
    for (name, extra) in damaged {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("s");
        let (good, head) = good_prefix(&dir);
        let bad = extra(&head);
        std::fs::write(journal(&dir), [good.clone(), bad.clone()].concat()).unwrap();
        let v = store::verify(&dir).unwrap();
        let failure = v.failure.map(|f| f.to_string()).unwrap_or_default();
        expect(
            name,
            &failure,
            &[
                "journal.ron line 4",
                "complete but fails its check",
                "set it aside",
            ],
        );
        let shown = store::open_read_only(&dir).unwrap();
        assert_eq!(shown.records, 3, "{name}");
        expect(name, &shown.warnings.join(" "), &["line 4", "not counted"]);
        let (w, warnings) = Writer::open(&dir, t(999)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(w.records(), 3, "{name}");
        drop(w);
        expect(
            name,
            &warnings.join(" "),
            &[
                "line 4",
                "complete but fails its check",
                "power cut",
                "saved to",
            ],
        );
        assert_eq!(std::fs::read(journal(&dir)).unwrap(), good, "{name}");
        let aside: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".broken-"))
            .collect();
        assert_eq!(aside.len(), 1, "{name}");
        assert_eq!(std::fs::read(aside[0].path()).unwrap(), bad, "{name}");
        assert!(store::verify(&dir).unwrap().passed(), "{name}");
    }
}

#[test]
fn an_empty_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    drop(small_session(&dir, 0));
    std::fs::write(journal(&dir), b"").unwrap();
    let v = store::verify(&dir).unwrap();
    expect(
        "empty journal",
        &v.failure.unwrap().to_string(),
        &["journal.ron line 1", "no records"],
    );
    let err = Writer::open(&dir, t(1)).err().unwrap().to_string();
    expect("empty journal", &err, &["journal.ron", "no records"]);
}

fn template_error(contents: &[u8]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("broken.ron");
    std::fs::write(&path, contents).unwrap();
    match template::load_template(&path) {
        Ok(_) => "loaded".into(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn templates() {
    let good = std::fs::read_to_string("sessions/templates/cag-roundtable.ron").unwrap();
    assert_eq!(template_error(good.as_bytes()), "loaded");
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "truncated",
            good.as_bytes()[..good.len() / 2].to_vec(),
            vec!["broken.ron line", "column"],
        ),
        (
            "wrong type",
            good.replacen("minutes: 5,", "minutes: \"five\",", 1)
                .into_bytes(),
            vec!["broken.ron line 12, column 21", "integer"],
        ),
        (
            "unknown variant",
            good.replacen("kind: Welcome", "kind: Party", 1)
                .into_bytes(),
            vec!["broken.ron line 10, column", "Party"],
        ),
        (
            "unknown field",
            good.replacen("minutes: 5,", "minutes: 5, colour: 3,", 1)
                .into_bytes(),
            vec!["broken.ron line 12", "colour"],
        ),
        (
            "10,000 nested brackets",
            format!("(stages:{})", "[".repeat(10_000)).into_bytes(),
            vec!["broken.ron line 1", "nested more than"],
        ),
        (
            "invalid UTF-8",
            [good.as_bytes(), b"\n// \xff\xfe"].concat(),
            vec!["broken.ron line 60", "not valid UTF-8"],
        ),
        (
            "a 10 MB file",
            vec![b' '; 10 << 20],
            vec!["broken.ron", "larger than"],
        ),
        (
            "a stage of zero minutes",
            good.replacen("minutes: 5,", "minutes: 0,", 1).into_bytes(),
            vec!["broken.ron", "stage 1", "0 minutes"],
        ),
    ];
    for (name, contents, words) in cases {
        expect(name, &template_error(&contents), &words);
    }
}

#[test]
fn snapshots() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let mut w = small_session(&dir, 3);
    w.snapshot().unwrap();
    let live = canon(&w.session());
    drop(w);
    let good = std::fs::read_to_string(dir.join("snapshot.ron")).unwrap();
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "truncated",
            good.as_bytes()[..good.len() / 2].to_vec(),
            vec!["snapshot.ron: line 2: the session does not match its hash"],
        ),
        (
            "wrong type",
            good.replacen("seq:6", "seq:\"six\"", 1).into_bytes(),
            vec!["snapshot.ron: line 1, column"],
        ),
        (
            "nested",
            format!("(format:3,seq:{})", "(".repeat(10_000)).into_bytes(),
            vec!["snapshot.ron: line 1", "nested more than"],
        ),
        (
            "invalid UTF-8",
            b"(format:3,\xff)".to_vec(),
            vec!["snapshot.ron: line 1: not valid UTF-8"],
        ),
        (
            // Its hash recomputed, as a forger would: the parser is reached.
            "nested in the session, resealed",
            {
                let (head, body) = good.split_once('\n').unwrap();
                let body = body.trim_end_matches('\n');
                let nested = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
                let head =
                    head.replace(&sha256_hex(body.as_bytes()), &sha256_hex(nested.as_bytes()));
                format!("{head}\n{nested}\n").into_bytes()
            },
            vec!["snapshot.ron: line 2, column", "nested more than"],
        ),
        (
            "claims too much",
            good.replacen("seq:6", "seq:7", 1).into_bytes(),
            vec!["snapshot.ron", "claims record 7"],
        ),
        (
            "a statement's id edited inside the session",
            good.replacen("(id:\"st1\"", "(id:\"t1\"", 1).into_bytes(),
            vec!["snapshot.ron: line 2: the session does not match its hash"],
        ),
    ];
    for (name, contents, words) in cases {
        std::fs::write(dir.join("snapshot.ron"), &contents).unwrap();
        let err = snapshot::read(&dir)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        expect(name, &err, &words);
        let (w, warnings) = Writer::open(&dir, t(100)).unwrap();
        assert_eq!(
            canon(&w.session()),
            live,
            "{name}: a bad snapshot changed the session"
        );
        expect(name, &warnings.join("\n"), &["snapshot.ron"]);
    }
}

#[test]
fn participants_files() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("people.ron");
    std::fs::write(
        &path,
        "[\n  (id: \"P1\", role: ServiceUser, consent: true),\n  (id: \"P2\", role: Wizard),\n]",
    )
    .unwrap();
    let err = template::load_participants(&path)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    expect(
        "unknown role",
        &err,
        &["people.ron line 3, column", "Wizard"],
    );
    std::fs::write(
        &path,
        "[(id: \"P1\", role: Staff, sector: Nhs, level: FrontLine, real_name: \"A B\")]",
    )
    .unwrap();
    let ok = template::load_participants(&path).unwrap();
    assert_eq!(ok[0].real_name.as_deref(), Some("A B"));
}

#[test]
fn errors_are_store_errors_not_panics() {
    // Reading a folder that is not a session says so.
    let tmp = tempfile::tempdir().unwrap();
    let err = store::open_read_only(tmp.path()).err().unwrap();
    assert!(matches!(err, StoreError::Invalid { .. }));
    assert!(err.to_string().contains("no journal here"), "{err}");
}

/// Issue 33, item 4: a field the participants file does not know is
/// refused with its name and line (`profession` was accepted and dropped);
/// further attributes are declared, typed and checked.
#[test]
fn a_participants_file_refuses_unknown_fields_and_checks_declared_attributes() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("people.ron");
    let load = |text: &str| {
        std::fs::write(&path, text).unwrap();
        template::load_participants(&path)
    };
    let err = |text: &str| load(text).err().map(|e| e.to_string()).unwrap_or_default();
    expect(
        "unknown field",
        &err(
            "[\n  (id: \"P1\", role: Staff),\n  (id: \"P2\", role: Staff, profession: \"nurse\"),\n]",
        ),
        &["people.ron line 3", "profession", "attributes"],
    );
    let declared = "(\n  attributes: [\n    (name: \"profession\", values: [\"nurse\", \"social worker\"]),\n    (name: \"years in post\", number: true),\n  ],\n  participants: [\n    (id: \"P1\", role: Staff, sector: Nhs, level: FrontLine,\n     attributes: {\"profession\": \"nurse\", \"years in post\": \"12\"}),\n    (id: \"P2\", role: Staff, attributes: {PLACE}),\n  ],\n)";
    let ok = load(&declared.replace("PLACE", "\"profession\": \"social worker\""))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ok[0].attributes["profession"], "nurse");
    assert_eq!(ok[0].attributes["years in post"], "12");
    assert_eq!(ok[1].attributes.len(), 1);
    expect(
        "undeclared attribute",
        &err(&declared.replace("PLACE", "\"grade\": \"7\"")),
        &[
            "people.ron line 9",
            "`grade`",
            "not declared",
            "profession, years in post",
        ],
    );
    expect(
        "value outside the declared ones",
        &err(&declared.replace("PLACE", "\"profession\": \"nurse \"")),
        &["people.ron line 9", "`nurse `", "nurse, social worker"],
    );
    expect(
        "not a number",
        &err(&declared.replace("PLACE", "\"years in post\": \"ten\"")),
        &["people.ron line 9", "years in post", "a number"],
    );
    expect(
        "a clash with a built-in field",
        &err(&declared
            .replace("\"years in post\", number: true", "\"sector\"")
            .replace("PLACE", "")),
        &["people.ron line 4", "`sector`", "already"],
    );
}

/// Issue 33: a `.qdc` is untrusted input: each way it can be wrong is
/// refused with the file, the line and why, never a panic; entities are
/// not expanded (a "billion laughs" file is a few bytes of codes).
#[test]
fn a_codebook_file_that_cannot_be_used_says_where_and_why() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("book.qdc");
    let read = |text: &str| {
        std::fs::write(&path, text).unwrap();
        roundtable::store::qdc::read(&path)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let code = |name: &str, inner: &str| {
        format!(
            r#"<Code guid="00000000-0000-4000-8000-000000000001" name="{name}" isCodable="true">{inner}</Code>"#
        )
    };
    let book = |codes: &str| {
        format!(
            "<?xml version=\"1.0\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">\n<Codes>\n{codes}\n</Codes>\n</CodeBook>\n"
        )
    };
    let five_deep = code("a", &code("b", &code("c", &code("d", &code("e", "")))));
    expect(
        "five levels",
        &read(&book(&five_deep)),
        &["book.qdc line 4", "`e` is 5 levels deep"],
    );
    let many: String = (0..501)
        .map(|i| code(&format!("c{i}"), ""))
        .collect::<Vec<_>>()
        .join("\n");
    expect(
        "501 codes",
        &read(&book(&many)),
        &["book.qdc line", "more than 500 codes"],
    );
    expect(
        "not XML",
        &read("<CodeBook><Codes><Code name=\"a\"</CodeBook>"),
        &["book.qdc line 1", "not XML"],
    );
    expect(
        "no codebook",
        &read("<?xml version=\"1.0\"?><Other/>"),
        &["book.qdc", "no <CodeBook>"],
    );
    expect(
        "no codes",
        &read(&book("")),
        &["book.qdc", "holds no codes"],
    );
    expect(
        "no name",
        &read(&book(&code("  ", ""))),
        &["book.qdc line 4", "has no name"],
    );
    let facet_under = format!(
        "{}\n</Codes><Sets><Set guid=\"00000000-0000-4000-8000-0000000000f0\" name=\"Facets\"><MemberCode guid=\"00000000-0000-4000-8000-000000000002\"/></Set></Sets><Codes>",
        code(
            "Theme",
            r#"<Code guid="00000000-0000-4000-8000-000000000002" name="Barrier" isCodable="true"/>"#
        )
    );
    expect(
        "facet under a theme",
        &read(&book(&facet_under)),
        &["`Barrier` is in the Facets set but sits under `theme`"],
    );
    let wrong_tag = code(
        "Knowledge",
        "<Description>roundtable tag: #capability/knowledge</Description>",
    );
    expect(
        "a tag elsewhere than the code",
        &read(&book(&wrong_tag)),
        &["names tag `#capability/knowledge` but sits under `no other code`"],
    );
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>\n<CodeBook><Codes><Code guid=\"00000000-0000-4000-8000-000000000001\" name=\"a\" isCodable=\"true\"><Description>&lol2;</Description></Code></Codes></CodeBook>";
    std::fs::write(&path, laughs).unwrap();
    let codes = roundtable::store::qdc::read(&path).expect("entities are not expanded");
    assert_eq!(
        codes[0].description, "",
        "an unknown entity stands for nothing"
    );
    std::fs::write(&path, vec![b'<'; 5 << 20]).unwrap();
    expect(
        "too large",
        &roundtable::store::qdc::read(&path)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default(),
        &["book.qdc"],
    );
}
