//! CSV tables, as spreadsheets read them: RFC 4180 (written by the `csv`
//! crate), CRLF line ends, UTF-8 with a byte-order mark so that Excel and
//! LibreOffice do not guess another encoding, durations in whole seconds
//! (`05:00` would be read as a time of day), no cell that a spreadsheet
//! would take for a formula, and no character that would act on a terminal
//! showing the file.

use super::{Privacy, Staff, listed};
use crate::domain::{BallotMode, Choice, Session, StageState};

/// What starts a formula in Excel, LibreOffice or Google Sheets (or hides
/// how a cell starts). Such a cell is written with a `'` before it, as
/// OWASP advises: the spreadsheet shows the words and runs nothing.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as it is written: a cell that would start a formula gets a `'`.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A table as every export of it is made from: its header and rows, each
/// cell the words as they are. `to_csv` writes it as CSV, `export::xlsx`
/// as a spreadsheet sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub(super) fn table<H: AsRef<str>>(header: &[H], rows: Vec<Vec<String>>) -> Table {
    Table {
        header: header.iter().map(|h| h.as_ref().to_owned()).collect(),
        rows,
    }
}

impl Table {
    /// RFC 4180 with a byte-order mark and CRLF; a cell a spreadsheet would
    /// run as a formula written after a `'`.
    pub fn to_csv(&self) -> String {
        let (header, rows) = (&self.header, &self.rows);
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer("\u{feff}".as_bytes().to_vec());
        // Writing into memory cannot fail, and every cell is already UTF-8.
        let _ = w.write_record(header);
        // A cell keeps its line breaks (quoted, as RFC 4180 allows) and tabs; anything
        // else that would act on a terminal showing the file (`cat`, `less`)
        // is shown visibly instead, as on the screens.
        for r in rows {
            let _ = w.write_record(
                r.iter()
                    .map(|f| neutralise(&crate::safe::cell(f)).into_owned()),
            );
        }
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// Said beside the tables of a damaged journal: why, and how far they go.
pub fn incomplete(damage: &str, records: u64) -> Table {
    table(
        &["problem", "records_exported"],
        vec![vec![
            format!(
                "INCOMPLETE: the journal is damaged ({damage}); these tables hold only the records before it"
            ),
            records.to_string(),
        ]],
    )
}

/// A workspace's sources, its cases: the session each key names, the head
/// the workspace drew on, and what `verify` finds of it now.
pub fn sources(cases: &[super::Case]) -> Table {
    table(
        &["case", "session", "title", "head_drawn_on", "now"],
        cases
            .iter()
            .map(|c| {
                vec![
                    c.key.clone(),
                    c.session.clone(),
                    c.title.clone(),
                    c.head.clone(),
                    c.now(),
                ]
            })
            .collect(),
    )
}

/// Every statement whose speaker consented (the rest are counted in
/// `stages.csv`), as it now reads: an amendment's earlier wording stays in
/// the journal, and a retracted statement keeps its id and why, not its
/// words or tags.
pub fn statements(s: &Session, privacy: Privacy) -> Table {
    let staff = Staff::of(s, privacy);
    let mut header = vec![
        "id",
        "stage",
        "stage_title",
        "speaker",
        "role",
        "kind",
        "text",
        "tags",
        "captured_by",
        "captured_at",
        "amended",
        "speaker_corrected",
        "retracted",
        "retraction_reason",
        "recoded",
        "sector",
        "level",
    ];
    if privacy.names {
        header.insert(4, "speaker_name");
    }
    let rows = s
        .statements
        .values()
        .filter(|st| listed(s, st))
        .map(|st| {
            let v = st.current();
            let stage_title = st
                .stage
                .as_ref()
                .and_then(|id| s.stages.get(id))
                .map(|x| x.title.clone())
                .unwrap_or_default();
            let (text, tags) = if st.is_retracted() {
                (String::new(), String::new())
            } else {
                (v.text.clone(), v.tags.join(" "))
            };
            let mut row = vec![
                st.id.to_string(),
                st.stage.as_ref().map(|x| x.to_string()).unwrap_or_default(),
                stage_title,
                v.speaker.to_string(),
                s.role_of(&v.speaker)
                    .map(|r| r.label().to_owned())
                    .unwrap_or_else(|| "whole group".into()),
                v.kind.label().to_owned(),
                text,
                tags,
                staff.label(&st.original.by),
                st.original.at.to_string(),
                st.is_amended().to_string(),
                (st.original.speaker != v.speaker).to_string(),
                st.is_retracted().to_string(),
                st.retracted
                    .as_ref()
                    .map(|r| r.reason.clone())
                    .unwrap_or_default(),
                // What a re-coding took out stays in the journal, as what an
                // amendment took out does: a tag may name a person or place.
                (st.codings().count() > 1).to_string(),
                grid_of(s, &v.speaker, |p| p.sector.map(|x| x.label())),
                grid_of(s, &v.speaker, |p| p.level.map(|x| x.label())),
            ];
            if privacy.names {
                let name = match &v.speaker {
                    crate::domain::Speaker::Participant(p) => s
                        .participants
                        .get(p)
                        .and_then(|p| p.real_name.clone())
                        .unwrap_or_default(),
                    crate::domain::Speaker::Group => String::new(),
                };
                row.insert(4, name);
            }
            row
        })
        .collect();
    table(&header, rows)
}

fn choice_text(options: &[String], c: &Choice) -> String {
    let at = |i: u8| options.get(usize::from(i)).cloned().unwrap_or_default();
    match c {
        Choice::Agreement(a) => format!("{a:?}").to_lowercase(),
        Choice::Resonance(r) => r.to_string(),
        Choice::Single(i) | Choice::Rung(i) => at(*i),
        Choice::Dots(d) => d
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| format!("{}={n}", options.get(i).cloned().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("; "),
        Choice::Ranking(order) => Choice::ranking_words(order, options),
    }
}

/// Every ballot and tally; `counts` says whether it is the one that counts
/// (a later ballot from the same person, or tally for the same role, replaces it).
/// Those who did not consent are only counted: one `withheld ballots` row
/// per choice, their latest ballots, so every total holds. A hidden round
/// still open shows how many have voted and nothing of what they chose.
pub fn ballots(s: &Session, privacy: Privacy) -> Table {
    let staff = Staff::of(s, privacy);
    let header = [
        "round",
        "question",
        "method",
        "entry",
        "participant",
        "role",
        "choice",
        "count",
        "at",
        "counts",
        "recorded_by",
    ];
    let mut rows = Vec::new();
    for r in s.rounds.values() {
        let options = r.method.options();
        let round = |entry: &str, choice: String, count: String| {
            vec![
                r.id.to_string(),
                r.question.clone(),
                r.method.label().to_owned(),
                entry.to_owned(),
                String::new(),
                String::new(),
                choice,
                count,
                String::new(),
                "true".to_owned(),
                String::new(),
            ]
        };
        if !r.results_visible() {
            let voters = s.results(r).voters;
            rows.push(round(
                "ballots, hidden until the round closes",
                String::new(),
                voters.to_string(),
            ));
            continue;
        }
        match r.mode {
            BallotMode::PerParticipant => {
                let mut withheld = vec![0u32; options.len()];
                for (i, b) in r.ballots.iter().enumerate() {
                    let latest = !r.ballots[i + 1..]
                        .iter()
                        .any(|x| x.participant == b.participant);
                    if !s.consented(&b.participant) {
                        if latest && let Ok(counts) = b.choice.counts(&r.method) {
                            for (w, n) in withheld.iter_mut().zip(counts) {
                                *w += n;
                            }
                        }
                        continue;
                    }
                    rows.push(vec![
                        r.id.to_string(),
                        r.question.clone(),
                        r.method.label().to_owned(),
                        "ballot".into(),
                        b.participant.to_string(),
                        s.participants
                            .get(&b.participant)
                            .map(|p| p.role.label().to_owned())
                            .unwrap_or_default(),
                        choice_text(&options, &b.choice),
                        String::new(),
                        b.at.to_string(),
                        latest.to_string(),
                        staff.label(&b.recorded_by),
                    ]);
                }
                for (opt, n) in options.iter().zip(withheld) {
                    if n > 0 {
                        rows.push(round(
                            "ballots withheld (no consent)",
                            opt.clone(),
                            n.to_string(),
                        ));
                    }
                }
            }
            BallotMode::Anonymous => {
                // The voter's role group, never the voter.
                for (i, b) in r.anonymous.iter().enumerate() {
                    let latest = !r.anonymous[i + 1..].iter().any(|x| x.ballot == b.ballot);
                    rows.push(vec![
                        r.id.to_string(),
                        r.question.clone(),
                        r.method.label().to_owned(),
                        "anonymous ballot".into(),
                        String::new(),
                        b.group.label().to_owned(),
                        choice_text(&options, &b.choice),
                        String::new(),
                        b.at.to_string(),
                        latest.to_string(),
                        String::new(),
                    ]);
                }
            }
            BallotMode::Counted => {
                for (i, t) in r.tallies.iter().enumerate() {
                    let latest = !r.tallies[i + 1..].iter().any(|x| x.role == t.role);
                    for (opt, n) in options.iter().zip(&t.counts) {
                        rows.push(vec![
                            r.id.to_string(),
                            r.question.clone(),
                            r.method.label().to_owned(),
                            "tally".into(),
                            String::new(),
                            t.role.map(|x| x.label().to_owned()).unwrap_or_default(),
                            opt.clone(),
                            n.to_string(),
                            t.at.to_string(),
                            latest.to_string(),
                            // Only the facilitator, at the host, counts hands.
                            "facilitator".into(),
                        ]);
                    }
                }
            }
        }
    }
    table(&header, rows)
}

pub fn stages(s: &Session) -> Table {
    let header = [
        "id",
        "position",
        "kind",
        "title",
        "planned_seconds",
        "allowed_seconds",
        "actual_seconds",
        "started",
        "ended",
        "pauses",
        "state",
        "statements",
        "statements_withheld",
    ];
    let rows = s
        .stages
        .values()
        .enumerate()
        .map(|(i, st)| {
            let end = st.runtime.ended.or(st.runtime.started).unwrap_or_default();
            let said: Vec<&crate::domain::Statement> = s
                .statements
                .values()
                .filter(|x| x.stage.as_ref() == Some(&st.id))
                .map(|x| &**x)
                .collect();
            vec![
                st.id.to_string(),
                (i + 1).to_string(),
                st.kind.label().to_owned(),
                st.title.clone(),
                st.planned_secs.to_string(),
                st.allowed_secs().to_string(),
                if st.state() == StageState::NotStarted {
                    String::new()
                } else {
                    (st.elapsed_millis(end) / 1000).to_string()
                },
                st.runtime
                    .started
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                st.runtime.ended.map(|t| t.to_string()).unwrap_or_default(),
                st.runtime.pauses.len().to_string(),
                if st.is_skipped() {
                    "skipped".to_owned()
                } else {
                    format!("{:?}", st.state()).to_lowercase()
                },
                said.iter().filter(|x| listed(s, x)).count().to_string(),
                // Those whose speakers did not consent: only this count.
                said.iter().filter(|x| !listed(s, x)).count().to_string(),
            ]
        })
        .collect();
    table(&header, rows)
}

/// Every action and what became of it.
pub fn actions(s: &Session) -> Table {
    let header = [
        "id",
        "what",
        "who",
        "by_when",
        "status",
        "note",
        "from_statement",
        "at",
    ];
    let rows = s
        .actions
        .values()
        .map(|a| {
            vec![
                a.id.to_string(),
                a.what.clone(),
                a.who.clone(),
                a.by_when.clone(),
                a.status.label().to_owned(),
                a.note.clone(),
                a.from.as_ref().map(|f| f.to_string()).unwrap_or_default(),
                a.at.to_string(),
            ]
        })
        .collect();
    table(&header, rows)
}

/// Every measure of co-production: one row per figure, with the records
/// it was counted from.
pub fn measures(s: &Session) -> Table {
    let header = [
        "measure", "scope", "subject", "count", "of", "value", "note", "records",
    ];
    let rows = crate::domain::measures::measures_natural(s)
        .into_iter()
        .map(|f| {
            vec![
                f.measure.key().to_owned(),
                f.scope,
                f.subject,
                f.count.to_string(),
                f.of.map(|n| n.to_string()).unwrap_or_default(),
                f.value,
                f.note,
                f.records.join(" "),
            ]
        })
        .collect();
    table(&header, rows)
}

/// Who was present and for how long, for paying members for their time:
/// everyone who took part, consent or not (consent to be quoted is not
/// consent to be forgotten), by pseudonym (and name with `--names`). An
/// administrative record, not research data: it holds no words.
pub fn involvement(sessions: &[(String, &Session)], privacy: Privacy) -> Table {
    let mut header = vec!["session", "date", "participant", "person"];
    if privacy.names {
        header.push("name");
    }
    header.extend(["role", "present_utc", "minutes", "hours"]);
    let mut rows = Vec::new();
    for (name, s) in sessions {
        for i in crate::domain::measures::involvement_of_everyone(s) {
            let mut row = vec![
                name.clone(),
                s.info().map(|x| x.created.utc_date()).unwrap_or_default(),
                i.participant.to_string(),
                s.participants
                    .get(&i.participant)
                    .and_then(|p| p.person.clone())
                    .unwrap_or_default(),
            ];
            if privacy.names {
                let real = s
                    .participants
                    .get(&i.participant)
                    .and_then(|p| p.real_name.clone());
                row.push(real.unwrap_or_default());
            }
            row.extend([
                i.role.clone(),
                i.times_utc(),
                (i.millis() / 60_000).to_string(),
                i.hours(),
            ]);
            rows.push(row);
        }
    }
    table(&header, rows)
}

/// A programme's measures, one row per session, oldest first.
pub fn programme(rows: &[crate::domain::measures::ProgrammeRow]) -> Table {
    use crate::domain::measures::{VOICES, share_of};
    let mut header: Vec<String> = ["session", "date_utc", "title"].map(String::from).to_vec();
    for g in &VOICES[..4] {
        header.push(format!("present: {g}"));
    }
    for g in &VOICES[..4] {
        header.push(format!("came back: {g}"));
        header.push(format!("of those before: {g}"));
    }
    for g in VOICES {
        header.push(format!("voice %: {g}"));
    }
    for g in VOICES {
        header.push(format!("influence %: {g}"));
    }
    header.extend(
        [
            "ladder (median)",
            "actions open",
            "actions done",
            "actions dropped",
        ]
        .map(String::from),
    );
    let pct = |c: &[i64; 5], i| share_of(c, i).map(|p| p.to_string()).unwrap_or_default();
    let body = rows
        .iter()
        .map(|r| {
            let mut row = vec![r.name.clone(), r.utc_date.clone(), r.title.clone()];
            row.extend(r.present.iter().map(i64::to_string));
            for g in 0..4 {
                row.push(r.retained.map(|x| x[g].0.to_string()).unwrap_or_default());
                row.push(r.retained.map(|x| x[g].1.to_string()).unwrap_or_default());
            }
            row.extend((0..5).map(|i| pct(&r.voice, i)));
            row.extend((0..5).map(|i| pct(&r.influence, i)));
            row.push(
                r.ladder
                    .map(|m| crate::domain::vote::LADDER[m].to_owned())
                    .unwrap_or_default(),
            );
            row.extend(r.actions.iter().map(i64::to_string));
            row
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    table(&header, body)
}

/// A speaker's sector or level (as `what` picks), or nothing.
fn grid_of(
    s: &Session,
    speaker: &crate::domain::Speaker,
    what: fn(&crate::domain::Participant) -> Option<&'static str>,
) -> String {
    match speaker {
        crate::domain::Speaker::Participant(p) => s
            .participants
            .get(p)
            .and_then(what)
            .unwrap_or_default()
            .to_owned(),
        crate::domain::Speaker::Group => String::new(),
    }
}
