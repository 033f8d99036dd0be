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

    pub fn planned_minutes(&self) -> u32 {
        self.stages.iter().map(|s| s.minutes).sum()
    }
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
    #[derive(serde::Deserialize)]
    struct Stated {
        id: crate::domain::ParticipantId,
        #[serde(default)]
        consent: Option<bool>,
    }
    let (list, _): (Vec<Stated>, String) = read_ron(path)?;
    Ok(list
        .into_iter()
        .filter(|p| p.consent == Some(false))
        .map(|p| p.id)
        .collect())
}

/// A participants file: `[ (id: "P1", role: ServiceUser, consent: true), … ]`.
pub fn load_participants(path: &Path) -> Result<Vec<Participant>> {
    let (list, _): (Vec<Participant>, String) = read_ron(path)?;
    if list.len() > 1000 {
        return Err(StoreError::File(FileProblem {
            file: path.to_owned(),
            line: 1,
            col: 0,
            reason: "at most 1,000 participants".into(),
        }));
    }
    Ok(list)
}
