//! Plain-text views of sessions for the command line: the session list and
//! a readable account of one session.

use crate::domain::time::mmss;
use crate::domain::{Session, StageState};
use crate::store::StoreError;
use std::fmt::Write;
use std::path::Path;

/// One line per session folder: date, title, counts, focus; damaged ones say so.
pub fn list_sessions(sessions: &Path) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    for c in crate::ops::catalog::catalog(sessions)? {
        let name = &c.name;
        if let Some(e) = &c.unreadable {
            out.push(format!(
                "????-??-??  {name}\n            cannot be read: {e}"
            ));
            continue;
        }
        let mut line = format!(
            "{}  {name}\n            {}\n            focus: {}\n            {} participants, {} statements, {} votes, {} interpretations, {} records",
            c.date.as_deref().unwrap_or_default(),
            c.title,
            c.focus,
            c.participants,
            c.statements,
            c.votes,
            c.interpretations,
            c.records
        );
        if let Some(d) = &c.damage {
            let _ = write!(line, "\n            DAMAGED: {d}");
        }
        out.push(line);
    }
    Ok(out)
}

/// One statement: id, speaker, kind, text on one line, flags and tags.
fn statement_line(o: &mut String, session: &Session, stmt: &crate::domain::Statement) {
    let v = stmt.current();
    let mut flags = String::new();
    if stmt.is_amended() {
        flags.push_str(" [amended]");
    }
    if stmt.is_retracted() {
        flags.push_str(" [retracted]");
    }
    if !session.consents(&v.speaker) {
        flags.push_str(" [no consent: never projected or exported]");
    }
    let tags: Vec<String> = v.tags.iter().map(|t| format!("#{t}")).collect();
    let _ = writeln!(
        o,
        "        {:<6} {:<5} {:<10} {}{} {}",
        stmt.id,
        v.speaker.to_string(),
        v.kind,
        crate::safe::line(&v.text),
        flags,
        tags.join(" ")
    );
}

/// A readable account of a session, pseudonymised.
pub fn render(s: &Session) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}\nFocus: {}", s.title(), s.focus());
    if let Some(i) = s.info() {
        let _ = writeln!(
            o,
            "Facilitator: {}  ·  {}  ·  times in {}",
            i.facilitator,
            i.created.date(),
            i.created.zone()
        );
    }
    let _ = writeln!(o, "\nParticipants");
    for p in s.participants.values() {
        let _ = writeln!(o, "  {:<4} {}", p.id, p.role);
    }
    let _ = writeln!(o, "\nAgenda (planned / actual)");
    for st in s.stages.values() {
        let actual = match st.state() {
            StageState::NotStarted => "not started".to_owned(),
            _ => {
                let end = st.runtime.ended.or(st.runtime.started).unwrap_or_default();
                mmss(st.elapsed_millis(end) / 1000)
            }
        };
        let _ = writeln!(
            o,
            "  {:<3} {:<10} {:<40} {} / {}",
            st.id,
            st.kind,
            st.title,
            mmss(i64::from(st.planned_secs)),
            actual
        );
        for stmt in s
            .statements
            .values()
            .filter(|x| x.stage.as_ref() == Some(&st.id))
        {
            statement_line(&mut o, s, stmt);
        }
    }
    // Captured before the first stage started, or between stages.
    let outside: Vec<_> = s
        .statements
        .values()
        .filter(|x| x.stage.as_ref().is_none_or(|id| !s.stages.contains_key(id)))
        .collect();
    if !outside.is_empty() {
        let _ = writeln!(o, "  Outside any stage");
        for stmt in outside {
            statement_line(&mut o, s, stmt);
        }
    }
    let _ = writeln!(o, "\nVotes");
    for r in s.rounds.values() {
        let res = s.results(r);
        let _ = writeln!(
            o,
            "  {} {} on {}: {}",
            r.id,
            r.method.label(),
            r.target,
            r.question
        );
        let counts: Vec<String> = res
            .options
            .iter()
            .zip(&res.counts)
            .map(|(opt, n)| format!("{opt} {n}"))
            .collect();
        let _ = writeln!(o, "      {}", counts.join(" · "));
    }
    let _ = writeln!(o, "\nConcepts");
    for c in s.concepts.values() {
        let ids: Vec<&str> = c.statements.iter().map(|x| x.as_str()).collect();
        let _ = writeln!(o, "  {:<4} {} ({})", c.id, c.name, ids.join(", "));
    }
    let _ = writeln!(o, "\nTranslations");
    for t in s.translations.values() {
        let ids: Vec<&str> = t.concepts.iter().map(|x| x.as_str()).collect();
        let _ = writeln!(
            o,
            "  {:<4} {} · {}{}",
            t.id,
            t.kind.described(),
            ids.join(" ~ "),
            if t.rationale.trim().is_empty() {
                String::new()
            } else {
                format!(" · because: {}", t.rationale)
            }
        );
    }
    let _ = writeln!(o, "\nInterpretations");
    for i in s.interpretations.values() {
        let _ = writeln!(o, "  {:<4} [{}] {}", i.id, i.status, i.text());
        if let Some(h) = i.history.last() {
            let _ = writeln!(o, "        {}", h.reason);
        }
    }
    let _ = writeln!(o, "\nActions (you said, we did)");
    for a in s.actions.values() {
        let from = a
            .from
            .as_ref()
            .map(|f| format!(" (from {f})"))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  {:<4} [{}] {} · who: {} · by: {}{from}",
            a.id,
            a.status.label(),
            a.what,
            a.who,
            a.by_when
        );
        if !a.note.is_empty() {
            let _ = writeln!(o, "        {}", a.note);
        }
    }
    let _ = writeln!(o, "\nParked for later");
    for id in &s.floor.parked {
        if let Some(st) = s.statements.get(id) {
            statement_line(&mut o, s, st);
        }
    }
    let _ = writeln!(o, "\nMemos");
    for m in s.memos.values() {
        let _ = writeln!(o, "  {} ({}) {}", m.at.clock_time(), m.kind.label(), m.text);
    }
    o
}
