//! A programme: several sessions read together, for the measures of
//! co-production over time. Sessions are chosen by name (a workspace stands
//! for the sessions it draws on), or all those in the sessions folder whose
//! title, focus or date contain some words. Nothing is written to them.

use super::locate::resolve;
use super::{OpsError, Result};
use crate::domain::Session;
use crate::domain::measures::{ProgrammeRow, programme};
use crate::export::{Privacy, csv, measures};
use crate::store::{self, fsutil};
use std::path::{Path, PathBuf};

/// The sessions of a programme, read, and its rows oldest first.
pub struct Programme {
    /// Folder name and session, in the order chosen.
    pub sessions: Vec<(String, Session)>,
    pub rows: Vec<ProgrammeRow>,
    /// A journal read only up to its damage, said once per session.
    pub warnings: Vec<String>,
}

impl Programme {
    /// The sessions as the measures take them.
    pub fn borrowed(&self) -> Vec<(String, &Session)> {
        self.sessions.iter().map(|(n, s)| (n.clone(), s)).collect()
    }
}

/// How the sessions are chosen.
#[derive(Clone, Debug, Default)]
pub struct Choice {
    /// Sessions by name or path; a workspace brings its sources.
    pub names: Vec<String>,
    /// Otherwise every session in the folder whose title, focus or date
    /// contains these words (any case); all of them when empty.
    pub matching: String,
    /// Rehearsals count as meetings (only when someone named them).
    pub rehearsals: bool,
}

/// A session made to try the program (`run --demo`): its title begins
/// "Rehearsal", or its folder is named a rehearsal.
fn is_rehearsal(folder: &str, session: &Session) -> bool {
    session.title().to_lowercase().starts_with("rehearsal")
        || folder.ends_with("-rehearsal")
        || folder.contains("-rehearsal-")
}

fn folder_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The session folders a choice names.
fn chosen(sessions: &Path, choice: &Choice) -> Result<Vec<PathBuf>> {
    if choice.names.is_empty() {
        let needle = choice.matching.to_lowercase();
        return Ok(super::catalog::catalog(sessions)?
            .into_iter()
            .filter(|c| c.unreadable.is_none())
            .filter(|c| {
                format!(
                    "{} {} {}",
                    c.title,
                    c.focus,
                    c.date.clone().unwrap_or_default()
                )
                .to_lowercase()
                .contains(&needle)
            })
            .map(|c| c.dir)
            .collect());
    }
    let mut dirs = Vec::new();
    for name in &choice.names {
        let dir = resolve(sessions, name)?;
        let r = store::open_read_only(&dir)?;
        if r.session.sources.is_empty() {
            dirs.push(dir);
        } else {
            for src in r.session.sources.values() {
                dirs.push(resolve(sessions, &src.session)?);
            }
        }
    }
    Ok(dirs)
}

/// Reads the chosen sessions; workspaces themselves are left out (their
/// sources are the programme).
pub fn load(sessions: &Path, choice: &Choice) -> Result<Programme> {
    let mut read = Vec::new();
    let mut warnings = Vec::new();
    let mut rehearsals = Vec::new();
    // A session is one meeting however it was named (by name and by path,
    // within a workspace and on its own, or copied to another folder).
    let mut folders: Vec<PathBuf> = Vec::new();
    let mut meetings: Vec<(Option<crate::domain::Timestamp>, String, String)> = Vec::new();
    let mut twice: Vec<String> = Vec::new();
    for dir in chosen(sessions, choice)? {
        let folder = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        if folders.contains(&folder) {
            twice.push(folder_name(&dir));
            continue;
        }
        folders.push(folder);
        let r = store::open_read_only(&dir)?;
        if !r.session.sources.is_empty() {
            continue;
        }
        let created = r.session.info.as_ref().map(|i| i.created);
        let title = r.session.title().to_owned();
        if created.is_some()
            && let Some((_, _, first)) = meetings
                .iter()
                .find(|(c, t, _)| *c == created && *t == title)
        {
            twice.push(format!(
                "{} (the same session as {first})",
                folder_name(&dir)
            ));
            continue;
        }
        meetings.push((created, title, folder_name(&dir)));
        // A rehearsal is not a meeting of the group, unless named.
        if !choice.rehearsals && is_rehearsal(&folder_name(&dir), &r.session) {
            rehearsals.push(folder_name(&dir));
            continue;
        }
        if let Some(d) = &r.damage {
            warnings.push(format!(
                "{}: {d}; its measures count records 1 to {}",
                dir.display(),
                r.records
            ));
        }
        read.push((folder_name(&dir), r.session));
    }
    if !twice.is_empty() {
        twice.dedup();
        warnings.push(format!(
            "named more than once, counted once: {}",
            twice.join(", ")
        ));
    }
    if !rehearsals.is_empty() {
        warnings.push(format!(
            "{} left out ({}): name it to include it",
            crate::domain::describe::counted(rehearsals.len() as u64, "rehearsal", "rehearsals"),
            rehearsals.join(", ")
        ));
    }
    if read.is_empty() {
        return Err(OpsError::Store(store::StoreError::Invalid {
            path: sessions.to_owned(),
            reason: "no sessions were chosen for the programme".into(),
        }));
    }
    let borrowed: Vec<(String, &Session)> = read.iter().map(|(n, s)| (n.clone(), s)).collect();
    let rows = programme(&borrowed);
    Ok(Programme {
        sessions: read,
        rows,
        warnings,
    })
}

/// Writes `programme.html`, `programme.csv` and `involvement.csv` into
/// `out` as one set, owner-only. Returns the files written.
pub fn write(p: &Programme, out: &Path, privacy: Privacy) -> Result<Vec<PathBuf>> {
    fsutil::create_private_dir_all(out)?;
    let files = [
        (
            out.join("programme.html"),
            measures::programme_html(&p.rows).into_bytes(),
        ),
        (
            out.join("programme.csv"),
            csv::programme(&p.rows).to_csv().into_bytes(),
        ),
        (
            out.join("involvement.csv"),
            csv::involvement(&p.borrowed(), privacy)
                .to_csv()
                .into_bytes(),
        ),
    ];
    let set: Vec<(&Path, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_path(), b.as_slice()))
        .collect();
    fsutil::write_set_atomic(&set)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// Writes `n` small sessions into `dir`, four weeks apart, in which staff's
/// share of what is said falls steadily (12, 8, 4 of 20 statements for
/// three), the group climbs the ladder a rung a session and one member of
/// staff stops coming to the last: a programme whose drift is known, for
/// trying the measures and testing them. Returns the session folders.
pub fn generate(dir: &Path, n: usize) -> Result<Vec<PathBuf>> {
    use crate::domain::*;
    let n = n.clamp(1, 50);
    let mut dirs = Vec::new();
    for i in 0..n {
        let day = |d: i64, min: i64| {
            Timestamp::from_unix_millis(1_768_039_200_000 + (d * 1440 + min) * 60_000)
        };
        let start = day(28 * i as i64, 0);
        let mut events = vec![Event::SessionCreated {
            title: format!("Programme meeting {}", i + 1),
            focus: "What should change about leaving hospital?".into(),
            facilitator: "Facilitator".into(),
            created: start,
            template: None,
        }];
        let roles = [
            Role::ServiceUser,
            Role::ServiceUser,
            Role::UnpaidCarer,
            Role::UnpaidCarer,
            Role::Staff,
            Role::Staff,
        ];
        for (k, role) in roles.iter().enumerate() {
            events.push(Event::ParticipantAdded {
                participant: Participant::consenting(format!("P{}", k + 1), *role),
            });
        }
        events.push(Event::StageAdded {
            id: "S1".into(),
            kind: StageKind::Discuss,
            title: "What we heard".into(),
            prompt: "What has changed since last time?".into(),
            planned_secs: 3600,
        });
        events.push(Event::StageStarted {
            stage: "S1".into(),
            at: start,
        });
        if i + 1 == n && n > 1 {
            events.push(Event::ParticipantLeft {
                participant: "P6".into(),
                at: start,
            });
        }
        let staff = (12 * (n - i)).div_ceil(n);
        for k in 0..20 {
            let who = match k {
                k if k < staff => ["P5", "P6"][k % if i + 1 == n && n > 1 { 1 } else { 2 }],
                k => ["P1", "P2", "P3", "P4"][k % 4],
            };
            events.push(Event::StatementAdded {
                id: format!("st{}", k + 1).into(),
                kind: StatementKind::Paraphrase,
                speaker: Speaker::Participant(who.into()),
                stage: Some("S1".into()),
                text: format!("Point {} from meeting {}", k + 1, i + 1),
                tags: Vec::new(),
                captured_by: "note-taker".into(),
                at: day(28 * i as i64, 2 + k as i64),
            });
        }
        events.push(Event::VoteOpened {
            id: "v1".into(),
            target: VoteTarget::Question,
            question: "Where is our work on the ladder?".into(),
            method: VoteMethod::Ladder,
            mode: BallotMode::PerParticipant,
            hidden: false,
            named: false,
            stage: Some("S1".into()),
            at: day(28 * i as i64, 30),
        });
        for k in 1..=6 {
            if i + 1 == n && n > 1 && k == 6 {
                continue;
            }
            events.push(Event::BallotCast {
                round: "v1".into(),
                participant: format!("P{k}").into(),
                choice: Choice::Rung((3 + i).min(7) as u8),
                at: day(28 * i as i64, 31),
                recorded_by: "facilitator".into(),
            });
        }
        events.push(Event::VoteClosed {
            round: "v1".into(),
            at: day(28 * i as i64, 32),
        });
        // One agreed interpretation resting on every statement, so that
        // its influence follows the voice; one action.
        events.push(Event::ConceptCreated {
            id: "c1".into(),
            name: "What changed".into(),
            description: String::new(),
        });
        events.push(Event::StatementsLinked {
            concept: "c1".into(),
            statements: (1..=20).map(|k| format!("st{k}").into()).collect(),
        });
        events.push(Event::InterpretationDrafted {
            id: "i1".into(),
            text: format!("What meeting {} agreed", i + 1),
            translations: Vec::new(),
            concepts: vec!["c1".into()],
            statements: Vec::new(),
            at: day(28 * i as i64, 40),
        });
        events.push(Event::InterpretationStatusChanged {
            interpretation: "i1".into(),
            status: InterpretationStatus::Agreed,
            reason: "agreed in the room".into(),
            round: None,
            at: day(28 * i as i64, 41),
        });
        events.push(Event::ActionAdded {
            id: "a1".into(),
            what: "Report back next time".into(),
            who: "Facilitator".into(),
            by_when: "next meeting".into(),
            from: None,
            at: day(28 * i as i64, 50),
        });
        events.push(Event::StageEnded {
            stage: "S1".into(),
            at: day(28 * i as i64, 60),
        });
        let path = dir.join(format!("programme-meeting-{}", i + 1));
        crate::store::Writer::create(&path, "facilitator", start, &events)?;
        dirs.push(path);
    }
    Ok(dirs)
}
