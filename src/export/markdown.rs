//! The Markdown report.

use super::report::{Audience, Report, StatementRow, time_or_dash};
use super::withheld_count;
use crate::domain::time::mmss;
use std::fmt::Write;

/// Characters that would make words into markup part-way through a line
/// (emphasis, code, links, raw HTML, entities, tables, strikethrough, a
/// heading's closing `#`s): each is written after a backslash, which
/// CommonMark allows before any ASCII punctuation.
const MARKUP: &str = "\\`*_[]<>|~&#";

/// Escapes text for a Markdown paragraph or list item, so that a CommonMark
/// reader shows exactly the words typed: no raw HTML, no formatting, and no
/// control characters. Each line break (LF, CRLF or CR) is a CommonMark hard
/// break (a backslash at the line's end; never `<br>`, which Word through
/// pandoc drops and a renderer with HTML off shows), the next line indented
/// to stay in its list item and its first character escaped where it could
/// start a block (a list, a heading's underline).
pub fn esc(s: &str) -> String {
    let s = crate::safe::balance_bidi(s);
    let mut o = String::with_capacity(s.len() + s.len() / 8);
    let mut chars = s.chars().peekable();
    let mut line_start = false;
    while let Some(c) = chars.next() {
        if line_start {
            line_start = false;
            // What would start a block at a line's start: a bullet, a
            // setext underline, an ordered list's number.
            if matches!(c, '-' | '+' | '=') {
                o.push('\\');
            } else if c.is_ascii_digit() {
                let mut digits = String::from(c);
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    digits.push(d);
                }
                o.push_str(&digits);
                if let Some(p) = chars.next_if(|p| matches!(p, '.' | ')')) {
                    o.push('\\');
                    o.push(p);
                }
                continue;
            }
        }
        match c {
            c if crate::safe::is_break(c) => {
                if c == '\r' {
                    chars.next_if_eq(&'\n');
                }
                o.push_str("\\\n  ");
                line_start = true;
            }
            // Control characters (a vertical tab, a bell) become raw bytes
            // an HTML renderer must reject: left out.
            c if c.is_control() && c != '\t' => {}
            c if MARKUP.contains(c) => {
                o.push('\\');
                o.push(c);
            }
            c => o.push(c),
        }
    }
    o
}

/// [`esc`] for one line: a table cell or a heading, where a line break
/// would end the row or the heading; each becomes a space.
pub fn esc_line(s: &str) -> String {
    esc(&crate::safe::breaks(s).replace('\n', " "))
}

fn statement(o: &mut String, s: &StatementRow) {
    let tags: String = s
        .tags
        .iter()
        .map(|t| format!(" {}", esc(&format!("#{t}"))))
        .collect();
    let note = if s.note.is_empty() {
        String::new()
    } else {
        format!(" _({})_", esc(&s.note))
    };
    let text = if s.text.is_empty() {
        "_(words withdrawn)_".to_owned()
    } else {
        esc(&s.words())
    };
    let _ = writeln!(
        o,
        "- **{}** {} ({}, {}): {text}{tags}{note}",
        esc(&s.id),
        esc(&s.speaker),
        s.role,
        s.kind
    );
}

/// Statements by stage, each stage's withheld ones counted.
fn statements_section(o: &mut String, r: &Report) {
    let _ = writeln!(o, "\n## Statements by stage");
    for s in &r.stages {
        if s.statements.is_empty() && s.withheld == 0 {
            continue;
        }
        let _ = writeln!(o, "\n### {}. {}\n", s.number, esc_line(&s.title));
        for st in &s.statements {
            statement(o, st);
        }
        if let Some(n) = withheld_count(s.withheld, "statement") {
            let _ = writeln!(o, "- _{n}_");
        }
    }
    if !r.unstaged.is_empty() || r.unstaged_withheld > 0 {
        let _ = writeln!(o, "\n### Outside any stage\n");
        for st in &r.unstaged {
            statement(o, st);
        }
        if let Some(n) = withheld_count(r.unstaged_withheld, "statement") {
            let _ = writeln!(o, "- _{n}_");
        }
    }
}

/// A session's agenda: each stage planned and as it ran.
fn agenda_section(o: &mut String, r: &Report) {
    let _ = writeln!(
        o,
        "\n## Agenda: planned and actual\n\n| # | stage | kind | planned | actual | started | adjusted |\n|---|---|---|---|---|---|---|"
    );
    for s in &r.stages {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            s.number,
            esc_line(&s.title),
            s.kind,
            mmss(s.planned_secs),
            time_or_dash(s.actual_secs),
            s.started,
            s.adjusted
        );
    }
}

/// A workspace's sources, its cases: each with the head it drew on and
/// what `verify` finds of it now.
fn sources_section(o: &mut String, r: &Report) {
    let _ = writeln!(
        o,
        "\n## Sources\n\nEach case a session; its statements here are `KEY.id`, its people `KEY.P1`.\n\n| case | session | title | head drawn on | now |\n|---|---|---|---|---|"
    );
    for c in &r.cases {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            esc_line(&c.key),
            esc_line(&c.session),
            esc_line(&c.title),
            esc_line(&c.head),
            esc_line(&c.now())
        );
    }
}

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", esc_line(&r.title));
    if r.audience == Audience::Group {
        let _ = writeln!(o, "_For the group: what was said and agreed._\n");
    }
    let _ = writeln!(o, "**Focus:** {}\n", esc(&r.focus));
    let by = r
        .facilitator
        .as_ref()
        .map(|f| format!(" · facilitated by {}", esc_line(f)))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "{}{by} · {} participants\n",
        r.date,
        r.participants.len() + r.unnamed
    );
    if let Some(d) = &r.damage {
        let _ = writeln!(
            o,
            "> **INCOMPLETE:** the journal is damaged, and this report holds only its first {} records: {}\n",
            r.records,
            esc_line(d)
        );
    }
    let _ = writeln!(o, "## Participants\n\n| who | role |\n|---|---|");
    for (who, what) in &r.participants {
        let _ = writeln!(o, "| {} | {} |", esc_line(who), esc_line(what));
    }
    if let Some(n) = super::unnamed(r.unnamed) {
        let _ = writeln!(o, "\n_{}_", esc(&n));
    }
    if !r.cases.is_empty() {
        sources_section(&mut o, r);
    } else {
        agenda_section(&mut o, r);
    }
    statements_section(&mut o, r);
    votes_section(&mut o, r);
    let _ = writeln!(o, "\n## Translation grid\n");
    if r.grid.rows.is_empty() {
        let _ = writeln!(o, "No concepts were named.");
    } else {
        let _ = writeln!(
            o,
            "| concept | {} |\n|---|{}",
            r.grid
                .columns
                .iter()
                .map(|c| esc_line(c))
                .collect::<Vec<_>>()
                .join(" | "),
            "---|".repeat(r.grid.columns.len())
        );
        for (concept, cells) in &r.grid.rows {
            let cells: Vec<String> = cells.iter().map(|c| esc_line(c)).collect();
            let _ = writeln!(o, "| {} | {} |", esc_line(concept), cells.join(" | "));
        }
    }
    template_section(&mut o, &r.template);
    let _ = writeln!(o, "\n## Interpretations");
    for i in &r.interpretations {
        let _ = writeln!(
            o,
            "\n### {} — {}\n\n“{}”\n\n**Decision:** {}\n",
            esc_line(&i.id),
            i.status,
            esc(&i.text),
            esc(Report::decision(i))
        );
        for t in &i.translations {
            let _ = writeln!(o, "- Translation: {}", esc(t));
        }
        for c in &i.concepts {
            let _ = writeln!(o, "- Concept: {}", esc(c));
        }
        for e in &i.evidence {
            let _ = writeln!(o, "- Statement {}", esc(e));
        }
        if let Some(n) = withheld_count(i.withheld, "statement") {
            let _ = writeln!(o, "- _{n}_");
        }
    }
    emerge(&mut o, r);
    gripp2_section(&mut o, &r.gripp2, &r.gripp2_long);
    follow_ups(&mut o, r);
    measures_section(&mut o, &r.measures, !r.cases.is_empty());
    if !r.memos.is_empty() || r.audience == Audience::Researcher {
        let _ = writeln!(o, "\n## Memos\n");
        if r.memos.is_empty() {
            let _ = writeln!(o, "{}", esc(&r.no_memos()));
        }
        for m in &r.memos {
            let _ = writeln!(o, "- {}", esc(m));
        }
    }
    let _ = writeln!(
        o,
        "\n## Audit\n\n{} records in the journal; head hash `{}`. Check with `roundtable verify`.",
        r.records, r.head
    );
    o
}

/// How the translation was done, for eMERGe reporting.
fn emerge(o: &mut String, r: &Report) {
    if r.emerge.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\n## How the translation was done (eMERGe)\n\nDrawn from the session's record only: each translation, its kind and wording, the concepts it joins, the group's rationale, when it was made and who was in the room, and the statements each interpretation built on it rests on."
    );
    for e in &r.emerge {
        let _ = writeln!(o, "\n### {}: {}\n", esc_line(&e.id), esc_line(&e.kind));
        let concepts: Vec<String> = e.concepts.iter().map(|c| esc(c)).collect();
        let _ = writeln!(o, "- Concepts: {}", concepts.join("; "));
        let _ = writeln!(o, "- Rationale: {}", esc(&e.rationale));
        let _ = writeln!(o, "- When and by whom: {}", esc(&e.when));
        for u in &e.used_by {
            let _ = writeln!(o, "- Interpretation {}", esc(u));
        }
    }
}

/// "You said, we did", what was parked, and who came and went.
fn follow_ups(o: &mut String, r: &Report) {
    let _ = writeln!(o, "\n## You said, we did\n");
    if r.actions.is_empty() {
        let _ = writeln!(o, "No actions were recorded.");
    } else {
        let _ = writeln!(
            o,
            "| # | what | who | by when | status | what was done |\n|---|---|---|---|---|---|"
        );
        for a in &r.actions {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                esc_line(&a.id),
                esc_line(&a.what),
                esc_line(&a.who),
                esc_line(&a.by_when),
                a.status,
                esc_line(&a.note)
            );
        }
    }
    let _ = writeln!(o, "\n## Parked for later\n");
    if r.parked.is_empty() {
        let _ = writeln!(o, "Nothing was parked.");
    }
    for p in &r.parked {
        let _ = writeln!(o, "- {}", esc(p));
    }
    if !r.attendance.is_empty() {
        let _ = writeln!(o, "\n## Attendance\n");
        for a in &r.attendance {
            let _ = writeln!(o, "- {}", esc(a));
        }
    }
}

/// The same section in Markdown.
pub fn measures_section(
    o: &mut String,
    figures: &[crate::domain::measures::Figure],
    workspace: bool,
) {
    if figures.is_empty() {
        return;
    }
    o.push_str("\n## Measures of co-production\n\n");
    o.push_str(
        super::measures::INTRO
            .split("; a statement")
            .next()
            .unwrap_or(super::measures::INTRO),
    );
    o.push_str(".\n");
    for family in crate::domain::measures::Family::ALL {
        let _ = write!(
            o,
            "\n### {}\n\n{}\n\n",
            family.title(),
            esc(family.definition())
        );
        let rows = super::measures::of_family(figures, family);
        if rows.is_empty() {
            o.push_str(super::measures::nothing(family, workspace));
            o.push('\n');
            continue;
        }
        o.push_str("| measure | scope | who or what | count | of | value | note | records |\n");
        o.push_str("|---|---|---|--:|--:|--:|---|---|\n");
        for f in rows {
            let of = f.of.map(|n| n.to_string()).unwrap_or_default();
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {of} | {} | {} | {} |",
                f.measure.label(),
                cell(&f.scope),
                cell(&f.subject),
                f.count,
                cell(&f.value),
                cell(&f.note),
                cell(&f.records.join(" "))
            );
        }
    }
}

/// A Markdown table cell: [`esc_line`] escapes `|` and writes line breaks
/// as spaces, so nothing ends the cell early.
fn cell(s: &str) -> String {
    esc_line(s)
}

/// The final template and matrices in Markdown (nothing without a codebook).
fn template_section(o: &mut String, t: &super::template::FinalTemplate) {
    use super::template::{MATRIX_NOTE, cell, matrix_title};
    if t.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\n## Final template\n\nEach code of the codebook with the statements coded at it{}; quotes are labelled with who said them and where they sit.",
        match t.facets.is_empty() {
            true => String::new(),
            false => format!(", by {}", t.facets.join(" / ").to_lowercase()),
        }
    );
    for row in &t.rows {
        let heading = "#".repeat((row.depth + 3).min(6));
        let _ = writeln!(
            o,
            "\n{heading} {} (#{})\n",
            esc_line(&row.name),
            esc_line(&row.path)
        );
        if row.facets.is_empty() {
            let _ = writeln!(o, "{}", row.empty_note());
        }
        for f in &row.facets {
            let _ = writeln!(
                o,
                "- **{}** ({})",
                esc_line(&f.facet),
                f.quotes.len() + f.withheld
            );
            for q in &f.quotes {
                let _ = writeln!(
                    o,
                    "  - “{}” ({}) {}",
                    esc(&q.text).replace('\n', "\n    "),
                    esc_line(&q.label),
                    q.id
                );
            }
            if let Some(n) = super::withheld_count(f.withheld, "statement") {
                let _ = writeln!(o, "  - *{n}*");
            }
        }
    }
    for m in &t.matrices {
        let _ = writeln!(o, "\n### {}\n\n{MATRIX_NOTE}\n", matrix_title(m));
        let _ = writeln!(
            o,
            "| code | {} | withheld |\n|---|{}---|",
            m.groups
                .iter()
                .map(|g| esc_line(g))
                .collect::<Vec<_>>()
                .join(" | "),
            "---|".repeat(m.groups.len())
        );
        for r in &m.rows {
            let indent = "→ ".repeat(r.depth);
            let cells: Vec<String> = r.cells.iter().map(|c| cell(c)).collect();
            let _ = writeln!(
                o,
                "| {indent}{} | {} | {} |",
                esc_line(&r.name),
                cells.join(" | "),
                r.withheld
            );
        }
    }
}

/// Every round: its question, counts, by role and by the grid.
fn votes_section(o: &mut String, r: &Report) {
    let _ = writeln!(o, "\n## Votes");
    if r.votes.is_empty() {
        let _ = writeln!(o, "\n{}", r.no_votes());
    }
    for v in &r.votes {
        let _ = writeln!(
            o,
            "\n### {} — {}\n\n{} on {}; {}; {}; {} voting.\n",
            esc_line(&v.id),
            esc_line(&v.question),
            v.method,
            esc(&v.about),
            v.mode,
            v.status,
            v.voters
        );
        if v.counts_hidden {
            let _ = writeln!(o, "_Results hidden until the round closes._");
            continue;
        }
        let _ = writeln!(o, "| option | count |\n|---|---|");
        for (opt, n) in &v.options {
            let _ = writeln!(o, "| {} | {n} |", esc_line(opt));
        }
        if !v.by_role.is_empty() {
            let heads: Vec<String> = v.options.iter().map(|(opt, _)| esc_line(opt)).collect();
            let _ = writeln!(
                o,
                "\n| by role | {} |\n|---|{}",
                heads.join(" | "),
                "---|".repeat(heads.len())
            );
            for (role, counts) in &v.by_role {
                let cells: Vec<String> = counts.iter().map(u32::to_string).collect();
                let _ = writeln!(o, "| {role} | {} |", cells.join(" | "));
            }
        }
        for (by, groups) in &v.by_grid {
            let heads: Vec<String> = v.options.iter().map(|(opt, _)| esc_line(opt)).collect();
            let _ = writeln!(
                o,
                "\n| by {by} | {} |\n|---|{}",
                heads.join(" | "),
                "---|".repeat(heads.len())
            );
            for (group, counts) in groups {
                let cells: Vec<String> = counts.iter().map(u32::to_string).collect();
                let _ = writeln!(o, "| {group} | {} |", cells.join(" | "));
            }
        }
        if let Some(ranks) = &v.ranks {
            let _ = writeln!(o, "\n{}", esc(ranks));
        }
    }
}

/// The GRIPP2 short form, as the record fills it in.
fn gripp2_section(o: &mut String, items: &[super::gripp2::Item], long: &[super::gripp2::Section]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\n## Reporting involvement (GRIPP2 short form)\n\n{}",
        super::gripp2::INTRO
    );
    for i in items {
        let _ = writeln!(o, "\n### {}. {}\n\n*{}*\n", i.number, i.title, i.guidance);
        for line in &i.from_record {
            let _ = writeln!(o, "- {}", esc(line));
        }
        if let Some(blank) = i.to_write {
            let _ = writeln!(o, "\n**{}** {}", super::gripp2::BLANK, esc(blank));
        }
    }
    if !long.is_empty() {
        let _ = writeln!(o, "\n### The long form: what the record can answer");
    }
    for sec in long {
        let _ = writeln!(o, "\n#### {}\n", sec.title);
        for line in &sec.from_record {
            let _ = writeln!(o, "- {}", esc(line));
        }
        if let Some(blank) = sec.to_write {
            let _ = writeln!(o, "\n**{}** {}", super::gripp2::BLANK, esc(blank));
        }
    }
}
