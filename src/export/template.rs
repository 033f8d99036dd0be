//! Template analysis's outputs: the final template (each code, its
//! statements by facet, each quote labelled with who said it and where
//! they sit on the sampling grid) and matrix coding tables (codes × role
//! group, sector or level, each cell's statements named), as NVivo's
//! matrix coding queries give them.

use super::{Privacy, listed};
use crate::domain::codebook::{Code, codes_at, ordered};
use crate::domain::{Breakdown, Session, Speaker, Statement};

/// One quote under a code: its id, words, and who said it.
#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    pub id: String,
    pub text: String,
    /// `P3; Local Authority, front line` (or the role, off the grid).
    pub label: String,
}

/// A code's statements under one facet (or under none).
#[derive(Clone, Debug, PartialEq)]
pub struct FacetQuotes {
    /// The facet's name (`Barrier`), or `No facet`.
    pub facet: String,
    pub quotes: Vec<Quote>,
    /// Statements here whose speakers did not consent: counted only.
    pub withheld: usize,
}

/// One code of the final template.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateRow {
    pub path: String,
    pub name: String,
    pub depth: usize,
    /// One entry per facet that has statements here, then `No facet`.
    pub facets: Vec<FacetQuotes>,
    /// Statements coded at its subthemes (each once).
    pub beneath: usize,
}

impl TemplateRow {
    /// What to say of a code with no statements of its own.
    pub fn empty_note(&self) -> String {
        match self.beneath {
            0 => "No statements are coded here.".into(),
            n => format!(
                "Coded at its subthemes below ({}).",
                crate::domain::describe::counted(n as u64, "statement", "statements")
            ),
        }
    }
}

/// One matrix coding table: codes × the groups of a breakdown.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub by: Breakdown,
    pub groups: Vec<String>,
    pub rows: Vec<MatrixRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatrixRow {
    pub path: String,
    pub name: String,
    pub depth: usize,
    /// The statement ids in each group's cell (a theme holds its
    /// subthemes' statements, each once).
    pub cells: Vec<Vec<String>>,
    /// Statements coded here whose speakers did not consent.
    pub withheld: usize,
}

/// The final template and its matrices; empty without a codebook.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FinalTemplate {
    pub rows: Vec<TemplateRow>,
    /// The facets' names, in codebook order.
    pub facets: Vec<String>,
    pub matrices: Vec<Matrix>,
}

impl FinalTemplate {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Who said it, as a quote is labelled: `P3; Local Authority, front line`.
pub fn label(s: &Session, privacy: Privacy, speaker: &Speaker) -> String {
    let who = privacy.speaker(s, speaker);
    match speaker {
        Speaker::Participant(id) => match s.participants.get(id) {
            Some(p) => format!(
                "{who}; {}",
                p.grid().unwrap_or_else(|| p.role.label().to_owned())
            ),
            None => who,
        },
        Speaker::Group => "whole group".into(),
    }
}

/// The final template of a session with a codebook.
pub fn final_template(s: &Session, privacy: Privacy) -> FinalTemplate {
    if s.codebook.is_empty() {
        return FinalTemplate::default();
    }
    let book: Vec<Code> = s.codebook.values().cloned().collect();
    let facets: Vec<&Code> = ordered(&book).into_iter().filter(|c| c.facet).collect();
    let themes: Vec<&Code> = ordered(&book).into_iter().filter(|c| !c.facet).collect();
    let live: Vec<&Statement> = s
        .statements
        .values()
        .filter(|st| !st.is_retracted())
        .map(|st| &**st)
        .collect();
    let quote = |st: &Statement| Quote {
        id: st.id.to_string(),
        text: st.current().text.clone(),
        label: label(s, privacy, &st.current().speaker),
    };
    let rows = themes
        .iter()
        .map(|code| {
            // Only what is coded at this code itself: a subtheme's
            // statements are under the subtheme.
            let here: Vec<&&Statement> = live
                .iter()
                .filter(|st| st.current().tags.contains(&code.path))
                .collect();
            let mut by_facet: Vec<FacetQuotes> = Vec::new();
            let mut place = |name: String, of: Vec<&&Statement>| {
                if of.is_empty() {
                    return;
                }
                let (shown, hidden): (Vec<&&Statement>, Vec<&&Statement>) =
                    of.into_iter().partition(|st| listed(s, st));
                by_facet.push(FacetQuotes {
                    facet: name,
                    quotes: shown.into_iter().map(|st| quote(st)).collect(),
                    withheld: hidden.len(),
                });
            };
            for f in &facets {
                place(
                    f.name.clone(),
                    here.iter()
                        .copied()
                        .filter(|st| codes_at(&st.current().tags, &f.path))
                        .collect(),
                );
            }
            place(
                "No facet".into(),
                here.iter()
                    .copied()
                    .filter(|st| !facets.iter().any(|f| codes_at(&st.current().tags, &f.path)))
                    .collect(),
            );
            let prefix = format!("{}/", code.path);
            let beneath = live
                .iter()
                .filter(|st| st.current().tags.iter().any(|t| t.starts_with(&prefix)))
                .count();
            TemplateRow {
                path: code.path.clone(),
                name: code.name.clone(),
                depth: code.depth(),
                facets: by_facet,
                beneath,
            }
        })
        .collect();
    // A breakdown worth a table: one with more than one group in the room
    // (an all-staff study's role groups would all be `staff`).
    let spread = |by: &Breakdown| by.tells_apart(s.participants.values());
    let offered = Breakdown::in_use(s.participants.values());
    let matrices = offered
        .into_iter()
        .filter(spread)
        .map(|by| matrix(s, &book, &live, by))
        .collect();
    FinalTemplate {
        rows,
        facets: facets.iter().map(|f| f.name.clone()).collect(),
        matrices,
    }
}

/// Codes × the groups of `by`; a group no statement falls in is left out
/// when it is the "none" group (`no sector`).
fn matrix(s: &Session, book: &[Code], live: &[&Statement], by: Breakdown) -> Matrix {
    let labels = by.groups();
    let group_of = |st: &Statement| match &st.current().speaker {
        Speaker::Participant(p) => s.participants.get(p).map(|p| by.group_of(p)),
        Speaker::Group => None,
    };
    let mut rows: Vec<MatrixRow> = ordered(book)
        .into_iter()
        .map(|code| {
            let mut cells = vec![Vec::new(); labels.len()];
            let mut withheld = 0;
            for st in live
                .iter()
                .filter(|st| codes_at(&st.current().tags, &code.path))
            {
                if !listed(s, st) {
                    withheld += 1;
                    continue;
                }
                if let Some(g) = group_of(st) {
                    cells[g].push(st.id.to_string());
                }
            }
            MatrixRow {
                path: code.path.clone(),
                name: code.name.clone(),
                depth: code.depth(),
                cells,
                withheld,
            }
        })
        .collect();
    let mut groups: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
    let none_used = rows.iter().any(|r| !r.cells[3].is_empty())
        || s.participants
            .values()
            .any(|p| by.group_of(p) == 3 && !p.role.convenes());
    if !none_used {
        groups.pop();
        for r in &mut rows {
            r.cells.pop();
        }
    }
    Matrix { by, groups, rows }
}

/// `2 (st1, st10)`, or `0`.
pub fn cell(ids: &[String]) -> String {
    match ids.len() {
        0 => "0".into(),
        n => format!("{n} ({})", ids.join(", ")),
    }
}

/// What a matrix's heading says it is.
pub fn matrix_title(m: &Matrix) -> String {
    format!("Codes × {}", m.by.label())
}

/// What every matrix counts, said once.
pub const MATRIX_NOTE: &str = "Each cell counts the statements coded at the code, by who said them; a theme counts its subthemes' statements, each once. The ids name the statements behind each count. Statements whose speakers did not consent are counted in the last column only.";

/// The final template and matrices in HTML (nothing without a codebook).
pub fn html(t: &FinalTemplate) -> maud::Markup {
    use super::page::{t as esc, table};
    use maud::html;
    if t.is_empty() {
        return html! {};
    }
    html! {
        h2 { "Final template" }
        p { "Each code of the codebook with the statements coded at it"
            @if !t.facets.is_empty() { ", by " (esc(&t.facets.join(" / ").to_lowercase())) }
            "; quotes are labelled with who said them and where they sit." }
        @for row in &t.rows {
            @let title = html! { (esc(&row.name)) " " span.id { "#" (esc(&row.path)) } };
            @match row.depth { 0 => h3 { (title) }, 1 => h4 { (title) }, _ => h5 { (title) } }
            @if row.facets.is_empty() { p { (row.empty_note()) } }
            @for f in &row.facets {
                p { b { (esc(&f.facet)) } " (" (f.quotes.len() + f.withheld) ")" }
                ul {
                    @for q in &f.quotes {
                        li { "“" bdi { (esc(&q.text)) } "” (" (esc(&q.label)) ") " span.id { (esc(&q.id)) } }
                    }
                    @if let Some(n) = super::withheld_count(f.withheld, "statement") { li { i { (n) } } }
                }
            }
        }
        @for m in &t.matrices {
            h3 { (matrix_title(m)) }
            p { (MATRIX_NOTE) }
            @let columns: Vec<(&str, bool)> = std::iter::once(("code", false))
                .chain(m.groups.iter().map(|g| (g.as_str(), false)))
                .chain([("withheld", true)])
                .collect();
            (table(html! { (matrix_title(m)) ": statements by who said them" }, &columns, html! {
                @for r in &m.rows {
                    tr {
                        th scope="row" { ("→ ".repeat(r.depth)) (esc(&r.name)) }
                        @for c in &r.cells { td.id { (cell(c)) } }
                        td.num { (r.withheld) }
                    }
                }
            }))
        }
    }
}

/// `template.csv`: one row per quote (or withheld count) under each code
/// and facet: the final template, long, for a spreadsheet or a script.
pub fn template_csv(t: &FinalTemplate) -> super::csv::Table {
    let mut rows = Vec::new();
    for r in &t.rows {
        for f in &r.facets {
            for q in &f.quotes {
                rows.push(vec![
                    r.path.clone(),
                    r.name.clone(),
                    f.facet.clone(),
                    q.id.clone(),
                    q.label.clone(),
                    q.text.clone(),
                    String::new(),
                ]);
            }
            if f.withheld > 0 {
                rows.push(vec![
                    r.path.clone(),
                    r.name.clone(),
                    f.facet.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                    format!("{} withheld: no consent", f.withheld),
                ]);
            }
        }
    }
    super::csv::table(
        &["code", "name", "facet", "statement", "who", "text", "note"],
        rows,
    )
}

/// `matrix.csv`: every matrix, long: breakdown, code, group, count and the
/// statements behind it.
pub fn matrix_csv(t: &FinalTemplate) -> super::csv::Table {
    let mut rows = Vec::new();
    for m in &t.matrices {
        for r in &m.rows {
            for (g, ids) in m.groups.iter().zip(&r.cells) {
                rows.push(vec![
                    m.by.label().to_owned(),
                    r.path.clone(),
                    r.name.clone(),
                    g.clone(),
                    ids.len().to_string(),
                    ids.join(" "),
                ]);
            }
            rows.push(vec![
                m.by.label().to_owned(),
                r.path.clone(),
                r.name.clone(),
                "withheld".into(),
                r.withheld.to_string(),
                String::new(),
            ]);
        }
    }
    super::csv::table(
        &["breakdown", "code", "name", "group", "count", "statements"],
        rows,
    )
}
