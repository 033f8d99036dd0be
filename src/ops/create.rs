//! Creating a session from an agenda template, and a rehearsal session with
//! demo participants.

use super::locate::{now, slug};
use super::{OpsError, Result};
use crate::domain::{Event, Participant, ParticipantId, Role};
use crate::store::Writer;
use crate::store::template::{self, list_templates, load_template};
use std::path::{Path, PathBuf};

/// What a new session starts with.
pub struct NewSession<'a> {
    pub template: &'a str,
    pub title: &'a str,
    pub focus: &'a str,
    pub facilitator: &'a str,
    pub participants: Vec<Participant>,
    /// The day it happened (`YYYY-MM-DD`), for a session entered later.
    pub date: Option<&'a str>,
    /// Codes to start with beyond the template's (from a `.qdc`).
    pub codes: Vec<crate::domain::codebook::Code>,
}

/// Records the codes of the `.qdc` at `file` in the (closed) session in
/// `dir`, each theme before what sits under it; how many.
pub fn import_codebook(dir: &Path, file: &Path) -> Result<usize> {
    let codes = crate::store::qdc::read(file)?;
    let (mut w, _) = Writer::open(dir, now())?;
    let events = template::code_events(&codes);
    for e in &events {
        w.record("facilitator", now(), e)?;
    }
    Ok(events.len())
}

/// Midday UTC of the day `date` (`YYYY-MM-DD`) names: the same day in
/// every zone from UTC−11 to UTC+11, Britain and Sweden among them.
fn day(date: &str) -> Result<crate::domain::Timestamp> {
    let refuse = || OpsError::BadDate(date.to_owned());
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(refuse());
    }
    crate::domain::Timestamp::parse(&format!("{date}T12:00:00Z")).map_err(|_| refuse())
}

/// Creates a session folder from a template: `SessionCreated`, the stages,
/// the participants. The folder is named from the date and the title unless
/// `folder` says otherwise.
pub fn new_session(
    sessions: &Path,
    spec: NewSession,
    folder: Option<String>,
) -> Result<(PathBuf, Writer, template::Template)> {
    let path = template::template_path(sessions, spec.template);
    if !path.exists() {
        let known: Vec<String> = list_templates(sessions)?
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        return Err(OpsError::NoTemplate { path, known });
    }
    let t = load_template(&path)?;
    let now = now();
    let created = match spec.date {
        Some(date) => day(date)?,
        None => now,
    };
    let mut events = vec![Event::SessionCreated {
        title: spec.title.to_owned(),
        focus: spec.focus.to_owned(),
        facilitator: spec.facilitator.to_owned(),
        created,
        template: Some(spec.template.to_owned()),
    }];
    events.extend(t.stage_events());
    events.extend(t.code_events());
    let mut all = t.codes.clone();
    for c in spec.codes {
        all.retain(|x| x.path != c.path);
        all.push(c);
    }
    if let Some((code, reason)) = template::codebook_problem(&all) {
        return Err(OpsError::Codebook { code, reason });
    }
    events.extend(template::code_events(&all).into_iter().skip(t.codes.len()));
    events.extend(
        spec.participants
            .into_iter()
            .map(|participant| Event::ParticipantAdded { participant }),
    );
    let dir = sessions.join(folder.unwrap_or_else(|| slug(&created.date(), spec.title)));
    let mut w = Writer::create(&dir, "facilitator", now, &events)?;
    w.snapshot()?;
    Ok((dir, w, t))
}

/// Whom consent affects among `people` (`said_no` declined outright; the
/// rest without `consent: true` have none recorded), one sentence each.
pub fn consent_summary(people: &[Participant], said_no: &[ParticipantId]) -> Vec<String> {
    let (declined, unrecorded): (Vec<_>, Vec<_>) = people
        .iter()
        .filter(|p| !p.consent)
        .map(|p| p.id.to_string())
        .partition(|id| said_no.iter().any(|n| n.as_str() == id));
    let mut said = Vec::new();
    if !declined.is_empty() {
        said.push(format!(
            "{} declined to be quoted: their words will be captured but shown on no screen and in no export, only counted.",
            declined.join(", ")
        ));
    }
    if !unrecorded.is_empty() {
        said.push(format!(
            "No consent recorded for {}: their words will be captured but shown on no screen and in no export, only counted. \
             Add `consent: true` in the participants file for anyone who agreed.",
            unrecorded.join(", ")
        ));
    }
    said
}

/// A fresh session from the CAG template with eight demo participants, so a
/// workshop can be tried without touching the shipped example. Returns its
/// folder.
pub fn rehearsal(sessions: &Path) -> Result<PathBuf> {
    let roles = [
        Role::ServiceUser,
        Role::ServiceUser,
        Role::UnpaidCarer,
        Role::UnpaidCarer,
        Role::Staff,
        Role::Staff,
        Role::Volunteer,
        Role::CommunityRepresentative,
    ];
    let participants = roles
        .into_iter()
        .enumerate()
        .map(|(i, role)| Participant::consenting(ParticipantId::new(format!("P{}", i + 1)), role))
        .collect();
    let base = slug(&now().date(), "rehearsal");
    let mut folder = base.clone();
    let mut n = 1;
    while sessions.join(&folder).exists() {
        n += 1;
        folder = format!("{base}-{n}");
    }
    let spec = NewSession {
        template: "cag-roundtable",
        title: "Rehearsal: CAG roundtable",
        focus: "What do our early findings about leaving hospital with dementia mean to the people who live it?",
        facilitator: "facilitator",
        participants,
        date: None,
        codes: Vec::new(),
    };
    let (dir, _, _) = new_session(sessions, spec, Some(folder))?;
    Ok(dir)
}
