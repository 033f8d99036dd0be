//! Agenda templates (`sessions/templates/*.ron`) and participant lists:
//! pretty RON written and edited by hand, so every error names the file,
//! line and column.

use super::error::{FileProblem, Result, StoreError, io_err};
use super::fsutil::read_capped;
use super::limits::{MAX_SMALL_FILE, line_of};
use super::ron_text::parse_ron;
use crate::domain::{Event, Participant, StageId, StageKind};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const TEMPLATES: &str = "templates";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StagePlan {
    pub kind: StageKind,
    pub title: String,
    pub minutes: u32,
    pub prompt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub name: String,
    pub description: String,
    pub stages: Vec<StagePlan>,
    /// A priori codes: `(path: "capability/knowledge", name: "Knowledge",
    /// description: "…")`, a theme before its subthemes; `facet: true` for
    /// a code such as `barrier` that crosses the themes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<crate::domain::codebook::Code>,
}

impl Template {
    /// The `StageAdded` events that lay this agenda out, stages `S1`, `S2` …
    pub fn stage_events(&self) -> Vec<Event> {
        self.stages
            .iter()
            .enumerate()
            .map(|(i, s)| Event::StageAdded {
                id: StageId::new(format!("S{}", i + 1)),
                kind: s.kind,
                title: s.title.clone(),
                prompt: s.prompt.clone(),
                planned_secs: s.minutes.saturating_mul(60),
            })
            .collect()
    }

    /// The `CodeDefined` events that set up its codebook, each theme
    /// before what sits under it.
    pub fn code_events(&self) -> Vec<Event> {
        code_events(&self.codes)
    }

    pub fn planned_minutes(&self) -> u32 {
        self.stages.iter().map(|s| s.minutes).sum()
    }
}

/// The `CodeDefined` events for `codes`, each parent before its children.
pub fn code_events(codes: &[crate::domain::codebook::Code]) -> Vec<Event> {
    crate::domain::codebook::ordered(codes)
        .into_iter()
        .map(|c| Event::CodeDefined {
            code: c.path.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            facet: c.facet,
        })
        .collect()
}

/// What is wrong with a codebook read from a file, if anything, and the
/// code it is about: a path that is not a code, a code defined twice, one
/// whose parent is missing, or a facet under a theme. Checked by applying
/// it to an empty session, so a file is held to the rules the record is.
pub fn codebook_problem(codes: &[crate::domain::codebook::Code]) -> Option<(String, String)> {
    for (i, c) in codes.iter().enumerate() {
        if codes[..i].iter().any(|x| x.path == c.path) {
            return Some((
                c.path.clone(),
                format!("code `{}` is defined twice", c.path),
            ));
        }
        if let Some(p) = c.parent()
            && !codes.iter().any(|x| x.path == p)
        {
            return Some((
                c.path.clone(),
                format!("code `{}` sits under `{p}`, which is not defined", c.path),
            ));
        }
    }
    let mut s = crate::domain::Session::default();
    let created = Event::SessionCreated {
        title: "codebook".into(),
        focus: "codebook".into(),
        facilitator: "codebook".into(),
        created: crate::domain::Timestamp::from_unix_millis(0),
        template: None,
    };
    if let Err(e) = s.apply(&created) {
        return Some((String::new(), e.to_string()));
    }
    for e in code_events(codes) {
        if let Err(err) = s.apply(&e) {
            let Event::CodeDefined { code, .. } = e else {
                continue;
            };
            return Some((code, err.to_string()));
        }
    }
    None
}

/// Reads a hand-edited RON file, capped in size and nesting.
fn read_ron<T: DeserializeOwned>(path: &Path) -> Result<(T, String)> {
    let bytes = read_capped(path, MAX_SMALL_FILE)?;
    let problem = |line: usize, col: usize, reason: String| {
        StoreError::File(FileProblem {
            file: path.to_owned(),
            line: line as u64,
            col: col as u64,
            reason,
        })
    };
    let text = crate::store::limits::utf8_or_line(&bytes)
        .map_err(|line| problem(line, 0, "not valid UTF-8".into()))?;
    let value = parse_ron(text).map_err(|p| problem(p.line, p.col, p.reason))?;
    Ok((value, text.to_owned()))
}

pub fn template_path(sessions: &Path, name: &str) -> PathBuf {
    sessions.join(TEMPLATES).join(format!("{name}.ron"))
}

pub fn load_template(path: &Path) -> Result<Template> {
    let (t, text): (Template, String) = read_ron(path)?;
    // Problems found after parsing still point at the line they are on.
    let invalid = |needle: &str, reason: String| {
        StoreError::File(FileProblem {
            file: path.to_owned(),
            line: line_of(&text, needle) as u64,
            col: 0,
            reason,
        })
    };
    if t.stages.is_empty() {
        return Err(invalid("stages", "the template has no stages".into()));
    }
    if t.stages.len() > 200 {
        return Err(invalid(
            "stages",
            "a template may have at most 200 stages".into(),
        ));
    }
    for (i, s) in t.stages.iter().enumerate() {
        let at = format!("{:?}", s.title);
        if s.minutes == 0 || s.minutes > 480 {
            return Err(invalid(
                &at,
                format!(
                    "stage {} (`{}`) lasts {} minutes; give 1 to 480",
                    i + 1,
                    s.title,
                    s.minutes
                ),
            ));
        }
        if s.title.trim().is_empty() {
            return Err(invalid(&at, format!("stage {} has no title", i + 1)));
        }
    }
    if let Some((code, reason)) = codebook_problem(&t.codes) {
        return Err(invalid(&format!("{code:?}"), reason));
    }
    Ok(t)
}

/// Every template in `sessions/templates`, by name, with the problem for
/// any that cannot be read.
pub fn list_templates(sessions: &Path) -> Result<Vec<(String, Result<Template>)>> {
    let dir = sessions.join(TEMPLATES);
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io_err(&dir)(e)),
    };
    for entry in entries {
        let path = entry.map_err(io_err(&dir))?.path();
        if path.extension().is_some_and(|x| x == "ron") {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push((name, load_template(&path)));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Who in a participants file said `consent: false` (declined), as against
/// saying nothing (no consent recorded).
pub fn declined(path: &Path) -> Result<Vec<crate::domain::ParticipantId>> {
    let (_, entries) = read_participants(path)?;
    Ok(entries
        .into_iter()
        .filter(|p| p.consent == Some(false))
        .map(|p| p.id)
        .collect())
}

/// Every field a participants file knows, as `roundtable new --help` and a
/// refusal list them.
pub const PARTICIPANT_FIELDS: &str = "id, role, sector (Nhs, LocalAuthority, Vcse), level (Strategic, Operational, FrontLine), consent, real_name, person (a register id), attributes ({\"name\": \"value\"}, each declared at the top of the file)";

/// One participant as a participants file gives them: only known fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: crate::domain::ParticipantId,
    role: crate::domain::Role,
    #[serde(default)]
    sector: Option<crate::domain::participant::Sector>,
    #[serde(default)]
    level: Option<crate::domain::participant::Level>,
    #[serde(default)]
    real_name: Option<String>,
    #[serde(default)]
    consent: Option<bool>,
    #[serde(default)]
    person: Option<String>,
    #[serde(default)]
    attributes: std::collections::BTreeMap<String, String>,
}

/// A further attribute, declared once for the whole file: the values it
/// may take, or that it is a number.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Declared {
    name: String,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    number: bool,
}

/// A participants file with further attributes: `(attributes: [ (name:
/// "profession", values: ["nurse", …]) ], participants: [ … ])`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithAttributes {
    attributes: Vec<Declared>,
    participants: Vec<Entry>,
}

/// The file's declarations and entries, in either form (a plain list, or
/// the list with declared attributes), checked against each other.
fn read_participants(path: &Path) -> Result<(String, Vec<Entry>)> {
    let bytes = read_capped(path, MAX_SMALL_FILE)?;
    let text = crate::store::limits::utf8_or_line(&bytes).unwrap_or_default();
    let declared_form = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("//"))
        .is_some_and(|l| l.trim_start_matches('\u{feff}').starts_with('('));
    let unknown = |e: StoreError| match e {
        StoreError::File(mut p) if p.reason.contains("unknown field") => {
            p.reason = format!(
                "{}; a participants file knows {PARTICIPANT_FIELDS}",
                p.reason
            );
            StoreError::File(p)
        }
        e => e,
    };
    let (declared, entries, text) = if declared_form {
        let (w, text): (WithAttributes, String) = read_ron(path).map_err(unknown)?;
        (w.attributes, w.participants, text)
    } else {
        let (list, text): (Vec<Entry>, String) = read_ron(path).map_err(unknown)?;
        (Vec::new(), list, text)
    };
    let invalid = |needle: &str, reason: String| {
        StoreError::File(FileProblem {
            file: path.to_owned(),
            line: line_of(&text, needle) as u64,
            col: 0,
            reason,
        })
    };
    if entries.len() > 1000 {
        return Err(invalid("participants", "at most 1,000 participants".into()));
    }
    const BUILT_IN: [&str; 8] = [
        "id",
        "role",
        "sector",
        "level",
        "consent",
        "real_name",
        "person",
        "attributes",
    ];
    for (i, d) in declared.iter().enumerate() {
        let quoted = format!("{:?}", d.name);
        if BUILT_IN.contains(&d.name.trim()) {
            return Err(invalid(
                &quoted,
                format!(
                    "attribute `{}` is already a participant's field; give it as that field",
                    d.name
                ),
            ));
        }
        if d.name.trim().is_empty() || d.name.chars().count() > 40 {
            return Err(invalid(
                &quoted,
                "an attribute's name is 1 to 40 characters".into(),
            ));
        }
        if declared[..i].iter().any(|x| x.name == d.name) {
            return Err(invalid(
                &quoted,
                format!("attribute `{}` is declared twice", d.name),
            ));
        }
        if d.number && !d.values.is_empty() {
            return Err(invalid(
                &quoted,
                format!("attribute `{}` is a number or has values, not both", d.name),
            ));
        }
    }
    let names: Vec<&str> = declared.iter().map(|d| d.name.as_str()).collect();
    for e in &entries {
        for (name, value) in &e.attributes {
            let Some(d) = declared.iter().find(|d| &d.name == name) else {
                let known = match names.is_empty() {
                    true => {
                        "none are declared; declare it under `attributes:` at the top of the file"
                            .to_owned()
                    }
                    false => format!("declared: {}", names.join(", ")),
                };
                return Err(invalid(
                    &format!("{name:?}"),
                    format!("{}: attribute `{name}` is not declared ({known})", e.id),
                ));
            };
            if d.number && value.trim().parse::<f64>().map_or(true, |n| !n.is_finite()) {
                return Err(invalid(
                    &format!("{value:?}"),
                    format!("{}: `{name}` is a number; `{value}` is not a number", e.id),
                ));
            }
            if !d.values.is_empty() && !d.values.contains(value) {
                return Err(invalid(
                    &format!("{value:?}"),
                    format!(
                        "{}: `{value}` is not one of `{name}`'s values: {}",
                        e.id,
                        d.values.join(", ")
                    ),
                ));
            }
        }
    }
    Ok((text, entries))
}

/// A participants file: `[ (id: "P1", role: ServiceUser, consent: true), … ]`,
/// or, with further attributes, `(attributes: [ … ], participants: [ … ])`.
/// A field it does not know is refused, never dropped.
pub fn load_participants(path: &Path) -> Result<Vec<Participant>> {
    let (_, entries) = read_participants(path)?;
    Ok(entries
        .into_iter()
        .map(|e| Participant {
            id: e.id,
            role: e.role,
            sector: e.sector,
            level: e.level,
            real_name: e.real_name,
            consent: e.consent.unwrap_or(false),
            person: e.person,
            attributes: e.attributes,
        })
        .collect())
}
