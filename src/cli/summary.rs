//! Plain-text views of sessions for the command line: the session list and
//! a readable account of one session.

use crate::domain::time::mmss;
use crate::domain::{Session, StageState};
use crate::store::StoreError;
use std::fmt::Write;
use std::path::Path;

/// Writes one line to `o`: whatever the session holds cannot break out of
/// it (a newline shows as `␤`), so no field can fake another line.
macro_rules! row {
    ($o:expr, $($arg:tt)*) => {{
        $o.push_str(&crate::safe::line(&format!($($arg)*)));
        $o.push('\n');
    }};
}

/// One line per session folder: date, title, counts, focus; damaged ones say so.
pub fn list_sessions(sessions: &Path) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    // Each field on its own line, and only there: a title holding a newline
    // cannot print a row of its own.
    let one = |s: &str| crate::safe::line(s).into_owned();
    for c in crate::ops::catalog::catalog(sessions)? {
        let name = one(&c.name);
        if let Some(e) = &c.unreadable {
            let e = one(&e.to_string());
            out.push(format!(
                "????-??-??  {name}\n            cannot be read: {e}"
            ));
            continue;
        }
        let mut line = format!(
            "{}  {name}\n            {}\n            focus: {}\n            {} participants, {} statements, {} votes, {} interpretations, {} records",
            one(c.date.as_deref().unwrap_or_default()),
            one(&c.title),
            one(&c.focus),
            c.participants,
            c.statements,
            c.votes,
            c.interpretations,
            c.records
        );
        if let Some(d) = &c.damage {
            let _ = write!(line, "\n            DAMAGED: {}", one(&d.to_string()));
        }
        out.push(line);
    }
    Ok(out)
}

/// How much `show` prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// What an export would show: no withheld or retracted words, no earlier
    /// wordings, nobody who did not consent but as a count, no names.
    #[default]
    Shared,
    /// Everything the journal holds, for the data controller.
    Everything,
}

/// One statement: id, speaker, kind, text on one line, flags and tags; in
/// the data controller's view, with every earlier wording beneath.
fn statement_line(o: &mut String, session: &Session, stmt: &crate::domain::Statement, view: View) {
    let v = stmt.current();
    let everything = view == View::Everything;
    let mut flags = String::new();
    if stmt.is_amended() {
        flags.push_str(" [amended]");
    }
    if let Some(r) = &stmt.retracted {
        flags.push_str(&format!(" [retracted: {}]", crate::safe::line(&r.reason)));
    }
    if !session.consents(&v.speaker) {
        flags.push_str(" [no consent: never projected or exported]");
    }
    let shown = everything || !stmt.is_retracted();
    let tags: Vec<String> = match shown {
        true => v.tags.iter().map(|t| format!("#{t}")).collect(),
        false => Vec::new(),
    };
    let text = match shown {
        true => crate::safe::line(&v.text),
        false => "".into(),
    };
    row!(
        o,
        "        {:<6} {:<5} {:<10} {}{} {}",
        stmt.id,
        v.speaker.to_string(),
        v.kind,
        text,
        flags,
        tags.join(" ")
    );
    if everything {
        let versions = std::iter::once(&stmt.original).chain(&stmt.amendments);
        for (n, was) in versions.enumerate().take(stmt.amendments.len()) {
            let what = if stmt.amendments[n].recoded {
                "re-coded"
            } else {
                "amended"
            };
            row!(
                o,
                "               version {} ({} by {}; then {what}): {} {} {} {}",
                n + 1,
                was.at,
                crate::safe::line(&was.by),
                was.speaker,
                was.kind,
                crate::safe::line(&was.text),
                was.tags
                    .iter()
                    .map(|t| format!("#{t}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
    }
}

/// The statements of `which` as `show` prints them, and then how many were
/// left out (their speakers did not consent).
fn statement_lines<'a>(
    o: &mut String,
    s: &Session,
    which: impl Iterator<Item = &'a crate::domain::Statement>,
    view: View,
) {
    let mut withheld = 0;
    for stmt in which {
        if view == View::Shared && !crate::export::listed(s, stmt) {
            withheld += 1;
            continue;
        }
        statement_line(o, s, stmt, view);
    }
    if let Some(n) = crate::export::withheld_count(withheld, "statement") {
        row!(o, "        ({n})");
    }
}

/// The title, focus and date, and who took part: those who consented, the
/// rest counted (everyone, with names, for the data controller).
fn heading(o: &mut String, s: &Session, view: View) {
    let everything = view == View::Everything;
    row!(o, "{}", s.title());
    row!(o, "Focus: {}", s.focus());
    if let Some(i) = s.info() {
        let who = match everything {
            true => format!("Facilitator: {}  ·  ", i.facilitator),
            false => String::new(),
        };
        row!(
            o,
            "{who}{}  ·  times in {}",
            i.created.date(),
            i.created.zone()
        );
    }
    let _ = writeln!(o, "\nParticipants");
    for p in s.participants.values() {
        match (everything, p.consent) {
            (true, _) => {
                let name = p.real_name.as_deref().unwrap_or("");
                let consent = if p.consent { "" } else { "  [no consent]" };
                row!(
                    o,
                    "  {:<4} {}{} {name}{consent}",
                    p.id,
                    p.described(),
                    attributes(p)
                );
            }
            (false, true) => {
                row!(o, "  {:<4} {}{}", p.id, p.described(), attributes(p));
            }
            (false, false) => {}
        }
    }
    if !everything
        && let Some(n) =
            crate::export::unnamed(s.participants.values().filter(|p| !p.consent).count())
    {
        row!(o, "  ({n})");
    }
}

/// A readable account of a session: by default what an export would show
/// (pseudonymised, withheld words left out); everything for the data
/// controller, saying so at its top.
pub fn render(s: &Session, view: View) -> String {
    let everything = view == View::Everything;
    let mut o = String::new();
    if everything {
        let _ = writeln!(
            o,
            "EVERYTHING — the data controller's view: withheld and retracted words, earlier wordings, real names. Not for sharing.\n"
        );
    }
    heading(&mut o, s, view);
    let _ = writeln!(o, "\nAgenda (planned / actual)");
    for st in s.stages.values() {
        let actual = match st.state() {
            StageState::NotStarted => "not started".to_owned(),
            _ => {
                let end = st.runtime.ended.or(st.runtime.started).unwrap_or_default();
                mmss(st.elapsed_millis(end) / 1000)
            }
        };
        row!(
            o,
            "  {:<3} {:<10} {:<40} {} / {}",
            st.id,
            st.kind,
            st.title,
            mmss(i64::from(st.planned_secs)),
            actual
        );
        let said = s
            .statements
            .values()
            .filter(|x| x.stage.as_ref() == Some(&st.id))
            .map(|x| &**x);
        statement_lines(&mut o, s, said, view);
    }
    // Captured before the first stage started, or between stages.
    let outside: Vec<_> = s
        .statements
        .values()
        .filter(|x| x.stage.as_ref().is_none_or(|id| !s.stages.contains_key(id)))
        .collect();
    if !outside.is_empty() {
        row!(o, "  Outside any stage");
        statement_lines(&mut o, s, outside.into_iter().map(|x| &**x), view);
    }
    let _ = writeln!(o, "\nVotes");
    for r in s.rounds.values() {
        let res = s.results(r);
        row!(
            o,
            "  {} {} on {}: {}",
            r.id,
            r.method.label(),
            r.target,
            r.question
        );
        if !everything && !r.results_visible() {
            row!(
                o,
                "      hidden until the round closes · {} in",
                crate::domain::describe::counted(u64::from(res.voters), "ballot", "ballots")
            );
            continue;
        }
        let counts: Vec<String> = res
            .options
            .iter()
            .zip(&res.counts)
            .map(|(opt, n)| format!("{opt} {n}"))
            .collect();
        row!(o, "      {}", counts.join(" · "));
    }
    let _ = writeln!(o, "\nConcepts");
    for c in s.concepts.values() {
        let listed = |id: &&crate::domain::StatementId| {
            everything
                || s.statements
                    .get(*id)
                    .is_none_or(|st| crate::export::listed(s, st))
        };
        let mut ids: Vec<String> = c
            .statements
            .iter()
            .filter(listed)
            .map(|x| x.to_string())
            .collect();
        let withheld = c.statements.len() - ids.len();
        if withheld > 0 {
            ids.push(format!("{withheld} withheld"));
        }
        row!(o, "  {:<4} {} ({})", c.id, c.name, ids.join(", "));
    }
    translations(&mut o, s);
    let _ = writeln!(o, "\nInterpretations");
    for i in s.interpretations.values() {
        row!(o, "  {:<4} [{}] {}", i.id, i.status, i.text());
        if let Some(t) = s.taken_up.get(&i.id) {
            row!(
                o,
                "        taken up from {} of the workspace {}: {}",
                t.from,
                t.workspace,
                t.grounds.join("; ")
            );
        }
        if let Some(h) = i.history.last() {
            row!(o, "        {}", h.reason);
        }
    }
    let _ = writeln!(o, "\nActions (you said, we did)");
    for a in s.actions.values() {
        let from = a
            .from
            .as_ref()
            .map(|f| format!(" (from {f})"))
            .unwrap_or_default();
        row!(
            o,
            "  {:<4} [{}] {} · who: {} · by: {}{from}",
            a.id,
            a.status.label(),
            a.what,
            a.who,
            a.by_when
        );
        if !a.note.is_empty() {
            row!(o, "        {}", a.note);
        }
    }
    let _ = writeln!(o, "\nParked for later");
    let parked = s
        .floor
        .parked
        .iter()
        .filter_map(|id| s.statements.get(id))
        .map(|x| &**x);
    statement_lines(&mut o, s, parked, view);
    let _ = writeln!(o, "\nMemos");
    for m in s.memos.values() {
        row!(o, "  {} ({}) {}", m.at.clock_time(), m.kind.label(), m.text);
    }
    o
}

/// The translations, each with its kind, concepts and rationale, and a line
/// of argument's stages in order.
fn translations(o: &mut String, s: &Session) {
    let _ = writeln!(o, "\nTranslations");
    for t in s.translations.values() {
        let ids: Vec<&str> = t.concepts.iter().map(|x| x.as_str()).collect();
        row!(
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
        for (n, st) in t.kind.stages().iter().enumerate() {
            let ids: Vec<&str> = st.concepts.iter().map(|x| x.as_str()).collect();
            row!(o, "        {}. {} ({})", n + 1, st.title, ids.join(", "));
        }
    }
}

/// The codebook as a tree: each code's tag, name and how many statements
/// are coded at it (a theme counts its subthemes' statements once); then
/// the tags in use that are not in the codebook.
pub fn codebook(session: &crate::domain::Session) -> Vec<String> {
    use crate::domain::codebook::codes_at;
    let live: Vec<&crate::domain::Statement> = session
        .statements
        .values()
        .filter(|s| !s.is_retracted())
        .map(|s| &**s)
        .collect();
    let count = |path: &str| {
        live.iter()
            .filter(|s| codes_at(&s.current().tags, path))
            .count()
    };
    let mut out = Vec::new();
    if session.codebook.is_empty() {
        out.push("No codebook: the statements' tags are its codes.".to_owned());
    }
    let codes: Vec<crate::domain::codebook::Code> = session.codebook.values().cloned().collect();
    for c in crate::domain::codebook::ordered(&codes) {
        let n = count(&c.path);
        out.push(format!(
            "{}#{:<30} {:<40} {}{}",
            "  ".repeat(c.depth()),
            crate::safe::line(&c.path),
            crate::safe::line(&c.name),
            crate::domain::describe::counted(n as u64, "statement", "statements"),
            if c.facet { "  [facet]" } else { "" }
        ));
    }
    let mut other: Vec<(String, usize)> = Vec::new();
    for s in &live {
        for t in &s.current().tags {
            if session.codebook.contains_key(t) {
                continue;
            }
            match other.iter_mut().find(|(x, _)| x == t) {
                Some((_, n)) => *n += 1,
                None => other.push((t.clone(), 1)),
            }
        }
    }
    if !other.is_empty() && !session.codebook.is_empty() {
        out.push("Tags in use that are not in the codebook:".to_owned());
    }
    for (t, n) in other {
        out.push(format!(
            "  #{:<30} {}",
            crate::safe::line(&t),
            crate::domain::describe::counted(n as u64, "statement", "statements")
        ));
    }
    out
}

/// A participant's further attributes, `; profession: nurse`, or nothing.
fn attributes(p: &crate::domain::Participant) -> String {
    p.attributes
        .iter()
        .map(|(k, v)| format!("; {}: {}", crate::safe::line(k), crate::safe::line(v)))
        .collect()
}
