//! The journal, snapshots and the writer lock, on real files.

mod common;
use common::*;
use roundtable::domain::*;
use roundtable::store::{self, StoreError, Writer};

#[test]
fn reopening_gives_the_same_session_with_and_without_a_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let mut w = small_session(&dir, 10);
    let live = canon(&w.session());
    w.snapshot().unwrap();
    drop(w);
    let (mut w, warnings) = Writer::open(&dir, t(100)).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(canon(&w.session()), live);
    w.record("note-taker", t(101), &statement(10)).unwrap();
    let live = canon(&w.session());
    drop(w);
    // The snapshot is now one record behind: snapshot + tail.
    let r = store::open_read_only(&dir).unwrap();
    assert_eq!(canon(&r.session), live);
    std::fs::remove_file(dir.join("snapshot.ron")).unwrap();
    let r = store::open_read_only(&dir).unwrap();
    assert_eq!(canon(&r.session), live);
    assert_eq!(r.records, 14);
}

#[test]
fn a_bad_snapshot_costs_time_not_data() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let mut w = small_session(&dir, 5);
    let live = canon(&w.session());
    w.snapshot().unwrap();
    drop(w);
    for garbage in [
        &b"(format:3,seq:"[..],
        b"\xff\xfe",
        b"(format:3,seq:3,hash:\"00\",body:\"00\")\n()",
    ] {
        std::fs::write(dir.join("snapshot.ron"), garbage).unwrap();
        let (w, warnings) = Writer::open(&dir, t(50)).unwrap();
        assert_eq!(canon(&w.session()), live);
        assert!(
            warnings.iter().any(|w| w.contains("snapshot")),
            "{warnings:?}"
        );
    }
}

#[test]
fn changing_any_byte_of_any_line_fails_verify_naming_that_record() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    drop(small_session(&dir, 2));
    std::fs::remove_file(dir.join("snapshot.ron")).ok();
    let (bytes, starts) = lines(&dir);
    assert!(store::verify(&dir).unwrap().failure.is_none());
    for i in 0..bytes.len() {
        let record = starts.iter().rposition(|s| *s <= i).unwrap() + 1;
        for delta in [1u8, 0x80] {
            let mut bad = bytes.clone();
            bad[i] ^= delta;
            std::fs::write(journal(&dir), &bad).unwrap();
            let v = store::verify(&dir).unwrap();
            let failure = v
                .failure
                .unwrap_or_else(|| panic!("byte {i} (record {record}) changed unnoticed"));
            // A changed newline joins two lines: the joined line is the earlier record.
            assert_eq!(failure.line as usize, record, "byte {i}: {failure}");
            assert!(
                failure.to_string().contains(&format!("record {record}")),
                "{failure}"
            );
            assert!(
                failure.to_string().contains("journal.ron line"),
                "{failure}"
            );
        }
    }
    std::fs::write(journal(&dir), &bytes).unwrap();
    assert!(store::verify(&dir).unwrap().failure.is_none());
}

#[test]
fn an_edit_in_the_middle_refuses_writing_but_reading_works_up_to_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    drop(small_session(&dir, 6));
    let text = std::fs::read_to_string(journal(&dir)).unwrap();
    let edited = text.replacen("Statement number 3,", "Statement number 9,", 1);
    assert_ne!(text, edited);
    std::fs::write(journal(&dir), &edited).unwrap();
    match Writer::open(&dir, t(99)) {
        Err(StoreError::Damaged(p)) => {
            assert_eq!(p.line, 6);
            let msg = StoreError::Damaged(p).to_string();
            assert!(
                msg.contains("journal.ron line 6: record 6: record hash does not match"),
                "{msg}"
            );
            assert!(msg.contains("will not write"), "{msg}");
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("a damaged journal was opened for writing"),
    }
    let r = store::open_read_only(&dir).unwrap();
    assert_eq!(r.records, 5);
    assert_eq!(r.session.statements.len(), 2);
    assert!(r.damage.is_some());
    assert_eq!(
        std::fs::read_to_string(journal(&dir)).unwrap(),
        edited,
        "nothing was changed on disk"
    );
}

#[test]
fn a_line_cut_short_is_set_aside_and_nothing_before_it_is_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let w = small_session(&dir, 5);
    let before_last = {
        let mut s = Session::default();
        let (bytes, starts) = lines(&dir);
        let cut = starts[starts.len() - 1];
        let text = std::str::from_utf8(&bytes[..cut]).unwrap();
        for l in text.lines() {
            s.apply(
                &roundtable::store::record::decode(l.as_bytes())
                    .unwrap()
                    .event,
            )
            .unwrap();
        }
        canon(&s)
    };
    drop(w);
    std::fs::remove_file(dir.join("snapshot.ron")).ok();
    let (bytes, starts) = lines(&dir);
    let last = starts[starts.len() - 1];
    for cut in [last + 1, last + (bytes.len() - last) / 2, bytes.len() - 1] {
        std::fs::write(journal(&dir), &bytes[..cut]).unwrap();
        assert!(
            store::verify(&dir)
                .unwrap()
                .failure
                .unwrap()
                .reason
                .contains("cut short")
        );
        let (mut w, warnings) = Writer::open(&dir, t(1000 + cut as i64)).unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("line 8") && warnings[0].contains("cut short"),
            "{}",
            warnings[0]
        );
        assert_eq!(w.records(), 7);
        assert_eq!(canon(&w.session()), before_last);
        let aside: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("journal.ron.broken-")
            })
            .collect();
        assert!(!aside.is_empty());
        assert!(
            aside
                .iter()
                .any(|e| std::fs::read(e.path()).unwrap() == bytes[last..cut])
        );
        // Writing continues after the recovered end, and the journal verifies.
        w.record("note-taker", t(2000), &statement(4)).unwrap();
        drop(w);
        let v = store::verify(&dir).unwrap();
        assert!(v.failure.is_none(), "{:?}", v.failure);
        assert_eq!(v.records, 8);
        for e in aside {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
}

#[test]
fn an_event_is_committed_only_after_its_line_is_written_and_synced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    drop(small_session(&dir, 0));
    let disk = disk();
    let mut w = writer_on(&dir, &disk);
    let log = || std::mem::take(&mut disk.lock().unwrap().log);

    let committed = w.record("note-taker", t(5), &statement(0)).unwrap();
    assert_eq!(committed.seq, 4);
    let l = log();
    assert!(l.first().is_some_and(|l| l.starts_with("write")), "{l:?}");
    assert_eq!(
        l.last().map(String::as_str),
        Some("sync"),
        "committed before sync: {l:?}"
    );
    assert_eq!(w.session().statements.len(), 1);

    // A failed sync: not committed, not applied.
    disk.lock().unwrap().sync_fails = true;
    let err = w.record("note-taker", t(6), &statement(1)).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("not saved: disk error: journal.ron could not be synced"),
        "{err}"
    );
    assert_eq!(
        w.session().statements.len(),
        1,
        "an unsaved event was applied"
    );
    log();
    // The retry never uses the old handle: it reopens, cuts the unsynced
    // line, and writes it again.
    disk.lock().unwrap().sync_fails = false;
    let c = w.record("note-taker", t(7), &statement(1)).unwrap();
    assert_eq!(c.seq, 5);
    let l = log();
    assert_eq!(l.first().map(String::as_str), Some("reopen"), "{l:?}");
    assert!(l.iter().any(|x| x.starts_with("truncate")), "{l:?}");
    assert_eq!(w.session().statements.len(), 2);
    drop(w);
    let v = store::verify(&dir).unwrap();
    assert!(v.passed(), "{v:?}");
    assert_eq!(v.records, 5);

    // A rejected event never reaches the disk.
    let mut w = writer_on(&dir, &disk);
    let err = w.record("note-taker", t(8), &statement(0)).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert!(log().is_empty());
}

#[test]
fn one_writer_at_a_time_and_the_refusal_says_who() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let w = small_session(&dir, 1);
    match Writer::open(&dir, t(10)) {
        Err(StoreError::Locked { holder }) => {
            assert!(
                holder.contains(&format!("process {}", std::process::id())),
                "{holder}"
            );
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("two writers on one session"),
    }
    // Readers need no lock.
    assert_eq!(store::open_read_only(&dir).unwrap().records, 4);
    assert!(store::verify(&dir).unwrap().failure.is_none());
    drop(w);
    assert!(
        Writer::open(&dir, t(11)).is_ok(),
        "the lock is released when the writer goes"
    );
}

#[test]
fn creating_over_an_existing_session_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    drop(small_session(&dir, 1));
    let before = std::fs::read(journal(&dir)).unwrap();
    let err = Writer::create(&dir, "facilitator", t(0), &[])
        .err()
        .unwrap();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read(journal(&dir)).unwrap(), before);
}

#[test]
fn a_too_large_record_is_refused_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let mut w = small_session(&dir, 0);
    let before = std::fs::read(journal(&dir)).unwrap();
    let err = w.record(&"a".repeat(201), t(1), &statement(0)).unwrap_err();
    assert!(err.to_string().contains("actor"), "{err}");
    assert_eq!(std::fs::read(journal(&dir)).unwrap(), before);
    w.record("note-taker", t(2), &statement(0)).unwrap();
}

#[test]
fn an_event_sent_again_is_recognised_and_a_different_one_is_not() {
    let tmp = tempfile::tempdir().unwrap();
    let w = small_session(&tmp.path().join("s"), 3);
    let s = w.session();
    assert!(
        s.already_has(&statement(0)),
        "the same statement, sent again"
    );
    let mut reworded = statement(0);
    if let Event::StatementAdded { text, .. } = &mut reworded {
        text.push('!');
    }
    assert!(
        !s.already_has(&reworded),
        "same id, other words: not the same"
    );
    assert!(!s.already_has(&statement(5)), "a new statement");
    assert!(
        s.check(&reworded).is_err(),
        "and still refused as a clashing id"
    );
}

#[test]
fn a_record_that_would_not_read_back_is_refused_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let mut w = small_session(&dir, 0);
    let before = std::fs::read(journal(&dir)).unwrap();
    // Before the year 0000: RFC 3339 has no way to write it.
    let mut e = statement(0);
    if let Event::StatementAdded { at, .. } = &mut e {
        *at = Timestamp::from_unix_millis(-62_167_219_200_001);
    }
    let err = w.record("note-taker", t(1), &e).unwrap_err();
    assert!(err.to_string().contains("would not read back"), "{err}");
    assert_eq!(std::fs::read(journal(&dir)).unwrap(), before);
    w.record("note-taker", t(2), &statement(0)).unwrap();
    drop(w);
    assert!(store::verify(&dir).unwrap().passed());
}

#[test]
fn the_writer_stops_well_before_the_size_a_reader_refuses() {
    use roundtable::store::appender::{Appender, ReopenJournal};
    use roundtable::store::limits::MAX_JOURNAL_WRITE;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let w = small_session(&dir, 0);
    let (session, records, head) = (w.session().clone(), w.records(), w.head().to_owned());
    drop(w);
    let path = journal(&dir);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .open(&path)
        .unwrap();
    let id = roundtable::store::fsutil::file_id(&file, &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    // As if the journal had grown to just under the writer's limit.
    let appender = Appender::new(
        Box::new(file),
        Box::new(ReopenJournal {
            path: path.clone(),
            id,
        }),
        path.clone(),
        records,
        head,
        MAX_JOURNAL_WRITE - 10,
    );
    let mut w = Writer::with_appender(
        &dir,
        session.clone(),
        appender,
        roundtable::store::lock::acquire(&dir, t(0)).unwrap(),
    );
    let err = w.record("note-taker", t(1), &statement(0)).unwrap_err();
    assert!(matches!(err, StoreError::Full { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("journal is full") && msg.contains("start a new session"),
        "{msg}"
    );
    assert_eq!(canon(&w.session()), canon(&session));
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing written");
}

/// The host's screens read the store's own session: a record the store
/// saved is on screen without a copy being updated, and the store's answer
/// does not apply it a second time.
#[test]
fn the_hosts_screens_read_the_stores_session_and_apply_nothing_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let mut w = small_session(&tmp.path().join("s"), 1);
    let mut model = roundtable::app::Model::hosting(
        roundtable::app::App::new(roundtable::app::keymap::Keymap::default(), "facilitator"),
        w.shared(),
        roundtable::app::Opening::default(),
    );
    let event = Event::StatementAdded {
        id: StatementId::new("st-new"),
        kind: StatementKind::Quote,
        speaker: Speaker::Participant("P1".into()),
        stage: None,
        text: "Saved once".into(),
        tags: vec![],
        captured_by: "facilitator".into(),
        at: t(50),
    };
    let saved = w.record("facilitator", t(50), &event).unwrap();
    assert_eq!(
        model.session.read().statements["st-new"].current().text,
        "Saved once",
        "the screens see what the store saved"
    );
    let applied = w.session().applied;
    roundtable::app::update(
        &mut model,
        roundtable::app::Msg::Saved {
            token: 1,
            seq: saved.seq,
            event,
        },
        t(51),
    );
    assert_eq!(model.session.read().applied, applied, "applied twice");
    assert!(
        model
            .app
            .message
            .as_ref()
            .is_none_or(|m| !m.text.contains("out of step")),
        "{:?}",
        model.app.message.as_ref().map(|m| &m.text)
    );
}

/// `verify` compares a snapshot by the hash of the replayed state written
/// as this version writes it; a snapshot holding the same session written
/// otherwise (spaced out over lines) is read whole and still passes, and
/// one step different still fails.
#[test]
fn verify_tells_a_snapshot_written_differently_from_one_that_differs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let w = small_session(&dir, 3);
    let (session, seq, head) = (w.session().clone(), w.records(), w.head().to_owned());
    drop(w);
    let at = std::fs::metadata(dir.join("journal.ron")).unwrap().len();
    let write = |body: &str| {
        let hash = roundtable::store::record::sha256_hex(body.as_bytes());
        std::fs::write(
            dir.join("snapshot.ron"),
            format!(
                "(format:{},seq:{seq},hash:\"{head}\",at:{at},body:\"{hash}\")\n{body}\n",
                roundtable::store::snapshot::FORMAT
            ),
        )
        .unwrap();
    };
    write(&ron::ser::to_string_pretty(&session, Default::default()).unwrap());
    let v = store::verify(&dir).unwrap();
    assert!(v.passed(), "{v:?}");
    assert!(
        v.notes
            .iter()
            .any(|n| n == &format!("snapshot.ron matches record {seq}")),
        "{:?}",
        v.notes
    );
    let mut forged = session.clone();
    forged.voices[0] += 1;
    write(&ron::ser::to_string_pretty(&forged, Default::default()).unwrap());
    let v = store::verify(&dir).unwrap();
    assert!(
        v.snapshot_mismatch
            .as_deref()
            .is_some_and(|m| m.contains("the voice counts differs")),
        "{v:?}"
    );
}

/// Opening from a snapshot reads only the records after its own (where its
/// header says that record ends); an edit before it is found by the proof
/// replay, and nothing is written to that journal.
#[test]
fn an_edit_before_the_snapshot_is_found_by_the_proof_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let mut w = small_session(&dir, 6);
    w.snapshot().unwrap();
    w.record("note-taker", t(50), &statement(6)).unwrap();
    drop(w);
    let text = std::fs::read_to_string(journal(&dir)).unwrap();
    let edited = text.replacen("Statement number 2,", "Statement number 8,", 1);
    assert_ne!(text, edited);
    std::fs::write(journal(&dir), &edited).unwrap();
    let (mut w, warnings) =
        Writer::open(&dir, t(99)).expect("the tail after the snapshot is sound");
    assert!(warnings.is_empty(), "{warnings:?}");
    let said = w.settle().expect("the proof replay reports the edit");
    assert!(
        said.contains("damaged at line 5") && said.contains("only the 4 records"),
        "{said}"
    );
    assert!(said.contains("nothing more is written"), "{said}");
    assert_eq!(w.session().applied, 4, "only what the journal proves");
    assert!(w.record("note-taker", t(100), &statement(7)).is_err());
    assert!(
        w.snapshot().is_err(),
        "no snapshot of a state it cannot prove"
    );
    assert_eq!(
        std::fs::read_to_string(journal(&dir)).unwrap(),
        edited,
        "nothing was written"
    );
}

/// A snapshot whose header says its record ends anywhere else costs time,
/// not data: the whole journal is read and the session is the same.
#[test]
fn a_snapshot_that_misplaces_its_record_is_checked_the_long_way() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let mut w = small_session(&dir, 6);
    w.snapshot().unwrap();
    w.record("note-taker", t(50), &statement(6)).unwrap();
    let live = canon(&w.session());
    drop(w);
    let snap = std::fs::read_to_string(dir.join("snapshot.ron")).unwrap();
    let at = snap
        .split(",at:")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap()
        .to_owned();
    for wrong in ["0", "1", "99999999"] {
        std::fs::write(
            dir.join("snapshot.ron"),
            snap.replacen(&format!(",at:{at},"), &format!(",at:{wrong},"), 1),
        )
        .unwrap();
        let (mut w, _) = Writer::open(&dir, t(99)).unwrap();
        assert_eq!(canon(&w.session()), live, "at:{wrong}");
        assert!(w.settle().is_none(), "at:{wrong}");
    }
}

/// A large snapshot's session line read by two threads is exactly the one
/// read by one, including when statements' words spell the very pattern
/// the split looks for.
#[test]
fn a_snapshot_read_in_two_halves_is_the_one_read_whole() {
    use roundtable::store::{compact, ron_text, ron_write};
    let tmp = tempfile::tempdir().unwrap();
    let spec = roundtable::ops::generate::Spec {
        statements: 6_000,
        rounds: 20,
        concepts: 30,
        records: 0,
        live: true,
        after_snapshot: 0,
    };
    let mut session = roundtable::ops::generate::write(&tmp.path().join("g"), spec)
        .unwrap()
        .session;
    let body = ron_write::to_string(&session).unwrap();
    assert!(body.len() > 1 << 20, "{} bytes", body.len());
    let whole: Session = ron_text::parse_fast(&body).unwrap();
    let halves = compact::session_in_two(&body).expect("read in two");
    assert_eq!(halves, whole);
    assert_eq!(halves.statements.len(), 6_000);
    // Words that spell a statement entry's start, in every statement.
    for (i, s) in session.statements.values_mut().enumerate() {
        s.original.text = format!(
            "\",\"st{i}\":(id:\"st{i}\",stage:None,\"{}",
            s.original.text
        );
    }
    let body = ron_write::to_string(&session).unwrap();
    let whole: Session = ron_text::parse_fast(&body).unwrap();
    assert_eq!(whole, session);
    if let Ok(halves) = compact::session_in_two(&body) {
        assert_eq!(halves, whole);
    }
}

/// What a sync client, a backup tool or an editor does to a file it
/// updates: write a copy and rename it over the original. The writer
/// notices before its next append, writes nothing to the file nobody sees
/// any more, and says so; what was saved before is in the new file.
#[test]
fn a_journal_replaced_under_the_writer_stops_it_and_loses_nothing_shown_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let mut w = small_session(&dir, 2);
    let before = w.records();
    // cp journal.ron .j && mv .j journal.ron
    let copy = dir.join(".j");
    std::fs::copy(journal(&dir), &copy).unwrap();
    if let Err(e) = std::fs::rename(&copy, journal(&dir)) {
        // Windows refuses to replace a file a program holds open: there a
        // sync client cannot swap the journal under the writer at all.
        assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied, "{e}");
        assert!(w.record("note-taker", t(100), &statement(2)).is_ok());
        return;
    }
    let err = w
        .record("note-taker", t(100), &statement(2))
        .expect_err("not saved into a file nobody sees");
    let said = err.to_string();
    assert!(said.contains("journal.ron was replaced"), "{said}");
    // Nothing more is written, however often it is asked.
    assert!(w.record("note-taker", t(101), &statement(3)).is_err());
    assert_eq!(w.records(), before);
    drop(w);
    // The file in the folder holds every record that was saved.
    let r = roundtable::store::open_read_only(&dir).unwrap();
    assert_eq!(r.records, before);
    assert!(roundtable::store::verify(&dir).unwrap().failure.is_none());
}

/// A process killed while writing the snapshot at quit leaves its temporary
/// beside it; the next open removes it (and never a folder or what a link
/// points to).
#[test]
fn temporaries_left_by_a_killed_snapshot_are_removed_on_the_next_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    drop(small_session(&dir, 3));
    let outside = tmp.path().join("precious.txt");
    std::fs::write(&outside, "kept").unwrap();
    for pid in ["4242", "77"] {
        std::fs::write(
            dir.join(format!(".snapshot.ron.tmp-{pid}")),
            vec![b'x'; 4096],
        )
        .unwrap();
    }
    // (Where links cannot be made, the rest still holds.)
    common::os::link_made(&outside, &dir.join(".devices.ron.tmp-9"));
    std::fs::create_dir(dir.join(".snapshot.ron.tmp-5")).unwrap();
    std::fs::write(dir.join("notes.tmp-1"), "not ours").unwrap();
    drop(Writer::open(&dir, t(9)).unwrap());
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    left.sort();
    assert_eq!(left, vec![".snapshot.ron.tmp-5", "notes.tmp-1"]);
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "kept");
}

/// A journal whose only line is damaged: opening refuses with a sentence and
/// leaves it byte for byte as it was (it used to be cut to nothing).
#[test]
fn a_journal_whose_only_line_is_damaged_is_left_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    drop(small_session(&dir, 0));
    let text = std::fs::read_to_string(journal(&dir)).unwrap();
    let first = text.lines().next().unwrap();
    let damaged = format!("{}\n", first.replacen("seq:1", "seq:7", 1));
    std::fs::write(journal(&dir), &damaged).unwrap();
    let _ = std::fs::remove_file(dir.join("snapshot.ron"));
    let e = Writer::open(&dir, t(9)).err().expect("nothing to open");
    assert!(e.to_string().contains("its only line is damaged"), "{e}");
    assert_eq!(std::fs::read_to_string(journal(&dir)).unwrap(), damaged);
    let aside = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".broken-")
        })
        .count();
    assert_eq!(aside, 0);
}

/// A session of three service users and two carers with an anonymous
/// resonance round open, and the room's ballots: phone `i` of group
/// `group` scores `score`.
fn a_room_voting(dir: &std::path::Path) -> Writer {
    let mut events = vec![Event::SessionCreated {
        title: "A room voting".into(),
        focus: "Does every ballot count once?".into(),
        facilitator: "Sam".into(),
        created: t(0),
        template: None,
    }];
    for (i, role) in [
        Role::ServiceUser,
        Role::ServiceUser,
        Role::ServiceUser,
        Role::UnpaidCarer,
        Role::UnpaidCarer,
    ]
    .into_iter()
    .enumerate()
    {
        events.push(Event::ParticipantAdded {
            participant: Participant::consenting(format!("P{}", i + 1), role),
        });
    }
    events.push(Event::VoteOpened {
        id: "v1".into(),
        target: VoteTarget::Question,
        question: "How strongly does this resonate?".into(),
        method: VoteMethod::Resonance,
        mode: BallotMode::Anonymous,
        hidden: false,
        named: false,
        stage: None,
        at: t(1),
    });
    Writer::create(dir, "facilitator", t(0), &events).unwrap()
}

fn phone_ballot(ballot: &str, group: RoleGroup, score: u8, at: i64) -> Event {
    Event::AnonymousBallotCast {
        round: "v1".into(),
        ballot: ballot.into(),
        group,
        choice: Choice::Resonance(score),
        at: t(at),
    }
}

/// The ballots of a room voting at once are written in one write and
/// synced once, and each is answered as it would be alone: a fourth
/// service user's ballot (there are three) and a ballot in a round that
/// does not exist are refused exactly as they are one by one, and the
/// journal replays to the same session as recording them one at a time.
#[test]
fn a_rooms_ballots_are_written_and_synced_together_and_checked_as_one_by_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (together, alone) = (tmp.path().join("together"), tmp.path().join("alone"));
    drop(a_room_voting(&together));
    drop(a_room_voting(&alone));
    let mut ballots = vec![
        phone_ballot("b1", RoleGroup::ServiceUsers, 5, 2),
        phone_ballot("b2", RoleGroup::ServiceUsers, 4, 2),
        phone_ballot("b3", RoleGroup::Carers, 3, 2),
        // The same phone again: its latest ballot counts, not a new voter.
        phone_ballot("b1", RoleGroup::ServiceUsers, 2, 2),
        phone_ballot("b4", RoleGroup::ServiceUsers, 1, 2),
        // A fourth service user: there are three.
        phone_ballot("b5", RoleGroup::ServiceUsers, 1, 2),
        phone_ballot("b6", RoleGroup::Carers, 5, 2),
    ];
    let mut elsewhere = phone_ballot("b7", RoleGroup::Carers, 5, 2);
    if let Event::AnonymousBallotCast { round, .. } = &mut elsewhere {
        *round = "v9".into();
    }
    ballots.push(elsewhere);

    let disk = disk();
    let mut w = writer_on(&together, &disk);
    disk.lock().unwrap().log.clear();
    let items: Vec<(&str, Timestamp, &Event)> =
        ballots.iter().map(|b| ("phones", t(2), b)).collect();
    let answers = w.record_ballots(&items).unwrap();
    let log = std::mem::take(&mut disk.lock().unwrap().log);
    assert_eq!(
        log.iter().filter(|l| l.starts_with("write")).count(),
        1,
        "{log:?}"
    );
    assert_eq!(log.iter().filter(|l| *l == "sync").count(), 1, "{log:?}");

    let (mut one_by_one, _) = Writer::open(&alone, t(3)).unwrap();
    let singly: Vec<Result<u64, String>> = ballots
        .iter()
        .map(|b| {
            one_by_one
                .record("phones", t(2), b)
                .map(|c| c.seq)
                .map_err(|e| e.to_string())
        })
        .collect();
    let batched: Vec<Result<u64, String>> = answers
        .into_iter()
        .map(|a| a.map(|c| c.seq).map_err(|e| e.to_string()))
        .collect();
    assert_eq!(batched, singly);
    assert!(
        batched[5].is_err(),
        "a fourth service user's ballot was saved"
    );
    assert!(batched[7].is_err(), "a ballot in no round was saved");
    assert_eq!(batched.iter().filter(|a| a.is_ok()).count(), 6);
    assert_eq!(canon(&w.session()), canon(&one_by_one.session()));
    drop((w, one_by_one));
    let (again, _) = Writer::open(&together, t(4)).unwrap();
    assert_eq!(again.session().rounds["v1"].anonymous.len(), 6);
    let v = store::verify(&together).unwrap();
    assert!(v.passed(), "{v:?}");
}

/// When the write of a room's ballots fails (the disk is full), none of
/// them is saved or applied, each is told so, and the next record cuts
/// the piece written back and is saved.
#[test]
fn ballots_that_cannot_be_written_together_are_none_of_them_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    drop(a_room_voting(&dir));
    let disk = disk();
    let mut w = writer_on(&dir, &disk);
    let ballots = [
        phone_ballot("b1", RoleGroup::ServiceUsers, 5, 2),
        phone_ballot("b2", RoleGroup::ServiceUsers, 4, 2),
        phone_ballot("b3", RoleGroup::Carers, 3, 2),
    ];
    let items: Vec<(&str, Timestamp, &Event)> =
        ballots.iter().map(|b| ("phones", t(2), b)).collect();
    disk.lock().unwrap().space = Some(200);
    let err = w.record_ballots(&items).unwrap_err();
    assert!(err.to_string().contains("not saved"), "{err}");
    assert!(w.session().rounds["v1"].anonymous.is_empty());
    disk.lock().unwrap().space = None;
    let c = w.record("phones", t(3), &ballots[2]).unwrap();
    assert_eq!(w.session().rounds["v1"].anonymous.len(), 1);
    drop(w);
    let v = store::verify(&dir).unwrap();
    assert!(v.passed(), "{v:?}");
    assert_eq!(v.records, c.seq);
}

/// A snapshot is written behind the commits: the commit after the one that
/// made a snapshot due is saved while the snapshot is still being written
/// (here it takes three seconds), and the snapshot holds the session as it
/// stood at its own record, not what was committed meanwhile. Opening then
/// reads it and replays the record after it.
#[test]
fn a_commit_never_waits_for_a_snapshot_being_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    drop(small_session(&dir, 0));
    let (mut w, _) = Writer::open(&dir, t(1)).unwrap();
    w.snapshot_every = 5;
    w.snapshot_pause = std::time::Duration::from_secs(3);
    let mut seq = w.records();
    let mut n = 0;
    while seq % 5 != 4 {
        seq = w.record("note-taker", t(2), &statement(n)).unwrap().seq;
        n += 1;
    }
    // This one makes a snapshot due…
    let due = w.record("note-taker", t(3), &statement(n)).unwrap().seq;
    assert_eq!(due % 5, 0);
    // …and this one does not wait for it.
    let started = std::time::Instant::now();
    let after = w.record("note-taker", t(4), &statement(n + 1)).unwrap().seq;
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(2),
        "a commit waited {took:?} for the snapshot"
    );
    assert_eq!(w.snapshot_written(), Some(true));
    let live = canon(&w.session());
    drop(w);
    let text = std::fs::read_to_string(dir.join("snapshot.ron")).unwrap();
    assert!(
        text.starts_with(&format!("(format:8,seq:{due},")),
        "{}",
        &text[..80]
    );
    let r = store::open_read_only(&dir).unwrap();
    assert_eq!(r.records, after);
    assert_eq!(canon(&r.session), live);
    let (w, warnings) = Writer::open(&dir, t(5)).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(canon(&w.session()), live);
}
