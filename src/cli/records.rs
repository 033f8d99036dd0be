//! The commands that print: new, list, verify, templates, keys, show,
//! export, and the hidden ones that write sessions for benchmarks and the
//! shipped example.

use super::Failure;
use super::args::Command;
use super::screens::load_keymap;
use crate::cli::summary;
use crate::domain::InterpretationStatus;
use crate::ops;
use crate::store;
use crate::store::template::{list_templates, load_participants};
use std::io::Write;
use std::path::Path;

/// Runs one of the commands that print.
pub(super) fn run(
    sessions: &Path,
    command: Command,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Failure> {
    match command {
        Command::New {
            template,
            title,
            focus,
            participants,
            facilitator,
            date,
            take_up,
            codebook,
        } => new_session(
            sessions,
            NewArgs {
                template,
                title,
                focus,
                participants,
                facilitator,
                date,
                take_up,
                codebook,
            },
            out,
        ),
        Command::Codes { session, import } => codes(sessions, &session, import, out),
        Command::List => {
            let lines = summary::list_sessions(sessions)?;
            if lines.is_empty() {
                writeln!(out, "No sessions in {}.", sessions.display())?;
            }
            for line in lines {
                writeln!(out, "{line}")?;
            }
            Ok(0)
        }
        Command::Verify { session } => verify(&ops::locate::resolve(sessions, &session)?, out),
        Command::Verdicts { workspace, from } => verdicts(sessions, &workspace, &from, out),
        Command::Templates { name: Some(name) } => show_template(sessions, &name, out),
        Command::Templates { name: None } => templates(sessions, out),
        Command::Keys { keymap } => {
            let keymap = load_keymap(keymap.as_deref())?;
            write!(out, "{}", crate::app::hints::markdown_table(&keymap))?;
            Ok(0)
        }
        Command::Show { session, all } => {
            let view = match all {
                true => summary::View::Everything,
                false => summary::View::Shared,
            };
            show(&ops::locate::resolve(sessions, &session)?, view, out, err)
        }
        Command::Export {
            session,
            format,
            out: dest,
            names,
            offsets,
            audience,
            memos,
            readable,
        } => {
            let dir = ops::locate::resolve(sessions, &session)?;
            let options = ops::export::Options {
                names,
                offsets: offsets.into(),
                shape: audience.shape(memos),
                readable,
            };
            let done = ops::export::export_with(&dir, format.into(), dest, options)?;
            for w in &done.warnings {
                writeln!(err, "warning: {}", crate::safe::line(w))?;
            }
            for path in done.files {
                writeln!(out, "Wrote {}", path.display())?;
            }
            Ok(0)
        }
        Command::Programme {
            chosen,
            matching,
            out: dest,
            names,
        } => {
            // Rehearsals only when named.
            let choice = ops::programme::Choice {
                rehearsals: !chosen.is_empty(),
                names: chosen,
                matching,
            };
            let dest = dest.unwrap_or_else(|| sessions.join("programme"));
            programme(sessions, &choice, &dest, names, out, err)
        }
        Command::Generate {
            out: dest,
            spec,
            programme,
        } => generate(&dest, spec.into(), programme, out),
        Command::Demo { out: dest } => {
            let dir = dest.unwrap_or_else(|| sessions.join(crate::ops::demo::EXAMPLE));
            let w = crate::ops::demo::write_example(&dir)?;
            let s = w.session();
            let agreed = s
                .interpretations
                .values()
                .filter(|i| i.status == InterpretationStatus::Agreed)
                .count();
            writeln!(
                out,
                "Wrote {}: {} records, {} statements, {} vote rounds, {} interpretations ({agreed} agreed).",
                dir.display(),
                w.records(),
                s.statements.len(),
                s.rounds.len(),
                s.interpretations.len()
            )?;
            Ok(0)
        }
        // `run` sends the others elsewhere.
        _ => Ok(2),
    }
}

/// `verify`: every record checked; exit 1 on any failure.
fn verify(dir: &Path, out: &mut dyn Write) -> Result<i32, Failure> {
    let (v, session) = store::verify_and_keep(dir)?;
    // A workspace's sources, to check below; nothing else is kept.
    let kept = crate::domain::Session {
        sources: session.sources.clone(),
        ..Default::default()
    };
    // The process ends once this is printed, and the system takes its
    // memory back at once; freeing a million records one by one first
    // would add a fifth of a second to `verify`.
    std::mem::forget(session);
    for n in &v.notes {
        writeln!(out, "note: {}", crate::safe::line(n))?;
    }
    match (v.failure, v.snapshot_mismatch) {
        (None, Some(why)) => {
            writeln!(out, "FAILED: {}", crate::safe::line(&why))?;
            writeln!(
                out,
                "The journal itself is sound: {} records, head hash {}. \
                 The snapshot is only a cache and is never believed over the journal: \
                 `roundtable run` rewrites it, or delete it.",
                v.records, v.head
            )?;
            Ok(1)
        }
        (None, None) => {
            writeln!(
                out,
                "ok: {} — {} records, head hash {}",
                dir.display(),
                v.records,
                v.head
            )?;
            // A workspace rests on its sources as they were when drawn on.
            let mut failed = false;
            for c in ops::workspace::check_sources(dir, &kept) {
                let (said, what) = match &c.found {
                    Ok(what) => ("ok", what),
                    Err(why) => {
                        failed = true;
                        ("FAILED", why)
                    }
                };
                writeln!(
                    out,
                    "{said}: source {} ({}): {}",
                    c.key,
                    crate::safe::line(&c.session),
                    crate::safe::line(what)
                )?;
            }
            Ok(i32::from(failed))
        }
        (Some(p), _) => {
            writeln!(out, "FAILED: {}", crate::safe::line(&p.to_string()))?;
            writeln!(
                out,
                "{} records before it are sound; last good hash {}",
                v.records, v.head
            )?;
            Ok(1)
        }
    }
}

/// `verdicts`: what a workshop decided of a workspace's interpretations,
/// recorded in the workspace.
fn verdicts(
    sessions: &Path,
    workspace: &str,
    from: &str,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let recorded = ops::workshop::record_verdicts(sessions, workspace, from, "researcher")?;
    if recorded.is_empty() {
        writeln!(
            out,
            "Nothing new to record: {} has decided none of the workspace's interpretations by a vote since it was last asked.",
            crate::safe::line(from)
        )?;
    }
    for v in recorded {
        writeln!(
            out,
            "Recorded in {}: {} {} in {} (vote {}).",
            crate::safe::line(workspace),
            v.interpretation,
            v.status,
            crate::safe::line(from),
            v.round
        )?;
    }
    Ok(0)
}

/// What `new` was given.
struct NewArgs {
    template: String,
    title: String,
    focus: String,
    participants: Option<std::path::PathBuf>,
    facilitator: String,
    date: Option<String>,
    take_up: Option<String>,
    codebook: Option<std::path::PathBuf>,
}

/// `new`: a session from a template, saying whom consent affects.
fn new_session(sessions: &Path, args: NewArgs, out: &mut dyn Write) -> Result<i32, Failure> {
    let NewArgs {
        template,
        title,
        focus,
        participants,
        facilitator,
        date,
        take_up,
        codebook,
    } = args;
    let codes = match &codebook {
        Some(file) => crate::store::qdc::read(file)?,
        None => Vec::new(),
    };
    let (people, declined) = match participants {
        Some(p) => (
            load_participants(&p)?,
            crate::store::template::declined(&p)?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let spec = ops::create::NewSession {
        template: &template,
        title: &title,
        focus: &focus,
        facilitator: &facilitator,
        participants: people,
        date: date.as_deref(),
        codes,
    };
    let (dir, mut w, t) = ops::create::new_session(sessions, spec, None)?;
    let taken = match &take_up {
        Some(ws) => match ops::workshop::take_up(sessions, ws, &mut w, &facilitator) {
            Ok(taken) => taken,
            Err(e) => {
                // Not half made: the session goes again.
                drop(w);
                let _ = std::fs::remove_dir_all(&dir);
                return Err(e.into());
            }
        },
        None => Vec::new(),
    };
    writeln!(
        out,
        "Created {} ({} stages, {} planned minutes, {}).",
        dir.display(),
        t.stages.len(),
        t.planned_minutes(),
        crate::domain::describe::counted(
            w.session().participants.len() as u64,
            "participant",
            "participants"
        )
    )?;
    if let Some(ws) = &take_up {
        writeln!(
            out,
            "Took up {} from {} to present and decide: {}.",
            crate::domain::describe::counted(
                taken.len() as u64,
                "interpretation",
                "interpretations"
            ),
            crate::safe::line(ws),
            taken.join(", ")
        )?;
    }
    let people: Vec<_> = w.session().participants.values().cloned().collect();
    for said in ops::create::consent_summary(&people, &declined) {
        writeln!(out, "{said}")?;
    }
    Ok(0)
}

/// `show`: a readable account of the session, replayed from its journal.
fn show(
    dir: &Path,
    view: summary::View,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Failure> {
    let r = store::open_read_only(dir)?;
    for w in &r.warnings {
        writeln!(err, "warning: {}", crate::safe::line(w))?;
    }
    if let Some(d) = &r.damage {
        writeln!(
            err,
            "warning: {}\nShowing the session up to record {}.",
            crate::safe::line(&d.to_string()),
            r.records
        )?;
    }
    write!(out, "{}", summary::render(&r.session, view))?;
    writeln!(out, "\n{} records, head hash {}", r.records, r.head)?;
    Ok(0)
}

/// `generate` (hidden): a large session for the benchmarks.
fn generate(
    dest: &Path,
    spec: crate::ops::generate::Spec,
    programme: Option<usize>,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    if let Some(n) = programme {
        for dir in ops::programme::generate(dest, n)? {
            writeln!(out, "Wrote {}", dir.display())?;
        }
        return Ok(0);
    }
    let start = std::time::Instant::now();
    let g = crate::ops::generate::write(dest, spec)?;
    writeln!(
        out,
        "Wrote {}: {} records, {} statements, {} rounds, {} concepts in {:.1} s",
        dest.display(),
        g.records,
        g.session.statements.len(),
        g.session.rounds.len(),
        g.session.concepts.len(),
        start.elapsed().as_secs_f64()
    )?;
    Ok(0)
}

/// `roundtable programme`: the table and sparklines printed, the files written.
fn programme(
    sessions: &Path,
    choice: &ops::programme::Choice,
    dest: &Path,
    names: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Failure> {
    let p = ops::programme::load(sessions, choice)?;
    for w in &p.warnings {
        writeln!(err, "warning: {}", crate::safe::line(w))?;
    }
    for line in crate::export::measures::programme_text(&p.rows) {
        writeln!(out, "{}", crate::safe::line(&line))?;
    }
    let privacy = crate::export::Privacy { names };
    for path in ops::programme::write(&p, dest, privacy)? {
        writeln!(out, "Wrote {}", path.display())?;
    }
    Ok(0)
}

/// One template in full: what it is for, its stages with their prompts, and
/// its a priori codebook as a tree.
fn show_template(sessions: &Path, name: &str, out: &mut dyn Write) -> Result<i32, Failure> {
    let known: Vec<String> = list_templates(sessions)?
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let path = crate::store::template::template_path(sessions, name);
    if !known.iter().any(|n| n == name) {
        return Err(crate::ops::OpsError::NoTemplate { path, known }.into());
    }
    let t = crate::store::template::load_template(&path)?;
    let l = crate::safe::line;
    writeln!(out, "{}\n{}\n", l(&t.name), l(&t.description))?;
    writeln!(out, "Stages ({} minutes):", t.planned_minutes())?;
    for (i, s) in t.stages.iter().enumerate() {
        writeln!(
            out,
            "  {:>2}. {:>3} min  {} ({})",
            i + 1,
            s.minutes,
            l(&s.title),
            s.kind.label()
        )?;
        writeln!(out, "             {}", l(&s.prompt))?;
    }
    if t.codes.is_empty() {
        writeln!(out, "\nNo a priori codes: the codebook starts empty.")?;
        return Ok(0);
    }
    writeln!(
        out,
        "\nCodes (tag a statement #path; a facet crosses the themes):"
    )?;
    for c in crate::domain::codebook::ordered(&t.codes) {
        let indent = "  ".repeat(c.depth() + 1);
        let facet = if c.facet { " [facet]" } else { "" };
        writeln!(out, "{indent}#{:<28} {}{facet}", l(&c.path), l(&c.name))?;
        if !c.description.is_empty() {
            writeln!(out, "{indent}  {}", l(&c.description))?;
        }
    }
    Ok(0)
}

/// `codes`: a session's codebook as a tree, after importing a `.qdc` into it
/// if asked.
fn codes(
    sessions: &Path,
    session: &str,
    import: Option<std::path::PathBuf>,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let dir = ops::locate::resolve(sessions, session)?;
    if let Some(file) = import {
        let n = ops::create::import_codebook(&dir, &file)?;
        writeln!(
            out,
            "Recorded {} from {}.",
            crate::domain::describe::counted(n as u64, "code", "codes"),
            crate::safe::line(&file.display().to_string())
        )?;
    }
    let r = store::open_read_only(&dir)?;
    for line in summary::codebook(&r.session) {
        writeln!(out, "{line}")?;
    }
    Ok(0)
}

/// `templates`: every template, its length, stages and codes, or why it
/// cannot be used.
fn templates(sessions: &Path, out: &mut dyn Write) -> Result<i32, Failure> {
    let all = list_templates(sessions)?;
    let width = all
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0);
    for (name, t) in all {
        let name = crate::safe::line(&name);
        match t {
            Ok(t) => writeln!(
                out,
                "{name:<width$} {:>3} min, {:>2} stages, {:>2} codes  {}",
                t.planned_minutes(),
                t.stages.len(),
                t.codes.len(),
                crate::safe::line(&t.description)
            )?,
            Err(e) => writeln!(
                out,
                "{name:<width$} cannot be used: {}",
                crate::safe::line(&e.to_string())
            )?,
        }
    }
    Ok(0)
}
