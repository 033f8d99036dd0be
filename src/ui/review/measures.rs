//! The review's measures view: the measures of co-production as the
//! session stood at the scrubber, by the breakdown chosen (`b`).

use super::super::Theme;
use super::super::widgets::bar;
use crate::domain::Session;
use ratatui::text::{Line, Span};

/// Measures of co-production as the session stood at the scrubber: for
/// each family its definition, then its figures under their scope, each
/// with the records it was counted from; the whole session's voice as bars.
pub(super) fn measures<'a>(
    s: &Session,
    by: crate::domain::Breakdown,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'a>> {
    use crate::domain::measures::{self as m, Family, Measure};
    let figures = m::measures_by(s, by);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "From the record up to this point, by {} (b: another breakdown). Each figure ends with the records it counts (statements by id: see 3 Statements). What each measure does not show is in its definition and docs/measures.md.",
            by.label()
        ),
        theme.dim,
    ))];
    for family in Family::ALL {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            family.title().to_uppercase(),
            theme.accent,
        )));
        if family == Family::Voice {
            let bar_w = (width as usize).saturating_sub(40).clamp(4, 40);
            let voices: Vec<&m::Figure> = figures
                .iter()
                .filter(|f| f.measure == Measure::VoiceStatements && f.scope == m::WHOLE)
                .collect();
            // Each group's name whole (`Local Authority`), the bars after.
            let label_w = voices
                .iter()
                .map(|f| f.subject.chars().count() + 1)
                .max()
                .unwrap_or(14)
                .max(14);
            for f in voices {
                let of = f.of.unwrap_or(0).max(1);
                lines.push(Line::from(vec![
                    Span::styled(format!("  {:<label_w$}", f.subject), theme.base),
                    Span::styled(
                        format!("{:<bar_w$}", bar(f.count as u32, of as u32, bar_w)),
                        theme.bar,
                    ),
                    Span::styled(format!(" {} ({} of {})", f.value, f.count, of), theme.base),
                ]));
            }
        }
        lines.push(Line::from(Span::styled(family.definition(), theme.dim)));
        let mut scope = None;
        let rows = crate::export::measures::of_family(&figures, family);
        if rows.is_empty() {
            let nothing = match s.sources.is_empty() {
                true => "nothing in the record to measure",
                false => crate::export::measures::nothing(family, true),
            };
            lines.push(Line::from(Span::styled(format!("  {nothing}"), theme.dim)));
        }
        for f in rows {
            if scope != Some(&f.scope) {
                lines.push(Line::from(Span::styled(
                    format!("  {}", f.scope),
                    theme.base,
                )));
                scope = Some(&f.scope);
            }
            lines.push(figure_line(f, theme));
        }
    }
    lines
}

/// `    service users · statements 27% (4 of 15) · note — st1 st2`.
fn figure_line<'a>(f: &crate::domain::measures::Figure, theme: &Theme) -> Line<'a> {
    let counted = match f.of {
        Some(of) => format!(" ({} of {of})", f.count),
        None => String::new(),
    };
    let mut spans = vec![
        Span::styled(
            format!("    {} · {} ", f.subject, f.measure.label()),
            theme.base,
        ),
        Span::styled(f.value.clone(), theme.accent),
        Span::styled(counted, theme.base),
    ];
    if !f.note.is_empty() {
        spans.push(Span::styled(format!(" · {}", f.note), theme.over));
    }
    if !f.records.is_empty() {
        spans.push(Span::styled(
            format!(" — {}", f.records.join(" ")),
            theme.dim,
        ));
    }
    Line::from(spans)
}
