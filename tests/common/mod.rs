#![allow(dead_code)]

use roundtable::domain::*;
use roundtable::store::Writer;
use std::path::{Path, PathBuf};

pub fn t(sec: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_773_482_400_000 + sec * 1000)
}

/// A small session written through the real store: created, one
/// participant, one stage, then `n` statements.
pub fn small_session(dir: &Path, n: usize) -> Writer {
    let mut w = Writer::create(
        dir,
        "facilitator",
        t(0),
        &[
            Event::SessionCreated {
                title: "Store test".into(),
                focus: "Does it keep everything?".into(),
                facilitator: "Sam".into(),
                created: t(0),
                template: None,
            },
            Event::ParticipantAdded {
                participant: Participant {
                    id: "P1".into(),
                    role: Role::ServiceUser,
                    sector: None,
                    level: None,
                    real_name: Some("Real Name".into()),
                    consent: true,
                },
            },
            Event::StageAdded {
                id: "S1".into(),
                kind: StageKind::Discuss,
                title: "Talk".into(),
                prompt: "Say".into(),
                planned_secs: 600,
            },
        ],
    )
    .expect("create");
    for i in 0..n {
        w.record("note-taker", t(i as i64 + 1), &statement(i))
            .expect("record");
    }
    w
}

pub fn statement(i: usize) -> Event {
    Event::StatementAdded {
        id: StatementId::new(format!("st{}", i + 1)),
        kind: StatementKind::Quote,
        speaker: Speaker::Participant("P1".into()),
        stage: Some("S1".into()),
        text: format!(
            "Statement number {}, with \"quotes\", commas and\na line break",
            i + 1
        ),
        tags: vec!["barrier".into()],
        captured_by: "note-taker".into(),
        at: t(i as i64 + 1),
    }
}

pub fn journal(dir: &Path) -> PathBuf {
    dir.join("journal.ron")
}

/// Byte offsets where each line starts, and the file's bytes.
pub fn lines(dir: &Path) -> (Vec<u8>, Vec<usize>) {
    let bytes = std::fs::read(journal(dir)).expect("read journal");
    let mut starts = vec![0];
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' && i + 1 < bytes.len() {
            starts.push(i + 1);
        }
    }
    (bytes, starts)
}

/// Canonical text of a session, to compare states exactly (order included).
pub fn canon(s: &Session) -> String {
    ron::to_string(s).expect("serialise session")
}

/// What a terminal shows, as text: one line per row, trailing spaces trimmed.
pub fn screen_text(term: &ratatui::Terminal<ratatui::backend::TestBackend>) -> String {
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_owned())
            .collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
