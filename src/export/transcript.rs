//! A session's words as a REFI-QDA text source: the whole session, or one
//! case of a cross-case workspace, each statement's range counted as the
//! reader counts (`Offsets`).

use super::xml::lf;
use super::{Privacy, listed, withheld_count};
use crate::domain::Session;

/// The transcript and, for each statement in it, its range.
pub struct Transcript {
    pub text: String,
    /// Statement id → (start, end) in [`Offsets`] units, end exclusive.
    pub spans: Vec<(crate::domain::StatementId, usize, usize)>,
}

pub fn transcript(s: &Session, privacy: Privacy, offsets: Offsets) -> Transcript {
    transcript_of(s, privacy, offsets, &Part::Whole)
}

/// What one text source of a project holds: the whole session, or one case
/// of a workspace (the statements and stages under its key).
pub enum Part {
    Whole,
    Case { key: String, title: String },
}

impl Part {
    fn holds(&self, id: &str) -> bool {
        match self {
            Part::Whole => true,
            Part::Case { key, .. } => id.split_once('.').is_some_and(|(k, _)| k == key.as_str()),
        }
    }
}

/// [`transcript`] of one part.
pub fn transcript_of(s: &Session, privacy: Privacy, offsets: Offsets, part: &Part) -> Transcript {
    let mut text = String::new();
    let mut chars = 0usize;
    let mut spans = Vec::new();
    let push = |text: &mut String, chars: &mut usize, piece: &str| {
        let piece = lf(piece);
        text.push_str(&piece);
        *chars += offsets.count(&piece);
    };
    let head = match part {
        Part::Whole => format!("{}\nFocus: {}\n", s.title(), s.focus()),
        Part::Case { key, title } => format!("Case {key}: {title}\nIn: {}\n", s.title()),
    };
    push(&mut text, &mut chars, &head);
    let mut stages: Vec<Option<&crate::domain::StageId>> = s
        .stages
        .keys()
        .filter(|id| part.holds(id.as_str()))
        .map(Some)
        .collect();
    stages.push(None);
    for stage in stages {
        let in_stage: Vec<_> = s
            .statements
            .values()
            .filter(|x| x.stage.as_ref() == stage && part.holds(x.id.as_str()))
            .collect();
        if in_stage.is_empty() {
            continue;
        }
        let heading = match stage.and_then(|id| s.stages.get(id)) {
            Some(st) => format!("\n== {} ({}) ==\n", st.title, st.kind),
            None => "\n== Outside any stage ==\n".to_owned(),
        };
        push(&mut text, &mut chars, &heading);
        // Those whose speakers did not consent are only counted.
        let withheld = in_stage.iter().filter(|st| !listed(s, st)).count();
        for st in in_stage.into_iter().filter(|st| listed(s, st)) {
            let v = st.current();
            let who = privacy.speaker(s, &v.speaker);
            let role = s
                .role_of(&v.speaker)
                .map(|r| r.label())
                .unwrap_or("whole group");
            if let Some(r) = &st.retracted {
                push(
                    &mut text,
                    &mut chars,
                    &format!("\n[{}] {who}, {role}: retracted ({})\n", st.id, r.reason),
                );
                continue;
            }
            push(
                &mut text,
                &mut chars,
                &format!("\n[{}] {who}, {role}, {}:\n", st.id, v.kind),
            );
            let start = chars;
            push(&mut text, &mut chars, &v.text);
            spans.push((st.id.clone(), start, chars));
            push(&mut text, &mut chars, "\n");
        }
        if let Some(n) = withheld_count(withheld, "statement") {
            push(&mut text, &mut chars, &format!("\n({n})\n"));
        }
    }
    Transcript { text, spans }
}

/// How selection positions count the transcript's characters. The
/// REFI-QDA standard says "characters" without saying which: NVivo,
/// ATLAS.ti and MAXQDA (Windows programs built on UTF-16 strings) count
/// UTF-16 code units, so an emoji counts two; QualCoder (Python) counts
/// code points, so it counts one. Text without characters beyond the
/// Basic Multilingual Plane reads the same either way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Offsets {
    /// UTF-16 code units: NVivo, ATLAS.ti, MAXQDA.
    #[default]
    Utf16,
    /// Unicode code points: QualCoder.
    CodePoints,
}

impl Offsets {
    pub(super) fn count(self, s: &str) -> usize {
        match self {
            Offsets::Utf16 => s.encode_utf16().count(),
            Offsets::CodePoints => s.chars().count(),
        }
    }
}
