//! Measures of co-production as readers meet them: the researcher's
//! report's section (HTML and Markdown), and a programme's page across
//! sessions. Every table row is one [`Figure`], the same the CSV and the
//! review show; its statements link to where the report quotes them.

use super::page::{document, svg_text, t, table};
use super::report::Report;
use crate::domain::measures::{Family, Figure, ProgrammeRow, VOICES, WHOLE, share_of};
use crate::domain::vote::LADDER;
use maud::{Markup, html};
use std::collections::HashSet;

pub(super) const INTRO: &str = "Computed from the record alone: who was captured saying what, how each role group voted, which statements the agreed interpretations rest on, and who was in the room when. Each figure lists the records it was counted from; a statement's id links to where this report quotes it.";

/// The figures of one family, in the order they were measured.
pub fn of_family(figures: &[Figure], family: Family) -> Vec<&Figure> {
    figures
        .iter()
        .filter(|f| f.measure.family() == family)
        .collect()
}

/// Ids of the statements the report quotes (each has an anchor).
fn quoted(r: &Report) -> HashSet<&str> {
    r.stages
        .iter()
        .flat_map(|s| &s.statements)
        .chain(&r.unstaged)
        .map(|s| s.id.as_str())
        .collect()
}

fn records(f: &Figure, quoted: &HashSet<&str>) -> Markup {
    html! {
        @for (i, id) in f.records.iter().enumerate() {
            @if i > 0 { " " }
            @if quoted.contains(id.as_str()) { a href={ "#statement-" (id) } { (t(id)) } }
            @else { (t(id)) }
        }
    }
}

const COLUMNS: [(&str, bool); 8] = [
    ("measure", false),
    ("scope", false),
    ("who or what", false),
    ("count", true),
    ("of", true),
    ("value", true),
    ("note", false),
    ("records", false),
];

/// What a report says of a family with no figures: a workspace's rounds,
/// times and involvement are measured in its cases.
pub fn nothing(family: Family, workspace: bool) -> &'static str {
    match (workspace, family) {
        (true, Family::Divergence | Family::Ladder | Family::Process | Family::Involvement) => {
            "A workspace has no room of its own: this is measured in each case's report, and by roundtable programme over the cases."
        }
        _ => "Nothing in this session to measure.",
    }
}

/// The researcher's report's section: each family's definition, then its
/// figures; the whole session's voice as a chart as well.
pub fn html_section(r: &Report) -> Markup {
    if r.measures.is_empty() {
        return html! {};
    }
    let quoted = quoted(r);
    html! {
        h2 id="measures" { "Measures of co-production" }
        p { (INTRO) }
        @for family in Family::ALL {
            h3 { (family.title()) }
            p { (family.definition()) }
            @if family == Family::Voice { div.scroll { (voice_svg(&r.measures)) } }
            @let rows = of_family(&r.measures, family);
            @if rows.is_empty() { p { (nothing(family, !r.cases.is_empty())) } }
            @else {
                (table(html! { (family.title()) ": the figures" }, &COLUMNS, html! {
                    @for f in rows {
                        tr {
                            td { (f.measure.label()) } td { (t(&f.scope)) } td { (t(&f.subject)) }
                            td.num { (f.count) } td.num { @if let Some(of) = f.of { (of) } }
                            td.num { (t(&f.value)) } td { (t(&f.note)) } td { (records(f, &quoted)) }
                        }
                    }
                }))
            }
        }
    }
}

/// Statements by voice, the whole session, as labelled bars.
fn voice_svg(figures: &[Figure]) -> Markup {
    // Each voice, its bar's length, and its figure in words.
    let bars: Vec<(&str, i64, String)> = figures
        .iter()
        .filter(|f| {
            f.measure == crate::domain::measures::Measure::VoiceStatements && f.scope == WHOLE
        })
        .map(|f| {
            let of = f.of.unwrap_or(0);
            let w = if of > 0 { f.count * 400 / of } else { 0 };
            (
                f.subject.as_str(),
                w,
                format!("{} ({} of {of})", f.value, f.count),
            )
        })
        .collect();
    let said: Vec<String> = bars.iter().map(|(g, _, v)| format!("{g} {v}")).collect();
    let label = svg_text(&format!(
        "Share of statements by voice: {}",
        said.join(", ")
    ));
    html! {
        svg role="img" aria-label=(label) viewBox={ "0 0 760 " (bars.len() * 24 + 8) }
            width="100%" xmlns="http://www.w3.org/2000/svg" font-size="13" {
            title { (label) }
            @for (i, (g, w, v)) in bars.iter().enumerate() {
                @let y = i * 24 + 4;
                text x="0" y=(y + 13) { (svg_text(g)) }
                rect x="120" y=(y) width=((*w).max(1)) height="16" fill="#1f5fa8" {}
                text x=(126 + w) y=(y + 13) { (v) }
            }
        }
    }
}

/// A chart of one series over the programme's sessions: a labelled bar
/// per session, its value written beside it, and the same in words for
/// screen readers.
/// A series over the sessions as bars, each as long as its value is of
/// `full` (100 for a share, 8 for a rung of the ladder, the largest group
/// present in any session for attendance), so charts compare as they look.
fn series_svg(
    title: &str,
    rows: &[ProgrammeRow],
    values: &[Option<i64>],
    unit: &str,
    full: i64,
) -> Markup {
    let max = full.max(1);
    let said: Vec<String> = rows
        .iter()
        .zip(values)
        .map(|(r, v)| {
            let v = v.map_or("no figure".into(), |v| format!("{v}{unit}"));
            format!("{} {}: {v}", r.date, r.title)
        })
        .collect();
    // Titles are what people typed: no control character in an attribute.
    let label = svg_text(&format!("{title}, session by session: {}", said.join("; ")));
    html! {
        svg role="img" aria-label=(label) viewBox={ "0 0 760 " (rows.len() * 24 + 8) }
            width="100%" xmlns="http://www.w3.org/2000/svg" font-size="13" {
            title { (label) }
            @for (i, (r, v)) in rows.iter().zip(values).enumerate() {
                @let y = i * 24 + 4;
                @let w = v.map_or(0, |v| v * 360 / max);
                text x="0" y=(y + 13) { (svg_text(&format!("{} {}", r.date, crate::safe::fit_width(&r.title, 22)))) }
                rect x="250" y=(y) width=(w.max(1)) height="16" fill="#1f5fa8" {}
                text x=(256 + w) y=(y + 13) { (v.map_or("–".into(), |v| format!("{v}{unit}"))) }
            }
        }
    }
}

/// The programme's page: a table of every session's measures, then a
/// chart for each series.
pub fn programme_html(rows: &[ProgrammeRow]) -> String {
    let voice =
        |i: usize| -> Vec<Option<i64>> { rows.iter().map(|r| share_of(&r.voice, i)).collect() };
    let influence =
        |i: usize| -> Vec<Option<i64>> { rows.iter().map(|r| share_of(&r.influence, i)).collect() };
    let present =
        |i: usize| -> Vec<Option<i64>> { rows.iter().map(|r| Some(r.present[i])).collect() };
    let ladder: Vec<Option<i64>> = rows
        .iter()
        .map(|r| r.ladder.map(|m| m as i64 + 1))
        .collect();
    let most_present = rows.iter().flat_map(|r| r.present).max().unwrap_or(1);
    document(
        "Programme measures",
        html! {
            h1 { "Measures of co-production across " (crate::domain::describe::counted(rows.len() as u64, "session", "sessions")) }
            p { "Oldest first. Each session's own report holds its figures with the statements behind them; the definitions are in " code { "docs/measures.md" } "." }
            (programme_table(rows))
            p { (who_came_back(rows)) }
            @for (i, g) in VOICES.iter().enumerate().take(4) {
                h2 { (g) }
                h3 { "Share of statements (voice)" } div.scroll { (series_svg(&format!("Share of statements: {g}"), rows, &voice(i), "%", 100)) }
                h3 { "Share of the agreed interpretations' statements (influence)" }
                div.scroll { (series_svg(&format!("Share of the agreed interpretations' statements: {g}"), rows, &influence(i), "%", 100)) }
                h3 { "Present" } div.scroll { (series_svg(&format!("Present: {g}"), rows, &present(i), "", most_present)) }
            }
            h2 { "Ladder of co-production" }
            p { "The median rung of the latest ladder round, counted from the bottom: 1 " (LADDER[0]) " … 8 " (LADDER[7]) "." }
            div.scroll { (series_svg("Median rung on the ladder of co-production", rows, &ladder, " of 8", 8)) }
        },
    )
}

fn programme_table(rows: &[ProgrammeRow]) -> Markup {
    let columns = [
        ("date", false),
        ("session", false),
        ("present (su / c / st / o)", false),
        ("came back (su / c / st / o)", false),
        ("voice: su / c / st / o / group", false),
        ("influence: su / c / st / o / group", false),
        ("ladder", false),
        ("actions open / done / dropped", false),
    ];
    let shares = |c: &[i64; 5]| {
        (0..5)
            .map(|i| share_of(c, i).map_or("–".into(), |p| format!("{p}%")))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    table(
        html! { "Each session's measures, oldest first" },
        &columns,
        html! {
            @for r in rows {
                tr {
                    td { (t(&r.date)) } td { (t(&r.title)) " (" (t(&r.name)) ")" }
                    td { (r.present.map(|n| n.to_string()).join(" / ")) }
                    td { (came_back(r)) }
                    td { (shares(&r.voice)) } td { (shares(&r.influence)) }
                    td { (r.ladder.map_or("–", |m| LADDER[m])) }
                    td { (r.actions.map(|n| n.to_string()).join(" / ")) }
                }
            }
        },
    )
}

/// `▁▄█`: one block per value, scaled to `max`; a gap where there is none.
pub fn sparkline(values: &[Option<i64>], max: i64) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(v) => {
                let i = (v.clamp(&0, &max.max(1)) * 7 + max.max(1) / 2) / max.max(1);
                BLOCKS[i as usize]
            }
        })
        .collect()
}

/// How "came back" was counted: by the register, or where people have no
/// register id by pseudonym and role, which two people can share.
pub fn who_came_back(rows: &[ProgrammeRow]) -> String {
    let unregistered: i64 = rows.iter().map(|r| r.unregistered).sum();
    // Who took part in more than one session, by the register: those who
    // consented by id, the rest counted.
    let mut seen: Vec<(&str, bool, usize)> = Vec::new();
    for (id, consent) in rows.iter().flat_map(|r| r.people.iter()) {
        match seen.iter_mut().find(|(x, _, _)| *x == id.as_str()) {
            Some((_, c, n)) => {
                *n += 1;
                *c &= *consent;
            }
            None => seen.push((id, *consent, 1)),
        }
    }
    let crossed: Vec<String> = seen
        .iter()
        .filter(|(_, c, n)| *c && *n > 1)
        .map(|(id, _, n)| format!("{id} ({n})"))
        .collect();
    let unnamed = seen.iter().filter(|(_, c, n)| !*c && *n > 1).count();
    let mut across = match crossed.len() + unnamed {
        0 if seen.is_empty() => String::new(),
        0 => " Nobody in the register took part in more than one session.".into(),
        n => format!(
            " In more than one session, by the register: {n} {}{}{}.",
            if n == 1 { "person" } else { "people" },
            if crossed.is_empty() { "" } else { ": " },
            crossed.join(", ")
        ),
    };
    if unnamed > 0 {
        across.push_str(&format!(
            " ({unnamed} not named here: no consent to be quoted.)"
        ));
    }
    let how = match unregistered {
        0 => "Who came back is counted by each person's register id.".into(),
        n => format!(
            "Who came back is counted by register id where people have one; {n} participant place{} had none and {} matched by pseudonym and role together, which two different people can share. Give each person a person: id in the participants file to follow people, not pseudonyms.",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" }
        ),
    };
    format!("{how}{across}")
}

/// The programme as plain text: a line per session, then each series over
/// time as a sparkline with its figures written out.
pub fn programme_text(rows: &[ProgrammeRow]) -> Vec<String> {
    let pct = |v: Option<i64>| v.map_or("–".into(), |p| format!("{p}%"));
    let mut out = vec![format!(
        "{} session{}, oldest first (present: service users / carers / staff / others)",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )];
    for r in rows {
        let back = match r.retained_total() {
            Some((b, of)) => format!("{b} of {of} came back ({})", came_back(r)),
            None => "–".into(),
        };
        out.push(format!(
            "  {} {} · present {} · {back} · ladder {} · actions open {} done {} dropped {}",
            r.date,
            r.title,
            r.present.map(|n| n.to_string()).join("/"),
            r.ladder.map_or("–", |m| LADDER[m]),
            r.actions[0],
            r.actions[1],
            r.actions[2],
        ));
    }
    out.push(who_came_back(rows));
    out.push(String::new());
    out.push("Over time (oldest → newest):".into());
    let mut series = |name: String, values: Vec<Option<i64>>, max: i64, unit: &str| {
        let said: Vec<String> = values
            .iter()
            .map(|v| {
                if unit == "%" {
                    pct(*v)
                } else {
                    v.map_or("–".into(), |v| v.to_string())
                }
            })
            .collect();
        out.push(format!(
            "  {name:<34} {}  {}",
            sparkline(&values, max),
            said.join(" ")
        ));
    };
    for (i, g) in VOICES.iter().enumerate().take(4) {
        series(
            format!("voice: {g}"),
            rows.iter().map(|r| share_of(&r.voice, i)).collect(),
            100,
            "%",
        );
    }
    for (i, g) in VOICES.iter().enumerate().take(4) {
        series(
            format!("influence: {g}"),
            rows.iter().map(|r| share_of(&r.influence, i)).collect(),
            100,
            "%",
        );
    }
    for (i, g) in VOICES.iter().enumerate().take(4) {
        let present: Vec<Option<i64>> = rows.iter().map(|r| Some(r.present[i])).collect();
        let max = present.iter().flatten().copied().max().unwrap_or(1);
        series(format!("present: {g}"), present, max, "");
    }
    series(
        "ladder: median rung (1-8)".into(),
        rows.iter()
            .map(|r| r.ladder.map(|m| m as i64 + 1))
            .collect(),
        8,
        "",
    );
    out
}

/// `2/2 · 2/2 · 1/2 · –`: who came back, by role group.
fn came_back(r: &ProgrammeRow) -> String {
    match r.retained {
        None => "–".into(),
        Some(by) => by
            .iter()
            .map(|(b, of)| {
                if *of == 0 {
                    "–".into()
                } else {
                    format!("{b}/{of}")
                }
            })
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(title: &str, ladder: Option<usize>, voice: [i64; 5]) -> ProgrammeRow {
        ProgrammeRow {
            name: title.to_owned(),
            date: "2026-01-10".into(),
            utc_date: "2026-01-10".into(),
            title: title.to_owned(),
            present: [4, 2, 3, 0],
            retained: None,
            unregistered: 0,
            people: Vec::new(),
            voice,
            influence: [0; 5],
            ladder,
            actions: [0; 3],
        }
    }

    /// Bars compare as they look (issue 35, item 7): a rung of 6 draws
    /// three quarters of a full bar, not as long as 100%; a title is cut by
    /// the width it is drawn at, at a word, with "…".
    #[test]
    fn programme_bars_are_scaled_to_their_whole_and_labels_cut_by_width() {
        let rows = [
            row(
                "A very long title for a programme meeting",
                Some(5),
                [10, 0, 0, 0, 0],
            ),
            row(
                "長い会議のタイトルがここにあります長い会議",
                Some(3),
                [5, 5, 0, 0, 0],
            ),
        ];
        let page = programme_html(&rows);
        let ladder = &page[page.find("Median rung on the ladder").unwrap()..];
        // Rung 6 of 8: 6 × 360 / 8 = 270; rung 4: 180.
        assert!(ladder.contains("width=\"270\""), "{ladder}");
        assert!(ladder.contains("width=\"180\""), "{ladder}");
        assert!(ladder.contains("6 of 8"), "{ladder}");
        // A share of 100% is the whole bar.
        assert!(page.contains("width=\"360\""));
        // Each chart's label, cut (the table and the charts' text
        // alternatives keep the whole title).
        assert!(
            page.contains(">2026-01-10 A very long title for…</text>"),
            "cut at a word"
        );
        assert!(!page.contains("programme meeting</text>"), "cut by width");
        // Ten characters two columns wide, and "…": 21 of 22 columns.
        assert!(page.contains(">2026-01-10 長い会議のタイトルが…</text>"));
    }
}
