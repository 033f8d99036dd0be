//! The self-contained HTML report: inline CSS, SVG bar charts (they print
//! with the browser's background printing off, as CSS backgrounds do not),
//! no external files; tables with captions and header scopes.
//!
//! Written through `maud`, which escapes everything interpolated unless it
//! is marked otherwise; what people typed goes through [`Text`] as well, so
//! a line break shows as one and control characters HTML forbids are left
//! out.

use super::report::{Audience, Report, StatementRow, VoteRow, time_or_dash};
use super::withheld_count;
use crate::domain::time::mmss;
use maud::{Markup, html};

pub use super::page::esc;
use super::page::{document, svg_text, t, table};

fn statement(s: &StatementRow) -> Markup {
    html! {
        p.st id={ "statement-" (s.id) } {
            span.id { (t(&s.id)) } " " b { (t(&s.speaker)) } " (" (t(&s.role)) ", " (t(&s.kind)) "): "
            @if s.text.is_empty() { span.withdrawn { "(words withdrawn)" } } @else { (t(&s.words())) }
            @for tag in &s.tags { span.tag { "#" (t(tag)) } }
            @if !s.note.is_empty() { " " span.note { "(" (t(&s.note)) ")" } }
        }
    }
}

/// Planned and actual minutes per stage as paired horizontal bars.
fn timing_svg(r: &Report) -> Markup {
    let max = r
        .stages
        .iter()
        .map(|s| s.planned_secs.max(s.actual_secs.unwrap_or(0)))
        .max()
        .unwrap_or(1)
        .max(1);
    let row = 34;
    let w = |secs: i64| (secs * 360 / max).max(1);
    html! {
        svg role="img" aria-label="Planned and actual time per stage" viewBox={ "0 0 760 " (r.stages.len() * row + 30) }
            width="100%" xmlns="http://www.w3.org/2000/svg" font-size="12" {
            @for (i, s) in r.stages.iter().enumerate() {
                @let y = i * row + 4;
                text x="0" y=(y + 20) { (s.number) ". " (svg_text(&crate::safe::fit_width(&s.title, 34))) }
                rect x="250" y=(y) width=(w(s.planned_secs)) height="12" fill="#bbb" { title { "planned " (mmss(s.planned_secs)) } }
                text x=(256 + w(s.planned_secs)) y=(y + 10) { "planned " (mmss(s.planned_secs)) }
                @if s.skipped && s.actual_secs.is_none() {
                    text x="256" y=(y + 24) { "skipped" }
                }
                @if let Some(a) = s.actual_secs {
                    rect x="250" y=(y + 14) width=(w(a)) height="12" fill=(if a > s.allowed_secs { "#b00020" } else { "#1f5fa8" }) {
                        title { "actual " (mmss(a)) }
                    }
                    text x=(256 + w(a)) y=(y + 24) {
                        "actual " (mmss(a))
                        @if a > s.allowed_secs { " (over)" }
                        @else if s.allowed_secs > s.planned_secs { " (extended)" }
                        @else if s.allowed_secs < s.planned_secs { " (shortened)" }
                    }
                }
            }
        }
    }
}

pub fn render(r: &Report) -> String {
    document(
        // The window's title is text alone: no isolate can stand in it.
        crate::safe::balance_bidi(&svg_text(&r.title)).into_owned(),
        html! {
            h1 { (t(&r.title)) }
            @if r.audience == Audience::Group { p { i { "For the group: what was said and agreed." } } }
            p {
                (t(&r.date))
                @if let Some(f) = &r.facilitator { " · facilitated by " (t(f)) }
                " · " (r.participants.len() + r.unnamed) " participants"
            }
            p.focus { b { "Focus:" } " " (t(&r.focus)) }
            @if let Some(d) = &r.damage {
                p.flag { strong { "INCOMPLETE:" } " the journal is damaged, and this report holds only its first " (r.records) " records: " (t(d)) }
            }
            h2 { "Participants" }
            (table(html! { "Who took part, by pseudonym" }, &[("who", false), ("role", false)], html! {
                @for (who, what) in &r.participants { tr { td { (t(who)) } td { (t(what)) } } }
            }))
            @if let Some(n) = super::unnamed(r.unnamed) { p { i { (t(&n)) } } }
            @if r.cases.is_empty() {
                h2 { "Agenda: planned and actual" }
                // The table first: it can break across printed pages where
                // the chart cannot, so no page is left half empty for it.
                (stages(r))
                div.scroll { (timing_svg(r)) }
            } @else {
                (sources(r))
            }
            (statements(r))
            (votes(r))
            (grid(r))
            (super::template::html(&r.template))
            (framework(r))
            (interpretations(r))
            (actions(r))
            (super::measures::html_section(r))
            (emerge(r))
            (super::gripp2::html(&r.gripp2, &r.gripp2_long))
            @if !r.memos.is_empty() || r.audience == Audience::Researcher {
                h2 { "Memos" }
                @if r.memos.is_empty() { p { (r.no_memos()) } }
                @else { ul { @for m in &r.memos { li { (t(m)) } } } }
            }
            h2 { "Audit" }
            p { (r.records) " records in the journal. Head hash:" }
            p.audit { (t(&r.head)) }
            p { "Check with " code { "roundtable verify" } "." }
        },
    )
}

/// A workspace's sources, its cases: each with the head it drew on and
/// what `verify` finds of it now.
fn sources(r: &Report) -> Markup {
    let columns = [
        ("case", false),
        ("session", false),
        ("title", false),
        ("head drawn on", false),
        ("now", false),
    ];
    html! {
        h2 { "Sources" }
        p { "Each case a session; its statements here are " code { "KEY.id" } ", its people " code { "KEY.P1" } "." }
        (table(html! { "The sessions this workspace draws on" }, &columns, html! {
            @for c in &r.cases {
                tr {
                    td { (t(&c.key)) } td { (t(&c.session)) } td { (t(&c.title)) }
                    td.audit { (t(&c.head)) } td { (t(&c.now())) }
                }
            }
        }))
    }
}

fn stages(r: &Report) -> Markup {
    let columns = [
        ("#", false),
        ("stage", false),
        ("kind", false),
        ("planned", true),
        ("actual", true),
        ("started", false),
        ("adjusted", false),
    ];
    table(
        html! { "Stages, planned and actual minutes" },
        &columns,
        html! {
            @for s in &r.stages {
                tr {
                    td { (s.number) } td { (t(&s.title)) } td { (t(&s.kind)) }
                    td.num { (mmss(s.planned_secs)) } td.num { (time_or_dash(s.actual_secs)) }
                    td { (t(&s.started)) } td { (t(&s.adjusted)) }
                }
            }
        },
    )
}

fn actions(r: &Report) -> Markup {
    let columns = [
        ("#", false),
        ("what", false),
        ("who", false),
        ("by when", false),
        ("status", false),
        ("what was done", false),
    ];
    html! {
        h2 { "You said, we did" }
        @if r.actions.is_empty() {
            p { "No actions were recorded." }
        } @else {
            (table(html! { "Actions agreed and what became of them" }, &columns, html! {
                @for a in &r.actions {
                    tr {
                        td { (t(&a.id)) } td { (t(&a.what)) } td { (t(&a.who)) }
                        td { (t(&a.by_when)) } td { (t(&a.status)) } td { (t(&a.note)) }
                    }
                }
            }))
        }
        h2 { "Parked for later" }
        ul {
            @if r.parked.is_empty() { li { "Nothing was parked." } }
            @for p in &r.parked { li { (t(p)) } }
        }
        @if !r.attendance.is_empty() {
            h2 { "Attendance" }
            ul { @for a in &r.attendance { li { (t(a)) } } }
        }
    }
}

/// How the translation was done, for eMERGe reporting.
fn emerge(r: &Report) -> Markup {
    html! {
        @if !r.emerge.is_empty() {
            h2 { "How the translation was done (eMERGe)" }
            p {
                "Drawn from the session's record only: each translation, its kind and wording, the concepts it joins, \
                 the group's rationale, when it was made and who was in the room, and the statements each \
                 interpretation built on it rests on."
            }
            @for e in &r.emerge {
                h3 { span.id { (t(&e.id)) } " " (t(&e.kind)) }
                ul {
                    li { "Concepts: " (t(&e.concepts.join("; "))) }
                    li { "Rationale: " (t(&e.rationale)) }
                    li { "When and by whom: " (t(&e.when)) }
                    @for u in &e.used_by { li { "Interpretation " (t(u)) } }
                }
            }
        }
    }
}

fn statements(r: &Report) -> Markup {
    html! {
        h2 { "Statements by stage" }
        @for s in r.stages.iter().filter(|s| !s.statements.is_empty() || s.withheld > 0) {
            h3 { (s.number) ". " (t(&s.title)) }
            @for st in &s.statements { (statement(st)) }
            @if let Some(n) = withheld_count(s.withheld, "statement") { p { i { (t(&n)) } } }
        }
        @if !r.unstaged.is_empty() || r.unstaged_withheld > 0 {
            h3 { "Outside any stage" }
            @for st in &r.unstaged { (statement(st)) }
            @if let Some(n) = withheld_count(r.unstaged_withheld, "statement") { p { i { (t(&n)) } } }
        }
    }
}

fn vote(v: &VoteRow) -> Markup {
    let max = v.options.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let mut columns = vec![("role group", false)];
    columns.extend(v.options.iter().map(|(opt, _)| (opt.as_str(), true)));
    html! {
        div.vote {
            h3 { span.id { (t(&v.id)) } " " (t(&v.question)) }
            p { (t(&v.method)) " on " (t(&v.about)) "; " (t(&v.mode)) "; " (t(&v.status)) "; " (v.voters) " voting." }
            @if v.counts_hidden { p { i { "Results hidden until the round closes." } } }
            // One chart, kept on one printed page.
            @if !v.counts_hidden {
                div.bars {
                    @for (opt, n) in &v.options {
                        div.bar {
                            span.label { (t(opt)) }
                            svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" {
                                rect width=(u64::from(*n) * 100 / u64::from(max)) height="10" fill="#1f5fa8" {}
                            }
                            span.num { (n) }
                        }
                    }
                }
            }
            @if !v.by_role.is_empty() {
                (table(html! { (t(&v.id)) " by role group" }, &columns, html! {
                    @for (role, counts) in &v.by_role {
                        tr { th scope="row" { (t(role)) } @for c in counts { td.num { (c) } } }
                    }
                }))
            }
            @for (by, groups) in &v.by_grid {
                @let heads: Vec<(&str, bool)> = std::iter::once((by.as_str(), false))
                    .chain(v.options.iter().map(|(opt, _)| (opt.as_str(), true)))
                    .collect();
                (table(html! { (t(&v.id)) " by " (t(by)) }, &heads, html! {
                    @for (group, counts) in groups {
                        tr { th scope="row" { (t(group)) } @for c in counts { td.num { (c) } } }
                    }
                }))
            }
            @if let Some(ranks) = &v.ranks { p { (t(ranks)) } }
        }
    }
}

fn votes(r: &Report) -> Markup {
    html! {
        h2 { "Votes" }
        @if r.votes.is_empty() { p { (r.no_votes()) } }
        @for v in &r.votes { (vote(v)) }
    }
}

/// The framework matrix: the grid with the words in its cells.
fn framework(r: &Report) -> Markup {
    let f = &r.framework;
    if f.rows.is_empty() {
        return html! {};
    }
    let mut columns = vec![("concept", false)];
    columns.extend(f.columns.iter().map(|c| (c.as_str(), false)));
    html! {
        h2 { "Framework matrix" }
        p { "Each concept's words, " @if r.cases.is_empty() { "by role group" } @else { "by case" } ": what the grid's ids say." }
        // Its rows may be long: in print they break across pages.
        div.framework { (table(html! { "The words under each concept" }, &columns, html! {
            @for (concept, cells) in &f.rows {
                tr {
                    th scope="row" { (t(concept)) }
                    @for (quotes, withheld) in cells {
                        td {
                            @for q in quotes {
                                p.quote {
                                    @if q.quoted { "“" (t(&q.words)) "”" } @else { (t(&q.words)) }
                                    " " span.who { "— " (t(&q.who)) " (" (t(&q.id)) ")" }
                                }
                            }
                            @if let Some(n) = super::withheld_count(*withheld, "statement") { p { i { (t(&n)) } } }
                        }
                    }
                }
            }
        })) }
    }
}

fn grid(r: &Report) -> Markup {
    let mut columns = vec![("concept", false)];
    columns.extend(r.grid.columns.iter().map(|c| (c.as_str(), false)));
    html! {
        h2 { "Translation grid" }
        @if r.grid.rows.is_empty() {
            p { "No concepts were named." }
        } @else {
            (table(html! { @if r.cases.is_empty() { "Which role groups' statements each concept rests on" } @else { "Which cases' statements each concept rests on" } }, &columns, html! {
                @for (concept, cells) in &r.grid.rows {
                    tr { th scope="row" { (t(concept)) } @for c in cells { td.id { (t(c)) } } }
                }
            }))
        }
    }
}

fn interpretations(r: &Report) -> Markup {
    html! {
        h2 { "Interpretations" }
        @for i in &r.interpretations {
            div.interp {
                p { span.id { (t(&i.id)) } " " span class={ "status " (i.status.replace(' ', "-")) } { (t(&i.status)) } }
                p { b { "“" (t(&i.text)) "”" } }
                p { "Decision: " (t(Report::decision(i))) }
                ul {
                    @for tr in &i.translations { li { "Translation: " (t(tr)) } }
                    @for c in &i.concepts { li { "Concept: " (t(c)) } }
                }
                ul {
                    @for e in &i.evidence { li class=[e.contains('⚠').then_some("flag")] { (t(e)) } }
                    @if let Some(n) = withheld_count(i.withheld, "statement") { li { i { (t(&n)) } } }
                }
            }
        }
    }
}
