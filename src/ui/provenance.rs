//! An interpretation's provenance on the synthesis screen: its decisions,
//! where a workshop took it up from, its translations (a line of
//! argument's stages among them), concepts and every statement beneath.

use super::Theme;
use super::widgets::speaker_label;
use crate::app::App;
use crate::domain::analysis::provenance_with;
use crate::domain::{Session, Timestamp};
use ratatui::text::{Line, Span};

/// An interpretation, down through its translations and concepts to the
/// statements under them, with what has happened to those since.
pub fn provenance_lines<'a>(
    app: &App,
    session: &Session,
    i: &crate::domain::synthesis::Interpretation,
    now: Timestamp,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let resolve = |id: &crate::domain::StatementId| app.resolve(id);
    let p = provenance_with(session, &resolve, i);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} [{}] ", i.id, i.status), theme.accent),
        Span::styled(format!("“{}”", i.text()), theme.title),
    ])];
    for h in &i.history {
        let round = h
            .round
            .as_ref()
            .map(|r| format!(" after vote {r}"))
            .unwrap_or_default();
        lines.push(Line::from(Span::styled(
            match h.reason.as_str() {
                "" => format!("  {}{round}", h.status),
                reason => format!("  {}{round}: {reason}", h.status),
            },
            theme.base,
        )));
    }
    // Taken up from a cross-case workspace: where from, and its cases.
    if let Some(t) = session.taken_up.get(&i.id) {
        lines.push(Line::from(Span::styled(
            format!(
                "  taken up from {} of the workspace {}, resting on:",
                t.from, t.workspace
            ),
            theme.base,
        )));
        for g in &t.grounds {
            lines.push(Line::from(Span::styled(format!("    {g}"), theme.base)));
        }
    }
    for t in &p.translations {
        let ids: Vec<&str> = t.concepts.iter().map(|c| c.as_str()).collect();
        let what = match &t.kind {
            crate::domain::TranslationKind::Reciprocal { wording } => format!(" → “{wording}”"),
            crate::domain::TranslationKind::LineOfArgument { argument, .. } => {
                match t.kind.stages_line() {
                    Some(stages) => format!(" → {argument}, {stages}"),
                    None => format!(" → {argument}"),
                }
            }
            crate::domain::TranslationKind::Refutational => String::new(),
        };
        lines.push(Line::from(Span::styled(
            format!(
                "  ← {} {} between {}{what}",
                t.id,
                t.kind.label(),
                ids.join(", ")
            ),
            theme.base,
        )));
        if !t.rationale.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("      because: {}", t.rationale),
                theme.dim,
            )));
        }
    }
    for c in &p.concepts {
        lines.push(Line::from(Span::styled(
            format!(
                "  ← concept {} {} ({})",
                c.id,
                c.name,
                crate::domain::describe::counted(
                    c.statements.len() as u64,
                    "statement",
                    "statements"
                )
            ),
            theme.base,
        )));
    }
    if p.flagged() > 0 {
        lines.push(Line::from(Span::styled(
            format!(
                "  ⚠ {} statement(s) below were retracted or amended after capture",
                p.flagged()
            ),
            theme.warn,
        )));
    }
    for e in &p.evidence {
        let v = e.statement.current();
        let stage = e
            .statement
            .stage
            .as_ref()
            .and_then(|s| e.home.stages.get(s))
            .map(|s| s.title.clone())
            .unwrap_or_else(|| "no stage".into());
        let flag = if e.retracted() {
            "⚠ RETRACTED "
        } else if e.amended() {
            "⚠ amended "
        } else {
            ""
        };
        let how = if e.direct {
            "direct".to_owned()
        } else {
            format!(
                "via {}",
                e.via
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            )
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "      {flag}{} {} · {stage} · {how}: ",
                    e.id,
                    speaker_label(e.home, &v.speaker)
                ),
                if flag.is_empty() {
                    theme.dim
                } else {
                    theme.warn
                },
            ),
            Span::styled(
                super::withheld::shown(app, e.home, &e.id, e.statement, now)
                    .words
                    .replace('\n', " "),
                theme.base,
            ),
        ]));
    }
    lines
}
